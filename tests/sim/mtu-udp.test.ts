// MTU per interface, DF, ICMP "fragmentation needed", fragmentation and reassembly, and UDP with
// demultiplexing by port, asserted on the simulator alone: who received what, what the bytes are.
// The same topology is compared with the real kernel in tests/kernel/linux-mtu.test.ts.

import { describe, expect, it } from 'vitest';
import { recorder } from './recorder';
import { createHost, fragmentPacket, hostReceive, hostTimer, REASSEMBLY_TIMEOUT_MS } from '../../src/sim/devices/host';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { SCENARIO_FORMAT, type DeviceSpec, type TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import type { ReasonCode } from '../../src/sim/trace';
import {
  decodeEthernetFrame,
  decodeIcmpMessage,
  decodeIpv4Packet,
  decodeUdpDatagram,
  decrementTtl,
  encodeEthernetFrame,
  encodeIcmpMessage,
  encodeIpv4Packet,
  encodeUdpDatagram,
  fragmentationNeeded,
  ETHERTYPE_IPV4,
  ICMP_DESTINATION_UNREACHABLE,
  ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED,
  ICMP_FRAGMENTATION_NEEDED,
  ICMP_TIME_EXCEEDED,
  ICMP_UNREACHABLE_PORT,
  IP_PROTOCOL_ICMP,
  IP_PROTOCOL_UDP,
} from '../../src/sim/wire';
import { scenarioOf } from './build';

const MAC = { A: '02:00:00:00:00:0a', B: '02:00:00:00:00:0b', R0: '02:00:00:00:00:f0', R1: '02:00:00:00:00:f1' };

/** A 10.0.1.10 — R (eth1 MTU 1400) — B 10.0.2.20 (MTU 1400, a socket on UDP 5000). */
function routed(traffic: TrafficAction[]) {
  const devices: DeviceSpec[] = [
    { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.1.10/24' }], gateway: '10.0.1.1' },
    { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: MAC.R0, ip: '10.0.1.1/24' }, { port: 'eth1', mac: MAC.R1, ip: '10.0.2.1/24', mtu: 1400 }] },
    { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.2.20/24', mtu: 1400 }], gateway: '10.0.2.1', udpListen: [5000] },
  ];
  const sim = new Simulation(scenarioOf(devices, [{ a: 'A:eth0', b: 'R:eth0' }, { a: 'R:eth1', b: 'B:eth0' }], traffic));
  sim.run();
  return sim;
}

/** IPv4 packets `device` sent (or received) on `port` during action `index`. */
function packets(sim: Simulation, index: number, device: string, port: string, kind: 'transmit' | 'receive' = 'transmit') {
  const id = buildReport(sim).actions[index]!.id;
  return sim.trace
    .filter((e) => e.kind === kind && e.device === device && e.port === port && e.actionId === id && decodeEthernetFrame(e.frame!).etherType === ETHERTYPE_IPV4)
    .map((e) => ({ frame: e.frame!, ip: decodeIpv4Packet(decodeEthernetFrame(e.frame!).payload) }));
}

function reasons(sim: Simulation, index: number, device: string): ReasonCode[] {
  const id = buildReport(sim).actions[index]!.id;
  return sim.trace.filter((e) => e.device === device && e.actionId === id && e.kind !== 'transmit' && e.kind !== 'receive').map((e) => e.reason);
}

const ping = (extra: Partial<{ size: number; mtuDiscovery: 'want' | 'do' | 'dont'; at: number }> = {}): TrafficAction => ({ from: 'A', do: 'ping', to: 'B', size: 1472, ...extra });

describe('a router with a smaller MTU on its next link', () => {
  it('drops a DF packet that does not fit and sends "fragmentation needed" with the next-hop MTU, quoting the packet as it arrived', () => {
    const sim = routed([ping()]);
    const [sent] = packets(sim, 0, 'A', 'eth0');
    expect([sent!.ip.totalLength, sent!.ip.dontFragment]).toEqual([1500, true]);
    expect(reasons(sim, 0, 'R')).toContain('frag-needed');
    expect(packets(sim, 0, 'R', 'eth1')).toEqual([]);
    expect(packets(sim, 0, 'B', 'eth0', 'receive')).toEqual([]);
    const [error] = packets(sim, 0, 'A', 'eth0', 'receive');
    expect(error!.frame.length).toBe(590);
    expect([error!.ip.source, error!.ip.destination, error!.ip.totalLength, error!.ip.dscp << 2, error!.ip.dontFragment]).toEqual(['10.0.1.1', '10.0.1.10', 576, 0xc0, false]);
    const icmp = decodeIcmpMessage(error!.ip.payload);
    expect([icmp.type, icmp.code, icmp.checksumValid]).toEqual([ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENTATION_NEEDED, true]);
    // RFC 1191: two unused bytes, then the next-hop MTU.
    expect([...error!.ip.payload.subarray(4, 8)]).toEqual([0, 0, 0x05, 0x78]);
    // The first 548 bytes of A's packet, TTL still 64: ip_forward checks the MTU before decrementing.
    expect(icmp.payload).toEqual(decodeEthernetFrame(sent!.frame).payload.subarray(0, 548));
    expect(buildReport(sim).actions[0]!.result).toBe('From 10.0.1.1: Frag needed and DF set (mtu = 1400).');
    expect(reasons(sim, 0, 'A')).toContain('ping-frag-needed');
  });

  it('fragments a packet without DF: 1376 + 104 data bytes, same identification, MF on the first, TTL decremented in each', () => {
    const sim = routed([ping({ mtuDiscovery: 'dont' })]);
    const [sent] = packets(sim, 0, 'A', 'eth0');
    expect([sent!.ip.totalLength, sent!.ip.dontFragment]).toEqual([1500, false]);
    const out = packets(sim, 0, 'R', 'eth1');
    expect(out.map(({ ip }) => [ip.totalLength, ip.fragmentOffset * 8, ip.moreFragments, ip.dontFragment, ip.ttl, ip.identification === sent!.ip.identification, ip.checksumValid]))
      .toEqual([[1396, 0, true, false, 63, true, true], [124, 1376, false, false, 63, true, true]]);
    // Byte for byte what ip_fragment makes of the forwarded packet.
    expect(out.map(({ frame }) => decodeEthernetFrame(frame).payload)).toEqual(fragmentPacket(decrementTtl(decodeEthernetFrame(sent!.frame).payload), 1400));
    expect(reasons(sim, 0, 'B')).toEqual(expect.arrayContaining(['ip-fragment-queued', 'ip-reassembled', 'echo-request']));
    // The 1500-byte reply does not fit B's 1400 either: B fragments it, A reassembles it.
    expect(packets(sim, 0, 'B', 'eth0').map(({ ip }) => ip.totalLength)).toEqual([1396, 124]);
    expect(reasons(sim, 0, 'A')).toEqual(expect.arrayContaining(['ip-fragment-queued', 'ip-reassembled', 'echo-reply', 'ping-ok']));
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
  });

  it('teaches the sender the path MTU: -M do is then refused locally, and the default fragments at A', () => {
    const sim = routed([ping(), ping({ mtuDiscovery: 'do' }), ping()]);
    const report = buildReport(sim);
    expect(report.actions[1]!.result).toBe('ping: local error: message too long, mtu=1400');
    expect(reasons(sim, 1, 'A')).toEqual(['ping-message-too-long', 'ping-message-too-long']);
    expect(sim.trace.filter((e) => e.kind === 'transmit' && e.actionId === report.actions[1]!.id)).toEqual([]);
    expect(packets(sim, 2, 'A', 'eth0').map(({ ip }) => [ip.totalLength, ip.moreFragments, ip.dontFragment])).toEqual([[1396, true, false], [124, false, false]]);
    expect(report.actions[2]!.outcome).toBe('ok');
  });

  it('-M do with no path MTU learned is refused by the sender’s own MTU', () => {
    const sim = routed([{ from: 'A', do: 'ping', to: 'B', size: 1473, mtuDiscovery: 'do' }]);
    expect(buildReport(sim).actions[0]!.result).toBe('ping: local error: message too long, mtu=1500');
  });

  it('a path MTU is forgotten after 10 minutes: the same ping then leaves whole, with DF, again', () => {
    const sim = routed([ping(), ping({ at: 601_000 })]);
    expect(packets(sim, 1, 'A', 'eth0').map(({ ip }) => [ip.totalLength, ip.dontFragment])).toEqual([[1500, true]]);
  });
});

describe('an interface takes frames of at most MTU + 18 bytes (is_skb_forwardable)', () => {
  function direct(size: number) {
    const devices: DeviceSpec[] = [
      { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.0.1/24' }] },
      { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.0.2/24', mtu: 1400 }] },
    ];
    const sim = new Simulation(scenarioOf(devices, [{ a: 'A:eth0', b: 'B:eth0' }], [{ from: 'A', do: 'ping', to: 'B', size }]));
    sim.run();
    return sim;
  }

  it('takes a 1418-byte frame on an MTU of 1400 and answers it, in fragments', () => {
    const sim = direct(1376);
    expect(packets(sim, 0, 'B', 'eth0', 'receive').map(({ frame }) => frame.length)).toEqual([1418]);
    expect(packets(sim, 0, 'B', 'eth0').map(({ ip }) => ip.totalLength)).toEqual([1396, 28]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
  });

  it('drops a 1419-byte frame, says why, and sends nothing back', () => {
    const sim = direct(1377);
    const drop = sim.trace.find((e) => e.device === 'B' && e.reason === 'frame-too-big')!;
    expect(drop.frame!.length).toBe(1419);
    expect(drop.text).toBe("B's eth0 drops a 1419-byte frame: its MTU is 1400, so it takes frames of at most 1418 bytes (MTU plus Ethernet header and one VLAN tag), and a cable does not fragment.");
    expect(packets(sim, 0, 'B', 'eth0')).toEqual([]);
    expect(buildReport(sim).actions[0]!.result).toBe('No reply from 10.0.0.2 within 4 s.');
  });
});

describe('UDP, demultiplexed by port', () => {
  it('delivers a datagram to the socket on its port: the bytes are a valid UDP datagram from the given source port', () => {
    const sim = routed([{ from: 'A', do: 'udp', to: 'B', port: 5000, sourcePort: 40000, size: 5 }]);
    const [sent] = packets(sim, 0, 'A', 'eth0');
    expect([sent!.ip.protocol, sent!.ip.dontFragment, sent!.ip.totalLength]).toEqual([IP_PROTOCOL_UDP, true, 33]);
    const udp = decodeUdpDatagram(sent!.ip.payload, sent!.ip);
    expect([udp.sourcePort, udp.destinationPort, udp.length, udp.checksumPresent, udp.checksumValid, [...udp.payload]]).toEqual([40000, 5000, 13, true, true, [0, 1, 2, 3, 4]]);
    const delivered = sim.trace.find((e) => e.reason === 'udp-delivered' && e.kind === 'deliver')!;
    expect([delivered.device, delivered.port, delivered.text]).toEqual(['B', 'eth0', "B's socket on UDP port 5000 receives 5 bytes from 10.0.1.10:40000."]);
    const report = buildReport(sim).actions[0]!;
    expect([report.outcome, report.delivered]).toEqual(['ok', true]);
    expect(report.receivedBy['B']!.filter((r) => r.did === 'deliver').map((r) => r.reason)).toEqual(['arp-request-for-me', 'udp-delivered']);
  });

  it('says a datagram of one byte in the singular, as it does a ping with one data byte', () => {
    const sim = routed([{ from: 'A', do: 'udp', to: 'B', port: 5000, sourcePort: 40000, size: 1 }]);
    const texts = sim.trace.map((e) => e.text);
    expect(texts).toContain("B's socket on UDP port 5000 receives 1 byte from 10.0.1.10:40000.");
    expect(texts.find((t) => t.startsWith('A sends a UDP datagram'))).toMatch(/^A sends a UDP datagram of 1 byte from port 40000 to 10\.0\.2\.20:5000: /);
    expect(buildReport(sim).actions[0]!.result).toBe("Delivered to B's socket on UDP port 5000 (1 byte).");
    const ping = routed([{ from: 'A', do: 'ping', to: 'B', size: 1 }]);
    expect(ping.trace.find((e) => e.reason === 'ping-start')!.text).toMatch(/^A pings 10\.0\.2\.20 \(ICMP echo request, sequence 1, 1 data byte\): /);
    expect(ping.trace.map((e) => e.text).join('\n')).not.toMatch(/\b1 (bytes|data bytes)\b/);
  });

  it('answers a datagram for a closed port with ICMP port unreachable from the address it was sent to, quoting it as it arrived', () => {
    const sim = routed([{ from: 'A', do: 'udp', to: 'B', port: 9, sourcePort: 40000 }]);
    expect(reasons(sim, 0, 'B').filter((r) => r.startsWith('udp'))).toEqual(['udp-port-unreachable']);
    const [arrived] = packets(sim, 0, 'B', 'eth0', 'receive');
    const [error] = packets(sim, 0, 'A', 'eth0', 'receive');
    expect([error!.ip.source, error!.ip.destination, error!.ip.ttl]).toEqual(['10.0.2.20', '10.0.1.10', 63]);
    const icmp = decodeIcmpMessage(error!.ip.payload);
    expect([icmp.type, icmp.code, icmp.rest, icmp.checksumValid]).toEqual([ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_PORT, 0, true]);
    expect(icmp.payload).toEqual(decodeEthernetFrame(arrived!.frame).payload.subarray(0, arrived!.ip.totalLength));
    const report = buildReport(sim).actions[0]!;
    expect([report.outcome, report.result, report.delivered]).toEqual(['failed', 'From 10.0.2.20: Destination Port Unreachable.', false]);
  });

  it('picks an ephemeral source port from 32768–60999, a new one per datagram, the same on every run', () => {
    const traffic: TrafficAction[] = [{ from: 'A', do: 'udp', to: 'B', port: 5000 }, { from: 'A', do: 'udp', to: 'B', port: 5000 }];
    const ports = (sim: Simulation) => [0, 1].map((i) => decodeUdpDatagram(packets(sim, i, 'A', 'eth0')[0]!.ip.payload, packets(sim, i, 'A', 'eth0')[0]!.ip).sourcePort);
    const first = ports(routed(traffic));
    expect(first[0]).toBeGreaterThanOrEqual(32768);
    expect(first[0]).toBeLessThanOrEqual(60999);
    expect(first[1]).toBe(first[0]! + 1);
    expect(ports(routed(traffic))).toEqual(first);
  });

  it('sends one destination 6 ICMP errors at once and then one a second (icmp_ratelimit), the 7th and 8th held back and said so', () => {
    const burst: TrafficAction[] = Array.from({ length: 8 }, (_, i) => ({ from: 'A', do: 'udp', to: 'B', port: 9, at: i * 10 }));
    const sim = routed([...burst, { from: 'A', do: 'udp', to: 'B', port: 9, at: 1_100 }, { from: 'A', do: 'udp', to: 'B', port: 9, at: 1_110 }]);
    const answered = buildReport(sim).actions.map((a) => a.result?.startsWith('From 10.0.2.20: Destination Port Unreachable') ?? false);
    expect(answered).toEqual([true, true, true, true, true, true, false, false, true, false]);
    const held = sim.trace.filter((e) => e.reason === 'icmp-rate-limited');
    expect(held.map((e) => e.device)).toEqual(['B', 'B', 'B']);
    expect(held[0]!.text).toBe('B holds that ICMP error back: it has sent 10.0.1.10 6 errors in a burst already, and Linux lets one more through per second (icmp_ratelimit).');
  });

  it('never holds back "fragmentation needed": a router answers eight too-big DF packets in a row, all eight', () => {
    const { record, ctx } = recorder();
    const r = createHost({ id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: MAC.R0, ip: '10.0.1.1/24' }, { port: 'eth1', mac: MAC.R1, ip: '10.0.2.1/24', mtu: 1400 }] }, () => 1);
    const big = encodeIpv4Packet({ dscp: 0, ecn: 0, identification: 1, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: IP_PROTOCOL_UDP, source: '10.0.1.10', destination: '10.0.2.20', payload: new Uint8Array(1480) });
    for (let i = 0; i < 8; i++) hostReceive(ctx, r, 'eth0', encodeEthernetFrame({ destination: MAC.R0, source: MAC.A, etherType: ETHERTYPE_IPV4, payload: big }));
    expect(record.events.filter((e) => e.reason === 'frag-needed')).toHaveLength(8);
    expect(record.events.filter((e) => e.reason === 'icmp-rate-limited')).toEqual([]);
  });

  it('refuses to send to a broadcast address, as a socket without SO_BROADCAST does', () => {
    const sim = routed([{ from: 'A', do: 'udp', to: '10.0.1.255', port: 5000 }]);
    expect(buildReport(sim).actions[0]!.result).toBe('Permission denied: a datagram to a broadcast address needs SO_BROADCAST.');
    expect(sim.trace.filter((e) => e.kind === 'transmit')).toEqual([]);
  });

  it('a big datagram without a learned path MTU leaves whole with DF, meets "fragmentation needed", and fails with it', () => {
    const sim = routed([{ from: 'A', do: 'udp', to: 'B', port: 5000, size: 1472 }]);
    expect(buildReport(sim).actions[0]!.result).toBe('From 10.0.1.1: Frag needed and DF set (mtu = 1400).');
    expect(sim.trace.find((e) => e.kind === 'result')!.reason).toBe('udp-frag-needed');
  });

  it('… and the next datagram to B leaves in fragments and is delivered, while a "fragmentation needed" about a datagram no socket waits for teaches nothing', () => {
    const sim = routed([{ from: 'A', do: 'udp', to: 'B', port: 5000, size: 1472 }, { from: 'A', do: 'udp', to: 'B', port: 5000, size: 1472 }]);
    expect(packets(sim, 1, 'A', 'eth0').map(({ ip }) => ip.totalLength)).toEqual([1396, 124]);
    expect(buildReport(sim).actions[1]!.result).toBe('Delivered to B\'s socket on UDP port 5000 (1472 bytes).');
    // A alone, told by R about a UDP datagram (no socket waits for it) and about an echo request.
    const tell = (protocol: number) => {
      const { ctx } = recorder();
      const a = createHost({ id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.1.10/24' }], gateway: '10.0.1.1' }, () => 1);
      const original = encodeIpv4Packet({ dscp: 0, ecn: 0, identification: 9, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol, source: '10.0.1.10', destination: '10.0.2.20', payload: new Uint8Array(1480) });
      const error = encodeIpv4Packet({ dscp: 48, ecn: 0, identification: 1, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: IP_PROTOCOL_ICMP, source: '10.0.1.1', destination: '10.0.1.10', payload: encodeIcmpMessage(fragmentationNeeded(1400, original)) });
      hostReceive(ctx, a, 'eth0', encodeEthernetFrame({ destination: MAC.A, source: MAC.R0, etherType: ETHERTYPE_IPV4, payload: error }));
      return a.pathMtu;
    };
    expect(tell(IP_PROTOCOL_UDP)).toBeUndefined();
    expect(tell(IP_PROTOCOL_ICMP)).toEqual(new Map([['10.0.2.20', { mtu: 1400, expires: 600_000 }]]));
  });
});


describe('reassembly (ip_defrag), the host driven directly', () => {
  const datagram = encodeIpv4Packet({
    dscp: 0, ecn: 0, identification: 77, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: IP_PROTOCOL_UDP,
    source: '10.0.0.1', destination: '10.0.0.2', payload: encodeUdpDatagram({ sourcePort: 40000, destinationPort: 5000, payload: new Uint8Array(100) }, { source: '10.0.0.1', destination: '10.0.0.2' }),
  });
  const [first, last] = fragmentPacket(datagram, 68);
  const frame = (ip: Uint8Array) => encodeEthernetFrame({ destination: MAC.B, source: MAC.A, etherType: ETHERTYPE_IPV4, payload: ip });
  const host = () => createHost({ id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.0.2/24' }], udpListen: [5000] }, () => 1);

  it('cuts 108 bytes for an MTU of 68 into 48-byte pieces and delivers the datagram only when all are in, in any order', () => {
    const pieces = fragmentPacket(datagram, 68);
    expect(pieces.map((p) => decodeIpv4Packet(p).payload.length)).toEqual([48, 48, 12]);
    const { record, ctx } = recorder();
    const b = host();
    for (const piece of [pieces[2]!, pieces[0]!, pieces[1]!]) hostReceive(ctx, b, 'eth0', frame(piece));
    expect(record.events.map((e) => e.reason)).toEqual(['ip-fragment-queued', 'ip-fragment-queued', 'ip-reassembled', 'udp-delivered']);
    expect(record.timers).toEqual([]);
    expect(b.fragments).toBeUndefined();
  });

  it('ignores an exact repeat, and drops the whole datagram when a fragment overlaps another', () => {
    const { record, ctx } = recorder();
    const b = host();
    hostReceive(ctx, b, 'eth0', frame(first!));
    hostReceive(ctx, b, 'eth0', frame(first!));
    const shifted = encodeIpv4Packet({ ...decodeIpv4Packet(first!), fragmentOffset: 2, moreFragments: true });
    hostReceive(ctx, b, 'eth0', frame(shifted));
    expect(record.events.map((e) => e.reason)).toEqual(['ip-fragment-queued', 'ip-fragment-duplicate', 'ip-fragment-overlap']);
    expect(b.fragments).toBeUndefined();
  });

  it('gives up after 30 s and, having the first fragment, sends "fragment reassembly time exceeded" quoting it', () => {
    const { record, ctx } = recorder();
    const b = host();
    hostReceive(ctx, b, 'eth0', frame(first!));
    expect(record.timers).toEqual([{ type: 'reassembly-timeout', key: '10.0.0.1>10.0.0.2/77/17' }]);
    expect(REASSEMBLY_TIMEOUT_MS).toBe(30_000);
    // B knows A's MAC (as after any exchange), so the error goes straight out.
    b.arp = new Map([['eth0', new Map([['10.0.0.1', { ip: '10.0.0.1', mac: MAC.A, port: 'eth0', updated: 0 }]])]]);
    hostTimer(ctx, b, record.timers[0]!);
    expect(record.events.at(-1)!.reason).toBe('reassembly-timeout');
    const error = decodeIpv4Packet(decodeEthernetFrame(record.sent.at(-1)!.frame).payload);
    const icmp = decodeIcmpMessage(error.payload);
    expect([error.source, error.destination, error.protocol, icmp.type, icmp.code]).toEqual(['10.0.0.2', '10.0.0.1', IP_PROTOCOL_ICMP, ICMP_TIME_EXCEEDED, ICMP_FRAGMENT_REASSEMBLY_TIME_EXCEEDED]);
    expect(icmp.payload).toEqual(first);
  });

  it('without the first fragment it tells nobody', () => {
    const { record, ctx } = recorder();
    const b = host();
    hostReceive(ctx, b, 'eth0', frame(last!));
    hostTimer(ctx, b, record.timers[0]!);
    expect(record.events.map((e) => e.reason)).toEqual(['ip-fragment-queued', 'reassembly-timeout']);
    expect(record.sent).toEqual([]);
  });
});

describe('the scenario format for MTU and UDP', () => {
  const base = () => ({
    format: SCENARIO_FORMAT, id: 'test', title: 'test',
    devices: [{ id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.0.1/24', mtu: 9000, vlans: [{ vlan: 10, ip: '10.0.10.1/24', mtu: 1500 }] }], udpListen: [53] }] as any[],
    links: [], traffic: [{ from: 'A', do: 'ping', to: '10.0.0.2', size: 0, mtuDiscovery: 'do' }, { from: 'A', do: 'udp', to: '10.0.0.2', port: 53, sourcePort: 1, size: 65507 }] as any[],
  });
  const errors = (mutate: (s: ReturnType<typeof base>) => void) => {
    const input = base();
    mutate(input);
    const result = validateScenario(input);
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it('accepts every new field', () => {
    expect(errors(() => {})).toEqual([]);
  });

  it.each([
    ['an MTU below 68', (s: any) => (s.devices[0].nics[0].mtu = 67), 'devices[0].nics[0].mtu: expected an MTU in bytes: a whole number from 68 to 65,535 bytes, got 67'],
    ['a sub-interface MTU above its NIC’s', (s: any) => (s.devices[0].nics[0].vlans[0].mtu = 9001), "devices[0].nics[0].vlans[0].mtu: eth0.10 cannot have an MTU of 9001: eth0's is 9000, and Linux refuses a sub-interface an MTU above its NIC's"],
    ['a UDP port listed twice', (s: any) => (s.devices[0].udpListen = [53, 53]), 'devices[0].udpListen[1]: UDP port 53 is listed twice on A; a second socket bound to it would fail (EADDRINUSE)'],
    ['a UDP port 0', (s: any) => (s.traffic[1].port = 0), 'traffic[1].port: expected a UDP port: a whole number from 1 to 65,535, got 0'],
    ['a ping too big for IPv4', (s: any) => (s.traffic[0].size = 65508), 'traffic[0].size: expected a size in bytes: a whole number from 0 to 65,507 bytes, got 65508'],
    ['an unknown -M choice', (s: any) => (s.traffic[0].mtuDiscovery = 'probe'), 'traffic[0].mtuDiscovery: expected "mtuDiscovery" to be "want", "do" or "dont" (as ping -M), got "probe"'],
    ['a UDP action without a port', (s: any) => delete s.traffic[1].port, 'traffic[1].port: missing field "port"'],
  ])('refuses %s in its own words', (_name, mutate, message) => {
    expect(errors(mutate)).toContain(message);
  });
});
