// The neighbour table is keyed by (interface, IP), as Linux keys it (neigh_lookup(tbl, key, dev)):
// a router that learned B's MAC on eth2 but routes to B via eth1 must ARP on eth1, not reuse eth2's
// entry. Asserted on the simulator alone, on who received what and what the tables hold; the same
// topology is compared with the real kernel in tests/kernel/linux-router-neighbour.test.ts.

import { describe, expect, it } from 'vitest';
import { recorder } from './recorder';
import { createHost, hostReceive, neighbourOn } from '../../src/sim/devices/host';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import type { DeviceSpec, RouterSpec } from '../../src/sim/scenario/format';
import { arpCache } from '../../src/sim/tables';
import { ARP_REPLY, ARP_REQUEST, decodeArpPacket, encodeArpPacket } from '../../src/sim/wire/arp';
import { decodeEthernetFrame, encodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/sim/wire/ethernet';
import { decodeIcmpMessage, echoRequest, encodeIcmpMessage, ICMP_ECHO_REPLY } from '../../src/sim/wire/icmp';
import { decodeIpv4Packet, encodeIpv4Packet, IP_PROTOCOL_ICMP } from '../../src/sim/wire/ipv4';
import { scenarioOf } from './build';

const MAC = { A: '02:00:00:00:00:0a', B: '02:00:00:00:00:0b', C: '02:00:00:00:00:0c', D: '02:00:00:00:00:0d', R0: '02:00:00:00:00:f0', R1: '02:00:00:00:00:f1', R2: '02:00:00:00:00:f2' };

const ROUTER: RouterSpec = {
  id: 'R',
  kind: 'router',
  nics: [{ port: 'eth0', mac: MAC.R0, ip: '10.0.1.1/24' }, { port: 'eth1', mac: MAC.R1, ip: '10.0.2.1/24' }, { port: 'eth2', mac: MAC.R2, ip: '10.0.3.1/24' }],
};

/**
 * B is configured for R's eth1 subnet (10.0.2.20/24, gateway 10.0.2.1) but cabled to R's eth2; C
 * (10.0.2.30) is the only one on eth1; A sits on eth0. B pings R's 10.0.2.1 at 0 s, A pings B at 10 s,
 * B pings R's eth2 address 10.0.3.1 at 20 s.
 */
function otherLeg() {
  const devices: DeviceSpec[] = [
    { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: MAC.A, ip: '10.0.1.10/24' }], gateway: '10.0.1.1' },
    ROUTER,
    { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: MAC.B, ip: '10.0.2.20/24' }], gateway: '10.0.2.1' },
    { id: 'C', kind: 'host', nics: [{ port: 'eth0', mac: MAC.C, ip: '10.0.2.30/24' }] },
  ];
  const sim = new Simulation(scenarioOf(devices, [{ a: 'A:eth0', b: 'R:eth0' }, { a: 'C:eth0', b: 'R:eth1' }, { a: 'B:eth0', b: 'R:eth2' }], [
    { from: 'B', do: 'ping', to: '10.0.2.1', at: 0 },
    { from: 'A', do: 'ping', to: '10.0.2.20', at: 10_000 },
    { from: 'B', do: 'ping', to: '10.0.3.1', at: 20_000 },
  ]));
  sim.run();
  return { sim, report: buildReport(sim) };
}

function kinds(frames: readonly Uint8Array[]): string[] {
  return frames.map((frame) => {
    const ethernet = decodeEthernetFrame(frame);
    if (ethernet.etherType === ETHERTYPE_ARP) {
      const arp = decodeArpPacket(ethernet.payload);
      return arp.operation === ARP_REQUEST ? `arp who-has ${arp.targetIp} tell ${arp.senderIp}` : `arp ${arp.senderIp} is-at ${arp.senderMac}`;
    }
    const ip = decodeIpv4Packet(ethernet.payload);
    const icmp = decodeIcmpMessage(ip.payload);
    return `icmp ${icmp.type}/${icmp.code} ${ip.source} > ${ip.destination} to ${ethernet.destination}`;
  });
}

