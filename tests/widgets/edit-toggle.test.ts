// The player's reading mode as the server sends it: an "Edit experiment" toggle that waits for
// hydration, no editor code in the page, and the share-link scroll script intact as HTML text.

import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import ScenarioPlayer from '../../src/widgets/ScenarioPlayer.tsx';

const bridge = scenarios['hub-vs-bridge/bridge']!;
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

  it('scrolls only the player a share link names, with a script that survives HTML escaping', () => {
    const script = /<script>(.*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(script).toContain('s.dataset.scenario==m[1]');
    expect(script).not.toMatch(/&(amp|quot|lt|gt);/);
    // Run it against fake pages: the bridge player scrolls for its own link only.
    const run = (hash: string) => {
      let scrolled = false;
      const section = { dataset: { scenario: bridge.id }, scrollIntoView: () => (scrolled = true) };
      new Function('location', 'document', script)({ hash }, { currentScript: { parentNode: section } });
      return scrolled;
    };
    expect(run('#vnet=hub-vs-bridge/bridge~1abc')).toBe(true);
    expect(run('#vnet=hub-vs-bridge/hub~1abc')).toBe(false);
    expect(run('#the-hub')).toBe(false);
    expect(run('')).toBe(false);
  });
});
