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

export interface AnatomyRow {
  /** Byte offsets in the frame, first and last (inclusive). */
  from: number;
  to: number;
  layer: string;
  /** The header's bytes in hex, as on the wire. */
  hex: string;
  /** What the bytes say, read from them. */
  reads: string;
}

export interface VxlanAnatomy {
  /** The device and port that sent the frame, and what the frame carried. */
  sentBy: string;
  port: string;
  rows: AnatomyRow[];
  /** The whole frame's length, the inner frame's, and the difference: the encapsulation's cost. */
  outerLength: number;
  innerLength: number;
  overhead: number;
}

const hexOf = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const macAt = (bytes: Uint8Array, at: number) => Array.from(bytes.subarray(at, at + 6), (b) => b.toString(16).padStart(2, '0')).join(':');
const ipAt = (bytes: Uint8Array, at: number) => Array.from(bytes.subarray(at, at + 4)).join('.');
const u16 = (bytes: Uint8Array, at: number) => (bytes[at]! << 8) | bytes[at + 1]!;

/**
 * The first VXLAN packet a scenario puts on a cable, taken apart layer by layer from its bytes: the
 * outer Ethernet header, then IPv4 (its IHL gives its length), UDP (whose destination port is one of
 * the VXLAN ports), the VXLAN header and the inner frame. Offsets are counted, not assumed.
 */
export function vxlanAnatomy(id: string): VxlanAnatomy {
  const { sim } = runExperiment(id);
  for (const event of sim.trace) {
    if (event.kind !== 'transmit' || !event.frame) continue;
    const f = event.frame;
    if (f.length < 14 || u16(f, 12) !== 0x0800) continue;
    const ihl = (f[14]! & 0x0f) * 4;
    if (f[14 + 9] !== 17) continue;
    const udp = 14 + ihl;
    const dport = u16(f, udp + 2);
    if (dport !== 8472 && dport !== 4789) continue;
    const vx = udp + 8;
    const inner = vx + 8;
    const innerLength = u16(f, 14 + 2) - ihl - 8 - 8;
    const vni = (f[vx + 4]! << 16) | (f[vx + 5]! << 8) | f[vx + 6]!;
    const rows: AnatomyRow[] = [
      { from: 0, to: 13, layer: 'Outer Ethernet', hex: hexOf(f.subarray(0, 14)), reads: `to ${macAt(f, 0)}, from ${macAt(f, 6)}, EtherType 0x${u16(f, 12).toString(16).padStart(4, '0')} (IPv4)` },
      { from: 14, to: udp - 1, layer: 'Outer IPv4', hex: hexOf(f.subarray(14, udp)), reads: `from ${ipAt(f, 26)} to ${ipAt(f, 30)}, protocol ${f[23]} (UDP), TTL ${f[22]}, ${(f[20]! & 0x40) !== 0 ? 'DF set' : 'DF clear'}` },
      { from: udp, to: vx - 1, layer: 'UDP', hex: hexOf(f.subarray(udp, vx)), reads: `source port ${u16(f, udp)}, destination port ${dport}, checksum ${u16(f, udp + 6) === 0 ? '0 (not computed)' : `0x${u16(f, udp + 6).toString(16)}`}` },
      { from: vx, to: inner - 1, layer: 'VXLAN', hex: hexOf(f.subarray(vx, inner)), reads: `flags 0x${f[vx]!.toString(16).padStart(2, '0')} (VNI valid), VNI ${vni}, reserved bytes ${[f[vx + 1], f[vx + 2], f[vx + 3], f[vx + 7]].every((b) => b === 0) ? 'zero' : 'not zero'}` },
      { from: inner, to: inner + innerLength - 1, layer: 'Inner frame', hex: hexOf(f.subarray(inner, inner + 14)) + ' …', reads: `to ${macAt(f, inner)}, from ${macAt(f, inner + 6)}, EtherType 0x${u16(f, inner + 12).toString(16).padStart(4, '0')}: the VM's frame as it sent it, ${innerLength} bytes, no FCS` },
    ];
    const outerLength = inner + innerLength;
    return { sentBy: event.device, port: event.port!, rows, outerLength, innerLength, overhead: outerLength - innerLength };
  }
  throw new Error(`${id} puts no VXLAN packet on a cable`);
}
