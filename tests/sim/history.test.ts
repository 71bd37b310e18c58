// Headless runs (`history: false`, `trace: false`): the same run as with history, minus what only
// stepping back needs; and step back through the cheap checkpoints is exact, field by field.

import { describe, expect, it } from 'vitest';
import { scenario, scenarios } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';

const ids = Object.keys(scenarios);

describe('a headless run (history: false)', () => {
  it.each(ids)('%s: gives the same trace and state as a run with history', (id) => {
    const withHistory = new Simulation(scenario(id));
    withHistory.run();
    const headless = new Simulation(scenario(id), { history: false });
    headless.run();
    expect(headless.keepsHistory).toBe(false);
    expect(headless.trace).toEqual(withHistory.trace);
    expect(headless.state).toEqual(withHistory.state);
    expect(headless.eventsOfStep(headless.stepCount)).toEqual(withHistory.eventsOfStep(withHistory.stepCount));
  });

  it('refuses to step back or reset, and says why', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'), { history: false });
    sim.step();
    sim.step();
    expect(() => sim.stepBack()).toThrow(/history: false/);
    expect(() => sim.reset()).toThrow(/cannot step back/);
    expect(sim.stepCount).toBe(2);
  });

  it('with trace: false records no event but reaches the same tables and outcomes', () => {
    const full = new Simulation(scenario('hub-vs-bridge/bridge'));
    full.run();
    const bare = new Simulation(scenario('hub-vs-bridge/bridge'), { history: false, trace: false });
    bare.run();
    expect(bare.trace).toEqual([]);
    expect(full.trace.length).toBeGreaterThan(0);
    expect(bare.state).toEqual(full.state);
    expect(Object.values(bare.state.actions).map((a) => a.outcome?.ok)).toEqual(Object.values(full.state.actions).map((a) => a.outcome?.ok));
  });
});

describe('eventsOfStep', () => {
  it('returns exactly the events of each step, as the trace records them', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'));
    sim.run();
    const joined = [];
    for (let n = 1; n <= sim.stepCount; n++) {
      const events = sim.eventsOfStep(n);
      expect(events.every((e) => e.step === n)).toBe(true);
      joined.push(...events);
    }
    expect(joined).toEqual(sim.trace);
    expect(sim.eventsOfStep(0)).toEqual([]);
    expect(sim.eventsOfStep(sim.stepCount + 1)).toEqual([]);
  });
});
