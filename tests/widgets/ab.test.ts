// A/B mode (issue 14): two designs run the same traffic under one transport, aligned by virtual
// time, and what differs is read from both traces: who received which action's frames, the bytes
// a shared device received, the table rows one side holds. No DOM: the model and its pure parts.

import { describe, expect, it } from 'vitest';
import { AB_PAIRS, comparisons, pairedScenario } from '../../src/scenarios/ab-pairs.ts';
import { scenario } from '../../src/scenarios/index.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';
import { diffRuns, firstDifference, listOf, receptionsByAction, rowsOnlyIn, macRowKey } from '../../src/widgets/ab/ab-diff.ts';
import { createAbModel, type AbModel } from '../../src/widgets/ab/ab-model.ts';
import { createAbTimeline, type AbRun } from '../../src/widgets/ab/ab-timeline.ts';
import { createPlayerModel } from '../../src/widgets/player-model.ts';

const hub = scenario('hub-vs-bridge/hub');
const bridge = () => pairedScenario(hub, scenario('hub-vs-bridge/bridge'));

function simRun(sim: Simulation): AbRun {
  return {
    steps: () => sim.stepCount,
    now: () => sim.now,
    nextTime: () => (sim.canStep ? (sim.peekNext()?.time ?? null) : null),
    advance: () => void sim.step(),
    goTo: (n) => {
      if (n < sim.stepCount) sim.stepBackTo(n);
      while (sim.stepCount < n && sim.step());
    },
    send: (action) => void sim.inject(action),
    reset: () => sim.reset(),
  };
}

function toEnd(model: AbModel): void {
  for (let n = 0; model.canStep.value; n++) {
    if (n > 1000) throw new Error('A/B did not reach its end');
    model.stepForward();
  }
}

/** Devices that received frames of action `id` in a run. */
function receivers(sim: Simulation, id: number): string[] {
  return [...(receptionsByAction(sim.trace).get(id)?.keys() ?? [])].sort();
}

describe('A/B: alignment by time', () => {
  it('each moment takes both runs through everything due at one virtual time, and no run goes past it', () => {
    const a = new Simulation(hub);
    const b = new Simulation(bridge());
    const timeline = createAbTimeline(simRun(a), simRun(b));
    let last = -1;
    while (timeline.forward()) {
      const m = timeline.moments[timeline.at()]!;
      expect(m.time).toBeGreaterThan(last);
      last = m.time;
      for (const sim of [a, b]) {
        // Whatever a run did last happened at or before the moment, and nothing due at it is left.
        expect(sim.now).toBeLessThanOrEqual(m.time);
        if (sim.canStep) expect(sim.peekNext()!.time).toBeGreaterThan(m.time);
      }
    }
    // Both ran the script to its end: the same moments as times at which either had work.
    expect(a.canStep || b.canStep).toBe(false);
    expect(timeline.moments.map((m) => m.time)).toEqual([0, 0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32, 33, 34, 35, 36, 37, 38]);
  });

  it('the moment a hub and a bridge handle B\'s answer is the same moment, and C receives it only behind the hub', () => {
    const model = createAbModel(hub, bridge(), { createModel: createPlayerModel });
    // t = 12 is when B's answer (action 2) reaches the hosts.
    while (model.time.value < 12) model.stepForward();
    const { a, b } = { a: model.models.a.sim, b: model.models.b.sim };
    expect(a.now).toBe(12);
    expect(b.now).toBe(12);
    expect(receivers(a, 2)).toEqual(['A', 'C', 'D', 'hub']);
    expect(receivers(b, 2)).toEqual(['A', 'br0']);
    model.dispose();
  });

  it('step back and the scrubber put both runs back at the exact steps of a moment, and Step replays them', () => {
    const model = createAbModel(hub, bridge(), { createModel: createPlayerModel });
    const seen: string[] = [];
    const picture = () => JSON.stringify([model.moment.value, model.models.a.step.value, model.models.b.step.value, model.models.a.log.value.length, model.models.b.macTables.value, model.summary.value]);
    seen.push(picture());
    while (model.canStep.value) {
      model.stepForward();
      seen.push(picture());
    }
    const end = seen.length - 1;
    model.goTo(5);
    expect(picture()).toBe(seen[5]);
    model.stepBack();
    expect(picture()).toBe(seen[4]);
    model.stepForward();
    model.stepForward();
    expect(picture()).toBe(seen[6]);
    model.goTo(end);
    expect(picture()).toBe(seen[end]);
    model.reset();
    expect(picture()).toBe(seen[0]);
    model.dispose();
  });

  it("the reader's send goes to both runs as one moment, and what was ahead is forgotten", () => {
    const model = createAbModel(hub, bridge(), { createModel: createPlayerModel });
    toEnd(model);
    model.goTo(3);
    model.send({ from: 'D', do: 'raw', to: 'A', payload: 'from D' });
    expect(model.horizon.value).toBe(4);
    toEnd(model);
    const id = hub.traffic.length + 1;
    // Action 5, D's frame to A: the bridge knows A (it learned A's port from A's first frame), the hub does not care.
    expect(receivers(model.models.a.sim, id)).toEqual(['A', 'B', 'C', 'hub']);
    expect(receivers(model.models.b.sim, id)).toEqual(['A', 'br0']);
    model.dispose();
  });
});

