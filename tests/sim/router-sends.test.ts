// A router is a Linux box with forwarding on: it pings from its own stack like any host (the
// Docker-like host's root namespace pinging a container is `ip netns exec server ping 10.0.1.2`).

import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import { validateScenario } from '../../src/sim/scenario/validate';
import { DOCKER_HOST_IP as IP, DOCKER_HOST_MAC as MAC, dockerHostScenario } from '../../src/scenarios/docker-host';

describe('a router sends traffic of its own', () => {
  it('the server namespace pings c1 through br0, from br0\'s address, and is answered', () => {
    const scenario = dockerHostScenario([{ from: 'server', do: 'ping', to: 'c1', at: 0 }]);
    const checked = validateScenario(scenario);
    expect(checked.ok).toBe(true);
    const sim = new Simulation(scenario);
    sim.run(10_000);
    const outcome = Object.values(sim.state.actions)[0]!.outcome;
    expect(outcome?.ok).toBe(true);
    // The request leaves server by veth1 (br0 forwards to c1's port) and reaches c1 from br0's MAC and address.
    const atC1 = sim.trace.filter((e) => e.kind === 'receive' && e.device === 'c1');
    expect(atC1.length).toBeGreaterThan(0);
    const request = atC1.map((e) => e.frame!).find((f) => f[12] === 0x08 && f[13] === 0x00)!;
    expect([...request.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':')).toBe(MAC.br0);
    expect([...request.subarray(26, 30)].join('.')).toBe(IP.br0);
    // Nothing of it goes out of the uplink.
    expect(sim.trace.some((e) => e.kind === 'transmit' && e.device === 'server' && e.port === 'eth0')).toBe(false);
  });

  it('a router without an address is refused as a sender, by name', () => {
    const scenario = dockerHostScenario([{ from: 'server', do: 'ping', to: 'c1', at: 0 }]);
    const server = scenario.devices[0]! as { nics: { ip?: string }[]; bridges?: { ip?: string }[] };
    for (const nic of server.nics) delete nic.ip;
    for (const bridge of server.bridges ?? []) delete bridge.ip;
    const checked = validateScenario(scenario);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors.map((e) => `${e.path}: ${e.message}`)).toContain('traffic[0].from: server has no IPv4 address, so it cannot ping');
  });
});
