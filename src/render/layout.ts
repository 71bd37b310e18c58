// Fits a scenario's topology into an SVG viewBox: devices where the scenario's `position` hints
// put them (scaled to fit), on a circle when a hint is missing; every cable a cubic Bézier, so
// that several cables between the same two devices are drawn as distinct curves. A big topology
// (more than GROUP_FROM devices) draws the hosts that hang off one device as a single group box
// ("500 hosts") joined to it by one bundled cable: a drawing of 2,000 boxes is unreadable and slow,
// and the log, the tables and the editor still name every host. Namespaces of one node (a machine)
// are drawn together inside an outlined, labelled box; a namespace's bridge devices are written
// inside its box ("br0 10.0.1.1"); a veth link is marked so that it is drawn apart from a cable.
// Pure geometry: no DOM, no
// networking; every lookup by a user's name goes through a Map, and every number that reaches
// the SVG is finite, whatever positions a caller passes.

import type { DeviceKind, DeviceSpec, Scenario } from '../sim/scenario/format';
import { devicePorts, splitEndpoint } from '../sim/scenario/format';
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
  /** The node (machine) this namespace belongs to. */
  node?: string;
  /** Written inside the box under the name: the namespace's bridge devices ("br0 10.0.1.1"). */
  lines?: string[];
  /** The bridge devices in words, for the drawing's text description ("bridge br0 10.0.1.1/24 over veth1 and veth2"). */
  about?: string;
  /** Written inside the box under its name (and its bridge lines), one line each: its IPv4 addresses with prefix ("10.0.0.1/24"; "eth0.10 10.1.10.1/24" when it has several). */
  addresses?: string[];
  /** Shown on hover or focus, one line each: its MACs and its gateway ("MAC eth0 02:00:00:00:00:0a", "gateway 10.0.0.254"). */
  details?: string[];
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
  /** A veth pair (inside one node), not a cable: drawn dashed, with `tag` ("veth") beside its middle. */
  veth: boolean;
  /** Where "veth" is written: beside the link's middle, clear of the edit mode's ✕. */
  tag?: Point;
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
  /** Scale and origin from scenario units to the viewBox: view = MARGIN + (hint - origin) * scale. */
  scale: number;
  originX: number;
  originY: number;
}

/** The scenario position (hint units) of a point of the drawing: the inverse of the fit, for dragging. */
export function toHint(layout: Pick<Layout, 'scale' | 'originX' | 'originY'>, view: Point): Point {
  return { x: (view.x - MARGIN) / layout.scale + layout.originX, y: (view.y - MARGIN) / layout.scale + layout.originY };
}

/** Where the drawing starts before the viewBox is fitted around it. */
const MARGIN = 50;
/** Room kept above each device for what it did in the latest step ("⇉ flooded"). */
const BADGE_ROOM = 30;
/** Padding around everything drawn. */
const PAD = 6;
/** The drawing's inner box is at most this wide and this tall (unless cables would get too short). */
const INNER_WIDTH = 270;
const INNER_HEIGHT = 190;
/** Visible cable between two cabled devices' boxes, at least, so that port names and frames fit. */
const MIN_CABLE_GAP = 72;
/** More of it on a veth pair, for its "veth" tag. */
const VETH_TAG_ROOM = 36;
/** How far apart parallel cables bulge, in viewBox units. */
const PARALLEL_SPREAD = 36;
/** How far past the port the port's name sits, along and across the cable (across: clear of a frame marker). */
const LABEL_ALONG = 15;
const LABEL_ACROSS = 15;
/** Above this many devices, hosts that hang off one device are drawn as one group box. */
export const GROUP_FROM = 40;
/** Position hints are used within ±POSITION_LIMIT (the validator's own limit); a hint beyond it, or not a finite number, counts as missing. */
export const POSITION_LIMIT = MAX_COORDINATE;

/** Height of one line written inside a box under its name (a bridge device). */
const LINE_HEIGHT = 13;
/** Room around a node's namespaces inside its outline: sides, and above (for their badges). */
const NODE_PAD = 10;

