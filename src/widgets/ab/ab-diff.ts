// What differs between two runs of the same traffic (A/B mode): who received which action's
// frames, the bytes a device received for the same action, the frames and bytes on the wire, and
// the table rows one side has and the other lacks. Pure: it reads two Simulations' traces and the
// player's table views; the core decided everything, this only compares.

import type { Simulation } from '../../sim/engine/simulation';
import type { Scenario } from '../../sim/scenario/format';
import type { TraceEvent, TraceKind } from '../../sim/trace';
import type { ArpRowView, MacRowView, TableView } from '../player-model';

export type Side = 'a' | 'b';

/** A device of both designs that received frames of an action in one run and none in the other. */
export interface ReceiverDiff {
  actionId: number;
  /** The action's label ("B answers A"). */
  label: string;
  device: string;
  /** The run in which it received the action's frames. */
  in: Side;
  /** Virtual time of its first receive. */
  time: number;
  /** Why, in each run: the decision that sent it the frame (in `in`), the decision made at that moment in the other run. */
  why: Record<Side, string>;
}

/** A device of both designs that received frames of an action in both runs, but not the same bytes. */
export interface ByteDiff {
  actionId: number;
  label: string;
  device: string;
  /** How many frames of the action it received in each run, and how many bytes in all. */
  frames: Record<Side, number>;
  bytes: Record<Side, number>;
  /** The first byte offset at which the first frames it received differ (-1: the same first frame). */
  firstDifference: number;
}

export interface WireTotals {
  frames: number;
  bytes: number;
}

export interface RunDiff {
  receivers: ReceiverDiff[];
  bytes: ByteDiff[];
  wire: Record<Side, WireTotals>;
}

/**
 * Devices the two designs share, by id: the same place in both networks, whatever its kind (the
 * spine is a VLAN switch in one design and a router in the other). A device only one design has
 * (a hub, and a bridge in its place) is the difference itself, not a receiver to compare.
 */
export function sharedDevices(a: Scenario, b: Scenario): Set<string> {
  const ids = new Set(b.devices.map((d) => d.id));
  return new Set(a.devices.filter((d) => ids.has(d.id)).map((d) => d.id));
}

/** Each action's receives by each device, by action id then device id, in trace order. */
export function receptionsByAction(trace: readonly TraceEvent[]): Map<number, Map<string, TraceEvent[]>> {
  const out = new Map<number, Map<string, TraceEvent[]>>();
  for (const e of trace) {
    if (e.kind !== 'receive' || e.actionId === undefined) continue;
    let devices = out.get(e.actionId);
    if (!devices) out.set(e.actionId, (devices = new Map()));
    const list = devices.get(e.device);
    if (list) list.push(e);
    else devices.set(e.device, [e]);
  }
  return out;
}

const sum = (events: readonly TraceEvent[]) => events.reduce((n, e) => n + (e.frame?.length ?? 0), 0);

const RELAYS: ReadonlySet<TraceKind> = new Set<TraceKind>(['flood', 'forward', 'filter']);
const ENDS: ReadonlySet<TraceKind> = new Set<TraceKind>(['drop', 'deliver']);

/** The decision that put a received frame on its cable: receive ← transmit ← decision (a flood, a forward); undefined for a host's own send. */
function upstreamDecision(trace: readonly TraceEvent[], received: TraceEvent): TraceEvent | undefined {
  const transmit = received.cause !== undefined ? trace[received.cause] : undefined;
  const decision = transmit?.cause !== undefined ? trace[transmit.cause] : undefined;
  return decision && (RELAYS.has(decision.kind) || decision.kind === 'deliver') ? decision : undefined;
}

/** What the other run decided about the same action at the same moment: a relay's decision, else a drop or delivery, else nothing. */
function decisionAt(trace: readonly TraceEvent[], actionId: number, time: number): TraceEvent | undefined {
  let end: TraceEvent | undefined;
  for (const e of trace) {
    if (e.actionId !== actionId || e.time !== time) continue;
    if (RELAYS.has(e.kind)) return e;
    if (!end && ENDS.has(e.kind)) end = e;
  }
  return end;
}

function labelOf(sim: Simulation, actionId: number): string {
  return sim.state.actions[actionId]?.label ?? `action ${actionId}`;
}

/** The first offset where two byte arrays differ, or -1 when they are equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function wireTotals(trace: readonly TraceEvent[]): WireTotals {
  let frames = 0;
  let bytes = 0;
  for (const e of trace) {
    if (e.kind !== 'transmit' || !e.frame) continue;
    frames++;
    bytes += e.frame.length;
  }
  return { frames, bytes };
}

/**
 * Compares two runs of the same traffic as far as each has gone. Actions are matched by id: both
 * runs register the script's actions first, in order, and the reader's sends go to both at once.
 */
