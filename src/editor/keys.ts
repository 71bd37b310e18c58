// The only part of the editor every player loads: where edits are kept (localStorage key, URL
// fragment), so that the player can tell, without loading the editor, whether it has an edited
// version to restore. Keep this file free of imports that weigh anything.

import { SCENARIO_FORMAT } from '../sim/scenario/format';

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

/** Whether the page has an edited version of experiment `id` to show: a share link for it, or stored edits. */
export function hasEditsFor(id: string, hash: string, storage: Pick<Storage, 'length' | 'key'> | null): boolean {
  if (hash.startsWith(`${SHARE_PREFIX}${id}~`)) return true;
  return storage !== null && storedKeysFor(storage, id).length > 0;
}
