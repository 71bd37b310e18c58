// A/B mode's one transport over two runs: it aligns them by virtual time. One joint step (a
// "moment") takes each run through every queue item due at the next time either run has
// something due, so that step N shows what A and B each did at the same instant with the same
// action (a hub's copies and a bridge's forward of one frame land in the same moment). A run with
// nothing due then stays where it is. Moments are kept, so that Step back and the scrubber move
// both runs to the exact steps they were at (each run's own exact step back and replay).

import type { TrafficAction } from '../../sim/scenario/format';

/** What the joint transport needs of one run: a PlayerModel in the page, a bare Simulation in tests. */
export interface AbRun {
  /** Steps taken. */
  steps(): number;
  /** Virtual time now. */
  now(): number;
  /** Virtual time of the next queue item, or null when nothing is due (or the run halted). */
  nextTime(): number | null;
  /** Takes one step (the next queue item). */
  advance(): void;
  /** Moves to the state after step `n` (≤ the furthest reached): back exactly, forward by replay. */
  goTo(n: number): void;
  /** Starts the reader's action now, as one step. */
  send(action: TrafficAction): void;
  /** Back to the state before the first step. */
  reset(): void;
}

export interface Moment {
  /** Steps taken by A and B after this moment. */
  a: number;
  b: number;
  /** The virtual time the moment is at. */
  time: number;
}

/** A moment never takes more steps than this per run (a storm keeps producing items at one time). */
export const MOMENT_STEP_LIMIT = 10_000;

export interface AbTimeline {
  /** Every moment reached, from moments[0] (both at step 0). */
  readonly moments: readonly Moment[];
  /** The moment both runs are at. */
  at(): number;
  canForward(): boolean;
  canBack(): boolean;
  forward(): boolean;
  back(): boolean;
  goTo(index: number): void;
  send(action: TrafficAction): void;
  reset(): void;
}

export function createAbTimeline(a: AbRun, b: AbRun): AbTimeline {
  let moments: Moment[] = [{ a: 0, b: 0, time: 0 }];
  let at = 0;
  const nextDue = (): number | null => {
    const ta = a.nextTime();
    const tb = b.nextTime();
    if (ta === null) return tb;
    if (tb === null) return ta;
    return Math.min(ta, tb);
  };
  const move = (index: number) => {
    const m = moments[index]!;
    a.goTo(m.a);
    b.goTo(m.b);
    at = index;
  };
  const takeDue = (run: AbRun, time: number) => {
    for (let i = 0; i < MOMENT_STEP_LIMIT && run.nextTime() === time; i++) run.advance();
  };
  return {
    get moments() {
      return moments;
    },
    at: () => at,
    canForward: () => at < moments.length - 1 || nextDue() !== null,
    canBack: () => at > 0,
    forward() {
      if (at < moments.length - 1) {
        move(at + 1);
        return true;
      }
      const time = nextDue();
      if (time === null) return false;
      takeDue(a, time);
      takeDue(b, time);
      moments.push({ a: a.steps(), b: b.steps(), time });
      at = moments.length - 1;
      return true;
    },
    back() {
      if (at === 0) return false;
      move(at - 1);
      return true;
    },
    goTo(index) {
      const to = Math.max(0, Math.min(Math.floor(index), moments.length - 1));
      if (to !== at) move(to);
    },
    send(action) {
      // A send behind the end starts a new future for both: the moments ahead are forgotten.
      moments = moments.slice(0, at + 1);
      a.send(action);
      b.send(action);
      moments.push({ a: a.steps(), b: b.steps(), time: Math.max(a.now(), b.now()) });
      at = moments.length - 1;
    },
    reset() {
      a.reset();
      b.reset();
      moments = [{ a: 0, b: 0, time: 0 }];
      at = 0;
    },
  };
}
