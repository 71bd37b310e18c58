// The trace a Simulation keeps, stored by column: one typed array per number (cause, origin, …),
// names (devices, ports, kinds, reasons) as indices into tables, and plain arrays only for what is
// an object anyway (the frame's bytes, a sentence's values). An event becomes a TraceEvent object only
// when something reads it. Millions of events are then a few flat arrays instead of millions of
// objects: a long run keeps about a quarter of the memory, and full garbage collections (which a
// step back on a long trace would otherwise meet) have little to walk. What the events of a step
// share (step number, time, and most often action and origin) is kept once per step.
//
// Columns grow by whole chunks, never by copying: on a machine where fresh memory is slow to touch
// (a VM that backs its pages lazily), a run pays for the memory it keeps and nothing more.

import { TracedEvent } from '../narrate';
import type { RawEvent } from './engine';
import type { ReasonCode, TraceArgs, TraceEvent, TraceKind } from '../trace';

/** A number column's "absent" (frame ids, action ids, causes, origins and table indices are never negative). */
const NONE = -1;

/**
 * Events per chunk: 2^14, so that an index splits into chunk and offset by a shift and a mask; a
 * chunk is about 400 KB, small enough that a short run (a chapter's, one broadcast) allocates little.
 */
const CHUNK_BITS = 14;
export const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/** A Log's chunk: 4,096 references (32 KB). */
const LOG_BITS = 12;
const LOG_CHUNK = 1 << LOG_BITS;
const LOG_MASK = LOG_CHUNK - 1;

/**
 * Interns strings, or objects by identity, as small integers in first-seen order: names, and the
 * objects many events share (the frame a flood's copies and their receivers all point at, a host's
 * one "not for me" args), a 4-byte index per event instead of an 8-byte reference.
 */
class Table<T> {
  private readonly ids = new Map<T, number>();
  readonly values: T[] = [];
  /**
   * The two values asked for last, and their ids: events in a row are often about one device and
   * port, and the kinds and reasons of a flood's events alternate (a host's receive, its drop).
   */
  private last: T | undefined = undefined;
  private lastId = NONE;
  private previous: T | undefined = undefined;
  private previousId = NONE;
  /** `limit`: how many values the column's type holds (kinds and reasons are a byte each). */
  constructor(private readonly limit = 2 ** 31) {}
  id(value: T): number {
    if (value === this.last) return this.lastId;
    let id: number | undefined;
    if (value === this.previous) id = this.previousId;
    else {
      id = this.ids.get(value);
      if (id === undefined) {
        id = this.values.length;
        if (id === this.limit) throw new Error(`TraceStore: more than ${this.limit} distinct values in a column`);
        this.ids.set(value, id);
        this.values.push(value);
      }
    }
    this.previous = this.last;
    this.previousId = this.lastId;
    this.last = value;
    this.lastId = id;
    return id;
  }
  /** id(), with NONE for an event that has no such value. */
  idOf(value: T | undefined): number {
    return value === undefined ? NONE : this.id(value);
  }
  /** The value of an id idOf gave (undefined for NONE). */
  at(id: number): T | undefined {
    return id === NONE ? undefined : this.values[id];
  }
}

/**
 * Objects events point at, numbered as Table numbers them but without looking them up: a value that
 * is neither of the two asked for last is appended, even if it was met before (it then has two ids).
 * For objects events share mostly with the events just before (a frame, which a flood's transmits
 * and receives all carry) or with no event nearby (a host's args in a flood), that costs a few bytes
 * per miss and saves a hash lookup per event. Kept in chunks of LOG_CHUNK, each made at its full
 * size: a long run adds chunks without ever copying what it has (a growing array copies itself),
 * and a chunk stays small enough for the collector's ordinary pages (an array of 16,384 references
 * would be a large object, given memory of its own at each growth).
 */
