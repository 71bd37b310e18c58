// NAT (host/nat.ts) on the chapter's bridge + NAT design: masquerade on the uplink with the
// connection table behind it (ICMP echo by identifier, UDP by ports), replies translated back,
// a port already taken replaced, an unsolicited packet from outside left untranslated (the host's
// own, answered or refused as Linux does), and Docker's -p as DNAT. What
// tests/kernel/linux-nat.test.ts compares with the kernel's nft masquerade is asserted here too,
// by bytes and table rows.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import type { Scenario, TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { buildReport } from '../../src/sim/report';
import { conntrackTable, conntrackTables } from '../../src/sim/tables';
import { decodeEthernetFrame, decodeIpv4Packet, decodeUdpDatagram, describeFrame } from '../../src/sim/wire';

function run(traffic: TrafficAction[], change?: (s: Scenario) => void): Simulation {
  const scenario = structuredClone({ ...scenarios['macvlan-ipvlan-bridge/bridge-nat']!, traffic });
  change?.(scenario);
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const sim = new Simulation(result.scenario);
  sim.run();
  return sim;
}

const received = (sim: Simulation, device: string, protocol: string) =>
  sim.trace.filter((e) => e.kind === 'receive' && e.device === device && describeFrame(e.frame!).protocol === protocol).map((e) => decodeIpv4Packet(decodeEthernetFrame(e.frame!).payload));

