// The drawing never lies and never breaks: positions that are not finite or absurdly large never
// reach the SVG as NaN or Infinity; names that are Object.prototype members are just names; a big
// topology draws its hosts in groups, and every link and device still has a place in the drawing.

import { describe, expect, it } from 'vitest';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { GROUP_FROM, layoutScenario } from '../../src/render/layout.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { describeTopology, Topology } from '../../src/widgets/Topology.tsx';
import { manyHosts, prototypeNames } from './big-and-odd.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;

/** Every number written into the drawing's geometry. */
function numbersOf(layout: ReturnType<typeof layoutScenario>): number[] {
  const fromPath = (d: string) => (d.match(/[-+0-9.eE]+|NaN|Infinity/g) ?? []).map(Number);
  return [
    ...layout.viewBox.split(' ').map(Number),
    ...layout.devices.flatMap((d) => [d.x, d.y, d.hw, d.hh]),
    ...layout.cables.flatMap((c) => [...fromPath(c.d), c.a.label.x, c.a.label.y, c.b.label.x, c.b.label.y, c.a.port0.x, c.b.port0.y, c.length]),
  ];
}

describe('layout guards: odd positions', () => {
  const odd: [string, unknown][] = [
    ['1e308', 1e308],
    ['-1e308', -1e308],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['NaN', NaN],
    ['a string', '12'],
    ['null', null],
  ];
  for (const [name, value] of odd) {
    it(`keeps the viewBox and every path finite when a position is ${name}`, () => {
      const scenario = structuredClone(bridge) as Scenario;
      (scenario.devices[0] as { position: unknown }).position = { x: value, y: 10 };
      (scenario.devices[1] as { position: unknown }).position = { x: 5, y: value };
      const layout = layoutScenario(scenario);
      const numbers = numbersOf(layout);
      expect(numbers.length).toBeGreaterThan(20);
      expect(numbers.every(Number.isFinite), `non-finite number in ${layout.viewBox} / ${layout.cables[0]!.d}`).toBe(true);
      expect(layout.width).toBeGreaterThan(0);
      expect(layout.height).toBeGreaterThan(0);
      const svg = renderToString(h(Topology, { layout, title: 't', flights: [], marks: [], version: 0, lastMove: 'none', duration: 0, selected: null, onSelect: () => {}, name: (id: string) => id }));
      expect(svg).not.toMatch(/NaN|Infinity/);
    });
  }

  it('keeps far-apart but finite positions apart, scaled into a drawing of normal size', () => {
    const scenario = structuredClone(bridge) as Scenario;
    scenario.devices.forEach((d, i) => (d.position = { x: i * 1e5, y: (i % 2) * 1e5 }));
    const layout = layoutScenario(scenario);
    expect(numbersOf(layout).every(Number.isFinite)).toBe(true);
    expect(layout.width).toBeLessThan(5000);
    const xs = layout.devices.map((d) => d.x);
    expect(new Set(xs).size).toBe(xs.length);
  });
});

describe('layout: names that are Object.prototype members', () => {
  it('draws devices named constructor, __proto__ and toString with ports toString and valueOf', () => {
    const scenario = prototypeNames();
    const layout = layoutScenario(scenario);
    expect([...layout.device.keys()]).toEqual(['toString', 'constructor', '__proto__']);
    expect(layout.nodeOf.get('__proto__')?.id).toBe('__proto__');
    expect(Object.keys(layout.hints)).toEqual(['toString', 'constructor', '__proto__']);
    expect(layout.hints['__proto__']).toEqual(expect.objectContaining({ x: expect.any(Number) }));
    // Only the free port of the bridge is listed as free: "toString" and "valueOf" have cables.
    expect(layout.device.get('toString')!.freePorts).toEqual(['hasOwnProperty']);
    const svg = renderToString(h(Topology, { layout, title: 'Prototype names', flights: [], marks: [{ device: '__proto__', mark: 'received', text: 'got it' }], version: 0, lastMove: 'none', duration: 0, selected: null, onSelect: () => {}, name: (id: string) => id }));
    expect(svg).toContain('data-device="__proto__"');
    expect(svg).toContain('data-device="constructor"');
    expect(svg).toContain('>toString<');
    expect(svg).toContain('↓ received');
  });
});

describe('layout: a big topology', () => {
  const scenario = manyHosts(600, 3);
  const layout = layoutScenario(scenario);

  it(`draws the hosts of each bridge as one group box once there are more than ${GROUP_FROM} devices`, () => {
    expect(layout.devices.map((d) => d.label)).toEqual(['br0', '200 hosts', 'br1', '200 hosts', 'br2', '200 hosts']);
    expect(layout.grouped).toBe(600);
    // Every device is shown by some box, every link by some cable.
    for (const d of scenario.devices) expect(layout.nodeOf.get(d.id), d.id).toBeDefined();
    expect(layout.cableOf.every((c) => c >= 0 && c < layout.cables.length)).toBe(true);
    expect(layout.cables).toHaveLength(2 + 3);
    const bundle = layout.cables.find((c) => c.link < 0)!;
    expect(bundle.links).toHaveLength(200);
    expect(bundle.b.text).toBe('200 ports');
  });

  it('says in its text description that hosts are drawn in groups, and names no more than a bounded number', () => {
    const text = describeTopology(layout, scenario.title, (id) => id);
    expect(text).toContain('600 hosts are drawn in groups');
    expect(text).toContain('a group of 200 hosts cabled to br0');
    expect(text.length).toBeLessThan(2000);
  });

  it('keeps a small topology as it was: one box per device', () => {
    const small = layoutScenario(bridge);
    expect(small.grouped).toBe(0);
    expect(small.devices.map((d) => d.id)).toEqual(bridge.devices.map((d) => d.id));
    expect(small.cableOf).toEqual(bridge.links.map((_, i) => i));
  });
});
