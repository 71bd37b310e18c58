// A broadcast ARP request for another host's address is what every host of a segment receives
// for every resolution. receive.ts decides it from the bytes (no decoding) when the host has no
// entry to refresh; with an entry, the full arp_process path runs. Both must say the same thing.

import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import type { TrafficAction } from '../../src/sim/scenario/format';
import { arpCache } from '../../src/sim/tables';
import { mac, scenarioOf, star } from './build';
import type { TraceEvent } from '../../src/sim/trace';

/** A, B, C (10.0.0.1–3) on a hub. */
const hubOfThree = (traffic: TrafficAction[]) => star('hub', ['A', 'B', 'C'], traffic);

/** What C did with the ARP requests it overheard, after the action `at`. */
function overheard(sim: Simulation, at: number): TraceEvent[] {
  return sim.trace.filter((e) => e.device === 'C' && e.time >= at && e.reason === 'arp-request-not-for-me');
}

describe('an overheard ARP request', () => {
  it('without an entry for the sender: dropped, the table untouched, the full sentence', () => {
    const sim = new Simulation(hubOfThree([{ from: 'A', do: 'ping', to: 'B', at: 0 }]));
    sim.run(1000);
    const [drop, ...more] = overheard(sim, 0);
    expect(more).toEqual([]);
    // The target is the frame's (the narrator reads it there): args hold what the host is.
    expect(drop).toMatchObject({ kind: 'drop', port: 'eth0', args: { addresses: ['10.0.0.3'] } });
    expect(drop!.args).not.toHaveProperty('stuck');
    expect(drop!.frame![0]).toBe(0xff);
    expect(arpCache(sim.state, 'C')).toEqual([]);
    expect(drop!.text).toContain('10.0.0.2');
  });

  it('with an entry for the sender (the full path): refreshed, then dropped with the same event', () => {
    const fast = new Simulation(hubOfThree([{ from: 'A', do: 'ping', to: 'B', at: 0 }]));
    fast.run(1000);
    // C knows A first (C pings A), so A's later request for B refreshes C's entry for A.
    const full = new Simulation(hubOfThree([{ from: 'C', do: 'ping', to: 'A', at: 0 }, { from: 'A', do: 'ping', to: 'B', at: 1000 }]));
    full.run(1000);
    const [a] = overheard(fast, 0);
    const [b, ...more] = overheard(full, 1000);
    expect(more).toEqual([]);
    for (const key of ['kind', 'reason', 'port', 'args', 'text'] as const) expect(b![key], key).toEqual(a![key]);
    expect([...b!.frame!]).toEqual([...a!.frame!]);
    // and the full path did what only it can: C's entry for A was refreshed by the request at 1002 ms.
    expect(arpCache(full.state, 'C')).toEqual([{ ip: '10.0.0.1', mac: '02:00:00:00:00:01', port: 'eth0', age: full.state.time - b!.time }]);
  });

  it('one frozen args object per interface serves every request it ignores; each sentence reads its own target off the frame', () => {
    const sim = new Simulation(star('hub', ['A', 'B', 'C', 'D'], [{ from: 'A', do: 'ping', to: 'B', at: 0 }, { from: 'A', do: 'ping', to: 'D', at: 1000 }]));
    sim.run(1000);
    const [first, second, ...more] = overheard(sim, 0);
    expect(more).toEqual([]);
    expect(second!.args).toBe(first!.args);
    expect(Object.isFrozen(first!.args)).toBe(true);
    expect(first!.text).toBe('C reads the ARP request (who has 10.0.0.2?) and ignores it: C is 10.0.0.3.');
    expect(second!.text).toBe('C reads the ARP request (who has 10.0.0.4?) and ignores it: C is 10.0.0.3.');
  });

  it('on an 802.1Q sub-interface: the sentence reads the target after the tag', () => {
    const tagged = (name: string, n: number) => ({ id: name, kind: 'host' as const, nics: [{ port: 'eth0', mac: mac(n), vlans: [{ vlan: 10, ip: `10.0.10.${n}/24` }] }] });
    const sim = new Simulation(scenarioOf(
      [tagged('A', 1), tagged('B', 2), tagged('C', 3), { id: 'sw', kind: 'hub', ports: ['p1', 'p2', 'p3'] }],
      [{ a: 'A:eth0', b: 'sw:p1' }, { a: 'B:eth0', b: 'sw:p2' }, { a: 'C:eth0', b: 'sw:p3' }],
      [{ from: 'A', do: 'ping', to: '10.0.10.2', at: 0 }],
    ));
    sim.run(1000);
    const [drop, ...more] = overheard(sim, 0);
    expect(more).toEqual([]);
    expect(drop!.frame![12]).toBe(0x81);
    expect(drop!.text).toBe('C reads the ARP request (who has 10.0.10.2?) and ignores it: C is 10.0.10.3.');
  });

  // receive.ts compares a short table's addresses with the bytes and looks a long one up by text.
  for (const known of [1, 10]) {
    it(`with ${known} other neighbours: refreshed only if the sender is one of them, the same event either way`, () => {
      const names = ['A', 'B', 'C', ...Array.from({ length: known }, (_, i) => `N${i}`)];
      const plain = new Simulation(star('hub', names, [{ from: 'A', do: 'ping', to: 'B', at: 0 }]));
      plain.run(1000);
      const [expected] = overheard(plain, 0);
      for (const knowsSender of [false, true]) {
        // C pings its neighbours (one of them A when it knows the sender) 10 ms apart, then A asks for B.
        const pinged = names.slice(3).map((name, i) => (knowsSender && i === 0 ? 'A' : name));
        const traffic: TrafficAction[] = [...pinged.map((to, i) => ({ from: 'C', do: 'ping' as const, to, at: i * 10 })), { from: 'A', do: 'ping', to: 'B', at: 1000 }];
        const sim = new Simulation(star('hub', names, traffic));
        sim.run(1000);
        const [drop, ...more] = overheard(sim, 1000);
        expect(more).toEqual([]);
        for (const key of ['kind', 'reason', 'port', 'args', 'text'] as const) expect(drop![key], key).toEqual(expected![key]);
        const entryForA = arpCache(sim.state, 'C')!.find((row) => row.ip === '10.0.0.1');
        expect(arpCache(sim.state, 'C')).toHaveLength(known);
        if (knowsSender) expect(entryForA!.age).toBe(sim.state.time - drop!.time);
        else expect(entryForA).toBeUndefined();
      }
    });
  }
});
