// A bridge with a local interface (br0 with a MAC and an address), asserted on the simulator alone:
// who receives what (the bridge's own stack gets frames for its MAC and broadcasts, nothing else),
// what the MAC table and the neighbour tables hold, the bytes the bridge's stack sends, its timers,
// snapshots, and what the validator says. The same topology is compared with the real kernel in
// tests/kernel/linux-bridge-local.test.ts.

import { describe, expect, it } from 'vitest';
import { describePath } from '../../src/editor/issues';
import { Simulation } from '../../src/sim/engine/simulation';
import { snapshotState } from '../../src/sim/engine/state';
import { buildReport } from '../../src/sim/report';
import { SCENARIO_FORMAT, type DeviceSpec, type TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { arpCache, macTable } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame, ETHERTYPE_IPV4 } from '../../src/sim/wire';
import { scenarioOf } from './build';

const MAC = { BR0: '02:00:00:00:00:b0', C1: '02:00:00:00:00:c1', C2: '02:00:00:00:00:c2' };
const BRIDGE: DeviceSpec = { id: 'br0', kind: 'bridge', ports: ['p1', 'p2'], local: { mac: MAC.BR0, ip: '10.0.0.1/24' } };
const HOSTS: DeviceSpec[] = [
  { id: 'C1', kind: 'host', nics: [{ port: 'eth0', mac: MAC.C1, ip: '10.0.0.2/24' }] },
  { id: 'C2', kind: 'host', nics: [{ port: 'eth0', mac: MAC.C2, ip: '10.0.0.3/24' }] },
];
const LINKS = [{ a: 'C1:eth0', b: 'br0:p1' }, { a: 'C2:eth0', b: 'br0:p2' }];

function simulate(traffic: TrafficAction[], bridge: DeviceSpec = BRIDGE): Simulation {
  const sim = new Simulation(scenarioOf([bridge, ...HOSTS], LINKS, traffic));
  sim.run();
  return sim;
}

const summary = (frame: Uint8Array): string => {
  const d = describeFrame(frame);
  return `${d.source} > ${d.destination} ${d.summary}`;
};

/** Frames the bridge passed up to its own interface (br_pass_frame_up). */
const passedUp = (trace: readonly TraceEvent[]): string[] =>
  trace.filter((e) => e.device === 'br0' && e.port === 'br0' && e.kind === 'deliver' && ['fdb-hit', 'broadcast', 'multicast'].includes(e.reason)).map((e) => summary(e.frame!));
/** Frames that arrived at a host's NIC. */
const receivedBy = (trace: readonly TraceEvent[], host: string): string[] => trace.filter((e) => e.kind === 'receive' && e.device === host).map((e) => summary(e.frame!));
const sentOutOf = (trace: readonly TraceEvent[], port: string): string[] => trace.filter((e) => e.kind === 'transmit' && e.device === 'br0' && e.port === port).map((e) => summary(e.frame!));

