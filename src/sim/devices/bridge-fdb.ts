// The bridge forwarding database (net/bridge/br_fdb.c): which port each (VLAN, MAC) was last seen
// on, and when. Keyed by VLAN as well as MAC so that VLAN-aware bridges can learn one MAC twice.
//
// Shaped for step back: a checkpoint shares every device, and the first step that changes a bridge
// after it makes a private copy (engine/state.ts writableDevice → deepCopy). A bridge in a big fabric
// holds hundreds of entries, and one copy of them per bridge per checkpoint was most of what a run
// with history spent. So the table is split into buckets (Maps, by a hash of the key), each frozen
// so that deepCopy shares it; entries are never changed (a refresh or a move replaces the entry).
// A copy of the bridge then copies only the small array of buckets (an array, which copies in one
// go, where a Map of them rehashed all 64 on every copy), and the first change to a bucket after
// that copies that one bucket (writableBucket).

import type { MacAddress } from '../wire/mac-address';

export interface FdbEntry {
  readonly mac: MacAddress;
  /** VLAN ID; 0 on a bridge without VLAN filtering. */
  readonly vid: number;
  readonly port: string;
  /** Virtual time (ms) the entry was last refreshed by traffic. */
  readonly updated: number;
  /**
   * The entry's place in the table's insertion order, which one Map kept before the table was split
   * into buckets (port security names a port's addresses in it): a key that is already in the table
   * (refreshed, moved, or learned again before the sweep removed it) keeps its place, a new key
   * goes last.
   */
  readonly order: number;
}

/** One bucket: entries by fdbKey(vid, mac); a Map, so that no key can ever meet Object.prototype. */
type FdbBucket = Map<string, FdbEntry>;

export interface Fdb {
  /**
   * The buckets by fdbBucket(vid, mac): one until the table holds more than FDB_SPLIT_AT entries,
   * then FDB_BUCKETS of them (splitBuckets), each EMPTY_BUCKET until its first entry is learned.
   * Every bucket is frozen (Object.freeze: deepCopy shares it; its entries are still set with
   * Map.prototype.set), and changed only through writableBucket, which copies one that this table
   * does not own.
   */
  buckets: FdbBucket[];
  /** The `order` of the next new key. */
  nextOrder: number;
  /**
   * Entries in the table, live or stale until the sweep removes them: the kernel's fdb_n_learned
   * (every entry here is learned; local entries are kept beside the table), which
   * fdb_max_learned caps.
   */
  learned: number;
}

/** Enough buckets that a copy after a checkpoint touches few entries, few enough that copying the bucket Map is cheap. */
const FDB_BUCKETS = 64;
/**
 * Entries a table holds in its one first bucket before it is split into FDB_BUCKETS: copying a few
 * dozen entries costs less than a Map for each. The ToR experiment's 400 servers' bridges each
 * learn 26 MACs, and at a bucket for almost every MAC they made 22,000 Maps (and as many entries
 * of `owners`), which the run kept.
 */
const FDB_SPLIT_AT = 32;

/**
 * Which table owns each bucket (may change it in place): its `buckets` array. A deep copy of a bridge
 * gets a new `buckets` array holding the same buckets, which it therefore does not own. The table it
 * was copied from keeps its own, and that is safe because the engine never changes it again: it is
 * the snapshot's (writableDevice copies a device for the state that goes on). Kept beside the
 * state, not in it, as engine/state.ts keeps which devices a state owns.
 */
const owners = new WeakMap<FdbBucket, Fdb['buckets']>();

/**
 * The bucket every slot starts with, owned by no table, so never changed (writableBucket copies it).
 * A Map, not undefined: an array of plain values would be configuration to freezeConfiguration.
 */
const EMPTY_BUCKET: FdbBucket = Object.freeze(new Map<string, FdbEntry>());

export function createFdb(): Fdb {
  return { buckets: [EMPTY_BUCKET], nextOrder: 0, learned: 0 };
}

/**
 * The table's one bucket dealt out into FDB_BUCKETS new ones, which it owns, in a new array (the
 * bucket it had may be a snapshot's: it is only read). Where an entry is kept never shows: lookups
 * go by key, and every listing sorts (fdbEntries by `order`, fdbRows by VLAN and MAC).
 */
