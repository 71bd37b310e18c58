// The reader's edits survive a reload: one localStorage entry per experiment and scenario format.
// Whatever is found there is untrusted (another version of the site, a hand edit, a full disk):
// anything this version cannot use is discarded with a notice, never a crash, except what a newer
// version saved, which is kept for it.

import { SCENARIO_FORMAT, SCENARIO_FORMAT_V1, type Scenario } from '../sim/scenario/format';
import { validateScenario } from '../sim/scenario/validate';
import { jsonOf } from './texts';
import { clearableKeysFor, formatVersion, isNewerKey, storageKey, storedFormat, storedKeysFor } from './keys';

/** Older formats whose saved edits this version still opens (validateScenario migrates them): kept until edits in the current format supersede them. */
const MIGRATABLE_FORMATS: readonly string[] = [SCENARIO_FORMAT_V1];

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
  // The same text as JSON.stringify({ format, savedAt, scenario }), around the scenario's text
  // written once (texts.ts): a big scenario is not turned into text again for each save.
  const entry = `{"format":${JSON.stringify(SCENARIO_FORMAT)},"savedAt":${JSON.stringify(now.toISOString())},"scenario":${jsonOf(scenario)}}`;
  try {
    storage.setItem(storageKey(id), entry);
    return null;
  } catch {
    return 'Your edits could not be saved in this browser (storage is full or turned off); they will be lost on reload. Use "Export JSON" to keep them.';
  }
}

/** Removes the reader's edits of experiment `id` (Reset), except a newer version's, which this one cannot read and must not destroy. */
export function clearEdits(storage: StorageLike, id: string): void {
  for (const key of clearableKeysFor(storage, id)) storage.removeItem(key);
}

/** A format string from storage, safe and short enough to quote in a notice. */
function quoteFormat(format: string): string {
  return JSON.stringify(format.length > 40 ? `${format.slice(0, 40)}…` : format);
}

/**
 * Loads the reader's saved version of experiment `id`. Edits saved by a newer version of the site
 * (a higher `vnet-live/scenario@N`) are kept untouched for it. Edits saved in v1 open (migrated)
 * while there are none in the current format, and are removed, without a word, once there are.
 * Any other older version's, or a format string no version writes, cannot be used and are
 * removed; each of those cases is said in the notice.
 */
export function loadEdits(storage: StorageLike, id: string): LoadResult {
  const current = storageKey(id);
  const keys = storedKeysFor(storage, id);
  // Edits saved in an older format this version migrates (v1) are read when no edits of the
  // current format exist; once there are (the reader saved since), the older ones are superseded.
  const migratable = keys.includes(current) ? null : (MIGRATABLE_FORMATS.map((format) => storageKey(id, format)).find((key) => keys.includes(key)) ?? null);
  const notes: string[] = [];
  let newer = false;
  let older = false;
  let unknown: string | null = null;
  for (const key of keys) {
    if (key === current || key === migratable) continue;
    if (isNewerKey(key, id)) {
      newer = true;
      continue;
    }
    storage.removeItem(key);
    const format = storedFormat(key, id);
    if (MIGRATABLE_FORMATS.includes(format)) continue;
    if (formatVersion(format) === null) unknown = format;
    else older = true;
  }
  if (newer) notes.push('Your edits of this experiment were saved by a newer version of this site, which this page cannot read; they are kept in this browser, untouched, for that version.');
  if (older) notes.push('Edits you saved for an older version of this experiment could not be used and were discarded.');
  if (unknown !== null) notes.push(`Edits of this experiment saved in this browser in a format this site does not know (${quoteFormat(unknown)}) could not be used and were discarded.`);
  const chapters = (): LoadResult => (notes.length ? { kind: 'none', notice: `${notes.join(' ')} This is the chapter's version.` } : { kind: 'none' });

  const reading = migratable ?? current;
  let raw: string | null;
  try {
    raw = storage.getItem(reading);
  } catch {
    return chapters();
  }
  if (raw === null) return chapters();
  const bad = (why: string): LoadResult => {
    storage.removeItem(reading);
    notes.push(`Your saved edits of this experiment could not be read (${why}) and were discarded; this is the chapter's version.`);
    return { kind: 'none', notice: notes.join(' ') };
  };
  let entry: Partial<Stored>;
  try {
    entry = JSON.parse(raw) as Partial<Stored>;
  } catch {
    return bad('the stored data is damaged');
  }
  if (entry === null || typeof entry !== 'object') return bad('the stored data is damaged');
  // The key names the entry's format; an entry that says otherwise was changed by hand or damaged.
  if (entry.format !== storedFormat(reading, id)) return bad('they were saved for another version of the scenario format');
  // A v1 entry's scenario is v1 too: validateScenario migrates it (format string only).
  const result = validateScenario(entry.scenario);
  if (!result.ok) return bad(`${result.errors[0]!.path}: ${result.errors[0]!.message}`);
  if (result.scenario.id !== id) return bad('they belong to another experiment');
  return notes.length
    ? { kind: 'ok', scenario: result.scenario, notice: `${notes.join(' ')} You are viewing your edited version of this experiment, saved in this browser${reading === current ? ' by this version of the site' : ''}.` }
    : { kind: 'ok', scenario: result.scenario };
}
