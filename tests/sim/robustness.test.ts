// Names a reader may choose that are also names of Object.prototype members: every table in the
// core, the report, the tables, the editor and the scenario index keys them as ordinary names.
// Before, a port called "toString" crashed the run (issue 8, case 1).

import { describe, expect, it } from 'vitest';
import { describePath, fieldIssues } from '../../src/editor/issues';
import { moveDevice, setField } from '../../src/editor/ops';
import { scenarios } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import { buildReport } from '../../src/sim/report';
import type { DeviceSpec, LinkSpec, TrafficAction } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { arpCache, macTable } from '../../src/sim/tables';
import { mac, scenarioOf } from './build';

const WORDS = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__'] as const;

function nic(port: string, n: number, ip: string) {
  return { port, mac: mac(n), ip };
}

function run(devices: DeviceSpec[], links: LinkSpec[], traffic: TrafficAction[]) {
  const sim = new Simulation(scenarioOf(devices, links, traffic));
  sim.run();
  const report = buildReport(sim);
  return { sim, report, json: JSON.parse(JSON.stringify(report)) as typeof report };
}

describe('a bridge whose ports are named like object internals, hosts named so too', () => {
  // One host per word, named after it; its NIC and the bridge port it is cabled to carry the same word.
  const hosts: DeviceSpec[] = WORDS.map((word, i) => ({ id: word, kind: 'host', nics: [nic(word, i + 1, `10.0.0.${i + 1}/24`)] }));
  const bridge: DeviceSpec = { id: 'br', kind: 'bridge', ports: [...WORDS] };
  const links = WORDS.map((word) => ({ a: `${word}:${word}`, b: `br:${word}` }));
  const traffic: TrafficAction[] = [
    { from: 'constructor', do: 'ping', to: '__proto__' },
    { from: 'toString', do: 'ping', to: 'constructor' },
    { from: '__proto__', do: 'raw', to: 'broadcast', payload: 'hi' },
    { from: 'valueOf', do: 'raw', to: 'hasOwnProperty' },
  ];

  it('runs to the end: both pings are answered, the broadcast reaches every other host, the raw frame its one host', () => {
    const { sim, report } = run([...hosts, bridge], links, traffic);
    expect(sim.halted).toBeNull();
    expect(sim.isQuiescent).toBe(true);
    expect(report.actions.map((a) => [a.outcome, a.delivered])).toEqual([['ok', true], ['ok', true], ['ok', true], ['ok', true]]);
    expect([...report.actions[2]!.deliveredTo].sort()).toEqual(['constructor', 'hasOwnProperty', 'toString', 'valueOf']);
    expect(report.actions[3]!.deliveredTo).toEqual(['hasOwnProperty']);
  });

  it('learns every MAC that spoke behind the port named after its host, in the MAC table and in the report', () => {
    const { sim, json } = run([...hosts, bridge], links, traffic);
    // hasOwnProperty (MAC 4) only ever receives, so the bridge never learns it.
    const spoke = WORDS.map((w, i) => [mac(i + 1), w]).filter(([, w]) => w !== 'hasOwnProperty');
    expect(macTable(sim.state, 'br')!.map((r) => [r.mac, r.port])).toEqual(spoke);
    expect(json.macTables['br']!.map((r) => [r.mac, r.port])).toEqual(spoke);
  });

  it('keys the report by the device names as ordinary fields, "__proto__" included', () => {
    const { report, json } = run([...hosts, bridge], links, traffic);
    // The ping from constructor to __proto__: ARP and echo cross the bridge, so both hosts and the bridge received frames.
    expect(Object.keys(report.actions[0]!.receivedBy).sort()).toEqual(['__proto__', 'br', 'constructor', 'hasOwnProperty', 'toString', 'valueOf']);
    expect(Object.keys(json.actions[0]!.receivedBy)).toContain('__proto__');
    expect(Array.isArray(json.actions[0]!.receivedBy['__proto__'])).toBe(true);
    expect(Object.keys(json.arpCaches).sort()).toEqual([...WORDS].sort());
    expect(json.arpCaches['__proto__']!.map((r) => r.ip)).toEqual(['10.0.0.2']);
    // A lookup of a device that has no table finds nothing, not Object.prototype's member.
    expect(report.macTables['toString']).toBeUndefined();
    expect(report.arpCaches['hasOwnProperty']).toEqual([]);
  });

  it('keeps ARP caches per host, keyed by address', () => {
    const { sim } = run([...hosts, bridge], links, traffic);
    expect(arpCache(sim.state, 'constructor')!.map((r) => [r.ip, r.port])).toEqual([['10.0.0.1', 'constructor'], ['10.0.0.5', 'constructor']]);
    expect(arpCache(sim.state, 'hasOwnProperty')).toEqual([]);
  });

  it('steps back exactly: the state is still structured-clone data', () => {
    const sim = new Simulation(scenarioOf([...hosts, bridge], links, traffic));
    sim.run();
    const steps = sim.stepCount;
    const table = JSON.stringify(macTable(sim.state, 'br'));
    sim.stepBack();
    sim.step();
    expect(sim.stepCount).toBe(steps);
    expect(JSON.stringify(macTable(sim.state, 'br'))).toBe(table);
  });
});

