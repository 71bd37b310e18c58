// Persistence: the reader's edits survive a reload, keyed by experiment and scenario format;
// anything unusable in storage is discarded with a notice, never a crash, and what a newer version
// of the site saved is kept for it.

import { describe, expect, it } from 'vitest';
import { clearableKeysFor, formatVersion, hasEditsFor, storageKey } from '../../src/editor/keys.ts';
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
    expect(storage.keys()).toEqual(['vnet-live:edits:vnet-live/scenario@2|hub-vs-bridge/bridge']);
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
    ['an invalid scenario', JSON.stringify({ format: 'vnet-live/scenario@2', scenario: { ...bridge, links: [{ a: 'A:eth0', b: 'nowhere:p1' }] } }), 'links[0].b: the cable goes to "nowhere"'],
    ['another experiment', JSON.stringify({ format: 'vnet-live/scenario@2', scenario: scenarios['hub-vs-bridge/hub'] }), 'another experiment'],
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

  it('saved under an older format version are discarded with a notice that says "older"', () => {
    const storage = new MemoryStorage();
    storage.setItem(storageKey(id, 'vnet-live/scenario@0'), JSON.stringify({ format: 'vnet-live/scenario@0', scenario: bridge }));
    expect(hasEditsFor(id, '', storage)).toBe(true);
    const loaded = loadEdits(storage, id);
    expect(loaded).toEqual({ kind: 'none', notice: "Edits you saved for an older version of this experiment could not be used and were discarded. This is the chapter's version." });
    expect(storage.length).toBe(0);
  });

  describe('saved by the previous version of the site (vnet-live/scenario@1)', () => {
    const v1Key = 'vnet-live:edits:vnet-live/scenario@1|hub-vs-bridge/bridge';
    /** A saved edit exactly as the v1 site wrote it: the v1 key, a v1 entry, a v1 scenario (the bridge turned into a hub). */
    const v1Entry = () => JSON.stringify({ format: 'vnet-live/scenario@1', savedAt: '2026-11-20T10:00:00.000Z', scenario: { ...hub, format: 'vnet-live/scenario@1' } });

    it('open, migrated to the current format, with no notice', async () => {
      const storage = new MemoryStorage();
      storage.setItem(v1Key, v1Entry());
      expect(hasEditsFor(id, '', storage)).toBe(true);
      const loaded = loadEdits(storage, id);
      expect(loaded).toEqual({ kind: 'ok', scenario: hub });
      if (loaded.kind === 'ok') expect(loaded.scenario.format).toBe('vnet-live/scenario@2');
      // Kept until the reader saves in the current format: a reload opens them again.
      expect(storage.keys()).toEqual([v1Key]);
      expect(await restoreEdits(bridge, '', storage)).toEqual({ scenario: hub, origin: 'stored', notice: { text: 'You are viewing your edited version of this experiment, saved in this browser.', error: false } });
    });

    it('are superseded, silently, once the reader saves in the current format', () => {
      const storage = new MemoryStorage();
      storage.setItem(v1Key, v1Entry());
      const edited = { ...hub, title: 'Edited again' };
      saveEdits(storage, id, edited);
      expect(loadEdits(storage, id)).toEqual({ kind: 'ok', scenario: edited });
      expect(storage.keys()).toEqual([storageKey(id)]);
    });

    it('that are damaged are discarded with the usual notice', () => {
      const storage = new MemoryStorage();
      storage.setItem(v1Key, JSON.stringify({ format: 'vnet-live/scenario@2', scenario: hub }));
      expect(loadEdits(storage, id)).toMatchObject({ kind: 'none', notice: expect.stringContaining('another version of the scenario format') });
      expect(storage.length).toBe(0);
    });

    it('are removed by Reset', () => {
      const storage = new MemoryStorage();
      storage.setItem(v1Key, v1Entry());
      clearEdits(storage, id);
      expect(storage.length).toBe(0);
    });
  });

  describe('saved by a newer version of the site (a higher vnet-live/scenario@N)', () => {
    const newerKey = storageKey(id, 'vnet-live/scenario@3');
    // What a later version might write: this one cannot know its shape, and must not touch it.
    const newerEntry = JSON.stringify({ format: 'vnet-live/scenario@3', savedAt: '2030-01-01T00:00:00.000Z', scenario: { topology: 'unknown to this version' } });

    it('are kept untouched, and the notice says a newer version saved them', async () => {
      const storage = new MemoryStorage();
      storage.setItem(newerKey, newerEntry);
      expect(hasEditsFor(id, '', storage)).toBe(true);
      const loaded = loadEdits(storage, id);
      expect(loaded).toEqual({
        kind: 'none',
        notice: "Your edits of this experiment were saved by a newer version of this site, which this page cannot read; they are kept in this browser, untouched, for that version. This is the chapter's version.",
      });
      expect(loaded.notice).not.toMatch(/older/);
      expect(storage.keys()).toEqual([newerKey]);
      expect(storage.getItem(newerKey)).toBe(newerEntry);
      const restored = await restoreEdits(bridge, '', storage);
      expect(restored).toMatchObject({ scenario: bridge, origin: 'chapter', notice: { text: expect.stringContaining('saved by a newer version of this site') } });
      expect(storage.getItem(newerKey)).toBe(newerEntry);
    });

    it('survive this version saving its own edits and the reader resetting them', () => {
      const storage = new MemoryStorage();
      storage.setItem(newerKey, newerEntry);
      saveEdits(storage, id, hub);
      expect(loadEdits(storage, id)).toEqual({ kind: 'ok', scenario: hub, notice: expect.stringMatching(/newer version of this site.*kept.*You are viewing your edited version/) });
      expect(clearableKeysFor(storage, id)).toEqual([storageKey(id)]);
      clearEdits(storage, id);
      expect(storage.keys()).toEqual([newerKey]);
      expect(storage.getItem(newerKey)).toBe(newerEntry);
    });

    it('are told apart by number, not by text: @10 is newer than @9 and @1', () => {
      expect(formatVersion('vnet-live/scenario@10')).toBe(10);
      expect(formatVersion('vnet-live/scenario@1')).toBe(1);
      for (const unknown of ['vnet-live/scenario@', 'vnet-live/scenario@01', 'vnet-live/scenario@1.5', 'vnet-live/scenario@-2', 'other/scenario@3', ' vnet-live/scenario@2']) {
        expect(formatVersion(unknown), unknown).toBeNull();
      }
      const storage = new MemoryStorage();
      storage.setItem(storageKey(id, 'vnet-live/scenario@10'), '{}');
      expect(loadEdits(storage, id).notice).toMatch(/newer version/);
      expect(storage.length).toBe(1);
    });
  });

  it('saved in a format string no version of this site writes are discarded, and the notice quotes it', () => {
    const storage = new MemoryStorage();
    const format = 'my-own-format<b>';
    storage.setItem(storageKey(id, format), JSON.stringify({ format, scenario: bridge }));
    const loaded = loadEdits(storage, id);
    expect(loaded).toEqual({
      kind: 'none',
      notice: 'Edits of this experiment saved in this browser in a format this site does not know ("my-own-format<b>") could not be used and were discarded. This is the chapter\'s version.',
    });
    expect(storage.length).toBe(0);
    storage.setItem(storageKey(id, 'x'.repeat(500)), '{}');
    expect(loadEdits(storage, id).notice).toContain(`("${'x'.repeat(40)}…")`);
  });

  it('of another experiment whose id ends like this one are not touched', () => {
    const storage = new MemoryStorage();
    const other = storageKey(`x/${id}`, 'vnet-live/scenario@0');
    storage.setItem(other, '{}');
    loadEdits(storage, id);
    expect(storage.keys()).toEqual([other]);
  });

  it('say so when the browser refuses to store them', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    expect(saveEdits(storage, id, hub)).toMatch(/could not be saved.*Export JSON/);
  });
});