describe('a router answering on its other leg (neighbours per interface)', () => {
  const frames = (sim: Simulation, kind: 'transmit' | 'receive', device: string, port: string, actionIndex: number) => {
    const id = buildReport(sim).actions[actionIndex]!.id;
    return kinds(sim.trace.filter((e) => e.kind === kind && e.device === device && e.port === port && e.actionId === id).map((e) => e.frame!));
  };

  it('learns B on eth2 from its ARP request and answers it there with eth2’s MAC (arp_ignore=0)', () => {
    const { sim } = otherLeg();
    expect(frames(sim, 'transmit', 'R', 'eth2', 0)).toEqual([`arp 10.0.2.1 is-at ${MAC.R2}`]);
    const learned = sim.trace.find((e) => e.device === 'R' && e.reason === 'arp-cache-update')!;
    expect(learned.port).toBe('eth2');
  });

  it('does not reuse the eth2 entry for the echo reply routed out of eth1: it ARPs on eth1, three times, and C gets only those requests', () => {
    const { sim } = otherLeg();
    const who = 'arp who-has 10.0.2.20 tell 10.0.2.1';
    expect(frames(sim, 'transmit', 'R', 'eth1', 0)).toEqual([who, who, who]);
    expect(frames(sim, 'receive', 'C', 'eth0', 0)).toEqual([who, who, who]);
    const start = sim.trace.find((e) => e.device === 'R' && e.reason === 'arp-start')!;
    expect(start.text).toMatch(/10\.0\.2\.20 on eth1 \(it knows 10\.0\.2\.20 on eth2/);
    // The echo request arrives at 3 ms (three 1 ms hops: ARP request, reply, echo request); then 1 s apart.
    const probes = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'R' && e.port === 'eth1' && e.time < 10_000);
    expect(probes.map((e) => e.time)).toEqual([3, 1003, 2003]);
  });

  it('so no echo reply comes back: B’s ping ends by its own timeout, not by R’s ARP failure', () => {
    const { sim, report } = otherLeg();
    expect(report.actions[0]!.outcome).toBe('failed');
    expect(report.actions[0]!.result).toBe('No reply from 10.0.2.1 within 4 s.');
    expect(sim.trace.some((e) => e.device === 'B' && e.kind === 'receive' && decodeEthernetFrame(e.frame!).etherType === ETHERTYPE_IPV4)).toBe(false);
    expect(sim.trace.find((e) => e.device === 'R' && e.reason === 'arp-failed')!.time).toBe(3003);
  });

  it('forwards nothing to B’s MAC out of eth1 either: A’s ping to B gets “Destination Host Unreachable” after three ARP requests on eth1', () => {
    const { sim, report } = otherLeg();
    const who = 'arp who-has 10.0.2.20 tell 10.0.2.1';
    expect(frames(sim, 'transmit', 'R', 'eth1', 1)).toEqual([who, who, who]);
    expect(frames(sim, 'receive', 'B', 'eth0', 1)).toEqual([]);
    expect(report.actions[1]!.result).toBe('From 10.0.1.1: Destination Host Unreachable.');
  });

  it('asks “tell 10.0.3.1” on eth1 when the waiting echo reply comes from 10.0.3.1 (arp_solicit takes a local source of the queued packet)', () => {
    const { sim } = otherLeg();
    const who = 'arp who-has 10.0.2.20 tell 10.0.3.1';
    expect(frames(sim, 'transmit', 'R', 'eth1', 2)).toEqual([who, who, who]);
  });

  it('ends with B in R’s table on eth2 only, A on eth0, and nothing in C’s', () => {
    const { sim } = otherLeg();
    expect(arpCache(sim.state, 'R')!.map((r) => [r.ip, r.mac, r.port])).toEqual([['10.0.1.10', MAC.A, 'eth0'], ['10.0.2.20', MAC.B, 'eth2']]);
    expect(arpCache(sim.state, 'C')).toEqual([]);
  });
});


const arpFrame = (operation: number, from: string, senderIp: string, to: string, targetIp: string) =>
  encodeEthernetFrame({ destination: operation === ARP_REQUEST ? 'ff:ff:ff:ff:ff:ff' : to, source: from, etherType: ETHERTYPE_ARP, payload: encodeArpPacket({ operation, senderMac: from, senderIp, targetMac: operation === ARP_REQUEST ? '00:00:00:00:00:00' : to, targetIp }) });

