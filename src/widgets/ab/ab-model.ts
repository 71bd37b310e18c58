// A/B mode's model: two player models (A, B) under one transport (ab-timeline.ts), and what
// differs between their runs (ab-diff.ts), recomputed when the transport moves. No DOM. Loaded
// with import() when the reader first opens A/B, after the core.

import { batch, computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Scenario, TrafficAction } from '../../sim/scenario/format';
// Types only from the player's modules: what A/B mode runs them with comes from the player
// (AbKit), so that the page's chunk keeps them rather than sharing them with this one.
import type { createPlayerModel, PlayerModel, Scheduler } from '../player-model';
import { arpRowKey, diffRuns, macRowKey, rowsOnlyIn, summarize, type RunDiff, type Side } from './ab-diff';
import { createAbTimeline, type AbRun, type AbTimeline } from './ab-timeline';

/** One run of the transport, driven through its player model (so that its log, drawing and tables follow). */
export function modelRun(model: PlayerModel): AbRun {
  return {
    steps: () => model.sim.stepCount,
    now: () => model.sim.now,
    nextTime: () => {
      const sim = model.sim;
      if (!sim.canStep) return null;
      return sim.peekNext()?.time ?? null;
    },
    advance: () => model.stepForward(),
    goTo: (n) => model.goTo(n),
    send: (action) => model.send(action),
    reset: () => model.reset(),
  };
}

export interface AbModel {
  readonly models: Record<Side, PlayerModel>;
  readonly timeline: AbTimeline;
  /** Bumped whenever the transport moves. */
  readonly version: ReadonlySignal<number>;
  /** The moment both runs are at (the joint step), its time, and the last moment reached. */
  readonly moment: ReadonlySignal<number>;
  readonly time: ReadonlySignal<number>;
  readonly horizon: ReadonlySignal<number>;
  readonly canStep: ReadonlySignal<boolean>;
  readonly canStepBack: ReadonlySignal<boolean>;
  readonly playing: ReadonlySignal<boolean>;
  readonly speed: ReadonlySignal<number>;
  readonly diff: ReadonlySignal<RunDiff>;
  /** The difference in one sentence. */
  readonly summary: ReadonlySignal<string>;
  /** Table rows (by macRowKey / arpRowKey) that one side holds and the other does not. */
  readonly onlyMac: ReadonlySignal<Record<Side, Set<string>>>;
  readonly onlyArp: ReadonlySignal<Record<Side, Set<string>>>;
  /** Steps of each run up to the previous moment: the events after it are this moment's. */
  readonly previous: ReadonlySignal<Record<Side, number>>;
  stepForward(): void;
  stepBack(): void;
  goTo(moment: number): void;
  togglePlay(): void;
  reset(): void;
  send(action: TrafficAction): void;
  setSpeed(stepsPerSecond: number): void;
  dispose(): void;
}

export interface AbModelOptions {
  /** The player's createPlayerModel (player-model.ts), with the core loaded. */
  createModel: typeof createPlayerModel;
  scheduler?: Scheduler;
  labels?: Record<Side, string>;
}

export function createAbModel(a: Scenario, b: Scenario, options: AbModelOptions): AbModel {
  const models: Record<Side, PlayerModel> = { a: options.createModel(a), b: options.createModel(b) };
  const timeline = createAbTimeline(modelRun(models.a), modelRun(models.b));
  const scheduler: Scheduler = options.scheduler ?? {
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const version = signal(0);
  const playing = signal(false);
  const speed = signal(models.a.speed.peek());
  let timer: unknown = null;
  const bump = () => version.value++;
  const read = <T>(f: () => T) =>
    computed(() => {
      version.value;
      return f();
    });
  const moment = read(() => timeline.at());
  const time = read(() => timeline.moments[timeline.at()]!.time);
  const horizon = read(() => timeline.moments.length - 1);
  const canStep = read(() => timeline.canForward());
  const canStepBack = read(() => timeline.canBack());
  const previous = read(() => {
    const m = timeline.moments[Math.max(0, timeline.at() - 1)]!;
    return timeline.at() === 0 ? { a: 0, b: 0 } : { a: m.a, b: m.b };
  });
  const diff = read(() => diffRuns(models.a.sim, models.b.sim));
  const name = (id: string) => (models.a.scenario.devices.some((d) => d.id === id) ? models.a.name(id) : models.b.name(id));
  const summary = computed(() => summarize(diff.value, name, options.labels));
  const onlyMac = read(() => {
    const ta = models.a.macTables.value;
    const tb = models.b.macTables.value;
    return { a: rowsOnlyIn(ta, tb, macRowKey), b: rowsOnlyIn(tb, ta, macRowKey) };
  });
  const onlyArp = read(() => {
    const ta = models.a.arpCaches.value;
    const tb = models.b.arpCaches.value;
    return { a: rowsOnlyIn(ta, tb, arpRowKey), b: rowsOnlyIn(tb, ta, arpRowKey) };
  });

  const stop = () => {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
    playing.value = false;
  };
  const tick = () => {
    timer = null;
    batch(() => {
      timeline.forward();
      bump();
    });
    if (timeline.canForward()) timer = scheduler.setTimeout(tick, 1000 / speed.peek());
    else stop();
  };
  const act = (f: () => void) =>
    batch(() => {
      f();
      bump();
    });

  return {
    models,
    timeline,
    version,
    moment,
    time,
    horizon,
    canStep,
    canStepBack,
    playing,
    speed,
    diff,
    summary,
    onlyMac,
    onlyArp,
    previous,
    stepForward() {
      act(() => timeline.forward());
      if (!timeline.canForward()) stop();
    },
    stepBack() {
      stop();
      act(() => timeline.back());
    },
    goTo(index) {
      stop();
      act(() => timeline.goTo(index));
    },
    togglePlay() {
      if (playing.peek()) {
        stop();
        return;
      }
      if (!timeline.canForward()) return;
      playing.value = true;
      timer = scheduler.setTimeout(tick, 1000 / speed.peek());
    },
    reset() {
      stop();
      act(() => timeline.reset());
    },
    send(action) {
      act(() => timeline.send(action));
    },
    setSpeed(stepsPerSecond) {
      if (!(stepsPerSecond > 0)) return;
      speed.value = stepsPerSecond;
    },
    dispose() {
      stop();
      models.a.dispose();
      models.b.dispose();
    },
  };
}
