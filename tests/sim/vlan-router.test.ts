// The VLAN-aware switch (access/trunk ingress and egress, per-VLAN FDB and flooding, MAC-based
// VLANs, port security) and the router (sub-interfaces, longest-prefix routing, TTL, checksum,
// MAC rewrite, ICMP errors), asserted on who received what and on the bytes on the wire.

import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import type { DeviceSpec, SwitchPortSpec, TrafficAction } from '../../src/sim/scenario/format';
import { buildReport } from '../../src/sim/report';
import { arpCache, macTable, routingTable } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { decodeEthernetFrame, readVlanTag } from '../../src/sim/wire/ethernet';
import { decodeIpv4Packet } from '../../src/sim/wire/ipv4';
import { validateScenario } from '../../src/sim/scenario/validate';
import { mac, scenarioOf } from './build';

function hostOn(name: string, n: number, ip: string, gateway?: string): DeviceSpec {
  const spec: DeviceSpec = { id: name, kind: 'host', nics: [{ port: 'eth0', mac: mac(n), ip }] };
  if (gateway) spec.gateway = gateway;
  return spec;
}

/** Hosts on switch "sw": each entry is [name, n, ip, port settings]; optional extra devices and links. */
function switched(hosts: Array<[string, number, string, Omit<SwitchPortSpec, 'port'>, string?]>, traffic: TrafficAction[], extra: { devices?: DeviceSpec[]; ports?: SwitchPortSpec[]; links?: Array<{ a: string; b: string }>; macVlans?: Array<{ mac: string; vlan: number }> } = {}) {
  const devices: DeviceSpec[] = hosts.map(([name, n, ip, , gateway]) => hostOn(name, n, ip, gateway));
  const ports: SwitchPortSpec[] = hosts.map(([, , , settings], i) => ({ port: `p${i + 1}`, ...settings }));
  const sw: DeviceSpec = { id: 'sw', kind: 'switch', ports: [...ports, ...(extra.ports ?? [])] };
  if (extra.macVlans) sw.macVlans = extra.macVlans;
  const links = hosts.map(([name], i) => ({ a: `${name}:eth0`, b: `sw:p${i + 1}` }));
  return scenarioOf([...devices, sw, ...(extra.devices ?? [])], [...links, ...(extra.links ?? [])], traffic);
}

function run(scenario: ReturnType<typeof switched>) {
  const sim = new Simulation(scenario, { history: false });
  sim.run();
  return { sim, report: buildReport(sim) };
}

function receivers(report: ReturnType<typeof buildReport>, i: number): string[] {
  return Object.keys(report.actions[i]!.receivedBy).sort();
}

function sentBy(trace: readonly TraceEvent[], device: string, port: string): TraceEvent[] {
  return trace.filter((e) => e.kind === 'transmit' && e.device === device && e.port === port);
}

const router: DeviceSpec = {
  id: 'R',
  kind: 'router',
  nics: [{ port: 'eth0', mac: mac(0xee), vlans: [{ vlan: 10, ip: '10.0.10.1/24' }, { vlan: 20, ip: '10.0.20.1/24' }] }],
};
const trunk: SwitchPortSpec = { port: 'p9', mode: 'trunk', vlans: [10, 20] };

/** Router on a stick: A and C in VLAN 10 (10.0.10.0/24), B in VLAN 20 (10.0.20.0/24), R on trunk p9. */
function routerOnAStick(traffic: TrafficAction[]) {
  return switched(
    [
      ['A', 1, '10.0.10.10/24', { vlan: 10 }, '10.0.10.1'],
      ['B', 2, '10.0.20.20/24', { vlan: 20 }, '10.0.20.1'],
      ['C', 3, '10.0.10.30/24', { vlan: 10 }, '10.0.10.1'],
    ],
    traffic,
    { devices: [router], ports: [trunk], links: [{ a: 'R:eth0', b: 'sw:p9' }] },
  );
}

