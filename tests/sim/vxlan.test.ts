// The VXLAN device (src/sim/devices/host/vxlan.ts) on the chapter's scenarios and variants of
// them: the bytes it puts on the underlay, the flood list's copies, learning and ageing, static
// entries, nolearning, an unknown VNI, a port mismatch, the MTU blackhole and both of its fixes, an
// inner 802.1Q tag, and the format's checks.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import type { HostSpec, Scenario, TrafficAction, VxlanSpec } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { vxlanFdb } from '../../src/sim/tables';
import type { TraceEvent } from '../../src/sim/trace';
import { decodeEthernetFrame, decodeIpv4Packet, decodeUdpDatagram, decodeVxlanPacket, ETHERTYPE_VLAN, IP_PROTOCOL_UDP } from '../../src/sim/wire';

const VM1 = '02:00:00:00:0a:01';
const VM2 = '02:00:00:00:0a:02';

type Edit = (devices: Record<string, HostSpec>, scenario: Scenario) => void;

/** A chapter scenario, changed by `edit` and given `traffic`, validated again. */
function variant(id: string, traffic: TrafficAction[] | null, edit: Edit = () => {}): Scenario {
  const scenario = structuredClone(scenarios[id]!) as Scenario;
  if (traffic) scenario.traffic = traffic;
  edit(Object.fromEntries(scenario.devices.map((d) => [d.id, d as HostSpec])), scenario);
  const result = validateScenario(scenario);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.scenario;
}

function run(scenario: Scenario): Simulation {
  const sim = new Simulation(scenario);
  sim.run();
  return sim;
}

const vx = (devices: Record<string, HostSpec>, id: string): VxlanSpec => devices[id]!.vxlans![0]!;
const outcomes = (sim: Simulation) => buildReport(sim).actions.map((a) => a.outcome);
const events = (sim: Simulation, reason: string, device?: string): TraceEvent[] => sim.trace.filter((e) => e.reason === reason && (device === undefined || e.device === device));
/** The frames `device` put on the wire of `port`. */
const sent = (sim: Simulation, device: string, port: string): Uint8Array[] => sim.trace.filter((e) => e.kind === 'transmit' && e.device === device && e.port === port).map((e) => e.frame!);
const isVxlan = (frame: Uint8Array): boolean => {
  const ethernet = decodeEthernetFrame(frame);
  return ethernet.etherType === 0x0800 && decodeIpv4Packet(ethernet.payload).protocol === IP_PROTOCOL_UDP;
};
const fdbOf = (sim: Simulation, device: string) => vxlanFdb(sim.state, device, 'vxlan0')!.map((r) => `${r.mac} ${r.dst} ${r.origin}`);
const PING: TrafficAction = { from: 'vm1', do: 'ping', to: 'vm2', at: 0 };

