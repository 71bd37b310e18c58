// Builds a two-subnet network for real on this machine's Linux kernel and checks the simulator's
// `router` against it: host A (10.0.1.10/24, gateway 10.0.1.1) — router R (10.0.1.1/24 on eth0,
// 10.0.2.1/24 on eth1, net.ipv4.ip_forward=1) — host B (10.0.2.20/24, gateway 10.0.2.1), one
// network namespace per device, a veth pair per cable, the scenario's MAC addresses.
//
// Skipped, with the reason printed, where namespaces cannot be made (not root, no iproute2, no python3...).
// The plumbing is in scripts/kernel/: netns.ts builds and removes the namespaces, lab.py sends and captures.
//
// How the kernel side runs. Everything A sends is the simulator's own bytes (its 'transmit' events),
// put on A's cable with an AF_PACKET socket: A's ARP request for its gateway, then its echo request.
// Frames the simulator cannot be asked for with a scenario action (TTL 1, chosen checksums, an
// 802.1Q tag) are made from those bytes and handed to both: to the kernel on A's cable, and to the
// simulated R as a frame arriving on its eth0 (injectFrame below). Everything else (R's ARP, its
// forwarding, its ICMP errors, B's answers) is the kernels' own work, captured with an ETH_P_ALL
// socket on every interface ("A:eth0", "R:eth0", "R:eth1", "B:eth0").

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildRoutedLab,
  kernelLabUnavailable,
  labPrefix,
  removeLeftovers,
  run as runCommand,
  vlanUnavailable,
  type CapturedFrame,
  type LabAction,
  type LabResult,
  type NeighbourEntry,
  type RoutedLab,
} from '../../scripts/kernel/netns';
import { Simulation } from '../../src/sim/engine/simulation';
import { queuePush } from '../../src/sim/engine/event-queue';
import type { SimState } from '../../src/sim/engine/state';
import { buildReport } from '../../src/sim/report';
import type { DeviceSpec, Scenario } from '../../src/sim/scenario/format';
import { arpCache } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import {
  decodeEthernetFrame,
  decodeIcmpMessage,
  decodeIpv4Packet,
  describeFrame,
  encodeEthernetFrame,
  encodeIpv4Packet,
  ETHERTYPE_IPV4,
  ICMP_DESTINATION_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  IP_PROTOCOL_ICMP,
  pushVlanTag,
  readVlanTag,
  recomputeIpv4Checksum,
  type FrameProtocol,
} from '../../src/sim/wire';
import { scenarioOf } from '../sim/build';
import { bytes, hex, ipv4Comparable } from './compare';

/** dst(6) src(6) type(2) + ARP(28): all of an ARP frame that Linux puts on a veth (the simulator pads to 60). */
const ARP_FRAME_BYTES = 42;
/** RFC 5737 TEST-NET-1: R has no route to it. */
const UNROUTED = '192.0.2.1';
/** Inside R's eth1 subnet, but nobody has it: R's ARP requests go unanswered. */
const ABSENT = '10.0.2.99';