describe('masquerade on eth0', () => {
  it('the outside sees the host\'s address; the reply is translated back to c1; the table holds the flow both ways', () => {
    const sim = run([{ from: 'c1', do: 'ping', to: 'web', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('ok');
    const [request] = received(sim, 'web', 'icmp-echo-request');
    expect(request!.source).toBe('192.168.1.10');
    const [reply] = received(sim, 'c1', 'icmp-echo-reply');
    expect(reply!.destination).toBe('10.0.1.2');
    const id = (request!.payload[4]! << 8) | request!.payload[5]!;
    expect(conntrackTable(sim.state, 'server')).toEqual([
      `icmp     1 29 src=10.0.1.2 dst=203.0.113.10 type=8 code=0 id=${id} src=203.0.113.10 dst=192.168.1.10 type=0 code=0 id=${id} mark=0 use=1`,
    ]);
    expect(conntrackTables(sim.state).get('server')).toEqual([
      { protocol: 'icmp', original: `10.0.1.2 → 203.0.113.10 id ${id}`, reply: `203.0.113.10 → 192.168.1.10 id ${id}`, nat: 'masquerade', status: '', expires: 29 },
    ]);
    const snat = sim.trace.find((e) => e.reason === 'nat-snat')!;
    expect(snat.device).toBe('server');
    expect(snat.text).toContain('oifname "eth0" ip saddr 10.0.1.0/24 masquerade');
  });

  it('UDP keeps its source port unless another flow\'s reply has it: c2\'s second flow from the same port gets the next one', () => {
    const sim = run([
      { from: 'c1', do: 'udp', to: 'web', port: 53, sourcePort: 40000, at: 0 },
      { from: 'c2', do: 'udp', to: 'web', port: 53, sourcePort: 40000, at: 1000 },
    ]);
    const ports = received(sim, 'web', 'udp').map((p) => `${p.source}:${decodeUdpDatagram(p.payload.subarray(0, p.totalLength - 20), p).sourcePort}`);
    expect(ports).toEqual(['192.168.1.10:40000', '192.168.1.10:40001']);
    expect(sim.trace.filter((e) => e.reason === 'nat-snat').map((e) => e.text?.includes('is taken by another flow'))).toEqual([false, true]);
    // Every datagram's UDP checksum is right after the rewrite.
    for (const packet of received(sim, 'web', 'udp')) expect(decodeUdpDatagram(packet.payload.subarray(0, packet.totalLength - 20), packet).checksumValid).toBe(true);
  });

  it('the host\'s own traffic is not masqueraded (the rule matches 10.0.1.0/24 only), nor is bridged traffic tracked', () => {
    const sim = run([{ from: 'server', do: 'ping', to: 'lan', at: 0 }, { from: 'c1', do: 'ping', to: 'c2', at: 1000 }]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    expect(sim.trace.some((e) => e.reason === 'nat-snat')).toBe(false);
    expect(conntrackTables(sim.state).get('server')!.map((row) => row.nat)).toEqual(['']);
  });
});

describe('the outside cannot start a connection in', () => {
  it('a ping to the host\'s address is answered by the host itself, not by a container; a UDP port nobody forwards is refused', () => {
    const sim = run([
      { from: 'lan', do: 'ping', to: '192.168.1.10', at: 0 },
      { from: 'lan', do: 'udp', to: '192.168.1.10', port: 9999, at: 1000 },
    ]);
    expect(buildReport(sim).actions.map((a) => a.outcome)).toEqual(['ok', 'failed']);
    expect(received(sim, 'c1', 'icmp-echo-request')).toEqual([]);
    expect(sim.trace.some((e) => e.device === 'server' && e.reason === 'udp-port-unreachable')).toBe(true);
    expect(sim.trace.some((e) => e.reason === 'nat-dnat' || e.reason === 'nat-reply')).toBe(false);
  });

  it('a container\'s private address is not routable from outside: the gateway has no route to 10.0.1.0/24', () => {
    const sim = run([{ from: 'web', do: 'ping', to: '10.0.1.2', at: 0 }]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
    expect(sim.trace.some((e) => e.device === 'gw' && e.reason === 'no-route')).toBe(true);
  });
});

describe('port forwarding, as docker run -p 8080:80/udp', () => {
  it('a datagram to the host\'s 8080 reaches c1:80 with the sender\'s address; the flow expects replies from c1:80', () => {
    const sim = run([{ from: 'lan', do: 'udp', to: '192.168.1.10', port: 8080, sourcePort: 40000, at: 0 }]);
    const [datagram] = received(sim, 'c1', 'udp');
    expect(datagram!.destination).toBe('10.0.1.2');
    expect(datagram!.source).toBe('192.168.1.20');
    expect(decodeUdpDatagram(datagram!.payload.subarray(0, datagram!.totalLength - 20), datagram!).destinationPort).toBe(80);
    expect(conntrackTables(sim.state).get('server')!.map(({ original, reply, nat }) => ({ original, reply, nat }))).toEqual([
      { original: '192.168.1.20:40000 → 192.168.1.10:8080', reply: '10.0.1.2:80 → 192.168.1.20:40000', nat: 'dnat' },
    ]);
  });

  it('is delivered to c1\'s socket in the chapter\'s scenario', () => {
    const sim = run([{ from: 'lan', do: 'udp', to: '192.168.1.10', port: 8080, at: 0 }]);
    expect(buildReport(sim).actions[0]!.result).toBe('Delivered to c1\'s socket on UDP port 80 (32 bytes).');
    expect(sim.trace.find((e) => e.reason === 'nat-dnat')!.text).toContain('docker run -p 8080:80/udp');
  });

  it('validation names a NAT rule\'s unknown interface and a port published twice', () => {
    const s = structuredClone(scenarios['macvlan-ipvlan-bridge/bridge-nat']!);
    const server = s.devices.find((d) => d.id === 'server')!;
    if (server.kind === 'router') server.nat = { masquerade: [{ out: 'wlan0' }], forward: [{ in: 'eth0', proto: 'udp', port: 53, to: '10.0.1.2' }, { in: 'eth0', proto: 'udp', port: 53, to: '10.0.1.3' }] };
    const result = validateScenario(s);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      const lines = result.errors.map((e) => `${e.path}: ${e.message}`);
      expect(lines).toContain('devices[0].nat.masquerade[0].out: server has no interface "wlan0" (its interfaces: eth0, veth1, veth2, br0)');
      expect(lines).toContain('devices[0].nat.forward[1].port: udp port 53 on eth0 is already forwarded; a published port goes to one place');
    }
  });
});
