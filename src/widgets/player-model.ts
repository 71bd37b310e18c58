// The scenario player's model: one Simulation, a `version` signal bumped after every mutation,
// and everything the player shows derived from it as computed signals. No DOM: the components
// read plain values from here, and the core decides every networking question.

import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import { DEFAULT_STEP_BUDGET, Simulation } from '../sim/engine/simulation';
import type { Halt, QueueItem } from '../sim/engine/state';
import { actionTimes, type Scenario, type TrafficAction } from '../sim/scenario/format';
import { arpCache, macTable, routingTable } from '../sim/tables';
import type { ReasonCode, TraceEvent, TraceKind } from '../sim/trace';
import { describeFrame, hexDump, type FrameDescription } from '../sim/wire/describe';
import { canSend, canTarget, defaultSend, type SendDefault } from './senders';
import type { SendTarget } from './SendPacketForm';

/** How a frame is coloured and shaped: replies first, then by destination class. */
export type FrameTone = 'broadcast' | 'unicast' | 'reply';

export interface EventView {
  index: number;
  kind: TraceKind;
  reason: ReasonCode;
  device: string;
  port?: string;
  text: string;
  hasFrame: boolean;
}

export interface StepGroup {
  step: number;
  time: number;
  events: EventView[];
}

export interface FlightView {
  frameId: number;
  link: number;
  from: { device: string; port: string };
  to: { device: string; port: string };
  /** When it will arrive. */
  arrives: number;
  tone: FrameTone;
  summary: string;
  /** The transmit event that put it on the cable (to inspect its bytes), or -1. */
  eventIndex: number;
  /** It was put on the cable by the latest step. */
  fresh: boolean;
}

export interface TableView<Row> {
  device: string;
  name: string;
  rows: Row[];
  /** MAC tables of VLAN-aware switches have a VLAN column; ARP caches of devices with sub-interfaces an interface column. */
  detailed?: boolean;
}

export interface MacRowView {
  mac: string;
  port: string;
  vlan: number;
  /** Seconds since the entry was last refreshed, as text ("0.031"). */
  age: string;
}

export interface ArpRowView {
  ip: string;
  mac: string;
  /** The interface the neighbour was learned on ("eth0.10"). */
  dev: string;
}

export interface RouteRowView {
  destination: string;
  via: string;
  dev: string;
}

export type OutcomeStatus = 'queued' | 'running' | 'ok' | 'failed' | 'stopped';

export interface OutcomeView {
  id: number;
  label: string;
  at: number;
  status: OutcomeStatus;
  /** The core's outcome sentence, when finished. */
  text: string;
}

/** What one device did in the latest step, for the drawing: the most telling of its events. */
export type MarkKind = 'delivered' | 'dropped' | 'filtered' | 'flooded' | 'forwarded' | 'received' | 'sent';

export interface DeviceMark {
  device: string;
  port?: string;
  mark: MarkKind;
  /** The event the mark stands for (its text is the screen-reader label). */
  text: string;
}

export interface NextView {
  time: number;
  text: string;
}

export interface FrameDetail {
  eventIndex: number;
  /** The sentence of the event the frame belongs to. */
  event: string;
  tone: FrameTone;
  description: FrameDescription;
  hex: string;
}

/** How the run last moved; 'jump' is many steps at once (Run to the end), drawn without animation. */
export type Move = 'none' | 'forward' | 'back' | 'reset' | 'jump';

/** Steps per second the player can run at. */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
export const DEFAULT_SPEED = 2;

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds from some origin (default performance.now): how long a slice of Run to the end has run. */
  now?(): number;
  /** Runs `callback` in a new task as soon as the page has handled what is waiting (default: a MessageChannel message). */
  soon?(callback: () => void): void;
  /** Runs `callback` before the next paint (default: requestAnimationFrame). */
  frame?(callback: () => void): void;
}

/** Run to the end works in slices of at most this many milliseconds of core steps, then lets the page breathe. */
export const SLICE_MS = 8;
/** During Run to the end the log and the tables are redrawn at most this often (the drawing every frame). */
export const LISTS_MS = 250;

export interface PlayerModelOptions {
  /** Timers for play (default: the global ones); tests pass fake ones. */
  scheduler?: Scheduler;
  speed?: number;
  /** The most steps one Run to the end takes before it halts the run (default: the core's run() budget). */
  stepBudget?: number;
}

