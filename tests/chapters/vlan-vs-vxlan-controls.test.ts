// Chapter "VLAN vs VXLAN": the claims of the variants the reader switches its players between
// (learning on/off × flood list/static entries, the port mismatch, the MTU blackhole's two fixes),
// asserted on the variants as the page builds them (src/scenarios/vxlan-variants.ts) from the
// chapter's own scenarios. If the prose or a button's line changes, this file changes with it.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index';
import { runVariant, variant, variantExperiments, variantFacts, variantOutcome, variantScenario, VXLAN_VARIANTS } from '../../src/scenarios/vxlan-variants';
import { vxlanFdb } from '../../src/sim/tables';
import type { HostState } from '../../src/sim/devices/host/state';

const VM1 = '02:00:00:00:0a:01';
const VM2 = '02:00:00:00:0a:02';
const ZERO = '00:00:00:00:00:00';

/** The (device, reason) of every event of `reasons` in a variant's run, in order. */
function events(id: string, ...reasons: string[]) {
  return runVariant(id)
    .sim.trace.filter((e) => reasons.includes(e.reason))
    .map((e) => [e.device, e.reason, e.frame === undefined ? '' : e.frame.slice(0, 6).join(':')]);
}

describe('the variants are the chapter’s scenarios with one change each', () => {
  it('every variant is valid, has its own id, and the page’s JSON holds every one of them', () => {
    const all = variantExperiments();
    expect(Object.keys(all)).toEqual(VXLAN_VARIANTS.map((v) => v.id));
    expect(new Set(Object.keys(all)).size).toBe(VXLAN_VARIANTS.length);
    for (const v of VXLAN_VARIANTS) expect(all[v.id]!.id).toBe(v.id);
  });

  it('the chapter’s own static-fdb and mtu are choices as they are, so the reader can come back to them', () => {
    expect(variantScenario(variant('vlan-vs-vxlan/static-fdb'))).toBe(scenarios['vlan-vs-vxlan/static-fdb']);
    expect(variantScenario(variant('vlan-vs-vxlan/mtu'))).toBe(scenarios['vlan-vs-vxlan/mtu']);
  });

  it('the control-plane variants differ from static-fdb only in vxlan0’s learning and FDB', () => {
    const base = scenarios['vlan-vs-vxlan/static-fdb']!;
    const strip = (s: typeof base) =>
      JSON.stringify({ ...s, id: '', title: '', description: '', devices: s.devices.map((d) => (d.kind === 'host' && d.vxlans ? { ...d, vxlans: d.vxlans.map((x) => ({ ...x, learning: undefined, fdb: undefined })) } : d)) });
    for (const v of VXLAN_VARIANTS.filter((v) => v.group === 'control')) expect(strip(variantScenario(v))).toBe(strip(base));
  });
});

describe('A control plane instead: learning on/off × flood list/static entries', () => {
  it('learning on, flood list: only the ARP request floods, and each VTEP learns the other VM from the first frame it gets', () => {
    expect(events('vlan-vs-vxlan/control/learn-flood', 'vxlan-flood').map(([d]) => d)).toEqual(['vtep1']);
    const fdb = (vtep: string) => vxlanFdb(runVariant('vlan-vs-vxlan/control/learn-flood').sim.state, vtep, 'vxlan0')!;
    expect(fdb('vtep2').find((r) => r.mac === VM1)?.dst).toBe('192.168.1.1');
    expect(fdb('vtep1').find((r) => r.mac === VM2)?.dst).toBe('192.168.2.1');
    expect(variantFacts('vlan-vs-vxlan/control/learn-flood')).toMatchObject({ answered: 2, floods: 1, learned: 2 });
  });

  it('learning off, flood list: everything arrives, nothing is learned, every frame floods (the request, the reply, the unicast)', () => {
    const floods = events('vlan-vs-vxlan/control/nolearn-flood', 'vxlan-flood');
    expect(floods.map(([d]) => d)).toEqual(['vtep1', 'vtep2', 'vtep1']);
    expect(variantFacts('vlan-vs-vxlan/control/nolearn-flood')).toMatchObject({ answered: 2, actions: 2, floods: 3, learned: 0 });
    for (const vtep of ['vtep1', 'vtep2']) expect(vxlanFdb(runVariant('vlan-vs-vxlan/control/nolearn-flood').sim.state, vtep, 'vxlan0')!.map((r) => r.mac)).toEqual([ZERO]);
  });

  it('static entries, learning on or off: nothing floods, the ARP request is dropped either way, nothing is learned, the unicast crosses', () => {
    for (const id of ['vlan-vs-vxlan/control/learn-static', 'vlan-vs-vxlan/static-fdb']) {
      expect(variantFacts(id)).toMatchObject({ floods: 0, learned: 0, noRemote: 3 });
      const { report } = runVariant(id);
      expect(report.actions.map((a) => a.outcome)).toEqual(['failed', 'ok']);
      expect(report.actions[1]!.deliveredTo).toContain('vm2');
    }
  });

  it('each button states its run: floods, entries learned, ARP requests dropped', () => {
    expect(variantOutcome('vlan-vs-vxlan/control/learn-flood')).toBe('1 frame flooded, 2 entries learned');
    expect(variantOutcome('vlan-vs-vxlan/control/nolearn-flood')).toBe('3 frames flooded, 0 entries learned');
    expect(variantOutcome('vlan-vs-vxlan/static-fdb')).toBe('0 frames flooded, 0 entries learned, 3 ARP requests dropped');
  });
});

