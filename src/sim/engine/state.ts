// The whole simulation state as plain data (no classes, no functions), so that a snapshot is a
// plain copy and stepping back restores every table and every frame in flight exactly.
// Every table keyed by a name a scenario chooses (device ids, port names, "device:port") is a
// Map: a device or port called "constructor" or "__proto__" must never meet Object.prototype.

import type { DeviceState } from '../devices/registry';
import type { TrafficAction } from '../scenario/format';
import { copyQueue, type EventQueue } from './event-queue';
import { newBytes } from '../wire/bytes';

export type { DeviceState };

/** A copy of a frame on a cable, due to arrive at `device:port` at `time`. */
export interface FrameArrival {
  type: 'arrival';
  time: number;
  seq: number;
  frameId: number;
  /**
   * The key of this frame's loop record (state.origins): the frame a host first sent, or a router
   * last forwarded; copies made by hubs and bridges keep it (storm detection).
   */
  originId: number;
  /** The frame a host first sent: relayed copies and routed frames keep it (the trace's `origin`). */
  origin: number;
  /** The index of the transmit event that put this copy on the cable (its receive's cause). */
  cause: number;
  /** Always set (undefined: no action), so that every arrival has one shape (V8 keeps the code that reads them monomorphic). */
  actionId: number | undefined;
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
  /** Always set (undefined: no action), as FrameArrival's. */
  actionId: number | undefined;
  /** The event after which the timer was set: the cause of what the timer does (none: -1). */
  cause: number;
  /** What the device scheduled: opaque to the engine, handed back to its device type's timer hook. */
  timer: unknown;
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
  /**
   * The ports with a link of the device at each end (devicePorts' entries, shared): what the
   * engine hands a device receiving a frame from this link, without a lookup by device id per hop.
   */
  portsA: ReadonlyMap<string, number>;
  portsB: ReadonlyMap<string, number>;
  /** The DeviceTable slot of the device at each end (the same in every copy of the state). */
  slotA: number;
  slotB: number;
  /**
   * True for a cable between physical NICs, whose sender pads a short frame to 60 bytes on the
   * wire (eth_skb_pad in the driver, or the hardware); false for a veth pair, which carries the
   * frame as the stack handed it (veth_xmit pads nothing).
   */
  pads: boolean;
}

/** What became of one frame a host sent, counting every copy hubs and bridges made of it. */
/** How many crossings an origin record lists before it keeps a bitmap of every link instead. */
export const FEW_CROSSINGS = 32;

/**
 * Records that a copy of a frame crosses `crossing` (2 × link index + direction) and says whether
 * one crossed it that way before (a loop). `links` is the topology's link count.
 */
export function crossedBefore(record: OriginRecord, crossing: number, links: number): boolean {
  const bit = 1 << (crossing & 7);
  const bits = record.crossings;
  if (bits !== null) {
    const seen = (bits[crossing >> 3]! & bit) !== 0;
    bits[crossing >> 3]! |= bit;
    return seen;
  }
  const few = record.few;
  // The first two crossings make a list of their length (the record starts with NO_CROSSINGS): a
  // list grown by push from empty had room for 16, and most records list one or two crossings (a
  // routed hop starts a record of its own: a host's or a router's cable, then a switch's).
  if (few.length === 0) {
    record.few = [crossing];
    return false;
  }
  if (few.length === 1) {
    if (few[0] === crossing) return true;
    record.few = [few[0]!, crossing];
    return false;
  }
  if (few.includes(crossing)) return true;
  if (few.length < FEW_CROSSINGS) {
    few.push(crossing);
    return false;
  }
  const map = takeCrossings((2 * links + 7) >> 3);
  for (const seen of few) map[seen >> 3]! |= 1 << (seen & 7);
  map[crossing >> 3]! |= bit;
  record.crossings = map;
  record.few = NO_CROSSINGS;
  return false;
}

/** The crossings of a record that lists none (a new one, or one that keeps a bitmap): shared, never changed. */
export const NO_CROSSINGS: number[] = Object.freeze([]) as unknown as number[];

