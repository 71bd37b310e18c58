// Where a short frame gets its Ethernet padding, as in Linux: a stack hands its device the frame
// unpadded (a 42-byte ARP); a NIC on a cable pads it to 60 bytes (eth_skb_pad in the driver); a veth
// pair carries it as it is (veth_xmit pads nothing); a bridge forwards what it received, padding
// and all. Asserted on the frame bytes of the trace's transmit and receive events, on the Docker-like
// host (veth pairs into br0, a cable to the outside) and on that host with a cable port in br0.

import { describe, expect, it } from 'vitest';
import { DOCKER_HOST_IP as IP, DOCKER_HOST_MAC as MAC, dockerHostScenario } from '../../src/scenarios/docker-host';
import { Simulation } from '../../src/sim/engine/simulation';
import type { Scenario, TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import type { TraceEvent } from '../../src/sim/trace';
import { describeFrame } from '../../src/sim/wire';

const LAN = { mac: '02:00:00:00:0e:01', ip: '10.0.1.4' } as const;

/** The Docker-like host with a third port in br0: eth1, a physical NIC whose cable goes to a machine `lan` on br0's subnet. */
function bridgedCableScenario(traffic: TrafficAction[]): Scenario {
  const scenario = dockerHostScenario(traffic);
  scenario.id = 'docker-host-bridged-cable';
  const server = scenario.devices.find((d) => d.id === 'server');
  if (server?.kind !== 'router') throw new Error('the Docker-like host has no router namespace `server`');
  server.nics.push({ port: 'eth1', mac: '02:00:00:00:00:e1' });
  server.bridges![0]!.ports.push('eth1');
  scenario.devices.push({ id: 'lan', kind: 'host', nics: [{ port: 'eth0', mac: LAN.mac, ip: `${LAN.ip}/24` }], gateway: IP.br0 });
  scenario.links.push({ a: 'server:eth1', b: 'lan:eth0' });
  return scenario;
}

function run(scenario: Scenario): Simulation {
  const checked = validateScenario(scenario);
  if (!checked.ok) throw new Error(checked.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  const sim = new Simulation(scenario);
  sim.run();
  return sim;
}

/** "device:port kind summary length" for every transmit and receive of an ARP frame, in trace order. */
function arpHops(trace: readonly TraceEvent[]): string[] {
  return trace
    .filter((e) => (e.kind === 'transmit' || e.kind === 'receive') && describeFrame(e.frame!).protocol.startsWith('arp'))
    .map((e) => `${e.device}:${e.port} ${e.kind} ${describeFrame(e.frame!).summary} ${e.frame!.length}`);
}

describe('Ethernet padding: on a cable, not on a veth', () => {
  it('a 42-byte ARP request crosses a veth as 42 bytes, and so does the reply; br0 floods it onto the other veth as 42', () => {
    const sim = run(dockerHostScenario([{ from: 'c1', do: 'arp', to: IP.c2 }]));
    const request = `ARP who-has ${IP.c2}? tell ${IP.c1}`;
    const reply = `ARP ${IP.c2} is-at ${MAC.c2}`;
    expect(arpHops(sim.trace)).toEqual([
      `c1:eth0 transmit ${request} 42`,
      `server:veth1 receive ${request} 42`,
      `server:veth2 transmit ${request} 42`,
      `c2:eth0 receive ${request} 42`,
      `c2:eth0 transmit ${reply} 42`,
      `server:veth2 receive ${reply} 42`,
      `server:veth1 transmit ${reply} 42`,
      `c1:eth0 receive ${reply} 42`,
    ]);
  });

  it('the same request on a cable is 60 bytes: 42 of the stack’s, then 18 zeros the sending NIC adds', () => {
    const sim = run(dockerHostScenario([{ from: 'outside', do: 'arp', to: IP.serverEth0 }]));
    const request = `ARP who-has ${IP.serverEth0}? tell ${IP.outside}`;
    const reply = `ARP ${IP.serverEth0} is-at ${MAC.serverEth0}`;
    expect(arpHops(sim.trace)).toEqual([
      `outside:eth0 transmit ${request} 60`,
      `server:eth0 receive ${request} 60`,
      `server:eth0 transmit ${reply} 60`,
      `outside:eth0 receive ${reply} 60`,
    ]);
    const sent = sim.trace.find((e) => e.kind === 'transmit')!.frame!;
    expect([...sent.subarray(42)]).toEqual(new Array(18).fill(0));
    // The padding is the wire's: the ARP layer read 28 bytes and learned the sender as usual.
    expect(sim.trace.filter((e) => e.kind === 'result').map((e) => e.reason)).toEqual(['arp-ok']);
  });

  it('frames of 60 bytes or more cross a cable unchanged: an echo request is 98 bytes on both kinds of link', () => {
    const sim = run(dockerHostScenario([{ from: 'c1', do: 'ping', to: 'outside' }]));
    const requests = sim.trace.filter((e) => e.kind === 'transmit' && describeFrame(e.frame!).protocol === 'icmp-echo-request');
    expect(requests.map((e) => `${e.device}:${e.port} ${e.frame!.length}`)).toEqual(['c1:eth0 98', 'server:eth0 98']);
  });

  it('a bridge relays what it received: 42 bytes from a veth leave by the cable port as 60; 60 from the cable leave by a veth as 60', () => {
    const sim = run(bridgedCableScenario([{ from: 'c1', do: 'arp', to: LAN.ip }]));
    const request = `ARP who-has ${LAN.ip}? tell ${IP.c1}`;
    const reply = `ARP ${LAN.ip} is-at ${LAN.mac}`;
    expect(arpHops(sim.trace)).toEqual([
      `c1:eth0 transmit ${request} 42`,
      `server:veth1 receive ${request} 42`,
      // br0 floods one 42-byte frame: veth2 carries it as it is, eth1's NIC pads it for its cable.
      `server:veth2 transmit ${request} 42`,
      `server:eth1 transmit ${request} 60`,
      `c2:eth0 receive ${request} 42`,
      `lan:eth0 receive ${request} 60`,
      `lan:eth0 transmit ${reply} 60`,
      `server:eth1 receive ${reply} 60`,
      // The padding that came in on the cable stays: br0 forwards the frame it was given, and the veth adds nothing nor takes anything away.
      `server:veth1 transmit ${reply} 60`,
      `c1:eth0 receive ${reply} 60`,
    ]);
    // c1's ARP ignored the padding: the reply resolved the address.
    expect(sim.trace.filter((e) => e.kind === 'result').map((e) => e.reason)).toEqual(['arp-ok']);
  });

  it('IP drops the padding a cable added (ip_rcv trims to the total length): a short UDP datagram reaches c1 as its own 30 bytes', () => {
    const sim = run(bridgedCableScenario([{ from: 'lan', do: 'udp', to: IP.c1, port: 9, size: 2 }]));
    // 14 + 20 + 8 + 2 = 44 bytes from lan's stack, 60 on its cable, still 60 when br0 forwards it onto veth1.
    const datagrams = sim.trace.filter((e) => (e.kind === 'transmit' || e.kind === 'receive') && describeFrame(e.frame!).protocol === 'udp');
    expect(datagrams.map((e) => `${e.device}:${e.port} ${e.kind} ${e.frame!.length}`)).toEqual([
      'lan:eth0 transmit 60',
      'server:eth1 receive 60',
      'server:veth1 transmit 60',
      'c1:eth0 receive 60',
    ]);
    // c1 has no socket on port 9 and quotes the datagram in its ICMP error: 30 bytes (IPv4 20 +
    // UDP 8 + data 2), not the 46 the frame carried, so IP read the total length and dropped the rest.
    expect(sim.trace.filter((e) => e.device === 'c1' && e.kind === 'drop').map((e) => e.reason)).toEqual(['udp-port-unreachable']);
    const errors = sim.trace.filter((e) => e.device === 'c1' && e.kind === 'transmit' && describeFrame(e.frame!).protocol === 'icmp-error');
    expect(errors.map((e) => e.frame!.length)).toEqual([14 + 20 + 8 + 30]);
  });

  it('a raw frame as short as 19 bytes crosses a veth as 19 (veth_xmit asks only for an Ethernet header), and a cable as 60', () => {
    const sim = run(bridgedCableScenario([
      { from: 'c1', do: 'raw', to: 'broadcast', payload: 'hello' },
    ]));
    const raw = sim.trace.filter((e) => (e.kind === 'transmit' || e.kind === 'receive') && describeFrame(e.frame!).protocol === 'raw');
    expect(raw.map((e) => `${e.device}:${e.port} ${e.kind} ${e.frame!.length}`)).toEqual([
      'c1:eth0 transmit 19',
      'server:veth1 receive 19',
      'server:veth2 transmit 19',
      'server:eth1 transmit 60',
      'c2:eth0 receive 19',
      'lan:eth0 receive 60',
    ]);
  });

  it('is deterministic: the same scenario gives the same frames, byte for byte', () => {
    const traffic: TrafficAction[] = [
      { from: 'c1', do: 'ping', to: LAN.ip },
      { from: 'lan', do: 'arp', to: IP.c2, at: 500 },
    ];
    const frames = (sim: Simulation) => sim.trace.filter((e) => e.frame).map((e) => `${e.index} ${e.device}:${e.port} ${e.kind} ${Buffer.from(e.frame!).toString('hex')}`);
    expect(frames(run(bridgedCableScenario(traffic)))).toEqual(frames(run(bridgedCableScenario(traffic))));
  });
});
