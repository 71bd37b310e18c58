// What the scenario player shows of a run, read from the Simulation: the log, the frames on the
// cables, what each device just did, the tables, the actions' outcomes, what comes next, a frame's
// bytes. It comes with the core (player-core.ts, loaded on the reader's first Step, Play or Send):
// before that, the model (player-model.ts) shows its StartView, which the server computed with
// this very code. No DOM, no signals: the model calls these when its `version` moves.

import type { Simulation } from '../sim/engine/simulation';
import type { QueueItem } from '../sim/engine/state';
import { actionTimes, type Scenario, type TrafficAction } from '../sim/scenario/format';
import { arpCache, conntrackTables, macTable, routingTable, vxlanFdb } from '../sim/tables';
import type { ReasonCode, TraceEvent, TraceKind } from '../sim/trace';
import { describeFrame, hexDump, type FrameDescription } from '../sim/wire/describe';
import { isLocalCopy } from './local-copy';
import type {
  ArpRowView,
  DeviceMark,
  EventView,
  FlightView,
  FrameDetail,
  FrameTone,
  MacRowView,
  MarkKind,
  NextView,
  OutcomeStatus,
  OutcomeView,
  Proto,
  RouteRowView,
  ConntrackRowView,
  StepGroup,
  TableView,
} from './player-model';

export function frameTone(description: Pick<FrameDescription, 'frameClass' | 'isReply'>): FrameTone {
  if (description.isReply) return 'reply';
  return description.frameClass === 'unicast' ? 'unicast' : 'broadcast';
}

/** "0.031": seconds, without trailing zeros. */
export function formatSeconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/** The EtherTypes of an 802.1Q and an 802.1ad tag, which the protocol is behind. */
const TAGS = new Set([0x8100, 0x88a8]);

/** A frame's protocol, for the timeline's filter, from its header bytes alone (no full description). */
export function frameProto(bytes: Uint8Array): Proto {
  let at = 12;
  while (at + 2 <= bytes.length && TAGS.has((bytes[at]! << 8) | bytes[at + 1]!)) at += 4;
  if (at + 2 > bytes.length) return 'other';
  const type = (bytes[at]! << 8) | bytes[at + 1]!;
  if (type === 0x0806) return 'arp';
  if (type !== 0x0800 || at + 12 > bytes.length) return 'other';
  const protocol = bytes[at + 2 + 9];
  return protocol === 1 ? 'icmp' : protocol === 17 ? 'udp' : 'other';
}

const START_PROTO: Partial<Record<ReasonCode, Proto>> = { 'ping-start': 'icmp', 'arp-start': 'arp', 'udp-start': 'udp' };

/**
 * An event's protocol: its frame's; for an event without one (a learn, a result, a timer's), the
 * frame of the event that caused it, else what its action sends. One look back, never a scan.
 */
export function eventProto(e: TraceEvent, trace: { eventAt(index: number): TraceEvent | undefined }): Proto {
  if (e.frame) return frameProto(e.frame);
  const cause = e.cause !== undefined ? trace.eventAt(e.cause) : undefined;
  if (cause?.frame) return frameProto(cause.frame);
  return START_PROTO[e.reason] ?? START_PROTO[cause?.reason as ReasonCode] ?? 'other';
}

function eventView(e: TraceEvent, proto: Proto): EventView {
  const view: EventView = { index: e.index, kind: e.kind, reason: e.reason, device: e.device, text: e.text, hasFrame: e.frame !== undefined, proto };
  if (e.port !== undefined) view.port = e.port;
  return view;
}

/** Strongest first: what a device did in a step, when it did several things. */
const MARK_ORDER: { kind: TraceKind; mark: MarkKind }[] = [
  { kind: 'drop', mark: 'dropped' },
  { kind: 'filter', mark: 'filtered' },
  { kind: 'deliver', mark: 'delivered' },
  { kind: 'flood', mark: 'flooded' },
  { kind: 'forward', mark: 'forwarded' },
  { kind: 'receive', mark: 'received' },
  { kind: 'transmit', mark: 'sent' },
];

const PASSED_ON_RANK = MARK_ORDER.findIndex((m) => m.kind === 'forward');