describe('VLAN-aware switch: access ports', () => {
  it('floods a broadcast only to the ports of its VLAN, and says which ports got nothing', () => {
    const { report, sim } = run(
      switched(
        [
          ['A', 1, '10.0.0.1/24', { vlan: 10 }],
          ['B', 2, '10.0.0.2/24', { vlan: 10 }],
          ['C', 3, '10.0.0.3/24', { vlan: 20 }],
          ['D', 4, '10.0.0.4/24', { vlan: 20 }],
        ],
        [{ from: 'A', do: 'raw', to: 'broadcast' }],
      ),
    );
    expect(receivers(report, 0)).toEqual(['B', 'sw']);
    const flood = sim.trace.find((e) => e.kind === 'flood')!;
    expect(flood.ports).toEqual(['p2']);
    expect(flood.text).toMatch(/in VLAN 10 to port p2: .*2 other ports are not in VLAN 10 and get nothing/);
    expect(sim.trace.find((e) => e.kind === 'classify')!.reason).toBe('vlan-pvid');
    expect(macTable(sim.state, 'sw')).toEqual([{ mac: mac(1), port: 'p1', vid: 10, age: expect.any(Number) }]);
  });

  it('a default access port is in VLAN 1, like a switch out of the box', () => {
    const { report } = run(switched([['A', 1, '10.0.0.1/24', {}], ['B', 2, '10.0.0.2/24', {}], ['C', 3, '10.0.0.3/24', { vlan: 2 }]], [{ from: 'A', do: 'ping', to: 'B' }]));
    expect(report.actions[0]!.outcome).toBe('ok');
    expect(report.actions[0]!.receivedBy['C']).toBeUndefined();
    expect(report.macTables['sw']!.map((r) => r.vid)).toEqual([1, 1]);
  });

  it('keeps unicast inside the VLAN too: a MAC learned in VLAN 10 is unknown in VLAN 20', () => {
    // C (VLAN 20) sends to A's MAC after A spoke in VLAN 10: the switch has no entry for (20, A) and floods in VLAN 20.
    const { report } = run(
      switched(
        [
          ['A', 1, '10.0.0.1/24', { vlan: 10 }],
          ['B', 2, '10.0.0.2/24', { vlan: 20 }],
          ['C', 3, '10.0.0.3/24', { vlan: 20 }],
        ],
        [{ from: 'A', do: 'raw', to: 'broadcast' }, { from: 'C', do: 'raw', to: mac(1) }],
      ),
    );
    expect(report.actions[1]!.receivedBy['sw']![0]!.reason).toBe('fdb-miss');
    expect(receivers(report, 1)).toEqual(['B', 'sw']);
    expect(report.actions[1]!.deliveredTo).toEqual([]);
  });
});

