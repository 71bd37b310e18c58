// Builds the Docker-like host (src/scenarios/docker-host.ts) on this machine's Linux kernel and
// checks the simulator's namespace model against it: one namespace `server` that routes
// (ip_forward=1) between eth0 and a bridge br0 with its own address, two container namespaces on
// veth ports of br0, and an outside machine on eth0. Compared: who sent and received which frame on
// every interface (both ends of every veth, and br0 itself), the bytes, each namespace's neighbour
// table (`ip neigh`) and br0's FDB (`bridge fdb show br br0`).
//
//   outside 192.168.0.3 ── eth0 192.168.0.2  server  br0 10.0.1.1/24 ├ veth1 ══ eth0 c1 10.0.1.2
//                                                                     └ veth2 ══ eth0 c2 10.0.1.3
//
// c1 pings c2 (bridged), c1 pings outside (routed out of eth0), outside pings c2 (routed into br0);
// then c1 sends a raw frame to veth1's own MAC (a port's local FDB entry), server pings c1 from
// br0's address, and c2 pings an address nobody has (three ARP requests, flooded and overheard).
// Every ping is the real kernels' work end to end: the ICMP message is the simulator's (a raw ICMP
// socket, as iputils ping as root), the IPv4 header, ARP, bridging, routing and the answers are the
// kernels'. The outside machine's default route via 192.168.0.2 is the scenario's gateway (a host in
// the format has one default route). Skipped, with the reason printed, where namespaces cannot be
// made. Plumbing: scripts/kernel/ (buildNamespaceLab).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildNamespaceLabAsync,
  kernelLabUnavailable,
  run as runCommand,
  labPrefix,
  neighbourTable,
  removeLeftovers,
  setSysctls,
  type CapturedFrame,
  type FdbRow,
  type LabAction,
  type LabResult,
  type NamespaceLab,
  type NeighbourRow,
} from '../../scripts/kernel/netns';
import { DOCKER_HOST_IP as IP, DOCKER_HOST_MAC as MAC, DOCKER_HOST_TRAFFIC, dockerHostScenario, jumboScenario } from '../../src/scenarios/docker-host';
import { SCENARIO_FORMAT, type Scenario } from '../../src/sim/scenario/format';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { arpCache, macTable } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { pingData } from '../../src/sim/devices/host';
import { decodeEthernetFrame, decodeIpv4Packet, describeFrame, echoRequest, encodeEthernetFrame, encodeIcmpMessage, encodeIpv4Packet } from '../../src/sim/wire';
import { asOnWire, exactlyComparable, frameSummary as summary, hex, kernelFrames, LabSchedule } from './compare';