describe('a VLAN-aware switch with such port names: MAC-based VLANs and port security', () => {
  // Switch "valueOf": ports toString and constructor in VLAN 10; __proto__ in VLAN 20, but host
  // "__proto__" (MAC 3) is assigned to VLAN 10 by MAC; port hasOwnProperty (VLAN 10) allows one MAC
  // and has a hub with two hosts behind it; port valueOf is a trunk to a second switch.
  // (Every port name is one of the five words.)
  const devices: DeviceSpec[] = [
    { id: 'toString', kind: 'host', nics: [nic('eth0', 1, '10.0.10.1/24')] },
    { id: 'constructor', kind: 'host', nics: [nic('eth0', 2, '10.0.10.2/24')] },
    { id: '__proto__', kind: 'host', nics: [nic('eth0', 3, '10.0.10.3/24')] },
    { id: 'first', kind: 'host', nics: [nic('eth0', 4, '10.0.10.4/24')] },
    { id: 'second', kind: 'host', nics: [nic('eth0', 5, '10.0.10.5/24')] },
    { id: 'hub', kind: 'hub', ports: ['constructor', 'toString', '__proto__'] },
    {
      id: 'valueOf',
      kind: 'switch',
      ports: [
        { port: 'toString', vlan: 10 },
        { port: 'constructor', vlan: 10 },
        { port: '__proto__', vlan: 20 },
        { port: 'hasOwnProperty', vlan: 10, maxMacs: 1 },
        { port: 'valueOf', mode: 'trunk', vlans: [10, 20] },
      ],
      macVlans: [{ mac: mac(3), vlan: 10 }],
    },
    { id: 'far', kind: 'host', nics: [nic('eth0', 6, '10.0.10.6/24')] },
    { id: 'edge', kind: 'switch', ports: [{ port: 'valueOf', mode: 'trunk', vlans: [10] }, { port: 'toString', vlan: 10 }] },
  ];
  const links: LinkSpec[] = [
    { a: 'toString:eth0', b: 'valueOf:toString' },
    { a: 'constructor:eth0', b: 'valueOf:constructor' },
    { a: '__proto__:eth0', b: 'valueOf:__proto__' },
    { a: 'hub:constructor', b: 'valueOf:hasOwnProperty' },
    { a: 'first:eth0', b: 'hub:toString' },
    { a: 'second:eth0', b: 'hub:__proto__' },
    { a: 'valueOf:valueOf', b: 'edge:valueOf' },
    { a: 'far:eth0', b: 'edge:toString' },
  ];
  const traffic: TrafficAction[] = [
    { from: '__proto__', do: 'ping', to: 'toString' },
    { from: 'first', do: 'ping', to: 'constructor' },
    { from: 'second', do: 'ping', to: 'constructor' },
    { from: '__proto__', do: 'ping', to: 'far' },
  ];

  it('puts __proto__ into VLAN 10 by its MAC, lets the first MAC through the secured port and drops the second', () => {
    const { sim, report } = run(devices, links, traffic);
    expect(sim.halted).toBeNull();
    expect(report.actions.map((a) => a.outcome)).toEqual(['ok', 'ok', 'failed', 'ok']);
    // Across the trunk port "valueOf", tagged with VLAN 10.
    expect(sim.trace.some((e) => e.device === 'edge' && e.reason === 'vlan-tagged' && e.port === 'valueOf')).toBe(true);
    expect(sim.trace.some((e) => e.device === 'valueOf' && e.reason === 'mac-vlan' && e.port === '__proto__')).toBe(true);
    const refused = sim.trace.filter((e) => e.device === 'valueOf' && e.reason === 'port-security');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.port === 'hasOwnProperty')).toBe(true);
  });

  it('lists the switch table by VLAN and port name, and the report keys it by the switch "valueOf"', () => {
    const { sim, json } = run(devices, links, traffic);
    const rows = macTable(sim.state, 'valueOf')!.map((r) => [r.vid, r.mac, r.port]);
    expect(rows).toEqual([
      [10, mac(1), 'toString'],
      [10, mac(2), 'constructor'],
      [10, mac(3), '__proto__'],
      [10, mac(4), 'hasOwnProperty'],
      [10, mac(6), 'valueOf'],
    ]);
    expect(Object.keys(json.macTables)).toEqual(['valueOf', 'edge']);
    expect(json.macTables['valueOf']).toHaveLength(5);
  });
});

describe('the editor and the scenario index with such names', () => {
  it('looks up no chapter scenario for an id like "constructor"', () => {
    expect(scenarios['constructor']).toBeUndefined();
    expect(scenarios['__proto__']).toBeUndefined();
    expect(scenarios['hub-vs-bridge/bridge']).toBeDefined();
  });

  it('names an unknown field "constructor" as the reader wrote it', () => {
    const base = structuredClone(scenarios['hub-vs-bridge/bridge']!);
    const s = setField(base, ['devices', 0, 'constructor'], 1);
    const result = validateScenario(s);
    expect(result.ok).toBe(false);
    expect([...fieldIssues(result).errors.keys()]).toEqual(['devices[0].constructor']);
    expect(describePath('devices[0].constructor', s)).toBe('Device A: constructor');
  });

  it('moves a device called "constructor" without taking a hint from Object', () => {
    const base = structuredClone(scenarios['hub-vs-bridge/bridge']!);
    base.devices[1]!.id = 'constructor';
    delete base.devices[1]!.position;
    const moved = moveDevice(base, base.devices[0]!.id, { x: 5, y: 6 }, {});
    expect(moved.devices[1]!.position).toBeUndefined();
    const hinted = moveDevice(base, base.devices[0]!.id, { x: 5, y: 6 }, new Map([['constructor', { x: 1.4, y: 2.6 }]]));
    expect(hinted.devices[1]!.position).toEqual({ x: 1, y: 3 });
  });

  it('refuses an edit path through "__proto__"', () => {
    const base = structuredClone(scenarios['hub-vs-bridge/bridge']!);
    expect(() => setField(base, ['devices', 0, '__proto__', 'polluted'], 1)).toThrow(/no field/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