export function deviceMarks(events: readonly Pick<TraceEvent, 'kind' | 'reason' | 'device' | 'port' | 'text'>[]): DeviceMark[] {
  const byDevice = new Map<string, DeviceMark & { rank: number }>();
  for (const e of events) {
    if (!e.device) continue;
    const order = MARK_ORDER.findIndex((m) => m.kind === e.kind);
    if (order < 0) continue;
    // A local copy (local-copy.ts) ranks just after forward, before received: a host that only
    // received and ignored a frame is still marked "dropped".
    const rank = isLocalCopy(e) ? PASSED_ON_RANK + 0.5 : order;
    const current = byDevice.get(e.device);
    if (current && current.rank <= rank) continue;
    const mark: DeviceMark & { rank: number } = { device: e.device, mark: MARK_ORDER[order]!.mark, text: e.text, rank };
    if (e.port !== undefined) mark.port = e.port;
    byDevice.set(e.device, mark);
  }
  return [...byDevice.values()].map(({ rank: _rank, ...mark }) => mark);
}

/** The run a player shows: the model swaps `sim` (Reset after "only my packet") and `running` with it. */
export interface RunHost {
  readonly sim: Simulation;
  /** The scenario `sim` runs: the player's, or a copy without the script's actions left out by "only my packet". */
  readonly running: Scenario;
}

export interface RunViews {
  latestEvents(): EventView[];
  /** What the latest step decided: its last delivery, drop, flood, forward or result, else its last event ("" before the first step). */
  latest(): string;
  /** The log by step; a new array whenever it changes, never changed in place once handed out. */
  log(): StepGroup[];
  inFlight(): FlightView[];
  marks(): DeviceMark[];
  macTables(): TableView<MacRowView>[];
  arpCaches(): TableView<ArpRowView>[];
  /** `ip route` of each host and router, when the scenario has routers or VLANs (they never change during a run). */
  readonly routingTables: TableView<RouteRowView>[];
  /** The connection table of each namespace that does NAT (conntrack -L), in device order. */
  conntrack(): TableView<ConntrackRowView>[];
  outcomes(): OutcomeView[];
  next(): NextView | null;
  /** Actions of the script that have not started yet: what "only my packet" leaves out. */
  pendingScript(): number;
  /** The bytes of event `index`'s frame, or null. */
  frame(index: number): FrameDetail | null;
  /** The trace was cut back to `length` events (a step back, a reset; 0 for a new run with the same start). */
  cut(length: number): void;

  // The timeline (PlayerModel.horizon): the furthest step reached, the reader's sends up to it
  // (a replay needs them: the core forgets those a step back undoes), and the log as it was there
  // (kept while the run is behind it: the log is cut with the trace).
  /** The furthest step reached. */
  reach(): number;
  /** The run is behind the furthest step reached: Step replays the next step undone. */
  canRedo(): boolean;
  /** One step forward: the next step undone when behind (the reader's send again, if it was one), else the core's next. False when there was none. */
  advance(): boolean;
  /** Call before the run moves back: at the furthest step, its log is kept for the steps ahead. */
  leave(): void;
  /** The run leaves the timeline at step `from` (a new send behind its end, a reset): what was ahead is gone. */
  forget(from: number): void;
  /** The reader's action was just injected as the latest step. */
  sent(action: TrafficAction): void;
  /** The log of the steps undone, after the present. */
  ahead(): StepGroup[];
  /** Moves the run to the state after step `target` (clamped to 0…reach): how it moved, or null when it did not. */
  goTo(target: number): 'back' | 'jump' | null;
}

