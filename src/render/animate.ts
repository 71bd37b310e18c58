// Moves a frame's marker along its cable. The marker is rendered (on the server too) where it waits
// for its arrival; this only animates the way there, so a reader who prefers reduced motion, or a
// page without JavaScript, sees the same final picture. d3-timer (one shared requestAnimationFrame
// loop) is all it needs: d3-selection and d3-transition cost the page about 8 KB of gzipped
// JavaScript for one attribute on one element, and d3-ease's bundle, whose easings are built at
// load (so a bundler keeps them all), about 0.5 KB for the one curve below. A marker only moves
// after a step, so this comes with the core (player-core.ts re-exports it), not with the page:
// where a marker waits (markerTransform) is geometry.ts's.

import { timer, type Timer } from 'd3-timer';
import { markerSpan, markerTransform } from './geometry';
import type { LaidOutCable } from './layout';

/** d3-ease's easeCubicOut: fast out of the port, slowing as it arrives. */
export const easeCubicOut = (t: number): number => --t * t * t + 1;

/** The animation each marker is running: a new one, or finishAnimations, stops it (as d3's interrupt did). */
const running = new WeakMap<SVGGElement, Timer>();

function stop(marker: SVGGElement): void {
  running.get(marker)?.stop();
  running.delete(marker);
}

export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}


/** Slides `marker` (an SVG <g>) from just outside the sender's port to where it waits. */
export function animateMarker(marker: SVGGElement, cable: LaidOutCable, forward: boolean, duration: number): void {
  if (prefersReducedMotion() || duration <= 0) return;
  const { start, end } = markerSpan(cable, forward);
  stop(marker);
  marker.setAttribute('transform', markerTransform(cable, forward, start));
  const run = timer((elapsed) => {
    const k = Math.min(1, elapsed / duration);
    marker.setAttribute('transform', markerTransform(cable, forward, start + (end - start) * easeCubicOut(k)));
    if (k === 1) stop(marker);
  });
  running.set(marker, run);
}

/** Ends every marker animation inside `root` at once, each marker where it waits (data-end). */
export function finishAnimations(root: SVGSVGElement): void {
  for (const marker of root.querySelectorAll<SVGGElement>('[data-end]')) {
    stop(marker);
    marker.setAttribute('transform', marker.getAttribute('data-end')!);
  }
}
