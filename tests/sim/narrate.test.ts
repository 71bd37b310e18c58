// The trace's sentences: written by narrate() from an event's reason and args when first read, the
// same as the event shows; and the registry, through which the engine starts traffic and resolves
// targets for every device kind.
import { describe, expect, it } from 'vitest';
import { resolveIp, resolveMac } from '../../src/sim/engine/engine';
import { Simulation } from '../../src/sim/engine/simulation';
import { budgetText, hasNarrator, narrate, stormText, TracedEvent } from '../../src/sim/narrate';
import { dockerHostScenario } from '../../src/scenarios/docker-host';
import { scenario, scenarios } from '../../src/scenarios/index';
import type { DeviceSpec, TrafficAction } from '../../src/sim/scenario/format';
import { host, scenarioOf } from './build';

const names = (sim: Simulation) => new Map(sim.scenario.devices.map((d) => [d.id, d.label ?? d.id]));

describe('narrate', () => {
  it('says one copy and one step in the singular', () => {
    expect(stormText({ copies: 64, elapsed: 17 })).toMatch(/^Broadcast storm: one frame has been copied 64 times in 17 ms /);
    expect(stormText({ copies: 1, elapsed: 1 })).toMatch(/^Broadcast storm: one frame has been copied 1 time in 1 ms /);
    expect(budgetText({ budget: 1 })).toMatch(/^Stopped after 1 step with frames still in flight/);
    expect(budgetText({ budget: 200000 })).toMatch(/^Stopped after 200000 steps with frames still in flight/);
  });

  it.each(Object.keys(scenarios))('%s: every event the engine or a narrated device wrote is what narrate() says, with display names', (id) => {
    const sim = new Simulation(scenario(id));
    sim.run();
    let narrated = 0;
    for (const e of sim.trace) {
      if (!hasNarrator(e.kind, e.reason)) continue;
      expect(e.text).toBe(narrate(e, names(sim)));
      narrated++;
    }
    expect(narrated).toBeGreaterThan(0);
  });

  it.each([...Object.keys(scenarios), 'docker-host'])('%s: no event falls back to "<device>: <kind> (<reason>)." (every reason emitted without a sentence has a narrator)', (id) => {
    const sim = new Simulation(id === 'docker-host' ? dockerHostScenario() : scenario(id));
    sim.run();
    for (const e of sim.trace) expect(e.text).not.toBe(`${sim.name(e.device)}: ${e.kind} (${e.reason}).`);
  });

  it('writes the engine\'s sentences as before: a transmit, a receive, a result', () => {
    const sim = new Simulation(scenarioOf([{ ...host('A', 1), label: 'Alice' }, host('B', 2), { id: 'sw', kind: 'hub', ports: ['p1', 'p2'], label: 'The hub' }], [{ a: 'A:eth0', b: 'sw:p1' }, { a: 'B:eth0', b: 'sw:p2' }], [{ from: 'A', do: 'raw', to: 'B', payload: 'hi' }]));
    sim.run();
    const text = sim.trace.map((e) => `${e.kind}: ${e.text}`);
    expect(text).toContain('transmit: Alice sends frame 02:00:00:00:00:01 → 02:00:00:00:00:02, EtherType 0x88b5 out of eth0, towards The hub.');
    expect(text).toContain('receive: The hub receives the frame on p1.');
    expect(text).toContain('flood: The hub is a hub: it repeats the frame out of every other port (port p2) without reading any address.');
    const result = sim.trace.find((e) => e.kind === 'result')!;
    // The action's own label names devices as the drawing does (Alice), as the sentences do.
    expect(result.text).toBe(`Alice sends a raw frame to B: ${sim.state.actions[1]!.outcome!.text}`);
    expect(result.args).toEqual({ label: 'Alice sends a raw frame to B', outcome: sim.state.actions[1]!.outcome!.text });
  });

  it('writes a sentence only when read, once, and keeps it out of the event\'s data (copies and comparisons see fields only)', () => {
    const names = new Map([['h', 'Host']]);
    const event = new TracedEvent(1, 0, 'h', 'receive', 'frame-arrived', undefined, names);
    event.port = 'eth0';
    expect(Object.keys(event)).not.toContain('text');
    expect(JSON.stringify(event)).not.toContain('receives');
    expect(event.text).toBe('Host receives the frame on eth0.');
    // Cached: a later change of the event's fields does not rewrite what the reader already saw.
    event.port = 'eth1';
    expect(event.text).toBe('Host receives the frame on eth0.');
    // A device's own sentence is kept as given.
    expect(new TracedEvent(1, 0, 'h', 'deliver', 'echo-request', 'As the device said.').text).toBe('As the device said.');
  });

  it('says where a loop closed, from the loop event\'s port and its args\' far end', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/loop'));
    sim.run();
    const loop = sim.trace.find((e) => e.kind === 'loop')!;
    const { peer } = loop.args as { peer: { device: string; port: string } };
    const name = (id: string) => sim.name(id);
    expect(loop.text).toBe(`A copy of this frame already crossed the cable from ${name(loop.device)}'s ${loop.port} to ${name(peer.device)}'s ${peer.port}: it has gone round a loop. Without the Spanning Tree Protocol nothing ever removes it.`);
  });

  it('says a frame sent out of a port without a cable goes nowhere', () => {
    // A hub port with no cable is skipped, but a host's NIC without one is not: it sends, and the engine drops.
    const sim = new Simulation(scenarioOf([host('A', 1), host('B', 2)], [], [{ from: 'A', do: 'raw', to: 'B' }]));
    sim.run();
    const dropped = sim.trace.find((e) => e.reason === 'no-cable')!;
    expect(dropped).toMatchObject({ kind: 'drop', device: 'A', port: 'eth0', text: "A's eth0 has no cable: the frame goes nowhere." });
    expect(sim.trace[dropped.cause!]!.kind).toBe('action');
  });

  it('names a storm\'s copies and time from its args, and the halt keeps the same sentence', () => {
    const sim = new Simulation(scenario('hub-vs-bridge/loop'));
    sim.run();
    const halt = sim.trace.find((e) => e.kind === 'halt')!;
    expect(halt.args).toMatchObject({ copies: expect.any(Number), elapsed: expect.any(Number) });
    expect(halt.text).toBe(sim.halted!.text);
    expect(halt.text).toContain(`copied ${(halt.args as { copies: number }).copies} times`);
  });
});

