// The editor's state: every edit is judged by the validator; only a valid draft runs and is saved;
// undo, redo and reset move through the same history.

import { describe, expect, it } from 'vitest';
import { storageKey } from '../../src/editor/keys.ts';
import { addDevice, changeKind, setField } from '../../src/editor/ops.ts';
import type { Checker } from '../../src/editor/checker.ts';
import { createEditor } from '../../src/editor/store.ts';
import { validateScenario, type ValidationResult } from '../../src/sim/scenario/validate.ts';
import { manyHosts } from '../../scripts/lib/big-topologies.mjs';
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

  describe('a big draft, judged off the main thread', () => {
    /** The real validator behind a gate the test opens: like the worker, its verdicts come later, in the order asked. */
    function gatedChecker() {
      const waiting: Array<() => void> = [];
      const checker: Checker = {
        validate: (draft) => new Promise<ValidationResult>((resolve) => waiting.push(() => resolve(validateScenario(draft)))),
        checkImport: () => Promise.reject(new Error('not used here')),
      };
      const answerAll = async () => {
        while (waiting.length) waiting.shift()!();
        await new Promise((resolve) => setTimeout(resolve, 0));
      };
      return { checker, answerAll, asked: () => waiting.length };
    }
    const bigResult = validateScenario(manyHosts(500, 2));
    if (!bigResult.ok) throw new Error('the generated topology is invalid');
    const big = bigResult.scenario;

    function bigSetup() {
      const gate = gatedChecker();
      const runs: Scenario[] = [];
      const storage = new MemoryStorage();
      const store = createEditor({ original: bridge, start: big, storage, run: (s) => runs.push(s), checker: gate.checker });
      return { ...gate, store, runs, storage };
    }

    it('says it is checking, runs nothing until the verdict, then runs and saves the draft', async () => {
      const { store, runs, storage, answerAll } = bigSetup();
      await answerAll(); // the start is judged as the editor opens
      const added = addDevice(big, 'host').scenario;
      store.apply(added, 'Added a host.');
      expect(store.checking.value).toBe(true);
      expect(store.notice.value?.text).toBe('Added a host. Checking 503 devices…');
      expect(runs).toEqual([]);
      await answerAll();
      expect(store.checking.value).toBe(false);
      expect(store.result.value.ok).toBe(true);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.devices).toHaveLength(503);
      expect(store.notice.value?.text).toBe('Added a host.');
      // Saved in a task of its own.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(JSON.parse(storage.getItem(storageKey(bridge.id))!).scenario.devices).toHaveLength(503);
    });

    it('settles only the newest of two quick edits, and shows no stale problems meanwhile', async () => {
      const { store, runs, answerAll } = bigSetup();
      await answerAll();
      const broken = setField(big, ['devices', 2, 'nics', 0, 'mac'], 'zz');
      store.apply(broken, 'MAC changed.');
      await answerAll();
      expect(store.issues.value.errors.get('devices[2].nics[0].mac')).toHaveLength(1);
      const fixed = addDevice(big, 'host').scenario;
      store.apply(fixed, 'Undid by hand.');
      // The old verdict's problem is about another draft: not shown while the new one is checked.
      expect(store.issues.value.errors.size).toBe(0);
      store.apply(addDevice(fixed, 'host').scenario, 'Added another.');
      await answerAll();
      expect(runs.map((s) => s.devices.length)).toEqual([504]);
      expect(store.notice.value?.text).toBe('Added another.');
    });

    it('returns to a judged draft at once on undo', async () => {
      const { store, runs, answerAll, asked } = bigSetup();
      await answerAll();
      store.apply(addDevice(big, 'host').scenario);
      await answerAll();
      store.undo();
      expect(asked()).toBe(0);
      expect(store.checking.value).toBe(false);
      expect(runs.at(-1)!.devices).toHaveLength(502);
    });
  });
});