const ENDPOINTS = ['server:eth0', 'server:veth1', 'server:veth2', 'server:br0', 'c1:eth0', 'c2:eth0', 'outside:eth0'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const C1_PINGS_C2 = 0;
const C1_PINGS_OUTSIDE = 1;
const OUTSIDE_PINGS_C2 = 2;
const C1_TO_VETH1_MAC = 3;
const SERVER_PINGS_C1 = 4;
const C2_PINGS_NOBODY = 5;
/** An address nobody has on br0's subnet: c2 asks three times, 1 s apart; br0 floods each request and overhears it. */
const NOBODY = '10.0.1.9';
const NAMESPACES = ['server', 'c1', 'c2', 'outside'] as const;

const unavailable = kernelLabUnavailable();
/** This file's five labs, built and run at once (six at a time) before the first test; each describe awaits its own. */
const schedule = new LabSchedule<NamespaceLab>((lab) => [lab]);
if (unavailable === null) {
  beforeAll(() => schedule.startAll(), 240_000);
  afterAll(() => schedule.destroyAll(), 60_000);
}
if (unavailable !== null) console.warn(`tests/kernel/linux-docker-host.test.ts skipped: ${unavailable}`);

/** What br0 itself passed up (br_pass_frame_up: "in") and sent into the bridge (br_dev_xmit: "out"), as a capture on br0 sees them. */
const atBr0: Record<CapturedFrame['dir'], (e: TraceEvent) => boolean> = {
  in: (e) => e.kind === 'deliver' && ['fdb-hit', 'broadcast', 'multicast'].includes(e.reason),
  out: (e) => (e.kind === 'forward' || e.kind === 'flood') && ['fdb-hit', 'fdb-miss', 'broadcast', 'multicast'].includes(e.reason),
};

/** The simulator's frames at `endpoint` during action `index`: transmitted ("out") or received ("in") there. */
function simFrames(sim: Simulation, index: number, endpoint: Endpoint, dir: CapturedFrame['dir']): Uint8Array[] {
  const id = buildReport(sim).actions[index]!.id;
  const [device, port] = endpoint.split(':') as [string, string];
  const mine = sim.trace.filter((e) => e.actionId === id && e.device === device && e.port === port);
  if (endpoint === 'server:br0') return mine.filter(atBr0[dir]).map((e) => e.frame!);
  const kind = dir === 'out' ? 'transmit' : 'receive';
  return mine.filter((e) => e.kind === kind).map((e) => e.frame!);
}

/** Each ping as the lab replays it: the simulator's ICMP message, from the sender's namespace to the address the simulator pinged. */
function labActions(sim: Simulation): LabAction[] {
  return sim.scenario.traffic.map((action, i): LabAction => {
    // Any interface of the sending namespace: a ping is routed by its kernel, a raw frame leaves by eth0.
    const from = `${action.from}:eth0` as Endpoint;
    if (action.do === 'raw') return { kind: 'raw', from, frame: hex(simFrames(sim, i, from, 'out')[0]!) };
    // The first echo request the sender put on any of its interfaces (server's leaves br0 by a veth).
    const id = buildReport(sim).actions[i]!.id;
    const request = sim.trace.find((e) => e.actionId === id && e.kind === 'transmit' && e.device === action.from && describeFrame(e.frame!).protocol === 'icmp-echo-request')?.frame;
    // A ping whose ARP is never answered sends no echo request, in either: any message will do.
    if (!request) return { kind: 'ping', from, to: action.to, icmp: hex(encodeIcmpMessage(echoRequest(0x1234, 1, pingData(0)))), timeout: 3.5 };
    const ip = decodeIpv4Packet(decodeEthernetFrame(request).payload);
    return { kind: 'ping', from, to: ip.destination, icmp: hex(ip.payload), timeout: 2 };
  });
}

interface Run {
  sim: Simulation;
  result: LabResult;
  neighbours: Record<(typeof NAMESPACES)[number], NeighbourRow[]>;
  fdb: FdbRow[];
}

describe.skipIf(unavailable !== null)('the real kernel’s Docker-like host (a routing namespace with br0, containers on veths) agrees with the simulator', () => {
  let run: Run | undefined;
  let lab: NamespaceLab | undefined;

  const job = schedule.add('1', async () => {
    removeLeftovers();
    // The chapter's three pings, then a raw frame from c1 to veth1's own MAC (a port's local FDB entry).
    const sim = new Simulation(dockerHostScenario([
      ...DOCKER_HOST_TRAFFIC,
      { from: 'c1', do: 'raw', to: MAC.veth1, at: 3000 },
      { from: 'server', do: 'ping', to: 'c1', at: 4000 },
      { from: 'c2', do: 'ping', to: NOBODY, at: 5000 },
    ]));
    sim.run();
    lab = await buildNamespaceLabAsync(sim.scenario, `${labPrefix()}-dh`);
    // The simulator's neighbour entries never go stale (a stated simplification); the kernel's, used
    // without confirmation, would send a unicast probe 5 s later (DELAY → PROBE). Pushed out of the
    // run's few seconds, as nothing else in it depends on it.
    const devs: Record<(typeof NAMESPACES)[number], string[]> = { server: ['eth0', 'br0'], c1: ['eth0'], c2: ['eth0'], outside: ['eth0'] };
    for (const [device, names] of Object.entries(devs)) setSysctls(lab.netns[device]!, Object.fromEntries(names.map((dev) => [`net.ipv4.neigh.${dev}.delay_first_probe_time`, 60])));
    const result = await lab.runAsync(labActions(sim));
    const neighbours = Object.fromEntries(NAMESPACES.map((ns) => [ns, neighbourTable(lab!.netns[ns]!)])) as Run['neighbours'];
    run = { sim, result, neighbours, fdb: lab.fdb('server', 'br0') };
    return lab!;
  });
  beforeAll(() => job(), 240_000);

  const get = (): Run => {
    if (!run) throw new Error('the kernel run did not happen');
    return run;
  };

  it('is quiet before the traffic starts: no frame on any interface (no IPv6, no STP, no IGMP)', () => {
    const { result } = get();
    for (const endpoint of ENDPOINTS) expect(result.before[endpoint], endpoint).toEqual([]);
  });

  it('answers every ping but the one to an address nobody has, as the simulator does', () => {
    const { sim, result } = get();
    expect(result.actions.map((a) => a.ok)).toEqual([true, true, true, true, true, false]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'failed']);
  });

  const actions = [
    [C1_PINGS_C2, 'c1 pings c2 (bridged)'],
    [C1_PINGS_OUTSIDE, 'c1 pings outside (routed out of eth0)'],
    [OUTSIDE_PINGS_C2, 'outside pings c2 (routed into br0)'],
    [C1_TO_VETH1_MAC, 'c1 sends a raw frame to veth1’s own MAC'],
    [SERVER_PINGS_C1, 'server pings c1 (from br0’s address, out through the bridge)'],
    [C2_PINGS_NOBODY, `c2 pings ${NOBODY}, which nobody has`],
  ] as const;
  for (const [index, what] of actions) {
    it(`${what}: every interface (both ends of each veth, eth0, and br0 itself) sends and receives the same frames, in the same order`, () => {
      const { sim, result } = get();
      for (const endpoint of ENDPOINTS) {
        for (const dir of ['in', 'out'] as const) {
          expect(kernelFrames(result, index, endpoint, dir).map(summary), `${endpoint} ${dir}`).toEqual(simFrames(sim, index, endpoint, dir).map(summary));
        }
      }
    });

    it(`${what}: … and they are the same bytes (ARP whole with its padding or none, IPv4 all but the identification a kernel picks)`, () => {
      const { sim, result } = get();
      for (const endpoint of ENDPOINTS) {
        // The veths and br0 exactly as captured; eth0's cable (a veth in the lab) as its NICs would pad it.
        const onWire = asOnWire(sim.scenario, endpoint);
        for (const dir of ['in', 'out'] as const) {
          expect(kernelFrames(result, index, endpoint, dir).map(onWire).map(exactlyComparable), `${endpoint} ${dir}`).toEqual(simFrames(sim, index, endpoint, dir).map(exactlyComparable));
        }
      }
    });
  }

  it('c1 pings c2: the kernel’s br0 overhears only the ARP broadcast; the echo request crosses from veth1 to veth2 with TTL 64, and eth0 stays silent', () => {
    const { result } = get();
    expect(kernelFrames(result, C1_PINGS_C2, 'server:br0', 'in').map(summary)).toEqual([`${MAC.c1} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.c2}? tell ${IP.c1}`]);
    expect(kernelFrames(result, C1_PINGS_C2, 'server:veth2', 'out').map(summary)[1]).toMatch(new RegExp(`^${MAC.c1} > ${MAC.c2} ICMP echo request ${IP.c1} → ${IP.c2} .*TTL 64\\)$`));
    expect(kernelFrames(result, C1_PINGS_C2, 'server:eth0', 'out')).toEqual([]);
  });

  it('an ARP frame is 42 bytes on every veth in both (veth_xmit pads nothing), and 60 on eth0’s cable in the simulator, as a NIC pads it', () => {
    const { sim, result } = get();
    const arpLengths = (frames: Uint8Array[]) => frames.filter((f) => describeFrame(f).protocol.startsWith('arp')).map((f) => f.length);
    for (const endpoint of ['c1:eth0', 'server:veth1', 'server:veth2', 'c2:eth0'] as const) {
      const kernel = arpLengths(kernelFrames(result, C1_PINGS_C2, endpoint, 'out'));
      expect(kernel.length, endpoint).toBeGreaterThan(0);
      expect(kernel, endpoint).toEqual(kernel.map(() => 42));
      expect(arpLengths(simFrames(sim, C1_PINGS_C2, endpoint, 'out')), endpoint).toEqual(kernel);
    }
    // The lab's eth0 cable is a veth too (42 bytes captured); a physical NIC, and the simulator's cable, pad to 60.
    expect(arpLengths(kernelFrames(result, C1_PINGS_OUTSIDE, 'server:eth0', 'out'))).toEqual([42]);
    expect(arpLengths(simFrames(sim, C1_PINGS_OUTSIDE, 'server:eth0', 'out'))).toEqual([60]);
  });

  it('outside pings c2: the kernel routes into br0 and floods br0’s ARP request out of both veths; the echo request reaches c2 with TTL 63', () => {
    const { result } = get();
    const arp = `${MAC.br0} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.c2}? tell ${IP.br0}`;
    expect(kernelFrames(result, OUTSIDE_PINGS_C2, 'server:veth1', 'out').map(summary)).toEqual([arp]);
    expect(kernelFrames(result, OUTSIDE_PINGS_C2, 'c2:eth0', 'in').map(summary)).toEqual([arp, expect.stringMatching(new RegExp(`^${MAC.br0} > ${MAC.c2} ICMP echo request ${IP.outside} → ${IP.c2} .*TTL 63\\)$`))]);
  });

  it('a raw frame to veth1’s own MAC goes up to br0 (a port’s MAC is a local FDB entry) and out of no port', () => {
    const { result } = get();
    expect(kernelFrames(result, C1_TO_VETH1_MAC, 'server:br0', 'in')).toHaveLength(1);
    for (const endpoint of ['server:veth2', 'server:eth0', 'server:br0'] as const) expect(kernelFrames(result, C1_TO_VETH1_MAC, endpoint, 'out'), endpoint).toEqual([]);
  });

  it('server pings c1: the echo request leaves br0 (br_dev_xmit) by veth1 only, with br0’s MAC and address', () => {
    const { result } = get();
    expect(kernelFrames(result, SERVER_PINGS_C1, 'server:br0', 'out').map(summary)).toEqual([expect.stringMatching(new RegExp(`^${MAC.br0} > ${MAC.c1} ICMP echo request ${IP.br0} → ${IP.c1} `))]);
    expect(kernelFrames(result, SERVER_PINGS_C1, 'server:veth2', 'out')).toEqual([]);
  });

  it(`c2 pings ${NOBODY}: three ARP requests, each flooded by br0 to veth1 and passed up to br0, which does not answer`, () => {
    const { result } = get();
    const request = `${MAC.c2} > ff:ff:ff:ff:ff:ff ARP who-has ${NOBODY}? tell ${IP.c2}`;
    expect(kernelFrames(result, C2_PINGS_NOBODY, 'server:veth1', 'out').map(summary)).toEqual([request, request, request]);
    expect(kernelFrames(result, C2_PINGS_NOBODY, 'server:br0', 'in').map(summary)).toEqual([request, request, request]);
    expect(kernelFrames(result, C2_PINGS_NOBODY, 'server:br0', 'out')).toEqual([]);
  });

  it('ends with the same neighbour table in every namespace, keyed by interface: server’s on br0 and eth0, c1’s, c2’s and outside’s', () => {
    const { sim, neighbours } = get();
    const kernelRows = (rows: NeighbourRow[]) => rows.filter((r) => r.mac).map((r) => [r.ip, r.mac, r.dev]).sort();
    const simRows = (device: string) => arpCache(sim.state, device)!.map((r) => [r.ip, r.mac, r.port]).sort();
    for (const ns of NAMESPACES) expect(kernelRows(neighbours[ns]), ns).toEqual(simRows(ns));
    expect(simRows('server')).toEqual([[IP.c1, MAC.c1, 'br0'], [IP.c2, MAC.c2, 'br0'], [IP.outside, MAC.outside, 'eth0']]);
    // The kernel keeps c2's failed resolution as a FAILED entry without an address for a while; the
    // simulator forgets a failed resolution at once (ARP entries and their states are simplified).
    expect(NAMESPACES.flatMap((ns) => neighbours[ns].filter((r) => !r.mac).map((r) => [ns, r.ip, r.dev, r.state.join(' ')]))).toEqual([['c2', NOBODY, 'eth0', 'FAILED']]);
  });

  it('ends with the same FDB on br0: its own MAC permanent on br0, each port’s own MAC permanent on it, c1 learned on veth1, c2 on veth2', () => {
    const { sim, fdb } = get();
    const simTable = macTable(sim.state, 'server', 'br0')!.map((r) => [r.mac, r.port, r.permanent === true]);
    expect(simTable).toEqual([[MAC.br0, 'br0', true], [MAC.veth1, 'veth1', true], [MAC.veth2, 'veth2', true], [MAC.c1, 'veth1', false], [MAC.c2, 'veth2', false]]);
    // Left out: the multicast addresses the devices list themselves (`self`), which the simulator does not model.
    expect(fdb.filter((r) => !r.self).map((r) => [r.mac, r.dev, r.permanent]).sort()).toEqual([...simTable].sort());
  });
});

