// A bridge net device inside a namespace, on the points where it must act as the kernel's does
// beyond plain bridging: br0's MTU follows its ports (br_mtu_auto_adjust), a frame it passes up
// meets the same 802.1Q check as a NIC's, the report names what the namespace's stack then did, a
// namespace's MAC as a raw target, one origin for the copies of a flood, and the sentences said
// on br0 and veth pairs. Mostly on the Docker-like host (src/scenarios/docker-host.ts).

import { describe, expect, it } from 'vitest';
import { DOCKER_HOST_IP as IP, DOCKER_HOST_MAC as MAC, dockerHostScenario } from '../../src/scenarios/docker-host';
import { Simulation } from '../../src/sim/engine/simulation';
import type { HostState } from '../../src/sim/devices/host';
import { SCENARIO_FORMAT, type Scenario, type TrafficAction } from '../../src/sim/scenario/format';
import { narrate } from '../../src/sim/narrate';
import { buildReport } from '../../src/sim/report';
import { validateScenario } from '../../src/sim/scenario/validate';
import { describeFrame } from '../../src/sim/wire';

const summary = (frame: Uint8Array): string => {
  const d = describeFrame(frame);
  return `${d.source} > ${d.destination} ${d.summary}`;
};

function run(scenario: Scenario): Simulation {
  const sim = new Simulation(scenario);
  sim.run();
  return sim;
}

/** The Docker-like host with the MTU of some NICs set (`device:port` → MTU). */
function withMtus(traffic: TrafficAction[], mtus: Record<string, number>, br0Mtu?: number): Scenario {
  const scenario = dockerHostScenario(traffic);
  for (const device of scenario.devices) {
    if (device.kind !== 'host' && device.kind !== 'router') continue;
    for (const nic of device.nics) {
      const mtu = mtus[`${device.id}:${nic.port}`];
      if (mtu !== undefined) nic.mtu = mtu;
    }
    if (br0Mtu !== undefined) for (const bridge of device.bridges ?? []) bridge.mtu = br0Mtu;
  }
  return scenario;
}

function interfaceMtu(sim: Simulation, device: string, name: string): number | undefined {
  return (sim.state.devices.get(device) as HostState).nics.find((nic) => nic.name === name)?.mtu;
}

const SMALL_VETHS = { 'server:veth1': 1000, 'server:veth2': 1000, 'c1:eth0': 1000, 'c2:eth0': 1000 };

describe('br0’s MTU follows its ports (br_mtu_auto_adjust) unless the scenario sets it', () => {
  it('with both veths at MTU 1000 br0 has MTU 1000: server answers a 1,228-byte packet for c1 with “fragmentation needed, MTU 1000” and sends nothing into br0', () => {
    const sim = run(withMtus([{ from: 'outside', do: 'ping', to: 'c1', size: 1200, at: 0 }], SMALL_VETHS));
    expect(interfaceMtu(sim, 'server', 'br0')).toBe(1000);
    const server = sim.trace.filter((e) => e.device === 'server');
    expect(server.filter((e) => e.kind === 'drop').map((e) => [e.reason, e.port])).toEqual([['frag-needed', 'eth0']]);
    expect(server.filter((e) => e.kind === 'transmit').map((e) => [e.port, summary(e.frame!)])).toEqual([
      ['eth0', `${MAC.serverEth0} > ${MAC.outside} ARP ${IP.serverEth0} is-at ${MAC.serverEth0}`],
      ['eth0', `${MAC.serverEth0} > ${MAC.outside} ICMP destination unreachable ${IP.serverEth0} → ${IP.outside} (fragmentation needed, next-hop MTU 1000; original packet to ${IP.c1})`],
    ]);
    expect(sim.trace.filter((e) => e.device === 'c1' && e.kind === 'receive')).toEqual([]);
    const [ping] = buildReport(sim).actions;
    expect([ping!.outcome, sim.trace.find((e) => e.kind === 'result')!.reason]).toEqual(['failed', 'ping-frag-needed']);
  });

  it('the smallest port wins: veth1 at 1000 and veth2 at 9000 give br0 1000; one port at 9000 gives 9000; no port gives 1500', () => {
    expect(interfaceMtu(run(withMtus([], { 'server:veth1': 1000, 'server:veth2': 9000 })), 'server', 'br0')).toBe(1000);
    const one = dockerHostScenario([]);
    const server = one.devices[0]!;
    if (server.kind !== 'router') throw new Error('server is a router');
    server.nics[1]!.mtu = 9000;
    server.bridges![0]!.ports = ['veth1'];
    expect(interfaceMtu(run(one), 'server', 'br0')).toBe(9000);
    server.bridges![0]!.ports = [];
    expect(interfaceMtu(run(one), 'server', 'br0')).toBe(1500);
  });

  it('an MTU set on br0 stays: at 1500 over veths of 1000, server routes the packet into br0, and the bridge drops it at veth1', () => {
    const sim = run(withMtus([{ from: 'outside', do: 'ping', to: 'c1', size: 1200, at: 0 }], SMALL_VETHS, 1500));
    expect(interfaceMtu(sim, 'server', 'br0')).toBe(1500);
    const drops = sim.trace.filter((e) => e.device === 'server' && e.kind === 'drop');
    expect(drops.map((e) => [e.reason, e.port, e.frame!.length])).toEqual([['frame-too-big', 'veth1', 1242]]);
  });
});

