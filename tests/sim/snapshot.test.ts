// snapshotState: what a checkpoint copies and what it shares. Sharing what no step changes keeps
// snapshots cheap (a script of 800 actions, a storm of frames in flight, 2,000 hosts); copying
// the rest keeps step back exact (tests/sim/engine.test.ts checks that from every point).

import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import { snapshotState } from '../../src/sim/engine/state';

function manyActions(count: number) {
  const base = structuredClone(scenario('hub-vs-bridge/bridge'));
  base.traffic = Array.from({ length: count }, () => structuredClone(base.traffic[0]!));
  return base;
}

describe('snapshots', () => {
  it('share the topology, queued items and action specs, and copy everything a step changes', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'));
    sim.step();
    sim.step();
    const live = sim.state;
    const copy = snapshotState(live);
    expect(copy.links).toBe(live.links);
    expect(copy.portLinks).toBe(live.portLinks);
    expect(copy.queue).not.toBe(live.queue);
    expect(copy.queue[0]).toBe(live.queue[0]);
    expect(copy.devices).not.toBe(live.devices);
    expect(copy.devices.get('br0')).not.toBe(live.devices.get('br0'));
    expect(copy.actions[1]).not.toBe(live.actions[1]);
    expect(copy.actions[1]!.action).toBe(live.actions[1]!.action);
    expect(copy).toEqual(structuredClone(live));
  });

  it('keep a run of 800 scripted actions about as fast with checkpoints every 32 steps as without', () => {
    const input = manyActions(800);
    const time = (interval: number) => {
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const sim = new Simulation(input, { checkpointInterval: interval });
        const start = performance.now();
        sim.run(500);
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    // Before snapshots shared the queue and the action specs, checkpoints made this run ~50 times slower.
    expect(time(32)).toBeLessThan(time(1e9) * 5 + 50);
  });

  it('restore action outcomes exactly when stepping back over them', () => {
    const sim = new Simulation(manyActions(50), { checkpointInterval: 3 });
    sim.run(400);
    const finished = Object.values(sim.state.actions).filter((a) => a.outcome).length;
    expect(finished).toBeGreaterThan(1);
    while (Object.values(sim.state.actions).filter((a) => a.outcome).length === finished) sim.stepBack();
    expect(Object.values(sim.state.actions).filter((a) => a.outcome)).toHaveLength(finished - 1);
  });
});
