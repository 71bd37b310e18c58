// fdb_max_learned (Linux 6.8, net/bridge/br_fdb.c fdb_create): once a bridge holds that many learned
// entries it learns no new source MAC, so frames to an unlearned MAC are flooded as unknown unicast;
// entries already there are still refreshed, and an entry that ages out frees its place. On a bridge
// box, a VLAN-aware switch and a namespace's bridge.

import { describe, expect, it } from 'vitest';
import { dockerHostScenario, DOCKER_HOST_MAC as M } from '../../src/scenarios/docker-host';
import { Simulation } from '../../src/sim/engine/simulation';
import type { DeviceSpec, Scenario } from '../../src/sim/scenario/format';
import { buildReport } from '../../src/sim/report';
import { validateScenario } from '../../src/sim/scenario/validate';
import { macTable } from '../../src/sim/tables';
import { host, mac, scenarioOf } from './build';

function run(scenario: Scenario) {
  const sim = new Simulation(scenario, { history: false });
  sim.run();
  return { sim, report: buildReport(sim) };
}

/** A, B, C, D on p1–p4 of `sw` (a bridge box or a switch) with a table limit of 2; A pings B, then C pings D. */
function fourHosts(kind: 'bridge' | 'switch', limit: number | undefined): Scenario {
  const hosts = ['A', 'B', 'C', 'D'].map((name, i) => host(name, i + 1));
  const ports = ['p1', 'p2', 'p3', 'p4'];
  const sw: DeviceSpec = kind === 'bridge' ? { id: 'sw', kind: 'bridge', ports } : { id: 'sw', kind: 'switch', ports: ports.map((port) => ({ port })) };
  if (limit !== undefined) sw.fdbMaxLearned = limit;
  return scenarioOf([...hosts, sw], hosts.map((h, i) => ({ a: `${h.id}:eth0`, b: `sw:p${i + 1}` })), [
    { from: 'A', do: 'ping', to: 'B', at: 0 },
    { from: 'C', do: 'ping', to: 'D', at: 1000 },
  ]);
}

describe.each(['bridge', 'switch'] as const)('fdbMaxLearned on a %s box', (kind) => {
  it('with a limit of 2 learns A and B, refuses C and D with fdb-full, and floods C’s and D’s unicast to every other port', () => {
    const { sim, report } = run(fourHosts(kind, 2));
    expect(macTable(sim.state, 'sw')!.map((r) => r.mac)).toEqual([mac(1), mac(2)]);
    expect(report.actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    const refused = sim.trace.filter((e) => e.reason === 'fdb-full');
    expect(new Set(refused.map((e) => e.text!.match(/does not learn ([0-9a-f:]{17})/)![1]))).toEqual(new Set([mac(3), mac(4)]));
    expect(refused[0]!.text).toMatch(/already holds 2 learned entries, its limit \(fdb_max_learned\)/);
    // C → D ping: every unicast frame of it (ARP reply, echo request, echo reply) is an fdb-miss flood, so A and B hear all three.
    expect(Object.keys(report.actions[1]!.receivedBy).filter((d) => d !== 'sw').sort()).toEqual(['A', 'B', 'C', 'D']);
    const misses = sim.trace.filter((e) => e.device === 'sw' && e.reason === 'fdb-miss');
    expect(misses.length).toBe(3); // ARP reply, echo request, echo reply: each one flood
    // …so A, a bystander, reads C's broadcast ARP request and those three unicast frames.
    expect(sim.trace.filter((e) => e.kind === 'receive' && e.device === 'A' && e.time >= 1000).length).toBe(4);
    // A ↔ B, learned, stays unicast: C and D received only A's ARP request (broadcast) from that ping.
    const heardByC = sim.trace.filter((e) => e.kind === 'receive' && e.device === 'C' && e.time < 1000);
    expect(heardByC.length).toBe(1);
    expect(sim.trace.filter((e) => e.device === 'sw' && e.reason === 'fdb-hit').length).toBeGreaterThanOrEqual(3);
  });

  it('without a limit (or 0) learns all four and floods nothing but broadcasts', () => {
    for (const limit of [undefined, 0]) {
      const { sim } = run(fourHosts(kind, limit));
      expect(macTable(sim.state, 'sw')!.map((r) => r.mac)).toEqual([mac(1), mac(2), mac(3), mac(4)]);
      expect(sim.trace.filter((e) => e.reason === 'fdb-full' || (e.device === 'sw' && e.reason === 'fdb-miss'))).toEqual([]);
    }
  });
});

describe('fdbMaxLearned: ageing frees a place', () => {
  it('after A’s and B’s entries age out (ageing 10 s), C and D are learned', () => {
    const scenario = fourHosts('bridge', 2);
    (scenario.devices.find((d) => d.id === 'sw') as { ageingTime?: number }).ageingTime = 10;
    scenario.traffic[1]!.at = 20_000;
    const { sim } = run(scenario);
    expect(sim.trace.filter((e) => e.reason === 'fdb-full')).toEqual([]);
    expect(sim.trace.filter((e) => e.reason === 'fdb-aged').length).toBe(2);
    expect(macTable(sim.state, 'sw')!.map((r) => r.mac)).toEqual([mac(3), mac(4)]);
  });
});

describe('fdbMaxLearned on a namespace bridge', () => {
  it('br0 with a limit of 1 learns c1 only; the reply to c1… c2 is never learned and br0 floods the frames to it', () => {
    const scenario = dockerHostScenario([{ from: 'c1', do: 'ping', to: 'c2', at: 0 }]);
    const server = scenario.devices.find((d) => d.id === 'server') as Extract<DeviceSpec, { kind: 'router' }>;
    server.bridges![0]!.fdbMaxLearned = 1;
    const { sim, report } = run(scenario);
    expect(report.actions[0]!.outcome).toBe('ok');
    expect(macTable(sim.state, 'server', 'br0')!.filter((r) => !r.permanent).map((r) => r.mac)).toEqual([M.c1]);
    expect(sim.trace.some((e) => e.reason === 'fdb-full' && e.text!.includes(`server's br0 does not learn ${M.c2}`))).toBe(true);
    // c1's echo request to c2 is unknown unicast: flooded (to veth2, the only other port).
    expect(sim.trace.filter((e) => e.device === 'server' && e.reason === 'fdb-miss').length).toBeGreaterThan(0);
  });
});

describe('fdbMaxLearned validation', () => {
  it.each([
    ['a negative limit', -1],
    ['a fraction', 1.5],
    ['a string', '10'],
    ['more than 1,000,000', 1_000_001],
  ])('refuses %s on a switch, naming the field', (_name, value) => {
    const result = validateScenario({ format: 'vnet-live/scenario@2', id: 't', title: 't', devices: [{ id: 'sw', kind: 'switch', ports: [{ port: 'p1' }], fdbMaxLearned: value }], links: [], traffic: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(['devices[0].fdbMaxLearned']);
    expect(result.errors[0]!.message).toMatch(/expected a limit of learned MAC addresses/);
  });
});
