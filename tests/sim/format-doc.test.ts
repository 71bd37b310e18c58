import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/engine/simulation';
import { SCENARIO_FORMAT } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';

describe('the scenario format documentation (content/scenarios/README.md)', () => {
  const doc = readFileSync('content/scenarios/README.md', 'utf8');

  it('has an example that validates and runs as documented', () => {
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]!);
    const result = validateScenario(example);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sim = new Simulation(result.scenario);
    sim.run();
    expect(Object.values(sim.state.actions).map((a) => [a.label, a.at, a.outcome?.ok])).toEqual([
      ['A pings B', 0, true],
      ['B says hello to everyone', 1000, true],
    ]);
  });

  it('has a VLAN example whose ping is routed and arrives with TTL 63, as the text says', () => {
    const example = JSON.parse([...doc.matchAll(/```json\n([\s\S]*?)```/g)][1]![1]!);
    const result = validateScenario(example);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sim = new Simulation(result.scenario);
    sim.run();
    const text = /comes back tagged[\s\S]*?`(Reply from [^`]*)`/.exec(doc)![1]!;
    expect(Object.values(sim.state.actions)[0]!.outcome?.text).toMatch(new RegExp(`^${text.replace(/\./g, '\\.')}`));
  });

  it('quotes error messages the validator really gives', () => {
    const quoted = /## Errors[\s\S]*?```\n([\s\S]*?)```/.exec(doc)![1]!.trim().split('\n');
    const base = JSON.parse(readFileSync('content/scenarios/hub-vs-bridge/bridge.json', 'utf8'));
    const broken = [
      (s: any) => (s.devices[1].nics[0].mac = '02:00:00:00:00'),
      (s: any) => (s.links[0].b = 'br0:p9'),
      (s: any) => (s.links[1].b = 'br0:p1'),
      (s: any) => (s.devices[0].gatway = '10.0.0.1'),
      (s: any) => (s.devices[4] = { id: 'br0', kind: 'switch', ports: [{ port: 'p1', vlan: 4095 }, { port: 'p2' }, { port: 'p3' }, { port: 'p4' }] }),
    ];
    broken.forEach((mutate, i) => {
      const input = structuredClone(base);
      mutate(input);
      const result = validateScenario(input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toContain(quoted[i]);
    });
    // The second block: format 2's fields, on the Docker-like example.
    const docker = JSON.parse([...doc.matchAll(/```json\n([\s\S]*?)```/g)][2]![1]!);
    const quoted2 = /## Errors[\s\S]*?```\n[\s\S]*?```[\s\S]*?```\n([\s\S]*?)```/.exec(doc)![1]!.trim().split('\n');
    const broken2 = [(s: any) => (s.devices[0].nics[1].ip = '10.0.1.9/24'), (s: any) => delete s.devices[2].node];
    expect(quoted2).toHaveLength(broken2.length);
    broken2.forEach((mutate, i) => {
      const input = structuredClone(docker);
      mutate(input);
      const result = validateScenario(input);
      expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([quoted2[i]]);
    });
  });

  it('has a Docker-like example of format 2 that validates: nodes, veth links, a bridge net device with an address', () => {
    const example = JSON.parse([...doc.matchAll(/```json\n([\s\S]*?)```/g)][2]![1]!);
    const result = validateScenario(example);
    expect(result.ok ? result.warnings : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(result.scenario.devices.map((d) => [d.id, d.kind, 'node' in d ? d.node : undefined])).toEqual([
      ['server', 'router', 'server'],
      ['c1', 'host', 'server'],
      ['c2', 'host', 'server'],
      ['client', 'host', undefined],
    ]);
    expect(result.scenario.links.map((l) => l.type ?? 'cable')).toEqual(['veth', 'veth', 'cable']);
  });

  it('runs the Docker-like example as the text says: c1 to c2 stays on br0 (TTL 64), c1 to the client is routed out of eth0 (TTL 63)', () => {
    const example = JSON.parse([...doc.matchAll(/```json\n([\s\S]*?)```/g)][2]![1]!);
    const result = validateScenario(example);
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    const sim = new Simulation(result.scenario);
    sim.run();
    const actions = Object.values(sim.state.actions);
    expect(actions.map((a) => [a.label, a.outcome?.ok])).toEqual([['c1 pings c2', true], ['c1 pings client', true]]);
    expect(actions[0]!.outcome?.text).toMatch(/^Reply from 10\.0\.1\.3: TTL 64,/);
    expect(actions[1]!.outcome?.text).toMatch(/^Reply from 192\.168\.0\.3: TTL 63,/);
    // Which of server's ports each action used: the bridged ping never leaves by eth0; the routed one
    // does (and c1's ARP for its gateway, a broadcast, is flooded to veth2 as well).
    const portsOf = (id: number) => [...new Set(sim.trace.filter((e) => e.actionId === id && e.device === 'server' && e.kind === 'transmit').map((e) => e.port))].sort();
    expect(portsOf(actions[0]!.id)).toEqual(['veth1', 'veth2']);
    expect(portsOf(actions[1]!.id)).toEqual(['eth0', 'veth1', 'veth2']);
  });

  it('quotes the error for an unknown format as the validator gives it, and says a v1 example opens', () => {
    const quoted = /## Migration from v1[\s\S]*?```\n([\s\S]*?)```/.exec(doc)![1]!.trim();
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]!);
    const result = validateScenario({ ...example, format: 'vnet-live/scenario@0' });
    expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([quoted]);
    expect(validateScenario({ ...example, format: 'vnet-live/scenario@1' }).ok).toBe(true);
  });

  it('names the current format in its title and its example', () => {
    expect(doc.split('\n')[0]).toBe(`# The scenario format (\`${SCENARIO_FORMAT}\`)`);
    for (const [, json] of doc.matchAll(/```json\n([\s\S]*?)```/g)) expect(JSON.parse(json!).format).toBe(SCENARIO_FORMAT);
  });
});