describe('VXLAN on the underlay: the bytes vtep1 sends for VM 1’s first ARP request', () => {
  const sim = run(variant('vlan-vs-vxlan/two-vteps', [PING]));
  const arp = sent(sim, 'vm1', 'eth0')[0]!;
  const outer = sent(sim, 'vtep1', 'eth0').find(isVxlan)!;
  const ethernet = decodeEthernetFrame(outer);
  const ip = decodeIpv4Packet(ethernet.payload);
  const udp = decodeUdpDatagram(ip.payload, ip);

  it('an Ethernet frame from vtep1’s eth0 to the router (the next hop), then IPv4 with TTL 64 and DF clear, 192.168.1.1 → 192.168.2.1', () => {
    expect([ethernet.source, ethernet.destination, ethernet.etherType]).toEqual(['02:00:00:00:01:01', '02:00:00:00:00:f1', 0x0800]);
    expect({ ttl: ip.ttl, df: ip.dontFragment, mf: ip.moreFragments, protocol: ip.protocol, source: ip.source, destination: ip.destination, tos: ip.dscp * 4 + ip.ecn, valid: ip.checksumValid })
      .toEqual({ ttl: 64, df: false, mf: false, protocol: 17, source: '192.168.1.1', destination: '192.168.2.1', tos: 0, valid: true });
  });

  it('UDP to port 8472 from a port in 32768–60998, with a checksum that verifies', () => {
    expect(udp.destinationPort).toBe(8472);
    expect(udp.sourcePort).toBeGreaterThanOrEqual(32768);
    expect(udp.sourcePort).toBeLessThan(60999);
    expect([udp.checksumPresent, udp.checksumValid]).toEqual([true, true]);
  });

  it('the VXLAN header 08 00 00 00 00 00 2a 00 (VNI 42) and the inner frame as VM 1 sent it, 42 bytes, no FCS: 92 bytes in all', () => {
    expect(Buffer.from(udp.payload.subarray(0, 8)).toString('hex')).toBe('0800000000002a00');
    expect(Buffer.from(udp.payload.subarray(8))).toEqual(Buffer.from(arp));
    expect([arp.length, ip.totalLength, outer.length]).toEqual([42, 78, 92]);
  });

  it('with "udpcsum": false (noudpcsum) the checksum field is 0', () => {
    const plain = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => (vx(d, 'vtep1').udpcsum = false)));
    const frame = sent(plain, 'vtep1', 'eth0').find(isVxlan)!;
    const packet = decodeIpv4Packet(decodeEthernetFrame(frame).payload);
    expect(decodeUdpDatagram(packet.payload, packet).checksum).toBe(0);
  });

  it('a VTEP gives a flow one outer source port whichever way it goes; another seed (another boot secret), another port', () => {
    const ports = (s: Simulation, device: string) => sent(s, device, 'eth0').filter(isVxlan).map((f) => decodeUdpDatagram(decodeIpv4Packet(decodeEthernetFrame(f).payload).payload, { source: '0.0.0.0', destination: '0.0.0.0' }).sourcePort);
    // VM 1 pings VM 2, then VM 2 pings VM 1: vtep1 wraps an echo request, later an echo reply, of one flow.
    const both = run(variant('vlan-vs-vxlan/two-vteps', [PING, { from: 'vm2', do: 'ping', to: 'vm1', at: 1000 }]));
    const [arpRequest, echoRequest, echoReply] = ports(both, 'vtep1');
    expect(echoReply).toBe(echoRequest);
    expect(arpRequest).not.toBe(echoRequest);
    const other = new Simulation(variant('vlan-vs-vxlan/two-vteps', [PING]), { seed: 99 });
    other.run();
    expect(ports(other, 'vtep1')).not.toEqual(ports(sim, 'vtep1'));
  });
});

describe('flood and learn (two-vteps)', () => {
  const sim = run(scenarios['vlan-vs-vxlan/two-vteps']!);

  it('both pings are answered', () => {
    expect(outcomes(sim)).toEqual(['ok', 'ok']);
  });

  it('the ARP broadcast goes to the flood list (the all-zeros entry’s one remote), the echo request to the learned entry', () => {
    const flood = events(sim, 'vxlan-flood', 'vtep1');
    expect(flood.map((e) => e.args)).toEqual([expect.objectContaining({ mac: 'ff:ff:ff:ff:ff:ff', remotes: ['192.168.2.1'], why: 'broadcast' })]);
    expect(events(sim, 'vxlan-fdb-hit', 'vtep1').map((e) => (e.args as { mac: string }).mac)).toEqual([VM2, VM2]);
    expect(events(sim, 'vxlan-flood', 'vtep1')[0]!.text).toMatch(/all-zeros entry/);
  });

  it('each VTEP learns the other VM behind the other VTEP’s address (vxlan_snoop), once, then only refreshes', () => {
    expect(events(sim, 'vxlan-fdb-learn').map((e) => `${e.device} ${(e.args as { mac: string }).mac} ${(e.args as { remote: string }).remote}`)).toEqual([`vtep2 ${VM1} 192.168.1.1`, `vtep1 ${VM2} 192.168.2.1`]);
    expect(fdbOf(sim, 'vtep1')).toEqual(['00:00:00:00:00:00 192.168.2.1 static', `${VM2} 192.168.2.1 learned`]);
    expect(fdbOf(sim, 'vtep2')).toEqual(['00:00:00:00:00:00 192.168.1.1 static', `${VM1} 192.168.1.1 learned`]);
    expect(events(sim, 'vxlan-fdb-refresh').length).toBeGreaterThan(0);
  });

  it('the bridge learns the remote VM on its vxlan0 port; the underlay router never sees a VM’s MAC', () => {
    expect(sim.trace.some((e) => e.device === 'vtep1' && e.reason === 'fdb-learn' && e.port === 'vxlan0')).toBe(true);
    const spineSaw = sim.trace.filter((e) => e.device === 'spine' && e.kind === 'receive').map((e) => decodeEthernetFrame(e.frame!).source);
    expect(spineSaw.length).toBeGreaterThan(0);
    expect(spineSaw).not.toContain(VM1);
    expect(spineSaw).not.toContain(VM2);
  });

  it('two remotes in the flood list: two copies of the broadcast, the first remote’s last (head-end replication as vxlan_xmit orders it); one copy of the unicast', () => {
    const both = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => vx(d, 'vtep1').fdb!.push({ mac: '00:00:00:00:00:00', dst: '192.168.2.77' })));
    // The ARP request (flooded: two copies), then the echo request (a learned entry: one).
    expect(events(both, 'vxlan-encap', 'vtep1').map((e) => (e.args as { remote: string }).remote)).toEqual(['192.168.2.77', '192.168.2.1', '192.168.2.1']);
    expect(outcomes(both)).toEqual(['ok']);
  });

  it('no all-zeros entry: a broadcast is dropped at vxlan0 with its reason (no remote)', () => {
    const none = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => delete vx(d, 'vtep1').fdb));
    expect(events(none, 'vxlan-no-remote', 'vtep1')).toHaveLength(3);
    expect(events(none, 'vxlan-no-remote', 'vtep1')[0]!.text).toMatch(/no all-zeros entry/);
    expect(sent(none, 'vtep1', 'eth0')).toEqual([]);
    expect(outcomes(none)).toEqual(['failed']);
  });
});

