// A run summarised for people and programs: per action, whether it got through, which devices
// received which frames and what each did with them; then the final tables. The CLI prints it.

import type { Simulation } from './engine/simulation';
import type { Halt } from './engine/state';
import { arpCache, macTables as allMacTables, routingTable, type ArpCacheRow, type MacTableRow, type RouteRow } from './tables';
import type { TraceEvent, TraceKind } from './trace';
import { summaryOf } from './narrate';

export interface Reception {
  time: number;
  port: string;
  frame: string;
  /** What the device did: deliver, drop, flood, forward or filter. */
  did: TraceKind;
  reason: string;
  why: string;
  /**
   * Set when a bridge both flooded the frame (`did`) and passed a copy up to its own interface (a
   * broadcast, a multicast): what the stack behind that interface did with the copy.
   */
  stack?: { did: TraceKind; reason: string; why: string };
}

export interface ActionReport {
  id: number;
  label: string;
  at: number;
  /** "stopped": it finished well, but the run halted with its frames still on the cables (Simulation.actionStatus). */
  outcome: 'ok' | 'failed' | 'stopped' | 'unfinished';
  result: string | null;
  /** Ping/ARP: answered. Raw frame: accepted by at least one other device. */
  delivered: boolean;
  /** Devices that accepted a frame of this action as their own. */
  deliveredTo: string[];
  receivedBy: Record<string, Reception[]>;
}

export interface ScenarioReport {
  scenario: { id: string; title: string };
  actions: ActionReport[];
  /** Bridge and switch boxes' MAC tables by device id, and each bridge net device's in a namespace by "<device> <bridge>". */
  macTables: Record<string, MacTableRow[]>;
  arpCaches: Record<string, ArpCacheRow[]>;
  /** Routers' routing tables (`ip route`). */
  routingTables: Record<string, RouteRow[]>;
  halted: Halt | null;
  stats: { steps: number; events: number; time: number };
}

/**
 * An object keyed by device ids for the JSON report, without a prototype: a device called
 * "__proto__" or "toString" becomes an ordinary key, and a lookup of a missing id finds nothing.
 */
function byDevice<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

const DECISIONS: ReadonlySet<TraceKind> = new Set<TraceKind>(['deliver', 'drop', 'flood', 'forward', 'filter']);

/**
 * A bridge handing a frame to its own interface (br_pass_frame_up): a 'deliver' whose reason is
 * the bridge's (its FDB's local entry, a broadcast, a multicast). Not what the device finally did:
 * the stack behind that interface then takes, routes or drops the frame.
 */
export function isPassUp(event: TraceEvent): boolean {
  return event.kind === 'deliver' && (event.reason === 'fdb-hit' || event.reason === 'broadcast' || event.reason === 'multicast');
}

/**
 * For each 'receive' event, the decision it caused: the first deliver, drop, flood, forward or
 * filter whose `cause` is that receive (what the device did with the frame); when that is a bridge
 * passing the frame up to its own interface, what that interface's stack then did instead (a
 * namespace that routes a packet its br0 took has forwarded it, not kept it). Such events follow
 * their receive in the same step, so the search stops at the step's end.
 */
export function receptions(trace: readonly TraceEvent[]): Array<{ received: TraceEvent; decision: TraceEvent | undefined; stack?: TraceEvent }> {
  const out: Array<{ received: TraceEvent; decision: TraceEvent | undefined; stack?: TraceEvent }> = [];
  trace.forEach((event, i) => {
    if (event.kind !== 'receive') return;
    let decision: TraceEvent | undefined;
    let stack: TraceEvent | undefined;
    // After a flood, a pass-up of the same frame may follow (a broadcast is both): its stack's decision is `stack`.
    let passedUp = false;
    for (let j = i + 1; j < trace.length && trace[j]!.step === event.step; j++) {
      const next = trace[j]!;
      if (next.cause !== event.index || !DECISIONS.has(next.kind)) continue;
      if (decision === undefined || isPassUp(decision)) {
        decision = next;
        if (!isPassUp(next) && next.kind !== 'flood') break;
      } else if (isPassUp(next)) {
        passedUp = true;
      } else if (passedUp) {
        stack = next;
        break;
      }
    }
    out.push(stack === undefined ? { received: event, decision } : { received: event, decision, stack });
  });
  return out;
}

export function buildReport(sim: Simulation): ScenarioReport {
  const state = sim.state;
  // Receptions grouped by action once, instead of walking them all for every action.
  const byAction = new Map<number, Array<{ received: TraceEvent; decision: TraceEvent | undefined; stack?: TraceEvent }>>();
  for (const reception of receptions(sim.trace)) {
    const id = reception.received.actionId;
    if (id === undefined) continue;
    const list = byAction.get(id);
    if (list) list.push(reception);
    else byAction.set(id, [reception]);
  }
  const actions: ActionReport[] = Object.values(state.actions).map((record) => {
    const receivedBy = byDevice<Reception[]>();
    const deliveredTo = new Set<string>();
    for (const { received, decision, stack } of byAction.get(record.id) ?? []) {
      const list = (receivedBy[received.device] ??= []);
      const reception: Reception = {
        time: received.time,
        port: received.port ?? '',
        frame: summaryOf(received.frame!),
        did: decision?.kind ?? 'drop',
        reason: decision?.reason ?? 'unknown',
        why: decision?.text ?? '',
      };
      if (stack !== undefined) reception.stack = { did: stack.kind, reason: stack.reason, why: stack.text };
      list.push(reception);
      if (decision?.kind === 'deliver' || stack?.kind === 'deliver') deliveredTo.add(received.device);
    }
    const status = sim.actionStatus(record.id);
    const outcome = record.outcome ? (status === 'stopped' ? 'stopped' : record.outcome.ok ? 'ok' : 'failed') : 'unfinished';
    const others = [...deliveredTo].filter((d) => d !== record.action.from);
    const delivered = record.action.do === 'raw' ? others.length > 0 : outcome === 'ok';
    return { id: record.id, label: record.label, at: record.at, outcome, result: record.outcome?.text ?? null, delivered, deliveredTo: [...deliveredTo], receivedBy };
  });
  const macTables = byDevice<MacTableRow[]>();
  const arpCaches = byDevice<ArpCacheRow[]>();
  const routingTables = byDevice<RouteRow[]>();
  // Bridge boxes by id; a bridge net device inside a namespace as "<device> <bridge>" ("server br0").
  for (const [key, table] of allMacTables(state)) macTables[key] = table;
  for (const id of state.deviceOrder) {
    const cache = arpCache(state, id);
    if (cache) arpCaches[id] = cache;
    const routes = state.devices.get(id)!.kind === 'router' ? routingTable(state, id) : null;
    if (routes) routingTables[id] = routes;
  }
  return {
    scenario: { id: sim.scenario.id, title: sim.scenario.title },
    actions,
    macTables,
    arpCaches,
    routingTables,
    halted: state.halted,
    stats: { steps: state.step, events: sim.trace.length, time: state.time },
  };
}
