// Drawing geometry: the scenario's position hints fitted into the viewBox, a circle for devices
// without one, and distinct curves for parallel cables.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { bezierPoint, layoutScenario, markerSpan, pointAlong, travelsForward } from '../../src/render/layout.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;
const loop = scenarios['hub-vs-bridge/loop']!;

describe('layoutScenario', () => {
  it('keeps every device, port name and cable inside the viewBox', () => {
    for (const scenario of Object.values(scenarios)) {
      const layout = layoutScenario(scenario);
      const { x0, y0, width, height } = layout;
      expect(layout.viewBox).toBe(`${x0} ${y0} ${width} ${height}`);
      for (const d of layout.devices) {
        expect(d.x - d.hw, `${scenario.id} ${d.id}`).toBeGreaterThanOrEqual(x0);
        expect(d.x + d.hw).toBeLessThanOrEqual(x0 + width);
        // Room around each device for the ring that marks what it did.
        expect(d.y - d.hh - 5).toBeGreaterThanOrEqual(y0);
        expect(d.y + d.hh).toBeLessThanOrEqual(y0 + height);
      }
      for (const c of layout.cables) {
        for (const end of [c.a, c.b]) {
          expect(end.label.x).toBeGreaterThan(x0);
          expect(end.label.x).toBeLessThan(x0 + width);
          expect(end.label.y).toBeGreaterThan(y0);
          expect(end.label.y).toBeLessThan(y0 + height);
        }
      }
    }
  });

  it('follows the position hints: left stays left, top stays top', () => {
    const layout = layoutScenario(bridge);
    const [A, B, C, br0] = ['A', 'B', 'C', 'br0'].map((id) => layout.device.get(id));
    expect(A!.x).toBeLessThan(br0!.x);
    expect(B!.x).toBeGreaterThan(br0!.x);
    expect(A!.y).toBe(B!.y);
    expect(C!.y).toBeGreaterThan(A!.y);
    expect(br0!.x).toBeCloseTo(layout.x0 + layout.width / 2, -1);
  });

  it('draws the two cables between sw1 and sw2 as two distinct curves', () => {
    const layout = layoutScenario(loop);
    const between = layout.cables.filter((c) => [c.a.device, c.b.device].sort().join() === 'sw1,sw2');
    expect(between).toHaveLength(2);
    const [one, two] = between;
    expect(one!.d).not.toBe(two!.d);
    const mid1 = bezierPoint(one!, 0.5);
    const mid2 = bezierPoint(two!, 0.5);
    expect(Math.abs(mid1.y - mid2.y)).toBeGreaterThan(20);
    // Their port names do not sit on top of each other either.
    expect(one!.a.label).not.toEqual(two!.a.label);
  });

  it('places devices without a position hint on a circle', () => {
    const unplaced: Scenario = {
      ...bridge,
      devices: bridge.devices.map(({ position: _position, ...d }) => d) as Scenario['devices'],
    };
    const layout = layoutScenario(unplaced);
    const xs = layout.devices.map((d) => d.x);
    const ys = layout.devices.map((d) => d.y);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const radii = layout.devices.map((d) => Math.hypot((d.x - cx) / (Math.max(...xs) - cx), (d.y - cy) / (Math.max(...ys) - cy)));
    expect(new Set(layout.devices.map((d) => `${d.x},${d.y}`)).size).toBe(layout.devices.length);
    for (const r of radii) expect(r).toBeGreaterThan(0.5);
  });

  it('moves a frame marker from the sender towards the receiver', () => {
    const layout = layoutScenario(bridge);
    const cable = layout.cables[0]!; // A:eth0 – br0:p1
    expect(travelsForward(cable, 'A', 'eth0')).toBe(true);
    expect(travelsForward(cable, 'br0', 'p1')).toBe(false);
    const { start, end } = markerSpan(cable, true);
    expect(start).toBeLessThan(end);
    const from = pointAlong(cable, true, start);
    const to = pointAlong(cable, true, end);
    const A = layout.device.get('A')!;
    const br0 = layout.device.get('br0')!;
    expect(Math.hypot(from.x - A.x, from.y - A.y)).toBeLessThan(Math.hypot(to.x - A.x, to.y - A.y));
    expect(Math.hypot(to.x - br0.x, to.y - br0.y)).toBeLessThan(Math.hypot(from.x - br0.x, from.y - br0.y));
    const back = pointAlong(cable, false, end);
    expect(Math.hypot(back.x - A.x, back.y - A.y)).toBeLessThan(Math.hypot(back.x - br0.x, back.y - br0.y));
  });
});