describe('Port 8472 or 4789: the two-VTEP experiment with VTEP 2 on 4789', () => {
  it('VM 1’s ARP requests are flooded to VTEP 2, whose stack answers each with ICMP port unreachable to VTEP 1; neither ping is answered', () => {
    const floods = events('vlan-vs-vxlan/port/mismatch', 'vxlan-flood');
    const unreachable = events('vlan-vs-vxlan/port/mismatch', 'udp-port-unreachable');
    expect(floods.length).toBe(3);
    expect(unreachable.map(([d]) => d)).toEqual(['vtep2', 'vtep2', 'vtep2']);
    expect(events('vlan-vs-vxlan/port/mismatch', 'icmp-error').map(([d]) => d)).toEqual(['vtep1', 'vtep1', 'vtep1']);
    expect(events('vlan-vs-vxlan/port/mismatch', 'vxlan-decap')).toEqual([]);
    expect(runVariant('vlan-vs-vxlan/port/mismatch').report.actions.map((a) => a.outcome)).toEqual(['failed', 'failed']);
    expect(variantOutcome('vlan-vs-vxlan/port/mismatch')).toBe('0 of 2 pings answered; 3 ICMP errors (port unreachable) to VTEP 1');
  });

  it('both on 4789: the same pings cross, to port 4789', () => {
    const { sim, report } = runVariant('vlan-vs-vxlan/port/both-4789');
    expect(report.actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    const outer = sim.trace.find((e) => e.kind === 'transmit' && e.device === 'vtep1' && e.port === 'eth0' && e.frame![23] === 17)!.frame!;
    expect((outer[36]! << 8) | outer[37]!).toBe(4789);
    expect(variantOutcome('vlan-vs-vxlan/port/both-4789')).toBe('2 of 2 pings answered');
  });
});

describe('The MTU blackhole and its two fixes', () => {
  it('the blackhole: br0 drops the big frame on its way into vxlan0', () => {
    expect(events('vlan-vs-vxlan/mtu', 'frame-too-big').map(([d]) => d)).toEqual(['vtep1']);
    expect(runVariant('vlan-vs-vxlan/mtu').report.actions.map((a) => a.outcome)).toEqual(['ok', 'failed']);
    // The scenario's description: a 1,514-byte frame, where vxlan0's 1450 lets through frames of up to 1,468 bytes.
    const drop = runVariant('vlan-vs-vxlan/mtu').sim.trace.find((e) => e.reason === 'frame-too-big')!;
    expect([drop.frame!.length, drop.port]).toEqual([1514, 'vxlan0']);
    expect(drop.text).toContain('the MTU there is 1450, so the port takes frames of at most 1468 bytes');
  });

  it('fix 1, underlay 1550: vxlan0’s MTU is 1500, the big frame fits, and VTEP 1’s outer packet is exactly 1,550 bytes', () => {
    const { sim, report } = runVariant('vlan-vs-vxlan/mtu/underlay-1550');
    expect(report.actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    expect(sim.trace.filter((e) => e.reason === 'frame-too-big' || e.reason === 'ip-fragment-queued')).toEqual([]);
    const vtep1 = sim.state.devices.get('vtep1') as HostState;
    expect(vtep1.nics.find((n) => n.name === 'vxlan0')!.mtu).toBe(1500);
    const lengths = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'vtep1' && e.port === 'eth0' && e.frame![23] === 17).map((e) => (e.frame![16]! << 8) | e.frame![17]!);
    expect(Math.max(...lengths)).toBe(1550);
  });

  it('fix 2, VMs at 1450: VM 1 splits the big ping into two fragments, VM 2 puts them back together, and the reply crosses the same way', () => {
    const { sim, report } = runVariant('vlan-vs-vxlan/mtu/inner-1450');
    expect(report.actions.map((a) => a.outcome)).toEqual(['ok', 'ok']);
    expect(sim.trace.filter((e) => e.reason === 'frame-too-big')).toEqual([]);
    const bigRequest = report.actions[1]!.id;
    const fragmentsSent = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'vm1' && e.actionId === bigRequest && e.frame![12] === 8 && e.frame![13] === 0);
    expect(fragmentsSent.length).toBe(2);
    expect(events('vlan-vs-vxlan/mtu/inner-1450', 'ip-reassembled').map(([d]) => d)).toEqual(['vm2', 'vm1']);
    expect(variantOutcome('vlan-vs-vxlan/mtu/inner-1450')).toBe('big ping answered, in fragments');
    expect(variantOutcome('vlan-vs-vxlan/mtu/underlay-1550')).toBe('big ping answered, outer packet 1550 bytes');
  });
});

describe('the page wires each group of buttons to its own player', () => {
  const mdx = readFileSync(fileURLToPath(new URL('../../content/chapters/vlan-vs-vxlan.mdx', import.meta.url)), 'utf8');
  const groups = [...mdx.matchAll(/<VxlanChoices group="(\w+)" player="([\w-]+)" label="[^"]+" shown="([^"]+)" \/>\s*<ScenarioPlayer client:visible scenario=\{([^}]+)\} chooser=\{\{ name: '([\w-]+)', url: variants \}\} \/>/g)];

  it('three groups, each right before the player it loads into, which first shows the variant its pressed button names', () => {
    expect(groups.map((g) => g[1])).toEqual(['control', 'mtu', 'port']);
    for (const [, group, player, shown, scenarioExpr, chooser] of groups) {
      expect(chooser, group).toBe(player);
      const first = scenarioExpr!.match(/scenarios\['([^']+)'\]|variant\('([^']+)'\)/)!;
      expect(first[1] ?? first[2], group).toBe(shown);
      expect(variant(shown!).group).toBe(group);
    }
    expect(mdx).toMatch(/export const variants = '\/experiments\/vlan-vs-vxlan\.json';/);
  });
});
