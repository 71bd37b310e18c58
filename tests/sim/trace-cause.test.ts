// The structured trace: every event names the event that caused it and the frame its host first
// sent, so that what happened to a frame can be followed back hop by hop without guessing.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import { dockerHostScenario, DOCKER_HOST_MAC } from '../../src/scenarios/docker-host';
import { scenario, scenarios } from '../../src/scenarios/index';
import type { DeviceSpec } from '../../src/sim/scenario/format';
import type { TraceEvent } from '../../src/sim/trace';
import { scenarioOf, star } from './build';

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

  it('keeps the origin on a frame a router forwards, also when the packet waited for ARP (router on a stick)', () => {
    const sim = new Simulation(scenario('one-vlan-per-subnet/router-on-a-stick'));
    sim.run();
    const sent = sim.trace.filter((e) => e.kind === 'transmit' && e.actionId === 1);
    const echo = (from: string, what: string, ttl: number) => sent.find((e) => e.device === from && e.text.includes(what) && e.text.includes(`TTL ${ttl}`))!;
    const request = echo('A', 'echo request', 64);
    const replied = echo('B', 'echo reply', 64);
    // The router sent new frames (new MACs, another VLAN tag, TTL 63), each its own frame id…
    const routedRequest = echo('R', 'echo request', 63);
    const routedReply = echo('R', 'echo reply', 63);
    expect(routedRequest.frameId).not.toBe(request.frameId);
    expect(routedRequest.frame).not.toEqual(request.frame);
    // …that keep the origin of the frame their host sent: the request waited in R's ARP queue for B's MAC.
    expect(request.origin).toBe(request.frameId);
    expect(routedRequest.origin).toBe(request.frameId);
    expect(sim.trace[routedRequest.cause!]!.reason).toBe('arp-cache-update');
    expect(routedReply.origin).toBe(replied.frameId);
    expect(sim.trace[routedReply.cause!]!.reason).toBe('ip-forward');
    // And B's receive of the routed request names A's frame as origin, though A's frame never reached B.
    const atB = sim.trace.find((e) => e.kind === 'receive' && e.device === 'B' && e.origin === request.frameId)!;
    expect(sim.trace[atB.cause!]!.device).toBe('sw1');
    expect(sim.trace.some((e) => e.kind === 'loop')).toBe(false);
  });

  it('a routing loop keeps one origin for all its hops, yet is no layer-2 loop: TTL ends it, not a storm halt', () => {
    const mac = (n: number) => `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`;
    const r1: DeviceSpec = { id: 'R1', kind: 'router', nics: [{ port: 'a', mac: mac(0xa1), ip: '10.0.1.1/24' }, { port: 'b', mac: mac(0xa2), ip: '10.0.12.1/30' }], routes: [{ to: '0.0.0.0/0', via: '10.0.12.2' }] };
    const r2: DeviceSpec = { id: 'R2', kind: 'router', nics: [{ port: 'b', mac: mac(0xb2), ip: '10.0.12.2/30' }], routes: [{ to: '0.0.0.0/0', via: '10.0.12.1' }] };
    const a: DeviceSpec = { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: mac(1), ip: '10.0.1.10/24' }], gateway: '10.0.1.1' };
    const sim = new Simulation(scenarioOf([a, r1, r2], [{ a: 'A:eth0', b: 'R1:a' }, { a: 'R1:b', b: 'R2:b' }], [{ from: 'A', do: 'ping', to: '198.51.100.7' }]));
    sim.run();
    expect(sim.halted).toBeNull();
    expect(sim.trace.some((e) => e.kind === 'loop')).toBe(false);
    const request = sim.trace.find((e) => e.kind === 'transmit' && e.device === 'A' && e.text.includes('echo request'))!;
    const hops = sim.trace.filter((e) => e.kind === 'transmit' && e.device !== 'A' && e.text.includes('echo request'));
    // TTL 64 at A, then one router hop per TTL down to 2: 63 frames on the R1–R2 cable, all A's.
    expect(hops).toHaveLength(63);
    for (const hop of hops) expect(hop.origin).toBe(request.frameId);
    expect(sim.trace.find((e) => e.kind === 'result')!.text).toContain('Time to live exceeded');
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

describe('the Docker-like host: causes and origins across namespaces', () => {
  it('follows c1\'s ping to the outside host: veth, bridge br0 in the server namespace, routed out of eth0, one origin', () => {
    const sim = new Simulation(dockerHostScenario([{ from: 'c1', do: 'ping', to: 'outside', at: 0 }]));
    sim.run();
    expect(sim.state.actions[1]!.outcome?.ok).toBe(true);
    const request = sim.trace.find((e) => e.kind === 'transmit' && e.device === 'c1' && e.text.includes('echo request'))!;
    const atOutside = sim.trace.find((e) => e.kind === 'receive' && e.device === 'outside' && e.origin === request.frameId)!;
    const devices = chain(sim.trace, atOutside).map((e) => e.device);
    // Back from the outside host: the server namespace sent it (routed, once its ARP for the outside
    // host was answered), and that ARP started when c1's frame came in over the veth to br0.
    expect(devices[0]).toBe('outside');
    expect(devices.at(-1)).toBe('c1');
    const links = chain(sim.trace, atOutside);
    expect(links[1]).toMatchObject({ device: 'server', kind: 'transmit', port: 'eth0', origin: request.frameId });
    expect(links[2]).toMatchObject({ device: 'server', reason: 'arp-cache-update' });
    expect(links.some((e) => e.device === 'server' && e.kind === 'receive' && e.port === 'veth1' && e.origin === request.frameId)).toBe(true);
    expect(links.some((e) => e.device === 'server' && e.reason === 'arp-start')).toBe(true);
    const report = buildReport(sim);
    expect(Object.keys(report.macTables)).toContain('server br0');
    expect(report.macTables['server br0']!.map((r) => r.mac)).toContain(DOCKER_HOST_MAC.c1);
  });
});

