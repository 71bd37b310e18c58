// The reader's edits survive a reload: one localStorage entry per experiment and scenario format.
// Whatever is found there is untrusted (another version of the site, a hand edit, a full disk):
// anything that does not validate is discarded with a notice, never a crash.

import { SCENARIO_FORMAT, type Scenario } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';
import { storageKey, storedKeysFor } from './keys';

export type StorageLike = Pick<Storage, 'length' | 'key' | 'getItem' | 'setItem' | 'removeItem'>;

interface Stored {
  format: string;
  savedAt: string;
  scenario: unknown;
}

export type LoadResult =
  | { kind: 'none'; notice?: string }
  | { kind: 'ok'; scenario: Scenario; notice?: string };

/** Saves the reader's version of experiment `id` (a valid scenario). Returns an error sentence if the browser refused. */
export function saveEdits(storage: StorageLike, id: string, scenario: Scenario, now = new Date()): string | null {
  const entry: Stored = { format: SCENARIO_FORMAT, savedAt: now.toISOString(), scenario };
  try {
    storage.setItem(storageKey(id), JSON.stringify(entry));
    return null;
  } catch {
    return 'Your edits could not be saved in this browser (storage is full or turned off); they will be lost on reload. Use "Export JSON" to keep them.';
  }
}

export function clearEdits(storage: StorageLike, id: string): void {
  for (const key of storedKeysFor(storage, id)) storage.removeItem(key);
}

/** Loads the reader's saved version of experiment `id`, setting aside what cannot be used. */
export function loadEdits(storage: StorageLike, id: string): LoadResult {
  const current = storageKey(id);
  let notice: string | undefined;
  for (const key of storedKeysFor(storage, id)) {
    if (key === current) continue;
    storage.removeItem(key);
    notice = 'Edits you saved for an older version of this experiment could not be used and were discarded; this is the chapter\'s version.';
  }
  let raw: string | null;
  try {
    raw = storage.getItem(current);
  } catch {
    return { kind: 'none' };
  }
  if (raw === null) return notice ? { kind: 'none', notice } : { kind: 'none' };
  const bad = (why: string): LoadResult => {
    storage.removeItem(current);
    return { kind: 'none', notice: `Your saved edits of this experiment could not be read (${why}) and were discarded; this is the chapter's version.` };
  };
  let entry: Partial<Stored>;
  try {
    entry = JSON.parse(raw) as Partial<Stored>;
  } catch {
    return bad('the stored data is damaged');
  }
  if (entry === null || typeof entry !== 'object') return bad('the stored data is damaged');
  if (entry.format !== SCENARIO_FORMAT) return bad('they were saved for another version of the scenario format');
  const result = validateScenario(entry.scenario);
  if (!result.ok) return bad(`${result.errors[0]!.path}: ${result.errors[0]!.message}`);
  if (result.scenario.id !== id) return bad('they belong to another experiment');
  return notice ? { kind: 'ok', scenario: result.scenario, notice } : { kind: 'ok', scenario: result.scenario };
}
