// The editor's state: every edit is judged by the validator; only a valid draft runs and is saved;
// undo, redo and reset move through the same history.

import { describe, expect, it } from 'vitest';
import { storageKey } from '../../src/editor/keys.ts';
import { addDevice, changeKind, setField } from '../../src/editor/ops.ts';
import { createEditor } from '../../src/editor/store.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { MemoryStorage } from './memory-storage.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;

function setup(start: Scenario = bridge, hash = '') {
  const runs: Scenario[] = [];
  const storage = new MemoryStorage();
  const replaced: string[] = [];
  const store = createEditor({
    original: bridge,
    start,
    storage,
    run: (s) => runs.push(s),
    location: { hash, pathname: '/chapters/hub-vs-bridge/', search: '' },
    history: { replaceState: (_d, _u, url) => replaced.push(url) },
  });
  return { store, runs, storage, replaced };
}

describe('editor store', () => {
  it('runs and saves each valid edit', () => {
    const { store, runs, storage } = setup();
    const hub = changeKind(bridge, 'br0', 'hub');
    store.apply(hub, 'br0 is now a hub.');
    expect(runs).toEqual([hub]);
    expect(store.running.value).toEqual(hub);
    expect(JSON.parse(storage.getItem(storageKey(bridge.id))!).scenario).toEqual(hub);
    expect(store.notice.value).toEqual({ text: 'br0 is now a hub.', error: false });
  });

  it('keeps the last valid version running while the draft is invalid, and says so', () => {
    const { store, runs } = setup();
    const bad = setField(bridge, ['devices', 0, 'nics', 0, 'mac'], 'zz');
    store.apply(bad, 'MAC changed.');
    expect(runs).toEqual([]);
    expect(store.running.value).toBe(bridge);
    expect(store.draft.value).toBe(bad);
    expect(store.result.value.ok).toBe(false);
    expect(store.issues.value.errors.get('devices[0].nics[0].mac')).toEqual(['expected a MAC address like 02:00:00:00:00:0a, got "zz"']);
    expect(store.notice.value).toEqual({ text: 'MAC changed. One problem needs fixing; until then the last valid version keeps running.', error: true });
  });

  it('normalises what runs (a MAC in capitals runs lowercase) but keeps the reader\'s text in the draft', () => {
    const { store, runs } = setup();
    store.apply(setField(bridge, ['devices', 0, 'nics', 0, 'mac'], '02-00-00-00-00-AA'));
    expect(store.draft.value.devices[0]).toMatchObject({ nics: [{ mac: '02-00-00-00-00-AA' }] });
    expect(runs[0]!.devices[0]).toMatchObject({ nics: [{ mac: '02:00:00:00:00:aa' }] });
  });

  it('undoes and redoes every edit, re-running each time', () => {
    const { store, runs, storage } = setup();
    const one = changeKind(bridge, 'br0', 'hub');
    const two = addDevice(one, 'host').scenario;
    store.apply(one);
    store.apply(two);
    expect(store.canRedo.value).toBe(false);
    store.undo();
    expect(store.draft.value).toBe(one);
    expect(runs.at(-1)).toEqual(one);
    store.undo();
    expect(store.draft.value).toBe(bridge);
    expect(store.canUndo.value).toBe(false);
    // Back at the chapter's version: nothing stays stored.
    expect(storage.length).toBe(0);
    store.redo();
    store.redo();
    expect(runs.at(-1)).toEqual(two);
    // A new edit after undo drops the redo branch.
    store.undo();
    store.apply(setField(one, ['title'], 'Mine'));
    expect(store.canRedo.value).toBe(false);
  });

  it('resets to the chapter\'s version, which undo can take back', () => {
    const { store, storage } = setup();
    const hub = changeKind(bridge, 'br0', 'hub');
    store.apply(hub);
    store.reset();
    expect(store.running.value).toEqual(bridge);
    expect(storage.length).toBe(0);
    expect(store.notice.value?.text).toMatch(/Back to the chapter's version/);
    store.undo();
    expect(store.running.value).toEqual(hub);
  });

  it('drops a share link from the address once the reader edits the shared version', () => {
    const { store, replaced } = setup(bridge, '#vnet=hub-vs-bridge/bridge~1abc');
    store.apply(changeKind(bridge, 'br0', 'hub'));
    expect(replaced).toEqual(['/chapters/hub-vs-bridge/']);
  });

  it('reports a storage failure instead of losing edits silently', () => {
    const { store, storage } = setup();
    storage.failWrites = true;
    store.apply(changeKind(bridge, 'br0', 'hub'), 'br0 is now a hub.');
    expect(store.notice.value).toEqual({ text: expect.stringContaining('could not be saved'), error: true });
  });
});
