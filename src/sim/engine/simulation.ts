// The simulation a player, a test or the CLI drives: step, step back, run to quiescence, inject
// an action. Step back restores the nearest checkpoint and replays the steps after it, which is
// exact because every step is deterministic.

import type { Scenario, TrafficAction } from '../scenario/format';
import type { TraceEvent } from '../trace';
import { buildState, haltForBudget, injectAction, processNext, type EngineOptions, type TraceSink } from './engine';
import { queueInOrder } from './event-queue';
import { snapshotState, type FrameArrival, type Halt, type QueueItem, type SimState } from './state';

export interface SimulationOptions extends EngineOptions {
  /** A snapshot every this many steps bounds the replay cost of a step back. */
  checkpointInterval?: number;
}

/** Beyond this many snapshots, every other one is dropped (long runs of big topologies). */
const MAX_CHECKPOINTS = 64;

/** The largest run `run()` does before it stops and calls it a budget halt. */
export const DEFAULT_STEP_BUDGET = 200_000;

type LoggedStep = { type: 'next' } | { type: 'inject'; action: TrafficAction };

export class Simulation {
  readonly scenario: Scenario;
  private readonly options: SimulationOptions;
  /** Display names by device id (a Map: ids are chosen by the scenario's author). */
  private readonly names: Map<string, string>;
  private current: SimState;
  private readonly events: TraceEvent[] = [];
  /** What each step was, so that it can be replayed from a checkpoint. */
  private readonly log: LoggedStep[] = [];
  /** Trace length after each step: traceLengths[n] after n steps. */
  private readonly traceLengths: number[] = [0];
  private readonly checkpoints: SimState[] = [];
  private interval: number;
  private readonly record: TraceSink;
  private readonly discard: TraceSink = () => {};

  constructor(scenario: Scenario, options: SimulationOptions = {}) {
    this.scenario = scenario;
    this.options = options;
    // Bigger topologies make bigger snapshots: space them out so that cloning stays a small share of the work.
    this.interval = Math.max(1, options.checkpointInterval ?? Math.max(32, 4 * scenario.devices.length));
    this.names = new Map(scenario.devices.map((d) => [d.id, d.label ?? d.id]));
    this.current = buildState(scenario, options);
    this.checkpoints.push(snapshotState(this.current));
    this.record = (event) => {
      this.events.push({ index: this.events.length, ...event });
    };
  }

  get state(): Readonly<SimState> {
    return this.current;
  }
  get trace(): readonly TraceEvent[] {
    return this.events;
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
    return this.current.queue.length === 0;
  }
  get canStep(): boolean {
    return !this.current.halted && this.current.queue.length > 0;
  }
  /** The display name of a device. */
  name(deviceId: string): string {
    return this.names.get(deviceId) ?? deviceId;
  }

  /** Processes one queue item; returns its events, or null when there is nothing to do. */
  step(): TraceEvent[] | null {
    const before = this.events.length;
    if (!processNext(this.current, this.record, this.names, this.options)) return null;
    this.afterStep({ type: 'next' });
    return this.events.slice(before);
  }

  /** Starts an action now (the reader's "Send packet"); it counts as one step. Returns its id. */
  inject(action: TrafficAction): number {
    // One copy, owned by the simulation: the caller may reuse its object, and replay must see the action as it was.
    const owned = structuredClone(action);
    const id = injectAction(this.current, owned, this.record, this.names, this.options);
    this.afterStep({ type: 'inject', action: owned });
    return id;
  }

  /** Runs until nothing is queued, the run halts, or `budget` steps were taken (then it halts). */
  run(budget = DEFAULT_STEP_BUDGET): void {
    for (let taken = 0; this.canStep; taken++) {
      if (taken >= budget) {
        this.stopForBudget(budget);
        return;
      }
      this.step();
    }
  }

  /**
   * Halts a run that took `budget` steps and still has work queued, saying so in the trace, as
   * `run()` does; for callers that step in slices of their own (the player's Run to the end).
   */
  stopForBudget(budget: number): void {
    haltForBudget(this.current, budget, this.record);
    this.traceLengths[this.current.step] = this.events.length;
  }

  /** Undoes the last step exactly: tables, frames in flight, time and trace. */
  stepBack(): boolean {
    const target = this.current.step - 1;
    if (target < 0) return false;
    this.restore(target);
    return true;
  }

  /** Back to the state before the first step. */
  reset(): void {
    this.restore(0);
  }

  /** Events produced by step n (1-based). */
  eventsOfStep(step: number): TraceEvent[] {
    if (step < 1 || step >= this.traceLengths.length) return [];
    return this.events.slice(this.traceLengths[step - 1], this.traceLengths[step]);
  }

  /** Copies of frames on cables right now, in the order they will arrive. */
  framesInFlight(): FrameArrival[] {
    return queueInOrder(this.current.queue).filter((item): item is FrameArrival => item.type === 'arrival');
  }

  /** The item the next step will process (the heap's root), or null when nothing is queued. */
  peekNext(): QueueItem | null {
    return this.current.queue[0] ?? null;
  }

  /** Where an action stands: still queued, under way (waiting for replies or timers), or finished. */
  /** "stopped": the run halted (a storm, the step budget) before the action finished. */
  actionStatus(actionId: number): 'queued' | 'running' | 'ok' | 'failed' | 'stopped' {
    const record = this.current.actions[actionId];
    if (record?.outcome) return record.outcome.ok ? 'ok' : 'failed';
    if (this.current.halted) return 'stopped';
    return this.current.queue.some((item) => item.type === 'action' && item.actionId === actionId) ? 'queued' : 'running';
  }

  private afterStep(step: LoggedStep): void {
    this.log.push(step);
    const n = this.current.step;
    this.traceLengths[n] = this.events.length;
    this.traceLengths.length = n + 1;
    if (n % this.interval === 0) {
      this.checkpoints[n / this.interval] = snapshotState(this.current);
      if (this.checkpoints.length > MAX_CHECKPOINTS) this.thinCheckpoints();
    }
  }

  /** Keeps memory bounded on long runs: drop every other checkpoint and double the interval. */
  private thinCheckpoints(): void {
    const kept = this.checkpoints.filter((_, i) => i % 2 === 0);
    this.checkpoints.length = 0;
    this.checkpoints.push(...kept);
    this.interval *= 2;
  }

  private restore(target: number): void {
    const k = Math.floor(target / this.interval);
    this.checkpoints.length = k + 1;
    this.current = snapshotState(this.checkpoints[k]!);
    for (let n = k * this.interval; n < target; n++) {
      const step = this.log[n]!;
      if (step.type === 'next') processNext(this.current, this.discard, this.names, this.options);
      else injectAction(this.current, step.action, this.discard, this.names, this.options);
    }
    this.log.length = target;
    this.events.length = this.traceLengths[target]!;
    this.traceLengths.length = target + 1;
  }
}
