// Loop detection's record of where a frame's copies went (engine/state.ts crossedBefore): a short
// list for the first crossings, a bitmap past them; either way a second crossing of the same cable
// the same way is a loop, and a snapshot's copy does not change with the original.
import { describe, expect, it } from 'vitest';
import { crossedBefore, FEW_CROSSINGS, snapshotState, type OriginRecord } from '../../src/sim/engine/state';
import { buildState } from '../../src/sim/engine/engine';
import { scenarios } from '../../src/scenarios';

const fresh = (): OriginRecord => ({ few: [], crossings: null, copies: 0, inFlight: 0, loopReported: false });

describe('an origin record of crossings', () => {
  it('says a crossing was seen before only the second time, in the list and after it becomes a bitmap', () => {
    const record = fresh();
    const links = 5000;
    const crossings = Array.from({ length: FEW_CROSSINGS + 20 }, (_, i) => (i * 397) % (2 * links));
    for (const [i, c] of crossings.entries()) {
      expect(crossedBefore(record, c, links), `first crossing ${c}`).toBe(false);
      expect(record.crossings === null, `a list up to ${FEW_CROSSINGS}`).toBe(i < FEW_CROSSINGS);
    }
    // Every crossing, from the list days and after, is remembered.
    for (const c of crossings) expect(crossedBefore(record, c, links), `again ${c}`).toBe(true);
    expect(crossedBefore(record, 2 * links - 1, links)).toBe(false);
    expect(crossedBefore(record, 1, links)).toBe(false);
    expect(crossedBefore(record, 1, links)).toBe(true);
  });

  it('a snapshot keeps its own copy of both forms', () => {
    const state = buildState(scenarios['hub-vs-bridge/hub']!);
    const listed = fresh();
    crossedBefore(listed, 3, 10);
    const mapped = fresh();
    for (let c = 0; c <= FEW_CROSSINGS; c++) crossedBefore(mapped, c, 40);
    state.origins.set(1, listed);
    state.origins.set(2, mapped);
    const copy = snapshotState(state);
    crossedBefore(listed, 4, 10);
    crossedBefore(mapped, 79, 40);
    expect(crossedBefore(copy.origins.get(1)!, 4, 10)).toBe(false);
    expect(crossedBefore(copy.origins.get(2)!, 79, 40)).toBe(false);
    expect(crossedBefore(copy.origins.get(1)!, 3, 10)).toBe(true);
  });
});