describe.skipIf(unavailable !== null)('… and with jumbo frames on c1’s veth pair only, both bridges drop a big frame at veth2 instead of fragmenting it', () => {
  let lab: NamespaceLab | undefined;
  let sim: Simulation | undefined;
  let result: LabResult | undefined;

  const job = schedule.add('2', async () => {
    sim = new Simulation(jumboScenario([{ from: 'c1', do: 'ping', to: 'c2', size: 2000, at: 0 }]));
    sim.run();
    lab = await buildNamespaceLabAsync(sim.scenario, `${labPrefix()}-dj`);
    result = await lab.runAsync(labActions(sim));
    return lab!;
  });
  beforeAll(() => job(), 240_000);

  it('c1’s 2,042-byte frame crosses its veth (MTU 9000) to br0, which sends it out of no port; the ping gets no answer in either', () => {
    if (!sim || !result) throw new Error('the kernel run did not happen');
    expect(result.actions.map((a) => a.ok)).toEqual([false]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['failed']);
    expect(kernelFrames(result, 0, 'server:veth1', 'in').map((f) => f.length)).toEqual([42, 2042]);
    expect(kernelFrames(result, 0, 'c2:eth0', 'in').map(summary)).toEqual([`${MAC.c1} > ff:ff:ff:ff:ff:ff ARP who-has ${IP.c2}? tell ${IP.c1}`]);
    for (const endpoint of ENDPOINTS) {
      const onWire = asOnWire(sim.scenario, endpoint);
      for (const dir of ['in', 'out'] as const) {
        expect(kernelFrames(result, 0, endpoint, dir).map(onWire).map(exactlyComparable), `${endpoint} ${dir}`).toEqual(simFrames(sim, 0, endpoint, dir).map(exactlyComparable));
      }
    }
    expect(sim.trace.filter((e) => e.reason === 'frame-too-big').map((e) => `${e.device}:${e.port}`)).toEqual(['server:veth2']);
  });
});

