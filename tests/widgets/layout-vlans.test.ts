// The drawing says which VLAN each switch port is in, which cable is a trunk, and which
// sub-interfaces a router's NIC has: in short beside the port, in words in the description.

import { describe, expect, it } from 'vitest';
import { layoutScenario, portVlans } from '../../src/render/layout';
import { scenario } from '../../src/scenarios/index';

describe('VLANs in the drawing', () => {
  it('labels access ports, the trunk and the router’s sub-interfaces in the router-on-a-stick experiment', () => {
    const layout = layoutScenario(scenario('one-vlan-per-subnet/router-on-a-stick'));
    const ends = layout.cables.flatMap((c) => [c.a, c.b]).map((e) => [e.text, e.about ?? null]);
    expect(ends).toContainEqual(['p1 v10', 'access port in VLAN 10']);
    expect(ends).toContainEqual(['p2 v20', 'access port in VLAN 20']);
    expect(ends).toContainEqual(['p5 trunk', 'trunk carrying VLANs 10 and 20 tagged']);
    expect(ends).toContainEqual(['eth0 .10 .20', 'sub-interfaces eth0.10 and eth0.20']);
    expect(ends).toContainEqual(['eth0', null]);
    expect(layout.cables.filter((c) => c.trunk)).toHaveLength(1);
  });

  it('says nothing about VLANs where there are none (a plain bridge)', () => {
    const layout = layoutScenario(scenario('hub-vs-bridge/bridge'));
    expect(layout.cables.every((c) => c.a.text === c.a.port && c.b.text === c.b.port && !c.trunk)).toBe(true);
  });

  it('names a native VLAN and a default access VLAN', () => {
    const sw = { id: 'sw', kind: 'switch' as const, ports: [{ port: 'p1' }, { port: 'p9', mode: 'trunk' as const, vlans: [10], native: 1 }] };
    expect(portVlans(sw, 'p1')).toEqual({ text: 'v1', about: 'access port in VLAN 1', trunk: false, vlans: [1], access: 1 });
    expect(portVlans(sw, 'p9')).toEqual({ text: 'trunk', about: 'trunk carrying VLAN 10 tagged, VLAN 1 untagged (native)', trunk: true, vlans: [1, 10] });
  });

  it('labels a VLAN-filtering bridge\'s ports by their bridge vlan entries, as a switch\'s (the layer-3 switch: eth1 and eth3 in VLAN 10, eth2 and eth4 in 20), and colours their cables', () => {
    const layout = layoutScenario(scenario('one-vlan-per-subnet/layer3-switch'));
    const ends = layout.cables.flatMap((c) => [c.a, c.b]).map((e) => [e.text, e.about ?? null]);
    for (const [port, vid] of [['eth1', 10], ['eth2', 20], ['eth3', 10], ['eth4', 20]] as const) expect(ends).toContainEqual([`${port} v${vid}`, `access port in VLAN ${vid}`]);
    expect(layout.cables.map((c) => c.vlans)).toEqual([[10], [20], [10], [20]]);
    // A port with several entries is a trunk; one with none, or a bridge that does not filter, says nothing.
    const l3 = scenario('one-vlan-per-subnet/layer3-switch').devices.find((d) => d.id === 'L3')!;
    if (l3.kind !== 'router') throw new Error('L3 is a router');
    const br0 = l3.bridges![0]!;
    const trunked = { ...l3, bridges: [{ ...br0, bridgeVlans: [...br0.bridgeVlans!, { dev: 'eth1', vid: 20 }] }] };
    expect(portVlans(trunked, 'eth1')).toEqual({ text: 'trunk', about: 'trunk carrying VLAN 20 tagged, VLAN 10 untagged (PVID 10)', trunk: true, vlans: [10, 20] });
    expect(portVlans({ ...l3, bridges: [{ ...br0, bridgeVlans: br0.bridgeVlans!.filter((e) => e.dev !== 'eth1') }] }, 'eth1')).toBeUndefined();
    expect(portVlans({ ...l3, bridges: [{ ...br0, vlanFiltering: false }] }, 'eth1')).toBeUndefined();
  });
});
