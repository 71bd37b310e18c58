// The drawing writes each device's addresses under its box, and says its MACs and gateway in its
// title and its focusable spot's name, in the HTML the server sends (before any JavaScript runs).

import { describe, expect, it } from 'vitest';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { scenarios } from '../../src/scenarios/index.ts';
import type { DeviceSpec } from '../../src/sim/scenario/format.ts';
import { deviceAddresses, layoutScenario } from '../../src/render/layout.ts';
import ScenarioPlayer from '../../src/widgets/ScenarioPlayer.tsx';

const players = ['hub-vs-bridge/hub', 'hub-vs-bridge/bridge', 'hub-vs-bridge/shared-segment', 'hub-vs-bridge/two-nics', 'hub-vs-bridge/two-nics-bridged', 'hub-vs-bridge/ageing', 'hub-vs-bridge/loop', 'one-vlan-per-subnet/one-domain', 'one-vlan-per-subnet/partitioned', 'one-vlan-per-subnet/mac-based-vlan', 'one-vlan-per-subnet/port-security', 'one-vlan-per-subnet/trap', 'one-vlan-per-subnet/router-on-a-stick', 'one-vlan-per-subnet/layer3-switch'];

describe('addresses in the drawing', () => {
  for (const id of players) {
    it(`${id}: every address under its device, MACs and gateway in its title and accessible name`, () => {
      const scenario = scenarios[id]!;
      const html = renderToString(h(ScenarioPlayer, { scenario }));
      for (const d of scenario.devices) {
        if (d.kind !== 'host' && d.kind !== 'router') continue;
        const ips = d.nics.flatMap((n) => [...(n.ip ? [n.ip] : []), ...(n.vlans ?? []).map((s) => s.ip)]).concat((d.bridges ?? []).flatMap((b) => [...(b.ip ? [b.ip] : []), ...(b.vlans ?? []).map((s) => s.ip)]));
        const device = new RegExp(`<g class="vp-dev[^"]*"[^>]*data-device="${d.id}"[^>]*>(.*?)</g>`).exec(html)?.[1] ?? '';
        for (const ip of ips) expect(device).toMatch(new RegExp(`<text class="vp-dev-addr"[^>]*>(\\S+ )?${ip.replace(/\./g, '\\.')}</text>`));
        const title = /<title>([^<]*)<\/title>/.exec(device)?.[1] ?? '';
        for (const nic of d.nics) expect(title).toContain(`MAC ${nic.port} ${nic.mac}`);
        if (d.kind === 'host' && d.gateway) expect(title).toContain(`gateway ${d.gateway}`);
        const spot = new RegExp(`<span class="vp-spot" data-spot="${d.id}" tabindex="(?:0|-1)" role="img" aria-label="([^"]*)"`).exec(html)?.[1];
        expect(spot).toBe(title);
      }
    });
  }

  it('adds no Tab stop: the devices\' spots are focused by a tap or a click only (the run controls stay the first Tab stop)', () => {
    const html = renderToString(h(ScenarioPlayer, { scenario: scenarios['hub-vs-bridge/bridge']! }));
    const stops = [...html.matchAll(/<span class="vp-spot" data-spot="([^"]+)" tabindex="(-?\d)"/g)].map((m) => m[2]);
    expect(stops.length).toBeGreaterThan(0);
    expect(new Set(stops)).toEqual(new Set(['-1']));
  });

  it('lists a router\'s several interfaces by name, one line each', () => {
    const layout = layoutScenario(scenarios['one-vlan-per-subnet/router-on-a-stick']!);
    const router = layout.devices.find((d) => d.kind === 'router')!;
    expect(router.addresses).toEqual(['eth0.10 10.1.10.1/24', 'eth0.20 10.1.20.1/24']);
  });

  it('writes a layer-3 switch\'s per-VLAN interfaces (br0.10, br0.20) with their addresses, in its box and its text description', () => {
    const layout = layoutScenario(scenarios['one-vlan-per-subnet/layer3-switch']!);
    const l3 = layout.devices.find((d) => d.id === 'L3')!;
    expect(l3.addresses).toEqual(['br0.10 10.1.10.1/24', 'br0.20 10.1.20.1/24']);
    expect(l3.rows.filter((r) => r.kind === 'address').map((r) => r.text)).toEqual(['br0.10 10.1.10.1/24', 'br0.20 10.1.20.1/24']);
    expect(l3.about).toBe('VLAN-filtering bridge br0 over eth1, eth2, eth3 and eth4, with sub-interfaces br0.10 10.1.10.1/24 and br0.20 10.1.20.1/24');
    // Without the sub-interfaces the box says nothing of the two gateways A and B use.
    const plain = scenarios['one-vlan-per-subnet/layer3-switch']!.devices.find((d) => d.id === 'L3') as Extract<DeviceSpec, { kind: 'router' }>;
    expect(deviceAddresses({ ...plain, bridges: plain.bridges!.map(({ vlans: _, ...b }) => b) })?.addresses).toEqual([]);
  });

  it('writes a bridge box\'s own address, and none for a plain bridge or a hub', () => {
    const layout = layoutScenario(scenarios['hub-vs-bridge/bridge']!);
    for (const d of layout.devices) if (d.kind === 'bridge' || d.kind === 'hub' || d.kind === 'switch') expect(d.addresses).toBeUndefined();
    expect(deviceAddresses({ id: 'br0', kind: 'bridge', ports: ['p1'], local: { mac: '02:00:00:00:00:b0', ip: '10.0.0.1/24' } })).toEqual({ addresses: ['10.0.0.1/24'], details: ['MAC br0 02:00:00:00:00:b0'] });
  });
});
