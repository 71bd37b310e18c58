// Facts of chapter "VLAN vs VXLAN" read from runs of its scenarios, shared by the chapter's
// build-time tables (src/components/experiments/StretchedTrunkTable.astro) and its unit tests.

import type { LinkSpec } from '../sim/scenario/format';
import { decodeEthernetFrame, readVlanTag } from '../sim/wire/ethernet';
import { runExperiment } from './experiments';

export interface CableCrossing {
  /** "server1:eth0 → tor1:p1", in the direction of A's first frame. */
  link: LinkSpec;
  label: string;
  /** Frames of the run that crossed the link, both ways. */
  frames: number;
  /** …of which carried an 802.1Q tag, and its VLAN IDs. */
  tagged: number;
  vlans: number[];
  /** Every MAC address seen as a source or destination on it (broadcast left out). */
  macs: string[];
}

/**
 * For every link of a scenario, in the order the scenario lists them: what crossed it during the
 * run, read from the transmit events (each crossing is one transmit at one end).
 */
export function cableCrossings(id: string): CableCrossing[] {
  const { sim } = runExperiment(id);
  const links = sim.scenario.links;
  const byEnd = new Map<string, number>();
  links.forEach((link, i) => {
    byEnd.set(link.a, i);
    byEnd.set(link.b, i);
  });
  const rows = links.map((link): CableCrossing & { macSet: Set<string>; vlanSet: Set<number> } => ({
    link,
    label: `${sim.name(link.a.split(':')[0]!)} ${link.a.split(':')[1]} – ${sim.name(link.b.split(':')[0]!)} ${link.b.split(':')[1]}`,
    frames: 0,
    tagged: 0,
    vlans: [],
    macs: [],
    macSet: new Set(),
    vlanSet: new Set(),
  }));
  for (const event of sim.trace) {
    if (event.kind !== 'transmit' || !event.frame || event.port === undefined) continue;
    const i = byEnd.get(`${event.device}:${event.port}`);
    if (i === undefined) continue;
    const row = rows[i]!;
    row.frames += 1;
    const tag = readVlanTag(event.frame);
    if (tag) {
      row.tagged += 1;
      row.vlanSet.add(tag.vid);
    }
    const frame = decodeEthernetFrame(event.frame);
    for (const mac of [frame.source, frame.destination]) if (mac !== 'ff:ff:ff:ff:ff:ff') row.macSet.add(mac);
  }
  return rows.map(({ macSet, vlanSet, ...row }) => ({ ...row, macs: [...macSet].sort(), vlans: [...vlanSet].sort((x, y) => x - y) }));
}