function splitBuckets(fdb: Fdb): void {
  const buckets = new Array<FdbBucket>(FDB_BUCKETS).fill(EMPTY_BUCKET);
  for (const [key, entry] of fdb.buckets[0]!) {
    const index = fdbBucket(entry.vid, entry.mac, FDB_BUCKETS);
    let bucket = buckets[index]!;
    if (bucket === EMPTY_BUCKET) {
      buckets[index] = bucket = Object.freeze(new Map<string, FdbEntry>());
      owners.set(bucket, buckets);
    }
    bucket.set(key, entry);
  }
  fdb.buckets = buckets;
}

/**
 * The keys made lately, by VLAN then MAC: a bridge looks up two keys per frame (learn the source,
 * find the destination), and the same few thousand again and again. A key made once is handed back
 * (no new string per lookup, and the FDB's Maps reuse the hash it keeps). Bounded: emptied when full.
 */
const keys = new Map<number, Map<MacAddress, string>>();
let keyCount = 0;
const MAX_KEYS = 65_536;

export function fdbKey(vid: number, mac: MacAddress): string {
  // A bridge without VLAN filtering keys every entry by VID 0: the MAC itself is the key (it has no
  // "/", so it meets no key of a VID), looked up without the cache below.
  if (vid === 0) return mac;
  let byMac = keys.get(vid);
  if (byMac === undefined) keys.set(vid, (byMac = new Map()));
  let key = byMac.get(mac);
  if (key === undefined) {
    key = `${vid}/${mac}`;
    if (keyCount >= MAX_KEYS) {
      keys.clear();
      keyCount = 0;
      keys.set(vid, (byMac = new Map()));
    }
    byMac.set(mac, key);
    keyCount += 1;
  }
  return key;
}

/** The value of the hex digit at `index` of a MAC ("02:00:5e:00:00:2a"). */
function hexDigit(mac: MacAddress, index: number): number {
  const code = mac.charCodeAt(index);
  return code <= 57 ? code - 48 : (code | 32) - 87;
}

/** A bucket number (of `count`, a power of two) from the last two bytes of the MAC (the ones that differ between neighbours) and the VLAN. */
function fdbBucket(vid: number, mac: MacAddress, count: number): number {
  if (count === 1) return 0;
  const low = (hexDigit(mac, 15) << 4) | hexDigit(mac, 16);
  const next = (hexDigit(mac, 12) << 4) | hexDigit(mac, 13);
  return (low + next * 7 + vid * 13) & (count - 1);
}

/** Bucket `index` of `fdb`, safe to change: a copy replaces it first if the table does not own it (or a new one if there is none). */
function writableBucket(fdb: Fdb, index: number): FdbBucket {
  const bucket = fdb.buckets[index]!;
  if (owners.get(bucket) === fdb.buckets) return bucket;
  const own: FdbBucket = new Map(bucket);
  Object.freeze(own);
  owners.set(own, fdb.buckets);
  fdb.buckets[index] = own;
  return own;
}

/** `has_expired`: an entry not refreshed for the ageing time is stale (ageing 0: stale at once). */
export function hasExpired(entry: FdbEntry, ageingTimeMs: number, now: number): boolean {
  return entry.updated + ageingTimeMs <= now;
}

/** The entry for (vid, mac), live or stale, or undefined. */
function fdbGet(fdb: Fdb, vid: number, mac: MacAddress): FdbEntry | undefined {
  const buckets = fdb.buckets;
  return buckets[fdbBucket(vid, mac, buckets.length)]!.get(fdbKey(vid, mac));
}

/** `br_fdb_find_rcu`: the live entry for (vid, mac), or undefined. */
export function fdbFind(fdb: Fdb, vid: number, mac: MacAddress, ageingTimeMs: number, now: number): FdbEntry | undefined {
  const entry = fdbGet(fdb, vid, mac);
  return entry && !hasExpired(entry, ageingTimeMs, now) ? entry : undefined;
}

export type FdbUpdate = 'learned' | 'refreshed' | 'moved' | 'not-kept' | 'full';

// What fdbUpdate returns but a move, which says where from: one object each, not one per frame.
const LEARNED = Object.freeze({ change: 'learned' as const });
const REFRESHED = Object.freeze({ change: 'refreshed' as const });
const NOT_KEPT = Object.freeze({ change: 'not-kept' as const });
const FULL = Object.freeze({ change: 'full' as const });

