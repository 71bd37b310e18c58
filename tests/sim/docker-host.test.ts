// The Docker-like host (src/scenarios/docker-host.ts) on the simulator alone: a router namespace
// whose bridge net device br0 has its own address, two container namespaces on veth ports of br0,
// and a machine outside on eth0. Asserted: who receives which frame (bridged inside br0, passed up
// to br0 and routed, routed into br0 and flooded there), the bytes that change when a packet is
// routed, the neighbour table of each namespace, br0's FDB, and that a routed frame keeps its
// origin. The same scenario is compared with the real kernel in tests/kernel/linux-docker-host.test.ts.

import { describe, expect, it } from 'vitest';
import { DOCKER_HOST_IP as IP, DOCKER_HOST_MAC as MAC, dockerHostScenario, jumboScenario } from '../../src/scenarios/docker-host';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { validateScenario } from '../../src/sim/scenario/validate';
import { arpCache, macTable, macTables, namespaceBridges, routingTable } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame } from '../../src/sim/wire';

const C1_PINGS_C2 = 0;
const C1_PINGS_OUTSIDE = 1;
const OUTSIDE_PINGS_C2 = 2;

function simulate(): Simulation {
  const sim = new Simulation(dockerHostScenario());
  sim.run();
  return sim;
}

const summary = (frame: Uint8Array): string => {
  const d = describeFrame(frame);
  return `${d.source} > ${d.destination} ${d.summary}`;
};

function eventsOf(sim: Simulation, action: number): TraceEvent[] {
  const id = buildReport(sim).actions[action]!.id;
  return sim.trace.filter((e) => e.actionId === id);
}

/** Frames sent ('transmit') or received ('receive') at device:port during an action. */
function frames(sim: Simulation, action: number, endpoint: string, kind: 'transmit' | 'receive'): string[] {
  const [device, port] = endpoint.split(':');
  return eventsOf(sim, action).filter((e) => e.kind === kind && e.device === device && e.port === port).map((e) => summary(e.frame!));
}

/** What br0 passed up to its own interface (br_pass_frame_up), as a capture on br0 sees it. */
function passedUp(sim: Simulation, action: number): string[] {
  return eventsOf(sim, action).filter((e) => e.device === 'server' && e.port === 'br0' && e.kind === 'deliver' && ['fdb-hit', 'broadcast', 'multicast'].includes(e.reason)).map((e) => summary(e.frame!));
}