class Log<T> {
  private readonly chunks: T[][] = [];
  private length = 0;
  private last: T | undefined = undefined;
  private lastId = NONE;
  private previous: T | undefined = undefined;
  private previousId = NONE;
  /** The id of `value` (NONE for undefined). */
  idOf(value: T | undefined): number {
    if (value === undefined) return NONE;
    if (value === this.last) return this.lastId;
    let id: number;
    if (value === this.previous) id = this.previousId;
    else {
      id = this.length++;
      if ((id & LOG_MASK) === 0) this.chunks.push(new Array<T>(LOG_CHUNK));
      this.chunks[id >>> LOG_BITS]![id & LOG_MASK] = value;
    }
    this.previous = this.last;
    this.previousId = this.lastId;
    this.last = value;
    this.lastId = id;
    return id;
  }
  at(id: number): T | undefined {
    return id === NONE ? undefined : this.chunks[id >>> LOG_BITS]![id & LOG_MASK];
  }
}

/** Values few events have (a sentence given ready, the ports of a flood), as (event index, value) pairs in index order. */
class Sparse<T> {
  private readonly at: number[] = [];
  private readonly values: T[] = [];
  set(index: number, value: T): void {
    this.at.push(index);
    this.values.push(value);
  }
  get(index: number): T | undefined {
    const { at } = this;
    if (at.length === 0) return undefined;
    let low = 0;
    let high = at.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (at[mid]! < index) low = mid + 1;
      else high = mid;
    }
    return at[low] === index ? this.values[low] : undefined;
  }
  /** Forgets the values of events at `length` and after. */
  truncate(length: number): void {
    let n = this.at.length;
    while (n > 0 && this.at[n - 1]! >= length) n--;
    this.at.length = n;
    this.values.length = n;
  }
}

/**
 * A table index in a 16-bit column: stored plus one (0: none), and 0xFFFF for an index too big,
 * which then goes in a Sparse of its own. A topology of fewer than 65,534 devices, port names and
 * cable ends (every chapter's, every benchmark's) never needs it; a bigger one still works.
 */
const WIDE = 0xffff;

class NarrowColumn {
  private readonly wide = new Sparse<number>();
  /** Stores an id too big for the column (record() writes the others itself: id + 1, 0 for none). */
  putWide(column: Uint16Array, offset: number, i: number, id: number): void {
    column[offset] = WIDE;
    this.wide.set(i, id);
  }
  read(column: Uint16Array, offset: number, i: number): number {
    const stored = column[offset]!;
    return stored === WIDE ? this.wide.get(i)! : stored - 1;
  }
  truncate(length: number): void {
    this.wide.truncate(length);
  }
}

/** The per-event columns of one chunk of CHUNK events (an event's action and origin are its step's: TraceStore.stepAction, stepOrigin). */
class Chunk {
  readonly device = new Uint16Array(CHUNK);
  readonly kind = new Uint8Array(CHUNK);
  readonly reason = new Uint8Array(CHUNK);
  readonly port = new Uint16Array(CHUNK);
  readonly frameId = new Int32Array(CHUNK);
  readonly cause = new Int32Array(CHUNK);
  readonly peer = new Uint16Array(CHUNK);
  /** The frame's bytes (TraceStore.frames): shared with the queue and with the other events about the same copy. */
  readonly frame = new Int32Array(CHUNK);
  /** A narrator's values (TraceStore.args). */
  readonly args = new Int32Array(CHUNK);
}

/** A growable column of numbers, one per step, in chunks. */
class StepColumn<A extends Int32Array | Float64Array> {
  private readonly chunks: A[] = [];
  constructor(private readonly make: (length: number) => A) {}
  set(step: number, value: number): void {
    const c = step >>> CHUNK_BITS;
    while (this.chunks.length <= c) this.chunks.push(this.make(CHUNK));
    this.chunks[c]![step & MASK] = value;
  }
  get(step: number): number {
    return this.chunks[step >>> CHUNK_BITS]![step & MASK]!;
  }
}

/** Where a window of a trace starts (TraceStore.windowAfter). */
interface TraceWindow {
  /** The store whose name tables the window shares. */
  names: TraceStore;
  /** The step before the window's first. */
  step: number;
  /** The index of the window's first event. */
  index: number;
}