describe('VLAN-aware switch: trunks and the 802.1Q tag on the wire', () => {
  it('tags on the trunk: the same frame with 81 00 and the VID inserted after the source MAC, 4 bytes longer', () => {
    const { sim } = run(routerOnAStick([{ from: 'A', do: 'arp', to: '10.0.10.1' }]));
    const fromA = sentBy(sim.trace, 'A', 'eth0')[0]!.frame!;
    const onTrunk = sentBy(sim.trace, 'sw', 'p9')[0]!.frame!;
    expect(readVlanTag(fromA)).toBeNull();
    expect(onTrunk.length).toBe(fromA.length + 4);
    expect([...onTrunk.subarray(0, 12)]).toEqual([...fromA.subarray(0, 12)]);
    expect([...onTrunk.subarray(12, 16)]).toEqual([0x81, 0x00, 0x00, 0x0a]);
    expect([...onTrunk.subarray(16)]).toEqual([...fromA.subarray(12)]);
  });

  it('strips the tag towards an access port and pads the frame back to 60 bytes', () => {
    const { sim } = run(routerOnAStick([{ from: 'A', do: 'arp', to: '10.0.10.1' }]));
    const fromRouter = sentBy(sim.trace, 'R', 'eth0')[0]!.frame!;
    const toA = sentBy(sim.trace, 'sw', 'p1')[0]!.frame!;
    expect(readVlanTag(fromRouter)).toEqual({ pcp: 0, dei: false, vid: 10 });
    // R's stack tags its 42-byte reply (46 bytes) and eth0's NIC pads that to 60 for the cable.
    expect(fromRouter.length).toBe(60);
    expect(toA.length).toBe(60);
    expect(readVlanTag(toA)).toBeNull();
    expect(decodeEthernetFrame(toA).payload.subarray(0, 28)).toEqual(decodeEthernetFrame(fromRouter).payload.subarray(0, 28));
  });

  it('learns one MAC in two VLANs: the router’s sub-interfaces share eth0’s address', () => {
    const { sim } = run(routerOnAStick([{ from: 'A', do: 'ping', to: 'B' }]));
    const routerRows = macTable(sim.state, 'sw')!.filter((r) => r.mac === mac(0xee));
    expect(routerRows.map((r) => [r.vid, r.port])).toEqual([[10, 'p9'], [20, 'p9']]);
  });

  it('drops a tagged frame whose VLAN the port does not carry, saying which VLANs it does', () => {
    const tagger: DeviceSpec = { id: 'T', kind: 'host', nics: [{ port: 'eth0', mac: mac(0x30), vlans: [{ vlan: 30, ip: '10.0.30.5/24' }] }] };
    const { sim, report } = run(
      switched([['A', 1, '10.0.30.1/24', { vlan: 30 }]], [{ from: 'T', do: 'arp', to: '10.0.30.1' }], { devices: [tagger], ports: [trunk], links: [{ a: 'T:eth0', b: 'sw:p9' }] }),
    );
    const drop = sim.trace.find((e) => e.device === 'sw' && e.kind === 'drop')!;
    expect(drop.reason).toBe('vlan-not-allowed');
    expect(drop.text).toMatch(/tagged for VLAN 30, and port p9 is a trunk carrying VLANs 10, 20/);
    expect(report.actions[0]!.receivedBy['A']).toBeUndefined();
    expect(report.actions[0]!.outcome).toBe('failed');
  });

  it('drops untagged frames on a trunk without a native VLAN, and carries them untagged in the native VLAN when it has one', () => {
    const plain: DeviceSpec = hostOn('U', 9, '10.0.0.9/24');
    const withoutNative = run(switched([['A', 1, '10.0.0.1/24', { vlan: 1 }]], [{ from: 'U', do: 'arp', to: '10.0.0.1' }], { devices: [plain], ports: [trunk], links: [{ a: 'U:eth0', b: 'sw:p9' }] }));
    expect(withoutNative.sim.trace.find((e) => e.device === 'sw' && e.kind === 'drop')!.reason).toBe('vlan-untagged');

    const withNative = run(switched([['A', 1, '10.0.0.1/24', { vlan: 1 }]], [{ from: 'U', do: 'arp', to: '10.0.0.1' }], { devices: [plain], ports: [{ ...trunk, native: 1 }], links: [{ a: 'U:eth0', b: 'sw:p9' }] }));
    expect(withNative.report.actions[0]!.outcome).toBe('ok');
    // A's answer goes back out of the trunk in the native VLAN: untagged.
    expect(readVlanTag(sentBy(withNative.sim.trace, 'sw', 'p9')[0]!.frame!)).toBeNull();
  });

  it('a priority-tagged frame (VID 0) joins the port’s VLAN like an untagged one', () => {
    const prio: DeviceSpec = hostOn('P', 9, '10.0.0.9/24');
    const scenario = switched([['A', 1, '10.0.0.1/24', { vlan: 5 }]], [{ from: 'P', do: 'raw', to: 'broadcast' }], { devices: [prio], ports: [{ port: 'p9', vlan: 5 }], links: [{ a: 'P:eth0', b: 'sw:p9' }] });
    // No history: the frame is rewritten in flight, which a replay from a checkpoint would not redo
    // (a simulation with history records run()'s events when they are read, by replaying).
    const sim = new Simulation(scenario, { history: false });
    sim.step(); // the action puts P's frame on the cable
    const item = sim.peekNext()!;
    if (item.type !== 'arrival') throw new Error('expected a frame in flight');
    // Rewrite the frame in flight into a priority-tagged one (TCI with PCP 5, VID 0).
    const tagged = new Uint8Array(item.bytes.length + 4);
    tagged.set(item.bytes.subarray(0, 12));
    tagged.set([0x81, 0x00, 0xa0, 0x00], 12);
    tagged.set(item.bytes.subarray(12), 16);
    item.bytes = tagged;
    sim.run();
    const classify = sim.trace.find((e) => e.kind === 'classify')!;
    expect(classify.text).toMatch(/priority-tagged \(VLAN 0\) frame into VLAN 5/);
    const toA = sentBy(sim.trace, 'sw', 'p1')[0]!.frame!;
    expect(readVlanTag(toA)).toBeNull();
  });
});