describe('a frame br0 passes up meets the 802.1Q check a NIC’s does (__netif_receive_skb_core → vlan_do_receive)', () => {
  /** c1 speaks only on VLAN 10 (eth0.10 10.0.1.2/24), br0 has no sub-interface. */
  function taggedC1(): Simulation {
    const scenario = dockerHostScenario([{ from: 'c1', do: 'ping', to: IP.br0, at: 0 }]);
    const c1 = scenario.devices[1]!;
    if (c1.kind !== 'host') throw new Error('c1 is a host');
    c1.nics[0] = { port: 'eth0', mac: MAC.c1, vlans: [{ vlan: 10, ip: `${IP.c1}/24` }] };
    return run(scenario);
  }

  it('c1’s tagged ARP requests for br0’s address are flooded to veth2 and passed up to br0, whose stack drops each as VLAN 10’s: no reply, the ping fails', () => {
    const sim = taggedC1();
    const server = sim.trace.filter((e) => e.device === 'server');
    const request = `${MAC.c1} > ff:ff:ff:ff:ff:ff [802.1Q VLAN 10] ARP who-has ${IP.br0}? tell ${IP.c1}`;
    expect(server.filter((e) => e.port === 'br0' && e.kind === 'deliver').map((e) => summary(e.frame!))).toEqual([request, request, request]);
    expect(server.filter((e) => e.kind === 'drop').map((e) => [e.reason, e.port])).toEqual([['vlan-unknown', 'br0'], ['vlan-unknown', 'br0'], ['vlan-unknown', 'br0']]);
    expect(server.filter((e) => e.kind === 'transmit').map((e) => [e.port, summary(e.frame!)])).toEqual([['veth2', request], ['veth2', request], ['veth2', request]]);
    expect(sim.trace.filter((e) => e.device === 'c1' && e.kind === 'receive')).toEqual([]);
    expect(buildReport(sim).actions[0]!.outcome).toBe('failed');
  });
});

describe('the report names what the namespace’s stack did with a frame br0 passed up, not the pass-up itself', () => {
  const sim = run(dockerHostScenario([
    { from: 'c1', do: 'raw', to: MAC.veth2, at: 0 },
    { from: 'c1', do: 'ping', to: 'outside', at: 100 },
    { from: 'c1', do: 'ping', to: IP.br0, at: 200 },
  ]));
  const report = buildReport(sim);
  const did = (action: number, device: string) => report.actions[action]!.receivedBy[device]!.map((r) => [r.port, r.did, r.reason]);

  it('a raw frame from c1 to veth2’s own MAC (in on veth1): br0 passes it up and the stack drops it as another host’s, so nobody took it', () => {
    expect(did(0, 'server')).toEqual([['veth1', 'drop', 'not-for-me']]);
    expect([report.actions[0]!.delivered, report.actions[0]!.deliveredTo]).toEqual([false, []]);
  });

  it('c1 pings outside: the echo request c1 sends to br0’s MAC is routed (ip-forward), the reply from outside too; server takes only the ARP answer to its own request', () => {
    expect(did(1, 'server')).toEqual([['veth1', 'flood', 'broadcast'], ['veth1', 'forward', 'ip-forward'], ['eth0', 'deliver', 'arp-reply'], ['eth0', 'forward', 'ip-forward']]);
  });

  it('c1 pings br0’s address: the echo request is the stack’s own (deliver echo-request), and server is among those it was delivered to', () => {
    const reasons = did(2, 'server').map(([, kind, reason]) => `${kind} ${reason}`);
    expect(reasons).toContain('deliver echo-request');
    expect(reasons.filter((r) => r === 'deliver fdb-hit')).toEqual([]);
    expect(report.actions[2]!.deliveredTo).toContain('server');
  });

  it('lists br0’s MAC table as “server br0”, with its own MAC and its ports’ permanent', () => {
    expect(Object.keys(report.macTables)).toEqual(['server br0']);
    expect(report.macTables['server br0']!.filter((r) => r.permanent).map((r) => [r.mac, r.port])).toEqual([[MAC.br0, 'br0'], [MAC.veth1, 'veth1'], [MAC.veth2, 'veth2']]);
  });
});

