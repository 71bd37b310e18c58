// The drawings a player hydrates from travel as JSON (layout-data.ts): what the browser rebuilds
// from the text must be the layout the server drew, lookups included, for every chapter player.

import { describe, expect, it } from 'vitest';
import { NARROW_WIDTH } from '../../src/render/geometry';
import { layoutScenario } from '../../src/render/layout';
import { fromLayoutData, toLayoutData } from '../../src/render/layout-data';
import { scenarios } from '../../src/scenarios/index';

describe('a layout as JSON', () => {
  it.each(Object.keys(scenarios))('%s: both drawings come back from their text as they were laid out', (id) => {
    for (const layout of [layoutScenario(scenarios[id]!), layoutScenario(scenarios[id]!, undefined, { width: NARROW_WIDTH })]) {
      const revived = fromLayoutData(JSON.parse(JSON.stringify(toLayoutData(layout))));
      expect(revived).toEqual(layout);
      // The lookups point into the revived devices, not at copies of them.
      for (const [key, device] of revived.nodeOf) expect(revived.devices, key).toContain(device);
      expect(Object.getPrototypeOf(revived.hints)).toBeNull();
    }
  });
});
