// Fits a scenario's topology into an SVG viewBox: devices where the scenario's `position` hints
// put them (scaled to fit), on a circle when a hint is missing; every cable a cubic Bézier, so
// that several cables between the same two devices are drawn as distinct curves. A big topology
// (more than GROUP_FROM devices) draws the hosts that hang off one device as a single group box
// ("500 hosts") joined to it by one bundled cable: a drawing of 2,000 boxes is unreadable and slow,
// and the log, the tables and the editor still name every host. Namespaces of one node (a machine)
// are drawn together inside an outlined, labelled box; a namespace's bridge devices are written
// inside its box ("br0", its address among the address rows); a veth link is marked so that it is drawn apart from a cable.
// Pure geometry: no DOM, no
// networking; every lookup by a user's name goes through a Map, and every number that reaches
// the SVG is finite, whatever positions a caller passes.

import { bezierPoint, freeY, GROUP_FROM, MARGIN, markerSpan, pointAlong, round, WIDE_WIDTH, type Curve } from './geometry';
import { indexDevices } from './layout-data';

// What the page uses without the layout code lives in geometry.ts; layout.ts re-exports it.
export { bezierPoint, freeY, GROUP_FROM, markerSpan, NARROW_WIDTH, pointAlong, toHint, travelsForward, WIDE_WIDTH } from './geometry';
import type { DeviceKind, DeviceSpec, LinkSpec, Scenario } from '../sim/scenario/format';
import { devicePorts, splitEndpoint, stackedLinks } from '../sim/scenario/format';
import { formatCount, MAX_COORDINATE } from '../sim/scenario/limits';

export interface Point {
  x: number;
  y: number;
}

export interface LaidOutDevice {
  /** The device's id; a group's is "group:" and the id of the device its hosts hang off (":" is never in a device id). */
  id: string;
  label: string;
  kind: DeviceKind;
  x: number;
  y: number;
  /** Half width and half height of the device's box. */
  hw: number;
  hh: number;
  /** Ports with no cable, listed under the device. */
  freePorts: string[];
  /** A group box: the hosts it stands for, in scenario order. */
  members?: string[];
  /** A machine drawn as one box (a drawing too dense for its width): its own namespace's id, then the namespaces inside it, whose veth pairs to it are not drawn. */
  holds?: string[];
  /** The node (machine) this namespace belongs to. */
  node?: string;
  /** Written inside the box under the name: the namespace's bridge devices by name ("br0"; their addresses are among `addresses`). */
  lines?: string[];
  /** The bridge devices in words, for the drawing's text description ("bridge br0 10.0.1.1/24 over veth1 and veth2"). */
  about?: string;
  /** Written inside the box under its name (and its bridge lines), one line each: its IPv4 addresses with prefix ("10.0.0.1/24"; "eth0.10 10.1.10.1/24" when it has several). */
  addresses?: string[];
  /** Shown on hover or focus, one line each: its MACs and its gateway ("MAC eth0 02:00:00:00:00:0a", "gateway 10.0.0.254"). */
  details?: string[];
  /** Where what it did in the latest step is written ("⇉ flooded"): the box's last row, kept for it (y from the box's centre). */
  badgeY: number;
  /** What is written inside the box, one row each: its name, its bridge lines, its addresses (y from the box's centre). */
  rows: DeviceRow[];
}

/** One line written inside a device's box, centred on (0, y) from the box's centre. */
export interface DeviceRow {
  kind: 'name' | 'line' | 'address';
  text: string;
  y: number;
  /** Font size in viewBox units. */
  size: number;
}

/** The outline around the namespaces of one node: top-left corner, size, and its name written above it. */
export interface LaidOutNode {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The namespaces it holds, in scenario order. */
  members: string[];
}

export interface CableEnd {
  device: string;
  port: string;
  /** What is written beside the port: its name, and on a VLAN-aware device its VLANs ("p1 v10", "p5 trunk", "eth0 .10 .20"). */
  text: string;
  /** The port's VLANs in words, for the drawing's text description ("trunk carrying VLANs 10 and 20, tagged"). */
  about?: string;
  /** Where the cable meets the device's box: the port. */
  port0: Point;
  /** Where the port's name is written. */
  label: Point;
  /** Distance from the device centre to the port, in viewBox units. */
  clearance: number;
  /** A switch's access port: its VLAN. */
  vlan?: number;
}

export interface LaidOutCable {
  /** Its place in `cables`. */
  index: number;
  /** The scenario link it draws, or -1 for a group's bundle (its links are in `links`). */
  link: number;
  /** A group's bundle: the scenario links it stands for. */
  links?: number[];
  a: CableEnd;
  b: CableEnd;
  /** Cubic Bézier from a's centre to b's centre. */
  p0: Point;
  c1: Point;
  c2: Point;
  p3: Point;
  d: string;
  length: number;
  /** Either end is a switch's trunk port: several VLANs share this cable, tagged. */
  trunk: boolean;
  /** The VLANs this cable carries, by its ends' switch ports (an access port's one, a trunk's list), ascending. */
  vlans?: number[];
  /** A veth pair (inside one node), not a cable: drawn dashed, with `tag` ("veth") beside its middle. */
  veth: boolean;
  /** Where "veth" is written: beside the link's middle, clear of the edit mode's ✕. */
  tag?: Point;
  /** What the tag says when it is not "veth": a macvlan or ipvlan child's link to its parent ("macvlan bridge"). */
  tagText?: string;
}

export interface Layout {
  /** The viewBox: its top-left corner and size. */
  x0: number;
  y0: number;
  width: number;
  height: number;
  viewBox: string;
  /** What is drawn: devices and group boxes. */
  devices: LaidOutDevice[];
  /** Outlines around the namespaces of each node (machine), in order of first appearance. */
  nodes: LaidOutNode[];
  cables: LaidOutCable[];
  /** Every text written outside the boxes (port names, veth tags, badges, free ports, node names), where it goes: none overlaps another, a box or a cable. */
  texts: TextBox[];
  /** A small topology's drawing, laid out for its width: shown at one CSS pixel per unit, never smaller (its text stays at least MIN_TEXT CSS pixels). */
  fixed?: boolean;
  /** What is drawn, by id (a device's or a group's). */
  device: ReadonlyMap<string, LaidOutDevice>;
  /** The box that shows each device of the scenario: its own, or its group's. */
  nodeOf: ReadonlyMap<string, LaidOutDevice>;
  /** The cable (index into `cables`) that shows each scenario link. */
  cableOf: readonly number[];
  /** Hosts drawn inside group boxes (0 when every device has its own box). */
  grouped: number;
  /** Each device's position in the scenario's own units (its hint, or where the circle put it); a prototype-less object. */
  hints: Readonly<Record<string, Point>>;
  /** Scale and origin from scenario units to the viewBox: view = MARGIN + (hint - origin) * scale, each axis its own. */
  scaleX: number;
  scaleY: number;
  originX: number;
  originY: number;
}

/** How far a box moves out of a crowded row, at least, in scenario units (so that the drawing's stretching lengthens its cables too). */
const STAGGER = 120;
/** Room kept around each box for the ring that marks what it did in the latest step. */
const RING_ROOM = 8;
/** Padding around everything drawn. */
const PAD = 6;
/** The drawing's inner box is at most this wide and this tall (unless cables would get too short). */
const INNER_WIDTH = 270;
const INNER_HEIGHT = 190;
/** Visible cable between two cabled devices' boxes, at least, so that port names and frames fit. */
const MIN_CABLE_GAP = 72;
/** More of it on a veth pair, for its "veth" tag. */
const VETH_TAG_ROOM = 36;
/** The room a link's tag takes beyond a cable's: "veth"'s, or a child's ("bridge", "l2"). */
function tagRoom(tagText: string | undefined): number {
  return tagText === undefined ? VETH_TAG_ROOM : Math.max(VETH_TAG_ROOM, textWidth(tagText, TEXT.port, 'sans') + 12);
}
/** How far apart parallel cables bulge, in viewBox units. */
const PARALLEL_SPREAD = 36;
/** How far a name along a cable keeps from any cable (a frame's marker on it is about 8.5 units in radius). */
const CABLE_CLEAR = 10;
/** Above this many cables (a big topology), port names go to their first place without looking for collisions. */
const CAREFUL_CABLES = 80;
/** A small topology's drawing is never drawn larger than this many units per scenario unit. */
const MAX_SCALE = 1.2;
/** The narrowest width a layout accepts. */
const MIN_WIDTH = 200;

/** Font sizes in viewBox units: a small topology's drawing is shown at one CSS pixel per unit or more (player.css uses the same sizes). */
export const TEXT = {
  name: 14,
  line: 12,
  address: 12,
  port: 12,
  badge: 12,
  node: 12,
} as const;
/** No text in a drawing is smaller than this, in CSS pixels. */
export const MIN_TEXT = 12;
/** A text's box is this many times its font size tall (the font's ascent and descent). */
const TEXT_HEIGHT = 1.25;
/** The widest badge a device gets (Topology.tsx's MARK_TEXT), written in its box's last row. */
const MARK_WIDEST = '→ forwarded';

