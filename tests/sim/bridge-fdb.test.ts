// The forwarding database is split into buckets that copies of a bridge share (bridge-fdb.ts): it
// must read exactly as the one Map it replaced, and a copy must never change what it was copied from.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFdb, fdbCleanup, fdbEntries, fdbFind, fdbRows, fdbUpdate, type Fdb } from '../../src/sim/devices/bridge-fdb';
import { deepCopy } from '../../src/sim/engine/state';

/** The table as it was: one Map in insertion order, entries changed in place (the reference). */
interface Entry {
  mac: string;
  vid: number;
  port: string;
  updated: number;
}

class OneMap {
  readonly map = new Map<string, Entry>();

  update(vid: number, mac: string, port: string, ageing: number, now: number): { change: string; previousPort?: string } {
    if (ageing === 0) return { change: 'not-kept' };
    const key = `${vid}/${mac}`;
    const entry = this.map.get(key);
    if (!entry || entry.updated + ageing <= now) {
      this.map.set(key, { mac, vid, port, updated: now });
      return { change: 'learned' };
    }
    if (entry.port !== port) {
      const previousPort = entry.port;
      this.map.set(key, { mac, vid, port, updated: now });
      return { change: 'moved', previousPort };
    }
    entry.updated = now;
    return { change: 'refreshed' };
  }

  cleanup(ageing: number, now: number): { expired: Entry[]; nextExpiry: number } {
    const expired: Entry[] = [];
    let nextExpiry = Infinity;
    for (const [key, entry] of this.map) {
      if (entry.updated + ageing <= now) {
        expired.push(entry);
        this.map.delete(key);
      } else {
        nextExpiry = Math.min(nextExpiry, entry.updated + ageing);
      }
    }
    expired.sort((x, y) => x.updated - y.updated || (x.mac < y.mac ? -1 : 1));
    return { expired, nextExpiry };
  }
}

const plain = ({ mac, vid, port, updated }: Entry) => ({ mac, vid, port, updated });

/** A few MACs that share their last bytes (one bucket) and some that do not, so buckets both collide and spread. */
const macs = ['02:00:00:00:00:01', '02:00:00:00:00:34', '02:00:00:00:01:01', '02:00:00:00:00:02', '0a:bc:de:f0:12:3f', '02:00:00:00:00:41', '02:00:00:00:00:81', 'ee:ee:ee:ee:ee:ee'];
/** What a burst learns at once: more keys than a table's first bucket holds (32), so that the table is split. */
const burst = Array.from({ length: 40 }, (_, i) => `02:00:00:01:${(i >> 3).toString(16).padStart(2, '0')}:${(0x10 + 7 * i).toString(16).padStart(2, '0')}`);

const operation = fc.oneof(
  fc.record({ do: fc.constant('update' as const), vid: fc.constantFrom(0, 1, 10), mac: fc.constantFrom(...macs), port: fc.constantFrom('p1', 'p2', 'p3'), dt: fc.nat(40) }),
  fc.record({ do: fc.constant('cleanup' as const), dt: fc.nat(40) }),
  // Forty MACs learned in one moment, on one port.
  fc.record({ do: fc.constant('burst' as const), vid: fc.constantFrom(0, 10), port: fc.constantFrom('p1', 'p2'), dt: fc.nat(40) }),
  // A checkpoint: from here on the table changes in a copy, as after writableDevice.
  fc.record({ do: fc.constant('copy' as const), dt: fc.constant(0) }),
);

