import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queueInOrder } from '../../src/sim/engine/event-queue';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { scenario, scenarios } from '../../src/scenarios/index';
import { SCENARIO_FORMAT } from '../../src/sim/scenario/format';
import { host, scenarioOf, star } from './build';

const ids = Object.keys(scenarios);

/**
 * A comparable picture of a simulation: its state and its trace. The queue is pictured as its items
 * in the order they will run: a restored copy drops the items its original had popped from its
 * earliest bucket, so the two hold the same items in lists of different lengths.
 */
function picture(sim: Simulation) {
  return { state: { ...structuredClone(sim.state), queue: queueInOrder(sim.state.queue) }, trace: sim.trace.map((e) => ({ ...e, text: e.text })) };
}

describe('engine: determinism', () => {
  it.each(ids)('runs %s to the same trace every time', (id) => {
    const first = new Simulation(scenario(id));
    first.run();
    const second = new Simulation(scenario(id));
    second.run();
    expect(second.trace).toEqual(first.trace);
    expect(second.trace.length).toBeGreaterThan(0);
  });

  it('takes randomness only from the seed: another seed changes the ping identifier, not the decisions', () => {
    const a = new Simulation(scenario('hub-vs-bridge/bridge'), { seed: 1 });
    const b = new Simulation(scenario('hub-vs-bridge/bridge'), { seed: 2 });
    a.run();
    b.run();
    expect(b.trace.map((e) => [e.kind, e.reason, e.device, e.port, e.time])).toEqual(a.trace.map((e) => [e.kind, e.reason, e.device, e.port, e.time]));
    expect(b.trace.map((e) => e.text)).not.toEqual(a.trace.map((e) => e.text));
  });

  it('processes items due at the same time in the order they were scheduled', () => {
    const sim = new Simulation(star('hub', ['A', 'B', 'C', 'D'], [{ from: 'A', do: 'raw', to: 'broadcast' }]));
    sim.run();
    expect(sim.trace.filter((e) => e.kind === 'receive' && e.device !== 'sw').map((e) => e.device)).toEqual(['B', 'C', 'D']);
  });
});

describe('engine: step back', () => {
  it.each(ids)('step back from any point of %s equals replaying to that point', (id) => {
    const total = (() => {
      const sim = new Simulation(scenario(id));
      sim.run();
      return sim.stepCount;
    })();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total }), fc.integer({ min: 0, max: total }), fc.integer({ min: 1, max: 8 }), (forward, back, interval) => {
        const sim = new Simulation(scenario(id), { checkpointInterval: interval });
        for (let i = 0; i < forward; i++) sim.step();
        const steps = Math.min(back, sim.stepCount);
        for (let i = 0; i < steps; i++) expect(sim.stepBack()).toBe(true);
        const replay = new Simulation(scenario(id));
        for (let i = 0; i < sim.stepCount; i++) replay.step();
        expect(picture(sim)).toEqual(picture(replay));
      }),
      // 15 random points of each of the 33 chapter scenarios (495 in all), each with its own checkpoint
      // interval; 25 each cost the unit tests about 4 CPU-seconds more on a CPU-bound suite.
      { numRuns: 15 },
    );
  });

  it('restores every frame in flight and every table, and can go forward again to the same trace', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'), { checkpointInterval: 4 });
    sim.step(); // A sends
    sim.step(); // br0 floods to B, C and D
    const before = picture(sim);
    const inFlight = sim.framesInFlight().map((f) => `${f.device}:${f.port}`);
    expect(inFlight).toEqual(['B:eth0', 'C:eth0', 'D:eth0']);
    sim.step();
    sim.step();
    sim.stepBack();
    sim.stepBack();
    expect(picture(sim)).toEqual(before);
    expect(sim.framesInFlight().map((f) => `${f.device}:${f.port}`)).toEqual(inFlight);
    sim.run();
    const straight = new Simulation(scenario('hub-vs-bridge/bridge'));
    straight.run();
    expect(sim.trace).toEqual(straight.trace);
  });

  it('undoes an injected action (the reader\'s Send packet) like any other step', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'));
    sim.run();
    const settled = picture(sim);
    sim.inject({ from: 'C', do: 'ping', to: 'D' });
    sim.run();
    expect(sim.state.actions[5]!.outcome?.ok).toBe(true);
    while (sim.stepCount > settled.state.step) sim.stepBack();
    expect(picture(sim)).toEqual(settled);
  });

  it('refuses to step back before the start', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/hub'));
    expect(sim.stepBack()).toBe(false);
    sim.step();
    sim.reset();
    expect(sim.stepCount).toBe(0);
    expect(sim.trace).toEqual([]);
  });
});