export type TextStyle = 'sans' | 'bold' | 'mono';

/**
 * How wide a text is drawn, at most, in units of its font size × size: generous per character
 * (DejaVu Sans, the widest common sans, and any monospace at 0.6), so that texts that do not
 * collide here do not collide on screen either.
 */
export function textWidth(text: string, size: number, style: TextStyle): number {
  if (style === 'mono') return text.length * 0.62 * size;
  let em = 0;
  for (const ch of text) {
    if (ch === ' ' || ch === '.' || ch === ',' || ch === ':' || ch === 'i' || ch === 'l' || ch === 'j' || ch === '|' || ch === "'") em += 0.36;
    else if (ch === 'f' || ch === 't' || ch === 'r' || ch === 'I' || ch === '(' || ch === ')') em += 0.46;
    else if (ch === 'm' || ch === 'w' || ch === 'M' || ch === 'W') em += 0.98;
    else if (ch >= 'A' && ch <= 'Z') em += 0.78;
    else if (ch.charCodeAt(0) > 0x2000) em += 1.0;
    else em += 0.66;
  }
  return em * size * (style === 'bold' ? 1.1 : 1);
}
/** Position hints are used within ±POSITION_LIMIT (the validator's own limit); a hint beyond it, or not a finite number, counts as missing. */
export const POSITION_LIMIT = MAX_COORDINATE;

/** Room around a node's namespaces inside its outline: sides, and above (for their badges). */
const NODE_PAD = 10;

/** Room inside a box above its first row and below its last; each row's height. */
const BOX_PAD = 6;
const NAME_ROW = 18;
const ROW = 15;

/** What a device's box holds, row by row (its name, its bridge lines, its addresses, and a last row kept for what it did in the latest step), and the box's half width and half height. */
export function deviceBox(label: string, lines: readonly string[] = [], addresses: readonly string[] = [], counted = ''): { hw: number; hh: number; rows: DeviceRow[]; badgeY: number } {
  let hw = Math.max(26, textWidth(label, TEXT.name, 'bold') / 2 + 8, textWidth(`${MARK_WIDEST}${counted}`, TEXT.badge, 'bold') / 2 + 6);
  for (const line of lines) hw = Math.max(hw, textWidth(line, TEXT.line, 'mono') / 2 + 6);
  for (const address of addresses) hw = Math.max(hw, textWidth(address, TEXT.address, 'mono') / 2 + 6);
  const extra = lines.length + addresses.length;
  const hh = (2 * BOX_PAD + NAME_ROW + (extra + 1) * ROW) / 2;
  const top = -hh + BOX_PAD;
  const rows: DeviceRow[] = [{ kind: 'name', text: label, y: round(top + NAME_ROW / 2), size: TEXT.name }];
  [...lines.map((text) => ({ kind: 'line' as const, text })), ...addresses.map((text) => ({ kind: 'address' as const, text }))].forEach((row, k) => {
    rows.push({ ...row, y: round(top + NAME_ROW + ROW * k + ROW / 2), size: row.kind === 'line' ? TEXT.line : TEXT.address });
  });
  return { hw: round(hw), hh, rows, badgeY: round(top + NAME_ROW + ROW * extra + ROW / 2) };
}

/** The lines a namespace's box carries for its bridge devices, and the same in words. */
function bridgeLines(d: DeviceSpec): { lines: string[]; about: string } | undefined {
  if ((d.kind !== 'host' && d.kind !== 'router') || !d.bridges?.length) return undefined;
  const list = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
  // The name only: its address, if it has one, is among the box's address rows (deviceAddresses).
  const lines = d.bridges.map((b) => b.name);
  const about = d.bridges.map(
    (b) =>
      `${b.vlanFiltering ? 'VLAN-filtering bridge' : 'bridge'} ${b.name}${b.ip ? ` ${b.ip}` : ''}${b.ports.length ? ` over ${list(b.ports)}` : ' with no ports'}${b.vlans?.length ? `, with sub-interfaces ${list(b.vlans.map((sub) => `${b.name}.${sub.vlan} ${sub.ip}`))}` : ''}`,
  );
  return { lines, about: list(about) };
}

/** A device's addresses (written under its box) and its MACs and gateway (on hover or focus); undefined for a device with none. */
export function deviceAddresses(d: DeviceSpec): { addresses: string[]; details: string[] } | undefined {
  const named: { name: string; ip: string }[] = [];
  const details: string[] = [];
  if (d.kind === 'host' || d.kind === 'router') {
    for (const nic of d.nics) {
      details.push(`MAC ${nic.port} ${nic.mac}`);
      if (nic.ip) named.push({ name: nic.port, ip: nic.ip });
      for (const sub of nic.vlans ?? []) named.push({ name: `${nic.port}.${sub.vlan}`, ip: sub.ip });
    }
    for (const b of d.bridges ?? []) {
      details.push(`MAC ${b.name} ${b.mac}`);
      if (b.ip) named.push({ name: b.name, ip: b.ip });
      // The bridge's own 802.1Q sub-interfaces (a layer-3 switch's per-VLAN gateways, br0.10).
      for (const sub of b.vlans ?? []) named.push({ name: `${b.name}.${sub.vlan}`, ip: sub.ip });
    }
    if (d.kind === 'host' && d.gateway) details.push(`gateway ${d.gateway}`);
  } else if (d.kind === 'bridge' && d.local) {
    details.push(`MAC ${d.id} ${d.local.mac}`);
    named.push({ name: d.id, ip: d.local.ip });
  }
  if (named.length === 0 && details.length === 0) return undefined;
  // One address needs no interface name; several say which interface has which.
  const addresses = named.length === 1 ? [named[0]!.ip] : named.map((a) => `${a.name} ${a.ip}`);
  return { addresses, details };
}

/** A usable hint: both coordinates finite numbers within ±POSITION_LIMIT. */
function usable(p: { x: unknown; y: unknown } | undefined): p is Point {
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= POSITION_LIMIT;
  return p !== undefined && p !== null && ok(p.x) && ok(p.y);
}

/** One box of the drawing before it is fitted: a device, or a group of hosts hanging off `host`'s device. */
interface Node {
  id: string;
  label: string;
  kind: DeviceKind;
  spec?: DeviceSpec;
  members?: DeviceSpec[];
  hint?: Point;
  /** The node (machine) a namespace belongs to. */
  node?: string;
  /** A machine's box (compact form): the namespaces drawn inside it, one line each. */
  lines?: string[];
  holds?: DeviceSpec[];
}

/**
 * The boxes to draw: every device, except that in a big topology hosts with one cable to the same
 * non-host share a group box. `compact` (a small drawing too dense for its width) groups the same
 * hosts, and draws a machine as one box (`machineOf`) where namespaces of it have a veth pair to
 * one of its namespaces as their only link (a server's VMs or containers): that namespace's box,
 * which lists them, and its links to other machines; what crosses those veth pairs stays inside it.
 */
