// The toolbars' roving tabindex (useRovingToolbar and toolbarKey in src/widgets/player-keys.ts): each toolbar is one Tab stop, and ← → Home
// End move focus inside it. Checked on the key handler with stand-in elements (Vitest has no DOM),
// and on the editor's toolbar as the server renders it.

import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { createEditor } from '../../src/editor/store.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { EditorPanel } from '../../src/widgets/editor/EditorPanel.tsx';
import { TOOLBAR_ITEMS, toolbarKey } from '../../src/widgets/player-keys.ts';
import { MemoryStorage } from '../editor/memory-storage.ts';

/** A toolbar of `n` stand-in items, and what happens to them: which took focus, in order. */
function fakeToolbar(n: number) {
  const focused: number[] = [];
  const items = Array.from({ length: n }, (_, i) => ({ focus: () => focused.push(i) }));
  const asked: string[] = [];
  const toolbar = {
    querySelectorAll: (selector: string) => {
      asked.push(selector);
      return items;
    },
  };
  return { items, toolbar, focused, asked };
}

function press(key: string, target: unknown, mods: { ctrlKey?: boolean; shiftKey?: boolean; altKey?: boolean; metaKey?: boolean } = {}) {
  let prevented = false;
  return {
    event: { key, target, ...mods, preventDefault: () => void (prevented = true) },
    prevented: () => prevented,
  };
}

describe('toolbarKey', () => {
  it('moves focus with → and ← (wrapping round), Home and End, and keeps those keys from the page', () => {
    const { items, toolbar, focused, asked } = fakeToolbar(11);
    const moved: number[] = [];
    const cases: [string, number, number][] = [
      ['ArrowRight', 0, 1],
      ['ArrowRight', 10, 0],
      ['ArrowLeft', 0, 10],
      ['ArrowLeft', 4, 3],
      ['Home', 7, 0],
      ['End', 2, 10],
    ];
    for (const [key, from, to] of cases) {
      const p = press(key, items[from]);
      expect(toolbarKey(p.event, toolbar, (i) => moved.push(i)), `${key} from ${from}`).toBe(to);
      expect(p.prevented()).toBe(true);
    }
    expect(focused).toEqual(cases.map((c) => c[2]));
    expect(moved).toEqual(cases.map((c) => c[2]));
    expect(new Set(asked)).toEqual(new Set([TOOLBAR_ITEMS]));
  });

  it('leaves every other key to the item and the page: Tab, Enter, Space, ↑ ↓, and Ctrl+Z (the editor\'s undo) or any modified arrow', () => {
    const { items, toolbar, focused } = fakeToolbar(3);
    for (const [key, mods] of [['Tab', {}], ['Enter', {}], [' ', {}], ['ArrowUp', {}], ['ArrowDown', {}], ['z', { ctrlKey: true }], ['ArrowRight', { shiftKey: true }], ['ArrowLeft', { altKey: true }], ['End', { metaKey: true }]] as const) {
      const p = press(key, items[1], mods);
      expect(toolbarKey(p.event, toolbar, () => {}), key).toBeNull();
      expect(p.prevented(), key).toBe(false);
    }
    expect(focused).toEqual([]);
  });

  it('does nothing for a key on something that is not one of its items, or without a toolbar', () => {
    const { toolbar, focused } = fakeToolbar(3);
    const p = press('ArrowRight', { focus: () => {} });
    expect(toolbarKey(p.event, toolbar, () => {})).toBeNull();
    expect(p.prevented()).toBe(false);
    expect(toolbarKey(press('ArrowRight', {}).event, null, () => {})).toBeNull();
    expect(focused).toEqual([]);
  });
});

describe("the editor's toolbar", () => {
  const bridge = scenarios['hub-vs-bridge/bridge']!;
  const store = createEditor({
    original: bridge,
    start: bridge,
    storage: new MemoryStorage(),
    run: () => {},
    location: { hash: '', pathname: '/chapters/hub-vs-bridge/', search: '' },
    history: { replaceState: () => {} },
  });
  const html = renderToString(h(EditorPanel, { store, idPrefix: 'vpt' }));
  const toolbar = /<div class="ve-toolbar" role="toolbar" aria-label="Editing">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  const items = [...toolbar.matchAll(/<(button|input)\b[^>]*>/g)].map((m) => m[0]);

  it('is one Tab stop: Add host takes Tab, each other item (Import JSON\'s file input too) is reached with the arrows', () => {
    expect(items.length).toBe(12);
    expect(items.map((tag) => /tabindex="(-?\d+)"/.exec(tag)?.[1])).toEqual(['0', ...Array(11).fill('-1')]);
    expect(toolbar).toMatch(/tabindex="0"[^>]*>Add host</);
    expect(items[11]).toMatch(/<input type="file"/);
  });
});
