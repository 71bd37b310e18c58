// The simulation a player, a test or the CLI drives: step, step back, run to quiescence, inject
// an action. Step back restores the nearest checkpoint and replays the steps after it, which is
// exact because every step is deterministic. Checkpoints are dense near the present and sparser
// further back, so stepping back from where the run is replays at most one interval, and a jump
// far back a bounded share of the distance. A checkpoint copies no device: devices are copied on
// write (state.ts). A headless run (`history: false`) keeps no checkpoints and no log of its
// steps, and cannot step back.

import type { Scenario, TrafficAction } from '../scenario/format';
import type { TraceEvent } from '../trace';
import { buildState, discardTrace, haltForBudget, injectAction, processNext, type EngineOptions, type TraceSink } from './engine';
import { queueInOrder, queuePeek, queueSome } from './event-queue';
import { snapshotState, type FrameArrival, type Halt, type QueueItem, type SimState } from './state';
import { StepEnds, TraceStore } from './trace-store';

export interface SimulationOptions extends EngineOptions {
  /** A snapshot every this many steps bounds the replay cost of a step back (the nearest checkpoint is at most this far back). */
  checkpointInterval?: number;
  /**
   * false: keep no history (no checkpoints, no log of steps), for runs nobody steps back in (the
   * CLI, the chapters' tables, benchmarks); step back and reset then throw. Default true.
   */
  history?: boolean;
  /** false: record no trace at all, for callers that read only the final state (tables, outcomes). Default true. */
  trace?: boolean;
}

/**
 * Checkpoints kept at each distance from the present: PER_LEVEL one interval apart for the last
 * PER_LEVEL intervals, then PER_LEVEL / 2 twice as far apart for each doubling of the distance.
 * A run of n steps keeps about PER_LEVEL + PER_LEVEL / 2 * log2(n / (PER_LEVEL * interval)).
 */
const PER_LEVEL = 8;

interface Checkpoint {
  step: number;
  state: SimState;
}

/** The largest run `run()` does before it stops and calls it a budget halt. */
export const DEFAULT_STEP_BUDGET = 200_000;


export class Simulation {
  readonly scenario: Scenario;
  private readonly options: SimulationOptions;
  /** Display names by device id (a Map: ids are chosen by the scenario's author). */
  private readonly names: Map<string, string>;
  private current: SimState;
  /**
   * Events by column (trace-store.ts). Without history, every event of the run. With history, a
   * window of the trace: the events of steps (store.baseStep, windowEnd]. Steps taken one by one
   * (step, inject) are recorded as they happen while the window reaches the present (`live`); a
   * run() records nothing, and an event outside the window is recorded when it is first read, by
   * replaying its steps from the nearest checkpoint (every step is deterministic, and the engine
   * numbers events through replays: state.emitted). A long run then pays for its trace only where
   * someone reads it.
   */
  private store: TraceStore;
  /** The last step whose events the window holds. */
  private windowEnd = 0;
  /** The window ends at the present step, and steps taken one by one are recorded into it. */
  private live = true;
  /** The state after step windowEnd, when the window stopped short of the present: reading on continues from it. */
  private windowState: SimState | null = null;
  /** By step, the trace's length when it ended (with history; without, the store knows). */
  private readonly ends = new StepEnds();
  /** The budget of the halt that stopped the run (stopForBudget), which a replay up to the present must record too. */
  private budgetHalt: number | null = null;
  /** false: the simulation was made with `trace: false`, and keeps no event at all. */
  private readonly tracing: boolean;
  /**
   * The events read so far as objects (`trace`), from the first on: made from the store when first
   * read, then kept, so that reading the trace again returns the same objects.
   */
  private readonly events: TraceEvent[] = [];
  /** false: a headless run, which keeps no checkpoints and no log. */
  private readonly history: boolean;
  /**
   * The actions injected, by the step they made (1-based); every other step processed the next
   * queue item. That is the whole log a replay from a checkpoint needs.
   */
  private readonly injected = new Map<number, TrafficAction>();
  /** Sorted by step; the first, at step 0, is always kept. */
  private readonly checkpoints: Checkpoint[] = [];
  private readonly interval: number;
  private readonly discard: TraceSink = discardTrace;