function nodesOf(
  scenario: Scenario,
  compact: 0 | 1 | 2 = 0,
): {
  nodes: Node[];
  groupOf: Map<string, string>;
  machineOf: Map<string, string>;
} {
  const groupOf = new Map<string, string>();
  const machineOf = new Map<string, string>();
  const plain = (d: DeviceSpec): Node => {
    const node: Node = {
      id: d.id,
      label: d.label ?? d.id,
      kind: d.kind,
      spec: d,
    };
    if (usable(d.position)) node.hint = { x: d.position.x, y: d.position.y };
    if ((d.kind === 'host' || d.kind === 'router') && typeof d.node === 'string') node.node = d.node;
    return node;
  };
  if (scenario.devices.length <= GROUP_FROM && !compact) return { nodes: scenario.devices.map(plain), groupOf, machineOf };
  // Plain loops over thousands of devices and cables (this runs once per new big topology, before
  // the page's JavaScript engine has warmed up to it).
  const kinds = new Map<string, DeviceKind>();
  const machine = new Map<string, string | undefined>();
  for (const d of scenario.devices) {
    kinds.set(d.id, d.kind);
    if (d.kind === 'host' || d.kind === 'router') machine.set(d.id, d.node);
  }
  const cables = new Map<string, string[]>();
  const veths = new Set<string>();
  const cable = (from: string, to: string) => {
    const list = cables.get(from);
    if (list) list.push(to);
    else cables.set(from, [to]);
  };
  for (const link of scenario.links) {
    const a = link.a.slice(0, link.a.lastIndexOf(':'));
    const b = link.b.slice(0, link.b.lastIndexOf(':'));
    cable(a, b);
    if (a !== b) cable(b, a);
    if (link.type === 'veth') veths.add(a).add(b);
  }
  const members = new Map<string, DeviceSpec[]>();
  for (const d of scenario.devices) {
    const peers = cables.get(d.id);
    if (d.kind !== 'host' || peers?.length !== 1) continue;
    const peer = peers[0]!;
    // A namespace of a named node keeps its own box, inside its node's outline, unless a compact
    // drawing puts it with its machine's other namespaces on a veth pair to the same one.
    if (d.node !== undefined && !(compact && veths.has(d.id) && machine.get(peer) === d.node)) continue;
    if (peer === d.id || (kinds.get(peer) === 'host' && d.node === undefined) || !kinds.has(peer)) continue;
    const list = members.get(peer);
    if (list) list.push(d);
    else members.set(peer, [d]);
  }
  for (const [peer, all] of members) {
    // A machine's namespaces and hosts of their own are not drawn in one box.
    const list = all.some((d) => d.kind === 'host' && d.node !== undefined) ? all.filter((d) => d.kind === 'host' && d.node !== undefined) : all;
    members.set(peer, list);
    if (list.length < 2) members.delete(peer);
    else for (const d of list) groupOf.set(d.id, compact && d.kind === 'host' && d.node !== undefined ? peer : `group:${peer}`);
  }
  const nodes: Node[] = [];
  for (const d of scenario.devices) {
    if (groupOf.has(d.id)) continue;
    const list = members.get(d.id);
    if (list?.[0]?.kind === 'host' && list[0].node !== undefined) {
      // The machine's box: this namespace's, with the names of the namespaces inside it.
      const box: Node = { ...plain(d), holds: list, lines: list.map((m) => m.label ?? m.id) };
      delete box.node;
      for (const m of [d, ...list]) machineOf.set(m.id, d.id);
      nodes.push(box);
      continue;
    }
    nodes.push(plain(d));
    if (!list) continue;
    const group: Node = {
      id: `group:${d.id}`,
      label: `${formatCount(list.length)} hosts`,
      kind: 'host',
      members: list,
    };
    // At the middle of its hosts' hints when they all have one; else on the circle with the others.
    if (list.every((m) => usable(m.position))) {
      let x = 0;
      let y = 0;
      for (const m of list) {
        x += m.position!.x;
        y += m.position!.y;
      }
      group.hint = { x: x / list.length, y: y / list.length };
    }
    nodes.push(group);
  }
  if (compact === 2) {
    // Still too dense: the machines and hosts whose only link out of their box goes to the same
    // switch, bridge or hub share a group box, as a big topology's hosts do.
    const boxOf = (id: string) => machineOf.get(id) ?? id;
    const out = new Map<string, string[]>();
    for (const link of scenario.links) {
      const a = boxOf(splitEndpoint(link.a).device);
      const b = boxOf(splitEndpoint(link.b).device);
      if (a === b) continue;
      out.set(a, [...(out.get(a) ?? []), b]);
      out.set(b, [...(out.get(b) ?? []), a]);
    }
    const kindOf = new Map(nodes.map((n) => [n.id, n.kind]));
    const flocks = new Map<string, Node[]>();
    for (const n of nodes) {
      const peers = out.get(n.id);
      const peer = peers?.length === 1 ? peers[0]! : '';
      if (n.kind !== 'host' || n.members || n.node !== undefined || !['hub', 'bridge', 'switch'].includes(kindOf.get(peer) ?? '') || kindOf.has(`group:${peer}`)) continue;
      flocks.set(peer, [...(flocks.get(peer) ?? []), n]);
    }
    for (const [peer, list] of flocks) {
      if (list.length < 2) continue;
      const all = list.flatMap((n) => [n.spec!, ...(n.holds ?? [])]);
      const group: Node = { id: `group:${peer}`, label: `${formatCount(list.length)} ${list.some((n) => n.holds) ? 'machines' : 'hosts'}`, kind: 'host', members: all };
      if (list.every((n) => n.hint)) group.hint = { x: list.reduce((sum, n) => sum + n.hint!.x, 0) / list.length, y: list.reduce((sum, n) => sum + n.hint!.y, 0) / list.length };
      for (const d of all) {
        machineOf.delete(d.id);
        groupOf.set(d.id, group.id);
      }
      nodes.splice(nodes.indexOf(list[0]!), 0, group);
      for (const n of list) nodes.splice(nodes.indexOf(n), 1);
    }
  }
  return { nodes, groupOf, machineOf };
}

