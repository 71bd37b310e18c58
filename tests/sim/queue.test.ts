// The event queue: (time, seq) order, and lazy timer cancellation (a cancelled timer stays in the
// heap until it reaches the root, where it is dropped without being a step).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scenario } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import { copyQueue, createQueue, queueInOrder, queuePeek, queuePop, queuePush } from '../../src/sim/engine/event-queue';
import type { QueueItem } from '../../src/sim/engine/state';
import { PING_TIMEOUT_MS } from '../../src/sim/devices/host';

describe('the queue', () => {
  it('pops items by time, then in the order they were pushed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = createQueue();
        times.forEach((time, seq) => queuePush(queue, { type: 'action', time, seq, actionId: seq }));
        const expected = times.map((time, seq) => ({ time, seq })).sort((x, y) => x.time - y.time || x.seq - y.seq);
        expect(queueInOrder(queue).map((i) => ({ time: i.time, seq: i.seq }))).toEqual(expected);
        const popped = [];
        for (let item = queuePop(queue); item; item = queuePop(queue)) popped.push({ time: item.time, seq: item.seq });
        expect(popped).toEqual(expected);
        expect(queue.size).toBe(0);
      }),
    );
  });

  it('keeps (time, seq) order whatever the order of pushes and pops, and a copy goes its own way', () => {
    // Operations: push an item at now + delay (seq in push order, or a smaller one: out of order), or pop.
    const op = fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 5 }), late: fc.boolean() }), fc.constant({ pop: true as const }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), fc.integer({ min: 0, max: 300 }), (ops, copyAt) => {
        const queue = createQueue();
        // The model: a plain list kept sorted by (time, seq).
        const model: QueueItem[] = [];
        let now = 0;
        let seq = 1000;
        let copy: { queue: ReturnType<typeof createQueue>; items: QueueItem[] } | null = null;
        // After the copy, every third operation goes to the copy instead, so that the two queues'
        // pushes and pops interleave (the queue remembers the buckets it last used, by queue).
        let copyNow = 0;
        ops.forEach((o, i) => {
          if (i === copyAt) {
            copy = { queue: copyQueue(queue), items: [...model] };
            copyNow = now;
          }
          const kept = copy as { queue: ReturnType<typeof createQueue>; items: QueueItem[] } | null;
          const onCopy = kept !== null && i % 3 === 0;
          const q = onCopy ? kept.queue : queue;
          const items = onCopy ? kept.items : model;
          if ('pop' in o) {
            const item = queuePop(q);
            expect(item).toBe(items.shift());
            if (item && onCopy) copyNow = item.time;
            else if (item) now = item.time;
          } else {
            const item: QueueItem = { type: 'action', time: (onCopy ? copyNow : now) + o.push, seq: o.late ? seq-- - 2000 : seq++, actionId: i };
            queuePush(q, item);
            items.push(item);
            items.sort((x, y) => x.time - y.time || x.seq - y.seq);
          }
          expect(q.size).toBe(items.length);
          expect(queuePeek(q)).toBe(items[0]);
        });
        expect(queueInOrder(queue)).toEqual(model);
        const kept = copy as { queue: ReturnType<typeof createQueue>; items: QueueItem[] } | null;
        if (kept) expect(queueInOrder(kept.queue)).toEqual(kept.items);
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
    expect(sim.state.queue.size).toBe(0);
    expect(queueInOrder(sim.state.queue)).toEqual([]);
    expect(sim.state.cancelled.size).toBe(0);
    expect(sim.state.timers.size).toBe(0);
    // Dropping a cancelled timer is not a step: the run takes as many steps as items it processed.
    expect(new Set(sim.trace.map((e) => e.step)).size).toBe(sim.stepCount);
  });
});
