// The structured trace: every event names the event that caused it and the frame its host first
// sent, so that what happened to a frame can be followed back hop by hop without guessing.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { scenario, scenarios } from '../../src/scenarios/index';
import type { TraceEvent } from '../../src/sim/trace';
import { star } from './build';

/** The cause chain of an event, from the event back to its first cause: [event, its cause, its cause's cause, …]. */
function chain(trace: readonly TraceEvent[], event: TraceEvent): TraceEvent[] {
  const out = [event];
  for (let at = event; at.cause !== undefined; at = trace[at.cause]!) out.push(trace[at.cause]!);
  return out;
}

const step = (e: TraceEvent) => `${e.device} ${e.kind} ${e.reason}`;

describe('trace: cause', () => {
  it('follows a bridged ARP reply back: receive at the host ← transmit ← forward ← receive at the bridge ← transmit ← deliver ← receive at B ← …', () => {
    const sim = new Simulation(star('bridge', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B' }]));
    sim.run();
    const trace = sim.trace;
    // A's first receive is B's ARP reply, relayed by the bridge.
    const atA = trace.find((e) => e.device === 'A' && e.kind === 'receive')!;
    const links = chain(trace, atA).map(step);
    expect(links).toEqual([
      'A receive frame-arrived',
      'sw transmit transmit',
      'sw forward fdb-hit',
      'sw receive frame-arrived',
      'B transmit transmit',
      'B deliver arp-request-for-me',
      'B receive frame-arrived',
      'sw transmit transmit',
      'sw flood broadcast',
      'sw receive frame-arrived',
      'A transmit transmit',
      'A arp arp-start',
      'A action ping-start',
    ]);
    // The bridge learned B's MAC from the same receive it forwarded: learn and forward share their cause.
    const forward = chain(trace, atA)[2]!;
    const learn = trace.find((e) => e.kind === 'learn' && e.cause === forward.cause)!;
    expect(learn.reason).toBe('fdb-learn');
    expect(learn.index).toBeLessThan(forward.index);
    // A receive's cause is the transmit of the very copy that arrived.
    const transmit = trace[atA.cause!]!;
    expect(transmit.kind).toBe('transmit');
    expect(transmit.peer).toEqual({ device: 'A', port: 'eth0' });
  });

  it('gives every flooded copy the flood as cause, and each receive its own copy\'s transmit', () => {
    const sim = new Simulation(star('bridge', ['A', 'B', 'C', 'D'], [{ from: 'A', do: 'raw', to: 'broadcast' }]));
    sim.run();
    const flood = sim.trace.find((e) => e.kind === 'flood')!;
    const copies = sim.trace.filter((e) => e.kind === 'transmit' && e.cause === flood.index);
    expect(copies.map((e) => e.peer!.device)).toEqual(['B', 'C', 'D']);
    for (const copy of copies) {
      const receive = sim.trace.filter((e) => e.kind === 'receive' && e.cause === copy.index);
      expect(receive.map((e) => e.device)).toEqual([copy.peer!.device]);
      expect(receive[0]!.frame).toBe(copy.frame);
    }
  });

  it('keeps the origin on relayed copies: every copy of a broadcast names the frame its host sent', () => {
    const sim = new Simulation(star('hub', ['A', 'B', 'C'], [{ from: 'A', do: 'raw', to: 'broadcast' }]));
    sim.run();
    const first = sim.trace.find((e) => e.kind === 'transmit')!;
    expect(first.device).toBe('A');
    expect(first.origin).toBe(first.frameId);
    const copies = sim.trace.filter((e) => e.kind === 'transmit' && e.device === 'sw');
    expect(copies).toHaveLength(2);
    for (const copy of copies) {
      expect(copy.frameId).not.toBe(first.frameId);
      expect(copy.origin).toBe(first.frameId);
    }
    // What a device decides about a frame carries the frame's origin too.
    for (const e of sim.trace.filter((e) => e.kind === 'receive' || e.kind === 'flood' || e.kind === 'deliver' || e.kind === 'drop')) expect(e.origin).toBe(first.frameId);
  });

  it('gives a new frame (an answer) its own origin', () => {
    const sim = new Simulation(star('bridge', ['A', 'B'], [{ from: 'A', do: 'ping', to: 'B' }]));
    sim.run();
    const sentByHosts = sim.trace.filter((e) => e.kind === 'transmit' && (e.device === 'A' || e.device === 'B'));
    // ARP request, ARP reply, echo request, echo reply: four frames, four origins.
    expect(sentByHosts.map((e) => e.origin)).toEqual(sentByHosts.map((e) => e.frameId));
    expect(new Set(sentByHosts.map((e) => e.origin)).size).toBe(4);
  });

  it('ties a timer\'s events to the event after which the timer was set (ARP retries)', () => {
    const sim = new Simulation(star('bridge', ['A', 'B'], [{ from: 'A', do: 'ping', to: '10.0.0.99' }]));
    sim.run();
    const retries = sim.trace.filter((e) => e.device === 'A' && e.reason === 'arp-retry');
    expect(retries.length).toBeGreaterThan(0);
    const start = sim.trace.find((e) => e.device === 'A' && e.reason === 'arp-start')!;
    // The first retry follows the request A sent after arp-start; each later retry follows the one before.
    expect(retries[0]!.cause).toBe(start.index);
    for (let i = 1; i < retries.length; i++) expect(retries[i]!.cause).toBe(retries[i - 1]!.index);
    // The request a retry sends has the retry as its cause.
    for (const retry of retries) {
      const sent = sim.trace.filter((e) => e.kind === 'transmit' && e.cause === retry.index);
      expect(sent.map((e) => e.device)).toEqual(['A']);
    }
  });

  it('makes the transmit that closed a loop the cause of the loop notice and of the storm halt', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/loop'));
    sim.run();
    const loop = sim.trace.find((e) => e.kind === 'loop')!;
    const halt = sim.trace.find((e) => e.kind === 'halt')!;
    for (const e of [loop, halt]) {
      const transmit = sim.trace[e.cause!]!;
      expect(transmit.kind).toBe('transmit');
      expect(transmit.device).toBe(e.device);
    }
    expect(sim.trace[loop.cause!]!.port).toBe(loop.port);
    expect(loop.args).toEqual({ peer: sim.trace[loop.cause!]!.peer });
  });

  it.each(Object.keys(scenarios))('%s: every cause is an earlier event, and its index is its position', (id) => {
    const sim = new Simulation(scenario(id));
    sim.run();
    sim.trace.forEach((e, i) => {
      expect(e.index).toBe(i);
      if (e.cause !== undefined) expect(e.cause).toBeLessThan(i);
      // Receives are caused by a transmit towards that very port; nothing else is caused by nothing but an action's start.
      if (e.kind === 'receive') {
        const sent = sim.trace[e.cause!]!;
        expect(sent.kind).toBe('transmit');
        expect(sent.peer).toEqual({ device: e.device, port: e.port });
        expect(sent.origin).toBe(e.origin);
      }
    });
  });

  it('keeps the same causes after stepping back and forward again (a replay counts the events it does not record)', () => {
    const straight = new Simulation(scenario('one-vlan-per-subnet/router-on-a-stick'));
    straight.run();
    const sim = new Simulation(scenario('one-vlan-per-subnet/router-on-a-stick'), { checkpointInterval: 3 });
    for (let i = 0; i < 20; i++) sim.step();
    for (let i = 0; i < 7; i++) sim.stepBack();
    sim.run();
    expect(sim.trace.map((e) => [e.index, e.cause, e.origin])).toEqual(straight.trace.map((e) => [e.index, e.cause, e.origin]));
  });
});

describe('report: receptions by cause', () => {
  it('pairs each receive with the decision it caused, not merely the next decision of that device', () => {
    const sim = new Simulation(star('bridge', ['A', 'B', 'C'], [{ from: 'A', do: 'ping', to: 'B' }]));
    sim.run();
    const report = buildReport(sim);
    const ping = report.actions[0]!;
    expect(ping.outcome).toBe('ok');
    // B got the ARP request (answered it), the echo request (delivered); C only the ARP request (dropped).
    expect(ping.receivedBy['B']!.map((r) => r.reason)).toEqual(['arp-request-for-me', 'echo-request']);
    expect(ping.receivedBy['C']!.map((r) => [r.did, r.reason])).toEqual([['drop', 'arp-request-not-for-me']]);
    expect(ping.receivedBy['sw']!.map((r) => r.did)).toEqual(['flood', 'forward', 'forward', 'forward']);
  });
});
