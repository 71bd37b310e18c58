// A Layout as data: what the server writes beside a player (JSON), so that the browser hydrates
// the drawing it was sent without the layout code (label placement is most of it), which then
// loads with the core when a drawing has to be made anew (an edit, an import, a big topology).

import type { LaidOutDevice, Layout } from './layout';

/** A Layout without its lookups (they are rebuilt from `devices`): plain JSON. */
export type LayoutData = Omit<Layout, 'device' | 'nodeOf' | 'hints'> & { hints: Record<string, Layout['hints'][string]> };

/** Each drawn box by its id, and the box that shows each scenario device (its own, or its group's). */
export function indexDevices(devices: readonly LaidOutDevice[]): Pick<Layout, 'device' | 'nodeOf'> {
  const device = new Map(devices.map((d) => [d.id, d]));
  const nodeOf = new Map<string, LaidOutDevice>();
  // A machine drawn as one box also shows the namespaces it holds.
  for (const d of devices) for (const m of d.members ?? d.holds ?? [d.id]) nodeOf.set(m, d);
  return { device, nodeOf };
}

export function toLayoutData(layout: Layout): LayoutData {
  const { device: _device, nodeOf: _nodeOf, hints, ...rest } = layout;
  return { ...rest, hints: { ...hints } };
}

export function fromLayoutData(data: LayoutData): Layout {
  // Hints are keyed by device id: a prototype-less object, as layoutScenario makes it.
  const hints = Object.assign(Object.create(null) as Record<string, Layout['hints'][string]>, data.hints);
  return { ...data, hints, ...indexDevices(data.devices) };
}