describe('VLAN-aware switch: MAC-based VLANs and port security', () => {
  it('puts an untagged frame into the VLAN its source MAC is assigned to, whatever the port', () => {
    const { report, sim } = run(
      switched(
        [
          ['L', 1, '10.0.30.1/24', { vlan: 1 }],
          ['S', 2, '10.0.30.2/24', { vlan: 30 }],
          ['O', 3, '10.0.30.3/24', { vlan: 1 }],
        ],
        [{ from: 'L', do: 'ping', to: 'S' }],
        { macVlans: [{ mac: mac(1), vlan: 30 }] },
      ),
    );
    expect(report.actions[0]!.outcome).toBe('ok');
    expect(report.actions[0]!.receivedBy['O']).toBeUndefined();
    expect(sim.trace.find((e) => e.reason === 'mac-vlan')!.text).toMatch(/into VLAN 30: its source 02:00:00:00:00:01 is assigned to VLAN 30 by MAC address/);
    expect(macTable(sim.state, 'sw')!.map((r) => [r.mac, r.vid])).toEqual([[mac(1), 30], [mac(2), 30]]);
  });

  it('with a limit of one MAC per port, drops frames from a second MAC behind the same port', () => {
    const hub: DeviceSpec = { id: 'hub', kind: 'hub', ports: ['h0', 'h1', 'h2'] };
    const scenario = scenarioOf(
      [hostOn('A', 1, '10.0.0.1/24'), hostOn('B', 2, '10.0.0.2/24'), hostOn('C', 3, '10.0.0.3/24'), hub, { id: 'sw', kind: 'switch', ports: [{ port: 'p1', maxMacs: 1 }, { port: 'p2' }] }],
      [{ a: 'A:eth0', b: 'hub:h1' }, { a: 'B:eth0', b: 'hub:h2' }, { a: 'hub:h0', b: 'sw:p1' }, { a: 'C:eth0', b: 'sw:p2' }],
      [{ from: 'A', do: 'ping', to: 'C' }, { from: 'B', do: 'ping', to: 'C' }],
    );
    const { report, sim } = run(scenario);
    expect(report.actions[0]!.outcome).toBe('ok');
    expect(report.actions[1]!.outcome).toBe('failed');
    const refused = sim.trace.find((e) => e.reason === 'port-security')!;
    expect(refused.text).toMatch(/drops the frame from 02:00:00:00:00:02: port p1 allows 1 MAC address and has already learned 02:00:00:00:00:01/);
    expect(macTable(sim.state, 'sw')!.map((r) => r.mac)).toEqual([mac(1), mac(3)]);
  });
});

