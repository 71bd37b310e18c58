// Builds, on this machine's Linux kernel, a router whose second leg has a smaller MTU, and checks the
// simulator's MTU handling, fragmentation and UDP demultiplexing against it, frame by frame and byte by byte.
//
//   A 10.0.1.10/24 (gw .1) ── eth0 10.0.1.1/24 ┐ R (ip_forward=1)
//                               eth1 10.0.2.1/24 ┘ MTU 1400 ── B 10.0.2.20/24 (gw .1), MTU 1400
//
// Every device is a kernel here, A included: A's traffic is made by sockets in A's namespace, as
// ping and nc would make it (a raw ICMP socket given the simulator's echo request, with
// IP_MTU_DISCOVER as `ping -M`; a UDP socket bound to the simulator's source port), so A's own
// choices (DF or not, fragmenting, remembering a path MTU) are compared too. In order:
//   0. ping -s 1472 -M dont: A sends 1500 bytes without DF; R fragments (1396 + 124); B reassembles
//      and its 1500-byte reply leaves B in fragments; A reassembles it.
//   1. ping -s 1472 (-M want, the default): the packet fits A's 1500, so DF is set; R drops it and
//      sends "fragmentation needed", next-hop MTU 1400; A now keeps a path MTU of 1400 to B.
//   2. ping -s 1472 -M do: A refuses locally ("message too long, mtu=1400"); nothing on any cable.
//   3. ping -s 1472 again: A fragments it itself to fit 1400; the reply comes back in fragments.
//   4. a UDP datagram to B's port 9, where nothing listens: B answers "port unreachable".
// The run is kept under 5 s so that no neighbour entry reaches its unicast re-probe (DELAY → PROBE),
// which the simulator does not model. A second lab cables A (MTU 1500) straight to B (MTU 1400):
// the largest frame B's interface takes is MTU + 18 bytes. Skipped, with the reason printed, where
// namespaces cannot be made.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRoutedLab,
  kernelLabUnavailable,
  labPrefix,
  removeLeftovers,
  setSysctls,
  type CapturedFrame,
  type LabAction,
  type LabResult,
  type RoutedLab,
} from '../../scripts/kernel/netns';
import { pingData, udpData } from '../../src/sim/devices/host';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import type { DeviceSpec, Scenario, TrafficAction } from '../../src/sim/scenario/format';
import type { TraceEvent } from '../../src/sim/trace';
import {
  decodeEthernetFrame,
  decodeIcmpMessage,
  decodeIpv4Packet,
  describeFrame,
  echoRequest,
  encodeIcmpMessage,
  ETHERTYPE_ARP,
  ICMP_DESTINATION_UNREACHABLE,
  ICMP_FRAGMENTATION_NEEDED,
  ICMP_UNREACHABLE_PORT,
  IP_PROTOCOL_ICMP,
  isIcmpError,
  nextHopMtu,
} from '../../src/sim/wire';
import { scenarioOf } from '../sim/build';
import { ARP_FRAME_BYTES, bytes, destroyLab, hex, ipv4Comparable, isIpv4, kernelFrames } from './compare';

