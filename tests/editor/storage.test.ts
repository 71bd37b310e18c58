// Persistence: the reader's edits survive a reload, keyed by experiment and scenario format;
// anything unusable in storage is set aside with a notice, never a crash.

import { describe, expect, it } from 'vitest';
import { hasEditsFor, storageKey } from '../../src/editor/keys.ts';
import { changeKind } from '../../src/editor/ops.ts';
import { restoreEdits } from '../../src/editor/restore.ts';
import { clearEdits, loadEdits, saveEdits } from '../../src/editor/storage.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { MemoryStorage } from './memory-storage.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;
const hub = changeKind(bridge, 'br0', 'hub');
const id = bridge.id;

describe('stored edits', () => {
  it('are keyed by scenario format and experiment, and come back as they were saved', async () => {
    const storage = new MemoryStorage();
    expect(hasEditsFor(id, '', storage)).toBe(false);
    expect(saveEdits(storage, id, hub)).toBeNull();
    expect(storage.keys()).toEqual(['vnet-live:edits:vnet-live/scenario@1|hub-vs-bridge/bridge']);
    expect(hasEditsFor(id, '', storage)).toBe(true);
    expect(hasEditsFor('hub-vs-bridge/hub', '', storage)).toBe(false);
    expect(loadEdits(storage, id)).toEqual({ kind: 'ok', scenario: hub });
    const restored = await restoreEdits(bridge, '', storage);
    expect(restored).toMatchObject({ origin: 'stored', scenario: hub });
    clearEdits(storage, id);
    expect(storage.length).toBe(0);
  });

  it('a share link wins over stored edits', async () => {
    const storage = new MemoryStorage();
    saveEdits(storage, id, hub);
    expect(hasEditsFor(id, '#vnet=hub-vs-bridge/bridge~1x', null)).toBe(true);
    const restored = await restoreEdits(bridge, '#vnet=hub-vs-bridge/bridge~1x', storage);
    expect(restored.origin).toBe('chapter');
    expect(restored.notice?.error).toBe(true);
  });

  for (const [what, raw, why] of [
    ['damaged JSON', '{"format":', 'the stored data is damaged'],
    ['not an object', '42', 'the stored data is damaged'],
    ['another format', JSON.stringify({ format: 'vnet-live/scenario@0', scenario: bridge }), 'another version of the scenario format'],
    ['an invalid scenario', JSON.stringify({ format: 'vnet-live/scenario@1', scenario: { ...bridge, links: [{ a: 'A:eth0', b: 'nowhere:p1' }] } }), 'links[0].b: the cable goes to "nowhere"'],
    ['another experiment', JSON.stringify({ format: 'vnet-live/scenario@1', scenario: scenarios['hub-vs-bridge/hub'] }), 'another experiment'],
  ] as const) {
    it(`are set aside with a notice when they are ${what}`, async () => {
      const storage = new MemoryStorage();
      storage.setItem(storageKey(id), raw);
      const loaded = loadEdits(storage, id);
      expect(loaded.kind).toBe('none');
      expect(loaded.notice).toContain(why);
      expect(storage.length).toBe(0);
      storage.setItem(storageKey(id), raw);
      expect(await restoreEdits(bridge, '', storage)).toEqual({ scenario: bridge, origin: 'chapter', notice: { text: expect.stringContaining("this is the chapter's version"), error: true } });
    });
  }

  it('saved under an older format version are set aside with a notice', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey(id, 'vnet-live/scenario@0'), JSON.stringify({ format: 'vnet-live/scenario@0', scenario: bridge }));
    expect(hasEditsFor(id, '', storage)).toBe(true);
    const loaded = loadEdits(storage, id);
    expect(loaded).toEqual({ kind: 'none', notice: expect.stringContaining('older version') });
    expect(storage.length).toBe(0);
  });

  it('say so when the browser refuses to store them', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    expect(saveEdits(storage, id, hub)).toMatch(/could not be saved.*Export JSON/);
  });
});
