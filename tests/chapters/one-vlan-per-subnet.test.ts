// Every claim of chapter "Why one VLAN per subnet" (content/chapters/one-vlan-per-subnet.mdx),
// asserted against the chapter's own scenarios. If the prose changes, this file changes with it.

import { describe, expect, it } from 'vitest';
import { arpOf, hostsReached, ipv4Of, pingFacts, runExperiment, type Experiment } from '../../src/scenarios/experiments';
import { scenario } from '../../src/scenarios/index';
import { livingRoomScenario, measureLivingRoom } from '../../src/scenarios/living-room';
import { validateScenario } from '../../src/sim/scenario/validate';
import type { DeviceSpec, Scenario } from '../../src/sim/scenario/format';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { arpCache, macTable, routingTable } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { ARP_REPLY, ARP_REQUEST } from '../../src/sim/wire/arp';
import { decodeEthernetFrame } from '../../src/sim/wire/ethernet';

const MAC = {
  A: '02:00:00:00:00:0a',
  B: '02:00:00:00:00:0b',
  L: '02:00:00:00:00:1a',
  c1: '02:00:00:00:00:c1',
  c2: '02:00:00:00:00:c2',
  R: '02:00:00:00:01:00',
  /** L3's br0 (the layer-3 switch's own MAC: the router's, so the two players compare) and its four ports. */
  br0: '02:00:00:00:01:00',
  eth1: '02:00:00:00:01:01',
  eth2: '02:00:00:00:01:02',
  eth3: '02:00:00:00:01:03',
  eth4: '02:00:00:00:01:04',
};

/** Events of action `index` (0-based, in script order). */
function eventsOf(experiment: Experiment, index: number): TraceEvent[] {
  const id = experiment.report.actions[index]!.id;
  return experiment.sim.trace.filter((e) => e.actionId === id);
}

function transmits(experiment: Experiment, index: number, device: string, port?: string): TraceEvent[] {
  return eventsOf(experiment, index).filter((e) => e.kind === 'transmit' && e.device === device && (port === undefined || e.port === port));
}

/** The frames received by `device` during action `index`, as the report summarises them. */
function framesReceived(experiment: Experiment, index: number, device: string): string[] {
  return (experiment.report.actions[index]!.receivedBy[device] ?? []).map((r) => r.frame);
}

function bytesAt(frame: Uint8Array, offset: number, length: number): number[] {
  return [...frame.subarray(offset, offset + length)];
}