describe('arp_process per receiving interface (the router driven directly)', () => {
  function learnedOnEth2ThenAsked() {
    const { record, ctx } = recorder();
    let n = 0;
    const host = createHost(ROUTER, () => ++n);
    hostReceive(ctx, host, 'eth2', arpFrame(ARP_REQUEST, MAC.B, '10.0.2.20', '', '10.0.2.1'));
    const echo = encodeIpv4Packet({ dscp: 0, ecn: 0, identification: 1, dontFragment: true, moreFragments: false, fragmentOffset: 0, ttl: 64, protocol: IP_PROTOCOL_ICMP, source: '10.0.2.20', destination: '10.0.2.1', payload: encodeIcmpMessage(echoRequest(7, 1, new Uint8Array(8))) });
    record.sent = [];
    hostReceive(ctx, host, 'eth2', encodeEthernetFrame({ destination: MAC.R2, source: MAC.B, etherType: ETHERTYPE_IPV4, payload: echo }));
    return { record, ctx, host };
  }

  it('queues the echo reply behind an ARP request on eth1, with a retry timer for (eth1, 10.0.2.20)', () => {
    const { record, host } = learnedOnEth2ThenAsked();
    expect(neighbourOn(host, 'eth2', '10.0.2.20')?.mac).toBe(MAC.B);
    expect(neighbourOn(host, 'eth1', '10.0.2.20')).toBeUndefined();
    expect(record.sent.map((s) => [s.port, ...kinds([s.frame])])).toEqual([['eth1', 'arp who-has 10.0.2.20 tell 10.0.2.1']]);
    expect(record.timers).toEqual([{ type: 'arp-retry', port: 'eth1', ip: '10.0.2.20' }]);
  });

  it('an ARP reply for 10.0.2.20 arriving on eth2 does not answer eth1’s question: the queue still waits', () => {
    const { record, ctx, host } = learnedOnEth2ThenAsked();
    record.sent = [];
    record.now = 1500;
    hostReceive(ctx, host, 'eth2', arpFrame(ARP_REPLY, MAC.D, '10.0.2.20', MAC.R2, '10.0.2.1'));
    // eth2 has an entry for 10.0.2.20, so the reply updates it (locktime is over); eth1 learns nothing.
    expect(record.events.at(-1)!.reason).toBe('arp-cache-update');
    expect(neighbourOn(host, 'eth2', '10.0.2.20')?.mac).toBe(MAC.D);
    expect(neighbourOn(host, 'eth1', '10.0.2.20')).toBeUndefined();
    expect(record.sent).toEqual([]);
    expect(record.timers).toEqual([{ type: 'arp-retry', port: 'eth1', ip: '10.0.2.20' }]);
  });

  it('a reply on eth0, where nothing is known or asked, is unsolicited and says where the question was', () => {
    const { record, ctx, host } = learnedOnEth2ThenAsked();
    hostReceive(ctx, host, 'eth0', arpFrame(ARP_REPLY, MAC.D, '10.0.2.20', MAC.R0, '10.0.1.1'));
    const drop = record.events.at(-1)!;
    expect(drop.reason).toBe('arp-unsolicited');
    expect(drop.text).toMatch(/asked for 10\.0\.2\.20 on eth1, not on eth0/);
    expect(neighbourOn(host, 'eth0', '10.0.2.20')).toBeUndefined();
  });

  it('the answer on eth1 releases the queue out of eth1 to the MAC learned there; both entries stay, one per interface', () => {
    const { record, ctx, host } = learnedOnEth2ThenAsked();
    record.sent = [];
    hostReceive(ctx, host, 'eth1', arpFrame(ARP_REPLY, MAC.D, '10.0.2.20', MAC.R1, '10.0.2.1'));
    expect(record.sent).toHaveLength(1);
    const out = decodeEthernetFrame(record.sent[0]!.frame);
    expect([record.sent[0]!.port, out.destination, out.source]).toEqual(['eth1', MAC.D, MAC.R1]);
    expect(decodeIcmpMessage(decodeIpv4Packet(out.payload).payload).type).toBe(ICMP_ECHO_REPLY);
    expect(record.timers).toEqual([]);
    expect(neighbourOn(host, 'eth1', '10.0.2.20')?.mac).toBe(MAC.D);
    expect(neighbourOn(host, 'eth2', '10.0.2.20')?.mac).toBe(MAC.B);
  });

  it('an interface named like an Object.prototype member is just a name', () => {
    const { record, ctx } = recorder();
    const host = createHost({ id: 'H', kind: 'host', nics: [{ port: 'constructor', mac: MAC.A, ip: '10.0.0.1/24' }, { port: '__proto__', mac: MAC.C, ip: '10.0.9.1/24' }] }, () => 1);
    hostReceive(ctx, host, 'constructor', arpFrame(ARP_REQUEST, MAC.B, '10.0.0.2', '', '10.0.0.1'));
    hostReceive(ctx, host, '__proto__', arpFrame(ARP_REQUEST, MAC.D, '10.0.0.2', '', '10.0.9.1'));
    expect(record.sent.map((s) => s.port)).toEqual(['constructor', '__proto__']);
    expect(neighbourOn(host, 'constructor', '10.0.0.2')?.mac).toBe(MAC.B);
    expect(neighbourOn(host, '__proto__', '10.0.0.2')?.mac).toBe(MAC.D);
    expect(neighbourOn(host, 'toString', '10.0.0.2')).toBeUndefined();
  });
});
