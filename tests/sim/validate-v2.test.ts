// The validator on the v2 fields: nodes, veth links and bridge net devices inside a namespace, each
// error naming its path and why, on the Docker-like host of the shared design (MODEL-V2.md).

import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/sim/scenario/validate';
import { dockerHostScenario } from '../../src/scenarios/docker-host';

type Draft = Record<string, any>;
/** The Docker-like host (src/scenarios/docker-host.ts) with one action, c1 pings c2. */
const dockerHost = () => dockerHostScenario([{ from: 'c1', do: 'ping', to: 'c2' }]);
const draft = (): Draft => structuredClone(dockerHost()) as unknown as Draft;

function errorsOf(input: unknown) {
  const result = validateScenario(input);
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.errors;
}

describe('scenario validation of nodes, veth links and bridge net devices', () => {
  it('accepts the Docker-like host and keeps every v2 field', () => {
    const result = validateScenario(dockerHost());
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(result.scenario.devices[0]).toMatchObject({ node: 'server', bridges: [{ name: 'br0', ip: '10.0.1.1/24', ports: ['veth1', 'veth2'] }] });
    expect(result.scenario.links.map((link) => link.type)).toEqual(['veth', 'veth', undefined]);
  });

  it.each([
    ['a node that is not a name', (s: Draft) => (s.devices[1].node = 'my server'), 'devices[1].node', /expected a name of 1–32 letters/],
    ['a link type that does not exist', (s: Draft) => (s.links[0].type = 'wifi'), 'links[0].type', /expected "type" to be "cable" or "veth", got "wifi"/],
    ['a bridge without ports', (s: Draft) => delete s.devices[0].bridges[0].ports, 'devices[0].bridges[0].ports', /missing field "ports"/],
    ['a bridge with a bad MAC', (s: Draft) => (s.devices[0].bridges[0].mac = 'b0'), 'devices[0].bridges[0].mac', /expected a MAC address/],
    ['a bridge with a bad address', (s: Draft) => (s.devices[0].bridges[0].ip = '10.0.1.1'), 'devices[0].bridges[0].ip', /expected an IPv4 address with prefix length/],
    ['a bridge named like a NIC', (s: Draft) => (s.devices[0].bridges[0].name = 'eth0'), 'devices[0].bridges[0].name', /server already has an interface called eth0 \(NIC eth0\)/],
    ['a bridge port that is no NIC of the device', (s: Draft) => s.devices[0].bridges[0].ports.push('veth9'), 'devices[0].bridges[0].ports[2]', /server has no NIC "veth9" to put in bridge br0/],
    ['a NIC in two bridges', (s: Draft) => s.devices[0].bridges.push({ name: 'br1', mac: '02:00:00:00:00:b1', ports: ['veth2'] }), 'devices[0].bridges[1].ports[0]', /veth2 is already a port of bridge br0; a NIC is in at most one bridge/],
    ['a bridged NIC with an address', (s: Draft) => (s.devices[0].nics[1].ip = '10.0.1.9/24'), 'devices[0].nics[1].ip', /veth1 is a port of bridge br0 and cannot have an address: its frames go to bridge br0/],
    ['a bridged NIC with sub-interfaces', (s: Draft) => (s.devices[0].nics[2].vlans = [{ vlan: 10, ip: '10.0.10.1/24' }]), 'devices[0].nics[2].vlans', /veth2 is a port of bridge br0 and cannot have sub-interfaces/],
    ['a veth link to another machine', (s: Draft) => delete s.devices[2].node, 'links[1].type', /a veth pair lives inside one machine, so both ends need the same "node": server is on node server, c2 is a machine of its own/],
    ['a bridge with a group MAC', (s: Draft) => (s.devices[0].bridges[0].mac = '01:00:5e:00:00:01'), 'devices[0].bridges[0].mac', /01:00:5e:00:00:01 is a group \(multicast\) address: Linux refuses it for bridge br0 \(EADDRNOTAVAIL\)/],
    ['a bridge with an all-zero MAC', (s: Draft) => (s.devices[0].bridges[0].mac = '00:00:00:00:00:00'), 'devices[0].bridges[0].mac', /is all zeros: Linux refuses it for bridge br0/],
    ['too many bridges', (s: Draft) => (s.devices[0].bridges = Array.from({ length: 17 }, (_, k) => ({ name: `br${k}`, mac: '02:00:00:00:00:b0', ports: [] }))), 'devices[0].bridges', /^expected at most 16 bridges, got 17$/],
    ['a bridge of too many ports', (s: Draft) => (s.devices[0].bridges[0].ports = Array.from({ length: 33 }, (_, k) => `veth${k}`)), 'devices[0].bridges[0].ports', /^expected at most 32 bridge ports, got 33$/],
    ['a route via no interface', (s: Draft) => (s.devices[0].routes = [{ to: '10.9.0.0/16', via: '10.0.2.1' }]), 'devices[0].routes[0].via', /the next hop 10\.0\.2\.1 must be inside the subnet of one of server's interfaces/],
    ['a link to the bridge itself', (s: Draft) => (s.links[2].a = 'server:br0'), 'links[2].a', /^br0 is a bridge in server, not a NIC: a link goes to a NIC, so join one of its ports \(veth1, veth2\) or add a NIC to it$/],
    ['a ping to a namespace whose bridge has no address', (s: Draft) => (delete s.devices[0].bridges[0].ip, delete s.devices[0].nics[0].ip, s.traffic.push({ from: 'c1', do: 'ping', to: 'server' })), 'traffic[1].to', /^server has no IPv4 address to ping$/],
    ['a cable on a veth end', (s: Draft) => s.links.push({ a: 'c1:eth0', b: 'outside:eth0' }), 'links[3].a', /^port c1:eth0 already has a veth pair \(links\[0\]\); a port takes one link, a cable or a veth pair$/],
    ['a veth link to a box', (s: Draft) => (s.devices.push({ id: 'sw', kind: 'bridge', ports: ['p1'] }), s.links.push({ a: 'outside:eth1', b: 'sw:p1', type: 'veth' }), s.devices[3].nics.push({ port: 'eth1', mac: '02:00:00:00:00:03' })), 'links[3].b', /a veth pair joins namespaces \(hosts and routers\), and sw is a bridge/],
  ])('rejects %s, naming the path and why', (_name, mutate, path, message) => {
    const input = draft();
    mutate(input);
    const errors = errorsOf(input);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)!.message).toMatch(message);
  });

  it('takes a bridge address as an interface address: a route via it, traffic to and from a namespace whose only address it is', () => {
    const input = draft();
    input['devices'][0].routes = [{ to: '10.9.0.0/16', via: '10.0.1.254' }];
    // A host whose one address is on its bridge (br0 over eth0): its gateway is on-link through br0, it pings, and is pinged by name.
    input['devices'].push({
      id: 'vm',
      kind: 'host',
      nics: [{ port: 'eth0', mac: '02:00:00:00:0e:01' }],
      bridges: [{ name: 'br0', mac: '02:00:00:00:0e:b0', ip: '192.168.0.9/24', ports: ['eth0'] }],
      gateway: '192.168.0.2',
    });
    input['traffic'].push({ from: 'vm', do: 'ping', to: 'c1' }, { from: 'c2', do: 'udp', to: 'vm', port: 53 });
    const result = validateScenario(input);
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
  });

  it('a gateway must be on-link through some interface, a bridge included', () => {
    const input = draft();
    input['devices'][1].gateway = '10.0.3.1';
    expect(errorsOf(input)).toEqual([{ path: 'devices[1].gateway', message: "the gateway 10.0.3.1 must be inside the subnet of one of c1's interfaces (Linux refuses an unreachable gateway)" }]);
    const own = draft();
    own['devices'][0].kind = 'host';
    own['devices'][0].gateway = '10.0.1.1';
    const result = validateScenario(own);
    expect(result.ok && result.warnings.map((w) => w.path)).toEqual(['devices[0].gateway']);
  });

  it('warns of a bridge address or MAC used elsewhere, but not of a bridge that takes one of its own ports\' MACs (Linux\'s default)', () => {
    const input = draft();
    input['devices'][1].nics[0].ip = '10.0.1.1/24';
    input['devices'][1].gateway = '10.0.1.254';
    input['devices'][0].bridges[0].mac = input['devices'][0].nics[1].mac;
    let result = validateScenario(input);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([{ path: 'devices[1].nics[0].ip', message: "10.0.1.1 is also used by server:br0: both will answer ARP for it; the first answer wins and a second one within 1 s is ignored (Linux's ARP locktime)" }]);
    input['devices'][0].bridges[0].mac = input['devices'][0].nics[0].mac;
    result = validateScenario(input);
    expect(result.warnings.map((w) => w.path)).toEqual(['devices[0].bridges[0].mac', 'devices[1].nics[0].ip']);
    expect(result.warnings[0]!.message).toMatch(/^02:00:00:00:00:01 is also used by server:eth0/);
  });

  it('lets a veth pair join two NICs of one namespace, as Linux does', () => {
    const input = draft();
    input['devices'][3].nics.push({ port: 'v0', mac: '02:00:00:00:00:e0' }, { port: 'v1', mac: '02:00:00:00:00:e1' });
    input['links'].push({ a: 'outside:v0', b: 'outside:v1', type: 'veth' });
    const result = validateScenario(input);
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
  });
});
