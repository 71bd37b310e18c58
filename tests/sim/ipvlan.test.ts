// ipvlan (host/ipvlan.ts), checked against the rules of the kernel's documentation
// (Documentation/networking/ipvlan.rst) and the functions of drivers/net/ipvlan/ipvlan_core.c it
// names, since this machine's kernel has no ipvlan module to compare with (tests/kernel/
// linux-macvlan.test.ts says so when it skips). The rules checked, one test each:
//  1. every child uses the parent's MAC, so the switch sees one MAC (ipvlan.rst: "all slaves share
//     the L2 address of the master");
//  2. the parent demultiplexes by IP address (ipvlan_addr_lookup), not by MAC;
//  3. L2: a child does its own ARP, and a broadcast from outside reaches every child and the parent
//     (ipvlan_multicast_enqueue, RX_HANDLER_PASS);
//  4. L2: a frame to a sibling's address stays inside the host (ipvlan_xmit_mode_l2), and the
//     parent does not receive its children's broadcasts, so a child cannot reach its host;
//  5. L3: a child sends no ARP and no broadcast (IFF_NOARP; ipvlan_process_outbound drops
//     multicast) and its packets are routed in the parent's namespace, source address unchanged;
//  6. L3: a host on the LAN cannot ARP for a child (the child is NOARP): it needs a route via the parent;
//  7. L3S: inbound packets pass the parent's netfilter (connection tracking), L3's do not.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import type { Scenario, TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { buildReport } from '../../src/sim/report';
import { conntrackTable, macTable, routingTable } from '../../src/sim/tables';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame } from '../../src/sim/wire';

const SERVER_MAC = '02:00:00:00:01:00';

function run(design: 'ipvlan-l2' | 'ipvlan-l3', traffic: TrafficAction[], change?: (s: Scenario) => void): Simulation {
  const scenario = structuredClone({ ...scenarios[`macvlan-ipvlan-bridge/${design}`]!, traffic });
  change?.(scenario);
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const sim = new Simulation(result.scenario);
  sim.run();
  return sim;
}

const frames = (sim: Simulation, kind: 'receive' | 'transmit', device: string, port: string) =>
  sim.trace.filter((e) => e.kind === kind && e.device === device && e.port === port).map((e) => e.frame!);