/** Smallest and largest of some numbers (a loop: spreading thousands into Math.min is slow and can overflow the stack). */
function extent(values: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

/** Room between the namespaces of one node placed together on the circle, in hint units (about the circle's radius, so that their veth links are as long as the cables). */
const NODE_SPACING = 170;

function hintedPositions(nodes: readonly Node[]): Point[] {
  const known = nodes.filter((n) => n.hint).map((n) => n.hint!);
  let cx = 300;
  let cy = 180;
  let radius = 150;
  if (known.length > 0) {
    const [minX, maxX] = extent(known.map((p) => p.x));
    const [minY, maxY] = extent(known.map((p) => p.y));
    cx = (minX + maxX) / 2;
    cy = (minY + maxY) / 2;
    radius = Math.max(150, Math.hypot(maxX - minX, maxY - minY) / 2 + 60);
  }
  // Boxes without a hint share the circle, one place each, except that the namespaces of one node
  // share one place, side by side, so that their node's outline holds them and nothing else.
  const slotOf = new Map<string, number>();
  const slotSize: number[] = [];
  const slots: number[] = [];
  const rank: number[] = [];
  for (const n of nodes) {
    if (n.hint) {
      slots.push(-1);
      rank.push(0);
      continue;
    }
    let slot = n.node === undefined ? undefined : slotOf.get(n.node);
    if (slot === undefined) {
      slot = slotSize.length;
      slotSize.push(0);
      if (n.node !== undefined) slotOf.set(n.node, slot);
    }
    slots.push(slot);
    rank.push(slotSize[slot]!++);
  }
  const missing = slotSize.length;
  return nodes.map((n, i) => {
    if (n.hint) return { x: n.hint.x, y: n.hint.y };
    const slot = slots[i]!;
    const angle = -Math.PI / 2 + (2 * Math.PI * slot) / missing;
    const ux = Math.cos(angle);
    const uy = Math.sin(angle);
    const x = cx + radius * ux;
    const y = cy + radius * uy;
    const r = rank[i]!;
    if (r === 0) return { x, y };
    // The node's first namespace (its host side, as a scenario usually lists it) takes the place
    // on the circle, facing the rest of the drawing; the others stand in a row behind it, further
    // out, so that neither its links to them nor its links to other machines cross a box.
    const across = (r - 1 - (slotSize[slot]! - 2) / 2) * NODE_SPACING;
    return {
      x: x + ux * NODE_SPACING - uy * across,
      y: y + uy * NODE_SPACING + ux * across,
    };
  });
}

/** The VLANs of a port, as the drawing writes them beside its name; undefined where VLANs do not apply. */
export interface PortVlans {
  text: string;
  about: string;
  trunk: boolean;
  /** The VLANs the port carries (a sub-interface's, an access port's, a trunk's), ascending. */
  vlans: number[];
  /** An access port's VLAN. */
  access?: number;
}

export function portVlans(spec: DeviceSpec | undefined, port: string): PortVlans | undefined {
  const list = (ids: readonly (string | number)[]) => (ids.length < 2 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`);
  if (spec?.kind === 'switch') {
    const p = spec.ports.find((q) => q.port === port);
    if (!p) return undefined;
    if (p.mode === 'trunk') {
      // The VLAN list goes in the description only: beside the port it would crowd the cables.
      const tagged = (p.vlans ?? []).filter((vid) => vid !== p.native);
      const native = p.native === undefined ? '' : `${tagged.length ? ', ' : ''}VLAN ${p.native} untagged (native)`;
      const vlans = [...new Set([...(p.vlans ?? []), ...(p.native === undefined ? [] : [p.native])])].sort((x, y) => x - y);
      return {
        text: 'trunk',
        about: `trunk carrying ${tagged.length ? `VLAN${tagged.length > 1 ? 's' : ''} ${list(tagged)} tagged` : ''}${native}`,
        trunk: true,
        vlans,
      };
    }
    const vlan = p.vlan ?? 1;
    return {
      text: `v${vlan}`,
      about: `access port in VLAN ${vlan}`,
      trunk: false,
      vlans: [vlan],
      access: vlan,
    };
  }
  if (spec?.kind === 'host' || spec?.kind === 'router') {
    // A port of a VLAN-filtering bridge (a layer-3 switch's br0): its `bridge vlan` entries, as a
    // switch port's. One VLAN, untagged and its PVID, is an access port; anything else a trunk.
    const bridge = spec.bridges?.find((b) => b.vlanFiltering && b.ports.includes(port));
    if (bridge) {
      const entries = (bridge.bridgeVlans ?? []).filter((e) => e.dev === port);
      if (entries.length === 0) return undefined;
      const vlans = [...new Set(entries.map((e) => e.vid))].sort((x, y) => x - y);
      const only = entries.length === 1 ? entries[0]! : undefined;
      if (only?.pvid && only.untagged) return { text: `v${only.vid}`, about: `access port in VLAN ${only.vid}`, trunk: false, vlans, access: only.vid };
      const tagged = entries.filter((e) => !e.untagged).map((e) => e.vid);
      const untagged = entries.filter((e) => e.untagged).map((e) => e.vid);
      const pvid = entries.find((e) => e.pvid)?.vid;
      const parts = [...(tagged.length ? [`VLAN${tagged.length > 1 ? 's' : ''} ${list(tagged)} tagged`] : []), ...(untagged.length ? [`VLAN${untagged.length > 1 ? 's' : ''} ${list(untagged)} untagged`] : [])];
      return { text: 'trunk', about: `trunk carrying ${parts.join(', ')}${pvid === undefined ? '' : ` (PVID ${pvid})`}`, trunk: true, vlans };
    }
    const nic = spec.nics.find((n) => n.port === port);
    if (nic?.vlans?.length)
      return {
        text: nic.vlans.map((sub) => `.${sub.vlan}`).join(' '),
        about: `sub-interfaces ${list(nic.vlans.map((sub) => `${port}.${sub.vlan}`))}`,
        trunk: false,
        vlans: [...new Set(nic.vlans.map((sub) => sub.vlan))].sort((x, y) => x - y),
      };
  }
  return undefined;
}

/** One cable to draw between two nodes, before its curve is computed. */
interface Wire {
  index: number;
  link: number;
  links?: number[];
  a: { node: number; port: string; text?: string };
  b: { node: number; port: string; text?: string };
  veth?: boolean;
  /** A macvlan or ipvlan child's link: drawn as a veth pair is, tagged with its kind and mode. */
  tagText?: string;
}

/**
 * Every link the engine runs, in its order: the scenario's, then each macvlan or ipvlan child's link
 * to its parent (stackedLinks), whose parent end is named after the parent interface in the drawing.
 */
function drawnLinks(scenario: Scenario): Array<LinkSpec & { tagText?: string; parentText?: string }> {
  // A child in its parent's own namespace (the host's own macvlan) joins a box to itself: it is not
  // drawn (its frames stay inside that box), though it keeps its place in the engine's order.
  const stacked = stackedLinks(scenario).map((link) => ({
    a: `${link.child.device}:${link.child.port}`,
    b: `${link.parent.device}:${link.parent.upper}`,
    type: 'veth' as const,
    tagText: link.mode,
    parentText: link.parent.lower,
  }));
  return stacked.length === 0 ? scenario.links : [...scenario.links, ...stacked];
}

/** The boxes to draw, the first half of layoutScenario (a big topology's player computes it in a task of its own). */
export type LayoutBoxes = ReturnType<typeof nodesOf>;
export function layoutBoxes(scenario: Scenario): LayoutBoxes {
  return nodesOf(scenario);
}

/** What a layout is fitted to: the CSS width it may take (a small topology's drawing is shown at one CSS pixel per unit, or more). */
export interface LayoutOptions {
  width?: number;
}

/** A text's box in viewBox units (centre and size), as the drawing writes it: for the layout's own collision checks and for tests. */
export interface TextBox {
  kind: 'port' | 'veth' | 'free' | 'node';
  text: string;
  /** Centre of the box. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Font size in viewBox units. */
  size: number;
}

export function layoutScenario(scenario: Scenario, prepared: LayoutBoxes = nodesOf(scenario), options: LayoutOptions = {}): Layout {
  let best = layoutWith(scenario, prepared, options, false);
  if (!best.layout.fixed || best.misses === 0) return best.layout;
  // Too dense for its width: the compact form where it applies (a machine's VMs or containers in
  // its box), else the same boxes; either way with rows that overlap sideways moved apart one by one
  // (separate()) and cables bent around the boxes they would cross.
  const compact = nodesOf(scenario, 1);
  const next = layoutWith(scenario, compact.machineOf.size > 0 ? compact : prepared, options, true);
  if (next.misses < best.misses || compact.machineOf.size > 0) best = next;
  // Still too dense (a phone's width): the machines on one switch in one box.
  const flocked = best.misses > 0 ? nodesOf(scenario, 2) : compact;
  if (flocked.groupOf.size > compact.groupOf.size) {
    const last = layoutWith(scenario, flocked, options, true);
    if (last.misses < best.misses) best = last;
  }
  return best.layout;
}

function layoutWith(scenario: Scenario, prepared: LayoutBoxes, options: LayoutOptions, rows: boolean): { layout: Layout; misses: number } {
  const { nodes, groupOf, machineOf } = prepared;
  const raw = hintedPositions(nodes);
  const [minX, maxX] = raw.length ? extent(raw.map((p) => p.x)) : [0, 0];
  const [minY, maxY] = raw.length ? extent(raw.map((p) => p.y)) : [0, 0];
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const fit = Math.min(spanX > 0 ? INNER_WIDTH / spanX : Infinity, spanY > 0 ? INNER_HEIGHT / spanY : Infinity, 1.5);

  // The cables to draw: one per link between drawn devices, one bundle per group.
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const wires: Wire[] = [];
  const links = drawnLinks(scenario);
  const cableOf: number[] = new Array(links.length).fill(-1);
  const bundles = new Map<string, Wire>();
  links.forEach((link, index) => {
    const ea = splitEndpoint(link.a);
    const eb = splitEndpoint(link.b);
    const ma = machineOf.get(ea.device);
    const mb = machineOf.get(eb.device);
    if (ma !== undefined || mb !== undefined) {
      // A link inside a machine drawn as one box is not drawn; its links to others leave that box.
      if (ma === mb) return;
      cableOf[index] = wires.length;
      wires.push({ index: wires.length, link: index, a: { node: nodeIndex.get(ma ?? ea.device)!, port: ea.port }, b: { node: nodeIndex.get(mb ?? eb.device)!, port: eb.port } });
      return;
    }
    const ga = groupOf.get(ea.device);
    const gb = groupOf.get(eb.device);
    // A link inside one group box (a machine's veth pairs) is not drawn.
    if (ga !== undefined && ga === gb) return;
    if (ga !== undefined || gb !== undefined) {
      const group = (ga ?? gb)!;
      const peer = ga !== undefined ? eb : ea;
      let wire = bundles.get(group);
      if (!wire) {
        wire = {
          index: wires.length,
          link: -1,
          links: [],
          a: { node: nodeIndex.get(group)!, port: '', text: '' },
          b: { node: nodeIndex.get(peer.device)!, port: '' },
        };
        bundles.set(group, wire);
        wires.push(wire);
      }
      wire.links!.push(index);
      cableOf[index] = wire.index;
      return;
    }
    const i = nodeIndex.get(ea.device);
    const j = nodeIndex.get(eb.device);
    if (i === undefined || j === undefined || ('tagText' in link && ea.device === eb.device)) return;
    cableOf[index] = wires.length;
    const wire: Wire = {
      index: wires.length,
      link: index,
      a: { node: i, port: ea.port },
      b: { node: j, port: eb.port },
    };
    if (link.type === 'veth') wire.veth = true;
    if ('tagText' in link && link.tagText !== undefined) {
      wire.tagText = link.tagText;
      wire.b.text = link.parentText;
    }
    wires.push(wire);
  });
  for (const wire of bundles.values()) {
    // A compact drawing's group of a machine's namespaces: their veth pairs, and the few ports they end at by name.
    const ends = wire.links!.map((k) => links[k]!);
    if (ends.every((link) => link.type === 'veth')) wire.veth = true;
    const names = ends.map((link) => splitEndpoint(groupOf.has(splitEndpoint(link.a).device) ? link.b : link.a).port);
    wire.b.text = scenario.devices.length <= GROUP_FROM && names.length <= 3 ? names.join(' ') : `${formatCount(wire.links!.length)} ports`;
  }

  const bridged = nodes.map((n) => {
    const own = n.spec ? bridgeLines(n.spec) : undefined;
    return n.lines ? { lines: [...(own?.lines ?? []), ...n.lines], about: `${own ? `${own.about}; ` : ''}the machine's namespaces ${n.lines.join(', ')}` } : own;
  });
  // A big topology's drawing is about its shape: its addresses are in the tables and the editor.
  const small = scenario.devices.length <= GROUP_FROM;
  const said = nodes.map((n) => (n.spec && small ? deviceAddresses(n.spec) : undefined));
  const boxes = nodes.map((n, i) => deviceBox(n.label, bridged[i]?.lines, said[i]?.addresses, n.members ? ` ×${formatCount(n.members.length)}` : ''));
  const ports = nodes.map((n) => (n.spec ? devicePorts(n.spec) : []));
  const vlansOf = wires.map((wire) => ({
    a: wire.a.text === undefined ? portVlans(nodes[wire.a.node]!.spec, wire.a.port) : undefined,
    b: wire.b.text === undefined ? portVlans(nodes[wire.b.node]!.spec, wire.b.port) : undefined,
  }));
  const cabled = new Set<string>();
  for (const link of links) {
    cabled.add(link.a);
    cabled.add(link.b);
  }

  // How far each box reaches sideways: its box and its ring, its badge, its free ports.
  const free = nodes.map((n, i) => {
    const list = n.spec ? ports[i]!.filter((port) => !cabled.has(`${n.spec!.id}:${port}`)) : [];
    // The free ports of a device with hundreds of them would be one endless line: say how many.
    return list.length > 6 ? [`${formatCount(list.length)} ports`] : list;
  });
  const freeHalf = free.map((list) => (list.length ? textWidth(`free: ${list.join(', ')}`, TEXT.port, 'sans') / 2 + 1 : 0));
  // A namespace drawn inside its machine's dotted outline reaches as far as the outline (which the
  // viewBox takes in): without it, a narrow player's drawing came out a few units too wide and was
  // shrunk, its text under MIN_TEXT.
  const reachX = nodes.map((n, i) => Math.max(boxes[i]!.hw + (n.node !== undefined ? NODE_PAD + 2 : 6), freeHalf[i]!));

  /** Every box, its badge and its free ports, with the device centres scaled by sx: how wide they are together. */
  const spread = (sx: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    raw.forEach((p, i) => {
      lo = Math.min(lo, (p.x - minX) * sx - reachX[i]!);
      hi = Math.max(hi, (p.x - minX) * sx + reachX[i]!);
    });
    return hi - lo;
  };

  const compose = (sx: number, sy: number, careful: boolean, limit: number) => {
    const devices: LaidOutDevice[] = nodes.map((n, i) => {
      const d: LaidOutDevice = {
        id: n.id,
        label: n.label,
        kind: n.kind,
        x: round(MARGIN + (raw[i]!.x - minX) * sx),
        y: round(MARGIN + (raw[i]!.y - minY) * sy),
        ...boxes[i]!,
        freePorts: free[i]!,
      };
      if (n.members) d.members = n.members.map((m) => m.id);
      if (n.holds) d.holds = [n.id, ...n.holds.map((m) => m.id)];
      if (n.node !== undefined) d.node = n.node;
      const lines = bridged[i];
      if (lines) {
        d.lines = lines.lines;
        d.about = lines.about;
      }
      const own = said[i];
      if (own) {
        if (own.addresses.length > 0) d.addresses = own.addresses;
        if (own.details.length > 0) d.details = own.details;
      }
      return d;
    });
    if (careful) {
      stagger(devices, raw, wires, sy);
      if (rows) separate(devices, reachX, wires);
    }

    // Group cables by the unordered pair of boxes they join, to spread parallel ones apart.
    const pairKey = (i: number, j: number) => (i < j ? `${i} ${j}` : `${j} ${i}`);
    const groups = new Map<string, number[]>();
    wires.forEach((wire, index) => {
      const key = pairKey(wire.a.node, wire.b.node);
      const list = groups.get(key);
      if (list) list.push(index);
      else groups.set(key, [index]);
    });

    const sides: { a: Point; b: Point }[] = [];
    // Within the width the drawing is fitted to (centred on its boxes).
    let lo = Infinity;
    let hi = -Infinity;
    devices.forEach((d, i) => {
      lo = Math.min(lo, d.x - reachX[i]!);
      hi = Math.max(hi, d.x + reachX[i]!);
    });
    const left = (lo + hi) / 2 - limit / 2 + PAD + 2;
    const right = (lo + hi) / 2 + limit / 2 - PAD - 2;
    /** A dense drawing's cable that would cross a third box bends around it: the least bulge, either way, that clears every other box and stays within the width. */
    const detour = (p0: Point, p3: Point, nx: number, ny: number, skip: readonly LaidOutDevice[]): number => {
      for (let k = 0; k <= 6; k++) {
        for (const bulge of k === 0 ? [0] : [k * PARALLEL_SPREAD, -k * PARALLEL_SPREAD]) {
          const q = { x: (p0.x + p3.x) / 2 + nx * bulge, y: (p0.y + p3.y) / 2 + ny * bulge };
          let clear = true;
          for (let i = 1; i < 32 && clear; i++) {
            const t = i / 32;
            // The quadratic through q, as the cubic below draws it.
            const x = (1 - t) * (1 - t) * p0.x + 2 * t * (1 - t) * q.x + t * t * p3.x;
            const y = (1 - t) * (1 - t) * p0.y + 2 * t * (1 - t) * q.y + t * t * p3.y;
            if (x < left + 10 || x > right - 10) clear = false;
            for (const d of devices) if (clear && !skip.includes(d) && Math.abs(x - d.x) < d.hw + 10 && Math.abs(y - d.y) < d.hh + 10) clear = false;
          }
          if (clear) return bulge;
        }
      }
      return 0;
    };
    const cables: LaidOutCable[] = wires.map((wire, index) => {
      const da = devices[wire.a.node]!;
      const db = devices[wire.b.node]!;
      const group = groups.get(pairKey(wire.a.node, wire.b.node))!;
      const rank = group.length === 1 ? 0 : group.indexOf(index);
      const p0 = { x: da.x, y: da.y };
      const p3 = { x: db.x, y: db.y };
      let c1: Point;
      let c2: Point;
      // Which side of the cable each end's port name goes first: beside the cable, on the outer
      // side of a bulging one, else on opposite sides for the two ends so that a short cable fits both.
      let sideA: Point;
      let sideB: Point;
      if (da === db) {
        // A cable from a device to itself: a loop above it, one per such cable.
        const lift = 70 + rank * 24;
        c1 = { x: da.x - 46 - rank * 10, y: da.y - lift };
        c2 = { x: da.x + 46 + rank * 10, y: da.y - lift };
        sideA = { x: -1, y: 0 };
        sideB = { x: 1, y: 0 };
      } else {
        // Perpendicular to the canonical direction (lower id → higher id), so that the bulges of
        // parallel cables go to opposite sides whichever way each cable was written.
        const [first, second] = da.id < db.id ? [da, db] : [db, da];
        const dx = second.x - first.x;
        const dy = second.y - first.y;
        const len = Math.hypot(dx, dy) || 1;
        const nx = -dy / len;
        const ny = dx / len;
        const bulge = rows && group.length === 1 ? detour(p0, p3, nx, ny, [da, db]) : (rank - (group.length - 1) / 2) * PARALLEL_SPREAD * 2;
        // A quadratic bulge written as a cubic: control point q, c1 = p0 + 2/3 (q - p0), ...
        const q = {
          x: (p0.x + p3.x) / 2 + nx * bulge,
          y: (p0.y + p3.y) / 2 + ny * bulge,
        };
        c1 = {
          x: p0.x + (2 / 3) * (q.x - p0.x),
          y: p0.y + (2 / 3) * (q.y - p0.y),
        };
        c2 = {
          x: p3.x + (2 / 3) * (q.x - p3.x),
          y: p3.y + (2 / 3) * (q.y - p3.y),
        };
        if (bulge !== 0) {
          sideA = { x: nx * Math.sign(bulge), y: ny * Math.sign(bulge) };
          sideB = sideA;
        } else {
          sideA = { x: nx, y: ny };
          sideB = { x: -nx, y: -ny };
        }
      }
      sides.push({ a: sideA, b: sideB });
      const curve = { p0, c1, c2, p3 };
      const length = curveLength(curve);
      const { a: va, b: vb } = vlansOf[index]!;
      const cable: LaidOutCable = {
        index,
        link: wire.link,
        a: cableEnd(da, wire.a.port, va, curve, false, wire.a.text),
        b: cableEnd(db, wire.b.port, vb, curve, true, wire.b.text),
        trunk: (va?.trunk ?? false) || (vb?.trunk ?? false),
        veth: wire.veth === true,
        ...(wire.tagText === undefined ? {} : { tagText: wire.tagText }),
        p0,
        c1: roundPoint(c1),
        c2: roundPoint(c2),
        p3,
        d: `M${p0.x},${p0.y} C${round(c1.x)},${round(c1.y)} ${round(c2.x)},${round(c2.y)} ${p3.x},${p3.y}`,
        length,
      };
      const vlans = [...new Set([...(va?.vlans ?? []), ...(vb?.vlans ?? [])])].sort((x, y) => x - y);
      if (vlans.length > 0) cable.vlans = vlans;
      if (wire.links) cable.links = wire.links;
      return cable;
    });

    // A port name at a box with several cables goes first on the side of its cable away from the
    // box's other cables (their mean direction from the box), so that two names where cables fan
    // out ("t1 trunk", "t2 trunk" above a spine) do not both sit in the wedge between them, where
    // either could be read as the other's. Straight cables only: a bulging one keeps its outer side.
    // `fanned`: that end's name is tried all along its cable on that side before the other side.
    const fanned: { a: boolean; b: boolean }[] = wires.map(() => ({ a: false, b: false }));
    // Each box's cables' directions from it, summed (one pass: a big drawing has many cables).
    const unit = (from: number, to: number): Point => {
      const here = devices[from]!;
      const there = devices[to]!;
      const len = Math.hypot(there.x - here.x, there.y - here.y) || 1;
      return { x: (there.x - here.x) / len, y: (there.y - here.y) / len };
    };
    const fan = devices.map(() => ({ x: 0, y: 0 }));
    for (const w of wires) {
      if (w.a.node === w.b.node) continue;
      const ab = unit(w.a.node, w.b.node);
      fan[w.a.node]!.x += ab.x;
      fan[w.a.node]!.y += ab.y;
      fan[w.b.node]!.x -= ab.x;
      fan[w.b.node]!.y -= ab.y;
    }
    const away = (node: number, other: number, side: Point): { side: Point; fanned: boolean } => {
      // The box's other cables: all of its cables but this one.
      const mine = unit(node, other);
      const mx = fan[node]!.x - mine.x;
      const my = fan[node]!.y - mine.y;
      // Only where the other cables clearly lie to one side (they do not cancel out, as a cable's
      // straight across the box would): else both sides are tried at each place, as before.
      const toward = side.x * mx + side.y * my;
      if (Math.abs(toward) < 0.15) return { side, fanned: false };
      return { side: toward > 0 ? { x: -side.x, y: -side.y } : side, fanned: true };
    };
    wires.forEach((wire, k) => {
      const s = sides[k]!;
      if (wire.a.node === wire.b.node || s.a.x !== -s.b.x || s.a.y !== -s.b.y) return;
      const a = away(wire.a.node, wire.b.node, s.a);
      const b = away(wire.b.node, wire.a.node, s.b);
      sides[k] = { a: a.side, b: b.side };
      fanned[k] = { a: a.fanned, b: b.fanned };
    });

    // Each node's outline: around its namespaces' boxes, with room for their badges above and
    // their free ports below.
    const outlines = new Map<
      string,
      {
        minX: number;
        minY: number;
        maxX: number;
        maxY: number;
        members: string[];
      }
    >();
    for (const d of devices) {
      if (d.node === undefined) continue;
      const top = d.y - d.hh - RING_ROOM;
      const bottom = d.y + d.hh + (d.freePorts.length > 0 ? 22 : 0);
      const half = Math.max(d.hw, d.freePorts.length > 0 ? textWidth(`free: ${d.freePorts.join(', ')}`, TEXT.port, 'sans') / 2 : 0);
      const o = outlines.get(d.node);
      if (!o)
        outlines.set(d.node, {
          minX: d.x - half,
          maxX: d.x + half,
          minY: top,
          maxY: bottom,
          members: [d.id],
        });
      else {
        o.minX = Math.min(o.minX, d.x - half);
        o.maxX = Math.max(o.maxX, d.x + half);
        o.minY = Math.min(o.minY, top);
        o.maxY = Math.max(o.maxY, bottom);
        o.members.push(d.id);
      }
    }
    const nodeBoxes: LaidOutNode[] = [];
    for (const [name, o] of outlines) {
      const x = round(o.minX - NODE_PAD);
      const y = round(o.minY - NODE_PAD / 2);
      nodeBoxes.push({
        name,
        x,
        y,
        width: round(o.maxX + NODE_PAD - x),
        height: round(o.maxY + NODE_PAD - y),
        members: o.members,
      });
    }

    // What is written outside the boxes, where it goes: first what has its own place (badges,
    // free ports, node names), then each veth tag and port name along its own cable, at the first
    // place that collides with nothing drawn.
    const texts: TextBox[] = [];
    const text = (kind: TextBox['kind'], value: string, x: number, y: number, size: number, style: TextStyle): TextBox => ({
      kind,
      text: value,
      x: round(x),
      y: round(y),
      w: round(textWidth(value, size, style) + 2),
      h: round(size * TEXT_HEIGHT),
      size,
    });
    for (const d of devices) if (d.freePorts.length > 0) texts.push(text('free', `free: ${d.freePorts.join(', ')}`, d.x, freeY(d), TEXT.port, 'sans'));
    for (const n of nodeBoxes) {
      const t = text('node', `node ${n.name}`, 0, n.y - 9, TEXT.node, 'bold');
      t.x = round(n.x + 4 + t.w / 2);
      texts.push(t);
    }
    // Free ports and node names have no other place: each that lands on a box or another text is a miss.
    let clashes = 0;
    texts.forEach((t, k) => {
      if (devices.some((d) => overlaps(t, { x: d.x, y: d.y, w: 2 * d.hw, h: 2 * d.hh }, 0)) || texts.some((u, j) => j < k && overlaps(t, u, 0))) clashes++;
    });
    // The ✕ that cuts a cable in edit mode (on its middle) and the ✕ of a frame dropped at a port.
    const marks: Rect[] = [];
    for (const c of cables) {
      if (c.link >= 0) {
        const mid = bezierPoint(c, 0.5);
        marks.push({ x: mid.x, y: mid.y, w: 22, h: 22 });
      }
      for (const end of [c.a, c.b]) if (end.text !== '') marks.push({ x: end.port0.x, y: end.port0.y, w: 18, h: 18 });
      // Where a frame waits on the cable for its arrival, either way.
      for (const forward of [true, false]) {
        const rest = pointAlong(c, forward, markerSpan(c, forward).end);
        marks.push({ x: rest.x, y: rest.y, w: 28, h: 28 });
      }
    }
    const paths = cables.map((c) => sampleCurve(c));
    // Everything stays within the width the drawing is fitted to (left, right).
    // A node's dotted outline: a text is inside it or outside it, never across its line.
    const across = (r: Rect, n: LaidOutNode) => {
      const x0 = r.x - r.w / 2;
      const x1 = r.x + r.w / 2;
      const y0 = r.y - r.h / 2;
      const y1 = r.y + r.h / 2;
      const meets = x1 > n.x && x0 < n.x + n.width && y1 > n.y && y0 < n.y + n.height;
      const within = x0 >= n.x && x1 <= n.x + n.width && y0 >= n.y && y1 <= n.y + n.height;
      return meets && !within;
    };
    const clear = (r: Rect, own: number, onOwn = false) => {
      if (r.x - r.w / 2 < left || r.x + r.w / 2 > right) return false;
      for (const n of nodeBoxes) if (across(r, n)) return false;
      for (const d of devices) if (overlaps(r, { x: d.x, y: d.y, w: 2 * d.hw + 8, h: 2 * d.hh + 8 }, 0)) return false;
      for (const t of texts) if (overlaps(r, t, 3)) return false;
      for (const m of marks) if (overlaps(r, m, 1)) return false;
      for (let k = 0; k < paths.length; k++) if (!(onOwn && k === own) && touches(r, paths[k]!, CABLE_CLEAR - (k === own ? 1 : 0))) return false;

      return true;
    };
    // A port's name is nearer its own cable than any other: it cannot be read as another's.
    const nearest = (p: Point, own: number) => {
      const mine = distanceTo(paths[own]!, p);
      for (let k = 0; k < paths.length; k++) {
        const q = paths[k]!;
        // A cable whose bounding box is further away cannot be nearer.
        if (k === own || Math.hypot(Math.max(q.minX - p.x, 0, p.x - q.maxX), Math.max(q.minY - p.y, 0, p.y - q.maxY)) > mine + 2) continue;
        if (distanceTo(q, p) <= mine + 2) return false;
      }
      return true;
    };
    const place = (kind: TextBox['kind'], value: string, cable: LaidOutCable, from: number, to: number, atEnd: boolean, side: Point, sideFirst = false): TextBox => {
      const box = text(kind, value, 0, 0, TEXT.port, 'sans');
      let first: TextBox | undefined;
      // Every 4 units along a short cable, a little coarser along a long one.
      const stride = Math.max(4, (to - from) / 30);
      // A name where cables fan out: anywhere along its cable on its own side first (sides above).
      for (let along = from; sideFirst && along <= Math.max(from, to); along += stride) {
        for (const further of [0, 10, 20]) {
          const at = besideCurve(cable, along, atEnd, side, false, box.w, box.h, further);
          const candidate = { ...box, x: round(at.x), y: round(at.y) };
          first ??= candidate;
          if (!careful || (clear(candidate, cable.index, false) && (kind !== 'port' || nearest(candidate, cable.index)))) return candidate;
        }
      }
      for (let along = from; along <= Math.max(from, to); along += stride) {
        for (const [flip, further] of [
          [false, 0],
          [true, 0],
          [false, 10],
          [true, 10],
          [false, 20],
          [true, 20],
          // On the cable itself, which it interrupts (where no frame waits).
          [false, -1],
        ] as const) {
          const at = besideCurve(cable, along, atEnd, side, flip, box.w, box.h, further);
          const candidate = { ...box, x: round(at.x), y: round(at.y) };
          first ??= candidate;
          if (!careful || (clear(candidate, cable.index, further < 0) && (kind !== 'port' || nearest(candidate, cable.index)))) return candidate;
        }
      }
      clashes++;
      return first!;
    };
    cables.forEach((c, k) => {
      if (!c.veth) return;
      const half = c.length / 2;
      const tag = place('veth', c.tagText ?? 'veth', c, half - 10, half + 30, false, {
        x: -sides[k]!.a.x,
        y: -sides[k]!.a.y,
      });
      c.tag = { x: tag.x, y: tag.y };
      texts.push(tag);
    });
    cables.forEach((c, k) => {
      for (const [end, atEnd, side, sideFirst] of [
        [c.a, false, sides[k]!.a, fanned[k]!.a],
        [c.b, true, sides[k]!.b, fanned[k]!.b],
      ] as const) {
        if (end.text === '') {
          end.label = end.port0;
          continue;
        }
        // From just past the port to before the middle: nearer this end than the other.
        const label = place('port', end.text, c, end.clearance + 8, c.length / 2 - 14, atEnd, side, sideFirst);
        end.label = { x: label.x, y: label.y };
        texts.push(label);
      }
    });
    return { devices, cables, nodeBoxes, texts, clashes, sy };
  };

  // A small topology is fitted to the width it is shown in, at one CSS pixel per unit: its
  // centres as far apart sideways as that width allows, then stretched downwards until every
  // cable is long enough and every name along the cables has a place of its own. A big one is
  // about its shape: fitted as a whole, and the drawing shrinks to its column.
  let sx: number;
  let sy: number;
  let limit = Infinity;
  let composed: ReturnType<typeof compose>;
  let missed = 0;
  if (small) {
    limit = Math.max(MIN_WIDTH, Number.isFinite(options.width) ? options.width! : WIDE_WIDTH);
    let lo = 0;
    let hi = spanX > 0 ? Math.max(MAX_SCALE, limit / spanX) : 0;
    for (let k = 0; k < 30 && spanX > 0; k++) {
      const mid = (lo + hi) / 2;
      if (spread(mid) <= limit - 2 * PAD - 4) lo = mid;
      else hi = mid;
    }
    sx = Math.min(lo, MAX_SCALE);
    sy = Math.min(MAX_SCALE, Math.max(sx, 0.6));
    if (spanY === 0) sy = 1;
    // The least stretched layout where every text has a place of its own; failing that (after
    // eight tries), the one with the fewest texts out of place.
    const misses = (c: ReturnType<typeof compose>) => c.clashes + cramped(c.devices, c.cables);
    const attempt = (scaleY: number) => compose(sx, scaleY, true, limit);
    composed = attempt(sy);
    let best = composed;
    // (Fewer tries for a bigger drawing: each is a full placement.)
    const tries = nodes.length > 12 && !rows ? 3 : 8;
    for (let k = 0; k < tries && spanY !== 0 && misses(composed) > 0; k++) {
      sy *= 1.15;
      composed = attempt(sy);
      if (misses(composed) < misses(best)) best = composed;
    }
    composed = best;
    missed = misses(best);
    sy = composed.sy;
  } else {
    // Grow the drawing (up to twice the fitted size) if a cable would be too short to read: the
    // boxes keep their size whatever the scale, so the room between them is what must be kept.
    let needed = 0;
    for (const wire of wires) {
      const i = wire.a.node;
      const j = wire.b.node;
      if (i === j) continue;
      const dx = raw[j]!.x - raw[i]!.x;
      const dy = raw[j]!.y - raw[i]!.y;
      const span = Math.hypot(dx, dy);
      if (span === 0) continue;
      const reach = (b: { hw: number; hh: number }) => Math.min(dx === 0 ? Infinity : (b.hw * span) / Math.abs(dx), dy === 0 ? Infinity : (b.hh * span) / Math.abs(dy));
      needed = Math.max(needed, (reach(boxes[i]!) + reach(boxes[j]!) + MIN_CABLE_GAP + (wire.veth ? tagRoom(wire.tagText) : 0)) / span);
    }
    const base = Number.isFinite(fit) && fit > 0 ? fit : 1;
    sx = sy = Math.min(Math.max(base, Number.isFinite(needed) ? needed : base), base * 2);
    composed = compose(sx, sy, wires.length <= CAREFUL_CABLES, limit);
  }
  const { devices, cables, nodeBoxes, texts } = composed;
  const { device, nodeOf } = indexDevices(devices);

  // Fit the viewBox around what is drawn: boxes, badges, names, curves.
  const box = {
    minX: Infinity,
    minY: Infinity,
    maxX: -Infinity,
    maxY: -Infinity,
  };
  const include = (x: number, y: number, rx: number, ry: number) => {
    box.minX = Math.min(box.minX, x - rx);
    box.maxX = Math.max(box.maxX, x + rx);
    box.minY = Math.min(box.minY, y - ry);
    box.maxY = Math.max(box.maxY, y + ry);
  };
  for (const d of devices) include(d.x, d.y, d.hw + 6, d.hh + 6);
  for (const t of texts) include(t.x, t.y, t.w / 2 + 1, t.h / 2 + 1);
  for (const n of nodeBoxes) include(n.x + n.width / 2, n.y + n.height / 2, n.width / 2 + 2, n.height / 2 + 2);
  for (const c of cables) {
    for (const t of [0.25, 0.5, 0.75]) {
      const p = bezierPoint(c, t);
      include(p.x, p.y, 10, 10);
    }
  }
  if (!(box.maxX >= box.minX) || !(box.maxY >= box.minY)) Object.assign(box, { minX: 0, minY: 0, maxX: 400, maxY: 300 });
  // Keep a minimum width so that a single device or a vertical chain is not a sliver.
  const grow = Math.max(0, Math.min(200, limit - 2 * PAD) - (box.maxX - box.minX)) / 2;
  const x0 = Math.floor(box.minX - PAD - grow);
  const y0 = Math.floor(box.minY - PAD);
  const width = Math.ceil(box.maxX + PAD + grow) - x0;
  const height = Math.ceil(box.maxY + PAD) - y0;
  // Prototype-less: a device named "constructor" or "__proto__" is just a key.
  const hints: Record<string, Point> = Object.create(null) as Record<string, Point>;
  const rawById = new Map(nodes.map((n, i) => [n.id, raw[i]!]));
  for (const d of scenario.devices) {
    const own = rawById.get(d.id);
    if (own) hints[d.id] = own;
    else if (usable(d.position)) hints[d.id] = { x: d.position.x, y: d.position.y };
    else
      hints[d.id] = rawById.get(groupOf.get(d.id) ?? '') ?? {
        x: minX,
        y: minY,
      };
  }
  const layout: Layout = {
    x0,
    y0,
    width,
    height,
    viewBox: `${x0} ${y0} ${width} ${height}`,
    devices,
    nodes: nodeBoxes,
    cables,
    texts,
    device,
    nodeOf,
    cableOf,
    grouped: groupOf.size,
    hints,
    scaleX: sx,
    scaleY: sy,
    originX: minX,
    originY: minY,
  };
  if (small) layout.fixed = true;
  return { layout, misses: missed };
}