const MAC = { A: '02:00:00:00:00:0a', B: '02:00:00:00:00:0b', R0: '02:00:00:00:00:f0', R1: '02:00:00:00:00:f1' };
const ENDPOINTS = ['A:eth0', 'R:eth0', 'R:eth1', 'B:eth0'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const SIZE = 1472;
const UDP_SOURCE_PORT = 40000;
const DONT = 0;
const WANT_TOO_BIG = 1;
const DO_LOCAL_ERROR = 2;
const WANT_FRAGMENTED = 3;
const UDP_CLOSED = 4;
const ACTIONS = [
  [DONT, 'ping -s 1472 -M dont'],
  [WANT_TOO_BIG, 'ping -s 1472 (DF, as -M want sets it when the packet fits A’s own MTU)'],
  [DO_LOCAL_ERROR, 'ping -s 1472 -M do after the path MTU is known'],
  [WANT_FRAGMENTED, 'ping -s 1472 after the path MTU is known'],
  [UDP_CLOSED, 'a UDP datagram to a closed port'],
] as const;

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-mtu.test.ts skipped: ${unavailable}`);

function mtuScenario(): Scenario {
  const devices: DeviceSpec[] = [
    { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.1.10/24' }], gateway: '10.0.1.1' },
    { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: MAC.R0, ip: '10.0.1.1/24' }, { port: 'eth1', mac: MAC.R1, ip: '10.0.2.1/24', mtu: 1400 }] },
    { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.2.20/24', mtu: 1400 }], gateway: '10.0.2.1' },
  ];
  return scenarioOf(devices, [{ a: 'A:eth0', b: 'R:eth0' }, { a: 'R:eth1', b: 'B:eth0' }], [
    { from: 'A', do: 'ping', to: 'B', size: SIZE, mtuDiscovery: 'dont', at: 0 },
    { from: 'A', do: 'ping', to: 'B', size: SIZE, at: 10_000 },
    { from: 'A', do: 'ping', to: 'B', size: SIZE, mtuDiscovery: 'do', at: 20_000 },
    { from: 'A', do: 'ping', to: 'B', size: SIZE, at: 30_000 },
    { from: 'A', do: 'udp', to: 'B', port: 9, sourcePort: UDP_SOURCE_PORT, at: 40_000 },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Both sides, as frames per interface and direction

function simFrames(sim: Simulation, index: number, endpoint: Endpoint, dir: CapturedFrame['dir']): Uint8Array[] {
  const id = buildReport(sim).actions[index]!.id;
  const [device, port] = endpoint.split(':') as [string, string];
  const kind: TraceEvent['kind'] = dir === 'out' ? 'transmit' : 'receive';
  return sim.trace.filter((e) => e.kind === kind && e.device === device && e.port === port && e.actionId === id).map((e) => e.frame!);
}

const summary = (frame: Uint8Array): string => {
  const d = describeFrame(frame);
  return `${d.source} > ${d.destination} ${d.summary}`.replace(/\(id \d+, /, '(');
};

/**
 * An ICMP error quotes the packet it is about, identification and header checksum included, and A's
 * identification is each kernel's own pick: those four quoted bytes and the ICMP checksum they change
 * are left out; everything else of the error is compared, the whole quote included.
 */
function comparable(frame: Uint8Array) {
  const ethernet = decodeEthernetFrame(frame);
  if (ethernet.etherType === ETHERTYPE_ARP) return hex(frame.subarray(0, ARP_FRAME_BYTES));
  // A veth sends a short frame as it is; the simulator pads it to Ethernet's 60 bytes, as a wire would.
  const base = { ...ipv4Comparable(frame), frameLength: Math.max(frame.length, 60) };
  const ip = decodeIpv4Packet(ethernet.payload);
  if (ip.protocol !== IP_PROTOCOL_ICMP || ip.fragmentOffset !== 0 || ip.moreFragments || !isIcmpError(ip.payload[0]!)) return base;
  const icmp = decodeIcmpMessage(ip.payload);
  const quote = icmp.payload.slice();
  quote.fill(0, 4, 6);
  quote.fill(0, 10, 12);
  return { ...base, icmpMessage: undefined, icmpRest: icmp.rest, quoteWithoutIdentification: hex(quote) };
}

/** The echo request A's ping sends in action `index`, whole (put back together when A fragmented it). */
function sentIcmp(sim: Simulation, index: number): Uint8Array {
  const packets = simFrames(sim, index, 'A:eth0', 'out').filter(isIpv4).map((f) => decodeIpv4Packet(decodeEthernetFrame(f).payload));
  const whole = new Uint8Array(packets.reduce((n, p) => Math.max(n, p.fragmentOffset * 8 + p.payload.length), 0));
  for (const p of packets) whole.set(p.payload, p.fragmentOffset * 8);
  return whole;
}

interface Run {
  sim: Simulation;
  lab: RoutedLab;
  result: LabResult;
}

describe.skipIf(unavailable !== null)('the real Linux kernel agrees with the simulator on MTU, fragments and UDP', () => {
  let run: Run | undefined;
  let lab: RoutedLab | undefined;

  beforeAll(() => {
    removeLeftovers();
    const sim = new Simulation(mtuScenario());
    sim.run();
    lab = buildRoutedLab(sim.scenario, `${labPrefix()}-mtu`);
    const conf = (ns: string, devs: string[]) => setSysctls(ns, Object.fromEntries(['all', 'default', ...devs].map((dev) => [`net.ipv4.conf.${dev}.rp_filter`, 0])));
    conf(lab.netns.R!, ['eth0', 'eth1']);
    // The simulator's defaults, set rather than inherited: path MTU discovery on, forwarding ignores learned path MTUs.
    for (const ns of Object.values(lab.netns)) setSysctls(ns, { 'net.ipv4.ip_no_pmtu_disc': 0, 'net.ipv4.ip_forward_use_pmtu': 0 });
    // The -M do ping fails before anything is built in the simulator: the kernel gets an echo request of the same size.
    const refused = encodeIcmpMessage(echoRequest(0x1234, 1, pingData(20_000, SIZE)));
    const ping = (index: number, pmtudisc: 'want' | 'do' | 'dont', timeout: number): LabAction => ({
      kind: 'ping', from: 'A:eth0', to: '10.0.2.20', icmp: hex(index === DO_LOCAL_ERROR ? refused : sentIcmp(sim, index)), pmtudisc, timeout, settle: 0.3,
    });
    const result = lab.run([
      ping(DONT, 'dont', 1.0),
      ping(WANT_TOO_BIG, 'want', 0.4),
      ping(DO_LOCAL_ERROR, 'do', 0.2),
      ping(WANT_FRAGMENTED, 'want', 1.0),
      { kind: 'udp', from: 'A:eth0', to: '10.0.2.20', port: 9, sourcePort: UDP_SOURCE_PORT, payload: hex(udpData()), settle: 0.4 },
    ]);
    run = { sim, lab, result };
  }, 30_000);

  afterAll(() => destroyLab(lab));

  const get = (): Run => {
    if (!run) throw new Error('the kernel run did not happen');
    return run;
  };

  it('is quiet before the traffic starts', () => {
    const { lab, result } = get();
    for (const endpoint of lab.endpoints) expect(result.before[endpoint], endpoint).toEqual([]);
  });

  for (const [index, what] of ACTIONS) {
    it(`${what}: every interface sends and receives the same frames, in the same order`, () => {
      const { sim, result } = get();
      for (const endpoint of ENDPOINTS) {
        for (const dir of ['in', 'out'] as const) {
          expect(kernelFrames(result, index, endpoint, dir).map(summary), `${endpoint} ${dir}`).toEqual(simFrames(sim, index, endpoint, dir).map(summary));
        }
      }
    });

    it(`${what}: … and the same bytes (all but the IPv4 identification each kernel picks)`, () => {
      const { sim, result } = get();
      for (const endpoint of ENDPOINTS) {
        for (const dir of ['in', 'out'] as const) {
          expect(kernelFrames(result, index, endpoint, dir).map(comparable), `${endpoint} ${dir}`).toEqual(simFrames(sim, index, endpoint, dir).map(comparable));
        }
      }
    });
  }

  it('-M dont: R cuts the 1500-byte packet into 1396 + 124 bytes (1376 data bytes at offset 0, 104 at offset 1376), MF on the first, DF on neither; the reply comes back the same way, and both pings are answered', () => {
    const { sim, result } = get();
    const layout = (frames: Uint8Array[]) => frames.filter(isIpv4).map((f) => {
      const p = decodeIpv4Packet(decodeEthernetFrame(f).payload);
      return [p.totalLength, p.fragmentOffset * 8, p.moreFragments, p.dontFragment];
    });
    const cut = [[1396, 0, true, false], [124, 1376, false, false]];
    expect(layout(kernelFrames(result, DONT, 'R:eth1', 'out'))).toEqual(cut);
    expect(layout(simFrames(sim, DONT, 'R:eth1', 'out'))).toEqual(cut);
    expect(layout(kernelFrames(result, DONT, 'B:eth0', 'out'))).toEqual(cut);
    expect(layout(simFrames(sim, DONT, 'B:eth0', 'out'))).toEqual(cut);
    expect(layout(kernelFrames(result, DONT, 'A:eth0', 'out'))).toEqual([[1500, 0, false, false]]);
    expect(result.actions[DONT]!.ok).toBe(true);
    expect(buildReport(sim).actions[DONT]!.outcome).toBe('ok');
  });

  it('-M want: R answers A’s 1500-byte DF packet with "fragmentation needed", next-hop MTU 1400, quoting 548 bytes of it; nothing reaches B; the ping fails with ping’s words', () => {
    const { sim, result } = get();
    const errors = kernelFrames(result, WANT_TOO_BIG, 'A:eth0', 'in').filter(isIpv4);
    expect(errors).toHaveLength(1);
    const ip = decodeIpv4Packet(decodeEthernetFrame(errors[0]!).payload);
    const icmp = decodeIcmpMessage(ip.payload);
    expect([ip.source, ip.destination, ip.totalLength, icmp.type, icmp.code, nextHopMtu(icmp)]).toEqual(['10.0.1.1', '10.0.1.10', 576, ICMP_DESTINATION_UNREACHABLE, ICMP_FRAGMENTATION_NEEDED, 1400]);
    expect(kernelFrames(result, WANT_TOO_BIG, 'B:eth0', 'in')).toEqual([]);
    expect(simFrames(sim, WANT_TOO_BIG, 'B:eth0', 'in')).toEqual([]);
    expect(buildReport(sim).actions[WANT_TOO_BIG]!.result).toBe('From 10.0.1.1: Frag needed and DF set (mtu = 1400).');
  });

  it('-M do after that: the kernel refuses the send as the simulator does, with the same words, and no frame moves', () => {
    const { sim, result } = get();
    expect(result.actions[DO_LOCAL_ERROR]!.note).toBe('local error: message too long, mtu=1400');
    expect(buildReport(sim).actions[DO_LOCAL_ERROR]!.result).toBe('ping: local error: message too long, mtu=1400');
    for (const endpoint of ENDPOINTS) expect(result.actions[DO_LOCAL_ERROR]!.frames[endpoint], endpoint).toEqual([]);
  });

  it('-M want after that: A itself sends 1396 + 124 bytes (it remembers the path MTU), and the ping is answered', () => {
    const { sim, result } = get();
    const lengths = (frames: Uint8Array[]) => frames.filter(isIpv4).map((f) => decodeIpv4Packet(decodeEthernetFrame(f).payload).totalLength);
    expect(lengths(kernelFrames(result, WANT_FRAGMENTED, 'A:eth0', 'out'))).toEqual([1396, 124]);
    expect(lengths(simFrames(sim, WANT_FRAGMENTED, 'A:eth0', 'out'))).toEqual([1396, 124]);
    expect(result.actions[WANT_FRAGMENTED]!.ok).toBe(true);
    expect(buildReport(sim).actions[WANT_FRAGMENTED]!.outcome).toBe('ok');
  });

  it('UDP to a closed port: B answers "port unreachable" from 10.0.2.20, quoting the datagram as it arrived (TTL 63)', () => {
    const { sim, result } = get();
    const [error] = kernelFrames(result, UDP_CLOSED, 'A:eth0', 'in').filter(isIpv4);
    const ip = decodeIpv4Packet(decodeEthernetFrame(error!).payload);
    const icmp = decodeIcmpMessage(ip.payload);
    expect([ip.source, ip.destination, ip.ttl, icmp.type, icmp.code, icmp.payload[8]]).toEqual(['10.0.2.20', '10.0.1.10', 63, ICMP_DESTINATION_UNREACHABLE, ICMP_UNREACHABLE_PORT, 63]);
    expect(buildReport(sim).actions[UDP_CLOSED]!.result).toBe('From 10.0.2.20: Destination Port Unreachable.');
  });
});

// ---------------------------------------------------------------------------------------------
// The receiving side: A (MTU 1500) cabled straight to B (MTU 1400). A veth takes frames of at most
// MTU + 18 bytes (is_skb_forwardable: MTU + Ethernet header + one VLAN tag), so B takes a 1418-byte
// frame (ping -s 1376), answers it in fragments, and silently loses a 1419-byte one (ping -s 1377).
// Then A sends eight UDP datagrams to B's closed port 9, about 10 ms apart: B answers the first six
// and holds the last two back (icmp_ratelimit: a burst of 6 per destination, then one a second).

function mismatchScenario(): Scenario {
  const devices: DeviceSpec[] = [
    { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.0.1/24' }] },
    { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.0.2/24', mtu: 1400 }] },
  ];
  return scenarioOf(devices, [{ a: 'A:eth0', b: 'B:eth0' }], [
    { from: 'A', do: 'ping', to: 'B', size: 1376, at: 0 },
    { from: 'A', do: 'ping', to: 'B', size: 1377, at: 10_000 },
    ...Array.from({ length: RATE_BURST_SENT }, (_, i): TrafficAction => ({ from: 'A', do: 'udp', to: 'B', port: 9, sourcePort: 41_000 + i, at: 20_000 + 10 * i })),
  ]);
}
const RATE_BURST_SENT = 8;
const FIRST_UDP = 2;

describe.skipIf(unavailable !== null)('the real Linux kernel agrees on the largest frame an interface takes', () => {
  let sim: Simulation | undefined;
  let result: LabResult | undefined;
  let lab: RoutedLab | undefined;
  const DIRECT = ['A:eth0', 'B:eth0'] as const;

  beforeAll(() => {
    removeLeftovers();
    sim = new Simulation(mismatchScenario());
    sim.run();
    lab = buildRoutedLab(sim.scenario, `${labPrefix()}-rx`);
    const icmp = (index: number) => {
      const id = buildReport(sim!).actions[index]!.id;
      const sent = sim!.trace.find((e) => e.kind === 'transmit' && e.device === 'A' && e.actionId === id && isIpv4(e.frame!))!;
      return hex(decodeIpv4Packet(decodeEthernetFrame(sent.frame!).payload).payload);
    };
    result = lab.run([
      { kind: 'ping', from: 'A:eth0', to: '10.0.0.2', icmp: icmp(0), timeout: 1.0, settle: 0.3 },
      { kind: 'ping', from: 'A:eth0', to: '10.0.0.2', icmp: icmp(1), timeout: 0.5, settle: 0.2 },
      ...Array.from({ length: RATE_BURST_SENT }, (_, i): LabAction => ({ kind: 'udp', from: 'A:eth0', to: '10.0.0.2', port: 9, sourcePort: 41_000 + i, payload: hex(udpData()), settle: i === RATE_BURST_SENT - 1 ? 0.3 : 0.01 })),
    ]);
  }, 30_000);
  afterAll(() => lab?.destroy());

  /** What the simulator's interface really took: a frame it dropped as too big never reached the kernel's tap. */
  const simTaken = (index: number, endpoint: string, dir: CapturedFrame['dir']) => {
    const id = buildReport(sim!).actions[index]!.id;
    const [device, port] = endpoint.split(':') as [string, string];
    const tooBig = new Set(sim!.trace.filter((e) => e.reason === 'frame-too-big').map((e) => e.frame));
    return sim!.trace.filter((e) => e.kind === (dir === 'out' ? 'transmit' : 'receive') && e.device === device && e.port === port && e.actionId === id && !(dir === 'in' && tooBig.has(e.frame))).map((e) => e.frame!);
  };

  const cases: Array<[number, string]> = [[0, 'a 1418-byte frame'], [1, 'a 1419-byte frame'], ...Array.from({ length: RATE_BURST_SENT }, (_, i): [number, string] => [FIRST_UDP + i, `UDP datagram ${i + 1} of ${RATE_BURST_SENT} to a closed port`])];
  for (const [index, what] of cases) {
    it(`${what}: both interfaces send and take the same frames, byte for byte (all but the IPv4 identification)`, () => {
      for (const endpoint of DIRECT) {
        for (const dir of ['in', 'out'] as const) {
          const kernel = (result!.actions[index]!.frames[endpoint] ?? []).filter((f) => f.dir === dir).map((f) => bytes(f.hex));
          expect(kernel.map(summary), `${endpoint} ${dir}`).toEqual(simTaken(index, endpoint, dir).map(summary));
          expect(kernel.map(comparable), `${endpoint} ${dir}`).toEqual(simTaken(index, endpoint, dir).map(comparable));
        }
      }
    });
  }

  it('B answers the 1418-byte frame in fragments (1396 + 28) and the ping works; the 1419-byte frame is lost and the ping times out, in both', () => {
    const lengths = (frames: CapturedFrame[]) => frames.filter((f) => f.dir === 'out').map((f) => bytes(f.hex)).filter(isIpv4).map((f) => decodeIpv4Packet(decodeEthernetFrame(f).payload).totalLength);
    expect(lengths(result!.actions[0]!.frames['B:eth0']!)).toEqual([1396, 28]);
    expect([result!.actions[0]!.ok, result!.actions[1]!.ok]).toEqual([true, false]);
    expect(buildReport(sim!).actions.slice(0, 2).map((a) => a.outcome)).toEqual(['ok', 'failed']);
    expect(result!.actions[1]!.frames['B:eth0']).toEqual([]);
    expect(sim!.trace.filter((e) => e.reason === 'frame-too-big').map((e) => [e.device, e.frame!.length])).toEqual([['B', 1419]]);
  });

  it('B answers the first six datagrams with "port unreachable" and holds the last two back, in both', () => {
    const answered = (frames: Uint8Array[]) => frames.filter(isIpv4).length > 0;
    const kernel = Array.from({ length: RATE_BURST_SENT }, (_, i) => answered((result!.actions[FIRST_UDP + i]!.frames['B:eth0'] ?? []).filter((f) => f.dir === 'out').map((f) => bytes(f.hex))));
    const simulated = Array.from({ length: RATE_BURST_SENT }, (_, i) => answered(simTaken(FIRST_UDP + i, 'B:eth0', 'out')));
    expect(kernel).toEqual([true, true, true, true, true, true, false, false]);
    expect(simulated).toEqual(kernel);
  });
});
