// What the drawing reads from the trace beyond the model's marks: where a flood stopped at a
// VLAN's edge, and a failure that is not a frame's drop (the trap's unanswered ARP), each drawn
// where it happens.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { layoutScenario, NARROW_WIDTH } from '../../src/render/layout.ts';
import { createPlayerModel } from '../../src/widgets/player-model.ts';
import { failuresOf, frameVlan, vlanPalette, vlanStops } from '../../src/widgets/Topology.tsx';

describe('the trap, drawn from its trace', () => {
  const trap = scenarios['one-vlan-per-subnet/trap']!;
  const layout = layoutScenario(trap, undefined, { width: NARROW_WIDTH });

  it("marks p2 and p4, the ports of VLAN 20, where sw1 floods A's request in VLAN 10", () => {
    const model = createPlayerModel(trap);
    const at = () => model.sim.eventsOfStep(model.sim.stepCount);
    model.stepForward();
    expect(vlanStops(at(), layout)).toEqual([]);
    model.stepForward();
    expect(vlanStops(at(), layout)).toEqual([
      { device: 'sw1', port: 'p2', vlan: 10 },
      { device: 'sw1', port: 'p4', vlan: 10 },
    ]);
    model.dispose();
  });

  it("draws A's failure on A when nobody answered its three ARP requests", () => {
    const model = createPlayerModel(trap);
    const seen: string[] = [];
    for (let k = 0; k < 100 && model.canStep.peek(); k++) {
      model.stepForward();
      for (const f of failuresOf(model.sim.eventsOfStep(model.sim.stepCount))) seen.push(`${f.device} ${f.text}`);
    }
    expect(seen).toEqual(['A ✕ ARP failed']);
    model.dispose();
  });

  it("gives VLAN 10 and 20 their colours in order, and reads a frame's VLAN from its tag or its access cable", () => {
    expect([...vlanPalette(layout)]).toEqual([
      [10, 0],
      [20, 1],
    ]);
    const fix = layoutScenario(scenarios['one-vlan-per-subnet/router-on-a-stick']!);
    const trunk = fix.cables.find((c) => c.trunk)!;
    expect(trunk.vlans).toEqual([10, 20]);
    expect(frameVlan(trunk, '[802.1Q VLAN 20] ARP who-has 10.1.20.1? tell 10.1.20.11')).toEqual({ vlan: 20, tagged: true });
    expect(frameVlan(trunk, 'ARP who-has 10.1.20.1? tell 10.1.20.11')).toBeUndefined();
    const access = fix.cables.find((c) => c.a.vlan === 20 || c.b.vlan === 20)!;
    expect(frameVlan(access, 'ARP who-has 10.1.20.1? tell 10.1.20.11')).toEqual({ vlan: 20, tagged: false });
  });
});