/**
 * The bitmaps of loop records that are gone (releaseCrossings), for the next record that needs one:
 * a typed array of its own costs a backing store outside the heap, and so does each block newBytes
 * takes (about 6 µs each in Node 24, with its freeing); the stretched VLAN's 9,776 flooded answers
 * took one each, 7% of its run's profile. Only a live state's records hold them (a snapshot copies
 * its own, and a restore copies the snapshot's).
 */
const spareCrossings: Uint8Array[] = [];
const MAX_SPARE_CROSSINGS = 256;

/** A zeroed bitmap of `length` bytes: a spare one cleared, else a new one. */
function takeCrossings(length: number): Uint8Array {
  const spare = spareCrossings.pop();
  if (spare !== undefined && spare.length === length) return spare.fill(0);
  return newBytes(length);
}

/** Gives the bitmap of a loop record that the state drops (no copy in flight) back for takeCrossings. */
export function releaseCrossings(record: OriginRecord): void {
  const bits = record.crossings;
  if (bits === null) return;
  record.crossings = null;
  if (spareCrossings.length < MAX_SPARE_CROSSINGS) spareCrossings.push(bits);
}

export interface OriginRecord {
  /**
   * Every cable crossing, as 2 × link index + (0 from end a, 1 from end b); a crossing seen twice
   * means the frame went round a loop. The first FEW_CROSSINGS are a short list (most frames cross
   * a handful of cables, and a bitmap of every link per frame made a 20,000-link topology allocate
   * kilobytes per frame); past them, a bitmap, one bit per crossing, not a Set: a flood through
   * thousands of cables is copied by every snapshot, and a bitmap copies in one go.
   */
  few: number[];
  crossings: Uint8Array | null;
  copies: number;
  inFlight: number;
  loopReported: boolean;
}

/** Never changed once made (snapshots share them): finishing an action replaces its record. */
export interface ActionRecord {
  readonly id: number;
  readonly action: TrafficAction;
  readonly label: string;
  readonly at: number;
  /** Set when the action is finished: a ping answered or given up, a frame sent. */
  readonly outcome?: { readonly ok: boolean; readonly time: number; readonly text: string };
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
  /**
   * Trace events emitted so far: the index of the next one. Counted even when nobody records the
   * trace (a replay after a step back), so that causes are the same indices whichever way a state
   * was reached.
   */
  emitted: number;
  /** Ordered by (time, seq) (event-queue.ts). May hold cancelled timers, never as its next item. */
  queue: EventQueue;
  /**
   * Arrivals already handled, for the next frames put on a cable to reuse (engine.ts transmitOn):
   * a hop then allocates nothing. Only a state that no snapshot shares queue items with has one
   * (a run without history). Not enumerable: a copy (snapshotState's spread) never takes it, and
   * comparing two states ignores it.
   */
  spareArrivals?: FrameArrival[];
  /** Each device's timers still due (not fired, not cancelled), in the order they were set. */
  timers: Map<string, readonly TimerItem[]>;
  /** The seq of every cancelled timer still in the queue: skipped when it is next. */
  cancelled: Set<number>;
  /** By device id: a DeviceTable, whose copy (a snapshot's) is one array copy, not a rebuilt Map. */
  devices: DeviceTable;
  // The topology: fixed once buildState made it, so snapshots share it instead of copying it
  // (see snapshotState). Never changed during a run.
  /** Device ids in scenario order (iteration order must not depend on object key order). */
  readonly deviceOrder: readonly string[];
  readonly links: readonly LinkState[];
  /** Index into links by device, then port: what a transmit looks up. */
  readonly devicePorts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** By the id of the frame a host first sent. */
  origins: Map<number, OriginRecord>;
  /** By action id (a number the engine assigns, never a name). */
  actions: Record<number, ActionRecord>;
  halted: Halt | null;
  /** State of the seeded pseudo-random generator (mulberry32). */
  rng: number;
}