describe('A/B: what differs', () => {
  it('hub vs bridge with the same traffic: C is among A\'s receivers of B\'s answer and not B\'s, and the summary says why', () => {
    const model = createAbModel(hub, bridge(), { createModel: createPlayerModel });
    toEnd(model);
    const diff = model.diff.value;
    const c = diff.receivers.filter((r) => r.device === 'C');
    // B's answer and A's second frame to B: the hub repeats both to C, the bridge forwards them to their host only.
    expect(c.map((r) => [r.actionId, r.in])).toEqual([
      [2, 'a'],
      [3, 'a'],
    ]);
    // Nothing reaches a host behind the bridge that the hub did not repeat to it too.
    expect(diff.receivers.filter((r) => r.in === 'b')).toEqual([]);
    expect(c[0]!.why.a).toMatch(/^hub is a hub: it repeats the frame/);
    expect(c[0]!.why.b).toMatch(/^br0 knows 02:00:00:00:00:0a is behind port p1/);
    // The latest action whose receivers differ is A's second frame to B (A's ping to C starts with
    // an ARP broadcast, which B and D receive through either design).
    expect(model.summary.value).toMatch(/^A sends to B again: C and D received the frame in design A \(hub is a hub: it repeats/);
    expect(model.summary.value).toMatch(/, not in design B \(br0 knows 02:00:00:00:00:0b is behind port p2: it forwards the frame there only\)\.$/);
    // The hub repeats every frame to three hosts; the bridge, once it has learned, to one.
    expect(diff.wire.a.frames).toBeGreaterThan(diff.wire.b.frames);
    model.dispose();
  });

  it('before B answers, both designs flooded A\'s first frame: no receiver differs and the summary says so', () => {
    const model = createAbModel(hub, bridge(), { createModel: createPlayerModel });
    while (model.time.value < 2) model.stepForward();
    expect(model.diff.value.receivers).toEqual([]);
    expect(model.summary.value).toMatch(/same frames so far|No difference so far/);
    model.dispose();
  });

  it("table diff: the bridge's MAC table rows are B's alone; learning off (ageing time 0) keeps none of them", () => {
    const model = createAbModel(hub, bridge(), { createModel: createPlayerModel });
    toEnd(model);
    expect(model.onlyMac.value.a.size).toBe(0);
    expect([...model.onlyMac.value.b].sort()).toEqual(['br0|02:00:00:00:00:0a|p1|0', 'br0|02:00:00:00:00:0b|p2|0', 'br0|02:00:00:00:00:0c|p3|0']);
    // The same ARP caches: A and C learned each other's MAC through either design.
    expect(model.onlyArp.value.a.size + model.onlyArp.value.b.size).toBe(0);
    model.dispose();

    const learning = scenario('hub-vs-bridge/bridge');
    const off = createAbModel(learning, pairedScenario(learning, scenario('hub-vs-bridge/bridge-ageing-zero')), { createModel: createPlayerModel });
    toEnd(off);
    expect(off.onlyMac.value.a.size).toBe(3);
    expect(off.onlyMac.value.b.size).toBe(0);
    off.dispose();
  });

  it('rowsOnlyIn ignores a row\'s age: the same entry learned at another moment is no difference', () => {
    const table = (age: string) => [{ device: 'br0', name: 'br0', rows: [{ mac: '02:00:00:00:00:0a', owner: 'A', port: 'p1', vlan: 0, age }] }];
    expect(rowsOnlyIn(table('0.001'), table('0.5'), macRowKey).size).toBe(0);
    const moved = [{ device: 'br0', name: 'br0', rows: [{ mac: '02:00:00:00:00:0a', owner: 'A', port: 'p2', vlan: 0, age: '0' }] }];
    expect([...rowsOnlyIn(table('0'), moved, macRowKey)]).toEqual(['br0|02:00:00:00:00:0a|p1|0']);
  });

  it('VLAN vs VXLAN: the spine receives the same ping in other bytes (802.1Q-tagged vs encapsulated in UDP)', () => {
    const a = scenario('vlan-vs-vxlan/stretched-vlan');
    const b = pairedScenario(a, scenario('vlan-vs-vxlan/two-vteps'));
    const simA = new Simulation(a);
    const simB = new Simulation(b);
    simA.run();
    simB.run();
    const diff = diffRuns(simA, simB);
    const spine = diff.bytes.find((d) => d.device === 'spine');
    expect(spine).toBeDefined();
    // Different frames from the first one on (a tagged ARP broadcast; the VTEP's own ARP for its gateway),
    // and more bytes through the spine with VXLAN: every inner frame carries 50 bytes of outer headers.
    expect(spine!.firstDifference).toBeGreaterThanOrEqual(0);
    expect(spine!.firstDifference).toBeLessThan(14);
    expect(spine!.bytes.b).toBeGreaterThan(spine!.bytes.a);
    // The VMs themselves get their ping either way.
    expect(diff.receivers.filter((r) => r.device === 'vm2')).toEqual([]);
  });

  it('firstDifference and listOf', () => {
    expect(firstDifference(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(-1);
    expect(firstDifference(new Uint8Array([1, 2, 3]), new Uint8Array([1, 9, 3]))).toBe(1);
    expect(firstDifference(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(2);
    expect(listOf(['C'])).toBe('C');
    expect(listOf(['C', 'D'])).toBe('C and D');
    expect(listOf(['B', 'C', 'D'])).toBe('B, C and D');
  });
});

describe('A/B pairs', () => {
  it.each(AB_PAIRS.map((p) => [p.a, p.b]))('%s vs %s: B runs A\'s traffic, and the two runs differ', (aId, bId) => {
    const a = scenario(aId);
    const b = pairedScenario(a, scenario(bId));
    expect(b.traffic).toEqual(a.traffic);
    expect(b.devices).toEqual(scenario(bId).devices);
    const simA = new Simulation(a);
    const simB = new Simulation(b);
    simA.run();
    simB.run();
    const diff = diffRuns(simA, simB);
    expect(diff.receivers.length + diff.bytes.length + Math.abs(diff.wire.a.bytes - diff.wire.b.bytes)).toBeGreaterThan(0);
  });

  it("comparisons(id) lists a player's B designs, each with A's traffic", () => {
    expect(comparisons('hub-vs-bridge/hub').map((c) => c.scenario.id)).toEqual(['hub-vs-bridge/bridge']);
    expect(comparisons('hub-vs-bridge/bridge').map((c) => c.scenario.id)).toEqual(['hub-vs-bridge/hub', 'hub-vs-bridge/bridge-ageing-zero']);
    expect(comparisons('hub-vs-bridge/loop')).toEqual([]);
  });
});
