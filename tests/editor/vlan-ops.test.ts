// Editing the kinds chapter 2 adds: VLAN-aware switches (access and trunk ports, MAC-based VLANs)
// and routers (sub-interfaces, static routes). The editor only rewrites the document; the
// validator's messages land on the fields, and the core runs what is valid.

import { describe, expect, it } from 'vitest';
import { fieldIssues, issuesAt } from '../../src/editor/issues.ts';
import * as ops from '../../src/editor/ops.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';
import { hostsReached } from './run.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;
const errorsOf = (s: Scenario) => fieldIssues(validateScenario(s)).errors;

/** The bridge experiment on a switch, with C and D moved to VLAN 20. */
function twoVlans(): Scenario {
  let s = ops.changeKind(bridge, 'br0', 'switch');
  s = ops.setField(s, ['devices', 4, 'ports', 2, 'vlan'], 20);
  s = ops.setField(s, ['devices', 4, 'ports', 3, 'vlan'], 20);
  return s;
}

describe('switch and router edits', () => {
  it('a bridge becomes a switch with the same ports (as access ports) and its ageing time; back again drops the VLANs', () => {
    const aged = ops.setField(bridge, ['devices', 4, 'ageingTime'], 30);
    const sw = ops.changeKind(aged, 'br0', 'switch');
    expect(sw.devices[4]).toEqual({ id: 'br0', kind: 'switch', label: 'br0', ports: [{ port: 'p1' }, { port: 'p2' }, { port: 'p3' }, { port: 'p4' }], ageingTime: 30, position: { x: 300, y: 180 } });
    expect(validateScenario(sw).ok).toBe(true);
    expect(ops.changeKind(twoVlans(), 'br0', 'bridge').devices[4]).toEqual({ ...bridge.devices[4] });
    expect(ops.changeKind(sw, 'br0', 'hub').devices[4]).not.toHaveProperty('ageingTime');
  });

  it('moving C and D to VLAN 20 cuts them off from A: the core decides, from the edited document', () => {
    const s = twoVlans();
    expect(validateScenario(s).ok).toBe(true);
    // "A pings C" (action 3): on one VLAN C answers; on two VLANs nothing of it reaches C.
    expect(hostsReached(bridge, 3)).toContain('C');
    expect(hostsReached(s, 3)).not.toContain('C');
  });

  it('a VLAN ID outside 1–4094 is an error on its field, in words', () => {
    const s = ops.setField(twoVlans(), ['devices', 4, 'ports', 2, 'vlan'], 4095);
    expect(issuesAt(errorsOf(s), 'devices[4].ports[2].vlan')).toEqual(['expected a VLAN ID from 1 to 4094 (0 and 4095 are reserved), got 4095']);
  });

  it('switching a port to trunk keeps its VLAN as a tagged one and drops what a trunk does not have', () => {
    const s = ops.setPortMode(twoVlans(), 'br0', 2, 'trunk');
    expect(s.devices[4]).toMatchObject({ ports: { 2: { port: 'p3', mode: 'trunk', vlans: [20] } } });
    expect((s.devices[4] as { ports: object[] }).ports[2]).not.toHaveProperty('vlan');
    expect(validateScenario(s).ok).toBe(true);
    const native = ops.setField(s, ['devices', 4, 'ports', 2, 'native'], 1);
    const back = ops.setPortMode(native, 'br0', 2, 'access');
    expect((back.devices[4] as { ports: object[] }).ports[2]).toEqual({ port: 'p3' });
    const empty = ops.setField(s, ['devices', 4, 'ports', 2, 'vlans'], ops.listOrText(''));
    expect(issuesAt(errorsOf(empty), 'devices[4].ports[2].vlans')).toEqual(['trunk port p3 carries no VLAN: list at least one in "vlans" or set "native"']);
  });

  it('VLAN lists are typed as text: numbers become numbers, the rest stays for the validator', () => {
    expect(ops.listOrText('10, 20 30')).toEqual([10, 20, 30]);
    expect(ops.listOrText('10, ten')).toEqual([10, 'ten']);
    expect(ops.listOrText(' , ')).toBeUndefined();
  });

  it('adds a router with two NICs, a sub-interface and a route; the validator checks the next hop', () => {
    const added = ops.addDevice(bridge, 'router');
    expect(added.id).toBe('r1');
    const r = added.scenario.devices.at(-1)!;
    expect(r).toMatchObject({ kind: 'router', nics: [{ port: 'eth0', mac: '02:00:00:00:00:01' }, { port: 'eth1', mac: '02:00:00:00:00:02' }] });
    let s = ops.setField(added.scenario, ['devices', 5, 'nics', 0, 'ip'], '10.0.0.1/24');
    s = ops.addListItem(s, ['devices', 5, 'nics', 1, 'vlans'], { vlan: 10, ip: '10.0.10.1/24' });
    s = ops.addListItem(s, ['devices', 5, 'routes'], { to: '10.9.0.0/16', via: '10.0.0.254' });
    expect(validateScenario(s).ok).toBe(true);
    const far = ops.setField(s, ['devices', 5, 'routes', 0, 'via'], '192.168.1.1');
    expect(issuesAt(errorsOf(far), 'devices[5].routes[0].via')).toEqual(["the next hop 192.168.1.1 must be inside the subnet of one of r1's interfaces (Linux refuses an unreachable next hop)"]);
    const twice = ops.addListItem(s, ['devices', 5, 'nics', 1, 'vlans'], { vlan: 10, ip: '10.0.11.1/24' });
    expect(issuesAt(errorsOf(twice), 'devices[5].nics[1].vlans[1].vlan')).toEqual(['eth1 already has a sub-interface for VLAN 10 (eth1.10)']);
  });

  it('a new switch has four access ports, and MAC-based VLAN rules are list items', () => {
    const added = ops.addDevice(bridge, 'switch');
    expect(added.scenario.devices.at(-1)).toMatchObject({ id: 'sw1', kind: 'switch', ports: [{ port: 'p1' }, { port: 'p2' }, { port: 'p3' }, { port: 'p4' }] });
    const s = ops.addListItem(added.scenario, ['devices', 5, 'macVlans'], { mac: '02:00:00:00:00:0a', vlan: 10 });
    expect(validateScenario(s).ok).toBe(true);
    expect(ops.removeListItem(s, ['devices', 5, 'macVlans'], 0).devices[5]).not.toHaveProperty('macVlans');
  });
});