describe('bridge FDB', () => {
  it('reads exactly as one Map would: changes, lookups, rows, insertion order and what the sweep returns', () => {
    // Runs whose table ended split into buckets, and runs whose table did not: both are compared.
    const ended = { split: 0, one: 0 };
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 80 }), fc.constantFrom(0, 15, 50), (operations, ageing) => {
        const reference = new OneMap();
        let fdb: Fdb = createFdb();
        const copies: Array<{ fdb: Fdb; rows: ReturnType<typeof fdbRows> }> = [];
        let now = 0;
        for (const op of operations) {
          now += op.dt;
          if (op.do === 'update') {
            expect(fdbUpdate(fdb, op.vid, op.mac, op.port, ageing, now)).toEqual(reference.update(op.vid, op.mac, op.port, ageing, now));
          } else if (op.do === 'burst') {
            for (const mac of burst) expect(fdbUpdate(fdb, op.vid, mac, op.port, ageing, now)).toEqual(reference.update(op.vid, mac, op.port, ageing, now));
          } else if (op.do === 'cleanup') {
            const { expired, nextExpiry } = fdbCleanup(fdb, ageing, now);
            const expected = reference.cleanup(ageing, now);
            expect(expired.map(plain)).toEqual(expected.expired.map(plain));
            expect(nextExpiry).toBe(expected.nextExpiry);
          } else {
            copies.push({ fdb, rows: fdbRows(fdb, 0) });
            fdb = deepCopy(fdb);
          }
          expect(fdbEntries(fdb).map(plain)).toEqual([...reference.map.values()].map(plain));
          for (const mac of macs) {
            for (const vid of [0, 1, 10]) {
              const live = reference.map.get(`${vid}/${mac}`);
              expect(fdbFind(fdb, vid, mac, ageing, now)?.port).toBe(live !== undefined && live.updated + ageing > now ? live.port : undefined);
            }
          }
        }
        expect(fdbRows(fdb, now).map(({ mac, vid }) => `${vid}/${mac}`)).toEqual([...reference.map.keys()].sort((x, y) => Number(x.split('/')[0]) - Number(y.split('/')[0]) || (x < y ? -1 : 1)));
        // What a copy was made from never changes (the snapshot's table, in the engine).
        for (const { fdb: before, rows } of copies) expect(fdbRows(before, 0)).toEqual(rows);
        ended[fdb.buckets.length > 1 ? 'split' : 'one'] += 1;
      }),
      {
        numRuns: 300,
        // The sweep's one tie: a MAC learned in two VLANs at the same moment, aged out together,
        // whose buckets (created in another order) list them the other way round.
        examples: [[[
          { do: 'update', vid: 1, mac: '02:00:00:00:00:34', port: 'p1', dt: 0 },
          { do: 'update', vid: 10, mac: '02:00:00:00:00:01', port: 'p2', dt: 5 },
          { do: 'update', vid: 0, mac: '02:00:00:00:00:01', port: 'p3', dt: 0 },
          { do: 'cleanup', dt: 25 },
        ], 15]],
      },
    );
    expect(ended.split, 'runs whose table was split').toBeGreaterThan(30);
    expect(ended.one, 'runs whose table kept one bucket').toBeGreaterThan(30);
    // 300 runs take about a second alone, and over Vitest's 5 s default beside the e2e lane on a busy
    // 2-core machine: a slow machine is not a failure.
  }, 60_000);

  it('is copied by sharing its buckets: a copy copies only the bucket it changes', () => {
    const fdb = createFdb();
    for (let i = 0; i < 200; i++) fdbUpdate(fdb, 0, `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, `p${i % 4}`, 300_000, i);
    expect(fdb.buckets.filter((bucket) => bucket.size > 0).length).toBeGreaterThan(32);
    const copy = deepCopy(fdb);
    expect(copy.buckets).not.toBe(fdb.buckets);
    fdb.buckets.forEach((bucket, index) => expect(copy.buckets[index]).toBe(bucket));
    fdbUpdate(copy, 0, '02:00:00:00:00:05', 'p9', 300_000, 1000);
    const changed = [...copy.buckets.entries()].filter(([index, bucket]) => fdb.buckets[index] !== bucket);
    expect(changed).toHaveLength(1);
    expect(fdbFind(copy, 0, '02:00:00:00:00:05', 300_000, 1000)?.port).toBe('p9');
    expect(fdbFind(fdb, 0, '02:00:00:00:00:05', 300_000, 1000)?.port).toBe('p1');
    // A second change to the same bucket changes the copy's own bucket in place.
    fdbUpdate(copy, 0, '02:00:00:00:00:05', 'p8', 300_000, 1001);
    expect(copy.buckets[changed[0]![0]]).toBe(changed[0]![1]);
  });

  it('starts with one bucket and splits it past 32 entries, leaving a copy made before as it was', () => {
    const mac = (i: number) => `02:00:00:00:00:${i.toString(16).padStart(2, '0')}`;
    const fdb = createFdb();
    for (let i = 0; i < 32; i++) fdbUpdate(fdb, 0, mac(i), 'p1', 300_000, i);
    expect(fdb.buckets).toHaveLength(1);
    const copy = deepCopy(fdb);
    const rows = fdbRows(fdb, 100);
    // The 33rd entry splits the copy's table: its own buckets, every entry still found.
    expect(fdbUpdate(copy, 0, mac(32), 'p2', 300_000, 100).change).toBe('learned');
    expect(copy.buckets.length).toBeGreaterThan(1);
    for (let i = 0; i <= 32; i++) expect(fdbFind(copy, 0, mac(i), 300_000, 100)?.port).toBe(i === 32 ? 'p2' : 'p1');
    expect(fdbEntries(copy).map((e) => e.mac)).toEqual(Array.from({ length: 33 }, (_, i) => mac(i)));
    // The table it was copied from (a snapshot's) is untouched.
    expect(fdb.buckets).toHaveLength(1);
    expect(fdbRows(fdb, 100)).toEqual(rows);
    expect(fdbFind(fdb, 0, mac(32), 300_000, 100)).toBeUndefined();
  });
});
