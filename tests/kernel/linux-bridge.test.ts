// Builds chapter "Hub vs bridge"'s bridge scenarios for real on this machine's Linux kernel (one network
// namespace per host, veth pairs, a Linux bridge) and checks the simulator against it: which hosts each
// action reaches, which frames each host sees, the bridge's learned MAC table, and the bytes on the wire.
//
// Skipped, with the reason printed, where namespaces cannot be made (not root, no iproute2, no python3...).
// The plumbing is in scripts/kernel/: netns.ts builds and removes the namespaces, lab.py sends and captures.
//
// How the kernel side runs. Raw frames are the simulator's own bytes (its 'transmit' event), sent on an
// AF_PACKET socket. This machine has no `ping` binary, so a ping is what iputils ping does as root: an
// ICMP echo request on a raw IPv4 socket, here carrying the simulator's ICMP message (same identifier,
// sequence and 56 data bytes); the kernel writes the IPv4 header and does the ARP exchange, and the
// target's kernel answers. Every host's interface is captured with an ETH_P_ALL socket, which also sees
// frames addressed to other MACs (pkttype PACKET_OTHERHOST): what a NIC on a shared segment would drop.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildBridgeLab,
  kernelLabUnavailable,
  labPrefix,
  removeLeftovers,
  type BridgeLab,
  type CapturedFrame,
  type FdbEntry,
  type LabAction,
  type LabResult,
} from '../../scripts/kernel/netns';
import { hostsReached, runExperiment, type Experiment } from '../../src/scenarios/experiments';
import { macTable } from '../../src/sim/tables';
import { bytes, hex, ipv4Comparable } from './compare';
import {
  decodeEthernetFrame,
  decodeIpv4Packet,
  describeFrame,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  type FrameProtocol,
} from '../../src/sim/wire';

/** Linux's pkttype for a frame whose destination MAC is neither ours, broadcast nor multicast. */
const PACKET_OTHERHOST = 3;
/** dst(6) src(6) type(2) + ARP(28): all of an ARP frame that Linux puts on a veth (see the ARP tests). */
const ARP_FRAME_BYTES = 42;

const unavailable = kernelLabUnavailable();
if (unavailable !== null) console.warn(`tests/kernel/linux-bridge.test.ts skipped: ${unavailable}`);


function hostIds(experiment: Experiment): string[] {
  return experiment.sim.scenario.devices.filter((d) => d.kind === 'host').map((d) => d.id);
}

/** The frames `device` put on its cable during action `index`, in the simulator. */
function simSent(experiment: Experiment, index: number, device: string): Uint8Array[] {
  const id = experiment.report.actions[index]!.id;
  return experiment.sim.trace.filter((e) => e.kind === 'transmit' && e.actionId === id && e.device === device).map((e) => e.frame!);
}

/** The scenario's traffic as the lab replays it, built from the bytes the simulator sent. */
function labActions(experiment: Experiment): LabAction[] {
  return experiment.sim.scenario.traffic.map((action, i): LabAction => {
    const sent = simSent(experiment, i, action.from);
    if (action.do === 'raw') return { kind: 'raw', from: action.from, frame: hex(sent[0]!) };
    if (action.do === 'ping') {
      const ip = decodeIpv4Packet(decodeEthernetFrame(firstOf(sent, 'icmp-echo-request')).payload);
      return { kind: 'ping', from: action.from, to: ip.destination, icmp: hex(ip.payload), timeout: 2 };
    }
    throw new Error(`the kernel lab does not replay "${action.do}" actions yet`);
  });
}

function firstOf(frames: readonly Uint8Array[], protocol: FrameProtocol): Uint8Array {
  const found = frames.find((f) => describeFrame(f).protocol === protocol);
  if (!found) throw new Error(`no ${protocol} frame among ${frames.length}`);
  return found;
}

function kernelFrames(result: LabResult, index: number, host: string, dir: CapturedFrame['dir']): CapturedFrame[] {
  return (result.actions[index]!.frames[host] ?? []).filter((f) => f.dir === dir);
}

/** What each host received during action `index`: the frame's summary, and whether it was addressed to another MAC. */
function kernelReceptions(result: LabResult, index: number, host: string): Array<[string, boolean]> {
  return kernelFrames(result, index, host, 'in').map((f) => [describeFrame(bytes(f.hex)).summary, f.pkttype === PACKET_OTHERHOST]);
}

function simReceptions(experiment: Experiment, index: number, host: string): Array<[string, boolean]> {
  return (experiment.report.actions[index]!.receivedBy[host] ?? []).map((r) => [r.frame, r.reason === 'not-for-me']);
}

interface Run {
  experiment: Experiment;
  lab: BridgeLab;
  result: LabResult;
  fdb: FdbEntry[];
}