describe('renaming a port of a VLAN-filtering bridge', () => {
  it("renames the port in the bridge's VLAN entries too, so the layer-3 switch still validates and reaches the same hosts", () => {
    const l3 = scenarios['one-vlan-per-subnet/layer3-switch']!;
    const index = l3.devices.findIndex((d) => d.id === 'L3');
    const device = l3.devices[index]!;
    if (device.kind !== 'host' && device.kind !== 'router') throw new Error('L3 is a namespace with a bridge');
    const renamed = ops.renamePort(l3, 'L3', device.nics.findIndex((n) => n.port === 'eth1'), 'swp1');
    const after = renamed.devices[index]!;
    if (after.kind !== 'host' && after.kind !== 'router') throw new Error('unreachable');
    const br0 = after.bridges![0]!;
    expect(br0.ports).toContain('swp1');
    expect(br0.bridgeVlans!.filter((e) => e.dev === 'swp1')).toEqual([{ dev: 'swp1', vid: 10, pvid: true, untagged: true }]);
    expect(br0.bridgeVlans!.some((e) => e.dev === 'eth1')).toBe(false);
    expect([...errorsOf(renamed)]).toEqual([]);
    for (let i = 0; i < l3.traffic.length; i++) expect(hostsReached(renamed, i), `action ${i}`).toEqual(hostsReached(l3, i));
  });
});