describe('router on a stick', () => {
  it('routes A’s ping to B: TTL 63 at B, both MACs rewritten, the IP addresses kept, the checksum still valid', () => {
    const { report, sim } = run(routerOnAStick([{ from: 'A', do: 'ping', to: 'B' }]));
    expect(report.actions[0]!.outcome).toBe('ok');
    expect(report.actions[0]!.result).toMatch(/^Reply from 10\.0\.20\.20: TTL 63/);
    const requestFromA = sentBy(sim.trace, 'A', 'eth0').map((e) => decodeEthernetFrame(e.frame!)).find((f) => f.etherType === 0x0800)!;
    const requestAtB = sim.trace.filter((e) => e.kind === 'receive' && e.device === 'B').map((e) => decodeEthernetFrame(e.frame!)).find((f) => f.etherType === 0x0800)!;
    expect([requestFromA.source, requestFromA.destination]).toEqual([mac(1), mac(0xee)]);
    expect([requestAtB.source, requestAtB.destination]).toEqual([mac(0xee), mac(2)]);
    const sent = decodeIpv4Packet(requestFromA.payload);
    const arrived = decodeIpv4Packet(requestAtB.payload);
    expect([sent.ttl, arrived.ttl]).toEqual([64, 63]);
    expect([arrived.source, arrived.destination]).toEqual(['10.0.10.10', '10.0.20.20']);
    expect(arrived.checksumValid).toBe(true);
    expect(arrived.headerChecksum).not.toBe(sent.headerChecksum);
    expect(arrived.payload).toEqual(sent.payload);
    const forward = sim.trace.find((e) => e.reason === 'ip-forward')!;
    expect(forward.text).toMatch(/in on eth0\.10 \(VLAN 10\) and out on eth0\.20 \(VLAN 20\).*TTL 64 → 63/);
  });

  it('keeps an ARP cache per sub-interface and shows connected routes for each', () => {
    const { sim } = run(routerOnAStick([{ from: 'A', do: 'ping', to: 'B' }]));
    expect(arpCache(sim.state, 'R')!.map((r) => [r.ip, r.port])).toEqual([['10.0.10.10', 'eth0.10'], ['10.0.20.20', 'eth0.20']]);
    expect(routingTable(sim.state, 'R')).toEqual([
      { destination: '10.0.10.0/24', dev: 'eth0.10', origin: 'connected' },
      { destination: '10.0.20.0/24', dev: 'eth0.20', origin: 'connected' },
    ]);
    expect(routingTable(sim.state, 'A')).toEqual([
      { destination: '10.0.10.0/24', dev: 'eth0', origin: 'connected' },
      { destination: 'default', via: '10.0.10.1', dev: 'eth0', origin: 'default' },
    ]);
  });

  it('answers a packet with no route with "Destination Net Unreachable", which ends A’s ping', () => {
    const { report, sim } = run(routerOnAStick([{ from: 'A', do: 'ping', to: '192.0.2.1' }]));
    expect(report.actions[0]!.outcome).toBe('failed');
    expect(report.actions[0]!.result).toBe('From 10.0.10.1: Destination Net Unreachable.');
    expect(sim.trace.find((e) => e.device === 'R' && e.kind === 'drop')!.reason).toBe('no-route');
    const error = sim.trace.filter((e) => e.kind === 'receive' && e.device === 'A').map((e) => decodeEthernetFrame(e.frame!)).find((f) => f.etherType === 0x0800)!;
    const icmp = decodeIpv4Packet(error.payload).payload;
    expect([icmp[0], icmp[1]]).toEqual([3, 0]);
  });

  it('answers with "Destination Host Unreachable" after 3 unanswered ARP requests for the next hop', () => {
    const { report, sim } = run(routerOnAStick([{ from: 'A', do: 'ping', to: '10.0.20.99' }]));
    expect(report.actions[0]!.result).toBe('From 10.0.10.1: Destination Host Unreachable.');
    const probes = sentBy(sim.trace, 'R', 'eth0').filter((e) => /who-has 10\.0\.20\.99/.test(e.text));
    expect(probes.map((e) => e.time - probes[0]!.time)).toEqual([0, 1000, 2000]);
  });

  it('a routing loop ends in "Time to live exceeded" from the router that saw TTL 1', () => {
    const r1: DeviceSpec = { id: 'R1', kind: 'router', nics: [{ port: 'a', mac: mac(0xa1), ip: '10.0.1.1/24' }, { port: 'b', mac: mac(0xa2), ip: '10.0.12.1/30' }], routes: [{ to: '0.0.0.0/0', via: '10.0.12.2' }] };
    const r2: DeviceSpec = { id: 'R2', kind: 'router', nics: [{ port: 'b', mac: mac(0xb2), ip: '10.0.12.2/30' }], routes: [{ to: '0.0.0.0/0', via: '10.0.12.1' }] };
    const scenario = scenarioOf([hostOn('A', 1, '10.0.1.10/24', '10.0.1.1'), r1, r2], [{ a: 'A:eth0', b: 'R1:a' }, { a: 'R1:b', b: 'R2:b' }], [{ from: 'A', do: 'ping', to: '198.51.100.7' }]);
    const { report, sim } = run(scenario);
    // TTL 64 reaches R1, 63 reaches R2, … odd TTLs reach R2, so R2 sees TTL 1 and answers from 10.0.12.2.
    expect(report.actions[0]!.result).toBe('From 10.0.12.2: Time to live exceeded.');
    const exceeded = sim.trace.find((e) => e.reason === 'ttl-exceeded')!;
    expect([exceeded.device, exceeded.text]).toEqual(['R2', expect.stringMatching(/its TTL is 1/)]);
    // 63 forwards of the echo request (TTL 64 down to 2), then R1 forwards R2's error back to A.
    const forwards = sim.trace.filter((e) => e.reason === 'ip-forward');
    expect(forwards).toHaveLength(64);
    expect(forwards.at(-1)!.text).toMatch(/^R1 routes the packet for 10\.0\.1\.10/);
  });

  it('prefers the longest matching prefix over the default route', () => {
    const r: DeviceSpec = {
      id: 'R', kind: 'router',
      nics: [{ port: 'a', mac: mac(0xa1), ip: '10.0.1.1/24' }, { port: 'b', mac: mac(0xa2), ip: '10.0.2.1/24' }, { port: 'c', mac: mac(0xa3), ip: '10.0.3.1/24' }],
      routes: [{ to: '0.0.0.0/0', via: '10.0.2.2' }, { to: '172.16.0.0/12', via: '10.0.3.3' }],
    };
    const scenario = scenarioOf(
      [hostOn('A', 1, '10.0.1.10/24', '10.0.1.1'), r, hostOn('G', 2, '10.0.2.2/24'), hostOn('H', 3, '10.0.3.3/24')],
      [{ a: 'A:eth0', b: 'R:a' }, { a: 'G:eth0', b: 'R:b' }, { a: 'H:eth0', b: 'R:c' }],
      [{ from: 'A', do: 'ping', to: '172.20.0.1' }],
    );
    const { sim } = run(scenario);
    expect(sim.trace.find((e) => e.reason === 'ip-forward')!.text).toMatch(/matches the route to 172\.16\.0\.0\/12, so it goes to the next hop 10\.0\.3\.3/);
    expect(sim.trace.some((e) => e.device === 'H' && e.kind === 'receive')).toBe(true);
    expect(sim.trace.some((e) => e.device === 'G' && e.kind === 'receive')).toBe(false);
  });
});

