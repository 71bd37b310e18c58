// Builds the chapter's VXLAN scenarios (content/scenarios/vlan-vs-vxlan/) on this machine's Linux
// kernel and checks the simulator's VXLAN device against the kernel's vxlan driver: two VTEP
// namespaces, each with br0 over a veth to a VM namespace and over vxlan0 (VNI 42, dstport 8472,
// `dev eth0`, the other VTEP in its all-zeros entry), routed through a router namespace.
//
//   vm1 10.0.0.1 ══ veth1 [br0 + vxlan0] vtep1 192.168.1.1 ── spine ── 192.168.2.1 vtep2 [vxlan0 + br0] veth1 ══ vm2 10.0.0.2
//
// Compared: who sent and received which frame on every interface (both ends of every veth and
// cable, br0 and vxlan0 themselves); the bytes, outer headers included, but for what each kernel
// picks for itself: the outer and inner IPv4 identification (ip_select_ident), the outer UDP
// source port (udp_flow_src_port hashes the inner flow with a secret drawn at boot; that a flow
// gets one port both ways is compared instead) and the outer UDP checksum (the lab's veths leave it
// to checksum offload, so a capture holds a partial sum, never the one a NIC would put on the wire);
// the VXLAN FDB each VTEP learned (`bridge fdb show dev vxlan0`); flooding with two remotes in the
// all-zeros entry and with none; and the MTU drop. Namespaces are named vx<pid>-<device>. Skipped,
// with the reason printed, where namespaces cannot be made.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNamespaceLabAsync, kernelLabUnavailable, runAsync, type CapturedFrame, type LabAction, type LabResult, type NamespaceLab, type VxlanFdbRow } from '../../scripts/kernel/netns';
import { scenarios } from '../../src/scenarios';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import type { HostSpec, Scenario } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { vxlanFdb } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame, echoRequest, encodeIcmpMessage, ETHERTYPE_IPV4, IP_PROTOCOL_ICMP, IP_PROTOCOL_UDP } from '../../src/sim/wire';
import { asOnWire, comparable, frameSummary, hex, kernelFrames, LabSchedule } from './compare';

