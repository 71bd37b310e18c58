// The drawing of macvlan and ipvlan children (layout.ts drawnLinks): each child is joined to its
// parent's namespace by a dashed link tagged with its mode, in the engine's link order (so a frame
// on it is drawn on it), ending at the parent interface's name; a child in its parent's own
// namespace (the host's own macvlan) is not drawn as a link from a box to itself.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { layoutScenario, WIDE_WIDTH } from '../../src/render/layout.ts';
import { Simulation } from '../../src/sim/engine/simulation.ts';

describe('macvlan and ipvlan children in the drawing', () => {
  it.each([
    ['macvlan-bridge', 'bridge'],
    ['macvlan-vepa', 'vepa'],
    ['ipvlan-l2', 'l2'],
  ] as const)('%s: c1 and c2 are each joined to server by a dashed link tagged "%s", ending at eth0', (design, tag) => {
    const scenario = scenarios[`macvlan-ipvlan-bridge/${design}`]!;
    const layout = layoutScenario(scenario, undefined, { width: WIDE_WIDTH });
    const stacked = layout.cables.filter((c) => c.tagText !== undefined);
    expect(stacked.map((c) => [c.a.device, c.a.port, c.b.device, c.b.text, c.tagText, c.veth])).toEqual([
      ['c1', 'eth0', 'server', 'eth0', tag, true],
      ['c2', 'eth0', 'server', 'eth0', tag, true],
    ]);
    expect(layout.texts.filter((t) => t.kind === 'veth').map((t) => t.text)).toEqual([tag, tag]);
    // The engine's links: the scenario's, then the children's; each is drawn by the cable that shows it.
    const sim = new Simulation(scenario);
    expect(layout.cableOf).toHaveLength(sim.state.links.length);
    expect(stacked.map((c) => c.link)).toEqual([scenario.links.length, scenario.links.length + 1]);
    for (const c of stacked) expect(layout.cableOf[c.link]).toBe(c.index);
  });

  it('the host\'s own macvlan (mv0 on eth0, one namespace) is not drawn as a link from server to itself', () => {
    const scenario = scenarios['macvlan-ipvlan-bridge/macvlan-host-fix']!;
    const layout = layoutScenario(scenario, undefined, { width: WIDE_WIDTH });
    expect(layout.cables.some((c) => c.a.device === c.b.device)).toBe(false);
    expect(layout.cableOf[scenario.links.length]).toBe(-1);
    expect(layout.cables.filter((c) => c.tagText !== undefined).map((c) => c.a.device)).toEqual(['c1', 'c2']);
  });
});