describe('a bridge with a local interface', () => {
  it('C1 pings br0: br0’s stack gets the ARP broadcast and the echo request; C2 gets only the flooded broadcast; the answers leave by p1 only', () => {
    const sim = simulate([{ from: 'C1', do: 'ping', to: 'br0' }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    expect(passedUp(sim.trace)).toEqual([
      `${MAC.C1} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.0.1? tell 10.0.0.2`,
      expect.stringMatching(new RegExp(`^${MAC.C1} > ${MAC.BR0} ICMP echo request 10.0.0.2 → 10.0.0.1 `)),
    ]);
    expect(receivedBy(sim.trace, 'C2')).toEqual([`${MAC.C1} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.0.1? tell 10.0.0.2`]);
    expect(sentOutOf(sim.trace, 'p2')).toEqual([`${MAC.C1} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.0.1? tell 10.0.0.2`]);
    expect(sentOutOf(sim.trace, 'p1')).toEqual([
      `${MAC.BR0} > ${MAC.C1} ARP 10.0.0.1 is-at ${MAC.BR0}`,
      expect.stringMatching(new RegExp(`^${MAC.BR0} > ${MAC.C1} ICMP echo reply 10.0.0.1 → 10.0.0.2 `)),
    ]);
  });

  it('the echo reply br0 sends: its MAC and address, TTL 64, no DF (the kernel’s ICMP socket), a valid checksum', () => {
    const sim = simulate([{ from: 'C1', do: 'ping', to: '10.0.0.1' }]);
    const reply = sim.trace.find((e) => e.kind === 'transmit' && e.device === 'br0' && describeFrame(e.frame!).protocol === 'icmp-echo-reply')!.frame!;
    const ethernet = decodeEthernetFrame(reply);
    expect([ethernet.source, ethernet.destination, ethernet.etherType]).toEqual([MAC.BR0, MAC.C1, ETHERTYPE_IPV4]);
    expect(decodeIpv4Packet(ethernet.payload)).toMatchObject({ source: '10.0.0.1', destination: '10.0.0.2', ttl: 64, dontFragment: false, checksumValid: true });
  });

  it('C2 pings C1: br0 overhears the broadcast only; unicast frames between C1 and C2 are forwarded past it, not passed up', () => {
    const sim = simulate([{ from: 'C2', do: 'ping', to: 'C1' }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    expect(passedUp(sim.trace)).toEqual([`${MAC.C2} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.0.2? tell 10.0.0.3`]);
    // The overheard request creates no entry (arp_accept=0; br0 had none for C2).
    expect(arpCache(sim.state, 'br0')).toEqual([]);
  });

  it('an unknown unicast is flooded to the ports but not passed up (br0 is not promiscuous)', () => {
    const sim = simulate([{ from: 'C1', do: 'raw', to: '02:00:00:00:00:99' }]);
    expect(receivedBy(sim.trace, 'C2')).toHaveLength(1);
    expect(passedUp(sim.trace)).toEqual([]);
  });

  it('a raw frame to br0’s MAC reaches its stack and no port', () => {
    const sim = simulate([{ from: 'C1', do: 'raw', to: MAC.BR0, payload: 'hi' }]);
    expect(passedUp(sim.trace)).toHaveLength(1);
    expect(receivedBy(sim.trace, 'C2')).toEqual([]);
    expect(sim.trace.some((e) => e.device === 'br0' && e.reason === 'raw-delivered')).toBe(true);
  });

  it('br0 pings C2: its ARP request floods to both ports (br_dev_xmit), the echo request leaves by p2 only, and the reply comes up to it', () => {
    const sim = simulate([{ from: 'br0', do: 'ping', to: 'C2' }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const request = `${MAC.BR0} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.0.3? tell 10.0.0.1`;
    expect(sentOutOf(sim.trace, 'p1')).toEqual([request]);
    expect(sentOutOf(sim.trace, 'p2')).toEqual([request, expect.stringMatching(new RegExp(`^${MAC.BR0} > ${MAC.C2} ICMP echo request 10.0.0.1 → 10.0.0.3 `))]);
    expect(passedUp(sim.trace)).toEqual([`${MAC.C2} > ${MAC.BR0} ARP 10.0.0.3 is-at ${MAC.C2}`, expect.stringMatching(/ICMP echo reply 10\.0\.0\.3 → 10\.0\.0\.1 /)]);
  });

  it('br0 pings an address nobody has: three ARP requests 1 s apart out of both ports, then the ping fails (its timers run on the bridge)', () => {
    const sim = simulate([{ from: 'br0', do: 'ping', to: '10.0.0.9' }]);
    const times = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'br0' && e.port === 'p1').map((e) => e.time);
    expect(times).toEqual([0, 1000, 2000]);
    expect(sentOutOf(sim.trace, 'p2')).toHaveLength(3);
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
  });

  it('its MAC table lists its own MAC first, permanent, on the bridge itself; its neighbour table is on br0', () => {
    const sim = simulate([{ from: 'C1', do: 'ping', to: 'br0' }, { from: 'C2', do: 'ping', to: 'C1' }, { from: 'br0', do: 'ping', to: 'C2' }]);
    expect(macTable(sim.state, 'br0')!.map((r) => [r.mac, r.port, r.permanent ?? false])).toEqual([[MAC.BR0, 'br0', true], [MAC.C1, 'p1', false], [MAC.C2, 'p2', false]]);
    expect(arpCache(sim.state, 'br0')!.map((r) => [r.ip, r.mac, r.port])).toEqual([['10.0.0.2', MAC.C1, 'br0'], ['10.0.0.3', MAC.C2, 'br0']]);
    expect(buildReport(sim).arpCaches['br0']).toHaveLength(2);
  });

  it('its own MAC arriving on a port as a source is not learned: the local entry stays', () => {
    const twin: DeviceSpec = { id: 'C1', kind: 'host', nics: [{ port: 'eth0', mac: MAC.BR0 }] };
    const result = validateScenario({ format: SCENARIO_FORMAT, id: 'twin', title: 'twin', devices: [BRIDGE, twin, HOSTS[1]], links: LINKS, traffic: [{ from: 'C1', do: 'raw', to: 'broadcast' }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings.map((w) => w.path)).toContain('devices[1].nics[0].mac');
    const sim = new Simulation(result.scenario);
    sim.run();
    expect(macTable(sim.state, 'br0')!.map((r) => [r.mac, r.port])).toEqual([[MAC.BR0, 'br0']]);
  });

  it('a bridge without one is as before: no local entry, no neighbour table, no frame passed up', () => {
    const plain = simulate([{ from: 'C2', do: 'ping', to: 'C1' }], { id: 'br0', kind: 'bridge', ports: ['p1', 'p2'] });
    expect(macTable(plain.state, 'br0')!.map((r) => r.mac)).toEqual([MAC.C1, MAC.C2]);
    expect(arpCache(plain.state, 'br0')).toBeNull();
    expect(passedUp(plain.trace)).toEqual([]);
  });

  it('runs the same twice, and a snapshot taken midway stays as it was while the run goes on', () => {
    const traffic: TrafficAction[] = [{ from: 'C1', do: 'ping', to: 'br0' }, { from: 'br0', do: 'ping', to: 'C2' }];
    const a = new Simulation(scenarioOf([BRIDGE, ...HOSTS], LINKS, traffic));
    for (let i = 0; i < 12; i++) a.step();
    const snapshot = snapshotState(a.state);
    const before = JSON.stringify(arpCache(snapshot, 'br0'));
    a.run();
    expect(JSON.stringify(arpCache(snapshot, 'br0'))).toBe(before);
    const b = simulate(traffic);
    expect(a.trace.map((e) => e.text)).toEqual(b.trace.map((e) => e.text));
    expect(arpCache(a.state, 'br0')).toEqual(arpCache(b.state, 'br0'));
  });
});

describe('the validator and a bridge’s local interface', () => {
  const check = (devices: DeviceSpec[], traffic: TrafficAction[] = []) => validateScenario({ format: SCENARIO_FORMAT, id: 't', title: 't', devices, links: LINKS, traffic });

  it('accepts it, canonicalises its MAC, and lets the bridge ping and be pinged by name', () => {
    const result = check([{ ...BRIDGE, local: { mac: '02:00:00:00:00:B0', ip: '10.0.0.1/24' } } as DeviceSpec, ...HOSTS], [{ from: 'br0', do: 'ping', to: 'C1' }, { from: 'C2', do: 'arp', to: 'br0' }]);
    expect(result.ok).toBe(true);
    if (result.ok) expect((result.scenario.devices[0] as { local?: { mac: string } }).local?.mac).toBe(MAC.BR0);
  });

  it('names a bad local address in the site’s words', () => {
    const result = check([{ ...BRIDGE, local: { mac: MAC.BR0, ip: '10.0.0.1' } } as DeviceSpec, ...HOSTS]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([{ path: 'devices[0].local.ip', message: 'expected an IPv4 address with prefix length like 10.0.0.1/24, got "10.0.0.1"' }]);
  });

  it('the editor says where in words: “Device br0: local interface IPv4 address/prefix”', () => {
    const scenario = scenarioOf([BRIDGE, ...HOSTS], LINKS, []);
    expect(describePath('devices[0].local.ip', scenario)).toBe('Device br0: local interface IPv4 address/prefix');
  });

  it('refuses a port named like the bridge (the local interface has that name)', () => {
    const result = check([{ ...BRIDGE, ports: ['p1', 'p2', 'br0'] } as DeviceSpec, ...HOSTS]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ path: 'devices[0].ports[2]' });
  });

  it('warns when its MAC or address is also a host’s', () => {
    const result = check([{ ...BRIDGE, local: { mac: MAC.C1, ip: '10.0.0.3/24' } } as DeviceSpec, ...HOSTS]);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(['devices[1].nics[0].mac', 'devices[2].nics[0].ip']);
    expect(result.warnings[0]!.message).toMatch(/^02:00:00:00:00:c1 is also used by br0's local interface: /);
  });

  it('still refuses traffic from a bridge without one, saying what would allow it', () => {
    const result = check([{ id: 'br0', kind: 'bridge', ports: ['p1', 'p2'] }, ...HOSTS], [{ from: 'br0', do: 'ping', to: 'C1' }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toBe('br0 is a bridge; only hosts and routers send traffic (and a bridge once it has a local interface, "local")');
  });

  it('gives a switch no local interface', () => {
    const result = check([{ id: 'br0', kind: 'switch', ports: [{ port: 'p1' }, { port: 'p2' }], local: { mac: MAC.BR0, ip: '10.0.0.1/24' } } as unknown as DeviceSpec, ...HOSTS]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toBe('unknown field "local": remove it or check its spelling');
  });
});