  constructor(scenario: Scenario, options: SimulationOptions = {}) {
    this.scenario = scenario;
    this.options = options;
    // A bigger topology touches more devices between two checkpoints, each copied on write once:
    // space them out with its size, but no further than a step back can replay in a few ms (4,096
    // steps of a 3,000-host fabric: p95 4.5 ms in Node, where 512 took 0.9 ms but its checkpoints
    // and copies were a seventh of a run with history, and 2,048 made a tenth more garbage; 8,192
    // took 7.3 ms).
    this.interval = Math.max(1, Math.floor(options.checkpointInterval ?? Math.min(4096, Math.max(32, scenario.devices.length))));
    this.names = new Map(scenario.devices.map((d) => [d.id, d.label ?? d.id]));
    this.current = buildState(scenario, options);
    // The store knows every device and port name from the start: a first flood through thousands
    // of hosts then interns none of them while it runs.
    this.store =
      options.trace === false
        ? new TraceStore()
        : new TraceStore(
            this.current.deviceOrder,
            [...this.current.devicePorts.values()].flatMap((ports) => [...ports.keys()]),
            this.current.links.flatMap((link) => [link.a, link.b]),
          );
    this.history = options.history ?? true;
    this.tracing = options.trace !== false;
    if (this.history) {
      this.checkpoints.push({ step: 0, state: snapshotState(this.current) });
      this.ends.set(0, 0);
    } else {
      // No snapshot will share this run's queue items: handled arrivals are reused (engine.ts).
      Object.defineProperty(this.current, 'spareArrivals', { value: [], writable: true, enumerable: false, configurable: true });
    }
  }

  /**
   * Where the events of the next step go: the window while it is live, else nowhere (they are
   * recorded when read). The engine numbers events itself (state.emitted, counted through replays
   * too), so an event's index is its position in the trace, recorded now or later.
   */
  private get sink(): TraceSink {
    return this.tracing && this.live ? this.store : this.discard;
  }

  /** Whether this simulation can step back (it was not created with `history: false`). */
  get keepsHistory(): boolean {
    return this.history;
  }

  get state(): Readonly<SimState> {
    return this.current;
  }
  /**
   * The whole trace as objects. They are made the first time they are read (the store keeps the
   * events by column), so a caller that reads only some (eventAt, eventsOfStep, a step's events)
   * should use those and leave the rest unmade. The array is the same on every read, brought up to
   * date by the read: read it again after stepping.
   */
  get trace(): readonly TraceEvent[] {
    const { events } = this;
    const length = this.traceLength;
    for (let i = events.length; i < length; i++) events.push(this.storeWith(i).get(i, this.names));
    return events;
  }
  /** How many events the trace holds, without making any (or recording any). */
  get traceLength(): number {
    if (!this.tracing) return 0;
    return this.history ? this.current.emitted : this.store.length;
  }
  /** Event `index` of the trace (undefined past its end), made once and kept if the trace was read that far. */
  eventAt(index: number): TraceEvent | undefined {
    if (index < 0 || index >= this.traceLength) return undefined;
    return this.events[index] ?? this.storeWith(index).get(index, this.names);
  }
  get stepCount(): number {
    return this.current.step;
  }
  get now(): number {
    return this.current.time;
  }
  get halted(): Halt | null {
    return this.current.halted;
  }
  /** Nothing is queued: every frame has landed and no timer is pending. */
  get isQuiescent(): boolean {
    return this.current.queue.size === 0;
  }
  get canStep(): boolean {
    return !this.current.halted && this.current.queue.size > 0;
  }
  /** The display name of a device. */
  name(deviceId: string): string {
    return this.names.get(deviceId) ?? deviceId;
  }

  /** Processes one queue item; returns its events, or null when there is nothing to do. */
  step(): TraceEvent[] | null {
    const before = this.traceLength;
    if (!processNext(this.current, this.sink, this.names, this.options)) return null;
    this.afterStep();
    return this.slice(before, this.traceLength);
  }

  /** Starts an action now (the reader's "Send packet"); it counts as one step. Returns its id. */
  inject(action: TrafficAction): number {
    // One copy, owned by the simulation: the caller may reuse its object, and replay must see the
    // action as it was. Every field of an action is a string or a number (schema.ts: strict objects
    // of primitives), so a spread copies it whole; structuredClone took about 1 ms on a fresh page.
    const owned = { ...action };
    const id = injectAction(this.current, owned, this.sink, this.names, this.options);
    if (this.history) this.injected.set(this.current.step, owned);
    this.afterStep();
    return id;
  }

  /** Runs until nothing is queued, the run halts, or `budget` steps were taken (then it halts). */
  run(budget = DEFAULT_STEP_BUDGET): void {
    // With history, a run records nothing: what of it is read is recorded then (storeWith).
    if (this.history && this.canStep) this.leaveWindow();
    const sink = this.sink;
    for (let taken = 0; this.canStep; taken++) {
      if (taken >= budget) {
        this.stopForBudget(budget);
        return;
      }
      if (!processNext(this.current, sink, this.names, this.options)) return;
      this.afterStep();
    }
  }

