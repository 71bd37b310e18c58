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

describe('a run with history records its events when they are read', () => {
  // Small checkpoint intervals: reads land in windows replayed from checkpoints, thinned ones too.
  const chapterIds = ids.filter((id) => id.startsWith('one-vlan') || id.startsWith('hub-vs-bridge'));
  const reference = (id: string) => {
    const eager = new Simulation(scenario(id), { history: false });
    eager.run();
    return eager.trace;
  };

  it.each(chapterIds)('%s: any event read in any order is the one an eager run records', (id) => {
    const expected = reference(id);
    for (const checkpointInterval of [1, 5]) {
      const sim = new Simulation(scenario(id), { checkpointInterval });
      sim.run();
      expect(sim.traceLength).toBe(expected.length);
      // Backwards, then a stride through, then every step's events: windows rebuilt, extended and reused.
      for (let i = expected.length - 1; i >= 0; i -= 5) expect(sim.eventAt(i)).toEqual(expected[i]);
      for (let i = 0; i < expected.length; i += 3) expect(sim.eventAt(i)).toEqual(expected[i]);
      for (let n = sim.stepCount; n >= 1; n--) expect(sim.eventsOfStep(n)).toEqual(expected.filter((e) => e.step === n));
      expect(sim.trace).toEqual(expected);
    }
  });

  it('records steps taken one by one as they happen, and a run after them only when read', () => {
    const id = 'one-vlan-per-subnet/trap';
    const expected = reference(id);
    const sim = new Simulation(scenario(id), { checkpointInterval: 2 });
    const firstSteps = [sim.step()!, sim.step()!, sim.step()!].flat();
    expect(firstSteps).toEqual(expected.slice(0, firstSteps.length));
    sim.run();
    expect(sim.eventsOfStep(2)).toEqual(expected.filter((e) => e.step === 2));
    expect(sim.eventAt(expected.length - 1)).toEqual(expected.at(-1));
    // Back into the middle: the window is cut there and live again; the next step is recorded as taken.
    const middle = Math.floor(sim.stepCount / 2);
    while (sim.stepCount > middle) sim.stepBack();
    expect(sim.traceLength).toBe(expected.filter((e) => e.step <= middle).length);
    expect(sim.step()).toEqual(expected.filter((e) => e.step === middle + 1));
    expect(sim.trace).toEqual(expected.filter((e) => e.step <= middle + 1));
  });

  it('replays the reader’s sends and a budget halt into the events it records', () => {
    const build = (history: boolean) => {
      const sim = new Simulation(scenario('hub-vs-bridge/bridge'), { history, checkpointInterval: 2 });
      sim.run(4);
      return sim;
    };
    const eager = build(false);
    const lazy = build(true);
    expect(lazy.halted?.reason).toBe('event-budget');
    expect(lazy.trace).toEqual(eager.trace);
    const send = { from: 'A', do: 'ping', to: 'C' } as const;
    const eagerSend = new Simulation(scenario('hub-vs-bridge/bridge'), { history: false });
    const lazySend = new Simulation(scenario('hub-vs-bridge/bridge'), { checkpointInterval: 2 });
    for (const sim of [eagerSend, lazySend]) {
      sim.run();
      sim.inject(send);
      sim.run();
    }
    expect(lazySend.traceLength).toBe(eagerSend.traceLength);
    expect(lazySend.eventAt(eagerSend.traceLength - 1)).toEqual(eagerSend.trace.at(-1));
    expect(lazySend.trace).toEqual(eagerSend.trace);
  });
});
