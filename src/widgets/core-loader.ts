// The one way the page gets the simulation core (player-core.ts): loaded with import() the first
// time a player needs it, once for every player on the page. On the server (and in unit tests,
// which run as the server does) it is there from the start, so that a player renders its first
// state, and the StartView the browser hydrates from, with the core itself.

import type * as PlayerCoreModule from './player-core';

export type PlayerCore = typeof PlayerCoreModule;

let loaded: PlayerCore | null = import.meta.env.SSR ? await import('./player-core') : null;
let loading: Promise<PlayerCore> | null = null;

/** The core if it has arrived, else null. */
export function loadedCore(): PlayerCore | null {
  return loaded;
}

/** The core, loading it on the first call; a failed load (offline) is tried again on the next call. */
export function loadCore(): Promise<PlayerCore> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('./player-core').then(
    (core) => (loaded = core),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}