describe('chapter "Why one VLAN per subnet"', () => {
  describe('one shared living room', () => {
    const room = runExperiment('one-vlan-per-subnet/one-domain');

    it("floods A's ARP request for 10.1.20.11 to all five other hosts", () => {
      const flood = eventsOf(room, 0).find((e) => e.kind === 'flood' && e.device === 'sw1')!;
      expect(flood.ports).toEqual(['p2', 'p3', 'p4', 'p5', 'p6']);
      expect(arpOf(flood.frame)).toMatchObject({ operation: ARP_REQUEST, targetIp: '10.1.20.11' });
      expect(hostsReached(room, 0)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    });

    it('B answers; C, D, E and F read the request, see it asks for someone else, and throw it away', () => {
      for (const host of ['C', 'D', 'E', 'F']) {
        expect(room.report.actions[0]!.receivedBy[host]!.map((r) => [r.frame, r.did, r.reason])).toEqual([['ARP who-has 10.1.20.11? tell 10.1.10.11', 'drop', 'arp-request-not-for-me']]);
      }
      expect(room.report.actions[0]!.receivedBy['B']![0]).toMatchObject({ did: 'deliver', reason: 'arp-request-for-me' });
    });

    it('the rest of the ping (ARP reply, echo request, echo reply) goes to one host each, and the ping works', () => {
      const received = Object.entries(room.report.actions[0]!.receivedBy).filter(([device]) => device !== 'sw1');
      const unicast = received
        .flatMap(([device, list]) => list.filter((r) => !r.frame.startsWith('ARP who-has')).map((r) => ({ time: r.time, seen: [device, r.frame.split(' ').slice(0, 3).join(' ')] })))
        .sort((x, y) => x.time - y.time)
        .map((r) => r.seen);
      expect(unicast).toEqual([
        ['A', 'ARP 10.1.20.11 is-at'],
        ['B', 'ICMP echo request'],
        ['A', 'ICMP echo reply'],
      ]);
      expect(room.report.actions[0]!.outcome).toBe('ok');
    });
  });

  describe('the living-room control and its table count frames on the simulator', () => {
    it('builds one switch with a port per host, dealt out to VLANs in turn, and one ARP request per VLAN', () => {
      const scenario = livingRoomScenario(7, 3);
      expect(scenario.devices.filter((d) => d.kind === 'host')).toHaveLength(7);
      const sw = scenario.devices.find((d) => d.kind === 'switch');
      expect(sw?.kind === 'switch' && sw.ports.map((p) => p.vlan)).toEqual([1, 2, 3, 1, 2, 3, 1]);
      expect(scenario.traffic.map((a) => [a.from, a.do])).toEqual([['h1', 'arp'], ['h2', 'arp'], ['h3', 'arp']]);
    });

    it.each([
      [6, 1, 6, 6, 5],
      [250, 1, 250, 250, 249],
      [250, 10, 25, 25, 24],
      [1000, 1, 1000, 1000, 999],
    ])('%i hosts in %i VLAN(s): %i hosts per VLAN, one request puts %i frames on the cables and reaches %i hosts', (hosts, vlans, perVlan, frames, reached) => {
      const run = measureLivingRoom(hosts, vlans);
      expect(run.vlans).toHaveLength(vlans);
      for (const vlan of run.vlans) {
        expect([vlan.hosts, vlan.frames, vlan.hostsReached, vlan.reachedOutsideVlan]).toEqual([perVlan, frames, reached, 0]);
      }
    });

    it('the cost grows with the square of the room: 4 times the hosts, about 16 times the broadcasts read', () => {
      const small = measureLivingRoom(250, 1).vlans[0]!;
      const big = measureLivingRoom(1000, 1).vlans[0]!;
      const ratio = (big.hosts * big.hostsReached) / (small.hosts * small.hostsReached);
      expect(ratio).toBeGreaterThan(16);
      expect(ratio).toBeLessThan(16.1);
    });

    it('a /24 room holds 254 hosts, so one broadcast bothers at most 253 others', () => {
      expect(measureLivingRoom(254, 1).vlans[0]!.hostsReached).toBe(253);
    });

    it('does work linear in the number of hosts (one step per copy, plus the reply), so typing stays responsive', () => {
      // Steps, not milliseconds: a timing bound would be flaky on a busy machine. ~50 ms for 1000 hosts on a laptop.
      expect(measureLivingRoom(300, 1).steps).toBe(303);
      expect(measureLivingRoom(1000, 1).steps).toBe(1003);
      expect(measureLivingRoom(1000, 10).steps).toBeLessThan(1100);
    });
  });

  describe('walls: VLANs 10 and 20, one subnet each', () => {
    const split = runExperiment('one-vlan-per-subnet/partitioned');

    it("A pings C: the request reaches C and E and no one else; sw1 floods it in VLAN 10 to p3 and p5 only", () => {
      expect(hostsReached(split, 0)).toEqual(['A', 'C', 'E']);
      const flood = eventsOf(split, 0).find((e) => e.kind === 'flood' && e.device === 'sw1')!;
      expect(flood.ports).toEqual(['p3', 'p5']);
      expect(flood.text).toContain('in VLAN 10');
      expect(eventsOf(split, 0).find((e) => e.kind === 'classify' && e.device === 'sw1')!.reason).toBe('vlan-pvid');
      expect(split.report.actions[0]!.outcome).toBe('ok');
    });

    it('B pings D: the same in VLAN 20; A, C and E never see it', () => {
      expect(hostsReached(split, 1)).toEqual(['B', 'D', 'F']);
      expect(split.report.actions[1]!.outcome).toBe('ok');
    });

    it('A pings B: 10.1.20.11 is outside A\'s only subnet and A has no gateway, so nothing goes on the wire: "Network is unreachable"', () => {
      const ping = split.report.actions[2]!;
      expect(ping.outcome).toBe('failed');
      expect(ping.result).toMatch(/^Network is unreachable/);
      expect(eventsOf(split, 2).filter((e) => e.kind === 'transmit')).toEqual([]);
    });
  });

  describe('the 802.1Q tag', () => {
    it('has a 12-bit VLAN ID of which 0 and 4095 are reserved: 1 to 4094 are the usable VLANs', () => {
      const trap = scenario('one-vlan-per-subnet/trap');
      const withVlan = (vlan: number) => validateScenario({ ...trap, devices: trap.devices.map((d) => (d.kind === 'switch' ? { ...d, ports: d.ports.map((p, i) => (i === 0 ? { ...p, vlan } : p)) } : d)) });
      expect(withVlan(1).ok).toBe(true);
      expect(withVlan(4094).ok).toBe(true);
      expect(withVlan(0).ok).toBe(false);
      expect(withVlan(4095).ok).toBe(false);
    });
  });

  describe('membership by port: a laptop moved to a port of another VLAN', () => {
    const moved = runExperiment('one-vlan-per-subnet/moved-laptop');

    it("puts L's frames into p3's VLAN, 20, where its VLAN 10 address does not fit: the request reaches B, never A", () => {
      const classify = eventsOf(moved, 0).find((e) => e.kind === 'classify' && e.device === 'sw1' && e.port === 'p3')!;
      expect(classify.reason).not.toBe('mac-vlan');
      expect(macTable(moved.sim.state, 'sw1')).toContainEqual(expect.objectContaining({ mac: MAC.L, port: 'p3', vid: 20 }));
      expect(hostsReached(moved, 0)).toEqual(['B']);
      expect(moved.report.actions[0]!.receivedBy['B']!.map((r) => r.reason)).toEqual(Array(3).fill('arp-request-not-for-me'));
      expect(moved.report.actions[0]!.receivedBy['A']).toBeUndefined();
    });

    it('L asks three times and gives up with "Destination Host Unreachable"', () => {
      expect(moved.report.actions[0]!.outcome).toBe('failed');
      expect(moved.report.actions[0]!.result).toBe('Destination Host Unreachable: nobody answered 3 ARP requests for 10.1.10.11.');
    });

    it('is the MAC-based player with the MAC rule taken away: same hosts, ports and cables', () => {
      const { macVlans, ...withoutRule } = scenario('one-vlan-per-subnet/mac-based-vlan').devices.find((d) => d.id === 'sw1') as Extract<DeviceSpec, { kind: 'switch' }>;
      expect(macVlans).toHaveLength(1);
      expect(moved.sim.scenario.devices.find((d) => d.id === 'sw1')).toEqual(withoutRule);
      expect(moved.sim.scenario.links).toEqual(scenario('one-vlan-per-subnet/mac-based-vlan').links);
    });
  });

  describe('membership by MAC address', () => {
    const laptop = runExperiment('one-vlan-per-subnet/mac-based-vlan');

    it("puts L's frames into VLAN 10 although L is plugged into p3, a port of VLAN 20", () => {
      const port = laptop.sim.scenario.devices.find((d) => d.id === 'sw1');
      expect(port?.kind === 'switch' && port.ports.find((p) => p.port === 'p3')?.vlan).toBe(20);
      const classify = eventsOf(laptop, 0).find((e) => e.kind === 'classify' && e.device === 'sw1' && e.port === 'p3')!;
      expect(classify.reason).toBe('mac-vlan');
      expect(macTable(laptop.sim.state, 'sw1')).toContainEqual(expect.objectContaining({ mac: MAC.L, port: 'p3', vid: 10 }));
    });

    it("L's ARP request reaches A and not B, and the ping works", () => {
      expect(hostsReached(laptop, 0)).toEqual(['A', 'L']);
      expect(laptop.report.actions[0]!.receivedBy['B']).toBeUndefined();
      expect(laptop.report.actions[0]!.outcome).toBe('ok');
    });
  });

  describe('a port that learns one MAC address', () => {
    const locked = runExperiment('one-vlan-per-subnet/port-security');

    it('c1 speaks first: p1 learns its MAC address and its ping to A works', () => {
      expect(locked.report.actions[0]!.outcome).toBe('ok');
      expect(macTable(locked.sim.state, 'sw1')!.filter((r) => r.port === 'p1').map((r) => r.mac)).toEqual([MAC.c1]);
    });

    it("the switch drops c2's ARP requests on arrival, three times, and c2 gives up with \"Destination Host Unreachable\"", () => {
      const drops = locked.report.actions[1]!.receivedBy['sw1']!;
      expect(drops.map((r) => [r.port, r.did, r.reason])).toEqual(Array(3).fill(['p1', 'drop', 'port-security']));
      expect(drops[0]!.why).toContain(`port p1 allows 1 MAC address and has already learned ${MAC.c1}`);
      expect(locked.report.actions[1]!.receivedBy['A']).toBeUndefined();
      expect(locked.report.actions[1]!.outcome).toBe('failed');
      expect(locked.report.actions[1]!.result).toMatch(/^Destination Host Unreachable/);
    });
  });

  describe('how a host decides where to send', () => {
    it('inside its subnet: on-link, ARP for the destination itself', () => {
      const start = eventsOf(runExperiment('one-vlan-per-subnet/partitioned'), 0).find((e) => e.kind === 'action')!;
      expect(start.text).toContain('10.1.10.12 is inside 10.1.10.0/24, the subnet of eth0, so it is on-link');
      expect(pingFacts(runExperiment('one-vlan-per-subnet/partitioned'), 0)).toMatchObject({ arpTarget: '10.1.10.12', askedForDestination: true });
    });

    it('outside: to the gateway, ARP for the gateway', () => {
      const start = eventsOf(runExperiment('one-vlan-per-subnet/router-on-a-stick'), 0).find((e) => e.kind === 'action')!;
      expect(start.text).toContain('10.1.20.11 is outside every subnet of the host, so it goes to the default gateway 10.1.10.1');
    });
  });

  describe('the trap: two VLANs, one subnet', () => {
    const trap = runExperiment('one-vlan-per-subnet/trap');
    const facts = pingFacts(trap, 0);

    it('A finds 10.1.20.11 inside its /16 and ARPs for B itself, never for its gateway 10.1.0.1', () => {
      const start = eventsOf(trap, 0).find((e) => e.kind === 'action')!;
      expect(start.text).toContain('10.1.20.11 is inside 10.1.0.0/16, the subnet of eth0, so it is on-link');
      expect(facts).toMatchObject({ arpTarget: '10.1.20.11', arpTargetOwner: 'B', askedForDestination: true });
      const asked = transmits(trap, 0, 'A').map((e) => arpOf(e.frame)?.targetIp);
      expect(asked).toEqual(['10.1.20.11', '10.1.20.11', '10.1.20.11']);
    });

    it('the request arrives on p1 (VLAN 10) and is flooded to p3 only: C reads it and throws it away', () => {
      const floods = eventsOf(trap, 0).filter((e) => e.kind === 'flood' && e.device === 'sw1');
      expect(floods.map((e) => e.ports)).toEqual([['p3'], ['p3'], ['p3']]);
      expect(floods[0]!.text).toContain('in VLAN 10');
      expect(trap.report.actions[0]!.receivedBy['C']!.map((r) => r.reason)).toEqual(Array(3).fill('arp-request-not-for-me'));
    });

    it('B and D never receive it: A asks three times, one second apart, then "Destination Host Unreachable"', () => {
      const ping = trap.report.actions[0]!;
      expect(ping.receivedBy['B']).toBeUndefined();
      expect(ping.receivedBy['D']).toBeUndefined();
      expect(transmits(trap, 0, 'A').map((e) => e.time)).toEqual([0, 1000, 2000]);
      expect(ping.outcome).toBe('failed');
      expect(ping.result).toBe('Destination Host Unreachable: nobody answered 3 ARP requests for 10.1.20.11.');
      expect(trap.sim.trace.find((e) => e.kind === 'result')!.reason).toBe('ping-unreachable');
    });

    it("leaves A's ARP cache without B, and B without a single frame", () => {
      expect(arpCache(trap.sim.state, 'A')).toEqual([]);
      expect(trap.sim.trace.some((e) => e.device === 'B')).toBe(false);
      expect(facts.arpReachedTarget).toBe(false);
      expect(facts.arpReceivedBy).toEqual(['C']);
    });
  });

  describe('the fix: one subnet per VLAN and a router on a stick', () => {
    const fix = runExperiment('one-vlan-per-subnet/router-on-a-stick');
    const events = eventsOf(fix, 0);

    it("A's 10.1.20.11 is outside 10.1.10.0/24, so A asks for its gateway's address, 10.1.10.1", () => {
      expect(pingFacts(fix, 0)).toMatchObject({ arpTarget: '10.1.10.1', arpTargetOwner: 'R', askedForDestination: false, arpReachedTarget: true });
    });

    it('the switch floods that request in VLAN 10 to C and, tagged 10, out of the trunk p5 to R, which answers', () => {
      const flood = events.find((e) => e.kind === 'flood' && e.device === 'sw1')!;
      expect(flood.ports).toEqual(['p3', 'p5']);
      expect(pingFacts(fix, 0).arpReceivedBy).toEqual(['C']);
      const toR = transmits(fix, 0, 'sw1', 'p5')[0]!;
      expect(decodeEthernetFrame(toR.frame!).vlan?.vid).toBe(10);
      const answer = transmits(fix, 0, 'R')[0]!;
      expect(arpOf(answer.frame)).toMatchObject({ operation: ARP_REPLY, senderIp: '10.1.10.1', senderMac: MAC.R, targetIp: '10.1.10.11' });
      expect(decodeEthernetFrame(answer.frame!).vlan?.vid).toBe(10);
    });

    it("A sends the echo request to the router's MAC address, still addressed to 10.1.20.11, with TTL 64", () => {
      const echo = transmits(fix, 0, 'A').find((e) => ipv4Of(e.frame))!;
      const frame = decodeEthernetFrame(echo.frame!);
      expect([frame.destination, frame.source]).toEqual([MAC.R, MAC.A]);
      expect(ipv4Of(echo.frame)).toMatchObject({ source: '10.1.10.11', destination: '10.1.20.11', ttl: 64 });
    });

    it('R routes it from eth0.10 to eth0.20 (its connected 10.1.20.0/24), and asks for B with an ARP request tagged 20', () => {
      const routed = events.find((e) => e.kind === 'forward' && e.device === 'R')!;
      expect(routed.reason).toBe('ip-forward');
      expect(routed.text).toContain('in on eth0.10 (VLAN 10) and out on eth0.20 (VLAN 20)');
      expect(routed.text).toContain('TTL 64 → 63, header checksum updated');
      const ask = transmits(fix, 0, 'R').find((e) => arpOf(e.frame)?.operation === ARP_REQUEST)!;
      expect(arpOf(ask.frame)).toMatchObject({ senderIp: '10.1.20.1', targetIp: '10.1.20.11' });
      expect(decodeEthernetFrame(ask.frame!).vlan?.vid).toBe(20);
      expect(framesReceived(fix, 0, 'D')).toEqual(['ARP who-has 10.1.20.11? tell 10.1.20.1']);
    });

    it('B receives the echo request with TTL 63, both MAC addresses rewritten, the IP addresses unchanged and a valid new checksum', () => {
      const sent = ipv4Of(transmits(fix, 0, 'A').find((e) => ipv4Of(e.frame))!.frame)!;
      const atB = events.find((e) => e.kind === 'deliver' && e.device === 'B' && e.reason === 'echo-request')!;
      const frame = decodeEthernetFrame(atB.frame!);
      expect([frame.source, frame.destination]).toEqual([MAC.R, MAC.B]);
      const packet = ipv4Of(atB.frame)!;
      expect([packet.source, packet.destination, packet.ttl, packet.checksumValid]).toEqual(['10.1.10.11', '10.1.20.11', 63, true]);
      expect(packet.headerChecksum).not.toBe(sent.headerChecksum);
      expect(pingFacts(fix, 0).ttlAtDestination).toBe(63);
    });

    it('B\'s reply comes back the same way, and A reads "Reply from 10.1.20.11: TTL 63"', () => {
      expect(fix.report.actions[0]!.outcome).toBe('ok');
      expect(fix.report.actions[0]!.result).toMatch(/^Reply from 10\.1\.20\.11: TTL 63, time \d+ ms\.$/);
      expect(events.filter((e) => e.kind === 'forward' && e.device === 'R')).toHaveLength(2);
    });

    it('on the trunk, bytes 12–13 are 81 00, the next two carry the VLAN ID, and the frame is 4 bytes longer; on access cables there is no tag', () => {
      const onTrunk = events.filter((e) => e.kind === 'transmit' && (e.device === 'R' || (e.device === 'sw1' && e.port === 'p5')));
      const onAccess = events.filter((e) => e.kind === 'transmit' && !onTrunk.includes(e));
      // Four frames each way: ARP request, ARP reply, echo request and echo reply, once in each VLAN.
      expect(onTrunk).toHaveLength(8);
      expect(onAccess.length).toBeGreaterThan(6);
      for (const e of onTrunk) {
        expect(bytesAt(e.frame!, 12, 2)).toEqual([0x81, 0x00]);
        const tci = (e.frame![14]! << 8) | e.frame![15]!;
        expect([10, 20]).toContain(tci); // PCP 0, DEI 0, the VLAN ID
      }
      for (const e of onAccess) expect([[0x08, 0x06], [0x08, 0x00]]).toContainEqual(bytesAt(e.frame!, 12, 2));
      // The same echo request on an access cable and on the trunk: 98 and 102 bytes; an ARP request 60 and 64.
      const echoIn = onAccess.find((e) => e.device === 'A' && ipv4Of(e.frame))!;
      const echoTrunk = onTrunk.find((e) => e.device === 'sw1' && ipv4Of(e.frame))!;
      expect([echoIn.frame!.length, echoTrunk.frame!.length]).toEqual([98, 102]);
      const arpIn = onAccess.find((e) => e.device === 'A' && arpOf(e.frame))!;
      const arpTrunk = onTrunk.find((e) => e.device === 'sw1' && arpOf(e.frame))!;
      expect([arpIn.frame!.length, arpTrunk.frame!.length]).toEqual([60, 64]);
    });

    it("both sub-interfaces send with the router card's one MAC address", () => {
      const sources = new Set(transmits(fix, 0, 'R').map((e) => decodeEthernetFrame(e.frame!).source));
      const vlans = new Set(transmits(fix, 0, 'R').map((e) => decodeEthernetFrame(e.frame!).vlan?.vid));
      expect([...sources]).toEqual([MAC.R]);
      expect(vlans).toEqual(new Set([10, 20]));
    });
  });

  describe('the layer-3 switch, as Linux builds it', () => {
    const l3 = runExperiment('one-vlan-per-subnet/layer3-switch');
    const stick = runExperiment('one-vlan-per-subnet/router-on-a-stick');
    const events = eventsOf(l3, 0);
    const spec = l3.sim.scenario.devices.find((d) => d.id === 'L3')!;

    it('is the router on a stick\'s four hosts, addresses, gateways and ping, plugged into one router box L3 instead of sw1 and R', () => {
      const hosts = (s: typeof l3) => s.sim.scenario.devices.filter((d) => d.kind === 'host');
      expect(hosts(l3)).toEqual(hosts(stick));
      expect(l3.sim.scenario.traffic).toEqual(stick.sim.scenario.traffic);
      expect(l3.sim.scenario.devices.map((d) => [d.id, d.kind])).toEqual([['A', 'host'], ['B', 'host'], ['C', 'host'], ['D', 'host'], ['L3', 'router']]);
      expect(l3.sim.scenario.links.map((l) => `${l.a}-${l.b}`)).toEqual(['A:eth0-L3:eth1', 'B:eth0-L3:eth2', 'C:eth0-L3:eth3', 'D:eth0-L3:eth4']);
    });

    it('L3: its four NICs are ports of br0, which filters VLANs (eth1, eth3 in 10, eth2, eth4 in 20, untagged; br0 itself in both), with br0.10 and br0.20 as the gateways', () => {
      if (spec.kind !== 'router') throw new Error('L3 is a router');
      const br0 = spec.bridges![0]!;
      expect([br0.name, br0.ports, br0.vlanFiltering]).toEqual(['br0', ['eth1', 'eth2', 'eth3', 'eth4'], true]);
      expect(br0.bridgeVlans).toEqual([
        { dev: 'eth1', vid: 10, pvid: true, untagged: true },
        { dev: 'eth2', vid: 20, pvid: true, untagged: true },
        { dev: 'eth3', vid: 10, pvid: true, untagged: true },
        { dev: 'eth4', vid: 20, pvid: true, untagged: true },
        { dev: 'br0', vid: 10 },
        { dev: 'br0', vid: 20 },
      ]);
      expect(br0.vlans).toEqual([{ vlan: 10, ip: '10.1.10.1/24' }, { vlan: 20, ip: '10.1.20.1/24' }]);
      expect(spec.nics.every((nic) => nic.ip === undefined && nic.vlans === undefined)).toBe(true);
    });

    it("A asks for its gateway 10.1.10.1; br0 puts the request into VLAN 10 (eth1's PVID) and floods it to eth3 (C) only, eth2 and eth4 get nothing", () => {
      expect(pingFacts(l3, 0)).toMatchObject({ arpTarget: '10.1.10.1', arpTargetOwner: 'L3', askedForDestination: false, arpReachedTarget: true, arpReceivedBy: ['C'] });
      const classify = events.find((e) => e.kind === 'classify' && e.device === 'L3')!;
      expect([classify.reason, classify.port, classify.text]).toEqual(['vlan-pvid', 'eth1', "L3's br0 puts the untagged frame into VLAN 10, the PVID of port eth1 (br_allowed_ingress)."]);
      const flood = events.find((e) => e.kind === 'flood' && e.device === 'L3')!;
      expect(flood.ports).toEqual(['eth3']);
      expect(flood.text).toContain('2 other ports are not in VLAN 10 and get nothing');
      expect(framesReceived(l3, 0, 'D')).toEqual(['ARP who-has 10.1.20.11? tell 10.1.20.1']);
    });

    it('a broadcast, it also goes up to br0 itself (a member of VLAN 10), still tagged 10, so it is br0.10\'s, which owns 10.1.10.1 and answers', () => {
      const up = events.find((e) => e.kind === 'deliver' && e.device === 'L3' && e.port === 'br0')!;
      expect(up.reason).toBe('broadcast');
      expect(decodeEthernetFrame(up.frame!).vlan?.vid).toBe(10);
      expect(up.text).toContain('still tagged with VLAN 10, so it is br0.10\'s');
      const answered = events.find((e) => e.device === 'L3' && e.reason === 'arp-request-for-me')!;
      expect(answered.text).toContain('out of br0.10 (VLAN 10)');
    });

    it('the answer leaves br0.10 tagged 10, enters the bridge in VLAN 10 (br_dev_xmit) and leaves eth1 untagged, from br0\'s MAC', () => {
      const sent = events.find((e) => e.kind === 'classify' && e.device === 'L3' && e.port === 'br0')!;
      expect([sent.reason, decodeEthernetFrame(sent.frame!).vlan?.vid]).toEqual(['vlan-tagged', 10]);
      expect(arpOf(sent.frame)).toMatchObject({ operation: ARP_REPLY, senderIp: '10.1.10.1', senderMac: MAC.br0 });
      // It has just learned A behind eth1 in VLAN 10 (from the request), so it forwards, not floods.
      const learned = events.find((e) => e.kind === 'learn' && e.device === 'L3')!;
      expect([learned.reason, learned.port, learned.text]).toEqual(['fdb-learn', 'eth1', "L3's br0 learns that 02:00:00:00:00:0a lives behind port eth1 in VLAN 10."]);
      const forward = events.find((e) => e.kind === 'forward' && e.device === 'L3')!;
      expect([forward.reason, forward.ports]).toEqual(['fdb-hit', ['eth1']]);
      expect(arpOf(forward.frame)?.operation).toBe(ARP_REPLY);
      const out = transmits(l3, 0, 'L3', 'eth1')[0]!;
      expect(arpOf(out.frame)).toMatchObject({ operation: ARP_REPLY, senderIp: '10.1.10.1', senderMac: MAC.br0, targetIp: '10.1.10.11' });
      expect(decodeEthernetFrame(out.frame!).vlan).toBeUndefined();
    });

    it("A's echo request to br0's MAC: br0 finds its own address in VLAN 10 and hands it up tagged 10; L3 routes it from br0.10 to br0.20, TTL 64 → 63", () => {
      const up = events.filter((e) => e.kind === 'deliver' && e.device === 'L3' && e.port === 'br0' && ipv4Of(e.frame));
      expect(up[0]!.reason).toBe('fdb-hit');
      expect(up[0]!.text).toContain('in its MAC table in VLAN 10 as its own address');
      expect(decodeEthernetFrame(up[0]!.frame!).vlan?.vid).toBe(10);
      const routed = events.find((e) => e.kind === 'forward' && e.device === 'L3' && e.reason === 'ip-forward')!;
      expect(routed.text).toContain('in on br0.10 (VLAN 10) and out on br0.20 (VLAN 20)');
      expect(routed.text).toContain('TTL 64 → 63, header checksum updated');
    });

    it('L3 asks for B on br0.20: the bridge floods the request in VLAN 20 to eth2 and eth4, untagged', () => {
      const flood = events.filter((e) => e.kind === 'flood' && e.device === 'L3')[1]!;
      expect(arpOf(flood.frame)).toMatchObject({ operation: ARP_REQUEST, senderIp: '10.1.20.1', targetIp: '10.1.20.11' });
      expect(decodeEthernetFrame(flood.frame!).vlan?.vid).toBe(20);
      expect(flood.ports).toEqual(['eth2', 'eth4']);
      for (const port of ['eth2', 'eth4']) expect(decodeEthernetFrame(transmits(l3, 0, 'L3', port)[0]!.frame!).vlan).toBeUndefined();
    });

    it('B receives the echo request with TTL 63 from br0\'s MAC; the reply comes back the same way and A reads "Reply from 10.1.20.11: TTL 63"', () => {
      const atB = events.find((e) => e.kind === 'deliver' && e.device === 'B' && e.reason === 'echo-request')!;
      const frame = decodeEthernetFrame(atB.frame!);
      expect([frame.source, frame.destination]).toEqual([MAC.br0, MAC.B]);
      expect(ipv4Of(atB.frame)).toMatchObject({ source: '10.1.10.11', destination: '10.1.20.11', ttl: 63, checksumValid: true });
      expect(l3.report.actions[0]!.outcome).toBe('ok');
      expect(l3.report.actions[0]!.result).toMatch(/^Reply from 10\.1\.20\.11: TTL 63, time \d+ ms\.$/);
      expect(events.filter((e) => e.reason === 'ip-forward' && e.device === 'L3')).toHaveLength(2);
    });

    it('no cable carries a tag: every frame sent on a cable has its EtherType at bytes 12–13; the tag exists only inside L3, between br0 and br0.10/br0.20', () => {
      const onCables = events.filter((e) => e.kind === 'transmit');
      // A's ARP request and echo request, B's ARP reply and echo reply, and L3's six: A's request on to C, its
      // answer to A, its own request to B and D, and the two echoes it forwards.
      expect(onCables).toHaveLength(10);
      for (const e of onCables) expect([[0x08, 0x06], [0x08, 0x00]]).toContainEqual(bytesAt(e.frame!, 12, 2));
      // Inside: what br0 hands up to its VLAN interfaces, and what they send into it (br_dev_xmit).
      const inside = events.filter((e) => e.device === 'L3' && e.port === 'br0' && ((e.kind === 'deliver' && (e.reason === 'broadcast' || e.reason === 'fdb-hit')) || e.kind === 'classify'));
      expect(inside).toHaveLength(8);
      for (const e of inside) expect(bytesAt(e.frame!, 12, 2)).toEqual([0x81, 0x00]);
    });

    it('for the hosts nothing changed: every frame A and B receive is, byte for byte, the one the router on a stick sent them; only the path is shorter: one cable between a host and its gateway instead of two, 8 ms instead of 16', () => {
      const received = (x: typeof l3, host: string) => eventsOf(x, 0).filter((e) => e.kind === 'receive' && e.device === host).map((e) => [...e.frame!]);
      for (const host of ['A', 'B']) expect(received(l3, host)).toEqual(received(stick, host));
      expect(received(l3, 'A')).toHaveLength(2);
      expect(received(l3, 'B')).toHaveLength(2);
      expect([stick.report.actions[0]!.result, l3.report.actions[0]!.result].map((r) => /time (\d+) ms/.exec(r!)![1])).toEqual(['16', '8']);
    });

    it("L3's MAC table: A in VLAN 10 behind eth1, B in VLAN 20 behind eth2, and br0's own MAC a permanent local entry in VLANs 10 and 20", () => {
      const rows = macTable(l3.sim.state, 'L3', 'br0')!;
      expect(rows.filter((r) => !r.permanent).map((r) => [r.vid, r.mac, r.port])).toEqual([
        [10, MAC.A, 'eth1'],
        [20, MAC.B, 'eth2'],
      ]);
      expect(rows.filter((r) => r.permanent && r.port === 'br0').map((r) => [r.vid, r.mac])).toEqual([[0, MAC.br0], [10, MAC.br0], [20, MAC.br0]]);
      expect(rows.filter((r) => r.permanent && r.port === 'eth1').map((r) => [r.vid, r.mac])).toEqual([[0, MAC.eth1], [10, MAC.eth1]]);
    });

    it('without the two self lines the bridge is in neither VLAN: it hands br0.10 nothing (A\'s ping fails) and drops what br0.10 sends', () => {
      const base = structuredClone(l3.sim.scenario) as Scenario;
      const router = base.devices.find((d) => d.id === 'L3')!;
      if (router.kind !== 'router') throw new Error('L3 is a router');
      const br0 = router.bridges![0]!;
      br0.bridgeVlans = br0.bridgeVlans!.filter((entry) => entry.dev !== 'br0');
      const checked = validateScenario({ ...base, id: 'one-vlan-per-subnet/no-self', traffic: [base.traffic[0]!, { at: 5000, from: 'L3', do: 'ping', to: '10.1.10.11' }] });
      if (!checked.ok) throw new Error('still valid');
      expect(checked.warnings.map((w) => w.path)).toEqual(['devices[4].bridges[0].vlans[0].vlan', 'devices[4].bridges[0].vlans[1].vlan']);
      const sim = new Simulation(checked.scenario);
      sim.run();
      const report = buildReport(sim);
      expect(report.actions.map((a) => a.outcome)).toEqual(['failed', 'failed']);
      const [first, second] = report.actions.map((a) => sim.trace.filter((e) => e.actionId === a.id && e.device === 'L3' && e.kind === 'drop'));
      expect(first!.map((e) => [e.reason, e.port])).toEqual([['vlan-not-allowed', 'eth1'], ['vlan-not-allowed', 'eth1'], ['vlan-not-allowed', 'eth1']]);
      expect(first![0]!.text).toContain('br0 itself is in no VLAN, not VLAN 10 (br_handle_vlan)');
      expect(second!.every((e) => e.reason === 'vlan-not-allowed' && e.port === 'br0')).toBe(true);
      expect(second![0]!.text).toContain('it is tagged for VLAN 10, and br0 itself is in no VLAN');
      expect(sim.trace.some((e) => e.device === 'L3' && e.kind === 'transmit')).toBe(true); // A's requests still reach C
      expect(sim.trace.filter((e) => e.device === 'A' && e.kind === 'receive')).toEqual([]);
    });

    it("L3's routing table: the two subnets on br0.10 and br0.20; its ARP cache, one neighbour on each", () => {
      expect(routingTable(l3.sim.state, 'L3')).toEqual([
        { destination: '10.1.10.0/24', dev: 'br0.10', origin: 'connected' },
        { destination: '10.1.20.0/24', dev: 'br0.20', origin: 'connected' },
      ]);
      expect(arpCache(l3.sim.state, 'L3')!.map((r) => [r.port, r.ip, r.mac])).toEqual([
        ['br0.10', '10.1.10.11', MAC.A],
        ['br0.20', '10.1.20.11', MAC.B],
      ]);
    });
  });

  describe('side by side', () => {
    it('two VLANs with one subnet: ARP for B itself, never reaches it, no ping, no gateway; one subnet per VLAN: ARP for the gateway, routed by R, TTL 63', () => {
      const trap = pingFacts(runExperiment('one-vlan-per-subnet/trap'), 0);
      const fix = pingFacts(runExperiment('one-vlan-per-subnet/router-on-a-stick'), 0);
      const row = (f: typeof trap) => [f.arpTarget, f.askedForDestination, f.arpReachedTarget, f.outcome, f.routedBy, f.ttlAtDestination];
      expect(row(trap)).toEqual(['10.1.20.11', true, false, 'failed', [], null]);
      expect(row(fix)).toEqual(['10.1.10.1', false, true, 'ok', ['R'], 63]);
    });
  });

  describe('what the switch knows, and what the router knows', () => {
    const fix = runExperiment('one-vlan-per-subnet/router-on-a-stick');

    it("the switch's MAC table: VLANs, MACs and ports, with the router's one MAC in both VLANs behind p5, and no IP address", () => {
      const rows = macTable(fix.sim.state, 'sw1')!;
      expect(rows.map((r) => [r.vid, r.mac, r.port])).toEqual([
        [10, MAC.A, 'p1'],
        [10, MAC.R, 'p5'],
        [20, MAC.B, 'p2'],
        [20, MAC.R, 'p5'],
      ]);
      for (const row of rows) expect(Object.keys(row).sort()).toEqual(['age', 'mac', 'port', 'vid']);
    });

    it("the router's routing table: two subnets and the sub-interface that reaches each, and nothing about switch ports or host MACs", () => {
      expect(routingTable(fix.sim.state, 'R')).toEqual([
        { destination: '10.1.10.0/24', dev: 'eth0.10', origin: 'connected' },
        { destination: '10.1.20.0/24', dev: 'eth0.20', origin: 'connected' },
      ]);
      expect(macTable(fix.sim.state, 'R')).toBeNull();
    });
  });
});
