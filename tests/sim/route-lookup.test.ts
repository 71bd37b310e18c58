// fib_lookup over a long route list: a router with more than a few static routes looks each
// destination up by prefix length (one network per length) instead of scanning every route. It
// must pick what the scan picks: the longest matching prefix, the connected route on a tie, the
// first route of the list among equals. Checked here against the scan written out, on random lists.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHost, routeTo } from '../../src/sim/devices/host';
import { freezeConfiguration } from '../../src/sim/engine/state';

const toNumber = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
const toText = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
const mask = (length: number) => (length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0);
const inside = (ip: number, network: number, length: number) => ((ip & mask(length)) >>> 0) === ((network & mask(length)) >>> 0);

// Networks drawn from a few bases, so that routes overlap, nest and repeat.
const network = fc.tuple(fc.constantFrom(0x0a000000, 0xc0a80000, 0xc0a80100, 0xac100000, 0), fc.nat(0xffff), fc.integer({ min: 0, max: 32 }));
const routes = fc.array(fc.tuple(network, fc.nat(0xffff)), { minLength: 9, maxLength: 40 });

describe('a router with a long route list', () => {
  it('picks the route the scan of every route picks', () => {
    fc.assert(
      fc.property(routes, fc.array(fc.tuple(fc.constantFrom(0x0a000000, 0xc0a80000, 0xc0a80100, 0xac100000, 0x08080000), fc.nat(0xffff)), { minLength: 1, maxLength: 20 }), (list, destinations) => {
        // One interface, 10.0.0.1/8 (every next hop is on it), and the routes in list order.
        const specRoutes = list.map(([[base, low, length], hop]) => ({ to: `${toText(((base + low) & mask(length)) >>> 0)}/${length}`, via: `10.${hop >> 8}.${hop & 255}.9` }));
        const host = createHost({ id: 'r', kind: 'router', nics: [{ port: 'eth0', mac: '02:00:00:00:00:01', ip: '10.0.0.1/8' }], routes: specRoutes }, () => 1);
        freezeConfiguration(host);
        for (const [base, low] of destinations) {
          const destination = toText((base + low) >>> 0);
          const to = toNumber(destination);
          // The scan: the connected /8 first, then every route with a longer prefix, the first of the longest.
          let best = inside(to, 0x0a000000, 8) ? 8 : -1;
          let expected = best === 8 ? destination : undefined;
          for (const route of specRoutes) {
            const [net, length] = route.to.split('/');
            if (Number(length) > best && inside(to, toNumber(net!), Number(length))) {
              best = Number(length);
              expected = route.via;
            }
          }
          const found = routeTo(host, destination);
          expect('nextHop' in found ? found.nextHop : undefined, `${destination} over ${JSON.stringify(specRoutes)}`).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