export interface PlayerModel {
  readonly scenario: Scenario;
  /** The run: the scenario's, or after "only my packet" the scenario without the script's actions that had not started. */
  readonly sim: Simulation;
  readonly version: ReadonlySignal<number>;
  /** Steps taken, time in ms. */
  readonly step: ReadonlySignal<number>;
  readonly time: ReadonlySignal<number>;
  readonly latestEvents: ReadonlySignal<EventView[]>;
  readonly log: ReadonlySignal<StepGroup[]>;
  readonly inFlight: ReadonlySignal<FlightView[]>;
  readonly marks: ReadonlySignal<DeviceMark[]>;
  readonly macTables: ReadonlySignal<TableView<MacRowView>[]>;
  readonly arpCaches: ReadonlySignal<TableView<ArpRowView>[]>;
  /** `ip route` of each host and router, when the scenario has routers or VLANs (they never change during a run). */
  readonly routingTables: readonly TableView<RouteRowView>[];
  readonly outcomes: ReadonlySignal<OutcomeView[]>;
  readonly halted: ReadonlySignal<Halt | null>;
  readonly canStep: ReadonlySignal<boolean>;
  readonly canStepBack: ReadonlySignal<boolean>;
  readonly next: ReadonlySignal<NextView | null>;
  readonly playing: ReadonlySignal<boolean>;
  readonly speed: ReadonlySignal<number>;
  /** The event whose frame is inspected, or null. */
  readonly selected: ReadonlySignal<number | null>;
  readonly selectedFrame: ReadonlySignal<FrameDetail | null>;
  /** How the latest change moved the run (animations only run forward). */
  readonly lastMove: ReadonlySignal<Move>;
  /** Devices with an IP stack, in scenario order: who can send (senders.ts). */
  readonly senders: { id: string; name: string }[];
  /** Devices a sent packet can name as its destination, and for which kinds. */
  readonly targets: SendTarget[];
  /** What the send form starts with: the script's first action the reader can send again, which shows the lesson. */
  readonly sendDefault: SendDefault | null;
  /** Actions of the script that have not started yet: what "only my packet" leaves out. */
  readonly pendingScript: ReadonlySignal<number>;
  /** The run has left out the script's pending actions ("only my packet"); Reset brings them back. */
  readonly scriptLeftOut: ReadonlySignal<boolean>;
  name(deviceId: string): string;
  stepForward(): void;
  stepBack(): void;
  reset(): void;
  play(): void;
  /** Runs the rest of the run as fast as the page allows, in slices, without animations; Pause, Step back and Reset stop it. */
  runToEnd(): void;
  /** Run to the end is under way (playing is true too). */
  readonly fast: ReadonlySignal<boolean>;
  pause(): void;
  togglePlay(): void;
  /**
   * Starts the reader's action now, as one step. With `onlyMine`, the script's actions that have not
   * started yet are left out of the run first (it is rebuilt without them and replayed to this step,
   * which is exact), so that the run plays this action alone from here; Reset brings them back.
   */
  send(action: TrafficAction, options?: { onlyMine?: boolean }): void;
  setSpeed(stepsPerSecond: number): void;
  select(eventIndex: number | null): void;
  dispose(): void;
}

export function frameTone(description: Pick<FrameDescription, 'frameClass' | 'isReply'>): FrameTone {
  if (description.isReply) return 'reply';
  return description.frameClass === 'unicast' ? 'unicast' : 'broadcast';
}

/** "0.031": seconds, without trailing zeros. */
export function formatSeconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

