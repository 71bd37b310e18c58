// What a player shows when its page opens: a share link for it (in the URL fragment) wins, then
// the reader's saved edits, then the chapter's version. Loaded by the player only when keys.ts says
// there is something to restore, so a reader who never edits never downloads this.

import type { Scenario } from '../sim/scenario/format';
import { decodeShared } from './ab-pair';
import { payloadFor } from './share';
import { loadEdits, type StorageLike } from './storage';

export type Origin = 'chapter' | 'stored' | 'shared';

// A/B mode makes its links and files with these, through this module: the chunk that holds the
// share codec then serves both, and edit mode's does not grow.
export { encodePair, exportPairText, pairFileName } from './ab-pair';
export { shareFragment } from './share';

export interface Restored {
  scenario: Scenario;
  origin: Origin;
  /** A sentence for the reader; `error` when something could not be used. */
  notice?: { text: string; error: boolean };
  /** A shared A/B pair's second design: the player opens A/B mode with it. */
  b?: Scenario;
}

export async function restoreEdits(original: Scenario, hash: string, storage: StorageLike | null): Promise<Restored> {
  const payload = payloadFor(hash, original.id);
  if (payload !== null) {
    const decoded = await decodeShared(payload);
    if (decoded.ok && decoded.scenario.id === original.id) {
      if (decoded.bError) return { scenario: decoded.scenario, origin: 'shared', notice: { text: `You are viewing a shared version of this experiment; ${decoded.bError} The link is left as it was.`, error: true } };
      if (decoded.b) return { scenario: decoded.scenario, origin: 'shared', b: decoded.b, notice: { text: 'You are viewing a shared A/B comparison of this experiment —', error: false } };
      return { scenario: decoded.scenario, origin: 'shared', notice: { text: 'You are viewing a shared version of this experiment —', error: false } };
    }
    const why = decoded.ok ? 'it is for another experiment.' : decoded.error;
    return { scenario: original, origin: 'chapter', notice: { text: `This shared link could not be opened: ${why} Showing the chapter's version.`, error: true } };
  }
  if (storage) {
    const loaded = loadEdits(storage, original.id);
    if (loaded.kind === 'ok') return { scenario: loaded.scenario, origin: 'stored', notice: { text: loaded.notice ?? 'You are viewing your edited version of this experiment, saved in this browser.', error: false } };
    if (loaded.notice) return { scenario: original, origin: 'chapter', notice: { text: loaded.notice, error: true } };
  }
  return { scenario: original, origin: 'chapter' };
}