describe('a namespace named as a raw frame’s target is its own interface’s MAC, as its name is its first address', () => {
  /** h’s only NIC is a port of its br0 (10.0.0.1); g is on the other end of the cable. */
  const bridged = (traffic: TrafficAction[]): Scenario => ({
    format: SCENARIO_FORMAT, id: 'bridged-only', title: 'h', description: 'h',
    devices: [
      { id: 'h', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:11' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24', ports: ['eth0'] }] },
      { id: 'g', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:22', ip: '10.0.0.2/24' }] },
    ],
    links: [{ a: 'h:eth0', b: 'g:eth0' }],
    traffic,
  });

  it('g sends a raw frame to h: it goes to br0’s MAC (not eth0’s, a port’s), and h’s stack takes it', () => {
    const sim = run(bridged([{ from: 'g', do: 'raw', to: 'h', at: 0 }]));
    expect(sim.trace.filter((e) => e.device === 'g' && e.kind === 'transmit').map((e) => summary(e.frame!))).toEqual([expect.stringMatching(/^02:00:00:00:00:22 > 02:00:00:00:00:b0 /)]);
    expect(buildReport(sim).actions[0]!.receivedBy['h']!.map((r) => [r.port, r.did, r.reason])).toEqual([['eth0', 'deliver', 'raw-delivered']]);
    expect(buildReport(sim).actions[0]!.deliveredTo).toEqual(['h']);
  });

  it('h sends a raw frame to g: it leaves through br0 (br_dev_xmit) with br0’s MAC, and g takes it', () => {
    const sim = run(bridged([{ from: 'h', do: 'raw', to: 'g', at: 0 }]));
    // br0 has not learned g yet: it floods its own frame to its one port.
    expect(sim.trace.filter((e) => e.device === 'h' && (e.kind === 'flood' || e.kind === 'forward')).map((e) => [e.kind, e.port, e.ports])).toEqual([['flood', 'br0', ['eth0']]]);
    expect(sim.trace.filter((e) => e.device === 'g' && e.kind === 'receive').map((e) => summary(e.frame!))).toEqual([expect.stringMatching(/^02:00:00:00:00:b0 > 02:00:00:00:00:22 /)]);
    expect(buildReport(sim).actions[0]!.deliveredTo).toEqual(['g']);
  });

  it('on the Docker-like host with the veths listed before eth0, a raw frame to server still goes to eth0’s MAC', () => {
    const scenario = dockerHostScenario([{ from: 'outside', do: 'raw', to: 'server', at: 0 }]);
    const server = scenario.devices[0]!;
    if (server.kind !== 'router') throw new Error('server is a router');
    server.nics.reverse();
    const sim = run(scenario);
    expect(sim.trace.filter((e) => e.device === 'outside' && e.kind === 'transmit').map((e) => summary(e.frame!))).toEqual([expect.stringMatching(new RegExp(`^${MAC.outside} > ${MAC.serverEth0} `))]);
    expect(buildReport(sim).actions[0]!.deliveredTo).toEqual(['server']);
  });
});

