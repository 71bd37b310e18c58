// A host that overhears an ARP request changes nothing, so the engine decides it on the state it
// shares with the last checkpoint (registry receiveUnchanged) instead of copying the host for step
// back. Checked here: such a host stays the checkpoint's very object, the one asked is copied, and
// stepping back over the broadcast gives the same tables and trace as never having stepped.

import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import { arpCache } from '../../src/sim/tables';
import { star } from './build';


describe('a host overhearing an ARP request', () => {
  it('is not copied for step back, while the host asked is', () => {
    const sim = new Simulation(star('hub', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B', at: 0 }]), { checkpointInterval: 1 });
    // A's request leaves (step 1), the hub repeats it (step 2): before B and C receive it.
    sim.step();
    sim.step();
    const c = sim.state.devices.get('C');
    const b = sim.state.devices.get('B');
    // Both copies of the request arrive at 2 ms: one step each.
    while (sim.trace.filter((e) => e.kind === 'receive' && (e.device === 'B' || e.device === 'C')).length < 2) sim.step();
    expect(sim.trace.some((e) => e.device === 'C' && e.reason === 'arp-request-not-for-me')).toBe(true);
    expect(sim.state.devices.get('C')).toBe(c);
    expect(sim.state.devices.get('B')).not.toBe(b);
    expect(arpCache(sim.state, 'B')?.map((r) => r.ip)).toEqual(['10.0.0.1']);
  });

  it('steps back and forth over the broadcast to the same tables and trace', () => {
    const once = new Simulation(star('hub', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B', at: 0 }]), { checkpointInterval: 2 });
    once.run(1000);
    const again = new Simulation(star('hub', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B', at: 0 }]), { checkpointInterval: 2 });
    for (let i = 0; i < 6; i++) again.step();
    while (again.stepCount > 1) again.stepBack();
    again.run(1000);
    expect(again.trace.map((e) => [e.device, e.reason, e.text])).toEqual(once.trace.map((e) => [e.device, e.reason, e.text]));
    for (const id of ['A', 'B', 'C']) expect(arpCache(again.state, id)).toEqual(arpCache(once.state, id));
  });

  it('is not copied either when it knows other neighbours, only none for the sender (nothing to refresh)', () => {
    // C knows B (its own ping), then A asks for B: C has no entry for A, so arp_process changes nothing.
    const traffic = [{ from: 'C', do: 'ping' as const, to: 'B', at: 0 }, { from: 'A', do: 'ping' as const, to: 'B', at: 1000 }];
    const sim = new Simulation(star('hub', ['A', 'B', 'C'], traffic), { checkpointInterval: 1 });
    while (sim.state.time < 1000 || !sim.trace.some((e) => e.device === 'A' && e.kind === 'transmit')) sim.step();
    expect(arpCache(sim.state, 'C')?.map((r) => r.ip)).toEqual(['10.0.0.2']);
    const c = sim.state.devices.get('C');
    const seen = () => sim.trace.filter((e) => e.device === 'C' && e.time >= 1000 && e.reason === 'arp-request-not-for-me');
    while (seen().length === 0) sim.step();
    expect(sim.state.devices.get('C')).toBe(c);
    // The same event as a host that knows nobody (the full path's, which the first test of arp-overheard compares).
    const plain = new Simulation(star('hub', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B', at: 0 }]));
    plain.run(1000);
    const [mine] = seen();
    const [theirs] = plain.trace.filter((e) => e.device === 'C' && e.reason === 'arp-request-not-for-me');
    for (const key of ['kind', 'reason', 'port', 'args', 'text'] as const) expect(mine![key], key).toEqual(theirs![key]);
  });

  it('a frame to another MAC is dropped without a copy either, with the full sentence', () => {
    // A pings B through the hub: C first receives B's ARP reply, addressed to A's MAC.
    const sim = new Simulation(star('hub', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B', at: 0 }]), { checkpointInterval: 1 });
    const c = sim.state.devices.get('C');
    const drops = () => sim.trace.filter((e) => e.device === 'C' && e.reason === 'not-for-me');
    while (drops().length === 0) sim.step();
    expect(sim.state.devices.get('C')).toBe(c);
    const [drop] = drops();
    expect([drop!.kind, drop!.port, drop!.text]).toEqual(['drop', 'eth0', "C's eth0 ignores the frame: it is addressed to 02:00:00:00:00:01, not to 02:00:00:00:00:03."]);
    expect([...drop!.frame!.subarray(0, 6)]).toEqual([2, 0, 0, 0, 0, 1]);
    // A, whose MAC it is, takes the same frame: its table learns B.
    while (!sim.trace.some((e) => e.device === 'A' && e.reason === 'arp-reply')) sim.step();
    expect(arpCache(sim.state, 'A')?.map((r) => r.ip)).toEqual(['10.0.0.2']);
  });
});
