// should_deliver with the per-port hairpin flag (BR_HAIRPIN_MODE), driven on the bridge code
// directly: off (Linux's default), a frame never leaves by the port it came in on; on, it may —
// a unicast whose destination lives behind that same port goes back out of it, and a flood
// includes it. This is what lets two containers behind one port (a VEPA switch, a macvlan parent)
// reach each other through the bridge.

import { describe, expect, it } from 'vitest';
import { shouldDeliver } from '../../src/sim/devices/bridge/forward';
import { bridgeReceive, createBridge } from '../../src/sim/devices/learning-bridge';
import { encodeEthernetFrame } from '../../src/sim/wire';
import { recorder } from './recorder';

const A = '02:00:00:00:00:0a';
const B = '02:00:00:00:00:0b';
const frame = (source: string, destination: string) => encodeEthernetFrame({ source, destination, etherType: 0x88b5, payload: new Uint8Array(46) });

function bridgeWithA(hairpin?: string[]) {
  const bridge = createBridge({ id: 'br', kind: 'bridge', ports: ['p1', 'p2'] });
  if (hairpin) bridge.hairpin = hairpin;
  const { record, ctx } = recorder();
  // A speaks first on p1: learned there.
  bridgeReceive(ctx, bridge, 'p1', frame(A, 'ff:ff:ff:ff:ff:ff'));
  record.events.length = 0;
  record.relayed.length = 0;
  return { bridge, record, ctx };
}

describe('should_deliver and the hairpin flag', () => {
  it('is off by default: a frame for a MAC behind the ingress port is filtered, and a flood skips the ingress port', () => {
    const { bridge, record, ctx } = bridgeWithA();
    expect(shouldDeliver(bridge, 'p1', 'p1', 0)).toBe(false);
    bridgeReceive(ctx, bridge, 'p1', frame(B, A));
    expect(record.events.map((e) => [e.kind, e.reason]).at(-1)).toEqual(['filter', 'same-port']);
    expect(record.relayed).toEqual([]);
    bridgeReceive(ctx, bridge, 'p1', frame(B, 'ff:ff:ff:ff:ff:ff'));
    expect(record.relayed.map((r) => r.port)).toEqual(['p2']);
  });

  it('on a port in hairpin mode, the unicast goes back out of it, and a flood includes it', () => {
    const { bridge, record, ctx } = bridgeWithA(['p1']);
    expect(shouldDeliver(bridge, 'p1', 'p1', 0)).toBe(true);
    expect(shouldDeliver(bridge, 'p2', 'p2', 0)).toBe(false);
    bridgeReceive(ctx, bridge, 'p1', frame(B, A));
    expect(record.events.map((e) => [e.kind, e.reason]).at(-1)).toEqual(['forward', 'fdb-hit']);
    expect(record.relayed.map((r) => r.port)).toEqual(['p1']);
    record.relayed.length = 0;
    bridgeReceive(ctx, bridge, 'p1', frame(B, 'ff:ff:ff:ff:ff:ff'));
    expect(record.relayed.map((r) => r.port)).toEqual(['p1', 'p2']);
  });
});