/**
 * The devices of a state by id, read as a Map is (get, has, size, iteration in scenario order). Ids
 * and their slots are the topology's, fixed when the state is built and shared by every copy; a copy
 * copies only the array of device states (a few µs for thousands of devices, where copying a Map
 * rehashes every entry). Only an existing id can be set: a run never adds a device.
 */
export class DeviceTable implements Iterable<[string, DeviceState]> {
  /**
   * Copy on write: which slots hold a device this table may change in place. Undefined while the
   * table never took part in a copy (it shares nothing); after a copy, a slot is 0 until
   * writableAt copies its device. Private (#): two states holding the same devices are equal
   * whatever their history of copies, and a structured clone of a state leaves it out.
   */
  #owned: Uint8Array | undefined = undefined;

  private constructor(
    private readonly slotOf: ReadonlyMap<string, number>,
    private readonly ids: readonly string[],
    private readonly slots: DeviceState[],
  ) {}

  /** The devices of a new state, in scenario order. */
  static of(devices: ReadonlyArray<readonly [string, DeviceState]>): DeviceTable {
    const slotOf = new Map<string, number>();
    devices.forEach(([id], slot) => slotOf.set(id, slot));
    if (slotOf.size !== devices.length) throw new Error('DeviceTable: two devices share an id');
    return new DeviceTable(slotOf, Object.freeze(devices.map(([id]) => id)), devices.map(([, device]) => device));
  }

  get size(): number {
    return this.ids.length;
  }
  get(id: string): DeviceState | undefined {
    const slot = this.slotOf.get(id);
    return slot === undefined ? undefined : this.slots[slot];
  }
  has(id: string): boolean {
    return this.slotOf.has(id);
  }
  /** Where device `id` is kept: the same in every copy, so the engine can work it out once per link end. */
  slot(id: string): number | undefined {
    return this.slotOf.get(id);
  }
  /** The device in `slot`, to read (it may be shared with a snapshot: never change it). */
  at(slot: number): DeviceState {
    return this.slots[slot]!;
  }
  /** The device in `slot`, safe to change: a copy replaces it first if a snapshot shares it. */
  writableAt(slot: number): DeviceState {
    const owned = this.#owned;
    const device = this.slots[slot]!;
    if (owned === undefined || owned[slot] === 1) return device;
    const copy = deepCopy(device);
    this.slots[slot] = copy;
    owned[slot] = 1;
    return copy;
  }
  keys(): IterableIterator<string> {
    return this.ids[Symbol.iterator]();
  }
  values(): IterableIterator<DeviceState> {
    return this.slots[Symbol.iterator]();
  }
  *entries(): IterableIterator<[string, DeviceState]> {
    for (let i = 0; i < this.ids.length; i++) yield [this.ids[i]!, this.slots[i]!];
  }
  [Symbol.iterator](): IterableIterator<[string, DeviceState]> {
    return this.entries();
  }
  /**
   * A table that shares every device state with this one. From then on both copy a device before
   * changing it (writableAt), so that neither sees the other's changes.
   */
  copy(): DeviceTable {
    this.#owned = new Uint8Array(this.ids.length);
    const copy = new DeviceTable(this.slotOf, this.ids, this.slots.slice());
    copy.#owned = new Uint8Array(this.ids.length);
    return copy;
  }
}

/** The device `id` of `state`, safe to change: a copy replaces it first if a snapshot shares it (DeviceTable.writableAt). */
export function writableDevice(state: SimState, id: string): DeviceState | undefined {
  const slot = state.devices.slot(id);
  return slot === undefined ? undefined : state.devices.writableAt(slot);
}

/**
 * Freezes the parts of a new device's state that are plain data all the way down (its
 * configuration: interfaces, port lists, routes), so that copies of the device share them (see
 * deepCopy); a step that tried to change one would throw instead of corrupting a snapshot. The
 * device object itself and anything holding a Map, a Set or bytes (its tables) stay mutable.
 */
export function freezeConfiguration(device: DeviceState): void {
  for (const key in device) freezePlain((device as unknown as Record<string, unknown>)[key]);
}