describe('host send path across VLANs', () => {
  it('two VLANs, one subnet: A believes B is on-link, its ARP never leaves VLAN 10, and the ping fails after 3 probes', () => {
    const { report, sim } = run(switched([['A', 1, '10.0.0.1/24', { vlan: 10 }], ['B', 2, '10.0.0.2/24', { vlan: 20 }]], [{ from: 'A', do: 'ping', to: 'B' }]));
    expect(sim.trace.find((e) => e.reason === 'ping-start')!.text).toMatch(/10\.0\.0\.2 is inside 10\.0\.0\.0\/24, the subnet of eth0, so it is on-link/);
    expect(report.actions[0]!.receivedBy['B']).toBeUndefined();
    expect(sim.trace.filter((e) => e.reason === 'flood-nowhere')).toHaveLength(3);
    expect(report.actions[0]!.result).toMatch(/Destination Host Unreachable: nobody answered 3 ARP requests for 10\.0\.0\.2/);
  });

  it('a host sub-interface (eth0.10) sends tagged frames and ignores frames of VLANs it has no sub-interface for', () => {
    const tagger: DeviceSpec = { id: 'T', kind: 'host', nics: [{ port: 'eth0', mac: mac(0x30), vlans: [{ vlan: 10, ip: '10.0.10.5/24' }] }] };
    const { report, sim } = run(
      switched([['A', 1, '10.0.10.1/24', { vlan: 10 }], ['B', 2, '10.0.20.1/24', { vlan: 20 }]], [{ from: 'T', do: 'ping', to: 'A' }, { from: 'B', do: 'raw', to: 'broadcast' }], {
        devices: [tagger], ports: [{ port: 'p9', mode: 'trunk', vlans: [10, 20] }], links: [{ a: 'T:eth0', b: 'sw:p9' }],
      }),
    );
    expect(report.actions[0]!.outcome).toBe('ok');
    expect(readVlanTag(sentBy(sim.trace, 'T', 'eth0')[0]!.frame!)!.vid).toBe(10);
    const ignored = report.actions[1]!.receivedBy['T']![0]!;
    expect(ignored.reason).toBe('vlan-unknown');
    expect(ignored.why).toMatch(/drops a frame tagged for VLAN 20: its sub-interfaces are eth0\.10/);
  });
});

