// The event queue: (time, seq) order, and lazy timer cancellation (a cancelled timer stays in the
// heap until it reaches the root, where it is dropped without being a step).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenario } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import { queueInOrder, queuePop, queuePush } from '../../src/sim/engine/event-queue';
import type { QueueItem } from '../../src/sim/engine/state';
import { PING_TIMEOUT_MS } from '../../src/sim/devices/host';

describe('the heap', () => {
  it('pops items by time, then in the order they were pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const heap: QueueItem[] = [];
        times.forEach((time, seq) => queuePush(heap, { type: 'action', time, seq, actionId: seq }));
        const expected = times.map((time, seq) => ({ time, seq })).sort((x, y) => x.time - y.time || x.seq - y.seq);
        expect(queueInOrder(heap).map((i) => ({ time: i.time, seq: i.seq }))).toEqual(expected);
        const popped = [];
        for (let item = queuePop(heap); item; item = queuePop(heap)) popped.push({ time: item.time, seq: item.seq });
        expect(popped).toEqual(expected);
      }),
    );
  });
});

describe('cancelled timers', () => {
  it('an answered ping cancels its timeout: the run ends when the reply lands, not when the timeout would have fired', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'));
    let sawCancelled = false;
    while (sim.canStep) {
      sim.step();
      if (sim.state.cancelled.size > 0) {
        sawCancelled = true;
        // Never at the root: the next item is always one that will run.
        const next = sim.peekNext();
        if (next) expect(sim.state.cancelled.has(next.seq)).toBe(false);
      }
    }
    expect(sawCancelled).toBe(true);
    expect(Object.values(sim.state.actions).every((a) => a.outcome?.ok)).toBe(true);
    expect(sim.now).toBeLessThan(PING_TIMEOUT_MS);
    expect(sim.isQuiescent).toBe(true);
    expect(sim.state.queue).toEqual([]);
    expect(sim.state.cancelled.size).toBe(0);
    expect(sim.state.timers.size).toBe(0);
    // Dropping a cancelled timer is not a step: the run takes as many steps as items it processed.
    expect(new Set(sim.trace.map((e) => e.step)).size).toBe(sim.stepCount);
  });
});