describe('engine: storms and budgets', () => {
  it('detects a loop of two bridges without STP and halts the broadcast storm, counting the copies', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/loop'));
    sim.run();
    expect(sim.halted?.reason).toBe('broadcast-storm');
    expect(sim.halted?.text).toMatch(/copied \d+ times/);
    const loop = sim.trace.find((e) => e.kind === 'loop')!;
    expect(loop.reason).toBe('loop-detected');
    expect(sim.trace.filter((e) => e.reason === 'fdb-move').length).toBeGreaterThan(0);
    expect(sim.canStep).toBe(false);
    expect(sim.step()).toBeNull();
  });

  it('also stops a loop of hubs', () => {
    const sim = new Simulation({
      ...star('hub', ['A', 'B'], [{ from: 'A', do: 'raw', to: 'B' }]),
      devices: [...star('hub', ['A', 'B'], []).devices.map((d) => (d.kind === 'hub' ? { ...d, ports: ['p1', 'p2', 'p3', 'p4'] } : d))],
      links: [...star('hub', ['A', 'B'], []).links, { a: 'sw:p3', b: 'sw:p4' }],
    });
    sim.run();
    expect(sim.halted?.reason).toBe('broadcast-storm');
  });

  it('says which kind of link a loop closed over: a veth pair (args.veth) or a cable (no flag)', () => {
    // A veth pair between two ports of one bridge in one namespace: br0 floods its own ARP request into it.
    const veth = new Simulation({
      format: SCENARIO_FORMAT, id: 'veth-loop', title: 'veth loop', description: 'A veth pair joins two ports of br0.',
      devices: [{ id: 'a', kind: 'host', node: 'n', nics: [{ port: 'p1', mac: '02:00:00:00:00:11' }, { port: 'p2', mac: '02:00:00:00:00:12' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24', ports: ['p1', 'p2'] }] }],
      links: [{ a: 'a:p1', b: 'a:p2', type: 'veth' }],
      traffic: [{ from: 'a', do: 'ping', to: '10.0.0.9', at: 0 }],
    });
    veth.run();
    const overVeth = veth.trace.find((e) => e.kind === 'loop')!;
    expect(overVeth.args).toEqual({ peer: { device: 'a', port: overVeth.port === 'p1' ? 'p2' : 'p1' }, veth: true });
    expect(overVeth.text).toContain('already crossed the veth pair from a');
    const cable = new Simulation(scenario('hub-vs-bridge/loop'));
    cable.run();
    const overCable = cable.trace.find((e) => e.kind === 'loop')!;
    expect(overCable.args).not.toHaveProperty('veth');
    expect(overCable.text).toContain('already crossed the cable from');
  });

  it('halts a run that exceeds its step budget, and says so', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/bridge'));
    sim.run(5);
    expect(sim.halted?.reason).toBe('event-budget');
    expect(sim.trace.at(-1)!.kind).toBe('halt');
    expect(sim.stepCount).toBe(5);
  });

  it('does not mistake a loop-free flood for a loop', () => {
    for (const id of ids.filter((i) => !i.endsWith('/loop'))) {
      const sim = new Simulation(scenario(id));
      sim.run();
      expect(sim.halted, id).toBeNull();
      expect(sim.trace.some((e) => e.kind === 'loop'), id).toBe(false);
    }
  });
});

describe('actions cut short by a halt', () => {
  it('reports a ping the storm stopped as "stopped", not as still running', () => {
    const looped = scenarioOf(
      [host('A', 1), host('B', 2), { id: 's1', kind: 'bridge', ports: ['p1', 'p2', 'p3'] }, { id: 's2', kind: 'bridge', ports: ['p1', 'p2', 'p3'] }],
      [{ a: 'A:eth0', b: 's1:p1' }, { a: 'B:eth0', b: 's2:p1' }, { a: 's1:p2', b: 's2:p2' }, { a: 's1:p3', b: 's2:p3' }],
      [{ from: 'A', do: 'ping', to: 'B' }],
    );
    const sim = new Simulation(looped);
    sim.run();
    expect(sim.state.halted?.reason).toBe('broadcast-storm');
    expect(sim.actionStatus(1)).toBe('stopped');
  });

  it('calls the chapter loop\'s broadcast "stopped" once the storm halts the run, though it was "sent", and so does the report', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/loop'));
    sim.step();
    // The broadcast has left A: finished, and well, while nothing has gone wrong yet.
    expect(sim.state.actions[1]!.outcome?.ok).toBe(true);
    expect(sim.actionStatus(1)).toBe('ok');
    sim.run();
    expect(sim.state.halted?.reason).toBe('broadcast-storm');
    expect(sim.actionStatus(1)).toBe('stopped');
    expect(buildReport(sim).actions[0]!.outcome).toBe('stopped');
  });
});
