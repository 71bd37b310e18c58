// A box that scrolls sideways when its content is too wide (a table on a phone), and only then
// takes keyboard focus so that it can be scrolled without a mouse.

import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

export function ScrollBox({ label, class: cls, children }: { label: string; class?: string; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const box = ref.current;
    if (!box) return;
    const update = () => {
      if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
      else box.removeAttribute('tabindex');
    };
    update();
    // The box's size, or its content's (a table that grows a wider row): checked only when one
    // changes, not on every render (a big topology re-renders many tables each step).
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    observer?.observe(box);
    if (box.firstElementChild) observer?.observe(box.firstElementChild);
    return () => observer?.disconnect();
  }, []);
  return (
    <div ref={ref} class={`vp-scroll${cls ? ` ${cls}` : ''}`} role="group" aria-label={label}>
      {children}
    </div>
  );
}