export function deviceBox(label: string, lines: readonly string[] = [], addresses: readonly string[] = []): { hw: number; hh: number } {
  let hw = Math.max(26, label.length * 4.8 + 10);
  for (const line of lines) hw = Math.max(hw, line.length * 3.9 + 10);
  // Monospace at 15px: about 9 units a character.
  for (const address of addresses) hw = Math.max(hw, address.length * 4.6 + 10);
  return { hw, hh: 15 + (lines.length * LINE_HEIGHT + addresses.length * ADDRESS_STEP) / 2 };
}

/** The lines a namespace's box carries for its bridge devices, and the same in words. */
function bridgeLines(d: DeviceSpec): { lines: string[]; about: string } | undefined {
  if ((d.kind !== 'host' && d.kind !== 'router') || !d.bridges?.length) return undefined;
  const list = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
  const lines = d.bridges.map((b) => (b.ip ? `${b.name} ${b.ip.split('/')[0]}` : b.name));
  const about = d.bridges.map((b) => `bridge ${b.name}${b.ip ? ` ${b.ip}` : ''}${b.ports.length ? ` over ${list(b.ports)}` : ' with no ports'}`);
  return { lines, about: list(about) };
}

/** Height of one address line written inside a box (player.css writes them at 15px: at the drawing's smallest scale, MIN_SCALE, 12 CSS pixels). */
export const ADDRESS_STEP = 17;
/** The drawing is never shown smaller than this many CSS pixels per viewBox unit (player.css and Topology.tsx keep it): its addresses stay legible on a phone. */
export const MIN_SCALE = 0.8;

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
}

/** The boxes to draw: every device, except that in a big topology hosts with one cable to the same non-host share a group box. */
function nodesOf(scenario: Scenario): { nodes: Node[]; groupOf: Map<string, string> } {
  const groupOf = new Map<string, string>();
  const plain = (d: DeviceSpec): Node => {
    const node: Node = { id: d.id, label: d.label ?? d.id, kind: d.kind, spec: d };
    if (usable(d.position)) node.hint = { x: d.position.x, y: d.position.y };
    if ((d.kind === 'host' || d.kind === 'router') && typeof d.node === 'string') node.node = d.node;
    return node;
  };
  if (scenario.devices.length <= GROUP_FROM) return { nodes: scenario.devices.map(plain), groupOf };
  // Plain loops over thousands of devices and cables (this runs once per new big topology, before
  // the page's JavaScript engine has warmed up to it).
  const kinds = new Map<string, DeviceKind>();
  for (const d of scenario.devices) kinds.set(d.id, d.kind);
  const cables = new Map<string, string[]>();
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
  }
  const members = new Map<string, DeviceSpec[]>();
  for (const d of scenario.devices) {
    const peers = cables.get(d.id);
    // A namespace of a named node keeps its own box, inside its node's outline.
    if (d.kind !== 'host' || peers?.length !== 1 || d.node !== undefined) continue;
    const peer = peers[0]!;
    if (peer === d.id || kinds.get(peer) === 'host' || !kinds.has(peer)) continue;
    const list = members.get(peer);
    if (list) list.push(d);
    else members.set(peer, [d]);
  }
  for (const [peer, list] of members) {
    if (list.length < 2) members.delete(peer);
    else for (const d of list) groupOf.set(d.id, `group:${peer}`);
  }
  const nodes: Node[] = [];
  for (const d of scenario.devices) {
    if (groupOf.has(d.id)) continue;
    nodes.push(plain(d));
    const list = members.get(d.id);
    if (!list) continue;
    const group: Node = { id: `group:${d.id}`, label: `${formatCount(list.length)} hosts`, kind: 'host', members: list };
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
  return { nodes, groupOf };
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
    return { x: x + ux * NODE_SPACING - uy * across, y: y + uy * NODE_SPACING + ux * across };
  });
}