describe('registry: who sends, what a target resolves to', () => {
  const hub: DeviceSpec = { id: 'hub1', kind: 'hub', ports: ['p1', 'p2', 'p3'] };
  const router: DeviceSpec = { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: '02:00:00:00:00:aa', ip: '10.0.0.254/24' }] };
  const local: DeviceSpec = { id: 'br', kind: 'bridge', ports: ['p1'], local: { mac: '02:00:00:00:00:bb', ip: '10.0.0.253/24' } };
  const plain: DeviceSpec = { id: 'plain', kind: 'bridge', ports: ['q1'] };
  const links = [{ a: 'A:eth0', b: 'hub1:p1' }, { a: 'R:eth0', b: 'hub1:p2' }, { a: 'br:p1', b: 'hub1:p3' }];

  /** Runs one action injected after validation (the validator refuses most of these before the engine sees them). */
  function attempt(action: TrafficAction) {
    const sim = new Simulation(scenarioOf([host('A', 1), hub, router, local, plain], links, []));
    const id = sim.inject(action);
    sim.run();
    const result = sim.trace.find((e) => e.kind === 'result' && e.actionId === id)!;
    return { outcome: sim.state.actions[id]!.outcome!, result, sim };
  }

  it('starts traffic from a host, a router and a bridge\'s local interface, to a router, a bridge and a host by name', () => {
    expect(attempt({ from: 'A', do: 'ping', to: 'R' }).outcome.ok).toBe(true);
    expect(attempt({ from: 'R', do: 'ping', to: 'A' }).outcome.ok).toBe(true);
    expect(attempt({ from: 'A', do: 'ping', to: 'br' }).outcome.ok).toBe(true);
    expect(attempt({ from: 'br', do: 'ping', to: 'A' }).outcome.ok).toBe(true);
    const raw = attempt({ from: 'A', do: 'raw', to: 'R' });
    expect(raw.outcome.ok).toBe(true);
    expect(raw.sim.trace.some((e) => e.device === 'R' && e.kind === 'receive')).toBe(true);
  });

  it('refuses, each with its own reason: a device that sends nothing, a target that is nothing, a target without an address', () => {
    const cases: Array<[TrafficAction, string, string]> = [
      [{ from: 'hub1', do: 'ping', to: 'A' }, 'not-a-sender', 'hub1 is a hub and sends no traffic: only hosts, routers and bridges with a local interface do.'],
      [{ from: 'plain', do: 'ping', to: 'A' }, 'not-a-sender', 'plain is a bridge and sends no traffic: only hosts, routers and bridges with a local interface do.'],
      [{ from: 'ghost', do: 'ping', to: 'A' }, 'unknown-sender', 'ghost is not a device of this scenario.'],
      [{ from: 'A', do: 'ping', to: 'nowhere' }, 'unknown-target', '"nowhere" is neither a device nor an IPv4 address.'],
      [{ from: 'A', do: 'raw', to: 'nowhere' }, 'unknown-target', '"nowhere" is neither a device, a MAC address nor "broadcast".'],
      [{ from: 'A', do: 'ping', to: 'hub1' }, 'no-address', 'hub1 is a hub and has no IPv4 address.'],
      [{ from: 'A', do: 'raw', to: 'hub1' }, 'no-address', 'hub1 is a hub and has no MAC address of its own.'],
    ];
    for (const [action, reason, text] of cases) {
      const { outcome, result } = attempt(action);
      expect(outcome).toMatchObject({ ok: false, text });
      expect(result.reason).toBe(reason);
      expect(result.text).toBe(`${action.from === 'ghost' ? 'ghost' : action.from} ${action.do === 'raw' ? 'sends a raw frame to' : 'pings'} ${action.to}: ${text}`);
      expect(result.args).toMatchObject({ failure: { from: action.from, to: action.to } });
    }
  });

  it('resolves a host by name to its first address, a sub-interface\'s when its NIC has none', () => {
    const sim = new Simulation(scenarioOf([host('A', 1), { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:02', vlans: [{ vlan: 200, ip: '10.0.200.2/24' }] }] }], [{ a: 'A:eth0', b: 'B:eth0' }], []));
    expect(resolveIp(sim.state, 'B')).toEqual({ ip: '10.0.200.2' });
    expect(resolveIp(sim.state, 'A')).toEqual({ ip: '10.0.0.1' });
    expect(resolveMac(sim.state, 'B')).toEqual({ mac: '02:00:00:00:00:02' });
  });
});