/**
 * Boxes of one row (one position hint height) that the width cannot hold side by side: every
 * second one moves out of the row (away from the drawing's middle), far enough for a badge between.
 */
function stagger(devices: LaidOutDevice[], raw: readonly Point[], wires: readonly Wire[], sy: number): void {
  const cabled = new Set(wires.map((w) => `${w.a.node} ${w.b.node}`));
  const rows = new Map<number, number[]>();
  raw.forEach((p, i) => {
    const row = rows.get(p.y);
    if (row) row.push(i);
    else rows.set(p.y, [i]);
  });
  const [top, bottom] = extent(devices.map((d) => d.y));
  const middle = (top + bottom) / 2;
  for (const row of rows.values()) {
    if (row.length < 2) continue;
    row.sort((i, j) => devices[i]!.x - devices[j]!.x);
    let crowded = false;
    for (let k = 0; k + 1 < row.length; k++) {
      const a = devices[row[k]!]!;
      const b = devices[row[k + 1]!]!;
      const linked = cabled.has(`${row[k]} ${row[k + 1]}`) || cabled.has(`${row[k + 1]} ${row[k]}`);
      // Too close for their boxes, or for the port names and a frame on the cable between them.
      if (b.x - a.x < a.hw + b.hw + (linked ? MIN_CABLE_GAP : 12)) crowded = true;
    }
    if (!crowded) continue;
    const out = devices[row[0]!]!.y > middle ? 1 : -1;
    let lift = 0;
    for (const i of row) lift = Math.max(lift, 2 * devices[i]!.hh + 30, STAGGER * sy);
    row.forEach((i, k) => {
      if (k % 2 === 1) devices[i]!.y = round(devices[i]!.y + out * lift);
    });
  }
}