describe.skipIf(unavailable !== null)('… and with MTU 1000 on both veth pairs, br0 takes its ports’ smallest MTU (br_mtu_auto_adjust) in both, so server refuses a 1,228-byte packet for c1 at its router', () => {
  let lab: NamespaceLab | undefined;
  let sim: Simulation | undefined;
  let result: LabResult | undefined;
  let br0Mtu: number | undefined;

  const job = schedule.add('3', async () => {
    const scenario = dockerHostScenario([{ from: 'outside', do: 'ping', to: 'c1', size: 1200, at: 0 }]);
    for (const device of scenario.devices) {
      if (device.kind !== 'host' && device.kind !== 'router') continue;
      for (const nic of device.nics) if (device.id === 'c1' || device.id === 'c2' || nic.port.startsWith('veth')) nic.mtu = 1000;
    }
    sim = new Simulation(scenario);
    sim.run();
    // The scenario sets no MTU on br0: the lab leaves it to the kernel, as `ip link add br0 type bridge` does.
    lab = await buildNamespaceLabAsync(sim.scenario, `${labPrefix()}-dm`);
    br0Mtu = (JSON.parse(runCommand('ip', ['-n', lab.netns.server!, '-j', 'link', 'show', 'br0'])) as Array<{ mtu: number }>)[0]!.mtu;
    result = await lab.runAsync(labActions(sim));
    return lab!;
  });
  beforeAll(() => job(), 240_000);

  it('br0’s MTU is 1000 in both; the ping fails with “fragmentation needed” from 192.168.0.2, and every interface sends and receives the same frames', () => {
    if (!sim || !result) throw new Error('the kernel run did not happen');
    const server = sim.state.devices.get('server') as { nics: Array<{ name: string; mtu: number }> };
    expect([br0Mtu, server.nics.find((nic) => nic.name === 'br0')!.mtu]).toEqual([1000, 1000]);
    expect(result.actions.map((a) => a.ok)).toEqual([false]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['failed']);
    expect(kernelFrames(result, 0, 'outside:eth0', 'in').map(summary)).toContainEqual(expect.stringMatching(/fragmentation needed, next-hop MTU 1000/));
    // Summaries, and lengths past the minimum frame (how short frames are padded is not at issue
    // here); not the bytes: the error quotes the echo request's IPv4 header, whose identification each side picks.
    const seen = (frame: Uint8Array) => `${summary(frame)}${frame.length > 60 ? ` [${frame.length} bytes]` : ''}`;
    for (const endpoint of ENDPOINTS) {
      for (const dir of ['in', 'out'] as const) {
        expect(kernelFrames(result, 0, endpoint, dir).map(seen), `${endpoint} ${dir}`).toEqual(simFrames(sim, 0, endpoint, dir).map(seen));
      }
    }
  });
});