describe('ageing, static entries and nolearning', () => {
  it('a learned entry is forgotten `ageing` seconds after its last use, and the next frame for it floods again', () => {
    const traffic: TrafficAction[] = [PING, { from: 'vm1', do: 'ping', to: 'vm2', at: 20_000 }];
    const sim = run(variant('vlan-vs-vxlan/two-vteps', traffic, (d) => (vx(d, 'vtep1').ageing = 10)));
    const aged = events(sim, 'vxlan-fdb-aged', 'vtep1');
    expect(aged.map((e) => (e.args as { mac: string }).mac)).toEqual([VM2]);
    // Swept when the next frame passes: the echo request reaches vtep1 1 ms after VM 1 sends it.
    expect(aged[0]!.time).toBe(20_001);
    // The bridge (300 s) still knows VM 2 behind vxlan0; vxlan0 no longer knows its VTEP: the echo request floods.
    expect(events(sim, 'vxlan-flood', 'vtep1').filter((e) => e.time >= 20_000).map((e) => (e.args as { why: string }).why)).toEqual(['unknown']);
    expect(outcomes(sim)).toEqual(['ok', 'ok']);
  });

  it('a learned entry in use does not age: refreshed by every frame sent to or heard from it', () => {
    const traffic: TrafficAction[] = [PING, { from: 'vm1', do: 'ping', to: 'vm2', at: 8000 }, { from: 'vm1', do: 'ping', to: 'vm2', at: 16_000 }];
    const sim = run(variant('vlan-vs-vxlan/two-vteps', traffic, (d) => (vx(d, 'vtep1').ageing = 10)));
    expect(events(sim, 'vxlan-fdb-aged')).toEqual([]);
    expect(fdbOf(sim, 'vtep1')).toContain(`${VM2} 192.168.2.1 learned`);
  });

  it('a static entry never moves: a frame from its MAC arriving from another VTEP is dropped (vxlan_snoop)', () => {
    const sim = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => vx(d, 'vtep2').fdb!.push({ mac: VM1, dst: '192.168.1.99' })));
    const conflict = events(sim, 'vxlan-static-conflict', 'vtep2');
    expect(conflict).toHaveLength(3);
    expect(conflict[0]!.text).toMatch(/never moves a static entry/);
    expect(fdbOf(sim, 'vtep2')).toContain(`${VM1} 192.168.1.99 static`);
    expect(outcomes(sim)).toEqual(['failed']);
  });

  it('learning off: nothing is learned, and with a flood list every frame, unicast too, goes to the flood list', () => {
    const sim = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => {
      vx(d, 'vtep1').learning = false;
      vx(d, 'vtep2').learning = false;
    }));
    expect(outcomes(sim)).toEqual(['ok']);
    expect(events(sim, 'vxlan-fdb-learn')).toEqual([]);
    expect(events(sim, 'vxlan-fdb-hit')).toEqual([]);
    expect(events(sim, 'vxlan-flood', 'vtep1').map((e) => (e.args as { why: string }).why)).toEqual(['broadcast', 'unknown']);
    expect(fdbOf(sim, 'vtep1')).toEqual(['00:00:00:00:00:00 192.168.2.1 static']);
  });

  it('static-fdb: learning off and static entries: the broadcast goes nowhere, the unicast crosses by its entry, nothing floods', () => {
    const sim = run(scenarios['vlan-vs-vxlan/static-fdb']!);
    expect(outcomes(sim)).toEqual(['failed', 'ok']);
    expect(events(sim, 'vxlan-flood')).toEqual([]);
    expect(events(sim, 'vxlan-no-remote', 'vtep1')).toHaveLength(3);
    expect(events(sim, 'vxlan-fdb-hit', 'vtep1').map((e) => (e.args as { remote: string }).remote)).toEqual(['192.168.2.1']);
    expect(sim.trace.some((e) => e.device === 'vm2' && e.reason === 'raw-delivered')).toBe(true);
    expect(fdbOf(sim, 'vtep2')).toEqual([`${VM1} 192.168.1.1 static`]);
  });
});