describe('sentences on a bridge’s own interface and on veth pairs say what is true there', () => {
  it('br0 of the router namespace ignores c1’s ARP request for c2: the bridge, not the stack, carried it on; no “goes no further”', () => {
    const sim = run(dockerHostScenario([{ from: 'c1', do: 'ping', to: 'c2', at: 0 }]));
    const ignored = sim.trace.filter((e) => e.device === 'server' && e.reason === 'arp-request-not-for-me');
    expect(ignored.map((e) => e.port)).toEqual(['br0']);
    expect(ignored[0]!.text).toBe(`server reads the ARP request (who has ${IP.c2}?) and ignores it: server is ${IP.serverEth0} and ${IP.br0}; the bridge br0, not the stack, carries a broadcast to its other ports, and server's stack sends the request on nowhere.`);
    // …and br0 did carry it on: c2 got it.
    expect(sim.trace.some((e) => e.device === 'c2' && e.reason === 'arp-request-for-me')).toBe(true);
  });

  it('a host with br0 and another NIC: on br0 it does not claim to keep frames from its other NICs', () => {
    const scenario: Scenario = {
      format: SCENARIO_FORMAT, id: 'host-br0', title: 'h', description: 'h',
      devices: [
        { id: 'h', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:11' }, { port: 'eth1', mac: '02:00:00:00:00:12', ip: '10.9.0.1/24' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24', ports: ['eth0'] }] },
        { id: 'g', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:22', ip: '10.0.0.2/24' }] },
      ],
      links: [{ a: 'h:eth0', b: 'g:eth0' }],
      traffic: [{ from: 'g', do: 'arp', to: '10.0.0.7', at: 0 }],
    };
    const texts = run(scenario).trace.filter((e) => e.device === 'h' && e.reason === 'arp-request-not-for-me').map((e) => e.text);
    expect(texts).toHaveLength(3);
    for (const text of texts) {
      expect(text).toContain('the bridge br0, not the stack, carries a broadcast to its other ports');
      expect(text).not.toContain('does not pass frames');
    }
  });

  it('a loop closed over a veth pair is said to have crossed the veth pair, one over a cable the cable', () => {
    // A veth pair between two ports of one bridge in one namespace: br0 floods its own ARP request into it.
    const scenario: Scenario = {
      format: SCENARIO_FORMAT, id: 'veth-loop', title: 'a', description: 'a',
      devices: [{ id: 'a', kind: 'host', node: 'n', nics: [{ port: 'p1', mac: '02:00:00:00:00:11' }, { port: 'p2', mac: '02:00:00:00:00:12' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24', ports: ['p1', 'p2'] }] }],
      links: [{ a: 'a:p1', b: 'a:p2', type: 'veth' }],
      traffic: [{ from: 'a', do: 'ping', to: '10.0.0.9', at: 0 }],
    };
    const sim = run(scenario);
    const loop = sim.trace.find((e) => e.kind === 'loop')!;
    const names = new Map([['a', 'a']]);
    expect(narrate({ ...loop, args: { ...loop.args!, veth: true } } as typeof loop, names)).toContain('already crossed the veth pair from a\'s ');
    expect(narrate({ ...loop, args: { peer: (loop.args as { peer: unknown }).peer } } as typeof loop, names)).toContain('already crossed the cable from a\'s ');
  });

  it('the validator names a veth pair as one: to a device that does not exist, or from a port to itself', () => {
    const scenario = dockerHostScenario();
    scenario.links[0] = { a: 'server:veth1', b: 'ghost:eth0', type: 'veth' };
    scenario.links[1] = { a: 'server:veth2', b: 'server:veth2', type: 'veth' };
    const checked = validateScenario(scenario);
    const messages = checked.ok ? [] : checked.errors.map((e) => `${e.path}: ${e.message}`);
    expect(messages).toContain('links[0].b: the veth pair goes to "ghost", which is not a device of this scenario');
    expect(messages).toContain('links[1]: a veth pair cannot join server:veth2 to itself');
    expect(messages.filter((m) => /the cable|a cable cannot/.test(m))).toEqual([]);
  });
});

describe('a raw frame to a router by name', () => {
  it('is accepted: the validator takes it, and the frame goes to the router’s own interface (server’s eth0), which takes it', () => {
    const scenario = dockerHostScenario([{ from: 'outside', do: 'raw', to: 'server', at: 0 }]);
    const checked = validateScenario(scenario);
    expect(checked.ok ? checked.warnings : checked.errors).toEqual([]);
    const sim = run(scenario);
    expect(sim.trace.filter((e) => e.device === 'outside' && e.kind === 'transmit').map((e) => summary(e.frame!))).toEqual([expect.stringMatching(new RegExp(`^${MAC.outside} > ${MAC.serverEth0} `))]);
    expect(buildReport(sim).actions[0]!.deliveredTo).toEqual(['server']);
  });

  it('a hub or a switch by name is still refused, in words that name what is accepted', () => {
    const scenario = dockerHostScenario([{ from: 'outside', do: 'raw', to: 'sw', at: 0 }]);
    scenario.devices.push({ id: 'sw', kind: 'hub', ports: ['p1'] });
    const checked = validateScenario(scenario);
    expect(checked.ok ? [] : checked.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(['traffic[0].to: expected "broadcast", a MAC address or the name of a host or router, got "sw"']);
  });
});

describe('br_dev_xmit to a port’s own MAC', () => {
  it('leaves by that port only (its local FDB entry names it), not flooded: k behind eth1 gets it, g behind eth0 does not', () => {
    const scenario: Scenario = {
      format: SCENARIO_FORMAT, id: 'two-ports', title: 'h', description: 'h',
      devices: [
        { id: 'h', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:11' }, { port: 'eth1', mac: '02:00:00:00:00:12' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24', ports: ['eth0', 'eth1'] }] },
        { id: 'g', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:22', ip: '10.0.0.2/24' }] },
        { id: 'k', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:33', ip: '10.0.0.3/24' }] },
      ],
      links: [{ a: 'h:eth0', b: 'g:eth0' }, { a: 'h:eth1', b: 'k:eth0' }],
      traffic: [{ from: 'h', do: 'raw', to: '02:00:00:00:00:12', at: 0 }],
    };
    const sim = run(scenario);
    expect(sim.trace.filter((e) => e.device === 'h' && (e.kind === 'flood' || e.kind === 'forward')).map((e) => [e.kind, e.ports])).toEqual([['forward', ['eth1']]]);
    expect(sim.trace.filter((e) => e.kind === 'receive').map((e) => e.device)).toEqual(['k']);
  });
});

describe('the copies of one frame br0 floods are one frame: one origin, one loop record', () => {
  it('server pings c1: br0’s ARP request leaves by veth1 and veth2 with one origin, which c1 and c2 receive', () => {
    const sim = run(dockerHostScenario([{ from: 'server', do: 'ping', to: 'c1', at: 0 }]));
    const first = sim.trace.find((e) => e.kind === 'flood' && e.device === 'server')!;
    expect([first.port, first.ports]).toEqual(['br0', ['veth1', 'veth2']]);
    const copies = sim.trace.filter((e) => e.device === 'server' && e.kind === 'transmit' && e.time === 0);
    expect(copies.map((e) => e.port)).toEqual(['veth1', 'veth2']);
    expect(copies.map((e) => e.origin)).toEqual([copies[0]!.frameId, copies[0]!.frameId]);
    expect(sim.trace.filter((e) => e.kind === 'receive' && e.time === 1).map((e) => [e.device, e.origin])).toEqual([['c1', copies[0]!.frameId], ['c2', copies[0]!.frameId]]);
  });

  it('outside pings c2: the ARP request server routes into br0 is flooded as one frame too', () => {
    const sim = run(dockerHostScenario([{ from: 'outside', do: 'ping', to: 'c2', at: 0 }]));
    const copies = sim.trace.filter((e) => e.device === 'server' && e.kind === 'transmit' && e.port !== 'eth0' && describeFrame(e.frame!).summary.startsWith('ARP who-has'));
    expect(copies.map((e) => e.port)).toEqual(['veth1', 'veth2']);
    expect(new Set(copies.map((e) => e.origin)).size).toBe(1);
  });

  it('a routed echo request br0 no longer knows the port of (its FDB aged) is flooded keeping the origin of outside’s frame', () => {
    const scenario = dockerHostScenario([{ from: 'outside', do: 'ping', to: 'c2', at: 0 }, { from: 'outside', do: 'ping', to: 'c2', at: 20_000 }]);
    const server = scenario.devices[0]!;
    if (server.kind !== 'router') throw new Error('server is a router');
    server.bridges![0]!.ageingTime = 5;
    const sim = run(scenario);
    const id = buildReport(sim).actions[1]!.id;
    const flood = sim.trace.find((e) => e.actionId === id && e.device === 'server' && e.kind === 'flood')!;
    expect([flood.reason, flood.ports]).toEqual(['fdb-miss', ['veth1', 'veth2']]);
    const sent = sim.trace.find((e) => e.actionId === id && e.device === 'outside' && e.kind === 'transmit')!;
    const copies = sim.trace.filter((e) => e.actionId === id && e.device === 'server' && e.kind === 'transmit' && e.cause === flood.index);
    expect(copies.map((e) => [e.port, e.origin])).toEqual([['veth1', sent.frameId], ['veth2', sent.frameId]]);
  });

  it('a veth pair joining two ports of one br0: its flooded ARP request goes round the loop as one frame, with one loop notice', () => {
    const scenario: Scenario = {
      format: SCENARIO_FORMAT, id: 'veth-loop', title: 'a', description: 'a',
      devices: [{ id: 'a', kind: 'host', node: 'n', nics: [{ port: 'p1', mac: '02:00:00:00:00:11' }, { port: 'p2', mac: '02:00:00:00:00:12' }], bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24', ports: ['p1', 'p2'] }] }],
      links: [{ a: 'a:p1', b: 'a:p2', type: 'veth' }],
      traffic: [{ from: 'a', do: 'ping', to: '10.0.0.9', at: 0 }],
    };
    const sim = run(scenario);
    const loops = sim.trace.filter((e) => e.kind === 'loop');
    expect(loops).toHaveLength(1);
    expect((loops[0]!.args as { veth?: true }).veth).toBe(true);
    expect(new Set(sim.trace.filter((e) => e.kind === 'transmit').map((e) => e.origin)).size).toBe(1);
    expect(sim.trace.filter((e) => e.kind === 'halt').map((e) => e.reason)).toEqual(['broadcast-storm']);
  });
});

describe('a frame to the MAC of the bridge port it comes in on is the stack’s (eth_type_trans marks it PACKET_HOST on the port)', () => {
  it('c1’s raw frame to veth1’s MAC goes up to br0 and server takes it; the report says delivered to server', () => {
    const sim = run(dockerHostScenario([{ from: 'c1', do: 'raw', to: MAC.veth1, at: 0 }]));
    const report = buildReport(sim);
    expect(report.actions[0]!.receivedBy['server']!.map((r) => [r.port, r.did, r.reason])).toEqual([['veth1', 'deliver', 'raw-delivered']]);
    expect(report.actions[0]!.deliveredTo).toEqual(['server']);
    expect(sim.trace.find((e) => e.reason === 'raw-delivered')!.text).toContain('addressed to the MAC of the bridge port it came in on');
  });
});

describe('a broadcast br0 floods and passes up: the report says both what the bridge and what the stack did', () => {
  const sim = run(dockerHostScenario([{ from: 'c1', do: 'ping', to: 'c2', at: 0 }, { from: 'c1', do: 'ping', to: 'outside', at: 1000 }]));
  const report = buildReport(sim);
  const first = (action: number) => report.actions[action]!.receivedBy['server']![0]!;

  it('c1’s ARP request for c2: flooded, and server’s stack ignored its copy; server is not among those it was delivered to', () => {
    expect([first(0).did, first(0).reason, first(0).stack?.did, first(0).stack?.reason]).toEqual(['flood', 'broadcast', 'drop', 'arp-request-not-for-me']);
    expect(first(0).stack!.why).toContain('the bridge br0, not the stack');
    expect(report.actions[0]!.deliveredTo).not.toContain('server');
  });

  it('c1’s ARP request for br0’s address: flooded, and server’s stack answered its copy', () => {
    expect([first(1).did, first(1).reason, first(1).stack?.did, first(1).stack?.reason]).toEqual(['flood', 'broadcast', 'deliver', 'arp-request-for-me']);
    expect(report.actions[1]!.deliveredTo).toContain('server');
  });

  it('a unicast br0 only forwards has no stack part', () => {
    expect(report.actions[0]!.receivedBy['server']!.slice(1).map((r) => r.stack)).toEqual([undefined, undefined, undefined]);
  });
});