export function runViews(host: RunHost, scenario: Scenario): RunViews {
  /** Trace length after each step back or reset: the views below drop what they built past it. */
  const cuts: number[] = [];
  const cutSince = (seen: number) => {
    let low = Infinity;
    for (let i = seen; i < cuts.length; i++) low = Math.min(low, cuts[i]!);
    return low;
  };
  const name = (id: string) => host.sim.name(id);

  // The log and the transmit index follow the trace incrementally: the trace only grows, except
  // when a step back or reset cuts it, and rescanning thousands of events on every step would
  // make a big topology's run crawl.
  let logGroups: StepGroup[] = [];
  let logged = 0;
  let logCuts = 0;
  const log = (): StepGroup[] => {
    const trace = host.sim.trace;
    logged = Math.min(logged, cutSince(logCuts));
    logCuts = cuts.length;
    if (trace.length < logged) logged = trace.length;
    if (logGroups.length > 0 && logGroups[logGroups.length - 1]!.events.at(-1)!.index >= logged) {
      // Cut back: drop the groups after the cut, and the cut group's events after it.
      logGroups = logGroups.slice();
      while (logGroups.length > 0 && logGroups[logGroups.length - 1]!.events[0]!.index >= logged) logGroups.pop();
      const last = logGroups[logGroups.length - 1];
      if (last && last.events[last.events.length - 1]!.index >= logged) {
        logGroups[logGroups.length - 1] = { ...last, events: last.events.filter((e) => e.index < logged) };
      }
    }
    // Never changed in place once handed out: every change makes a new array.
    if (trace.length === logged) return logGroups;
    const groups = logGroups.slice();
    let last = groups[groups.length - 1];
    // The last group is copied before it grows, so that a view handed out earlier never changes.
    if (last) groups[groups.length - 1] = last = { ...last, events: last.events.slice() };
    for (let i = logged; i < trace.length; i++) {
      const e = trace[i]!;
      if (!last || last.step !== e.step) {
        last = { step: e.step, time: e.time, events: [] };
        groups.push(last);
      }
      last.events.push(eventView(e, eventProto(e, host.sim)));
    }
    logGroups = groups;
    logged = trace.length;
    return groups;
  };

  /**
   * What a frame on a cable looks like, by its bytes: describing them is the costly part, a frame
   * in flight never changes, and the copies a hub or bridge floods share one byte array.
   */
  const looks = new WeakMap<Uint8Array, { tone: FrameTone; summary: string }>();
  const transmits = new Map<number, number>();
  let indexed = 0;
  let transmitCuts = 0;
  const inFlight = (): FlightView[] => {
    const sim = host.sim;
    const trace = sim.trace;
    const keep = Math.min(indexed, cutSince(transmitCuts), trace.length);
    transmitCuts = cuts.length;
    if (keep < indexed) {
      for (const [frameId, index] of transmits) if (index >= keep) transmits.delete(frameId);
      indexed = keep;
    }
    for (let i = indexed; i < trace.length; i++) {
      const e = trace[i]!;
      if (e.kind === 'transmit' && e.frameId !== undefined) transmits.set(e.frameId, e.index);
    }
    indexed = trace.length;
    const freshFrom = sim.eventsOfStep(sim.stepCount)[0]?.index ?? Infinity;
    return sim.framesInFlight().map((f): FlightView => {
      let look = looks.get(f.bytes);
      if (!look) {
        const description = describeFrame(f.bytes);
        look = { tone: frameTone(description), summary: description.summary };
        looks.set(f.bytes, look);
      }
      const eventIndex = transmits.get(f.frameId) ?? -1;
      return {
        frameId: f.frameId,
        link: f.link,
        from: { ...f.from },
        to: { device: f.device, port: f.port },
        arrives: f.time,
        tone: look.tone,
        summary: look.summary,
        eventIndex,
        fresh: eventIndex >= freshFrom,
      };
    });
  };

  const hosts = scenario.devices.filter((d) => d.kind === 'host' || d.kind === 'router');
  const layer3 = scenario.devices.some((d) => d.kind === 'router' || d.kind === 'switch');

  // Every FDB: each bridge or switch box's, and each bridge device inside a host or router
  // namespace ("server br0"), in scenario order.
  const fdbs = scenario.devices.flatMap((d): { key: string; device: string; bridge: string | undefined; detailed: boolean }[] =>
    d.kind === 'bridge' || d.kind === 'switch'
      ? [{ key: d.id, device: d.id, bridge: undefined, detailed: d.kind === 'switch' }]
      : d.kind === 'host' || d.kind === 'router'
        ? (d.bridges ?? []).map((b) => ({ key: `${d.id} ${b.name}`, device: d.id, bridge: b.name, detailed: b.vlanFiltering === true }))
        : [],
  );
  // Every VXLAN device's FDB ("VTEP 1 vxlan0"), after the bridges' tables.
  const vxlanFdbs = scenario.devices.flatMap((d) => (d.kind === 'host' || d.kind === 'router' ? (d.vxlans ?? []).map((x) => ({ key: `${d.id} ${x.name}`, device: d.id, vxlan: x.name })) : []));
  // Whose each MAC address of the scenario is (a NIC's, a bridge's own interface's), by its display
  // name: a table row then says "02:00:00:00:00:0a" and "A", and the reader need not look it up.
  const owners = new Map<string, string>();
  for (const d of scenario.devices) {
    if (d.kind === 'host' || d.kind === 'router') {
      for (const nic of d.nics) if (!owners.has(nic.mac)) owners.set(nic.mac, name(d.id));
      for (const b of d.bridges ?? []) if (!owners.has(b.mac)) owners.set(b.mac, `${name(d.id)} ${b.name}`);
      for (const x of d.vxlans ?? []) if (!owners.has(x.mac)) owners.set(x.mac, `${name(d.id)} ${x.name}`);
    } else if (d.kind === 'bridge' && d.local !== undefined && !owners.has(d.local.mac)) owners.set(d.local.mac, name(d.id));
  }
  const ownerOf = (mac: string) => owners.get(mac) ?? '';
  // Namespaces that do NAT keep a connection table, which the player shows.
  const natted = scenario.devices.filter((d) => (d.kind === 'host' || d.kind === 'router') && d.nat !== undefined);
  // A bridge with a local interface has a neighbour table too (on its one interface, br0).
  const withArp = scenario.devices.filter((d) => d.kind === 'host' || d.kind === 'router' || (d.kind === 'bridge' && d.local !== undefined));

  const cut = (length: number) => void cuts.push(length);
  let reach = 0;
  let reachLog: StepGroup[] | null = null;
  const sends = new Map<number, TrafficAction>();
  const advance = (): boolean => {
    const run = host.sim;
    const mine = run.stepCount < reach ? sends.get(run.stepCount + 1) : undefined;
    if (mine) run.inject(mine);
    else if (!run.step()) return false;
    if (run.stepCount >= reach) {
      reach = run.stepCount;
      reachLog = null;
    }
    return true;
  };
  const leave = () => {
    if (host.sim.stepCount < reach) return;
    reach = host.sim.stepCount;
    reachLog = log();
  };

  return {
    latest: () => {
      const events = host.sim.eventsOfStep(host.sim.stepCount);
      for (let i = events.length - 1; i >= 0; i--) if (TELLING.has(events[i]!.kind)) return events[i]!.text;
      return events.at(-1)?.text ?? '';
    },
    latestEvents: () => host.sim.eventsOfStep(host.sim.stepCount).map((e) => eventView(e, eventProto(e, host.sim))),
    log,
    inFlight,
    marks: () => deviceMarks(host.sim.eventsOfStep(host.sim.stepCount)),
    macTables: (): TableView<MacRowView>[] =>
      fdbs.map((f): TableView<MacRowView> => ({
        device: f.key,
        name: f.bridge === undefined ? name(f.device) : `${name(f.device)} ${f.bridge}`,
        detailed: f.detailed,
        // A bridge's own MAC (its local interface's) never ages: `bridge fdb show` says "permanent".
        rows: (macTable(host.sim.state, f.device, f.bridge) ?? []).map((r) => ({ mac: r.mac, owner: ownerOf(r.mac), port: r.port, vlan: r.vid, age: r.permanent ? 'permanent' : formatSeconds(r.age) })),
      })).concat(
        vxlanFdbs.map((f) => ({
          device: f.key,
          name: `${name(f.device)} ${f.vxlan}`,
          vxlan: true,
          // The all-zeros entry is the flood list, whose MAC no device has; static entries never age ("permanent").
          rows: (vxlanFdb(host.sim.state, f.device, f.vxlan) ?? []).map((r) => ({ mac: r.mac, owner: r.mac === '00:00:00:00:00:00' ? 'flood list' : ownerOf(r.mac), port: r.dst, vlan: 0, age: r.origin === 'static' ? 'permanent' : formatSeconds(r.age) })),
        })),
      ),
    arpCaches: () =>
      withArp.map((d) => ({
        device: d.id,
        name: name(d.id),
        detailed: d.kind === 'router' || (d.kind === 'host' && (d.nics.length > 1 || d.nics.some((nic) => nic.vlans?.length))),
        rows: (arpCache(host.sim.state, d.id) ?? []).map((r) => ({ ip: r.ip, mac: r.mac, owner: ownerOf(r.mac), dev: r.port })),
      })),
    routingTables: layer3
      ? hosts.map((d) => ({
        device: d.id,
        name: name(d.id),
        rows: (routingTable(host.sim.state, d.id) ?? []).map((r) => ({ destination: r.destination, via: r.via ?? '', dev: r.dev })),
      }))
      : [],
    conntrack: () => {
      if (!natted.length) return [];
      const tables = conntrackTables(host.sim.state);
      return natted.map((d) => ({
        device: d.id,
        name: name(d.id),
        rows: (tables.get(d.id) ?? []).map((r) => ({ protocol: r.protocol, original: r.original, reply: r.reply, nat: r.nat, status: r.status })),
      }));
    },
    outcomes: () => {
      const sim = host.sim;
      const halted = sim.halted;
      return Object.values(sim.state.actions)
        .sort((x, y) => x.id - y.id)
        .map((record): OutcomeView => {
          // The core calls an action that finished well but was cut short by a halt "stopped"
          // (Simulation.actionStatus): its sentence says why.
          const status: OutcomeStatus = sim.actionStatus(record.id);
          let text = record.outcome?.text ?? '';
          if (halted && status === 'stopped' && record.outcome?.ok) {
            text = `${text} ${halted.reason === 'broadcast-storm' ? 'Its copies were still circling the loop when the broadcast storm stopped the run.' : 'Its frames were still on the cables when the run was stopped.'}`;
          }
          return { id: record.id, label: record.label, at: record.at, status, text };
        });
    },
    next: () => {
      const sim = host.sim;
      if (sim.halted) return null;
      const item = sim.peekNext();
      if (!item) return null;
      return { time: item.time, text: describeQueued(sim, item) };
    },
    pendingScript: () => {
      // The script's actions have ids 1..n in order (the core registers them first), then the reader's.
      let pending = 0;
      for (let id = 1; id <= host.running.traffic.length; id++) if (host.sim.actionStatus(id) === 'queued') pending++;
      return pending;
    },
    frame: (index) => {
      const event = host.sim.trace[index];
      if (!event?.frame) return null;
      const description = describeFrame(event.frame);
      return { eventIndex: index, event: event.text, tone: frameTone(description), description, hex: hexDump(event.frame) };
    },
    cut,
    reach: () => reach,
    canRedo: () => host.sim.stepCount < reach && !host.sim.halted,
    advance,
    leave,
    forget(from) {
      reach = from;
      reachLog = null;
      for (const step of sends.keys()) if (step > from) sends.delete(step);
    },
    sent(action) {
      reach = host.sim.stepCount;
      sends.set(reach, { ...action });
    },
    ahead() {
      const now = host.sim.stepCount;
      if (!reachLog || now >= reach) return NO_GROUPS;
      // The first group after the present, by bisection: the kept log is by step, ascending.
      let low = 0;
      let high = reachLog.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (reachLog[mid]!.step <= now) low = mid + 1;
        else high = mid;
      }
      return reachLog.slice(low);
    },
    goTo(target) {
      const run = host.sim;
      const to = Math.max(0, Math.min(Math.floor(target), Math.max(reach, run.stepCount)));
      if (to < run.stepCount) {
        leave();
        run.stepBackTo(to);
        cut(run.traceLength);
        return 'back';
      }
      if (to === run.stepCount) return null;
      // Forward by replaying what was undone: the same events, exactly (the core is deterministic).
      while (run.stepCount < to && advance());
      return 'jump';
    },
  };
}