describe('ipvlan, by the rules of Documentation/networking/ipvlan.rst', () => {
  it.each(['ipvlan-l2', 'ipvlan-l3'] as const)('1. %s: every frame the host sends for its children carries the parent\'s MAC; the switch learns one MAC', (design) => {
    const sim = run(design, [{ from: 'c1', do: 'ping', to: 'lan', at: 0 }, { from: 'c2', do: 'ping', to: 'web', at: 6000 }]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    expect(new Set(frames(sim, 'receive', 'sw', 'p1').map((f) => describeFrame(f).source))).toEqual(new Set([SERVER_MAC]));
    expect((macTable(sim.state, 'sw') ?? []).filter((r) => r.port === 'p1').map((r) => r.mac)).toEqual([SERVER_MAC]);
  });

  it('2. the parent hands each frame to the child whose IP address it carries (ipvlan_addr_lookup), both having the same MAC', () => {
    const sim = run('ipvlan-l2', [{ from: 'lan', do: 'ping', to: 'c1', at: 0 }, { from: 'lan', do: 'ping', to: 'c2', at: 6000 }]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    const handed = sim.trace.filter((e) => e.reason === 'ipvlan-rx' && describeFrame(e.frame!).protocol === 'icmp-echo-request');
    expect(handed.map((e) => [decodeIpv4Packet(decodeEthernetFrame(e.frame!).payload).destination, e.ports![0]])).toEqual([
      ['192.168.1.101', 'c1.eth0@eth0'],
      ['192.168.1.102', 'c2.eth0@eth0'],
    ]);
    expect(handed.every((e) => describeFrame(e.frame!).destination === SERVER_MAC)).toBe(true);
  });

  it('3. L2: a child does its own ARP, answering with the parent\'s MAC; a broadcast from outside reaches both children and the parent', () => {
    const sim = run('ipvlan-l2', [{ from: 'lan', do: 'arp', to: '192.168.1.101', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const flood = sim.trace.find((e) => e.reason === 'ipvlan-broadcast' && e.device === 'server')!;
    expect(flood.ports).toEqual(['c1.eth0@eth0', 'c2.eth0@eth0']);
    expect(sim.trace.some((e) => e.device === 'server' && e.port === 'eth0' && e.reason === 'arp-request-not-for-me')).toBe(true);
    const reply = frames(sim, 'receive', 'lan', 'eth0').find((f) => describeFrame(f).protocol === 'arp-reply')!;
    expect(describeFrame(reply).source).toBe(SERVER_MAC);
  });

  it('4. L2: a ping to the sibling never reaches the switch; the host never gets its children\'s ARP requests, so it is unreachable', () => {
    const sim = run('ipvlan-l2', [{ from: 'c1', do: 'ping', to: 'c2', at: 0 }, { from: 'c1', do: 'ping', to: 'server', at: 6000 }]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'failed']);
    expect(frames(sim, 'receive', 'sw', 'p1').filter((f) => describeFrame(f).protocol?.startsWith('icmp'))).toEqual([]);
    expect(sim.trace.some((e) => e.device === 'server' && e.port === 'eth0' && (e.kind === 'deliver' || e.reason === 'arp-request-not-for-me'))).toBe(false);
  });

  it('5. L3: no ARP and no broadcast leaves a child; its packets go out routed by the parent, with the child\'s source address', () => {
    const sim = run('ipvlan-l3', [{ from: 'c1', do: 'ping', to: 'lan', at: 0 }, { from: 'c1', do: 'arp', to: '192.168.1.20', at: 6000 }]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'failed']);
    expect(routingTable(sim.state, 'c1')).toContainEqual({ destination: 'default', dev: 'eth0', origin: 'default' });
    // c1's own frames: the echo request with its own (the parent's) MAC as destination, and a broadcast the parent drops.
    const fromC1 = frames(sim, 'transmit', 'c1', 'eth0').map((f) => describeFrame(f));
    expect(fromC1.filter((f) => f.protocol === 'icmp-echo-request').every((f) => f.destination === SERVER_MAC)).toBe(true);
    expect(sim.trace.filter((e) => e.reason === 'ipvlan-drop' && e.device === 'server').length).toBeGreaterThan(0);
    const onWire = frames(sim, 'receive', 'sw', 'p1');
    expect(onWire.some((f) => describeFrame(f).protocol === 'arp-request' && decodeEthernetFrame(f).source === SERVER_MAC)).toBe(true);
    const request = onWire.find((f) => describeFrame(f).protocol === 'icmp-echo-request')!;
    expect(decodeIpv4Packet(decodeEthernetFrame(request).payload).source).toBe('10.0.2.2');
    expect(sim.trace.some((e) => e.reason === 'ipvlan-xmit' && e.text?.includes('routes'))).toBe(true);
  });

  it('6. L3: a LAN host on the children\'s subnet cannot reach them: its ARP request is dropped by the NOARP child', () => {
    const sim = run('ipvlan-l3', [{ from: 'lan', do: 'ping', to: '192.168.1.101', at: 0 }], (s) => {
      for (const id of ['c1', 'c2']) {
        const c = s.devices.find((d) => d.id === id)!;
        if (c.kind === 'host') c.nics[0]!.ip = id === 'c1' ? '192.168.1.101/24' : '192.168.1.102/24';
      }
    });
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
    expect(sim.trace.some((e) => e.device === 'c1' && e.reason === 'ipvlan-drop' && e.text?.includes('NOARP'))).toBe(true);
  });

  it('7. L3S: the parent\'s connection tracking sees the reply coming in; in L3 it does not (the flow stays [UNREPLIED])', () => {
    const withConntrack = (mode: 'l3' | 'l3s') => (s: Scenario) => {
      const server = s.devices.find((d) => d.id === 'server')!;
      if (server.kind === 'host') server.nat = {};
      for (const id of ['c1', 'c2']) {
        const c = s.devices.find((d) => d.id === id)!;
        if (c.kind === 'host') c.nics[0]!.ipvlan = { parent: 'server:eth0', mode };
      }
    };
    const l3 = run('ipvlan-l3', [{ from: 'c1', do: 'ping', to: 'web', at: 0 }], withConntrack('l3'));
    const l3s = run('ipvlan-l3', [{ from: 'c1', do: 'ping', to: 'web', at: 0 }], withConntrack('l3s'));
    expect(buildReport(l3).actions[0]!.outcome).toBe('ok');
    expect(buildReport(l3s).actions[0]!.outcome).toBe('ok');
    expect(conntrackTable(l3.state, 'server')!.join('\n')).toContain('[UNREPLIED]');
    expect(conntrackTable(l3s.state, 'server')!.join('\n')).not.toContain('[UNREPLIED]');
  });

  it('the mode belongs to the parent: two children of one parent in different modes are refused', () => {
    const s = structuredClone(scenarios['macvlan-ipvlan-bridge/ipvlan-l2']!);
    const c2 = s.devices.find((d) => d.id === 'c2')!;
    if (c2.kind === 'host') c2.nics[0]!.ipvlan = { parent: 'server:eth0', mode: 'l3' };
    const result = validateScenario(s);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')).toMatch(/devices\[2\]\.nics\[0\]\.ipvlan\.mode: .*port->mode/);
  });
});
