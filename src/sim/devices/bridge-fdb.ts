// The bridge forwarding database (net/bridge/br_fdb.c): which port each (VLAN, MAC) was last seen
// on, and when. Keyed by VLAN as well as MAC so that VLAN-aware bridges can learn one MAC twice.

import type { MacAddress } from '../wire/mac-address';

export interface FdbEntry {
  mac: MacAddress;
  /** VLAN ID; 0 on a bridge without VLAN filtering. */
  vid: number;
  port: string;
  /** Virtual time (ms) the entry was last refreshed by traffic. */
  updated: number;
}

/** Keyed by fdbKey(vid, mac); a Map, so that no key can ever meet Object.prototype. */
export type Fdb = Map<string, FdbEntry>;

export function fdbKey(vid: number, mac: MacAddress): string {
  return `${vid}/${mac}`;
}

/** `has_expired`: an entry not refreshed for the ageing time is stale (ageing 0: stale at once). */
export function hasExpired(entry: FdbEntry, ageingTimeMs: number, now: number): boolean {
  return entry.updated + ageingTimeMs <= now;
}

/** `br_fdb_find_rcu`: the live entry for (vid, mac), or undefined. */
export function fdbFind(fdb: Fdb, vid: number, mac: MacAddress, ageingTimeMs: number, now: number): FdbEntry | undefined {
  const entry = fdb.get(fdbKey(vid, mac));
  return entry && !hasExpired(entry, ageingTimeMs, now) ? entry : undefined;
}

export type FdbUpdate = 'learned' | 'refreshed' | 'moved' | 'not-kept';

/** `br_fdb_update`: record that `mac` was seen on `port` now. Returns what changed and the previous port. */
export function fdbUpdate(fdb: Fdb, vid: number, mac: MacAddress, port: string, ageingTimeMs: number, now: number): { change: FdbUpdate; previousPort?: string } {
  // With ageing_time 0 the kernel's entry is stale the instant it is made; we do not keep it at all.
  if (ageingTimeMs === 0) return { change: 'not-kept' };
  const key = fdbKey(vid, mac);
  const entry = fdb.get(key);
  if (!entry || hasExpired(entry, ageingTimeMs, now)) {
    fdb.set(key, { mac, vid, port, updated: now });
    return { change: 'learned' };
  }
  if (entry.port !== port) {
    const previousPort = entry.port;
    fdb.set(key, { mac, vid, port, updated: now });
    return { change: 'moved', previousPort };
  }
  entry.updated = now;
  return { change: 'refreshed' };
}

/**
 * `br_fdb_cleanup`: removes stale entries. Returns them (oldest first) so the trace can say so, and
 * when the earliest remaining entry will be due (Infinity when none is left), in one walk.
 */
export function fdbCleanup(fdb: Fdb, ageingTimeMs: number, now: number): { expired: FdbEntry[]; nextExpiry: number } {
  const expired: FdbEntry[] = [];
  let nextExpiry = Infinity;
  // Deleting the entry being visited is safe while iterating a Map.
  for (const [key, entry] of fdb) {
    if (hasExpired(entry, ageingTimeMs, now)) {
      expired.push(entry);
      fdb.delete(key);
    } else {
      nextExpiry = Math.min(nextExpiry, entry.updated + ageingTimeMs);
    }
  }
  expired.sort((x, y) => x.updated - y.updated || (x.mac < y.mac ? -1 : 1));
  return { expired, nextExpiry };
}

/** The table as a reader sees it (`bridge fdb show`), sorted by VLAN then MAC, with ages in ms. */
export function fdbRows(fdb: Fdb, now: number): Array<FdbEntry & { age: number }> {
  return [...fdb.values()]
    .map((entry) => ({ ...entry, age: now - entry.updated }))
    .sort((x, y) => x.vid - y.vid || (x.mac < y.mac ? -1 : x.mac > y.mac ? 1 : 0));
}
