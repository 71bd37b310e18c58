// The player's first render, as the server sends it: the topology, the controls and the empty
// tables are there before any JavaScript runs, and two players on a page share no id.

import { describe, expect, it } from 'vitest';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { scenarios } from '../../src/scenarios/index.ts';
import ScenarioPlayer from '../../src/widgets/ScenarioPlayer.tsx';

const bridge = scenarios['hub-vs-bridge/bridge']!;
const hub = scenarios['hub-vs-bridge/hub']!;

describe('ScenarioPlayer server render', () => {
  const html = renderToString(h(ScenarioPlayer, { scenario: bridge }));

  it('draws the topology as SVG: devices, port names, cables, once laid out for a wide player and once for a phone (a container query shows one)', () => {
    expect(html).toContain('<svg');
    expect(html).toMatch(/role="img"/);
    for (const name of ['>A<', '>B<', '>C<', '>D<', '>br0<', '>p1<', '>p4<', '>eth0<']) expect(html).toContain(name);
    expect(html.match(/class="vp-cable"/g)).toHaveLength(8);
    expect(html).toContain('class="vp-svg-wrap vp-svg-wrap--wide"');
    expect(html).toContain('class="vp-svg-wrap vp-svg-wrap--narrow"');
  });

  it('is a region named by the scenario title, with log, controls and captioned tables', () => {
    const titleId = /<section[^>]*aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(titleId).toBeTruthy();
    expect(html).toContain(`id="${titleId}">Four hosts on a learning bridge<`);
    expect(html).toMatch(/role="log"[^>]*aria-live="polite"/);
    expect(html).toContain('<caption>MAC table of br0</caption>');
    expect(html).toContain('<caption>ARP cache of A</caption>');
    expect(html).toContain('>empty<');
    for (const label of ['Step back', 'Play', 'Reset', 'Send packet', 'Speed']) expect(html).toContain(label);
    expect(html).toContain('t = 0 ms');
  });

  it('makes the run controls one Tab stop before hydration: a toolbar whose Step alone has tabindex 0, with the keys said', () => {
    const toolbar = /<div class="vp-toolbar" role="toolbar" aria-label="Run controls" aria-describedby="([^"]+)">(.*?)<\/div>/.exec(html);
    expect(toolbar).toBeTruthy();
    const buttons = [...toolbar![2]!.matchAll(/<button[^>]*>/g)].map((m) => m[0]);
    expect(buttons).toHaveLength(5);
    expect(buttons.map((b) => /tabindex="(-?\d)"/.exec(b)?.[1])).toEqual(['-1', '0', '-1', '-1', '-1']);
    expect(buttons.map((b) => /aria-keyshortcuts="([^"]+)"/.exec(b)?.[1])).toEqual(['ArrowLeft', 'ArrowRight', 'Space', undefined, undefined]);
    expect(html).toContain(`id="${toolbar![1]}">Keys: ← → move between these buttons.`);
  });

  it('gives two players on one page distinct ids', () => {
    // Astro renders each island alone; its renderer gives each a distinct useId mask. Here two
    // players in one tree stand in for that.
    const page = renderToString(h('div', null, h(ScenarioPlayer, { scenario: hub }), h(ScenarioPlayer, { scenario: bridge })));
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of page.matchAll(/(?:aria-labelledby|aria-describedby|for)="([^"]+)"/g)) expect(ids).toContain(ref[1]);
  });
});