describe('the Docker-like host: a router namespace with a bridge net device, two containers on veths', () => {
  it('is a valid v2 scenario, and every ping is answered', () => {
    const checked = validateScenario(dockerHostScenario());
    expect(checked.ok ? checked.warnings : checked.errors).toEqual([]);
    expect(buildReport(simulate()).actions.map((a) => a.outcome)).toEqual(['ok', 'ok', 'ok']);
  });

  it('gives server the connected route of br0 beside eth0’s', () => {
    const sim = simulate();
    expect(routingTable(sim.state, 'server')!.map((r) => `${r.destination} dev ${r.dev}`)).toEqual(['192.168.0.0/24 dev eth0', '10.0.1.0/24 dev br0']);
    expect(namespaceBridges(sim.state, 'server')).toEqual(['br0']);
  });

  it('c1 pings c2: br0 bridges the frames between veth1 and veth2 unchanged; only the ARP broadcast is passed up to br0; nothing leaves by eth0', () => {
    const sim = simulate();
    const request = `${MAC.c1} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.c2}? tell ${IP.c1}`;
    expect(frames(sim, C1_PINGS_C2, 'server:veth2', 'transmit')).toEqual([request, expect.stringMatching(new RegExp(`^${MAC.c1} > ${MAC.c2} ICMP echo request ${IP.c1} → ${IP.c2} .*TTL 64\\)$`))]);
    expect(frames(sim, C1_PINGS_C2, 'server:veth1', 'transmit')).toEqual([`${MAC.c2} > ${MAC.c1} ARP ${IP.c2} is-at ${MAC.c2}`, expect.stringMatching(new RegExp(`^${MAC.c2} > ${MAC.c1} ICMP echo reply ${IP.c2} → ${IP.c1} .*TTL 64\\)$`))]);
    expect(passedUp(sim, C1_PINGS_C2)).toEqual([request]);
    expect(frames(sim, C1_PINGS_C2, 'server:eth0', 'transmit')).toEqual([]);
    // The bridge decides (server's br0): learn, flood, forward — no IP routing.
    const server = eventsOf(sim, C1_PINGS_C2).filter((e) => e.device === 'server');
    expect(server.filter((e) => e.kind === 'forward').map((e) => e.reason)).toEqual(['fdb-hit', 'fdb-hit', 'fdb-hit']);
  });

  it('c1 pings the outside machine: the echo request goes up to br0 (its own MAC) and is routed out of eth0 with TTL 63 and eth0’s MAC; the reply comes back through br0', () => {
    const sim = simulate();
    expect(passedUp(sim, C1_PINGS_OUTSIDE)).toEqual([
      `${MAC.c1} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.br0}? tell ${IP.c1}`,
      expect.stringMatching(new RegExp(`^${MAC.c1} > ${MAC.br0} ICMP echo request ${IP.c1} → ${IP.outside} .*TTL 64\\)$`)),
    ]);
    expect(frames(sim, C1_PINGS_OUTSIDE, 'server:eth0', 'transmit')).toEqual([
      `${MAC.serverEth0} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.outside}? tell ${IP.serverEth0}`,
      expect.stringMatching(new RegExp(`^${MAC.serverEth0} > ${MAC.outside} ICMP echo request ${IP.c1} → ${IP.outside} .*TTL 63\\)$`)),
    ]);
    expect(frames(sim, C1_PINGS_OUTSIDE, 'server:veth1', 'transmit')).toEqual([
      `${MAC.br0} > ${MAC.c1} ARP ${IP.br0} is-at ${MAC.br0}`,
      expect.stringMatching(new RegExp(`^${MAC.br0} > ${MAC.c1} ICMP echo reply ${IP.outside} → ${IP.c1} .*TTL 63\\)$`)),
    ]);
    // c2 only overhears c1's ARP broadcast, flooded by br0.
    expect(frames(sim, C1_PINGS_OUTSIDE, 'c2:eth0', 'receive')).toEqual([`${MAC.c1} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.br0}? tell ${IP.c1}`]);
  });

  it('a routed packet is the same IP packet one hop on: only TTL and checksum change, and the trace keeps the origin of c1’s frame', () => {
    const sim = simulate();
    const events = eventsOf(sim, C1_PINGS_OUTSIDE);
    const sent = events.find((e) => e.kind === 'transmit' && e.device === 'c1' && describeFrame(e.frame!).protocol === 'icmp-echo-request')!;
    const routed = events.find((e) => e.kind === 'transmit' && e.device === 'server' && e.port === 'eth0' && describeFrame(e.frame!).protocol === 'icmp-echo-request')!;
    const before = decodeIpv4Packet(decodeEthernetFrame(sent.frame!).payload);
    const after = decodeIpv4Packet(decodeEthernetFrame(routed.frame!).payload);
    expect(after.ttl).toBe(before.ttl - 1);
    expect(after.checksumValid).toBe(true);
    expect({ ...after, ttl: 0, headerChecksum: 0 }).toEqual({ ...before, ttl: 0, headerChecksum: 0 });
    expect(routed.origin).toBe(sent.origin);
  });

  it('the outside machine pings c2: server routes into br0, whose ARP request is flooded out of veth1 and veth2, and the echo request leaves by veth2 only', () => {
    const sim = simulate();
    const arp = `${MAC.br0} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.c2}? tell ${IP.br0}`;
    expect(frames(sim, OUTSIDE_PINGS_C2, 'server:veth1', 'transmit')).toEqual([arp]);
    expect(frames(sim, OUTSIDE_PINGS_C2, 'server:veth2', 'transmit')).toEqual([arp, expect.stringMatching(new RegExp(`^${MAC.br0} > ${MAC.c2} ICMP echo request ${IP.outside} → ${IP.c2} .*TTL 63\\)$`))]);
    expect(frames(sim, OUTSIDE_PINGS_C2, 'c2:eth0', 'transmit')).toEqual([`${MAC.c2} > ${MAC.br0} ARP ${IP.c2} is-at ${MAC.c2}`, expect.stringMatching(new RegExp(`^${MAC.c2} > ${MAC.br0} ICMP echo reply ${IP.c2} → ${IP.outside} .*TTL 64\\)$`))]);
    expect(frames(sim, OUTSIDE_PINGS_C2, 'outside:eth0', 'receive')).toEqual([expect.stringMatching(new RegExp(`^${MAC.serverEth0} > ${MAC.outside} ICMP echo reply ${IP.c2} → ${IP.outside} .*TTL 63\\)$`))]);
  });

  it('ends with each namespace’s own neighbour table, keyed by (interface, IP): server’s on br0 and eth0', () => {
    const sim = simulate();
    const rows = (device: string) => arpCache(sim.state, device)!.map((r) => [r.ip, r.mac, r.port]);
    expect(rows('server')).toEqual([[IP.c1, MAC.c1, 'br0'], [IP.c2, MAC.c2, 'br0'], [IP.outside, MAC.outside, 'eth0']]);
    expect(rows('c1')).toEqual([[IP.br0, MAC.br0, 'eth0'], [IP.c2, MAC.c2, 'eth0']]);
    expect(rows('c2')).toEqual([[IP.br0, MAC.br0, 'eth0'], [IP.c1, MAC.c1, 'eth0']]);
    expect(rows('outside')).toEqual([[IP.serverEth0, MAC.serverEth0, 'eth0']]);
  });

  it('ends with br0’s FDB as `bridge fdb show br br0` lists it: its own MAC and its ports’ permanent, c1 learned on veth1, c2 on veth2', () => {
    const sim = simulate();
    const table = macTable(sim.state, 'server', 'br0')!.map((r) => [r.mac, r.port, r.permanent === true]);
    expect(table).toEqual([[MAC.br0, 'br0', true], [MAC.veth1, 'veth1', true], [MAC.veth2, 'veth2', true], [MAC.c1, 'veth1', false], [MAC.c2, 'veth2', false]]);
    expect([...macTables(sim.state).keys()]).toEqual(['server br0']);
    expect(macTable(sim.state, 'server')).toBeNull();
  });

  it('a frame to a port’s own MAC is a local entry: passed up to br0 and sent out of no port; br0’s stack takes it when it came in on that port (veth1’s, PACKET_HOST), not on another (veth2’s)', () => {
    const sim = new Simulation(dockerHostScenario([{ from: 'c1', do: 'raw', to: MAC.veth1, at: 0 }, { from: 'c1', do: 'raw', to: MAC.veth2, at: 100 }]));
    sim.run();
    expect(passedUp(sim, 0)).toHaveLength(1);
    expect(passedUp(sim, 1)).toHaveLength(1);
    const server = (action: number) => eventsOf(sim, action).filter((e) => e.device === 'server');
    expect(server(0).filter((e) => e.kind === 'transmit')).toEqual([]);
    expect(server(1).filter((e) => e.kind === 'transmit')).toEqual([]);
    expect(server(0).filter((e) => e.port === 'br0' && !['fdb-hit'].includes(e.reason)).map((e) => [e.kind, e.reason])).toEqual([['deliver', 'raw-delivered']]);
    expect(server(1).filter((e) => e.kind === 'drop').map((e) => [e.reason, e.port])).toEqual([['not-for-me', 'br0']]);
    // Nor is the port's own address learned when it is the source: it is local already.
    expect(macTable(sim.state, 'server', 'br0')!.filter((r) => !r.permanent).map((r) => r.mac)).toEqual([MAC.c1]);
  });

  it('a jumbo frame from c1 (MTU 9000 on its veth pair) is dropped by br0 at veth2, whose MTU is 1500: a bridge does not fragment', () => {
    const jumbo = jumboScenario([{ from: 'c1', do: 'ping', to: 'c2', size: 2000, at: 0 }]);
    const sim = new Simulation(jumbo);
    sim.run();
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
    const drops = sim.trace.filter((e) => e.device === 'server' && e.reason === 'frame-too-big');
    expect(drops.map((e) => [e.port, e.frame!.length])).toEqual([['veth2', 2042]]);
    expect(sim.trace.filter((e) => e.device === 'c2' && e.kind === 'receive').map((e) => summary(e.frame!))).toEqual([`${MAC.c1} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.c2}? tell ${IP.c1}`]);
  });

  it('runs the same on a second run (determinism)', () => {
    const a = simulate().trace.map((e) => `${e.time} ${e.device} ${e.kind} ${e.reason} ${e.port ?? ''} ${e.frame ? summary(e.frame) : ''}`);
    const b = simulate().trace.map((e) => `${e.time} ${e.device} ${e.kind} ${e.reason} ${e.port ?? ''} ${e.frame ? summary(e.frame) : ''}`);
    expect(a).toEqual(b);
  });
});
