// Fits a scenario's topology into an SVG viewBox: devices where the scenario's `position` hints
// put them (scaled to fit), on a circle when a hint is missing; every cable a cubic Bézier, so
// that several cables between the same two devices are drawn as distinct curves. Pure geometry:
// no DOM, no networking.

import type { DeviceKind, DeviceSpec, Scenario } from '../sim/scenario/format';
import { devicePorts, splitEndpoint } from '../sim/scenario/format';

export interface Point {
  x: number;
  y: number;
}

export interface LaidOutDevice {
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
  index: number;
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
}

export interface Layout {
  /** The viewBox: its top-left corner and size. */
  x0: number;
  y0: number;
  width: number;
  height: number;
  viewBox: string;
  devices: LaidOutDevice[];
  cables: LaidOutCable[];
  device: Record<string, LaidOutDevice>;
  /** Each device's position in the scenario's own units (its hint, or where the circle put it). */
  hints: Record<string, Point>;
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
/** How far apart parallel cables bulge, in viewBox units. */
const PARALLEL_SPREAD = 36;
/** How far past the port the port's name sits, along and across the cable (across: clear of a frame marker). */
const LABEL_ALONG = 15;
const LABEL_ACROSS = 15;

export function deviceBox(label: string): { hw: number; hh: number } {
  return { hw: Math.max(26, label.length * 4.8 + 10), hh: 15 };
}

function hintedPositions(scenario: Scenario): Point[] {
  const known = scenario.devices.filter((d) => d.position).map((d) => d.position!);
  const missing = scenario.devices.filter((d) => !d.position);
  let cx = 300;
  let cy = 180;
  let radius = 150;
  if (known.length > 0) {
    const xs = known.map((p) => p.x);
    const ys = known.map((p) => p.y);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    cx = (minX + maxX) / 2;
    cy = (minY + maxY) / 2;
    radius = Math.max(150, Math.hypot(maxX - minX, maxY - minY) / 2 + 60);
  }
  let k = 0;
  return scenario.devices.map((d) => {
    if (d.position) return { x: d.position.x, y: d.position.y };
    const angle = -Math.PI / 2 + (2 * Math.PI * k++) / missing.length;
    return { x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
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

export function layoutScenario(scenario: Scenario): Layout {
  const raw = hintedPositions(scenario);
  const xs = raw.map((p) => p.x);
  const ys = raw.map((p) => p.y);
  const minX = xs.length ? Math.min(...xs) : 0;
  const minY = ys.length ? Math.min(...ys) : 0;
  const spanX = xs.length ? Math.max(...xs) - minX : 0;
  const spanY = ys.length ? Math.max(...ys) - minY : 0;
  const fit = Math.min(spanX > 0 ? INNER_WIDTH / spanX : Infinity, spanY > 0 ? INNER_HEIGHT / spanY : Infinity, 1.5);
  // Grow the drawing (up to twice the fitted size) if a cable would be too short to read: the
  // boxes keep their size whatever the scale, so the room between them is what must be kept.
  const index = new Map(scenario.devices.map((d, i) => [d.id, i]));
  const boxes = scenario.devices.map((d) => deviceBox(d.label ?? d.id));
  let needed = 0;
  for (const link of scenario.links) {
    const i = index.get(splitEndpoint(link.a).device);
    const j = index.get(splitEndpoint(link.b).device);
    if (i === undefined || j === undefined || i === j) continue;
    const dx = raw[j]!.x - raw[i]!.x;
    const dy = raw[j]!.y - raw[i]!.y;
    const span = Math.hypot(dx, dy);
    if (span === 0) continue;
    const reach = (b: { hw: number; hh: number }) => Math.min(dx === 0 ? Infinity : (b.hw * span) / Math.abs(dx), dy === 0 ? Infinity : (b.hh * span) / Math.abs(dy));
    needed = Math.max(needed, (reach(boxes[i]!) + reach(boxes[j]!) + MIN_CABLE_GAP) / span);
  }
  const base = Number.isFinite(fit) ? fit : 1;
  const s = Math.min(Math.max(base, needed), base * 2);
  const offsetX = MARGIN;

  const cabled = new Set<string>();
  for (const link of scenario.links) {
    cabled.add(link.a);
    cabled.add(link.b);
  }

  const devices: LaidOutDevice[] = scenario.devices.map((spec, i) => {
    const label = spec.label ?? spec.id;
    return {
      id: spec.id,
      label,
      kind: spec.kind,
      x: round(offsetX + (raw[i]!.x - minX) * s),
      y: round(MARGIN + (raw[i]!.y - minY) * s),
      ...deviceBox(label),
      freePorts: devicePorts(spec).filter((port) => !cabled.has(`${spec.id}:${port}`)),
    };
  });
  const device: Record<string, LaidOutDevice> = Object.fromEntries(devices.map((d) => [d.id, d]));

  // Group cables by the unordered pair of devices they join, to spread parallel ones apart.
  const groups = new Map<string, number[]>();
  scenario.links.forEach((link, index) => {
    const a = splitEndpoint(link.a).device;
    const b = splitEndpoint(link.b).device;
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    const list = groups.get(key) ?? [];
    list.push(index);
    groups.set(key, list);
  });

  const specs = new Map(scenario.devices.map((d) => [d.id, d]));
  const cables: LaidOutCable[] = scenario.links.map((link, index) => {
    const ea = splitEndpoint(link.a);
    const eb = splitEndpoint(link.b);
    const da = device[ea.device]!;
    const db = device[eb.device]!;
    const key = ea.device < eb.device ? `${ea.device}\u0000${eb.device}` : `${eb.device}\u0000${ea.device}`;
    const group = groups.get(key)!;
    const rank = group.indexOf(index);
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
      const [first, second] = ea.device < eb.device ? [da, db] : [db, da];
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
    const va = portVlans(specs.get(ea.device), ea.port);
    const vb = portVlans(specs.get(eb.device), eb.port);
    return {
      index,
      a: cableEnd(da, ea.port, va, curve, length, false, sideA),
      b: cableEnd(db, eb.port, vb, curve, length, true, sideB),
      trunk: (va?.trunk ?? false) || (vb?.trunk ?? false),
      p0,
      c1: roundPoint(c1),
      c2: roundPoint(c2),
      p3,
      d: `M${p0.x},${p0.y} C${round(c1.x)},${round(c1.y)} ${round(c2.x)},${round(c2.y)} ${p3.x},${p3.y}`,
      length,
    };
  });

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
  for (const c of cables) {
    for (const end of [c.a, c.b]) include(end.label.x, end.label.y, end.text.length * 3.8 + 3, 9);
    for (const t of [0.25, 0.5, 0.75]) {
      const p = bezierPoint(c, t);
      include(p.x, p.y, 10, 10);
    }
  }
  // Keep a minimum width so that a single device or a vertical chain is not a sliver.
  const grow = Math.max(0, 200 - (box.maxX - box.minX)) / 2;
  const x0 = Math.floor(box.minX - PAD - grow);
  const y0 = Math.floor(box.minY - PAD);
  const width = Math.ceil(box.maxX + PAD + grow) - x0;
  const height = Math.ceil(box.maxY + PAD) - y0;
  const hints: Record<string, Point> = Object.fromEntries(scenario.devices.map((d, i) => [d.id, raw[i]!]));
  return { x0, y0, width, height, viewBox: `${x0} ${y0} ${width} ${height}`, devices, cables, device, hints, scale: s, originX: minX, originY: minY };
}

/**
 * The port sits where the cable, leaving the device's centre towards its control point, meets the
 * box; its name sits a little further along the cable, beside it on the given side.
 */
function cableEnd(d: LaidOutDevice, port: string, vlans: { text: string; about: string } | undefined, curve: Curve, length: number, atEnd: boolean, side: Point): CableEnd {
  const text = vlans ? `${port} ${vlans.text}` : port;
  const centre = atEnd ? curve.p3 : curve.p0;
  const control = atEnd ? curve.c2 : curve.c1;
  let dx = control.x - centre.x;
  let dy = control.y - centre.y;
  const len = Math.hypot(dx, dy) || 1;
  dx /= len;
  dy /= len;
  const clearance = Math.min(dx === 0 ? Infinity : d.hw / Math.abs(dx), dy === 0 ? Infinity : d.hh / Math.abs(dy));
  // The name's box is wider than tall: along a flat cable it needs more room along, along a steep
  // one more room across.
  const along = clearance + LABEL_ALONG + text.length * 1.5 * Math.abs(dx);
  const across = LABEL_ACROSS + text.length * 2.2 * Math.abs(dy) - 2 * Math.abs(dx);
  // Follow the curve itself (not its first tangent), so the name stays beside a bending cable.
  const t = Math.min(0.45, along / (length || 1));
  const at = bezierPoint(curve, atEnd ? 1 - t : t);
  const tangent = bezierTangent(curve, atEnd ? 1 - t : t);
  const tl = Math.hypot(tangent.x, tangent.y) || 1;
  let nx = -tangent.y / tl;
  let ny = tangent.x / tl;
  if (nx * side.x + ny * side.y < 0) {
    nx = -nx;
    ny = -ny;
  }
  const end: CableEnd = {
    device: d.id,
    port,
    text,
    clearance,
    port0: roundPoint({ x: centre.x + dx * clearance, y: centre.y + dy * clearance }),
    label: roundPoint({ x: at.x + nx * across, y: at.y + ny * across }),
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
