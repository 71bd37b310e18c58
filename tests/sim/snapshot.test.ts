// snapshotState: what a checkpoint copies and what it shares. Sharing what no step changes, and
// copying devices only when a step changes them, keeps snapshots cheap (a script of 800 actions, a
// storm of frames in flight, thousands of hosts); copying the rest keeps step back exact
// (tests/sim/engine.test.ts checks that from every point).

import { describe, expect, it } from 'vitest';
import { scenario, scenarios } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import { queueInOrder, queuePeek } from '../../src/sim/engine/event-queue';
import { deepCopy, snapshotState } from '../../src/sim/engine/state';

function manyActions(count: number) {
  const base = structuredClone(scenario('hub-vs-bridge/bridge'));
  base.traffic = Array.from({ length: count }, () => structuredClone(base.traffic[0]!));
  return base;
}

describe('snapshots', () => {
  it('share the topology, queued items, action records and devices, and copy everything else a step changes', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'));
    sim.step();
    sim.step();
    const live = sim.state;
    const copy = snapshotState(live);
    expect(copy.links).toBe(live.links);
    expect(copy.devicePorts).toBe(live.devicePorts);
    expect(copy.queue).not.toBe(live.queue);
    expect(copy.queue.buckets).not.toBe(live.queue.buckets);
    // Items are shared (never changed once queued); the lists holding them are not.
    expect(queueInOrder(copy.queue)).toEqual(queueInOrder(live.queue));
    expect(queuePeek(copy.queue)).toBe(queuePeek(live.queue));
    expect(copy.devices).not.toBe(live.devices);
    expect(copy.devices.get('br0')).toBe(live.devices.get('br0'));
    // The table of records is the snapshot's own; the records are shared until an action finishes,
    // which replaces its record in the live state.
    expect(copy.actions).not.toBe(live.actions);
    expect(copy.actions[1]).toBe(live.actions[1]);
    expect(copy).toEqual(structuredClone(live));
    // The next steps change B, C and D: the live state gets copies, the snapshot keeps its own.
    const before = structuredClone(copy);
    sim.run();
    expect(live.devices.get('B')).not.toBe(copy.devices.get('B'));
    // An action that finished after the snapshot: finished in the live state, not in the snapshot.
    const later = Object.values(live.actions).find((record) => copy.actions[record.id]!.outcome === undefined)!;
    expect(later.outcome).toBeDefined();
    expect(copy.actions[later.id]).not.toBe(later);
    expect(copy).toEqual(before);
  });

  // A field that a step changes in place but the snapshot shares would make the snapshot change
  // with the run: this catches one forgotten by snapshotState, for every chapter scenario.
  it.each(Object.keys(scenarios))('%s: a snapshot taken at any step stays exactly as it was while the run goes on', (id) => {
    const sim = new Simulation(scenario(id), { history: false });
    const taken: Array<{ snapshot: ReturnType<typeof snapshotState>; picture: unknown }> = [];
    while (sim.canStep) {
      const snapshot = snapshotState(sim.state);
      taken.push({ snapshot, picture: structuredClone(snapshot) });
      sim.step();
    }
    expect(taken.length).toBeGreaterThan(3);
    for (const { snapshot, picture } of taken) expect(snapshot).toEqual(picture);
  });

  it('deepCopy copies plain data and refuses what is not', () => {
    const value = { a: [1, { b: new Map([['k', { c: new Set([1, 2]) }]]) }], bytes: Uint8Array.of(1, 2) };
    const copy = deepCopy(value);
    expect(copy).toEqual(value);
    expect(copy.a[1]).not.toBe(value.a[1]);
    expect(copy.bytes).not.toBe(value.bytes);
    expect(() => deepCopy({ when: new Date(0) })).toThrow(/Date/);
    expect(() => deepCopy({ f: () => 1 })).toThrow(/function/);
  });

  it('keep a run of 800 scripted actions about as fast with checkpoints every 32 steps as without', () => {
    const input = manyActions(800);
    // CPU time, not wall time, and the best of five: a busy machine makes a run wait for a core,
    // not work more.
    const time = (interval: number) => {
      let best = Infinity;
      for (let i = 0; i < 5; i++) {
        const sim = new Simulation(input, { checkpointInterval: interval });
        const start = process.cpuUsage();
        sim.run(500);
        const used = process.cpuUsage(start);
        best = Math.min(best, (used.user + used.system) / 1000);
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