/** Builds scenario `id` in namespaces, replays its traffic and reads the FDB; the lab is removed in afterAll. */
function kernelRun(id: string, tag: string): () => Run {
  let run: Run | undefined;
  let lab: BridgeLab | undefined;
  beforeAll(() => {
    removeLeftovers();
    const experiment = runExperiment(id);
    lab = buildBridgeLab(experiment.sim.scenario, `${labPrefix()}-${tag}`);
    const result = lab.run(labActions(experiment), 0.1);
    run = { experiment, lab, result, fdb: lab.fdb() };
  }, 30_000);
  afterAll(() => lab?.destroy());
  return () => {
    if (!run) throw new Error(`the kernel run of ${id} did not happen`);
    return run;
  };
}

/** What must hold on any of these scenarios: same reach, same frames per host, same learned table. */
function sameBehaviour(get: () => Run): void {
  it('is quiet before the traffic starts: no frame at all (no IPv6, no STP, no IGMP)', () => {
    const { experiment, result } = get();
    for (const host of hostIds(experiment)) expect(result.before[host], host).toEqual([]);
  });

  it('ends every action the same way (the ping is answered)', () => {
    const { experiment, result } = get();
    expect(result.actions.map((a) => a.ok)).toEqual(experiment.report.actions.map((a) => a.outcome === 'ok'));
  });

  it('delivers a frame of each action to the same hosts', () => {
    const { experiment, result } = get();
    experiment.report.actions.forEach((action, i) => {
      const reached = hostIds(experiment).filter((h) => kernelFrames(result, i, h, 'in').length > 0);
      expect(reached, action.label).toEqual(hostsReached(experiment, i));
    });
  });

  it('gives each host the same frames in the same order, and the same ones are addressed to another MAC', () => {
    const { experiment, result } = get();
    experiment.report.actions.forEach((action, i) => {
      for (const host of hostIds(experiment)) {
        expect(kernelReceptions(result, i, host), `${action.label}: ${host}`).toEqual(simReceptions(experiment, i, host));
      }
    });
  });

  it('ends with the same learned MAC table (MAC → port), for the hosts’ MACs', () => {
    const { experiment, fdb } = get();
    const hostMacs = new Set(experiment.sim.scenario.devices.flatMap((d) => (d.kind === 'host' ? d.nics.map((n) => n.mac) : [])));
    const bridge = experiment.sim.scenario.devices.find((d) => d.kind === 'bridge')!;
    const sim = macTable(experiment.sim.state, bridge.id)!.map((r) => [r.mac, r.port]);
    const kernel = fdb.filter((e) => hostMacs.has(e.mac)).map((e) => [e.mac, e.port]);
    expect(kernel.sort()).toEqual(sim.sort());
  });
}