/** Room above a namespace's box for its node's name (written over the outline, which starts RING_ROOM + NODE_PAD / 2 above the box). */
const NODE_NAME_ROOM = 33;

/**
 * Boxes the width cannot hold side by side (their reach overlaps sideways) and that are too close
 * one above the other, which stretching the whole drawing would have to pull very far apart when
 * their hints are only a few units apart: row by row from the top, a row (boxes at one height)
 * moves down, with every row under it, just far enough to clear the boxes above it that it
 * overlaps sideways: by their rings, a node's name over its outline, and a cable's MIN_CABLE_GAP
 * (and a veth tag's room) between two linked boxes. A drawing with room for everything keeps its
 * places.
 */
function separate(devices: LaidOutDevice[], reachX: readonly number[], wires: readonly Wire[]): void {
  const links = new Map<string, number>();
  for (const w of wires) {
    const key = w.a.node < w.b.node ? `${w.a.node} ${w.b.node}` : `${w.b.node} ${w.a.node}`;
    links.set(key, Math.max(links.get(key) ?? 0, MIN_CABLE_GAP + (w.veth ? tagRoom(w.tagText) : 0)));
  }
  const order = devices.map((_, i) => i).sort((i, j) => devices[i]!.y - devices[j]!.y || devices[i]!.x - devices[j]!.x);
  const above: number[] = [];
  let shift = 0;
  for (let k = 0; k < order.length; ) {
    const y = devices[order[k]!]!.y;
    const row: number[] = [];
    while (k < order.length && devices[order[k]!]!.y === y) row.push(order[k++]!);
    let down = 0;
    for (const i of row) {
      const b = devices[i]!;
      b.y += shift;
      for (const j of above) {
        const a = devices[j]!;
        if (Math.abs(a.x - b.x) >= reachX[i]! + reachX[j]!) continue;
        const same = a.node !== undefined && a.node === b.node;
        // Under a's box: its ring, or its node's outline and free ports; above b's: its ring, or its node's name.
        const under = (a.freePorts.length > 0 ? 22 : 0) + (a.node !== undefined && !same ? NODE_PAD + 2 : RING_ROOM);
        const over = b.node !== undefined && !same ? NODE_NAME_ROOM : RING_ROOM;
        const gap = Math.max(under + over, links.get(i < j ? `${i} ${j}` : `${j} ${i}`) ?? 0);
        down = Math.max(down, a.y + a.hh + gap + b.hh - b.y);
      }
    }
    if (down > 0) shift += down;
    for (const i of row) {
      if (down > 0) devices[i]!.y += down;
      devices[i]!.y = round(devices[i]!.y);
    }
    above.push(...row);
  }
}