export function diffRuns(a: Simulation, b: Simulation): RunDiff {
  const traces: Record<Side, readonly TraceEvent[]> = { a: a.trace, b: b.trace };
  const shared = sharedDevices(a.scenario, b.scenario);
  const got: Record<Side, Map<number, Map<string, TraceEvent[]>>> = { a: receptionsByAction(traces.a), b: receptionsByAction(traces.b) };
  const receivers: ReceiverDiff[] = [];
  const bytes: ByteDiff[] = [];
  const actionIds = [...new Set([...got.a.keys(), ...got.b.keys()])].sort((x, y) => x - y);
  for (const actionId of actionIds) {
    if (!a.state.actions[actionId] || !b.state.actions[actionId]) continue;
    const inA = got.a.get(actionId) ?? new Map<string, TraceEvent[]>();
    const inB = got.b.get(actionId) ?? new Map<string, TraceEvent[]>();
    for (const device of shared) {
      const ra = inA.get(device);
      const rb = inB.get(device);
      if (ra && rb) {
        const at = firstDifference(ra[0]!.frame!, rb[0]!.frame!);
        const frames = { a: ra.length, b: rb.length };
        const total = { a: sum(ra), b: sum(rb) };
        if (at >= 0 || frames.a !== frames.b || total.a !== total.b) bytes.push({ actionId, label: labelOf(a, actionId), device, frames, bytes: total, firstDifference: at });
        continue;
      }
      const received = (ra ?? rb)?.[0];
      if (!received) continue;
      const side: Side = ra ? 'a' : 'b';
      const other: Side = side === 'a' ? 'b' : 'a';
      const decision = upstreamDecision(traces[side], received);
      const there = decision ? decisionAt(traces[other], actionId, decision.time) : undefined;
      const why = { [side]: decision?.text ?? 'it was sent the frame directly.', [other]: there?.text ?? 'nothing reached that point.' } as Record<Side, string>;
      receivers.push({ actionId, label: labelOf(a, actionId), device, in: side, time: received.time, why });
    }
  }
  return { receivers, bytes, wire: { a: wireTotals(traces.a), b: wireTotals(traces.b) } };
}

/** "C", "C and D", "B, C and D". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function trimStop(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

/**
 * The difference in words, for the summary line: the latest action whose receivers differ ("B
 * answers A: C and D received the frame in A (hub repeats…), not in B (br0 forwards…)."), else
 * what differs on the wire, else that nothing does yet.
 */
export function summarize(diff: RunDiff, name: (id: string) => string, labels: Record<Side, string> = { a: 'design A', b: 'design B' }): string {
  const latest = diff.receivers.at(-1);
  if (latest) {
    const same = diff.receivers.filter((r) => r.actionId === latest.actionId && r.in === latest.in && r.why[r.in] === latest.why[latest.in]);
    const other: Side = latest.in === 'a' ? 'b' : 'a';
    const who = listOf(same.map((r) => name(r.device)));
    return `${latest.label}: ${who} received the frame in ${labels[latest.in]} (${trimStop(latest.why[latest.in])}), not in ${labels[other]} (${trimStop(latest.why[other])}).`;
  }
  const { a, b } = diff.wire;
  const bytesDiff = diff.bytes.at(-1);
  if (bytesDiff) {
    const { frames, bytes } = bytesDiff;
    return `${bytesDiff.label}: ${name(bytesDiff.device)} received ${frames.a} ${frames.a === 1 ? 'frame' : 'frames'} (${bytes.a} bytes) in ${labels.a} and ${frames.b} (${bytes.b} bytes) in ${labels.b}${bytesDiff.firstDifference >= 0 ? `; the first ones differ from byte ${bytesDiff.firstDifference} on` : ''}.`;
  }
  if (a.frames !== b.frames || a.bytes !== b.bytes) {
    return `The same devices received the same frames so far; ${labels.a} put ${a.frames} frames (${a.bytes} bytes) on the wire, ${labels.b} ${b.frames} (${b.bytes} bytes).`;
  }
  return a.frames === 0 ? 'Step or play: both designs run the same traffic.' : 'No difference so far: the same devices received the same frames.';
}

/** The key of a MAC table row, the same in both runs when the row is: its table's name, MAC, port and VLAN (not its age). */
export function macRowKey(table: Pick<TableView<MacRowView>, 'name'>, row: MacRowView): string {
  return `${table.name}|${row.mac}|${row.port}|${row.vlan}`;
}

export function arpRowKey(table: Pick<TableView<ArpRowView>, 'name'>, row: ArpRowView): string {
  return `${table.name}|${row.ip}|${row.mac}|${row.dev}`;
}

/** Rows of `mine` (by key) that `theirs` lacks: what one run's tables hold and the other's do not. */
export function rowsOnlyIn<Row>(mine: readonly TableView<Row>[], theirs: readonly TableView<Row>[], key: (table: TableView<Row>, row: Row) => string): Set<string> {
  const other = new Set<string>();
  for (const t of theirs) for (const r of t.rows) other.add(key(t, r));
  const only = new Set<string>();
  for (const t of mine) for (const r of t.rows) {
    const k = key(t, r);
    if (!other.has(k)) only.add(k);
  }
  return only;
}