const NO_GROUPS: StepGroup[] = [];
const TELLING = new Set<TraceKind>(['deliver', 'drop', 'filter', 'flood', 'forward', 'result', 'halt', 'loop']);

/**
 * "Only my packet": `running` without the script's actions that have not started in `sim`,
 * replayed to the present with the reader's own sends, so the trace so far is the same.
 */
export function withoutPendingScript(sim: Simulation, running: Scenario, Sim: typeof Simulation): { sim: Simulation; running: Scenario } {
  const times = actionTimes(running.traffic);
  const kept = running.traffic.flatMap((action, i) => (sim.actionStatus(i + 1) === 'queued' ? [] : [{ ...action, at: times[i]! }]));
  const next: Scenario = { ...running, traffic: kept };
  const rebuilt = new Sim(next);
  const steps = sim.stepCount;
  for (let s = 1; s <= steps; s++) {
    // The reader's own sends, as the simulation logged them (it forgets those a step back undid).
    const mine = sim.injectedAt(s);
    if (mine) rebuilt.inject(mine);
    else rebuilt.step();
  }
  return { sim: rebuilt, running: next };
}

/** What the next Step will do, in a few words (the log tells what happened). */
function describeQueued(sim: Simulation, item: QueueItem): string {
  const at = `at t = ${item.time} ms`;
  switch (item.type) {
    case 'action':
      return `${sim.state.actions[item.actionId]?.label ?? 'an action'} (${at})`;
    case 'arrival':
      return `a frame reaches ${sim.name(item.device)} ${item.port} (${at})`;
    case 'timer':
      // A timer is opaque to the engine (its device type's); the hosts' and bridges' have a `type`.
      return `${sim.name(item.device)}'s ${(item.timer as { type?: string }).type === 'arp-retry' ? 'ARP retry' : 'ping timeout'} timer (${at})`;
  }
}
