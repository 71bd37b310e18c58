// The whole simulation state as plain data (no classes, no functions), so that a snapshot is one
// structuredClone and stepping back restores every table and every frame in flight exactly.
// Every table keyed by a name a scenario chooses (device ids, port names, "device:port") is a
// Map: a device or port called "constructor" or "__proto__" must never meet Object.prototype.

import type { TrafficAction } from '../scenario/format';
import type { BridgeState } from '../devices/learning-bridge';
import type { HostState, HostTimer } from '../devices/host';
import type { HubState } from '../devices/hub';

export type DeviceState = HostState | HubState | BridgeState;

/** A copy of a frame on a cable, due to arrive at `device:port` at `time`. */
export interface FrameArrival {
  type: 'arrival';
  time: number;
  seq: number;
  frameId: number;
  /** The frame a host first sent; copies made by hubs and bridges keep it (storm detection). */
  originId: number;
  actionId?: number;
  device: string;
  port: string;
  from: { device: string; port: string };
  link: number;
  bytes: Uint8Array;
}

export interface TimerItem {
  type: 'timer';
  time: number;
  seq: number;
  device: string;
  actionId?: number;
  timer: HostTimer;
}

export interface ActionItem {
  type: 'action';
  time: number;
  seq: number;
  actionId: number;
}

export type QueueItem = FrameArrival | TimerItem | ActionItem;

export interface LinkState {
  a: { device: string; port: string };
  b: { device: string; port: string };
  /** Propagation delay in milliseconds. */
  delay: number;
}

/** What became of one frame a host sent, counting every copy hubs and bridges made of it. */
export interface OriginRecord {
  /** "link>sending endpoint" for every cable crossing; a repeat means the frame went round a loop. */
  crossings: Set<string>;
  copies: number;
  inFlight: number;
  loopReported: boolean;
}

export interface ActionRecord {
  id: number;
  action: TrafficAction;
  label: string;
  at: number;
  /** Set when the action is finished: a ping answered or given up, a frame sent. */
  outcome?: { ok: boolean; time: number; text: string };
}

export interface Halt {
  reason: 'broadcast-storm' | 'event-budget';
  time: number;
  text: string;
}

export interface SimState {
  time: number;
  /** Steps processed so far. */
  step: number;
  /** Tie-breaker for queue items due at the same time: first scheduled, first processed. */
  seq: number;
  nextFrameId: number;
  nextActionId: number;
  /** Binary min-heap ordered by (time, seq). */
  queue: QueueItem[];
  devices: Map<string, DeviceState>;
  // The topology: fixed once buildState made it, so snapshots share it instead of copying it
  // (see snapshotState). Never changed during a run.
  /** Device ids in scenario order (iteration order must not depend on object key order). */
  readonly deviceOrder: readonly string[];
  readonly links: readonly LinkState[];
  /** "device:port" → index into links. */
  readonly portLinks: ReadonlyMap<string, number>;
  /** By the id of the frame a host first sent. */
  origins: Map<number, OriginRecord>;
  /** By action id (a number the engine assigns, never a name). */
  actions: Record<number, ActionRecord>;
  halted: Halt | null;
  /** State of the seeded pseudo-random generator (mulberry32). */
  rng: number;
}

/**
 * A copy of the state that shares nothing mutable with it. What no step ever changes is shared,
 * not copied: the topology (deviceOrder, links, portLinks), queue items (never changed once
 * queued; frames' bytes are read-only) and each action's spec. The rest is one structuredClone,
 * with action records copied one level (a step only sets a record's `outcome`, once). In a
 * 2,000-host fabric, a storm with thousands of frames in flight, or a script of 1,000 actions,
 * that is most of what a snapshot would otherwise copy.
 */
export function snapshotState(state: Readonly<SimState>): SimState {
  const { deviceOrder, links, portLinks, queue, actions, ...changing } = state;
  const records: Record<number, ActionRecord> = {};
  for (const id in actions) records[id] = { ...actions[id]! };
  return { ...structuredClone(changing), queue: [...queue], actions: records, deviceOrder, links, portLinks };
}