describe('what a VTEP drops on receive', () => {
  it('an unknown VNI: the VXLAN socket takes the datagram and drops it, and tells no one', () => {
    const sim = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => (vx(d, 'vtep2').vni = 43)));
    const drops = events(sim, 'vxlan-unknown-vni', 'vtep2');
    expect(drops).toHaveLength(3);
    expect(drops[0]!.text).toMatch(/no VXLAN device here has VNI 42 \(only 43\)/);
    expect(sent(sim, 'vtep2', 'eth0').filter((f) => decodeEthernetFrame(f).etherType === 0x0800)).toEqual([]);
    expect(outcomes(sim)).toEqual(['failed']);
  });

  it('a port mismatch (8472 against 4789): the receiver has no socket on 8472 and answers ICMP port unreachable', () => {
    const sim = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => (vx(d, 'vtep2').dstport = 4789)));
    const unreachable = events(sim, 'udp-port-unreachable', 'vtep2');
    expect(unreachable).toHaveLength(3);
    expect(unreachable[0]!.text).toMatch(/no socket on UDP port 8472/);
    expect(sim.trace.some((e) => e.device === 'vtep1' && e.reason === 'icmp-error')).toBe(true);
    expect(events(sim, 'vxlan-decap')).toEqual([]);
    expect(outcomes(sim)).toEqual(['failed']);
  });

  it('both on 4789 (IANA’s port): it works again', () => {
    const sim = run(variant('vlan-vs-vxlan/two-vteps', [PING], (d) => {
      vx(d, 'vtep1').dstport = 4789;
      vx(d, 'vtep2').dstport = 4789;
    }));
    expect(outcomes(sim)).toEqual(['ok']);
  });
});

