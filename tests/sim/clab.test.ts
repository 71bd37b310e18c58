// The containerlab export (src/sim/export/clab.ts), parsed back by a tiny YAML reader of the subset it
// writes (block mappings and sequences, flow sequences, double-quoted strings, numbers): the same
// nodes, links, addresses and settings as the scenario and its Linux script.

import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/scenarios/index.ts';
import { clabTopology, toClab } from '../../src/sim/export/clab.ts';
import { host, scenarioOf } from './build.ts';

type Yaml = string | number | Yaml[] | { [key: string]: Yaml };

/** A scalar: a JSON string, a number, or a flow sequence of those. */
function scalar(text: string): Yaml {
  const t = text.trim();
  if (t.startsWith('[')) {
    if (t === '[]') return [];
    return JSON.parse(t) as Yaml[]; // every item is a JSON string, so the flow sequence is JSON
  }
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (/^-?\d+$/.test(t)) return Number(t);
  throw new Error(`unquoted scalar ${t}`);
}

/** Parses the block YAML clab.ts writes; throws on anything else. */
function parseYaml(text: string): Yaml {
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  let i = 0;
  const indentOf = (line: string) => line.length - line.trimStart().length;
  function block(indent: number): Yaml {
    const first = lines[i]!;
    if (first.trimStart().startsWith('- ')) {
      const list: Yaml[] = [];
      while (i < lines.length && indentOf(lines[i]!) === indent && lines[i]!.trimStart().startsWith('- ')) {
        const item = lines[i]!.trimStart().slice(2);
        i++;
        const pair = /^("?[\w.-]+"?): (.+)$/.exec(item);
        if (pair && !item.startsWith('"')) list.push({ [pair[1]!]: scalar(pair[2]!) });
        else list.push(scalar(item));
      }
      return list;
    }
    const map: Record<string, Yaml> = {};
    while (i < lines.length && indentOf(lines[i]!) === indent) {
      const line = lines[i]!.trimStart();
      const match = /^("(?:[^"\\]|\\.)*"|[\w-]+):(?: (.*))?$/.exec(line);
      if (!match) throw new Error(`bad line ${line}`);
      const key = match[1]!.startsWith('"') ? (JSON.parse(match[1]!) as string) : match[1]!;
      i++;
      if (match[2] !== undefined) map[key] = scalar(match[2]);
      else map[key] = block(indentOf(lines[i]!));
    }
    return map;
  }
  const value = block(0);
  if (i !== lines.length) throw new Error(`unparsed from line ${i}: ${lines[i]}`);
  return value;
}

describe('containerlab topology', () => {
  it('every chapter scenario parses back into the topology it describes: its nodes, links, sysctls and exec lines', () => {
    for (const [id, scenario] of Object.entries(scenarios)) {
      const parsed = parseYaml(toClab(scenario)) as { name: string; topology: { nodes: Record<string, Record<string, Yaml>>; links: Array<{ endpoints: string[] }> } };
      const expected = clabTopology(scenario);
      expect(parsed.name, id).toBe(expected.name);
      expect(parsed.topology.nodes, id).toEqual(expected.nodes);
      expect(parsed.topology.links, id).toEqual(expected.links);
      expect(Object.keys(parsed.topology.nodes), id).toEqual(scenario.devices.map((d) => d.id));
      expect(parsed.topology.links.map((l) => l.endpoints), id).toEqual(scenario.links.map((l) => [l.a, l.b]));
    }
  });

  it('a bridge scenario: linux nodes without a management network, the hosts\' MACs and addresses, the bridge and its ports', () => {
    const parsed = parseYaml(toClab(scenarios['hub-vs-bridge/bridge']!)) as { name: string; topology: { nodes: Record<string, Record<string, Yaml>> } };
    expect(parsed.name).toBe('vnl-hub-vs-bridge-bridge');
    const a = parsed.topology.nodes.A!;
    expect(a).toMatchObject({ kind: 'linux', 'network-mode': 'none' });
    expect(a.sysctls).toMatchObject({ 'net.ipv4.ip_forward': 0, 'net.ipv6.conf.all.disable_ipv6': 1 });
    expect(a.exec).toEqual(['ip link set lo up', 'ip link set dev eth0 address 02:00:00:00:00:0a', 'ip addr add 10.0.0.10/24 dev eth0', 'ip link set dev eth0 up']);
    expect(parsed.topology.nodes.br0!.exec).toContain('ip link add name br0 type bridge stp_state 0 mcast_snooping 0');
    expect(parsed.topology.nodes.br0!.exec).toContain('ip link set dev p1 master br0');
  });

  it('a router forwards; an unplugged NIC is a veth whose peer stays down; what Linux lacks is a comment', () => {
    const scenario = scenarioOf([host('A', 1), { id: 'R', kind: 'router', nics: [{ port: 'eth0', mac: '02:00:00:00:01:00', ip: '10.0.0.254/24' }, { port: 'eth1', mac: '02:00:00:00:01:01', ip: '10.0.1.254/24' }] }], [{ a: 'A:eth0', b: 'R:eth0' }], []);
    const topology = clabTopology(scenario);
    expect(topology.nodes.R!.sysctls['net.ipv4.ip_forward']).toBe(1);
    expect(topology.nodes.R!.exec[0]).toBe('ip link add name eth1 type veth peer name u0');
    expect(toClab(scenarios['one-vlan-per-subnet/port-security']!)).toMatch(/^# Not on Linux, left out: sw1:p1: port security/m);
  });

  it('hostile names stay strings: a title with a newline is one comment line', () => {
    const scenario = { ...scenarioOf([host('A', 1)], [], []), title: 'x\nname: evil' };
    const text = toClab(scenario);
    expect(text).not.toMatch(/^name: evil/m);
    expect((parseYaml(text) as { name: string }).name).toBe('vnl-test');
  });
});