/** frameSummary without what each kernel picks: the outer UDP source port, and the partial checksum a veth capture shows ("bad UDP checksum"). */
const summary = (frame: Uint8Array): string => frameSummary(frame).replace(' [bad UDP checksum]', '').replace(/ \(id \d+, offset /, ' (id *, offset ').replace(/^(\S+ > \S+ VXLAN VNI \d+ \(UDP [\d.]+):\d+ → /, '$1:* → ');

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-vxlan.test.ts skipped: ${unavailable}`);

const PREFIX = `vx${process.pid}`;
const ENDPOINTS = ['vm1:eth0', 'vtep1:veth1', 'vtep1:br0', 'vtep1:vxlan0', 'vtep1:eth0', 'spine:eth0', 'spine:eth1', 'vtep2:eth0', 'vtep2:vxlan0', 'vtep2:br0', 'vtep2:veth1', 'vm2:eth0'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const MAC = { vm1: '02:00:00:00:0a:01', vm2: '02:00:00:00:0a:02' };

/**
 * An outer VXLAN frame as both sides must agree on it: every field but the outer IPv4
 * identification (and so its header checksum), the UDP source port and the UDP checksum; the inner
 * frame as compare.ts compares a frame (an inner IPv4 packet without its identification either).
 * Anything else as compare.ts compares it.
 */
function vxlanComparable(frame: Uint8Array): unknown {
  const ethernet = decodeEthernetFrame(frame);
  if (ethernet.etherType !== ETHERTYPE_IPV4) return comparable(frame);
  const ip = decodeIpv4Packet(ethernet.payload);
  if (ip.protocol === IP_PROTOCOL_ICMP && (ip.payload[0] === 3 || ip.payload[0] === 11)) {
    // An ICMP error quoting an outer VXLAN packet: its checksum, and the quote's identification,
    // header checksum, UDP source port and UDP checksum, are what each kernel picked.
    const masked = ip.payload.slice();
    for (const offset of [2, 3, 12, 13, 18, 19, 28, 29, 34, 35]) masked[offset] = 0;
    return { ...(comparable(frame) as object), icmpChecksumValid: undefined, icmpMessage: hex(masked) };
  }
  if (ip.protocol === IP_PROTOCOL_UDP && (ip.fragmentOffset !== 0 || ip.moreFragments)) {
    // A fragment of an outer packet: its header but the identification, and its bytes, the first
    // fragment's UDP source port and checksum and the inner IPv4 identification and checksum
    // (after UDP 8, VXLAN 8 and the inner Ethernet header 14) left out.
    const data = ip.payload.slice();
    if (ip.fragmentOffset === 0) for (const offset of [0, 1, 6, 7, 34, 35, 40, 41]) data[offset] = 0;
    return { frameLength: frame.length, ethernetHeader: hex(frame.subarray(0, 14)), tos: (ip.dscp << 2) | ip.ecn, totalLength: ip.totalLength, moreFragments: ip.moreFragments, fragmentOffset: ip.fragmentOffset, dontFragment: ip.dontFragment, ttl: ip.ttl, source: ip.source, destination: ip.destination, ipChecksumValid: ip.checksumValid, data: hex(data) };
  }
  if (ip.protocol !== IP_PROTOCOL_UDP) return comparable(frame);
  const udp = ip.payload;
  return {
    frameLength: frame.length,
    ethernetHeader: hex(frame.subarray(0, 14)),
    tos: (ip.dscp << 2) | ip.ecn,
    totalLength: ip.totalLength,
    dontFragment: ip.dontFragment,
    ttl: ip.ttl,
    source: ip.source,
    destination: ip.destination,
    ipChecksumValid: ip.checksumValid,
    udpDestinationPort: (udp[2]! << 8) | udp[3]!,
    udpLength: (udp[4]! << 8) | udp[5]!,
    vxlanHeader: hex(udp.subarray(8, 16)),
    inner: comparable(udp.subarray(16)),
  };
}

/** The outer UDP source port of a VXLAN frame (null for anything else). */
function outerSourcePort(frame: Uint8Array): number | null {
  const ethernet = decodeEthernetFrame(frame);
  if (ethernet.etherType !== ETHERTYPE_IPV4) return null;
  const ip = decodeIpv4Packet(ethernet.payload);
  return ip.protocol === IP_PROTOCOL_UDP ? (ip.payload[0]! << 8) | ip.payload[1]! : null;
}

/** What a capture on vxlan0 sees: the inner frames the bridge hands it ("out") and the ones it unwraps ("in"). */
const atVxlan: Record<CapturedFrame['dir'], (e: TraceEvent) => boolean> = {
  in: (e) => e.reason === 'vxlan-decap' || e.reason === 'vxlan-frag-needed-reply',
  out: (e) => e.reason === 'vxlan-fdb-hit' || e.reason === 'vxlan-flood' || e.reason === 'vxlan-no-remote',
};
/** What a capture on br0 sees (br_pass_frame_up: "in"; br_dev_xmit: "out"). */
const atBr0: Record<CapturedFrame['dir'], (e: TraceEvent) => boolean> = {
  in: (e) => e.kind === 'deliver' && ['fdb-hit', 'broadcast', 'multicast'].includes(e.reason),
  out: (e) => (e.kind === 'forward' || e.kind === 'flood') && ['fdb-hit', 'fdb-miss', 'broadcast', 'multicast'].includes(e.reason) && (e.args as { own?: true } | undefined)?.own === true,
};

function simFrames(sim: Simulation, index: number, endpoint: Endpoint, dir: CapturedFrame['dir']): Uint8Array[] {
  const id = buildReport(sim).actions[index]!.id;
  const [device, port] = endpoint.split(':') as [string, string];
  const mine = sim.trace.filter((e) => e.actionId === id && e.device === device && e.port === port);
  if (port === 'vxlan0') return mine.filter(atVxlan[dir]).map((e) => e.frame!);
  if (port === 'br0') return mine.filter(atBr0[dir]).map((e) => e.frame!);
  return mine.filter((e) => e.kind === (dir === 'out' ? 'transmit' : 'receive')).map((e) => e.frame!);
}

/** Each action as the lab replays it: a ping with the simulator's ICMP message, a raw frame as the simulator's bytes. */
function labActions(sim: Simulation, settle?: number): LabAction[] {
  return sim.scenario.traffic.map((action, i): LabAction => {
    const from = `${action.from}:eth0`;
    const id = buildReport(sim).actions[i]!.id;
    const mine = sim.trace.filter((e) => e.actionId === id && e.kind === 'transmit' && e.device === action.from);
    const first = (action.do === 'ping' ? mine.find((e) => describeFrame(e.frame!).protocol === 'icmp-echo-request' || isFirstFragment(e.frame!)) : mine[0])?.frame;
    if (action.do === 'raw') return { kind: 'raw', from, frame: hex(first!) };
    // arping's three requests, 1 s apart, as the simulator's neighbour layer sends them.
    if (action.do === 'arp') return { kind: 'frames', from, frames: [hex(first!), hex(first!), hex(first!)], gap: 1, settle: 1.5 };
    if (first === undefined) {
      // A ping whose ARP is never answered sends no echo request, in either: any message will do, to the target's address.
      const target = sim.scenario.devices.find((d) => d.id === action.to) as HostSpec;
      return { kind: 'ping', from, to: target.nics[0]!.ip!.split('/')[0]!, icmp: hex(encodeIcmpMessage(echoRequest(0x1234, 1, new Uint8Array(56)))), timeout: 3.5, ...(settle === undefined ? {} : { settle }) };
    }
    const ip = decodeIpv4Packet(decodeEthernetFrame(first).payload);
    // A ping the sender fragmented: its ICMP message put back together from the pieces it sent.
    const icmp = ip.moreFragments ? reassembled(mine.map((e) => e.frame!), ip.identification) : ip.payload;
    return { kind: 'ping', from, to: ip.destination, icmp: hex(icmp), timeout: 2, ...(action.do === 'ping' && action.mtuDiscovery ? { pmtudisc: action.mtuDiscovery } : {}), ...(settle === undefined ? {} : { settle }) };
  });
}

function isFirstFragment(frame: Uint8Array): boolean {
  const ethernet = decodeEthernetFrame(frame);
  if (ethernet.etherType !== ETHERTYPE_IPV4) return false;
  const ip = decodeIpv4Packet(ethernet.payload);
  return ip.protocol === IP_PROTOCOL_ICMP && ip.moreFragments && ip.fragmentOffset === 0;
}

/** The data of datagram `identification` from its fragments among `frames`. */
function reassembled(frames: Uint8Array[], identification: number): Uint8Array {
  const pieces = frames.map((f) => decodeIpv4Packet(decodeEthernetFrame(f).payload)).filter((p) => p.identification === identification);
  const length = Math.max(...pieces.map((p) => p.fragmentOffset * 8 + p.payload.length));
  const data = new Uint8Array(length);
  for (const p of pieces) data.set(p.payload, p.fragmentOffset * 8);
  return data;
}

interface Run {
  sim: Simulation;
  result: LabResult;
  fdb: Record<'vtep1' | 'vtep2', VxlanFdbRow[]>;
}

/** Runs a scenario in the simulator and in the kernel, and reads both VTEPs' VXLAN FDBs at the end. */
async function runBoth(scenario: Scenario, tag: string, settle?: number): Promise<{ run: Run; lab: NamespaceLab }> {
  const sim = new Simulation(scenario);
  sim.run();
  const lab = await buildNamespaceLabAsync(sim.scenario, `${PREFIX}${tag}`);
  try {
    // The simulator's neighbour entries never go stale (a stated simplification): the kernel's first
    // unconfirmed-use probe (DELAY → PROBE, 5 s later) is pushed out of the run's few seconds.
    await Promise.all(Object.entries({ vm1: ['eth0'], vm2: ['eth0'], vtep1: ['eth0'], vtep2: ['eth0'], spine: ['eth0', 'eth1'] }).map(([device, devs]) => (
      runAsync('ip', ['netns', 'exec', lab.netns[device]!, 'sysctl', '-qw', ...devs.map((dev) => `net.ipv4.neigh.${dev}.delay_first_probe_time=60`)])
    )));
    const result = await lab.runAsync(labActions(sim, settle));
    return { run: { sim, result, fdb: { vtep1: lab.vxlanFdb('vtep1', 'vxlan0'), vtep2: lab.vxlanFdb('vtep2', 'vxlan0') } }, lab };
  } catch (error) {
    // A lab that was built but not run is taken down here: its caller never gets it to destroy.
    lab.destroy();
    throw error;
  }
}

/** This file's seven labs, run at once (six at a time) before the first test; each describe awaits its own. */
const schedule = new LabSchedule<{ run: Run; lab: NamespaceLab }>((value) => [value.lab]);
const LABS = {
  twoVteps: schedule.add('a', () => runBoth(scenarios['vlan-vs-vxlan/two-vteps']!, 'a')),
  // Settled 4 s after the ping: the spine's three ARP requests for .77 and its "host unreachable" back to vtep1.
  twoRemotes: schedule.add('b', () => runBoth(twoRemotes(), 'b', 4)),
  staticFdb: schedule.add('c', () => runBoth(scenarios['vlan-vs-vxlan/static-fdb']!, 'c')),
  mtu: schedule.add('d', () => runBoth(scenarios['vlan-vs-vxlan/mtu']!, 'd')),
  withoutDev: schedule.add('e', () => runBoth(withoutDev([{ from: 'vm1', do: 'ping', to: 'vm2', at: 0 }, { from: 'vm1', do: 'ping', to: 'vm2', size: 1472, at: 1000 }, { from: 'vm1', do: 'ping', to: 'vm2', size: 1472, mtuDiscovery: 'dont', at: 2000 }]), 'e')),
  // Settled 3.5 s: the ping's three ARP requests, 1 s apart, and what answers them.
  port: schedule.add('f', () => runBoth(twoVtepsWith((vx) => (vx.dstport = 4789)), 'f', 3.5)),
  vni: schedule.add('g', () => runBoth(twoVtepsWith((vx) => (vx.vni = 43)), 'g', 3.5)),
};
if (unavailable === null) {
  beforeAll(() => schedule.startAll(), 240_000);
  afterAll(() => schedule.destroyAll(), 60_000);
}

/** The simulator's VXLAN FDB as the kernel's rows. */
function simFdb(sim: Simulation, device: string): Array<[string, string, boolean]> {
  return vxlanFdb(sim.state, device, 'vxlan0')!.map((r) => [r.mac, r.dst, r.origin === 'static']);
}

function expectSameFrames(run: Run, index: number): void {
  for (const endpoint of ENDPOINTS) {
    const onWire = asOnWire(run.sim.scenario, endpoint);
    for (const dir of ['in', 'out'] as const) {
      const kernel = kernelFrames(run.result, index, endpoint, dir).map(onWire);
      const sim = simFrames(run.sim, index, endpoint, dir);
      expect(kernel.map(summary), `${endpoint} ${dir}`).toEqual(sim.map(summary));
      expect(kernel.map(vxlanComparable), `${endpoint} ${dir}`).toEqual(sim.map(vxlanComparable));
    }
  }
}

describe.skipIf(unavailable !== null)('the real kernel’s vxlan driver agrees with the simulator: two VTEPs, flood and learn (vlan-vs-vxlan/two-vteps)', () => {
  let run: Run | undefined;
  beforeAll(async () => {
    ({ run } = await LABS.twoVteps());
  }, 240_000);
  const get = (): Run => {
    if (!run) throw new Error('the kernel run did not happen');
    return run;
  };

  it('answers both pings, as the simulator does', () => {
    const { sim, result } = get();
    expect(result.actions.map((a) => a.ok)).toEqual([true, true]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
  });

  for (const [index, what] of [[0, 'the first ping (ARP flooded to the flood list, then learned)'], [1, 'the second ping (unicast by the learned entries)']] as const) {
    it(`${what}: every interface sends and receives the same frames, and the same bytes but for what each kernel picks`, () => {
      expectSameFrames(get(), index);
    });
  }

  it('the first ARP request leaves vtep1 as one VXLAN packet to 192.168.2.1:8472, VNI 42, TTL 64, DF clear, 92 bytes', () => {
    const { result } = get();
    const outer = kernelFrames(result, 0, 'vtep1:eth0', 'out').filter((f) => outerSourcePort(f) !== null);
    const first = vxlanComparable(outer[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ frameLength: 92, ttl: 64, dontFragment: false, destination: '192.168.2.1', udpDestinationPort: 8472, vxlanHeader: '0800000000002a00' });
  });

  it('the kernel gives a flow one outer source port both ways (its flow hash is symmetric); the simulator picks its ports in the same range', () => {
    const { sim, result } = get();
    const ports = (frames: Uint8Array[]) => frames.map(outerSourcePort).filter((p) => p !== null);
    // The lab's VTEPs share one kernel, so one boot secret: [ARP request, echo request] from vtep1
    // and [ARP reply, echo reply] from vtep2 pair up. The simulator's VTEPs are two machines (nodes
    // server1 and server2), each with its own secret, as two real servers would be; a VTEP's own
    // symmetry is tests/sim/vxlan.test.ts's.
    const kernel = [...ports(kernelFrames(result, 0, 'spine:eth1', 'out')), ...ports(kernelFrames(result, 0, 'spine:eth0', 'out'))];
    expect(kernel).toHaveLength(4);
    expect(kernel[2]).toBe(kernel[0]);
    expect(kernel[3]).toBe(kernel[1]);
    const simulated = [...ports(simFrames(sim, 0, 'spine:eth1', 'out')), ...ports(simFrames(sim, 0, 'spine:eth0', 'out'))];
    expect(simulated).toHaveLength(4);
    for (const port of [...kernel, ...simulated]) expect(port >= 32768 && port < 60999, String(port)).toBe(true);
  });

  it('ends with the same VXLAN FDB on both VTEPs: the static all-zeros entry, and the remote VM learned behind the remote VTEP', () => {
    const { sim, fdb } = get();
    const kernel = (rows: VxlanFdbRow[]) => rows.map((r) => [r.mac, r.dst, r.permanent]).sort();
    expect(simFdb(sim, 'vtep1')).toEqual([['00:00:00:00:00:00', '192.168.2.1', true], [MAC.vm2, '192.168.2.1', false]]);
    expect(simFdb(sim, 'vtep2')).toEqual([['00:00:00:00:00:00', '192.168.1.1', true], [MAC.vm1, '192.168.1.1', false]]);
    expect(kernel(fdb.vtep1)).toEqual([...simFdb(sim, 'vtep1')].sort());
    expect(kernel(fdb.vtep2)).toEqual([...simFdb(sim, 'vtep2')].sort());
  });
});

/** two-vteps with a second remote in vtep1's flood list, 192.168.2.77, which nobody has. */
function twoRemotes(): Scenario {
  const scenario = structuredClone(scenarios['vlan-vs-vxlan/two-vteps']!) as Scenario;
  const vtep1 = scenario.devices.find((d) => d.id === 'vtep1')!;
  if (vtep1.kind !== 'host') throw new Error('vtep1 is a host');
  vtep1.vxlans![0]!.fdb!.push({ mac: '00:00:00:00:00:00', dst: '192.168.2.77' });
  scenario.traffic = [{ from: 'vm1', do: 'ping', to: 'vm2', at: 0 }];
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.scenario;
}

describe.skipIf(unavailable !== null)('… flooding: two remotes in the all-zeros entry get a copy each; with no all-zeros entry nothing floods', () => {
  let both: Run | undefined;
  let none: Run | undefined;
  beforeAll(async () => {
    const a = await LABS.twoRemotes();
    const b = await LABS.staticFdb();
    both = a.run;
    none = b.run;
  }, 90_000);

  it('two remotes: vtep1 sends the ARP request twice, once to each VTEP of the flood list (head-end replication), the first listed last, in both', () => {
    const { sim, result } = both!;
    const destinations = (frames: Uint8Array[]) => frames.filter((f) => outerSourcePort(f) !== null).slice(0, 2).map((f) => decodeIpv4Packet(decodeEthernetFrame(f).payload).destination);
    // vxlan_xmit keeps the first remote for the frame itself and sends the clones to the others first.
    expect(destinations(kernelFrames(result, 0, 'vtep1:eth0', 'out'))).toEqual(['192.168.2.77', '192.168.2.1']);
    expect(destinations(simFrames(sim, 0, 'vtep1:eth0', 'out'))).toEqual(['192.168.2.77', '192.168.2.1']);
    expect(result.actions[0]!.ok).toBe(true);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
  });

  it('two remotes: the same frames and bytes on every interface, the spine’s three ARP requests for .77 and its "host unreachable" to vtep1 included', () => {
    const { sim, result } = both!;
    expectSameFrames(both!, 0);
    expect(kernelFrames(result, 0, 'vtep1:eth0', 'in').map(summary).at(-1)).toMatch(/ICMP destination unreachable/);
    expect(simFrames(sim, 0, 'vtep1:eth0', 'in').map(summary).at(-1)).toMatch(/ICMP destination unreachable/);
  });

  it('no all-zeros entry (static-fdb): the ARP broadcast goes into vxlan0 and no further; the unicast frame crosses by its static entry', () => {
    const run = none!;
    expectSameFrames(run, 0);
    expectSameFrames(run, 1);
    expect(kernelFrames(run.result, 0, 'vtep1:eth0', 'out')).toEqual([]);
    expect(kernelFrames(run.result, 0, 'vtep1:vxlan0', 'out').map(summary)).toEqual(Array(3).fill(`${MAC.vm1} > ff:ff:ff:ff:ff:ff ARP who-has 10.0.0.2? tell 10.0.0.1`));
    expect(kernelFrames(run.result, 1, 'vm2:eth0', 'in').map(summary)).toEqual(simFrames(run.sim, 1, 'vm2:eth0', 'in').map(summary));
    expect(kernelFrames(run.result, 1, 'vm2:eth0', 'in')).toHaveLength(1);
  });

  it('no learning: the static entries are all either FDB holds, in both', () => {
    const { sim, fdb } = none!;
    expect(fdb.vtep1.map((r) => [r.mac, r.dst, r.permanent])).toEqual(simFdb(sim, 'vtep1'));
    expect(fdb.vtep2.map((r) => [r.mac, r.dst, r.permanent])).toEqual(simFdb(sim, 'vtep2'));
    expect(simFdb(sim, 'vtep2')).toEqual([[MAC.vm1, '192.168.1.1', true]]);
  });
});

describe.skipIf(unavailable !== null)('… MTU: vxlan0’s MTU is 1450 over a 1500 underlay; the bridge drops a 1,514-byte frame there and tells no one (vlan-vs-vxlan/mtu)', () => {
  let run: Run | undefined;
  beforeAll(async () => {
    ({ run } = await LABS.mtu());
  }, 60_000);

  it('the small ping is answered and the big one is not, in both', () => {
    expect(run!.result.actions.map((a) => a.ok)).toEqual([true, false]);
    expect(buildReport(run!.sim).actions.map((a) => a.outcome)).toEqual(['ok', 'failed']);
  });

  it('the big ping: the same frames on every interface: vtep1 takes the 1,514-byte frame on veth1 and nothing goes into vxlan0 or onto the underlay', () => {
    const { sim, result } = run!;
    expectSameFrames(run!, 1);
    expect(kernelFrames(result, 1, 'vtep1:veth1', 'in').map((f) => f.length)).toEqual([1514]);
    expect(kernelFrames(result, 1, 'vtep1:vxlan0', 'out')).toEqual([]);
    expect(kernelFrames(result, 1, 'vtep1:eth0', 'out')).toEqual([]);
    expect(sim.trace.some((e) => e.reason === 'frame-too-big' && e.device === 'vtep1' && e.port === 'vxlan0')).toBe(true);
  });
});

/** The mtu scenario's VTEPs without `dev`: vxlan0 keeps Linux's 1500, more than the 1500-byte underlay can carry with 50 bytes of headers. */
function withoutDev(traffic: Scenario['traffic']): Scenario {
  const scenario = structuredClone(scenarios['vlan-vs-vxlan/mtu']!) as Scenario;
  for (const device of scenario.devices) if (device.kind === 'host') for (const vx of device.vxlans ?? []) delete vx.dev;
  scenario.traffic = traffic;
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.scenario;
}

describe.skipIf(unavailable !== null)('… MTU without `dev`: vxlan0 at 1500 over a 1500 underlay', () => {
  let run: Run | undefined;
  beforeAll(async () => {
    ({ run } = await LABS.withoutDev());
  }, 60_000);

  it('with DF, vxlan0 answers VM 1 itself with "fragmentation needed" (mtu 1450) from 10.0.0.2 and drops the frame; without DF the outer packet leaves in fragments and the ping is answered; the same frames on every interface', () => {
    const { sim, result } = run!;
    // The lab's ping reads echo replies only ("no reply"); the simulator's says what came back instead.
    expect(result.actions.map((a) => a.ok)).toEqual([true, false, true]);
    expect(buildReport(sim).actions.map((a) => [a.outcome, a.result])).toEqual([['ok', expect.stringMatching(/^Reply/)], ['failed', 'From 10.0.0.2: Frag needed and DF set (mtu = 1450).'], ['ok', expect.stringMatching(/^Reply/)]]);
    expectSameFrames(run!, 1);
    expectSameFrames(run!, 2);
  });
});

/** two-vteps with vtep2's VXLAN device changed by `edit`, and one ping. */
function twoVtepsWith(edit: (vx: NonNullable<HostSpec['vxlans']>[number]) => void): Scenario {
  const scenario = structuredClone(scenarios['vlan-vs-vxlan/two-vteps']!) as Scenario;
  const vtep2 = scenario.devices.find((d) => d.id === 'vtep2') as HostSpec;
  edit(vtep2.vxlans![0]!);
  scenario.traffic = [{ from: 'vm1', do: 'ping', to: 'vm2', at: 0 }];
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.scenario;
}

describe.skipIf(unavailable !== null)('… a port mismatch (8472 against 4789) and an unknown VNI (42 against 43)', () => {
  let port: Run | undefined;
  let vni: Run | undefined;
  beforeAll(async () => {
    const a = await LABS.port();
    const b = await LABS.vni();
    port = a.run;
    vni = b.run;
  }, 90_000);

  it('8472 against 4789: vtep2 has no socket on 8472 and answers each datagram with ICMP port unreachable; the same frames and bytes everywhere', () => {
    const { sim, result } = port!;
    expectSameFrames(port!, 0);
    const back = kernelFrames(result, 0, 'vtep2:eth0', 'out').map(summary).filter((s) => s.includes('ICMP'));
    expect(back).toHaveLength(3);
    expect(back[0]).toMatch(/ICMP destination unreachable 192\.168\.2\.1 → 192\.168\.1\.1 \(port unreachable/);
    expect(kernelFrames(result, 0, 'vtep2:vxlan0', 'in')).toEqual([]);
    expect([result.actions[0]!.ok, buildReport(sim).actions[0]!.outcome]).toEqual([false, 'failed']);
  });

  it('VNI 42 against 43: vtep2’s socket takes each datagram and drops it, and nothing answers; the same frames and bytes everywhere', () => {
    const { sim, result } = vni!;
    expectSameFrames(vni!, 0);
    expect(kernelFrames(result, 0, 'vtep2:eth0', 'out').map(summary).filter((s) => s.includes('ICMP'))).toEqual([]);
    expect(kernelFrames(result, 0, 'vtep2:vxlan0', 'in')).toEqual([]);
    expect(sim.trace.filter((e) => e.reason === 'vxlan-unknown-vni')).toHaveLength(3);
  });
});