/**
 * By step, how many events the run had made when the step ended (the index of the next event): a
 * Simulation with history keeps it for every step it has taken, at 4 bytes a step, and finds an
 * event's step and a step's events by it without keeping the events themselves.
 */
export class StepEnds {
  private readonly column = new StepColumn((n) => new Int32Array(n));
  set(step: number, end: number): void {
    this.column.set(step, end);
  }
  get(step: number): number {
    return this.column.get(step);
  }
}

export class TraceStore {
  /** Events stored: the index of the next one (events before `base` are not in this store). */
  length: number;
  /** The index of the first event this store holds: 0, or where a window of the trace starts (Simulation). */
  readonly base: number;
  /** The step before the first this store holds events of (0 for a whole trace): its columns are indexed from it. */
  readonly baseStep: number;
  private readonly chunks: Chunk[] = [];
  /** The highest step that has events (baseStep: none yet). */
  private lastStep: number;
  /** That step's time, action and origin (stepTime, stepAction, stepOrigin), read by every event after its first. */
  private lastTime = 0;
  private lastAction = NONE;
  private lastOrigin = NONE;
  /** By step: the index of its first event (steps without events start where the next one does). */
  private readonly stepStart = new StepColumn((n) => new Int32Array(n));
  /** By step: its virtual time (every event of a step happens at it; an exception goes in `times`). */
  private readonly stepTime = new StepColumn((n) => new Float64Array(n));
  private readonly times = new Sparse<number>();
  /** By step: the action of its first event (NONE: none); an event of another action goes in `actions`. */
  private readonly stepAction = new StepColumn((n) => new Int32Array(n));
  private readonly actions = new Sparse<number>();
  /** By step: the origin of its first event (a flood's events all have one); others go in `origins`. */
  private readonly stepOrigin = new StepColumn((n) => new Int32Array(n));
  private readonly origins = new Sparse<number>();
  private readonly deviceColumn = new NarrowColumn();
  private readonly portColumn = new NarrowColumn();
  private readonly peerColumn = new NarrowColumn();
  private readonly texts = new Sparse<string>();
  private readonly portLists = new Sparse<readonly string[]>();
  private readonly devices: Table<string>;
  private readonly ports: Table<string>;
  private readonly kinds: Table<TraceKind>;
  private readonly reasons: Table<ReasonCode>;
  /** A transmit's far end: the link's own frozen endpoint objects, interned by identity. */
  private readonly peers: Table<{ device: string; port: string }>;
  private readonly frames = new Log<Uint8Array>();
  private readonly args = new Log<TraceArgs>();
  /** How many device names were interned at build, in slot order: an event's `slot` below it is its device's id. */
  private readonly slots: number;
  /** By cable end (RawEvent.end), its port name's id; empty when the store was given no cable ends. */
  private readonly portOfEnd: Int32Array;