/** What is wrong with a layout, weighted: boxes (with their badges) that touch weigh most, then cables too short for two port names and a frame. */
function cramped(devices: readonly LaidOutDevice[], cables: readonly LaidOutCable[]): number {
  let wrong = 0;
  for (const c of cables) {
    if (c.a.device === c.b.device) continue;
    if (c.length - c.a.clearance - c.b.clearance < MIN_CABLE_GAP + (c.veth ? tagRoom(c.tagText) : 0)) wrong += 10;
  }
  for (let i = 0; i < devices.length; i++) {
    for (let j = i + 1; j < devices.length; j++) {
      const a = devices[i]!;
      const b = devices[j]!;
      // Boxes side by side on one row cannot be helped by stretching downwards.
      if (a.y === b.y) continue;
      const [upper, lower] = a.y < b.y ? [a, b] : [b, a];
      if (Math.abs(a.x - b.x) < a.hw + b.hw + 8 && lower.y - lower.hh - RING_ROOM < upper.y + upper.hh + RING_ROOM) wrong += 100;
    }
  }
  return wrong;
}

/** A rectangle by its centre and size. */
interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function overlaps(a: Rect, b: Rect, gap: number): boolean {
  return Math.abs(a.x - b.x) * 2 < a.w + b.w + 2 * gap && Math.abs(a.y - b.y) * 2 < a.h + b.h + 2 * gap;
}