describe('MTU: small pings work, big ones vanish, and both fixes', () => {
  const BIG: TrafficAction = { from: 'vm1', do: 'ping', to: 'vm2', size: 1472, at: 0 };

  it('vxlan0’s MTU is the underlay’s minus 50; the bridge drops the 1,514-byte frame at vxlan0 and tells no one', () => {
    const sim = run(scenarios['vlan-vs-vxlan/mtu']!);
    expect(outcomes(sim)).toEqual(['ok', 'failed']);
    const drop = events(sim, 'frame-too-big', 'vtep1');
    expect(drop.map((e) => [e.port, e.frame!.length])).toEqual([['vxlan0', 1514]]);
    expect(drop[0]!.text).toMatch(/the MTU there is 1450/);
    // Nobody is told: no ICMP goes back to VM 1.
    expect(sim.trace.filter((e) => e.device === 'vm1' && e.reason === 'icmp-error')).toEqual([]);
  });

  it('fix 1: an underlay MTU of 1550 gives vxlan0 1500, and the big ping crosses in one 1,564-byte outer frame', () => {
    const sim = run(variant('vlan-vs-vxlan/mtu', [BIG], (d) => {
      for (const id of ['vtep1', 'vtep2', 'spine']) for (const nic of d[id]!.nics) if (nic.port.startsWith('eth')) nic.mtu = 1550;
    }));
    expect(outcomes(sim)).toEqual(['ok']);
    expect(Math.max(...sent(sim, 'vtep1', 'eth0').map((f) => f.length))).toBe(1564);
  });

  it('fix 2: VMs at MTU 1450 fragment the big ping themselves, and every piece fits', () => {
    const sim = run(variant('vlan-vs-vxlan/mtu', [BIG], (d) => {
      for (const id of ['vm1', 'vm2']) d[id]!.nics[0]!.mtu = 1450;
    }));
    expect(outcomes(sim)).toEqual(['ok']);
    expect(events(sim, 'frame-too-big')).toEqual([]);
  });

  it('without `dev` the device keeps Linux’s 1500: with DF the device answers "fragmentation needed" itself (skb_tunnel_check_pmtu); VM 1 then fragments to 1450, and without DF the outer packet leaves in fragments', () => {
    const sim = run(variant('vlan-vs-vxlan/mtu', [BIG, { ...BIG, at: 1000 }, { ...BIG, mtuDiscovery: 'dont', at: 2000 }], (d) => {
      delete vx(d, 'vtep1').dev;
      delete vx(d, 'vtep2').dev;
    }));
    expect(buildReport(sim).actions.map((a) => [a.outcome, a.result])).toEqual([['failed', 'From 10.0.0.2: Frag needed and DF set (mtu = 1450).'], ['ok', expect.stringMatching(/^Reply/)], ['ok', expect.stringMatching(/^Reply/)]]);
    const reply = events(sim, 'vxlan-frag-needed-reply', 'vtep1');
    expect(reply).toHaveLength(1);
    // 576 bytes of IPv4: the ICMP error and as much of the packet as fits, from 10.0.0.2's MAC to VM 1's.
    expect(reply[0]!.frame!.length).toBe(14 + 576);
    expect(decodeEthernetFrame(reply[0]!.frame!).source).toBe(VM2);
    expect(events(sim, 'frame-too-big')).toEqual([]);
  });
});

describe('an inner 802.1Q tag, and a VXLAN interface with an address', () => {
  it('a tagged frame crosses with its tag inside the VXLAN packet (Linux keeps it: vlan_hwaccel_push_inside)', () => {
    const sim = run(variant('vlan-vs-vxlan/two-vteps', [{ from: 'vm1', do: 'ping', to: '10.0.10.2', at: 0 }], (d) => {
      d['vm1']!.nics[0]!.vlans = [{ vlan: 10, ip: '10.0.10.1/24' }];
      d['vm2']!.nics[0]!.vlans = [{ vlan: 10, ip: '10.0.10.2/24' }];
    }));
    expect(outcomes(sim)).toEqual(['ok']);
    const outer = sent(sim, 'vtep1', 'eth0').find(isVxlan)!;
    const packet = decodeIpv4Packet(decodeEthernetFrame(outer).payload);
    const inner = decodeVxlanPacket(decodeUdpDatagram(packet.payload, packet).payload).frame;
    expect(inner.length).toBeGreaterThan(14);
    expect((inner[12]! << 8) | inner[13]!).toBe(ETHERTYPE_VLAN);
  });

  it('vxlan0 with its own address (no bridge): the namespaces ping each other over the overlay', () => {
    const scenario = variant('vlan-vs-vxlan/two-vteps', [{ from: 'vtep1', do: 'ping', to: '10.9.0.2', at: 0 }], (d, s) => {
      for (const [id, n] of [['vtep1', 1], ['vtep2', 2]] as const) {
        delete d[id]!.bridges;
        vx(d, id).ip = `10.9.0.${n}/24`;
        d[id]!.nics = d[id]!.nics.filter((nic) => nic.port === 'eth0');
      }
      s.devices = s.devices.filter((dev) => dev.id !== 'vm1' && dev.id !== 'vm2');
      s.links = s.links.filter((link) => link.type !== 'veth');
    });
    const sim = run(scenario);
    expect(outcomes(sim)).toEqual(['ok']);
    expect(fdbOf(sim, 'vtep1')).toContain('02:00:00:00:0e:02 192.168.2.1 learned');
  });
});