describe('validation of VLAN and router settings', () => {
  const base = () => structuredClone(routerOnAStick([{ from: 'A', do: 'ping', to: 'B' }])) as unknown as Record<string, any>;
  it.each([
    ['VLAN 0', (s: any) => (s.devices[3].ports[0].vlan = 0), 'devices[3].ports[0].vlan', /expected a VLAN ID from 1 to 4094 \(0 and 4095 are reserved\), got 0/],
    ['VLAN 4095', (s: any) => (s.devices[3].ports[3].vlans = [10, 4095]), 'devices[3].ports[3].vlans[1]', /got 4095/],
    ['VLAN 4096 on a sub-interface', (s: any) => (s.devices[4].nics[0].vlans[1].vlan = 4096), 'devices[4].nics[0].vlans[1].vlan', /got 4096/],
    ['a fractional VLAN', (s: any) => (s.devices[3].ports[0].vlan = 10.5), 'devices[3].ports[0].vlan', /got 10\.5/],
    ['a trunk with "vlan"', (s: any) => (s.devices[3].ports[3].vlan = 10), 'devices[3].ports[3].vlan', /is a trunk: give its VLANs as "vlans"/],
    ['an access port with "vlans"', (s: any) => (s.devices[3].ports[0].vlans = [10]), 'devices[3].ports[0].vlans', /is an access port/],
    ['a trunk carrying nothing', (s: any) => (s.devices[3].ports[3].vlans = []), 'devices[3].ports[3].vlans', /carries no VLAN/],
    ['a VLAN listed twice', (s: any) => (s.devices[3].ports[3].vlans = [10, 10]), 'devices[3].ports[3].vlans[1]', /listed twice/],
    ['two sub-interfaces for one VLAN', (s: any) => (s.devices[4].nics[0].vlans[1].vlan = 10), 'devices[4].nics[0].vlans[1].vlan', /already has a sub-interface for VLAN 10 \(eth0\.10\)/],
    ['a NIC named like a sub-interface', (s: any) => s.devices[4].nics.push({ port: 'eth0.10', mac: '02:00:00:00:00:99' }), 'devices[4].nics[1].port', /eth0\.10 is already the name of eth0's sub-interface for VLAN 10 on R; choose another port name/],
    ['a route via an unreachable next hop', (s: any) => (s.devices[4].routes = [{ to: '0.0.0.0/0', via: '192.168.1.1' }]), 'devices[4].routes[0].via', /next hop 192\.168\.1\.1 must be inside the subnet of one of R's interfaces/],
    ['an unknown port mode', (s: any) => (s.devices[3].ports[0].mode = 'hybrid'), 'devices[3].ports[0].mode', /expected "mode" to be "access" or "trunk", got "hybrid"/],
    ['a port-security limit of 0', (s: any) => (s.devices[3].ports[0].maxMacs = 0), 'devices[3].ports[0].maxMacs', /expected a limit of MAC addresses: a whole number from 1 to 4,096, got 0/],
  ])('rejects %s, naming the field', (_name, mutate, path, message) => {
    const input = base();
    mutate(input);
    const result = validateScenario(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(path);
    expect(result.errors.find((e) => e.path === path)!.message).toMatch(message);
  });

  it('accepts the router-on-a-stick scenario and warns about a sub-interface IP used twice', () => {
    const input = base();
    input['devices'][0].nics[0].ip = '10.0.20.1/24';
    input['devices'][0].gateway = '10.0.20.254';
    const result = validateScenario(input);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(['devices[4].nics[0].vlans[1].ip']);
  });
});

describe('validation: missing fields and odd gateways', () => {
  it('names a missing field instead of "expected a scenario object"', () => {
    const result = validateScenario({ format: 'vnet-live/scenario@1' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(expect.arrayContaining(['id: missing field "id"', 'devices: missing field "devices"']));
  });

  it('warns (does not refuse, as Linux does not) a gateway that is the host’s own address, and the ping then fails', () => {
    const scenario = switched([['A', 1, '10.0.0.1/24', {}, '10.0.0.1'], ['B', 2, '10.0.0.2/24', {}]], [{ from: 'A', do: 'ping', to: '192.0.2.9' }]);
    const result = validateScenario(scenario);
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual(['devices[0].gateway']);
    const { report } = run(scenario);
    expect(report.actions[0]!.result).toMatch(/Destination Host Unreachable: nobody answered 3 ARP requests for 10\.0\.0\.1/);
  });
});