function eventView(e: TraceEvent): EventView {
  const view: EventView = { index: e.index, kind: e.kind, reason: e.reason, device: e.device, text: e.text, hasFrame: e.frame !== undefined };
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

export function deviceMarks(events: readonly Pick<TraceEvent, 'kind' | 'device' | 'port' | 'text'>[]): DeviceMark[] {
  const byDevice = new Map<string, DeviceMark & { rank: number }>();
  for (const e of events) {
    if (!e.device) continue;
    const rank = MARK_ORDER.findIndex((m) => m.kind === e.kind);
    if (rank < 0) continue;
    const current = byDevice.get(e.device);
    if (current && current.rank <= rank) continue;
    const mark: DeviceMark & { rank: number } = { device: e.device, mark: MARK_ORDER[rank]!.mark, text: e.text, rank };
    if (e.port !== undefined) mark.port = e.port;
    byDevice.set(e.device, mark);
  }
  return [...byDevice.values()].map(({ rank: _rank, ...mark }) => mark);
}

export function createPlayerModel(scenario: Scenario, options: PlayerModelOptions = {}): PlayerModel {
  let sim = new Simulation(scenario);
  /** The scenario `sim` runs: `scenario`, or a copy without the script's actions left out by "only my packet". */
  let running = scenario;
  const scheduler: Scheduler = options.scheduler ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const version = signal(0);
  const playing = signal(false);
  const speed = signal(SPEEDS.includes(options.speed as (typeof SPEEDS)[number]) ? options.speed! : DEFAULT_SPEED);
  const selected = signal<number | null>(null);
  const lastMove = signal<Move>('none');
  let timer: unknown = null;
  const fast = signal(false);
  const now = options.scheduler?.now ?? (() => performance.now());

  /**
   * Moves with `version`, except during Run to the end, when it moves at most every LISTS_MS: the
   * log and the tables follow it. A reader cannot read hundreds of lines a frame, and laying them
   * out every frame is most of the cost of a big run; the step counter and the drawing keep up.
   */
  const lists = signal(0);
  let listsAt = -Infinity;
  const bump = (move: Move, withLists = true) =>
    batch(() => {
      lastMove.value = move;
      version.value++;
      if (withLists && (!fast.peek() || now() - listsAt >= LISTS_MS)) {
        lists.value++;
        listsAt = fast.peek() ? now() : -Infinity;
      }
      // A selection that no longer exists (stepped back past it) is dropped.
      if (selected.peek() !== null && selected.peek()! >= sim.trace.length) selected.value = null;
    });

  /** A computed value read from the simulation, recomputed whenever `version` moves. */
  const live = <T>(read: () => T): ReadonlySignal<T> =>
    computed(() => {
      version.value;
      return read();
    });

  const step = live(() => sim.stepCount);
  const time = live(() => sim.now);
  const halted = live(() => (sim.halted ? { ...sim.halted } : null));
  const canStep = live(() => sim.canStep);
  const canStepBack = live(() => sim.stepCount > 0);
  // The script's actions have ids 1..n in order (the core registers them first), then the reader's.
  const pendingScript = live(() => {
    let pending = 0;
    for (let id = 1; id <= running.traffic.length; id++) if (sim.actionStatus(id) === 'queued') pending++;
    return pending;
  });
  const scriptLeftOut = live(() => running !== scenario);

  /** The run without the script's actions that have not started, replayed to the present: the same trace so far. */
  const leaveOutScript = () => {
    const times = actionTimes(running.traffic);
    const kept = running.traffic.flatMap((action, i) => (sim.actionStatus(i + 1) === 'queued' ? [] : [{ ...action, at: times[i]! }]));
    const next: Scenario = { ...running, traffic: kept };
    const rebuilt = new Simulation(next);
    const steps = sim.stepCount;
    for (let s = 1; s <= steps; s++) {
      // The reader's own sends, as the simulation logged them (it forgets those a step back undid).
      const mine = sim.injectedAt(s);
      if (mine) rebuilt.inject(mine);
      else rebuilt.step();
    }
    running = next;
    sim = rebuilt;
    // Every view rebuilds from the new trace (the same events so far).
    cuts.push(0);
  };
  const latestEvents = live(() => sim.eventsOfStep(sim.stepCount).map(eventView));

  /** Trace length after each step back or reset: the views below drop what they built past it. */
  const cuts: number[] = [];
  const cutSince = (seen: number) => {
    let low = Infinity;
    for (let i = seen; i < cuts.length; i++) low = Math.min(low, cuts[i]!);
    return low;
  };

  // The log and the transmit index follow the trace incrementally: the trace only grows, except
  // when a step back or reset cuts it, and rescanning thousands of events on every step would
  // make a big topology's run crawl.
  let logGroups: StepGroup[] = [];
  let logged = 0;
  let logCuts = 0;
  const transmits = new Map<number, number>();
  let indexed = 0;
  let transmitCuts = 0;
  const log = computed(() => {
    lists.value;
    const trace = sim.trace;
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
      last.events.push(eventView(e));
    }
    logGroups = groups;
    logged = trace.length;
    return groups;
  });

  /**
   * What a frame on a cable looks like, by its bytes: describing them is the costly part, a frame
   * in flight never changes, and the copies a hub or bridge floods share one byte array.
   */
  const looks = new WeakMap<Uint8Array, { tone: FrameTone; summary: string }>();
  const inFlight = computed(() => {
    version.value;
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
  });

  const marks = live(() => deviceMarks(sim.eventsOfStep(sim.stepCount)));

  const hosts = scenario.devices.filter((d) => d.kind === 'host' || d.kind === 'router');
  const layer3 = scenario.devices.some((d) => d.kind === 'router' || d.kind === 'switch');

  // Every FDB: each bridge or switch box's, and each bridge device inside a host or router
  // namespace ("server br0"), in scenario order.
  const fdbs = scenario.devices.flatMap((d): { key: string; device: string; bridge: string | undefined; detailed: boolean }[] =>
    d.kind === 'bridge' || d.kind === 'switch'
      ? [{ key: d.id, device: d.id, bridge: undefined, detailed: d.kind === 'switch' }]
      : d.kind === 'host' || d.kind === 'router'
        ? (d.bridges ?? []).map((b) => ({ key: `${d.id} ${b.name}`, device: d.id, bridge: b.name, detailed: false }))
        : [],
  );
  const macTables = computed(() => {
    lists.value;
    return fdbs.map((f) => ({
      device: f.key,
      name: f.bridge === undefined ? sim.name(f.device) : `${sim.name(f.device)} ${f.bridge}`,
      detailed: f.detailed,
      // A bridge's own MAC (its local interface's) never ages: `bridge fdb show` says "permanent".
      rows: (macTable(sim.state, f.device, f.bridge) ?? []).map((r) => ({ mac: r.mac, port: r.port, vlan: r.vid, age: r.permanent ? 'permanent' : formatSeconds(r.age) })),
    }));
  });

  // A bridge with a local interface has a neighbour table too (on its one interface, br0).
  const withArp = scenario.devices.filter((d) => d.kind === 'host' || d.kind === 'router' || (d.kind === 'bridge' && d.local !== undefined));
  const arpCaches = computed(() => {
    lists.value;
    return withArp.map((d) => ({
      device: d.id,
      name: sim.name(d.id),
      detailed: d.kind === 'router' || (d.kind === 'host' && (d.nics.length > 1 || d.nics.some((nic) => nic.vlans?.length))),
      rows: (arpCache(sim.state, d.id) ?? []).map((r) => ({ ip: r.ip, mac: r.mac, dev: r.port })),
    }));
  });

  const routingTables = layer3
    ? hosts.map((d) => ({
      device: d.id,
      name: sim.name(d.id),
      rows: (routingTable(sim.state, d.id) ?? []).map((r) => ({ destination: r.destination, via: r.via ?? '', dev: r.dev })),
    }))
    : [];

  const outcomes = computed(() => {
    lists.value;
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
  });

  const next = computed((): NextView | null => {
    version.value;
    if (sim.halted) return null;
    const item = sim.peekNext();
    if (!item) return null;
    return { time: item.time, text: describeQueued(sim, item) };
  });

  const selectedFrame = computed((): FrameDetail | null => {
    version.value;
    const index = selected.value;
    if (index === null) return null;
    const event = sim.trace[index];
    if (!event?.frame) return null;
    const description = describeFrame(event.frame);
    return { eventIndex: index, event: event.text, tone: frameTone(description), description, hex: hexDump(event.frame) };
  });

  const soon = options.scheduler?.soon ?? yieldToPage();
  const frame =
    options.scheduler?.frame ??
    ((callback: () => void) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => callback()) : globalThis.setTimeout(callback, 16)));
  /** Bumped by every stop, so that a slice or frame scheduled by an earlier Run to the end does nothing. */
  let generation = 0;
  let framePending = false;

  const stop = () => {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
    generation++;
    if (fast.peek()) {
      framePending = false;
      // Show where the run stopped: the last frame drawn may be a few slices behind.
      // The counter, the drawing and a halt's notice now; the log and the tables (hundreds of
      // lines to lay out with a big topology) in a task of their own right after.
      batch(() => {
        fast.value = false;
        bump('jump', false);
      });
      soon(() => lists.value++);
    }
    playing.value = false;
  };

  const schedule = () => {
    timer = scheduler.setTimeout(tick, 1000 / speed.peek());
  };

  function play() {
    if (playing.peek() || !sim.canStep) return;
    playing.value = true;
    schedule();
  }

  function tick() {
    timer = null;
    if (!sim.canStep) {
      stop();
      return;
    }
    sim.step();
    bump('forward');
    if (sim.canStep) schedule();
    else stop();
  }

  /** Steps taken by the current Run to the end: it stops at the core's step budget, like `run()`. */
  let fastSteps = 0;
  const stepBudget = options.stepBudget ?? DEFAULT_STEP_BUDGET;

  function runToEnd() {
    if (fast.peek() || !sim.canStep) return;
    if (playing.peek()) stop();
    const mine = ++generation;
    fastSteps = 0;
    batch(() => {
      playing.value = true;
      fast.value = true;
    });
    const slice = () => {
      if (mine !== generation) return;
      const until = now() + SLICE_MS;
      // At least one step per slice, however slow the machine, so that the run always advances.
      do {
        sim.step();
        fastSteps++;
      } while (sim.canStep && fastSteps < stepBudget && now() < until);
      if (!sim.canStep || fastSteps >= stepBudget) {
        // Out of budget with work still queued: halt with the core's explanation, as the CLI does,
        // rather than stopping without a word.
        if (sim.canStep) sim.stopForBudget(stepBudget);
        stop();
        return;
      }
      // The drawing and the lists follow at most once per frame; the core goes on meanwhile.
      if (!framePending) {
        framePending = true;
        frame(() => {
          framePending = false;
          if (mine === generation) bump('jump');
        });
      }
      soon(slice);
    };
    soon(slice);
  }

  return {
    scenario,
    get sim() {
      return sim;
    },
    version,
    step,
    time,
    latestEvents,
    log,
    inFlight,
    marks,
    macTables,
    arpCaches,
    routingTables,
    outcomes,
    halted,
    canStep,
    canStepBack,
    next,
    playing,
    speed,
    selected,
    selectedFrame,
    lastMove,
    senders: scenario.devices.filter(canSend).map((d) => ({ id: d.id, name: sim.name(d.id) })),
    targets: scenario.devices.filter((d) => canTarget(d, 'ping') || canTarget(d, 'raw')).map((d) => ({ id: d.id, name: sim.name(d.id), ip: canTarget(d, 'ping'), raw: canTarget(d, 'raw') })),
    sendDefault: defaultSend(scenario),
    pendingScript,
    scriptLeftOut,
    name: (id) => sim.name(id),
    stepForward() {
      if (fast.peek()) stop();
      if (!sim.canStep) return;
      sim.step();
      bump('forward');
      if (!sim.canStep) stop();
    },
    stepBack() {
      stop();
      if (sim.stepBack()) {
        cuts.push(sim.trace.length);
        bump('back');
      }
    },
    reset() {
      stop();
      if (running !== scenario) {
        // Reset brings back the script that "only my packet" left out.
        running = scenario;
        sim = new Simulation(scenario);
        cuts.push(0);
        bump('reset');
        return;
      }
      if (sim.stepCount === 0) return;
      sim.reset();
      cuts.push(sim.trace.length);
      bump('reset');
    },
    play,
    runToEnd,
    fast,
    pause: stop,
    togglePlay() {
      if (playing.peek()) stop();
      else play();
    },
    send(action, sendOptions = {}) {
      if (fast.peek()) stop();
      if (sim.halted) return;
      if (sendOptions.onlyMine && pendingScript.peek() > 0) leaveOutScript();
      sim.inject(action);
      bump('forward');
    },
    setSpeed(stepsPerSecond) {
      if (!(stepsPerSecond > 0)) return;
      speed.value = stepsPerSecond;
      // Apply the new pace from the next tick on.
      if (timer !== null) {
        scheduler.clearTimeout(timer);
        schedule();
      }
    },
    select(eventIndex) {
      selected.value = eventIndex !== null && sim.trace[eventIndex]?.frame ? eventIndex : null;
    },
    dispose: stop,
  };
}

/** A function that runs its callback in a new task without setTimeout's 4 ms clamp (a MessageChannel message). */
function yieldToPage(): (callback: () => void) => void {
  if (typeof MessageChannel !== 'function') return (callback) => void globalThis.setTimeout(callback, 0);
  const waiting: (() => void)[] = [];
  let channel: MessageChannel | null = null;
  return (callback) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    waiting.push(callback);
    channel.port2.postMessage(null);
  };
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