describe('the format’s checks', () => {
  const errors = (edit: Edit): string[] => {
    const scenario = structuredClone(scenarios['vlan-vs-vxlan/two-vteps']!) as Scenario;
    edit(Object.fromEntries(scenario.devices.map((d) => [d.id, d as HostSpec])), scenario);
    const result = validateScenario(scenario);
    return result.ok ? result.warnings.map((w) => `warning ${w.path}: ${w.message}`) : result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it.each([
    ['a VNI of 2^24', (d: Record<string, HostSpec>) => (vx(d, 'vtep1').vni = 16_777_216), /devices\[1\]\.vxlans\[0\]\.vni: expected a VNI \(VXLAN network identifier\): a whole number from 0 to 16,777,215, got 16777216/],
    ['a local address that is not the namespace’s', (d: Record<string, HostSpec>) => (vx(d, 'vtep1').local = '192.168.1.9'), /vxlans\[0\]\.local: 192\.168\.1\.9 is not an address of vtep1/],
    ['a dev that does not exist', (d: Record<string, HostSpec>) => (vx(d, 'vtep1').dev = 'eth7'), /vxlans\[0\]\.dev: vtep1 has no interface "eth7"/],
    ['a unicast MAC with two remotes', (d: Record<string, HostSpec>) => vx(d, 'vtep1').fdb!.push({ mac: VM2, dst: '192.168.2.1' }, { mac: VM2, dst: '192.168.2.2' }), /fdb\[2\]\.mac: 02:00:00:00:0a:02 already goes to 192\.168\.2\.1 on vxlan0: a unicast MAC has one remote VTEP/],
    ['the same flood-list line twice', (d: Record<string, HostSpec>) => vx(d, 'vtep1').fdb!.push({ mac: '00:00:00:00:00:00', dst: '192.168.2.1' }), /File exists/],
    ['a remote that is a multicast group', (d: Record<string, HostSpec>) => vx(d, 'vtep1').fdb!.push({ mac: '00:00:00:00:00:00', dst: '239.1.1.1' }), /multicast groups are not modelled/],
    ['two devices with one VNI and port', (d: Record<string, HostSpec>) => d['vtep1']!.vxlans!.push({ ...vx(d, 'vtep1'), name: 'vxlan1', mac: '02:00:00:00:0e:09' }), /vxlans\[1\]\.vni: vxlan0 already has VNI 42 on UDP port 8472/],
    ['a name taken by a bridge', (d: Record<string, HostSpec>) => (vx(d, 'vtep1').name = 'br0'), /vxlans\[0\]\.name: vtep1 already has an interface called br0/],
    ['an address on a bridge port', (d: Record<string, HostSpec>) => (vx(d, 'vtep1').ip = '10.9.0.1/24'), /vxlans\[0\]\.ip: vxlan0 is a port of bridge br0 and cannot have an address/],
    ['a link to a VXLAN device', (_d: Record<string, HostSpec>, s: Scenario) => (s.links[2]!.a = 'vtep1:vxlan0'), /links\[2\]\.a: vxlan0 is a VXLAN device in vtep1, not a NIC/],
    ['an MTU above what dev allows (Linux lowers it)', (d: Record<string, HostSpec>) => (vx(d, 'vtep1').mtu = 1500), /warning devices\[1\]\.vxlans\[0\]\.mtu: vxlan0 cannot have an MTU of 1500 over eth0 \(MTU 1500\).*Linux lowers it to 1450/],
  ] as const)('refuses %s, by field', (_what, edit, message) => {
    expect(errors(edit as Edit).join('\n')).toMatch(message);
  });

  it('accepts VNI 5,000,000, which no VLAN ID could be', () => {
    expect(errors((d) => (vx(d, 'vtep1').vni = 5_000_000))).toEqual([]);
  });
});