describe.skipIf(unavailable !== null)('the real Linux bridge agrees with the simulator', () => {
  describe('hub-vs-bridge/bridge: four hosts on a learning bridge', () => {
    const get = kernelRun('hub-vs-bridge/bridge', 'br');
    sameBehaviour(get);

    it('learns A on p1, B on p2 and C on p3, and nothing for silent D', () => {
      expect(get().fdb.map((e) => [e.mac, e.port]).sort()).toEqual([
        ['02:00:00:00:00:0a', 'p1'],
        ['02:00:00:00:00:0b', 'p2'],
        ['02:00:00:00:00:0c', 'p3'],
      ]);
    });

    it('carries the raw frames unchanged: every copy is the simulator’s 60 bytes, header and padding', () => {
      const { experiment, result } = get();
      experiment.sim.scenario.traffic.forEach((action, i) => {
        if (action.do !== 'raw') return;
        const sent = simSent(experiment, i, action.from)[0]!;
        expect(sent.length).toBe(60);
        const copies = hostIds(experiment).flatMap((h) => kernelFrames(result, i, h, 'in'));
        expect(copies.length).toBeGreaterThan(0);
        for (const copy of copies) expect(bytes(copy.hex)).toEqual(sent);
      });
    });

    // Linux does not pad frames on a veth: an ARP frame is 42 bytes there (a real NIC pads to 60 on the
    // wire, and that is what the simulator models, with 18 zero bytes). So the first 42 bytes must be
    // identical, and the simulator's remainder must be zero padding.
    function expectArpMatches(kernelHex: string, sim: Uint8Array): void {
      const kernel = bytes(kernelHex);
      expect(kernel.length).toBe(ARP_FRAME_BYTES);
      expect(sim.length).toBe(60);
      expect(hex(kernel)).toBe(hex(sim.subarray(0, ARP_FRAME_BYTES)));
      expect([...sim.subarray(ARP_FRAME_BYTES)].every((b) => b === 0)).toBe(true);
    }

    it('A’s kernel sends the same ARP request, byte for byte (the 42 bytes Linux puts on a veth), and every host gets it unchanged', () => {
      const { experiment, result } = get();
      const ping = experiment.sim.scenario.traffic.findIndex((a) => a.do === 'ping');
      const sim = firstOf(simSent(experiment, ping, 'A'), 'arp-request');
      const sent = kernelFrames(result, ping, 'A', 'out').filter((f) => decodeEthernetFrame(bytes(f.hex)).etherType === ETHERTYPE_ARP);
      expect(sent).toHaveLength(1);
      expectArpMatches(sent[0]!.hex, sim);
      for (const host of ['B', 'C', 'D']) {
        const arrived = kernelFrames(result, ping, host, 'in').filter((f) => describeFrame(bytes(f.hex)).protocol === 'arp-request');
        expect(arrived.map((f) => f.hex), host).toEqual([sent[0]!.hex]);
      }
    });

    it('C’s kernel answers with the same ARP reply, byte for byte, and only A gets it', () => {
      const { experiment, result } = get();
      const ping = experiment.sim.scenario.traffic.findIndex((a) => a.do === 'ping');
      const sim = firstOf(simSent(experiment, ping, 'C'), 'arp-reply');
      const sent = kernelFrames(result, ping, 'C', 'out').filter((f) => describeFrame(bytes(f.hex)).protocol === 'arp-reply');
      expect(sent).toHaveLength(1);
      expectArpMatches(sent[0]!.hex, sim);
      for (const host of ['A', 'B', 'D']) {
        const arrived = kernelFrames(result, ping, host, 'in').filter((f) => describeFrame(bytes(f.hex)).protocol === 'arp-reply');
        expect(arrived.map((f) => f.hex), host).toEqual(host === 'A' ? [sent[0]!.hex] : []);
      }
    });

    it('A’s kernel wraps the echo request in the same Ethernet and IPv4 headers (TTL 64, DF), checksums valid', () => {
      const { experiment, result } = get();
      const ping = experiment.sim.scenario.traffic.findIndex((a) => a.do === 'ping');
      const sim = ipv4Comparable(firstOf(simSent(experiment, ping, 'A'), 'icmp-echo-request'));
      const sent = kernelFrames(result, ping, 'A', 'out').filter((f) => decodeEthernetFrame(bytes(f.hex)).etherType === ETHERTYPE_IPV4);
      expect(sent).toHaveLength(1);
      const kernel = ipv4Comparable(bytes(sent[0]!.hex));
      expect(kernel).toMatchObject({ ttl: 64, dontFragment: true, protocol: 1, icmpType: ICMP_ECHO_REQUEST, icmpCode: 0, ipChecksumValid: true, icmpChecksumValid: true });
      // The ICMP message is the simulator's by construction (see the top of the file); the rest is the kernel's.
      expect(kernel).toEqual(sim);
      expect(kernelFrames(result, ping, 'C', 'in').map((f) => f.hex)).toContain(sent[0]!.hex);
    });

    it('C’s kernel answers with the same echo reply: ICMP message byte for byte, TTL 64, no DF bit', () => {
      const { experiment, result } = get();
      const ping = experiment.sim.scenario.traffic.findIndex((a) => a.do === 'ping');
      const sim = ipv4Comparable(firstOf(simSent(experiment, ping, 'C'), 'icmp-echo-reply'));
      const sent = kernelFrames(result, ping, 'C', 'out').filter((f) => decodeEthernetFrame(bytes(f.hex)).etherType === ETHERTYPE_IPV4);
      expect(sent).toHaveLength(1);
      const kernel = ipv4Comparable(bytes(sent[0]!.hex));
      // Linux answers pings from its per-netns ICMP socket (IP_PMTUDISC_DONT, net/ipv4/icmp.c): no DF.
      expect(kernel).toMatchObject({ ttl: 64, dontFragment: false, protocol: 1, icmpType: ICMP_ECHO_REPLY, icmpCode: 0, ipChecksumValid: true, icmpChecksumValid: true });
      expect(kernel).toEqual(sim);
      expect(kernelFrames(result, ping, 'A', 'in').map((f) => f.hex)).toContain(sent[0]!.hex);
    });
  });

  describe('hub-vs-bridge/bridge-ageing-zero: ageing_time 0 makes the bridge a hub', () => {
    const get = kernelRun('hub-vs-bridge/bridge-ageing-zero', 'az');
    sameBehaviour(get);

    it('keeps nothing learned and floods even the ARP reply and the echo frames to every other host', () => {
      const { experiment, result, fdb } = get();
      expect(fdb).toEqual([]);
      const ping = experiment.sim.scenario.traffic.findIndex((a) => a.do === 'ping');
      for (const host of ['B', 'D']) {
        const protocols = kernelFrames(result, ping, host, 'in').map((f) => describeFrame(bytes(f.hex)).protocol);
        expect(protocols, host).toEqual(['arp-request', 'arp-reply', 'icmp-echo-request', 'icmp-echo-reply']);
      }
    });
  });
});
