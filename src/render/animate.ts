// Moves a frame's marker along its cable with d3-transition. The marker is rendered (on the
// server too) where it waits for its arrival; this only animates the way there, so a reader who
// prefers reduced motion, or a page without JavaScript, sees the same final picture.

import { select } from 'd3-selection';
import 'd3-transition';
import { easeCubicOut } from 'd3-ease';
import { markerSpan, pointAlong, type LaidOutCable } from './layout';

export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function markerTransform(cable: LaidOutCable, forward: boolean, t: number): string {
  const p = pointAlong(cable, forward, t);
  return `translate(${Math.round(p.x * 10) / 10},${Math.round(p.y * 10) / 10})`;
}

/** Slides `marker` (an SVG <g>) from just outside the sender's port to where it waits. */
export function animateMarker(marker: SVGGElement, cable: LaidOutCable, forward: boolean, duration: number): void {
  if (prefersReducedMotion() || duration <= 0) return;
  const { start, end } = markerSpan(cable, forward);
  select(marker)
    .interrupt()
    .attr('transform', markerTransform(cable, forward, start))
    .transition()
    .duration(duration)
    .ease(easeCubicOut)
    .attrTween('transform', () => (k: number) => markerTransform(cable, forward, start + (end - start) * k));
}

/** Ends every marker animation inside `root` at once, each marker where it waits (data-end). */
export function finishAnimations(root: SVGSVGElement): void {
  select(root)
    .selectAll<SVGGElement, unknown>('[data-end]')
    .interrupt()
    .attr('transform', function () {
      return this.getAttribute('data-end');
    });
}
