// Reads the drawings a page shows, as rendered: every text's box (getBoundingClientRect) and size
// in CSS pixels, so that a test can check what render/layout.ts promised (tests/render/labels.test.ts
// checks its computed boxes): no label on another or on a box, nothing under 12 px, no drawing
// wider than its column.
import type { Page } from '@playwright/test';

export interface DrawingProblems {
  drawings: number;
  labels: number;
  problems: string[];
}

export async function drawingProblems(page: Page): Promise<DrawingProblems> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const rect = (el: Element) => el.getBoundingClientRect();
    const overlap = (a: DOMRect, b: DOMRect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
    const inside = (a: DOMRect, b: DOMRect) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    const what = (el: Element) => `${el.closest('[data-scenario]')?.getAttribute('data-scenario')}: "${el.textContent}"`;
    // Only the drawings shown (the other layout is display: none).
    const svgs = [...document.querySelectorAll<SVGSVGElement>('svg.vp-svg')].filter((svg) => svg.getClientRects().length > 0);
    let labels = 0;
    for (const svg of svgs) {
      const scroll = svg.closest('.vp-svg-scroll')!;
      if (scroll.scrollWidth > scroll.clientWidth) problems.push(`${what(svg)} scrolls sideways (${scroll.scrollWidth} > ${scroll.clientWidth})`);
      const scale = svg.getScreenCTM()?.a ?? 1;
      for (const text of svg.querySelectorAll('text')) {
        const px = parseFloat(getComputedStyle(text).fontSize) * scale;
        if (px < 11.99) problems.push(`${what(text)} is ${px.toFixed(1)} px`);
      }
      // Outside the boxes: port names, veth tags, free ports, node names.
      const outside = [...svg.querySelectorAll('.vp-ports text, .vp-veth-tag, .vp-free, .vp-node-name')];
      labels += outside.length;
      const boxes = [...svg.querySelectorAll('.vp-dev')].map((g) => ({ g, box: rect(g.querySelector('.vp-dev-box')!) }));
      for (let i = 0; i < outside.length; i++) {
        const a = rect(outside[i]!);
        for (let j = i + 1; j < outside.length; j++) if (overlap(a, rect(outside[j]!))) problems.push(`${what(outside[i]!)} overlaps "${outside[j]!.textContent}"`);
        for (const { g, box } of boxes) if (overlap(a, box)) problems.push(`${what(outside[i]!)} overlaps box ${g.getAttribute('data-device')}`);
      }
      // Inside each box: its name, lines, addresses and badge, each in it and on none of the others.
      for (const { g, box } of boxes) {
        const rows = [...g.querySelectorAll('.vp-dev-name, .vp-dev-line, .vp-dev-addr, .vp-badge-text')];
        labels += rows.length;
        for (let i = 0; i < rows.length; i++) {
          const a = rect(rows[i]!);
          if (!inside(a, box)) problems.push(`${what(rows[i]!)} sticks out of its box`);
          for (let j = i + 1; j < rows.length; j++) if (overlap(a, rect(rows[j]!))) problems.push(`${what(rows[i]!)} overlaps "${rows[j]!.textContent}"`);
        }
      }
    }
    return { drawings: svgs.length, labels, problems };
  });
}