  /**
   * Halts a run that took `budget` steps and still has work queued, saying so in the trace, as
   * `run()` does; for callers that step in slices of their own (the player's Run to the end).
   */
  stopForBudget(budget: number): void {
    if (!this.current.halted) this.budgetHalt = budget;
    haltForBudget(this.current, budget, this.sink);
  }

  /** Undoes the last step exactly: tables, frames in flight, time and trace. False at the start. */
  stepBack(): boolean {
    const target = this.current.step - 1;
    if (target < 0) return false;
    this.restore(target);
    return true;
  }

  /**
   * Goes back to the state after step `target` exactly (0: before the first step), in one restore
   * rather than one per step: the player's timeline jumps there. False unless `target` is a whole
   * number behind the present.
   */
  stepBackTo(target: number): boolean {
    if (!Number.isInteger(target) || target < 0 || target >= this.current.step) return false;
    this.restore(target);
    return true;
  }

  /**
   * The action injected as step `step` (the reader's Send packet), if that step was one: what a
   * replay of the run needs besides the scenario. Undefined in a run without history.
   */
  injectedAt(step: number): Readonly<TrafficAction> | undefined {
    return this.injected.get(step);
  }

  /** Back to the state before the first step. */
  reset(): void {
    this.restore(0);
  }

  /** Events produced by step n (1-based). */
  eventsOfStep(step: number): TraceEvent[] {
    if (step < 1 || step > this.current.step) return [];
    return this.slice(this.traceLengthAt(step - 1), this.traceLengthAt(step));
  }