/** A cable as points about 5 units apart, with their bounding box (to skip far cables at once). */
interface Sampled {
  points: Point[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function sampleCurve(c: Curve & { length: number }): Sampled {
  const n = Math.max(2, Math.min(200, Math.ceil(c.length / 5)));
  const points: Point[] = [];
  for (let i = 0; i <= n; i++) points.push(bezierPoint(c, i / n));
  const [minX, maxX] = extent(points.map((p) => p.x));
  const [minY, maxY] = extent(points.map((p) => p.y));
  return { points, minX, minY, maxX, maxY };
}

/** The distance from a point to a sampled cable. */
function distanceTo(s: Sampled, p: Point): number {
  let best = Infinity;
  for (const q of s.points) best = Math.min(best, (q.x - p.x) ** 2 + (q.y - p.y) ** 2);
  return Math.sqrt(best);
}

/** Whether a cable passes within `gap` of a rectangle. */
function touches(r: Rect, s: Sampled, gap: number): boolean {
  const hw = r.w / 2 + gap;
  const hh = r.h / 2 + gap;
  if (s.maxX < r.x - hw || s.minX > r.x + hw || s.maxY < r.y - hh || s.minY > r.y + hh) return false;
  for (const p of s.points) if (Math.abs(p.x - r.x) < hw && Math.abs(p.y - r.y) < hh) return true;
  return false;
}

/** A point `along` units from one end of the cable (measured along it), moved sideways just far enough that a w × h box there clears it. */
function besideCurve(c: LaidOutCable, along: number, atEnd: boolean, side: Point, flip: boolean, w: number, h: number, further = 0): Point {
  const t = Math.max(0, Math.min(1, along / (c.length || 1)));
  const at = bezierPoint(c, atEnd ? 1 - t : t);
  const tangent = bezierTangent(c, atEnd ? 1 - t : t);
  const tl = Math.hypot(tangent.x, tangent.y) || 1;
  let nx = -tangent.y / tl;
  let ny = tangent.x / tl;
  if (nx * side.x + ny * side.y < 0 !== flip) {
    nx = -nx;
    ny = -ny;
  }
  // Far enough that the box, grown by CABLE_CLEAR on every side (room for a frame's marker on the
  // cable), just clears the cable's tangent.
  const across = further < 0 ? 0 : (Math.abs(nx) * (w + 2 * CABLE_CLEAR) + Math.abs(ny) * (h + 2 * CABLE_CLEAR)) / 2 + 1 + further;
  return { x: at.x + nx * across, y: at.y + ny * across };
}


/** The port sits where the cable, leaving the device's centre towards its control point, meets the box (its name is placed later, beside the cable). */
function cableEnd(d: LaidOutDevice, port: string, vlans: PortVlans | undefined, curve: Curve, atEnd: boolean, written?: string): CableEnd {
  const text = written ?? (vlans ? `${port} ${vlans.text}` : port);
  const centre = atEnd ? curve.p3 : curve.p0;
  const control = atEnd ? curve.c2 : curve.c1;
  let dx = control.x - centre.x;
  let dy = control.y - centre.y;
  const len = Math.hypot(dx, dy);
  if (len > 0) {
    dx /= len;
    dy /= len;
  } else {
    // A cable of no length (its two devices drawn on one spot): leave sideways, so the port sits
    // on the box's edge instead of at an infinite distance.
    dx = atEnd ? -1 : 1;
    dy = 0;
  }
  const clearance = Math.min(dx === 0 ? Infinity : d.hw / Math.abs(dx), dy === 0 ? Infinity : d.hh / Math.abs(dy));
  const port0 = roundPoint({
    x: centre.x + dx * clearance,
    y: centre.y + dy * clearance,
  });
  const end: CableEnd = {
    device: d.id,
    port,
    text,
    clearance,
    port0,
    label: port0,
  };
  if (vlans) {
    end.about = vlans.about;
    if (vlans.access !== undefined) end.vlan = vlans.access;
  }
  return end;
}

function bezierTangent(c: Curve, t: number): Point {
  const u = 1 - t;
  return {
    x: 3 * u * u * (c.c1.x - c.p0.x) + 6 * u * t * (c.c2.x - c.c1.x) + 3 * t * t * (c.p3.x - c.c2.x),
    y: 3 * u * u * (c.c1.y - c.p0.y) + 6 * u * t * (c.c2.y - c.c1.y) + 3 * t * t * (c.p3.y - c.c2.y),
  };
}


function curveLength(c: Curve): number {
  let length = 0;
  let previous = c.p0;
  for (let i = 1; i <= 16; i++) {
    const p = bezierPoint(c, i / 16);
    length += Math.hypot(p.x - previous.x, p.y - previous.y);
    previous = p;
  }
  return length;
}


function roundPoint(p: Point): Point {
  return { x: round(p.x), y: round(p.y) };
}
