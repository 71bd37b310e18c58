// The validator on the v2 fields: nodes, veth links and bridge net devices inside a namespace, each
// error naming its path and why, on the Docker-like host of the shared design (MODEL-V2.md).

import { describe, expect, it } from 'vitest';
import { SCENARIO_FORMAT, type Scenario } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';

/** Node `server`: namespace `server` (a router) with eth0 up and br0 over veth1, veth2; containers c1, c2 behind it. */
export function dockerHost(): Scenario {
  return {
    format: SCENARIO_FORMAT,
    id: 'docker-host',
    title: 'A Docker-like host',
    devices: [
      {
        id: 'server',
        kind: 'router',
        node: 'server',
        nics: [
          { port: 'eth0', mac: '02:00:00:00:00:01', ip: '192.168.0.2/24' },
          { port: 'veth1', mac: '02:00:00:00:01:01' },
          { port: 'veth2', mac: '02:00:00:00:01:02' },
        ],
        bridges: [{ name: 'br0', mac: '02:00:00:00:00:b0', ip: '10.0.1.1/24', ports: ['veth1', 'veth2'] }],
      },
      { id: 'c1', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: '02:00:00:00:0c:01', ip: '10.0.1.2/24' }], gateway: '10.0.1.1' },
      { id: 'c2', kind: 'host', node: 'server', nics: [{ port: 'eth0', mac: '02:00:00:00:0c:02', ip: '10.0.1.3/24' }], gateway: '10.0.1.1' },
      { id: 'client', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:02', ip: '192.168.0.3/24' }] },
    ],
    links: [
      { a: 'server:veth1', b: 'c1:eth0', type: 'veth' },
      { a: 'server:veth2', b: 'c2:eth0', type: 'veth' },
      { a: 'server:eth0', b: 'client:eth0' },
    ],
    traffic: [{ from: 'c1', do: 'ping', to: 'c2' }],
  };
}

type Draft = Record<string, any>;
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
    ['a veth link to a box', (s: Draft) => (s.devices.push({ id: 'sw', kind: 'bridge', ports: ['p1'] }), s.links.push({ a: 'client:eth1', b: 'sw:p1', type: 'veth' }), s.devices[3].nics.push({ port: 'eth1', mac: '02:00:00:00:00:03' })), 'links[3].b', /a veth pair joins namespaces \(hosts and routers\), and sw is a bridge/],
  ])('rejects %s, naming the path and why', (_name, mutate, path, message) => {
    const input = draft();
    mutate(input);
    const errors = errorsOf(input);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)!.message).toMatch(message);
  });
});