describe.skipIf(unavailable !== null)('… and a frame br0 sends to one of its ports’ own MAC leaves by that port only (br_dev_xmit finds the port’s local FDB entry), in both', () => {
  let lab: NamespaceLab | undefined;
  let sim: Simulation | undefined;
  let result: LabResult | undefined;
  // h's only interface with an address is br0, over eth0 (to g) and eth1 (to k); h sends a raw frame to eth1's MAC.
  const scenario: Scenario = {
    format: SCENARIO_FORMAT, id: 'br0-two-ports', title: 'br0 over two ports', description: 'h bridges eth0 and eth1',
    devices: [
      { id: 'h', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:11' }, { port: 'eth1', mac: '02:00:00:00:00:12' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24', ports: ['eth0', 'eth1'] }] },
      { id: 'g', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:22', ip: '10.0.0.2/24' }] },
      { id: 'k', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:33', ip: '10.0.0.3/24' }] },
    ],
    links: [{ a: 'h:eth0', b: 'g:eth0' }, { a: 'h:eth1', b: 'k:eth0' }],
    traffic: [{ from: 'h', do: 'raw', to: '02:00:00:00:00:12', at: 0 }],
  };

  const job = schedule.add('4', async () => {
    sim = new Simulation(scenario);
    sim.run();
    lab = await buildNamespaceLabAsync(sim.scenario, `${labPrefix()}-dp`);
    const frame = sim.trace.find((e) => e.kind === 'transmit')!.frame!;
    // The kernel's frame goes into br0 as the simulator's does (a packet socket on br0: br_dev_xmit).
    result = await lab.runAsync([{ kind: 'raw', from: 'h:br0', frame: hex(frame) }]);
    return lab!;
  });
  beforeAll(() => job(), 240_000);

  it('only eth1 sends it and only k receives it; eth0 and g see nothing', () => {
    if (!sim || !result) throw new Error('the kernel run did not happen');
    const simAt = (endpoint: string, dir: 'in' | 'out'): Uint8Array[] => {
      const [device, port] = endpoint.split(':');
      const here = sim!.trace.filter((e) => e.device === device && e.port === port);
      if (port === 'br0') return dir === 'out' ? here.filter(atBr0.out).map((e) => e.frame!) : here.filter(atBr0.in).map((e) => e.frame!);
      return here.filter((e) => e.kind === (dir === 'out' ? 'transmit' : 'receive')).map((e) => e.frame!);
    };
    for (const endpoint of ['h:eth0', 'h:eth1', 'h:br0', 'g:eth0', 'k:eth0']) {
      for (const dir of ['in', 'out'] as const) {
        expect(kernelFrames(result, 0, endpoint, dir).map(summary), `${endpoint} ${dir}`).toEqual(simAt(endpoint, dir).map(summary));
      }
    }
    expect(kernelFrames(result, 0, 'k:eth0', 'in')).toHaveLength(1);
    expect(kernelFrames(result, 0, 'g:eth0', 'in')).toEqual([]);
  });
});

