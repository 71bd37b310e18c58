// A box that scrolls sideways when its content is too wide (a table on a phone), and only then
// takes keyboard focus so that it can be scrolled without a mouse.

import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

export function ScrollBox({ label, class: cls, children }: { label: string; class?: string; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  /** Focusable exactly while its content is wider than it; writes only when that changes. */
  const update = () => {
    const box = ref.current;
    if (!box) return;
    const wide = box.scrollWidth > box.clientWidth + 1;
    if (wide && box.tabIndex !== 0) box.tabIndex = 0;
    else if (!wide && box.hasAttribute('tabindex')) box.removeAttribute('tabindex');
  };
  // After every render, before the browser paints: a table that has just grown a wider row is
  // focusable in the same frame (a ResizeObserver alone would say so one frame late, and a reader's
  // screen reader or axe could catch that frame). The layout this reads is the one the browser
  // makes for the frame anyway, and nothing is written unless the answer changes.
  useLayoutEffect(update);
  // The box's own size (the window, the panel) changes without a render: observed.
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} class={`vp-scroll${cls ? ` ${cls}` : ''}`} role="group" aria-label={label}>
      {children}
    </div>
  );
}
