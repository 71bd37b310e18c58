// The drawing's geometry that the page needs without the layout code (layout.ts, which lays a
// drawing out and comes with the core): widths, where a frame's marker goes along its cable, and
// the inverse of the fit for dragging. Pure.

import type { LaidOutCable, LaidOutDevice, Layout, Point } from './layout';

/** The scenario position (hint units) of a point of the drawing: the inverse of the fit, for dragging. */
export function toHint(layout: Pick<Layout, 'scaleX' | 'scaleY' | 'originX' | 'originY'>, view: Point): Point {
  return {
    x: (view.x - MARGIN) / (layout.scaleX || 1) + layout.originX,
    y: (view.y - MARGIN) / (layout.scaleY || 1) + layout.originY,
  };
}

/** Where the drawing starts before the viewBox is fitted around it. */
export const MARGIN = 50;

/** The widths a small topology's drawing is laid out for, in CSS pixels: a player on a 360 px phone has 307 for it; a wider one is shown at up to WIDE_WIDTH. */
export const NARROW_WIDTH = 300;
export const WIDE_WIDTH = 520;

/** Above this many devices, hosts that hang off one device are drawn as one group box. */
export const GROUP_FROM = 40;

/** Where a device's free ports are written: under its box. */
export function freeY(d: Pick<LaidOutDevice, 'y' | 'hh'>): number {
  return round(d.y + d.hh + 13);
}

export interface Curve {
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
  return {
    x: a * c.p0.x + b * c.c1.x + d * c.c2.x + e * c.p3.x,
    y: a * c.p0.y + b * c.c1.y + d * c.c2.y + e * c.p3.y,
  };
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

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The SVG transform that puts a frame's marker `t` of the way along its cable (as pointAlong). */
export function markerTransform(cable: LaidOutCable, forward: boolean, t: number): string {
  const p = pointAlong(cable, forward, t);
  return `translate(${Math.round(p.x * 10) / 10},${Math.round(p.y * 10) / 10})`;
}