/** Freezes `value` if it holds only arrays, plain objects and primitives (its plain parts if not); says whether it did. */
function freezePlain(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function';
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return false;
  let plain = true;
  if (Array.isArray(value)) {
    // An index loop: for-in over a long array (a bridge's 4,095 ports) is much slower.
    for (let i = 0; i < value.length; i++) if (!freezePlain(value[i])) plain = false;
  } else {
    for (const key in value) if (!freezePlain((value as Record<string, unknown>)[key])) plain = false;
  }
  if (plain) Object.freeze(value);
  return plain;
}

/**
 * A deep copy of plain data: objects, arrays, Maps, Sets, byte arrays and primitives. Anything
 * else (a class instance, a function) throws, so that a device state that is not plain data
 * fails the tests instead of being shared by mistake.
 */
export function deepCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function') throw new Error('deepCopy: a function in the simulation state cannot be snapshotted');
    return value;
  }
  // Configuration frozen at build time (freezeConfiguration) is shared, never copied.
  if (Object.isFrozen(value)) return value;
  // Primitives are copied inline, without a call: most of what a device holds (FDB entries, ARP entries) is flat records.
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      out[i] = typeof v === 'object' || typeof v === 'function' ? deepCopy(v) : v;
    }
    return out as T;
  }
  if (value instanceof Map) {
    const out = new Map();
    for (const [k, v] of value) out.set(k, typeof v === 'object' || typeof v === 'function' ? deepCopy(v) : v);
    return out as T;
  }
  if (value instanceof Set) {
    const out = new Set();
    for (const v of value) out.add(typeof v === 'object' || typeof v === 'function' ? deepCopy(v) : v);
    return out as T;
  }
  if (value instanceof Uint8Array) return new Uint8Array(value) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) throw new Error(`deepCopy: a ${value.constructor?.name ?? 'non-plain'} object in the simulation state cannot be snapshotted`);
  // A spread copies a record in one go (about twice as fast as key by key); then only what is
  // neither primitive nor frozen configuration is replaced by its own copy.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in out) {
    const v = out[key];
    if ((typeof v === 'object' && v !== null && !Object.isFrozen(v)) || typeof v === 'function') out[key] = deepCopy(v);
  }
  return out as T;
}

/**
 * A copy of the state that the original's later steps cannot change, and that cannot change the
 * original. Top-level fields are copied by a spread, so none can be forgotten; then every field
 * a step changes in place gets its own copy: the queue (an array; its items are never changed
 * once queued, and frames' bytes are read-only), the devices (a Map whose states both then share
 * and copy on write, see writableDevice), each device's pending timers and the cancelled ones,
 * the origin records (counters and a set of crossings) and the table of action records (a step
 * replaces a record when the action finishes). What no step changes is shared: the topology
 * (deviceOrder, links, devicePorts), each action record, the halt (replaced, never
 * changed). tests/sim/snapshot.test.ts checks that a snapshot stays as it was while the run goes
 * on, for every chapter scenario.
 */
export function snapshotState(state: Readonly<SimState>): SimState {
  // From now on the snapshot shares the queue's items: the state stops reusing handled ones.
  if (state.spareArrivals !== undefined) (state as SimState).spareArrivals = undefined;
  // From now on both states share every device: each copies one before changing it (DeviceTable.copy).
  const origins = new Map<number, OriginRecord>();
  for (const [id, record] of state.origins) origins.set(id, { ...record, few: record.few.slice(), crossings: record.crossings === null ? null : record.crossings.slice() });
  // The records themselves are shared: a step replaces a record, never changes one.
  const actions: Record<number, ActionRecord> = { ...state.actions };
  // Each device's list is replaced, never changed (engine.ts setTimer, cancelTimers, forgetTimer): shared.
  const timers = new Map(state.timers);
  const copy: SimState = { ...state, queue: copyQueue(state.queue), timers, cancelled: new Set(state.cancelled), devices: state.devices.copy(), origins, actions };
  return copy;
}
