// The player's reading mode as the server sends it: an "Edit experiment" toggle that waits for
// hydration, no editor code in the page, and the page's share-link scroll script intact as HTML text.

import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import ScenarioPlayer from '../../src/widgets/ScenarioPlayer.tsx';
import { SCROLL_TO_SHARED } from '../../src/widgets/scroll-to-shared.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;
const hub = scenarios['hub-vs-bridge/hub']!;
const html = renderToString(h(ScenarioPlayer, { scenario: bridge }));

describe('edit mode toggle, server render', () => {
  it('is a toggle button, inactive until the island hydrates', () => {
    expect(html).toMatch(/<button type="button" class="vp-btn vp-btn--small" aria-pressed="false" aria-disabled="true">.*Edit experiment<\/button>/);
    // The editor itself is not rendered in reading mode.
    expect(html).not.toContain('Edit the experiment');
  });

  it('has a live status for which version is shown, empty for the chapter\'s version', () => {
    expect(html).toMatch(/<span class="vp-origin" role="status"><\/span>/);
    expect(html).not.toContain('Reset to the original');
  });

  it('scrolls only the player a share link names, with one script per page that survives HTML escaping', () => {
    // The player renders no script of its own (the chapter layout inlines SCROLL_TO_SHARED once):
    // only its first state and its two drawings, as data.
    expect([...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1])).toEqual([
      expect.stringMatching(/^ type="application\/json" id="[^"]+-start"$/),
      expect.stringMatching(/^ type="application\/json" id="[^"]+-drawn"$/),
    ]);
    const script = SCROLL_TO_SHARED;
    expect(script).not.toMatch(/[&<>"]/);
    // Run it against fake pages with two players: only the one the link names scrolls.
    const run = (hash: string) => {
      const scrolled: string[] = [];
      const sections = [hub.id, bridge.id].map((scenario) => ({ dataset: { scenario }, scrollIntoView: () => scrolled.push(scenario) }));
      new Function('location', 'document', script)({ hash }, { querySelectorAll: (selector: string) => (selector === '.vp[data-scenario]' ? sections : []) });
      return scrolled;
    };
    expect(run('#vnet=hub-vs-bridge/bridge~1abc')).toEqual([bridge.id]);
    expect(run('#vnet=hub-vs-bridge/hub~1abc')).toEqual([hub.id]);
    expect(run('#vnet=hub-vs-bridge/loop~1abc')).toEqual([]);
    expect(run('#the-hub')).toEqual([]);
    expect(run('')).toEqual([]);
  });
});