/** The VLANs of a port, as the drawing writes them beside its name; undefined where VLANs do not apply. */
export function portVlans(spec: DeviceSpec | undefined, port: string): { text: string; about: string; trunk: boolean } | undefined {
  const list = (ids: readonly (string | number)[]) => (ids.length < 2 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`);
  if (spec?.kind === 'switch') {
    const p = spec.ports.find((q) => q.port === port);
    if (!p) return undefined;
    if (p.mode === 'trunk') {
      // The VLAN list goes in the description only: beside the port it would crowd the cables.
      const tagged = (p.vlans ?? []).filter((vid) => vid !== p.native);
      const native = p.native === undefined ? '' : `${tagged.length ? ', ' : ''}VLAN ${p.native} untagged (native)`;
      return { text: 'trunk', about: `trunk carrying ${tagged.length ? `VLAN${tagged.length > 1 ? 's' : ''} ${list(tagged)} tagged` : ''}${native}`, trunk: true };
    }
    return { text: `v${p.vlan ?? 1}`, about: `access port in VLAN ${p.vlan ?? 1}`, trunk: false };
  }
  if (spec?.kind === 'host' || spec?.kind === 'router') {
    const nic = spec.nics.find((n) => n.port === port);
    if (nic?.vlans?.length) return { text: nic.vlans.map((sub) => `.${sub.vlan}`).join(' '), about: `sub-interfaces ${list(nic.vlans.map((sub) => `${port}.${sub.vlan}`))}`, trunk: false };
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
}

/** The boxes to draw, the first half of layoutScenario (a big topology's player computes it in a task of its own). */
export type LayoutBoxes = ReturnType<typeof nodesOf>;
export function layoutBoxes(scenario: Scenario): LayoutBoxes {
  return nodesOf(scenario);
}

export function layoutScenario(scenario: Scenario, prepared: LayoutBoxes = nodesOf(scenario)): Layout {
  const { nodes, groupOf } = prepared;
  const raw = hintedPositions(nodes);
  const [minX, maxX] = raw.length ? extent(raw.map((p) => p.x)) : [0, 0];
  const [minY, maxY] = raw.length ? extent(raw.map((p) => p.y)) : [0, 0];
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const fit = Math.min(spanX > 0 ? INNER_WIDTH / spanX : Infinity, spanY > 0 ? INNER_HEIGHT / spanY : Infinity, 1.5);

  // The cables to draw: one per link between drawn devices, one bundle per group.
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const wires: Wire[] = [];
  const cableOf: number[] = new Array(scenario.links.length).fill(-1);
  const bundles = new Map<string, Wire>();
  scenario.links.forEach((link, index) => {
    const ea = splitEndpoint(link.a);
    const eb = splitEndpoint(link.b);
    const ga = groupOf.get(ea.device);
    const gb = groupOf.get(eb.device);
    if (ga !== undefined || gb !== undefined) {
      const group = (ga ?? gb)!;
      const peer = ga !== undefined ? eb : ea;
      let wire = bundles.get(group);
      if (!wire) {
        wire = { index: wires.length, link: -1, links: [], a: { node: nodeIndex.get(group)!, port: '', text: '' }, b: { node: nodeIndex.get(peer.device)!, port: '' } };
        bundles.set(group, wire);
        wires.push(wire);
      }
      wire.links!.push(index);
      cableOf[index] = wire.index;
      return;
    }
    const i = nodeIndex.get(ea.device);
    const j = nodeIndex.get(eb.device);
    if (i === undefined || j === undefined) return;
    cableOf[index] = wires.length;
    const wire: Wire = { index: wires.length, link: index, a: { node: i, port: ea.port }, b: { node: j, port: eb.port } };
    if (link.type === 'veth') wire.veth = true;
    wires.push(wire);
  });
  for (const wire of bundles.values()) wire.b.text = `${formatCount(wire.links!.length)} ports`;

  // Grow the drawing (up to twice the fitted size) if a cable would be too short to read: the
  // boxes keep their size whatever the scale, so the room between them is what must be kept.
  const bridged = nodes.map((n) => (n.spec ? bridgeLines(n.spec) : undefined));
  // A big topology's drawing is about its shape: its addresses are in the tables and the editor.
  const said = nodes.map((n) => (n.spec && scenario.devices.length <= GROUP_FROM ? deviceAddresses(n.spec) : undefined));
  const boxes = nodes.map((n, i) => deviceBox(n.label, bridged[i]?.lines, said[i]?.addresses));
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
    // A veth pair also carries its "veth" tag between the two port names.
    needed = Math.max(needed, (reach(boxes[i]!) + reach(boxes[j]!) + MIN_CABLE_GAP + (wire.veth ? VETH_TAG_ROOM : 0)) / span);
  }
  const base = Number.isFinite(fit) && fit > 0 ? fit : 1;
  const s = Math.min(Math.max(base, Number.isFinite(needed) ? needed : base), base * 2);

  const cabled = new Set<string>();
  for (const link of scenario.links) {
    cabled.add(link.a);
    cabled.add(link.b);
  }

  const devices: LaidOutDevice[] = nodes.map((n, i) => {
    const d: LaidOutDevice = {
      id: n.id,
      label: n.label,
      kind: n.kind,
      x: round(MARGIN + (raw[i]!.x - minX) * s),
      y: round(MARGIN + (raw[i]!.y - minY) * s),
      ...boxes[i]!,
      freePorts: n.spec ? devicePorts(n.spec).filter((port) => !cabled.has(`${n.id}:${port}`)) : [],
    };
    if (n.members) d.members = n.members.map((m) => m.id);
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
  const device = new Map(devices.map((d) => [d.id, d]));
  const nodeOf = new Map<string, LaidOutDevice>();
  for (const d of devices) {
    if (d.members) for (const m of d.members) nodeOf.set(m, d);
    else nodeOf.set(d.id, d);
  }
  // The free ports of a device with hundreds of them would be one endless line: say how many.
  for (const d of devices) if (d.freePorts.length > 6) d.freePorts = [`${formatCount(d.freePorts.length)} ports`];

  // Group cables by the unordered pair of boxes they join, to spread parallel ones apart.
  const pairKey = (i: number, j: number) => (i < j ? `${i} ${j}` : `${j} ${i}`);
  const groups = new Map<string, number[]>();
  wires.forEach((wire, index) => {
    const key = pairKey(wire.a.node, wire.b.node);
    const list = groups.get(key);
    if (list) list.push(index);
    else groups.set(key, [index]);
  });

  const cables: LaidOutCable[] = wires.map((wire, index) => {
    const da = devices[wire.a.node]!;
    const db = devices[wire.b.node]!;
    const group = groups.get(pairKey(wire.a.node, wire.b.node))!;
    const rank = group.length === 1 ? 0 : group.indexOf(index);
    const p0 = { x: da.x, y: da.y };
    const p3 = { x: db.x, y: db.y };
    let c1: Point;
    let c2: Point;
    // Which side of the cable each end's port name goes: beside the cable, on the outer side of
    // a bulging one, else on opposite sides for the two ends so that a short cable fits both.
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
      const bulge = (rank - (group.length - 1) / 2) * PARALLEL_SPREAD * 2;
      // A quadratic bulge written as a cubic: control point q, c1 = p0 + 2/3 (q - p0), ...
      const q = { x: (p0.x + p3.x) / 2 + nx * bulge, y: (p0.y + p3.y) / 2 + ny * bulge };
      c1 = { x: p0.x + (2 / 3) * (q.x - p0.x), y: p0.y + (2 / 3) * (q.y - p0.y) };
      c2 = { x: p3.x + (2 / 3) * (q.x - p3.x), y: p3.y + (2 / 3) * (q.y - p3.y) };
      if (bulge !== 0) {
        sideA = { x: nx * Math.sign(bulge), y: ny * Math.sign(bulge) };
        sideB = sideA;
      } else {
        sideA = { x: nx, y: ny };
        sideB = { x: -nx, y: -ny };
      }
    }
    const curve = { p0, c1, c2, p3 };
    const length = curveLength(curve);
    const sa = nodes[wire.a.node]!.spec;
    const sb = nodes[wire.b.node]!.spec;
    const va = wire.a.text === undefined ? portVlans(sa, wire.a.port) : undefined;
    const vb = wire.b.text === undefined ? portVlans(sb, wire.b.port) : undefined;
    const cable: LaidOutCable = {
      index,
      link: wire.link,
      a: cableEnd(da, wire.a.port, va, curve, length, false, sideA, wire.a.text),
      b: cableEnd(db, wire.b.port, vb, curve, length, true, sideB, wire.b.text),
      trunk: (va?.trunk ?? false) || (vb?.trunk ?? false),
      veth: wire.veth === true,
      p0,
      c1: roundPoint(c1),
      c2: roundPoint(c2),
      p3,
      d: `M${p0.x},${p0.y} C${round(c1.x)},${round(c1.y)} ${round(c2.x)},${round(c2.y)} ${p3.x},${p3.y}`,
      length,
    };
    if (wire.links) cable.links = wire.links;
    if (cable.veth) {
      // Beside the middle, on the side the port names are not (the ✕ of edit mode sits on the middle).
      const mid = bezierPoint(curve, 0.5);
      const tangent = bezierTangent(curve, 0.5);
      const tl = Math.hypot(tangent.x, tangent.y) || 1;
      const flip = -tangent.y / tl * sideA.x + tangent.x / tl * sideA.y > 0 ? -1 : 1;
      cable.tag = roundPoint({ x: mid.x + (flip * -tangent.y / tl) * 14, y: mid.y + (flip * tangent.x / tl) * 14 });
    }
    return cable;
  });

  // Each node's outline: around its namespaces' boxes, with room for their badges above and
  // their free ports below.
  const outlines = new Map<string, { minX: number; minY: number; maxX: number; maxY: number; members: string[] }>();
  for (const d of devices) {
    if (d.node === undefined) continue;
    const top = d.y - d.hh - BADGE_ROOM;
    const bottom = d.y + d.hh + (d.freePorts.length > 0 ? 20 : 0);
    const half = Math.max(d.hw, d.freePorts.length > 0 ? (d.freePorts.join(', ').length + 6) * 3.6 : 0);
    const o = outlines.get(d.node);
    if (!o) outlines.set(d.node, { minX: d.x - half, maxX: d.x + half, minY: top, maxY: bottom, members: [d.id] });
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
    nodeBoxes.push({ name, x, y, width: round(o.maxX + NODE_PAD - x), height: round(o.maxY + NODE_PAD - y), members: o.members });
  }

  // Fit the viewBox around what is drawn: boxes, badges, port names, curves.
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const include = (x: number, y: number, rx: number, ry: number) => {
    box.minX = Math.min(box.minX, x - rx);
    box.maxX = Math.max(box.maxX, x + rx);
    box.minY = Math.min(box.minY, y - ry);
    box.maxY = Math.max(box.maxY, y + ry);
  };
  for (const d of devices) {
    include(d.x, d.y, d.hw + 6, d.hh + 6);
    include(d.x, d.y - d.hh - BADGE_ROOM / 2, 42, BADGE_ROOM / 2);
    if (d.freePorts.length > 0) include(d.x, d.y + d.hh + 10, (d.freePorts.join(', ').length + 6) * 3.6, 8);
  }
  for (const n of nodeBoxes) {
    include(n.x + n.width / 2, n.y + n.height / 2, n.width / 2 + 2, n.height / 2 + 2);
    // Its name, written above its top-left corner.
    include(n.x + (n.name.length + 5) * 3.8, n.y - 8, (n.name.length + 5) * 3.8 + 2, 9);
  }
  for (const c of cables) {
    if (c.tag) include(c.tag.x, c.tag.y, 14, 8);
    for (const end of [c.a, c.b]) include(end.label.x, end.label.y, end.text.length * 3.8 + 3, 9);
    for (const t of [0.25, 0.5, 0.75]) {
      const p = bezierPoint(c, t);
      include(p.x, p.y, 10, 10);
    }
  }
  if (!(box.maxX >= box.minX) || !(box.maxY >= box.minY)) Object.assign(box, { minX: 0, minY: 0, maxX: 400, maxY: 300 });
  // Keep a minimum width so that a single device or a vertical chain is not a sliver.
  const grow = Math.max(0, 200 - (box.maxX - box.minX)) / 2;
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
    else hints[d.id] = rawById.get(groupOf.get(d.id) ?? '') ?? { x: minX, y: minY };
  }
  return {
    x0,
    y0,
    width,
    height,
    viewBox: `${x0} ${y0} ${width} ${height}`,
    devices,
    nodes: nodeBoxes,
    cables,
    device,
    nodeOf,
    cableOf,
    grouped: groupOf.size,
    hints,
    scale: s,
    originX: minX,
    originY: minY,
  };
}

/**
 * The port sits where the cable, leaving the device's centre towards its control point, meets the
 * box; its name sits a little further along the cable, beside it on the given side.
 */
function cableEnd(d: LaidOutDevice, port: string, vlans: { text: string; about: string } | undefined, curve: Curve, length: number, atEnd: boolean, side: Point, written?: string): CableEnd {
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
  // The name's box is wider than tall: along a flat cable it needs more room along, along a steep
  // one more room across.
  const across = LABEL_ACROSS + text.length * 2.2 * Math.abs(dy) - 2 * Math.abs(dx);
  // Follow the curve itself (not its first tangent), so the name stays beside a bending cable;
  // further along it while the name would sit on its own box (a wide one, with addresses, beside a slanting cable).
  const place = (along: number, flip = false) => {
    const t = Math.min(0.45, along / (length || 1));
    const at = bezierPoint(curve, atEnd ? 1 - t : t);
    const tangent = bezierTangent(curve, atEnd ? 1 - t : t);
    const tl = Math.hypot(tangent.x, tangent.y) || 1;
    let nx = -tangent.y / tl;
    let ny = tangent.x / tl;
    if (nx * side.x + ny * side.y < 0 !== flip) {
      nx = -nx;
      ny = -ny;
    }
    return { x: at.x + nx * across, y: at.y + ny * across, end: t >= 0.45 };
  };
  const onBox = (p: Point) => d.addresses !== undefined && Math.abs(p.x - centre.x) < d.hw + text.length * 3.8 + 2 && Math.abs(p.y - centre.y) < d.hh + 8;
  let along = clearance + LABEL_ALONG + text.length * 1.5 * Math.abs(dx);
  let label = place(along);
  for (let k = 0; k < 12 && onBox(label) && !label.end; k++) label = place((along += 4));
  // Still on it (a short cable): the other side of the cable, on a straight one the side away from the box.
  if (onBox(label)) {
    const other = place(clearance + LABEL_ALONG + text.length * 1.5 * Math.abs(dx), true);
    if (!onBox(other)) label = other;
  }
  const end: CableEnd = {
    device: d.id,
    port,
    text,
    clearance,
    port0: roundPoint({ x: centre.x + dx * clearance, y: centre.y + dy * clearance }),
    label: roundPoint(label),
  };
  if (vlans) end.about = vlans.about;
  return end;
}

function bezierTangent(c: Curve, t: number): Point {
  const u = 1 - t;
  return {
    x: 3 * u * u * (c.c1.x - c.p0.x) + 6 * u * t * (c.c2.x - c.c1.x) + 3 * t * t * (c.p3.x - c.c2.x),
    y: 3 * u * u * (c.c1.y - c.p0.y) + 6 * u * t * (c.c2.y - c.c1.y) + 3 * t * t * (c.p3.y - c.c2.y),
  };
}

interface Curve {
  p0: Point;
  c1: Point;
  c2: Point;
  p3: Point;
}

/** The point at parameter t (0 at p0, 1 at p3). */
export function bezierPoint(c: Curve, t: number): Point {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const d = 3 * u * t * t;
  const e = t * t * t;
  return { x: a * c.p0.x + b * c.c1.x + d * c.c2.x + e * c.p3.x, y: a * c.p0.y + b * c.c1.y + d * c.c2.y + e * c.p3.y };
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

/** Whether a frame sent by `fromDevice` out of `fromPort` travels the cable from a to b. */
export function travelsForward(cable: LaidOutCable, fromDevice: string, fromPort: string): boolean {
  return cable.a.device === fromDevice && cable.a.port === fromPort;
}

/**
 * Where a frame's marker starts (just outside the sender's port) and where it waits for its
 * arrival (just before the receiver's port), as parameters along the direction of travel.
 */
export function markerSpan(cable: LaidOutCable, forward: boolean): { start: number; end: number } {
  const length = cable.length || 1;
  const from = forward ? cable.a : cable.b;
  const to = forward ? cable.b : cable.a;
  const start = Math.min(0.4, (from.clearance + 6) / length);
  // Wait just outside the receiver's port (port names sit beside the cable, clear of markers).
  const end = Math.max(0.6, 1 - (to.clearance + 13) / length);
  return { start, end };
}

/** The marker's position at parameter t along the direction of travel. */
export function pointAlong(cable: LaidOutCable, forward: boolean, t: number): Point {
  return bezierPoint(cable, forward ? t : 1 - t);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function roundPoint(p: Point): Point {
  return { x: round(p.x), y: round(p.y) };
}