  /**
   * `devices` and `ports`: the names events will carry, interned now (when the simulation is built)
   * rather than one by one as the run first meets them; any other name is interned when met.
   * `ends`: every cable's two endpoint objects, link by link (a then b), in link order: an event
   * that names its cable end (RawEvent.end) then needs no lookup for its port and peer.
   */
  constructor(devices: Iterable<string> = [], ports: Iterable<string> = [], ends: ReadonlyArray<{ device: string; port: string }> = [], window?: TraceWindow) {
    this.base = window?.index ?? 0;
    this.baseStep = window?.step ?? 0;
    this.length = this.base;
    this.lastStep = this.baseStep;
    // Step 0 (or the window's base step) is the state before the steps stored: only a run halted
    // before its next step has events in it.
    this.startColumns();
    if (window) {
      // A window of a trace shares the whole trace's names (they are interned once, with the simulation).
      const from = window.names;
      this.devices = from.devices;
      this.ports = from.ports;
      this.kinds = from.kinds;
      this.reasons = from.reasons;
      this.peers = from.peers;
      this.slots = from.slots;
      this.portOfEnd = from.portOfEnd;
      return;
    }
    this.devices = new Table<string>();
    this.ports = new Table<string>();
    this.kinds = new Table<TraceKind>(256);
    this.reasons = new Table<ReasonCode>(256);
    this.peers = new Table<{ device: string; port: string }>();
    let given = 0;
    for (const device of devices) {
      this.devices.id(device);
      given++;
    }
    // A name given twice would shift the ids off the slots: then no event is keyed by its slot.
    this.slots = given === this.devices.values.length ? given : 0;
    for (const port of ports) this.ports.id(port);
    // Peer ids are the ends' indices (every endpoint object is its link's own, so none repeats).
    for (const end of ends) this.peers.id(end);
    this.portOfEnd = this.peers.values.length === ends.length ? Int32Array.from(ends, (end) => this.ports.id(end.port)) : new Int32Array(0);
    // A store told its topology belongs to a run that records: its first chunk is made now, with
    // the simulation, rather than by the first event (inside the reader's first Send packet).
    if (this.slots > 0) this.chunks.push(new Chunk());
  }

  /**
   * An empty store for the events after step `step`, the first of them numbered `index`, sharing
   * this store's name tables: a window of a long trace, which a Simulation records by replaying
   * from a checkpoint when an event in it is read.
   */
  windowAfter(step: number, index: number): TraceStore {
    return new TraceStore([], [], [], { names: this, step, index });
  }

  /** The columns' first entry: the base step, starting at the first event. */
  private startColumns(): void {
    this.stepStart.set(0, this.base);
    this.stepTime.set(0, 0);
    this.stepAction.set(0, NONE);
    this.stepOrigin.set(0, NONE);
  }

  /**
   * Copies `event` in (the engine reuses the record), which must be the event numbered `length`:
   * events come in index order, and in step order. The store is the engine's TraceSink itself.
   */
  record(event: Readonly<RawEvent>): void {
    const i = this.length;
    if (event.index !== i) throw new Error(`TraceStore: event ${event.index} pushed as event ${i}`);
    const step = event.step;
    const actionId = event.actionId ?? NONE;
    const origin = event.origin ?? NONE;
    if (step !== this.lastStep) {
      if (step < this.lastStep) throw new Error(`TraceStore: an event of step ${step} after one of step ${this.lastStep}`);
      const base = this.baseStep;
      for (let s = this.lastStep + 1; s <= step; s++) this.stepStart.set(s - base, i);
      this.stepTime.set(step - base, event.time);
      this.stepAction.set(step - base, actionId);
      this.stepOrigin.set(step - base, origin);
      this.lastStep = step;
      this.lastTime = event.time;
      this.lastAction = actionId;
      this.lastOrigin = origin;
    } else {
      if (event.time !== this.lastTime) this.times.set(i, event.time);
      if (actionId !== this.lastAction) this.actions.set(i, actionId);
      if (origin !== this.lastOrigin) this.origins.set(i, origin);
    }
    const at = i - this.base;
    const offset = at & MASK;
    if (offset === 0 && at >>> CHUNK_BITS === this.chunks.length) this.chunks.push(new Chunk());
    const chunk = this.chunks[at >>> CHUNK_BITS]!;
    // The 16-bit columns are written here (id + 1; 0: none), not through NarrowColumn.put, but for an
    // id too big for them: this runs for every event, on a fresh page before the code is optimised.
    const slot = event.slot;
    const device = slot >= 0 && slot < this.slots ? slot : this.devices.id(event.device);
    if (device + 1 < WIDE) chunk.device[offset] = device + 1;
    else this.deviceColumn.putWide(chunk.device, offset, i, device);
    chunk.kind[offset] = this.kinds.id(event.kind);
    chunk.reason[offset] = this.reasons.id(event.reason);
    const end = event.end;
    const known = end >= 0 && end < this.portOfEnd.length;
    const port = known ? this.portOfEnd[end]! : this.ports.idOf(event.port);
    if (port + 1 < WIDE) chunk.port[offset] = port + 1;
    else this.portColumn.putWide(chunk.port, offset, i, port);
    chunk.frameId[offset] = event.frameId ?? NONE;
    chunk.cause[offset] = event.cause ?? NONE;
    const peer = event.peer === undefined ? NONE : known ? end ^ 1 : this.peers.id(event.peer);
    if (peer + 1 < WIDE) chunk.peer[offset] = peer + 1;
    else this.peerColumn.putWide(chunk.peer, offset, i, peer);
    chunk.frame[offset] = this.frames.idOf(event.frame);
    chunk.args[offset] = this.args.idOf(event.args);
    if (event.text !== undefined) this.texts.set(i, event.text);
    if (event.ports !== undefined) this.portLists.set(i, event.ports);
    this.length = i + 1;
  }