  /** Events [from, to) as objects: those the trace has made already, and new ones for the rest. */
  private slice(from: number, to: number): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (let i = from; i < to; i++) out.push(this.eventAt(i)!);
    return out;
  }

  /** The trace's length after `step` steps (0 ≤ step ≤ the present). */
  private traceLengthAt(step: number): number {
    if (!this.tracing) return 0;
    if (!this.history) return this.store.lengthAt(step);
    return step >= this.current.step ? this.current.emitted : this.ends.get(step);
  }

  /** The step of event `index` (with history): the first step whose end is past it. */
  private stepOfEvent(index: number): number {
    let low = 0;
    let high = this.current.step;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.traceLengthAt(mid) > index) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** The store that holds event `index` (< traceLength): the window, recorded up to it first if it does not. */
  private storeWith(index: number): TraceStore {
    const store = this.store;
    if (index >= store.base && index < store.length) return store;
    // Only a simulation with history has events outside its store (without, the store has them all).
    this.recordThrough(this.stepOfEvent(index));
    return this.store;
  }

  /** The live window stops recording: the steps a run takes are recorded only when read. */
  private leaveWindow(): void {
    if (!this.live) return;
    this.live = false;
    this.windowState = null;
  }

  /**
   * Makes the window hold the events of `step` (≤ the present). A step a little past the window is
   * added to it, from the state the window ended on or the last checkpoint before its end; any
   * other starts a new window at the checkpoint interval holding it, replayed from the nearest
   * checkpoint before. The window records one interval past `step` (or to the present, where it
   * becomes live again), so a reader going through the trace in order replays each step once.
   */
  private recordThrough(step: number): void {
    const interval = this.interval;
    const present = this.current.step;
    let state: SimState;
    let from: number;
    if (step > this.windowEnd && step - this.windowEnd <= 2 * interval) {
      from = this.windowEnd;
      if (this.windowState) state = this.windowState;
      else {
        state = this.replayFrom(this.checkpointAtOrBefore(from), from);
      }
    } else {
      from = Math.floor(Math.max(0, step - 1) / interval) * interval;
      state = this.replayFrom(this.checkpointAtOrBefore(from), from);
      this.store = this.store.windowAfter(from, this.traceLengthAt(from));
    }
    const end = Math.min(present, Math.max(step, from + interval));
    const store = this.store;
    for (let n = from + 1; n <= end; n++) this.replayStep(state, n, store);
    if (end === present && this.budgetHalt !== null && state.emitted < this.current.emitted) haltForBudget(state, this.budgetHalt, store);
    if (store.length !== this.traceLengthAt(end)) {
      throw new Error(`Simulation: replaying steps ${from + 1}–${end} to read their events made ${store.length - store.base} events, not ${this.traceLengthAt(end) - store.base}`);
    }
    this.windowEnd = end;
    this.live = end === present;
    this.windowState = this.live ? null : state;
  }

  /** The last checkpoint at or before `step`. */
  private checkpointAtOrBefore(step: number): Checkpoint {
    let found = this.checkpoints[0]!;
    for (const checkpoint of this.checkpoints) {
      if (checkpoint.step > step) break;
      found = checkpoint;
    }
    return found;
  }

  /** A copy of `checkpoint`'s state brought to step `to` without recording. */
  private replayFrom(checkpoint: Checkpoint, to: number): SimState {
    const state = snapshotState(checkpoint.state);
    for (let n = checkpoint.step + 1; n <= to; n++) this.replayStep(state, n, this.discard);
    return state;
  }

  /** Takes step n again on `state`: the action injected as step n, or the next queue item. */
  private replayStep(state: SimState, n: number, sink: TraceSink): void {
    const action = this.injected.get(n);
    if (action) injectAction(state, action, sink, this.names, this.options);
    else processNext(state, sink, this.names, this.options);
  }

  /**
   * Copies of frames on cables right now, in the order they will arrive: the queue's own items. A
   * run without history reuses an item once it is handled (engine.ts, spareArrivals): read them
   * before the next step, or copy what you keep.
   */
  framesInFlight(): FrameArrival[] {
    return queueInOrder(this.current.queue).filter((item): item is FrameArrival => item.type === 'arrival');
  }

  /** The item the next step will process, or null when nothing is queued. */
  peekNext(): QueueItem | null {
    return queuePeek(this.current.queue) ?? null;
  }

  /**
   * Where an action stands: still queued, under way (waiting for replies or timers), or finished.
   * "stopped": the run halted (a storm, the step budget) before the action finished, or cut short
   * an action that had finished well but whose frames were still on the cables: a broadcast is
   * "sent" once it leaves its host, but not a success while its copies circle the loop that
   * stopped the run.
   */
  actionStatus(actionId: number): 'queued' | 'running' | 'ok' | 'failed' | 'stopped' {
    const record = this.current.actions[actionId];
    if (record?.outcome) {
      if (!record.outcome.ok) return 'failed';
      const cutShort = this.current.halted !== null && queueSome(this.current.queue, (item) => item.type === 'arrival' && item.actionId === actionId);
      return cutShort ? 'stopped' : 'ok';
    }
    if (this.current.halted) return 'stopped';
    return queueSome(this.current.queue, (item) => item.type === 'action' && item.actionId === actionId) ? 'queued' : 'running';
  }

  private afterStep(): void {
    if (!this.history) return;
    const n = this.current.step;
    this.ends.set(n, this.current.emitted);
    if (this.live) this.windowEnd = n;
    if (n % this.interval === 0) this.checkpoint(n);
  }

  /** Takes a checkpoint at step n (the latest), and drops those the spacing no longer wants. */
  private checkpoint(n: number): void {
    this.checkpoints.push({ step: n, state: snapshotState(this.current) });
    const near = PER_LEVEL * this.interval;
    let kept = 0;
    for (const checkpoint of this.checkpoints) {
      const distance = n - checkpoint.step;
      // Level j keeps the steps that are multiples of interval * 2^j; a checkpoint dropped at one
      // level would be dropped at every higher one, so the spacing only ever thins.
      const level = distance < near ? 0 : Math.floor(Math.log2(distance / near)) + 1;
      if (checkpoint.step === 0 || (checkpoint.step / this.interval) % 2 ** level === 0) this.checkpoints[kept++] = checkpoint;
    }
    this.checkpoints.length = kept;
  }

  private restore(target: number): void {
    if (!this.history) {
      throw new Error('This simulation keeps no history (it was created with history: false, for a headless run): it cannot step back or reset. Create it with history to step back.');
    }
    while (this.checkpoints[this.checkpoints.length - 1]!.step > target) this.checkpoints.pop();
    const base = this.checkpoints[this.checkpoints.length - 1]!;
    this.current = snapshotState(base.state);
    // Replaying takes the checkpoints forward steps would have taken, so the next step back is cheap.
    for (let n = base.step + 1; n <= target; n++) {
      this.replayStep(this.current, n, this.discard);
      if (n % this.interval === 0) this.checkpoint(n);
    }
    for (const n of this.injected.keys()) if (n > target) this.injected.delete(n);
    this.budgetHalt = null;
    const length = this.traceLengthAt(target);
    // The window keeps what it holds up to the target and records from there; one that starts
    // after it (or ends before it) gives way to an empty one at the target.
    if (this.tracing) {
      if (target >= this.store.baseStep && target <= this.windowEnd) this.store.truncate(length);
      else this.store = this.store.windowAfter(target, length);
    }
    this.windowEnd = target;
    this.live = true;
    this.windowState = null;
    if (this.events.length > length) this.events.length = length;
  }
}