/**
 * `br_fdb_update`: record that `mac` was seen on `port` now. Returns what changed and the previous port.
 * `maxLearned` is the bridge's fdb_max_learned (0: no limit): a new key is refused ('full') once the
 * table holds that many entries, as fdb_create returns NULL then (Linux 6.8); a key already in the
 * table is still refreshed or moved.
 */
export function fdbUpdate(fdb: Fdb, vid: number, mac: MacAddress, port: string, ageingTimeMs: number, now: number, maxLearned = 0): { readonly change: FdbUpdate; readonly previousPort?: string } {
  // With ageing_time 0 the kernel's entry is stale the instant it is made; we do not keep it at all.
  if (ageingTimeMs === 0) return NOT_KEPT;
  const key = fdbKey(vid, mac);
  let index = fdbBucket(vid, mac, fdb.buckets.length);
  const entry = fdb.buckets[index]!.get(key);
  if (entry === undefined && maxLearned > 0 && fdb.learned >= maxLearned) return FULL;
  if (entry === undefined && fdb.buckets.length === 1 && fdb.learned >= FDB_SPLIT_AT) {
    splitBuckets(fdb);
    index = fdbBucket(vid, mac, FDB_BUCKETS);
  }
  const bucket = writableBucket(fdb, index);
  if (entry === undefined) {
    bucket.set(key, { mac, vid, port, updated: now, order: fdb.nextOrder++ });
    fdb.learned += 1;
    return LEARNED;
  }
  // Entries are shared with copies of the table: a change is a new entry, in the same place.
  bucket.set(key, { mac, vid, port, updated: now, order: entry.order });
  if (hasExpired(entry, ageingTimeMs, now)) return LEARNED;
  return entry.port === port ? REFRESHED : { change: 'moved', previousPort: entry.port };
}

/** Every entry, live or stale, in the table's insertion order. */
export function fdbEntries(fdb: Fdb): FdbEntry[] {
  const entries: FdbEntry[] = [];
  for (const bucket of fdb.buckets) for (const entry of bucket.values()) entries.push(entry);
  return entries.sort((x, y) => x.order - y.order);
}

/**
 * `br_fdb_cleanup`: removes stale entries. Returns them (oldest first) so the trace can say so, and
 * when the earliest remaining entry will be due (Infinity when none is left), in one walk.
 */
export function fdbCleanup(fdb: Fdb, ageingTimeMs: number, now: number): { expired: FdbEntry[]; nextExpiry: number } {
  const expired: FdbEntry[] = [];
  let nextExpiry = Infinity;
  for (let index = 0; index < fdb.buckets.length; index++) {
    const bucket = fdb.buckets[index]!;
    let stale = false;
    for (const entry of bucket.values()) {
      if (hasExpired(entry, ageingTimeMs, now)) {
        expired.push(entry);
        stale = true;
      } else {
        nextExpiry = Math.min(nextExpiry, entry.updated + ageingTimeMs);
      }
    }
    if (!stale) continue;
    // Only a bucket with something to remove is made writable (a copy, if shared), and emptied of
    // the same stale entries.
    const own = writableBucket(fdb, index);
    for (const [key, entry] of own) {
      if (!hasExpired(entry, ageingTimeMs, now)) continue;
      own.delete(key);
      fdb.learned -= 1;
    }
  }
  // In insertion order first, as the one Map gave them, so that the sort below orders ties (the
  // same MAC in two VLANs, aged out at once) as it always has.
  expired.sort((x, y) => x.order - y.order);
  expired.sort((x, y) => x.updated - y.updated || (x.mac < y.mac ? -1 : 1));
  return { expired, nextExpiry };
}

/** The table as a reader sees it (`bridge fdb show`), sorted by VLAN then MAC, with ages in ms. */
export function fdbRows(fdb: Fdb, now: number): Array<Omit<FdbEntry, 'order'> & { age: number }> {
  const rows: Array<Omit<FdbEntry, 'order'> & { age: number }> = [];
  for (const bucket of fdb.buckets) {
    for (const { mac, vid, port, updated } of bucket.values()) rows.push({ mac, vid, port, updated, age: now - updated });
  }
  return rows.sort((x, y) => x.vid - y.vid || (x.mac < y.mac ? -1 : x.mac > y.mac ? 1 : 0));
}