describe.skipIf(unavailable !== null)('… and the kernel’s br0 takes a frame to the MAC of the port it came in on as its own (PACKET_HOST from eth_type_trans), not one to another port’s', () => {
  let lab: NamespaceLab | undefined;
  let result: LabResult | undefined;
  // c1's echo request for br0's address, in a frame to veth1's MAC (the port it arrives on), then to veth2's, then to br0's.
  const request = encodeIpv4Packet({ dscp: 0, ecn: 0, identification: 1, dontFragment: false, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: 1, source: IP.c1, destination: IP.br0, payload: encodeIcmpMessage(echoRequest(0x77, 1, pingData(0))) });
  const to = (mac: string) => hex(encodeEthernetFrame({ destination: mac, source: MAC.c1, etherType: 0x0800, payload: request }));

  const job = schedule.add('5', async () => {
    lab = await buildNamespaceLabAsync(dockerHostScenario([]), `${labPrefix()}-dk`);
    result = await lab.runAsync([{ kind: 'raw', from: 'c1:eth0', frame: to(MAC.veth1) }, { kind: 'raw', from: 'c1:eth0', frame: to(MAC.veth2) }, { kind: 'raw', from: 'c1:eth0', frame: to(MAC.br0) }]);
    return lab!;
  });
  beforeAll(() => job(), 240_000);

  it('answers the echo request sent to veth1’s MAC and to br0’s, not the one to veth2’s: the simulator’s br0 decides the same way on raw frames (tests/sim)', () => {
    if (!result) throw new Error('the kernel run did not happen');
    const replies = (i: number) => kernelFrames(result!, i, 'c1:eth0', 'in').map(summary).filter((f) => f.includes('echo reply'));
    expect(replies(0)).toEqual([expect.stringMatching(new RegExp(`^${MAC.br0} > ${MAC.c1} ICMP echo reply ${IP.br0} → ${IP.c1} `))]);
    expect(replies(1)).toEqual([]);
    expect(replies(2)).toHaveLength(1);
    for (const i of [0, 1, 2]) expect(kernelFrames(result, i, 'server:br0', 'in').map(summary)[0], `action ${i}`).toMatch(/ICMP echo request/);
  });
});
