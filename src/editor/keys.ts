// The only part of the editor every player loads: where edits are kept (localStorage key, URL
// fragment), so that the player can tell, without loading the editor, whether it has an edited
// version to restore. Keep this file free of imports that weigh anything.

import { SCENARIO_FORMAT } from '../sim/scenario/format-id';

/** Every stored edit's key starts with this. */
export const STORAGE_PREFIX = 'vnet-live:edits:';
/** A share link's fragment starts with this, then the experiment id, "~" and the payload. */
export const SHARE_PREFIX = '#vnet=';

/** The localStorage key of the reader's edits to experiment `id`, in the current scenario format. */
export function storageKey(id: string, format: string = SCENARIO_FORMAT): string {
  return `${STORAGE_PREFIX}${format}|${id}`;
}

/** Keys of stored edits to experiment `id`, whatever format they were saved in. */
export function storedKeysFor(storage: Pick<Storage, 'length' | 'key'>, id: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null && key.startsWith(STORAGE_PREFIX) && key.endsWith(`|${id}`)) keys.push(key);
  }
  return keys;
}

/**
 * The number N of a scenario format "vnet-live/scenario@N", or null for a string outside that
 * scheme, which no version of this site writes (format.ts: the number is what changes).
 */
export function formatVersion(format: string): number | null {
  const match = /^vnet-live\/scenario@(0|[1-9][0-9]{0,8})$/.exec(format);
  return match ? Number(match[1]) : null;
}

/** The format a stored key of experiment `id` was saved in (a key from storedKeysFor). */
export function storedFormat(key: string, id: string): string {
  return key.slice(STORAGE_PREFIX.length, key.length - id.length - 1);
}

/** Whether a stored key of experiment `id` was saved by a newer version of the site: this one must leave it alone. */
export function isNewerKey(key: string, id: string): boolean {
  const version = formatVersion(storedFormat(key, id));
  return version !== null && version > formatVersion(SCENARIO_FORMAT)!;
}

/** Keys of stored edits to experiment `id` that this version may remove (Reset): every one but a newer version's. */
export function clearableKeysFor(storage: Pick<Storage, 'length' | 'key'>, id: string): string[] {
  return storedKeysFor(storage, id).filter((key) => !isNewerKey(key, id));
}

/** Whether the page has an edited version of experiment `id` to show: a share link for it, or stored edits (of any version, so that the notice can say what became of them). */
export function hasEditsFor(id: string, hash: string, storage: Pick<Storage, 'length' | 'key'> | null): boolean {
  if (hash.startsWith(`${SHARE_PREFIX}${id}~`)) return true;
  return storage !== null && storedKeysFor(storage, id).length > 0;
}
