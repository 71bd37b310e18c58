import { describe, expect, it } from 'vitest';
import { ARP_PROBES } from '../../src/sim/devices/host';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { arpCache } from '../../src/sim/tables';
import { decodeArpPacket, ARP_REQUEST, ARP_REPLY } from '../../src/sim/wire/arp';
import { decodeEthernetFrame, ETHERTYPE_ARP, ETHERTYPE_IPV4 } from '../../src/sim/wire/ethernet';
import { decodeIcmpMessage, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from '../../src/sim/wire/icmp';
import { decodeIpv4Packet } from '../../src/sim/wire/ipv4';
import { host, mac, scenarioOf, star } from './build';

function run(scenario: ReturnType<typeof star>) {
  const sim = new Simulation(scenario, { history: false });
  sim.run();
  return { sim, report: buildReport(sim) };
}

/** The frames A put on the wire, decoded. */
function sentBy(sim: Simulation, device: string) {
  return sim.trace.filter((e) => e.kind === 'transmit' && e.device === device).map((e) => decodeEthernetFrame(e.frame!));
}

describe('host: ARP and ICMP echo', () => {
  it('resolves the target with a broadcast ARP request, gets a unicast reply, then pings with TTL 64 and gets the echo reply', () => {
    const { sim, report } = run(star('bridge', ['A', 'B'], [{ from: 'A', do: 'ping', to: 'B' }]));
    expect(report.actions[0]).toMatchObject({ outcome: 'ok', delivered: true });
    expect(report.actions[0]!.result).toMatch(/^Reply from 10\.0\.0\.2: TTL 64/);

    const [arp, echo] = sentBy(sim, 'A');
    expect(arp!.destination).toBe('ff:ff:ff:ff:ff:ff');
    expect(arp!.etherType).toBe(ETHERTYPE_ARP);
    expect(decodeArpPacket(arp!.payload)).toEqual({ operation: ARP_REQUEST, senderMac: mac(1), senderIp: '10.0.0.1', targetMac: '00:00:00:00:00:00', targetIp: '10.0.0.2' });
    expect(echo!.destination).toBe(mac(2));
    const ip = decodeIpv4Packet(echo!.payload);
    expect(ip).toMatchObject({ ttl: 64, source: '10.0.0.1', destination: '10.0.0.2', checksumValid: true });
    const icmp = decodeIcmpMessage(ip.payload);
    expect(icmp.type).toBe(ICMP_ECHO_REQUEST);
    expect(icmp.checksumValid).toBe(true);
    expect(echo!.etherType).toBe(ETHERTYPE_IPV4);

    const [reply, echoReply] = sentBy(sim, 'B');
    expect(reply!.destination).toBe(mac(1));
    expect(decodeArpPacket(reply!.payload)).toMatchObject({ operation: ARP_REPLY, senderMac: mac(2), senderIp: '10.0.0.2', targetIp: '10.0.0.1' });
    expect(decodeIcmpMessage(decodeIpv4Packet(echoReply!.payload).payload).type).toBe(ICMP_ECHO_REPLY);

    expect(arpCache(sim.state, 'A')).toEqual([{ ip: '10.0.0.2', mac: mac(2), port: 'eth0', age: expect.any(Number) }]);
    expect(arpCache(sim.state, 'B')!.map((r) => r.ip)).toEqual(['10.0.0.1']);
    // A 98-byte frame, like Linux ping's default 56 data bytes.
    expect(sim.trace.find((e) => e.kind === 'transmit' && e.device === 'A' && e.frame!.length !== 60)!.frame!.length).toBe(98);
  });

  it('retries an unanswered ARP request 3 times, 1 s apart, then reports Destination Host Unreachable', () => {
    const { sim, report } = run(star('bridge', ['A', 'B'], [{ from: 'A', do: 'ping', to: '10.0.0.99' }]));
    const requests = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'A');
    expect(requests.map((e) => e.time)).toEqual([0, 1000, 2000]);
    expect(requests).toHaveLength(ARP_PROBES);
    expect(report.actions[0]).toMatchObject({ outcome: 'failed', delivered: false });
    expect(report.actions[0]!.result).toMatch(/^Destination Host Unreachable/);
    expect(sim.trace.find((e) => e.reason === 'arp-failed')!.time).toBe(3000);
  });

  it('sends nothing and says "Network is unreachable" for an off-link destination without a gateway', () => {
    const { sim, report } = run(star('bridge', ['A', 'B'], [{ from: 'A', do: 'ping', to: '192.168.1.1' }]));
    expect(sim.trace.filter((e) => e.kind === 'transmit')).toHaveLength(0);
    expect(report.actions[0]!.result).toMatch(/^Network is unreachable/);
  });

  it('ARPs for the gateway, not the destination, when the destination is off-link', () => {
    const scenario = scenarioOf(
      [host('A', 1, { gateway: '10.0.0.254' }), host('B', 2), { id: 'br', kind: 'bridge', ports: ['p1', 'p2'] }],
      [{ a: 'A:eth0', b: 'br:p1' }, { a: 'B:eth0', b: 'br:p2' }],
      [{ from: 'A', do: 'ping', to: '192.168.1.1' }],
    );
    const { sim } = run(scenario);
    expect(decodeArpPacket(sentBy(sim, 'A')[0]!.payload).targetIp).toBe('10.0.0.254');
    expect(sim.trace.find((e) => e.reason === 'ping-start')!.text).toContain('default gateway 10.0.0.254');
  });

  it('drops frames addressed to another MAC, and IP packets for another address (a host does not forward)', () => {
    const { report } = run(star('hub', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B' }]));
    const atC = report.actions[0]!.receivedBy['C']!;
    expect(atC.map((r) => r.reason)).toEqual(['arp-request-not-for-me', 'not-for-me', 'not-for-me', 'not-for-me']);
  });

  it('answers a ping to its own address through loopback without sending a frame', () => {
    const { sim, report } = run(star('bridge', ['A', 'B'], [{ from: 'A', do: 'ping', to: '10.0.0.1' }]));
    expect(report.actions[0]!.outcome).toBe('ok');
    expect(sim.trace.filter((e) => e.kind === 'transmit')).toHaveLength(0);
  });

  it('resolves an address with an arping-style ARP action', () => {
    const { report } = run(star('bridge', ['A', 'B'], [{ from: 'A', do: 'arp', to: 'B' }]));
    expect(report.actions[0]).toMatchObject({ outcome: 'ok', result: `10.0.0.2 is at ${mac(2)}.` });
  });

  it('does not send a frame out of a NIC without a cable', () => {
    const scenario = scenarioOf([host('A', 1), host('B', 2)], [], [{ from: 'A', do: 'ping', to: 'B' }]);
    const { sim, report } = run(scenario);
    expect(sim.trace.filter((e) => e.reason === 'no-cable')).toHaveLength(3);
    expect(report.actions[0]!.outcome).toBe('failed');
  });
});

describe('host: the cases around the main path', () => {
  it('an arping-style ARP action gets its answer without filling the kernel\'s ARP cache (arp_accept=0)', () => {
    const { sim } = run(star('bridge', ['A', 'B'], [{ from: 'A', do: 'arp', to: 'B' }]));
    expect(arpCache(sim.state, 'A')).toEqual([]);
    expect(arpCache(sim.state, 'B')!.map((r) => r.ip)).toEqual(['10.0.0.1']); // the asked host learns the asker
    expect(sim.trace.find((e) => e.reason === 'arping-reply')!.device).toBe('A');
  });

  it('keeps the first ARP answer when two hosts claim one IP, and ignores the second within the 1 s locktime', () => {
    const scenario = scenarioOf(
      [host('A', 1), host('B', 2), host('C', 3, { ip: '10.0.0.2/24' }), { id: 'sw', kind: 'hub', ports: ['p1', 'p2', 'p3'] }],
      [{ a: 'A:eth0', b: 'sw:p1' }, { a: 'B:eth0', b: 'sw:p2' }, { a: 'C:eth0', b: 'sw:p3' }],
      [{ from: 'A', do: 'ping', to: '10.0.0.2' }],
    );
    const { sim, report } = run(scenario);
    expect(arpCache(sim.state, 'A')!.map((r) => r.mac)).toEqual([mac(2)]);
    expect(sim.trace.find((e) => e.reason === 'arp-locktime')!.text).toContain('the first answer wins');
    expect(report.actions[0]!.outcome).toBe('ok');
  });

  it('drops an IP packet that reached it by MAC but is for another address: a host does not forward', () => {
    const scenario = scenarioOf(
      [host('A', 1), host('B', 2), { id: 'C', kind: 'host', nics: [{ port: 'eth0', mac: mac(2), ip: '10.0.0.3/24' }] }, { id: 'sw', kind: 'hub', ports: ['p1', 'p2', 'p3'] }],
      [{ a: 'A:eth0', b: 'sw:p1' }, { a: 'B:eth0', b: 'sw:p2' }, { a: 'C:eth0', b: 'sw:p3' }],
      [{ from: 'A', do: 'ping', to: 'B' }],
    );
    const { report } = run(scenario);
    const atC = report.actions[0]!.receivedBy['C']!.map((r) => r.reason);
    expect(atC).toContain('ip-not-for-me');
  });

  it('times out a ping whose target cannot answer (B has no route back to A)', () => {
    const scenario = scenarioOf([host('A', 1), host('B', 2, { ip: '10.0.0.2/32' }), { id: 'br', kind: 'bridge', ports: ['p1', 'p2'] }], [{ a: 'A:eth0', b: 'br:p1' }, { a: 'B:eth0', b: 'br:p2' }], [{ from: 'A', do: 'ping', to: '10.0.0.2' }]);
    const { sim, report } = run(scenario);
    expect(report.actions[0]).toMatchObject({ outcome: 'failed', result: 'No reply from 10.0.0.2 within 4 s.' });
    expect(sim.trace.filter((e) => e.kind === 'result')).toHaveLength(1);
    expect(sim.trace.find((e) => e.device === 'B' && e.reason === 'no-route')!.text).toContain('cannot send the reply');
  });

  it('answers 127.0.0.1 through loopback, and pings the peer of a /31, which has no broadcast address', () => {
    const loop = run(star('bridge', ['A', 'B'], [{ from: 'A', do: 'ping', to: '127.0.0.1' }]));
    expect(loop.report.actions[0]!.outcome).toBe('ok');
    const p2p = scenarioOf([host('A', 1, { ip: '10.9.9.0/31' }), host('B', 2, { ip: '10.9.9.1/31' })], [{ a: 'A:eth0', b: 'B:eth0' }], [{ from: 'A', do: 'ping', to: '10.9.9.1' }]);
    expect(run(p2p).report.actions[0]!.outcome).toBe('ok');
  });
});