  /** Event `i` as an object (a new one each call): the same fields the engine gave it, its sentence written when first read. */
  get(i: number, names: ReadonlyMap<string, string>): TraceEvent {
    const at = i - this.base;
    const chunk = this.chunks[at >>> CHUNK_BITS]!;
    const o = at & MASK;
    const step = this.stepOf(i);
    const time = this.times.get(i) ?? this.stepTime.get(step - this.baseStep);
    const device = this.devices.values[this.deviceColumn.read(chunk.device, o, i)]!;
    const event = new TracedEvent(step, time, device, this.kinds.values[chunk.kind[o]!]!, this.reasons.values[chunk.reason[o]!]!, this.texts.get(i), names);
    event.index = i;
    event.port = this.ports.at(this.portColumn.read(chunk.port, o, i));
    const frameId = chunk.frameId[o]!;
    if (frameId !== NONE) event.frameId = frameId;
    event.frame = this.frames.at(chunk.frame[o]!);
    event.ports = this.portLists.get(i);
    event.peer = this.peers.at(this.peerColumn.read(chunk.peer, o, i));
    const actionId = this.actions.get(i) ?? this.stepAction.get(step - this.baseStep);
    if (actionId !== NONE) event.actionId = actionId;
    const cause = chunk.cause[o]!;
    if (cause !== NONE) event.cause = cause;
    const origin = this.origins.get(i) ?? this.stepOrigin.get(step - this.baseStep);
    if (origin !== NONE) event.origin = origin;
    event.args = this.args.at(chunk.args[o]!);
    return event;
  }

  /** How many events the steps up to `step` made: the index of the first event after them. */
  lengthAt(step: number): number {
    if (step < this.baseStep) return this.base;
    return step >= this.lastStep ? this.length : this.stepStart.get(step + 1 - this.baseStep);
  }

  /** The step of event `i`: the last step that starts at or before it. */
  stepOf(i: number): number {
    const base = this.baseStep;
    let low = base;
    let high = this.lastStep;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.stepStart.get(mid - base) <= i) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Forgets the events from `length` on (a step back): `length` must be a step's end (lengthAt). */
  truncate(length: number): void {
    if (length >= this.length) return;
    this.length = length;
    // The last step that keeps events; the steps after it are gone with theirs.
    this.lastStep = length === this.base ? this.baseStep : this.stepOf(length - 1);
    this.lastTime = this.stepTime.get(this.lastStep - this.baseStep);
    this.lastAction = this.stepAction.get(this.lastStep - this.baseStep);
    this.lastOrigin = this.stepOrigin.get(this.lastStep - this.baseStep);
    this.chunks.length = (length - this.base + MASK) >>> CHUNK_BITS;
    // The frames and args interned since stay in their tables (a redone step will likely meet them again).
    this.times.truncate(length);
    this.actions.truncate(length);
    this.origins.truncate(length);
    this.deviceColumn.truncate(length);
    this.portColumn.truncate(length);
    this.peerColumn.truncate(length);
    this.texts.truncate(length);
    this.portLists.truncate(length);
  }
}