const MAC = { A: '02:00:00:00:00:0a', B: '02:00:00:00:00:0b', R0: '02:00:00:00:00:f0', R1: '02:00:00:00:00:f1' };

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-router.test.ts skipped: ${unavailable}`);

/** The network namespaces that exist now, as `ip netns list` names them. */
function namespaces(): string[] {
  return runCommand('ip', ['netns', 'list']).split('\n').map((line) => line.split(' ')[0] ?? '').filter(Boolean);
}


function routedScenario(): Scenario {
  const devices: DeviceSpec[] = [
    { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.1.10/24' }], gateway: '10.0.1.1' },
    { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: MAC.R0, ip: '10.0.1.1/24' }, { port: 'eth1', mac: MAC.R1, ip: '10.0.2.1/24' }] },
    { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.2.20/24' }], gateway: '10.0.2.1' },
  ];
  return scenarioOf(devices, [{ a: 'A:eth0', b: 'R:eth0' }, { a: 'B:eth0', b: 'R:eth1' }], [
    { from: 'A', do: 'ping', to: 'B' },
    { from: 'A', do: 'ping', to: UNROUTED },
    { from: 'A', do: 'ping', to: ABSENT },
  ]);
}

// ---------------------------------------------------------------------------------------------
// The simulator's side

/** The frames `device` put on its `port` cable during scenario action `index`. */
function simSent(sim: Simulation, index: number, device: string, port: string): Uint8Array[] {
  const id = buildReport(sim).actions[index]!.id;
  return transmitted(sim.trace.filter((e) => e.actionId === id), device, port);
}

function transmitted(events: readonly TraceEvent[], device: string, port: string): Uint8Array[] {
  return events.filter((e) => e.kind === 'transmit' && e.device === device && e.port === port).map((e) => e.frame!);
}

/**
 * Hands `frame` to the simulated `device` as if it had just arrived on `port` (what the AF_PACKET socket
 * does to the kernel), runs the simulation until it is quiet again and returns the events that followed.
 * The core has no action for arbitrary frames, so this pushes the arrival on the engine's queue directly.
 */
function injectFrame(sim: Simulation, device: string, port: string, frame: Uint8Array): TraceEvent[] {
  const state = sim.state as SimState;
  const linkIndex = state.devicePorts.get(device)!.get(port)!;
  const link = state.links[linkIndex]!;
  const peer = link.a.device === device && link.a.port === port ? link.b : link.a;
  const start = sim.trace.length;
  const frameId = state.nextFrameId++;
  queuePush(state.queue, { type: 'arrival', time: state.time + link.delay, seq: state.seq++, frameId, originId: frameId, origin: frameId, cause: -1, actionId: undefined, device, port, from: { ...peer }, link: linkIndex, bytes: frame });
  sim.run();
  return sim.trace.slice(start);
}

/** The IPv4 packet of an Ethernet frame (tagged or not), exactly `totalLength` bytes. */
function ipBytes(frame: Uint8Array): Uint8Array {
  const payload = decodeEthernetFrame(frame).payload;
  return payload.subarray(0, decodeIpv4Packet(payload).totalLength);
}

/** A copy of an untagged IPv4 frame with its IPv4 header changed by `edit`, checksum recomputed. */
function editIpv4(frame: Uint8Array, edit: (ip: Uint8Array) => void): Uint8Array {
  const copy = frame.slice();
  const ip = copy.subarray(14);
  edit(ip);
  copy.set(recomputeIpv4Checksum(ip.subarray(0, decodeIpv4Packet(ip).totalLength)), 14);
  return copy;
}

/** The echo request with an identification chosen so that its header checksum is `checksum`. */
function withChecksum(frame: Uint8Array, checksum: number): Uint8Array {
  for (let id = 0; id <= 0xffff; id++) {
    const candidate = editIpv4(frame, (ip) => {
      ip[4] = id >>> 8;
      ip[5] = id & 0xff;
    });
    if (decodeIpv4Packet(candidate.subarray(14)).headerChecksum === checksum) return candidate;
  }
  throw new Error(`no identification gives the header checksum 0x${checksum.toString(16)}`);
}

// ---------------------------------------------------------------------------------------------
// The kernel's side

function captured(result: LabResult, index: number, endpoint: string, dir: CapturedFrame['dir']): CapturedFrame[] {
  return (result.actions[index]!.frames[endpoint] ?? []).filter((f) => f.dir === dir);
}

function protocolOf(frame: Uint8Array): FrameProtocol {
  return describeFrame(frame).protocol;
}

function only(frames: readonly CapturedFrame[], protocol: FrameProtocol): CapturedFrame[] {
  return frames.filter((f) => protocolOf(bytes(f.hex)) === protocol);
}

/** Leaves out ARP: the kernels re-check neighbours on their own schedule (a unicast probe 5 s after an entry was used unconfirmed). */
function notArp(frames: readonly CapturedFrame[]): CapturedFrame[] {
  return frames.filter((f) => !protocolOf(bytes(f.hex)).startsWith('arp-'));
}

function ipv4Frames(frames: readonly CapturedFrame[]): CapturedFrame[] {
  return frames.filter((f) => decodeEthernetFrame(bytes(f.hex)).etherType === ETHERTYPE_IPV4);
}

/** What an ICMP error frame says, field by field; `quote` is the failed packet it carries. */
function icmpErrorFacts(frame: Uint8Array) {
  const ethernet = decodeEthernetFrame(frame);
  const ip = decodeIpv4Packet(ethernet.payload);
  const icmp = decodeIcmpMessage(ip.payload);
  return {
    ethernetHeader: hex(frame.subarray(0, 14)),
    tos: frame[15]!,
    ttl: ip.ttl,
    dontFragment: ip.dontFragment,
    protocol: ip.protocol,
    source: ip.source,
    destination: ip.destination,
    ipChecksumValid: ip.checksumValid,
    type: icmp.type,
    code: icmp.code,
    unused: icmp.rest,
    icmpChecksumValid: icmp.checksumValid,
    quote: hex(icmp.payload),
    icmpMessage: hex(ip.payload),
  };
}

interface Run {
  sim: Simulation;
  lab: RoutedLab;
  result: LabResult;
  /** Index of each kernel action, by name. */
  at: Record<ActionName, number>;
  /** What the simulated R did with each injected frame. */
  simEvents: Partial<Record<ActionName, TraceEvent[]>>;
  /** The frames injected, by action. */
  injected: Partial<Record<ActionName, Uint8Array>>;
  /** What the simulated R does with the echo reply B's kernel sent. */
  simOnKernelReply: TraceEvent[];
  neighbours: Record<'R' | 'B', NeighbourEntry[]>;
}

const CORNERS = [0xfe00, 0xfeff, 0xff00, 0xfffe] as const;
const ACTIONS = ['ping', 'unrouted', 'ttl1', 'corner0', 'corner1', 'corner2', 'corner3', 'tagged', 'errorAboutError', 'absent'] as const;
type ActionName = (typeof ACTIONS)[number];

describe.skipIf(unavailable !== null)('the real Linux router agrees with the simulator', () => {
  let run: Run | undefined;
  let lab: RoutedLab | undefined;

  beforeAll(() => {
    removeLeftovers();
    // No history: injectFrame pushes frames on its queue behind the engine's back, which a replay
    // from a checkpoint (how a run with history records the events read after run()) would not redo.
    const sim = new Simulation(routedScenario(), { history: false });
    sim.run();
    const fromA = (index: number, settle: number): LabAction => ({ kind: 'frames', from: 'A:eth0', frames: simSent(sim, index, 'A', 'eth0').map(hex), settle });
    const echo = simSent(sim, 0, 'A', 'eth0').find((f) => protocolOf(f) === 'icmp-echo-request')!;

    // Frames no scenario action makes, built from A's echo request; the simulated R gets each in turn.
    const injected: Run['injected'] = {
      ttl1: editIpv4(echo, (ip) => (ip[8] = 1)),
      tagged: pushVlanTag(echo, { pcp: 0, dei: false, vid: 10 }),
    };
    CORNERS.forEach((checksum, i) => (injected[`corner${i}` as ActionName] = withChecksum(echo, checksum)));
    const simEvents: Run['simEvents'] = {};
    for (const name of ['ttl1', 'corner0', 'corner1', 'corner2', 'corner3', 'tagged'] as const) simEvents[name] = injectFrame(sim, 'R', 'eth0', injected[name]!);
    // An ICMP error (R's own "time exceeded", as the simulator wrote it) that A sends on towards B with TTL 1.
    const simError = ipBytes(transmitted(simEvents.ttl1!, 'R', 'eth0')[0]!);
    const errorPacket = encodeIpv4Packet({
      dscp: 0, ecn: 0, identification: 0x4242, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 1,
      protocol: IP_PROTOCOL_ICMP, source: '10.0.1.10', destination: '10.0.2.20', payload: decodeIpv4Packet(simError).payload,
    });
    injected.errorAboutError = encodeEthernetFrame({ destination: MAC.R0, source: MAC.A, etherType: ETHERTYPE_IPV4, payload: errorPacket });
    simEvents.errorAboutError = injectFrame(sim, 'R', 'eth0', injected.errorAboutError);

    const plan: Record<ActionName, LabAction> = {
      ping: fromA(0, 0.3),
      unrouted: fromA(1, 0.3),
      ttl1: { kind: 'raw', from: 'A:eth0', frame: hex(injected.ttl1!), settle: 0.3 },
      corner0: { kind: 'raw', from: 'A:eth0', frame: hex(injected.corner0!), settle: 0.2 },
      corner1: { kind: 'raw', from: 'A:eth0', frame: hex(injected.corner1!), settle: 0.2 },
      corner2: { kind: 'raw', from: 'A:eth0', frame: hex(injected.corner2!), settle: 0.2 },
      corner3: { kind: 'raw', from: 'A:eth0', frame: hex(injected.corner3!), settle: 0.2 },
      tagged: { kind: 'raw', from: 'A:eth0', frame: hex(injected.tagged!), settle: 0.3 },
      errorAboutError: { kind: 'raw', from: 'A:eth0', frame: hex(injected.errorAboutError), settle: 0.3 },
      // Three ARP probes one second apart, then the error: Linux gives up after about 3 s.
      absent: fromA(2, 4.0),
    };
    lab = buildRoutedLab(sim.scenario, `${labPrefix()}-rt`);
    const result = lab.run(ACTIONS.map((name) => plan[name]));
    const at = Object.fromEntries(ACTIONS.map((name, i) => [name, i])) as Run['at'];
    const neighbours = { R: lab.neighbours('R'), B: lab.neighbours('B') };

    // B's kernel answered A's ping with its own echo reply; the simulated R forwards that very packet too.
    const kernelReply = ipv4Frames(captured(result, at.ping, 'B:eth0', 'out'))[0];
    const simOnKernelReply = kernelReply ? injectFrame(sim, 'R', 'eth1', bytes(kernelReply.hex)) : [];
    run = { sim, lab, result, at, simEvents, injected, simOnKernelReply, neighbours };
  }, 30_000);
  afterAll(() => {
    if (!lab) return;
    lab.destroy();
    const left = namespaces().filter((n) => Object.values(lab!.netns).includes(n));
    if (left.length > 0) throw new Error(`namespaces left behind: ${left.join(', ')}`);
  });

  const get = (): Run => {
    if (!run) throw new Error('the kernel run did not happen');
    return run;
  };

  it('is quiet before the traffic starts: no frame at all on any cable (no IPv6, no gratuitous ARP)', () => {
    const { lab, result } = get();
    for (const endpoint of lab.endpoints) expect(result.before[endpoint], endpoint).toEqual([]);
  });

  it('leaves no namespace behind once destroyed (checked on a throwaway lab)', () => {
    const spare = buildRoutedLab(routedScenario(), `${labPrefix()}-gone`);
    const names = Object.values(spare.netns);
    expect(namespaces().filter((n) => names.includes(n)).sort()).toEqual([...names].sort());
    spare.destroy();
    expect(namespaces().filter((n) => names.includes(n))).toEqual([]);
  });

  describe('A pings B through R', () => {
    it('the simulator’s ping works, with TTL 63 at the far end', () => {
      const report = buildReport(get().sim);
      expect(report.actions[0]!.outcome).toBe('ok');
      expect(report.actions[0]!.result).toMatch(/^Reply from 10\.0\.2\.20: TTL 63/);
    });

    it('R answers A’s ARP request with the same ARP reply, byte for byte (the 42 bytes Linux puts on a veth)', () => {
      const { sim, result, at } = get();
      const simReply = simSent(sim, 0, 'R', 'eth0').filter((f) => protocolOf(f) === 'arp-reply');
      const kernel = only(captured(result, at.ping, 'A:eth0', 'in'), 'arp-reply');
      expect(kernel).toHaveLength(1);
      expect(simReply).toHaveLength(1);
      expect(kernel[0]!.hex).toBe(hex(simReply[0]!.subarray(0, ARP_FRAME_BYTES)));
      expect([...simReply[0]!.subarray(ARP_FRAME_BYTES)].every((b) => b === 0)).toBe(true);
    });

    it('R asks for B’s MAC out of eth1 with the same ARP request (sender 10.0.2.1, not A’s address), and B answers the same', () => {
      const { sim, result, at } = get();
      const request = only(captured(result, at.ping, 'B:eth0', 'in'), 'arp-request');
      const reply = only(captured(result, at.ping, 'B:eth0', 'out'), 'arp-reply');
      expect(request.map((f) => f.hex)).toEqual(simSent(sim, 0, 'R', 'eth1').filter((f) => protocolOf(f) === 'arp-request').map((f) => hex(f.subarray(0, ARP_FRAME_BYTES))));
      expect(reply.map((f) => f.hex)).toEqual(simSent(sim, 0, 'B', 'eth0').filter((f) => protocolOf(f) === 'arp-reply').map((f) => hex(f.subarray(0, ARP_FRAME_BYTES))));
    });

    it('the echo request reaches B exactly as the simulator’s R sends it: every one of the 98 bytes', () => {
      const { sim, result, at } = get();
      const simForwarded = simSent(sim, 0, 'R', 'eth1').filter((f) => protocolOf(f) === 'icmp-echo-request');
      const kernel = only(captured(result, at.ping, 'B:eth0', 'in'), 'icmp-echo-request');
      expect(simForwarded).toHaveLength(1);
      expect(kernel).toHaveLength(1);
      expect(kernel[0]!.hex).toBe(hex(simForwarded[0]!));
    });

    it('… which is A’s packet with TTL 63, the header checksum patched, and both MACs rewritten (R’s eth1 → B)', () => {
      const { sim, result, at } = get();
      const sent = simSent(sim, 0, 'A', 'eth0').find((f) => protocolOf(f) === 'icmp-echo-request')!;
      const arrived = bytes(only(captured(result, at.ping, 'B:eth0', 'in'), 'icmp-echo-request')[0]!.hex);
      const [before, after] = [decodeIpv4Packet(ipBytes(sent)), decodeIpv4Packet(ipBytes(arrived))];
      expect([before.ttl, after.ttl]).toEqual([64, 63]);
      expect(after.checksumValid).toBe(true);
      expect(after.headerChecksum).toBe(before.headerChecksum + 0x100);
      expect(decodeEthernetFrame(arrived)).toMatchObject({ destination: MAC.B, source: MAC.R1 });
      // Everything but TTL (byte 8) and checksum (10–11) is untouched, ICMP included.
      const [x, y] = [ipBytes(sent), ipBytes(arrived)];
      for (const i of [8, 10, 11]) x[i] = y[i] = 0;
      expect(hex(y)).toBe(hex(x));
    });

    it('B’s kernel answers like the simulator’s B: same echo reply apart from the identification it picks (TTL 64, no DF)', () => {
      const { sim, result, at } = get();
      const kernel = ipv4Frames(captured(result, at.ping, 'B:eth0', 'out'));
      expect(kernel).toHaveLength(1);
      const simReply = simSent(sim, 0, 'B', 'eth0').find((f) => protocolOf(f) === 'icmp-echo-reply')!;
      expect(ipv4Comparable(bytes(kernel[0]!.hex))).toEqual(ipv4Comparable(simReply));
      expect(ipv4Comparable(simReply)).toMatchObject({ ttl: 64, dontFragment: false, icmpType: ICMP_ECHO_REPLY });
    });

    it('R forwards B’s reply to A as the simulator’s R forwards that same packet, byte for byte (TTL 63, MACs R eth0 → A)', () => {
      const { result, at, simOnKernelReply } = get();
      const kernel = ipv4Frames(captured(result, at.ping, 'A:eth0', 'in'));
      const sim = transmitted(simOnKernelReply, 'R', 'eth0');
      expect(kernel).toHaveLength(1);
      expect(sim).toHaveLength(1);
      expect(kernel[0]!.hex).toBe(hex(sim[0]!));
      expect(decodeIpv4Packet(ipBytes(sim[0]!)).ttl).toBe(63);
      expect(decodeEthernetFrame(sim[0]!)).toMatchObject({ destination: MAC.A, source: MAC.R0 });
    });

    it.each(CORNERS.map((c, i) => [c.toString(16), i] as const))(
      'patches the checksum like the kernel where the one’s-complement carry bites (A’s checksum 0x%s)',
      (_, i) => {
        const { result, at, simEvents, injected } = get();
        const name = `corner${i}` as ActionName;
        const sim = transmitted(simEvents[name]!, 'R', 'eth1');
        const kernel = only(captured(result, at[name], 'B:eth0', 'in'), 'icmp-echo-request');
        expect(decodeIpv4Packet(ipBytes(injected[name]!)).headerChecksum).toBe(CORNERS[i]);
        expect(sim).toHaveLength(1);
        expect(kernel).toHaveLength(1);
        expect(kernel[0]!.hex).toBe(hex(sim[0]!));
        expect(decodeIpv4Packet(ipBytes(sim[0]!)).checksumValid).toBe(true);
      },
    );

    it('ends with the same neighbours: R knows A on eth0 and B on eth1, B knows R', () => {
      const { sim, neighbours } = get();
      const simRows = (device: string) => arpCache(sim.state, device)!.map((r) => [r.ip, r.mac, r.port]).sort();
      const kernelRows = (rows: NeighbourEntry[]) => rows.map((r) => [r.ip, r.mac, r.dev]).sort();
      expect(kernelRows(neighbours.R)).toEqual(simRows('R'));
      expect(kernelRows(neighbours.R)).toEqual([['10.0.1.10', MAC.A, 'eth0'], ['10.0.2.20', MAC.B, 'eth1']]);
      expect(kernelRows(neighbours.B)).toEqual(simRows('B'));
    });
  });

  /** The error each side sent back to A, and the IPv4 packet it is about, as R saw it. */
  function errorPair(name: 'ttl1' | 'unrouted' | 'absent') {
    const { sim, result, at, simEvents } = get();
    const kernel = ipv4Frames(captured(result, at[name], 'A:eth0', 'in'));
    const simFrames = name === 'ttl1' ? transmitted(simEvents.ttl1!, 'R', 'eth0') : simSent(sim, name === 'unrouted' ? 1 : 2, 'R', 'eth0').filter((f) => decodeEthernetFrame(f).etherType === ETHERTYPE_IPV4);
    expect(kernel, 'the kernel’s error').toHaveLength(1);
    expect(simFrames, 'the simulator’s error').toHaveLength(1);
    return { kernel: bytes(kernel[0]!.hex), sim: simFrames[0]! };
  }

  /** The packet R is complaining about, as it should be quoted: what A sent, or for "host unreachable" the packet R was forwarding (TTL 63). */
  function failedPacket(name: 'ttl1' | 'unrouted' | 'absent'): Uint8Array {
    const { sim, injected } = get();
    if (name === 'ttl1') return ipBytes(injected.ttl1!);
    const sent = simSent(sim, name === 'unrouted' ? 1 : 2, 'A', 'eth0').find((f) => protocolOf(f) === 'icmp-echo-request')!;
    return ipBytes(name === 'unrouted' ? sent : editIpv4(sent, (ip) => (ip[8] = 63)));
  }

  const ERRORS = [
    { name: 'ttl1', what: 'a packet with TTL 1', type: ICMP_TIME_EXCEEDED, code: 0, words: 'time exceeded (11/0)' },
    { name: 'unrouted', what: `a ping to ${UNROUTED}, which R has no route to`, type: ICMP_DESTINATION_UNREACHABLE, code: 0, words: 'net unreachable (3/0)' },
    { name: 'absent', what: `a ping to ${ABSENT}, which nobody answers ARP for`, type: ICMP_DESTINATION_UNREACHABLE, code: 1, words: 'host unreachable (3/1)' },
  ] as const;

  for (const error of ERRORS) {
    describe(`${error.what}: R sends ICMP ${error.words}`, () => {
      it('from 10.0.1.1 (its eth0, A’s side) to A: same Ethernet header, addresses, TTL 64, no DF, type, code and unused word, checksums valid', () => {
        const { kernel, sim } = errorPair(error.name);
        const pick = ({ ethernetHeader, ttl, dontFragment, protocol, source, destination, ipChecksumValid, type, code, unused, icmpChecksumValid }: ReturnType<typeof icmpErrorFacts>) => ({
          ethernetHeader, ttl, dontFragment, protocol, source, destination, ipChecksumValid, type, code, unused, icmpChecksumValid,
        });
        expect(pick(icmpErrorFacts(kernel))).toEqual(pick(icmpErrorFacts(sim)));
        expect(icmpErrorFacts(kernel)).toMatchObject({
          ethernetHeader: `${MAC.A}${MAC.R0}0800`.replaceAll(':', ''), ttl: 64, dontFragment: false, protocol: IP_PROTOCOL_ICMP,
          source: '10.0.1.1', destination: '10.0.1.10', ipChecksumValid: true, type: error.type, code: error.code, unused: 0, icmpChecksumValid: true,
        });
      });

      it('quotes the failed packet: the kernel all of it (up to 576 bytes in all), and the simulator’s header + 8 bytes are its beginning', () => {
        const { kernel, sim } = errorPair(error.name);
        const original = hex(failedPacket(error.name));
        expect(icmpErrorFacts(kernel).quote).toBe(original);
        expect(icmpErrorFacts(sim).quote).toBe(original);
      });

      it('the kernel marks the error TOS 0xc0 (precedence "internetwork control")', () => {
        expect(icmpErrorFacts(errorPair(error.name).kernel).tos).toBe(0xc0);
      });

      // These two were divergences this test found (the simulator quoted 28 bytes and sent TOS 0); the core now follows __icmp_send.
      it('the ICMP message is the simulator’s, byte for byte (the whole failed packet is quoted)', () => {
        const { kernel, sim } = errorPair(error.name);
        expect(icmpErrorFacts(kernel).icmpMessage).toBe(icmpErrorFacts(sim).icmpMessage);
      });

      it('the IPv4 TOS byte is the simulator’s (0xc0)', () => {
        const { kernel, sim } = errorPair(error.name);
        expect(icmpErrorFacts(kernel).tos).toBe(icmpErrorFacts(sim).tos);
      });
    });
  }

  it('the simulated A’s pings end as ping reports them: “Destination Net Unreachable” and “Destination Host Unreachable” from 10.0.1.1', () => {
    const report = buildReport(get().sim);
    expect(report.actions[1]!.result).toBe('From 10.0.1.1: Destination Net Unreachable.');
    expect(report.actions[2]!.result).toBe('From 10.0.1.1: Destination Host Unreachable.');
  });

  it(`for ${ABSENT}, both send 3 ARP requests out of eth1, 1 s apart, and give up 1 s after the last`, () => {
    const { sim, result, at } = get();
    const forAbsent = (f: Uint8Array) => protocolOf(f) === 'arp-request' && hex(f.subarray(38, 42)) === '0a000263';
    const kernelProbes = captured(result, at.absent, 'B:eth0', 'in').filter((f) => forAbsent(bytes(f.hex)));
    const simProbes = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'R' && e.port === 'eth1' && forAbsent(e.frame!));
    expect(kernelProbes.map((f) => f.hex)).toEqual(simProbes.map((e) => hex(e.frame!.subarray(0, ARP_FRAME_BYTES))));
    expect(kernelProbes).toHaveLength(3);
    const kernelError = ipv4Frames(captured(result, at.absent, 'A:eth0', 'in'))[0]!;
    const kernelTimes = [...kernelProbes.map((f) => f.t!), kernelError.t!];
    const simError = sim.trace.find((e) => e.kind === 'transmit' && e.device === 'R' && e.port === 'eth0' && protocolOf(e.frame!) === 'icmp-error' && e.time > simProbes[0]!.time)!;
    const simTimes = [...simProbes.map((e) => e.time), simError.time];
    const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps(simTimes)).toEqual([1000, 1000, 1000]);
    // Kernel timestamps of the frames; a 1 s neighbour timer may fire a timer-wheel slot late (32 ms at HZ=250).
    for (const gap of gaps(kernelTimes)) expect(Math.abs(gap - 1), `kernel gaps ${gaps(kernelTimes).join(', ')} s`).toBeLessThan(0.1);
  });

  it('sends no ICMP error about an ICMP error: R drops A’s TTL-1 “time exceeded” towards B silently, like the simulator', () => {
    const { result, at, simEvents } = get();
    expect(transmitted(simEvents.errorAboutError!, 'R', 'eth0')).toEqual([]);
    expect(transmitted(simEvents.errorAboutError!, 'R', 'eth1')).toEqual([]);
    expect(ipv4Frames(captured(result, at.errorAboutError, 'A:eth0', 'in'))).toEqual([]);
    expect(ipv4Frames(captured(result, at.errorAboutError, 'B:eth0', 'in'))).toEqual([]);
    expect(notArp(captured(result, at.errorAboutError, 'R:eth0', 'in')).map((f) => f.hex)).toEqual([hex(get().injected.errorAboutError!)]);
  });

  it('drops a frame tagged for VLAN 10 when R has no eth0.10, like the simulator; the capture shows the tag as on the wire', () => {
    const { result, at, simEvents, injected } = get();
    const arrived = notArp(captured(result, at.tagged, 'R:eth0', 'in'));
    expect(arrived.map((f) => f.hex)).toEqual([hex(injected.tagged!)]);
    expect(readVlanTag(bytes(arrived[0]!.hex))).toEqual({ pcp: 0, dei: false, vid: 10 });
    for (const endpoint of ['A:eth0', 'B:eth0'] as const) expect(ipv4Frames(captured(result, at.tagged, endpoint, 'in')), endpoint).toEqual([]);
    const sim = simEvents.tagged!;
    expect(sim.filter((e) => e.kind === 'transmit')).toEqual([]);
    expect(sim.find((e) => e.device === 'R' && e.kind === 'drop')?.reason).toBe('vlan-unknown');
  });
});

// ---------------------------------------------------------------------------------------------
// 802.1Q sub-interfaces: A on eth0.10 — R routing eth0.10 ↔ eth1.20 — B on eth0.20.

const vlanMissing = unavailable ?? vlanUnavailable();
if (unavailable === null && vlanMissing !== null) console.warn(`tests/kernel/linux-router.test.ts: the 802.1Q comparison is skipped: ${vlanMissing}`);

function vlanScenario(): Scenario {
  const devices: DeviceSpec[] = [
    { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, vlans: [{ vlan: 10, ip: '10.0.10.10/24' }] }], gateway: '10.0.10.1' },
    { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: MAC.R0, vlans: [{ vlan: 10, ip: '10.0.10.1/24' }] }, { port: 'eth1', mac: MAC.R1, vlans: [{ vlan: 20, ip: '10.0.20.1/24' }] }] },
    { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, vlans: [{ vlan: 20, ip: '10.0.20.20/24' }] }], gateway: '10.0.20.1' },
  ];
  return scenarioOf(devices, [{ a: 'A:eth0', b: 'R:eth0' }, { a: 'B:eth0', b: 'R:eth1' }], [{ from: 'A', do: 'ping', to: 'B' }]);
}

describe('the real Linux router agrees with the simulator on 802.1Q sub-interfaces', () => {
  it('routes A’s tagged ping (VLAN 10) to B tagged for VLAN 20, byte for byte as the simulator', (ctx) => {
    // This kernel has no 8021q driver (and no bridge vlan_filtering): the comparison cannot run here.
    ctx.skip(vlanMissing !== null, vlanMissing ?? undefined);
    // No history: injectFrame pushes frames on its queue behind the engine's back, which a replay
    // from a checkpoint (how a run with history records the events read after run()) would not redo.
    const sim = new Simulation(vlanScenario(), { history: false });
    sim.run();
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const lab = buildRoutedLab(sim.scenario, `${labPrefix()}-vl`);
    try {
      const result = lab.run([{ kind: 'frames', from: 'A:eth0', frames: simSent(sim, 0, 'A', 'eth0').map(hex), settle: 0.3 }]);
      // R's tagged ARP reply: 46 bytes on a veth (the simulator pads a tagged frame to 64).
      const arpReply = only(captured(result, 0, 'A:eth0', 'in'), 'arp-reply');
      const simArpReply = simSent(sim, 0, 'R', 'eth0').find((f) => protocolOf(f) === 'arp-reply')!;
      expect(arpReply.map((f) => f.hex)).toEqual([hex(simArpReply.subarray(0, ARP_FRAME_BYTES + 4))]);
      const forwarded = ipv4Frames(captured(result, 0, 'B:eth0', 'in')).filter((f) => decodeIcmpMessage(ipBytes(bytes(f.hex)).subarray(20)).type === ICMP_ECHO_REQUEST);
      const simForwarded = simSent(sim, 0, 'R', 'eth1').filter((f) => decodeEthernetFrame(f).etherType === ETHERTYPE_IPV4 && decodeIcmpMessage(ipBytes(f).subarray(20)).type === ICMP_ECHO_REQUEST);
      expect(forwarded.map((f) => f.hex)).toEqual(simForwarded.map(hex));
      expect(readVlanTag(simForwarded[0]!)).toEqual({ pcp: 0, dei: false, vid: 20 });
    } finally {
      lab.destroy();
    }
  });
});
