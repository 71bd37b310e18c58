// The limits of the scenario format (src/sim/scenario/limits.ts): what each one rejects and in
// which words, how fast huge inputs are turned away, the capped error list, and the README's
// "Limits" table, which must state the same numbers as the constants.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { scenario } from '../../src/scenarios/index';
import { Simulation } from '../../src/sim/engine/simulation';
import { SCENARIO_FORMAT, type DeviceSpec, type LinkSpec } from '../../src/sim/scenario/format';
import * as limits from '../../src/sim/scenario/limits';
import { formatCount, jsonTooLong, MAX_REPORTED_ERRORS, moreErrorsLine } from '../../src/sim/scenario/limits';
import { NOT_A_SCENARIO, validateScenario } from '../../src/sim/scenario/validate';

const valid = () => structuredClone(scenario('hub-vs-bridge/bridge')) as unknown as Record<string, any>;

function errorsOf(input: unknown) {
  const result = validateScenario(input);
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result;
}

function errorAt(input: unknown, path: string): string {
  const found = errorsOf(input).errors.find((e) => e.path === path);
  if (!found) throw new Error(`no error at ${path}: ${JSON.stringify(errorsOf(input).errors)}`);
  return found.message;
}

/** The fastest of a few runs: the machine is shared, and the claim is about the work, not the load. */
function fastestMs(run: () => void, times = 5): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** `hosts` hosts on leaf bridges of 48 ports under one core bridge (as scripts/bench-core.ts builds them). */
function fabric(hosts: number) {
  const perLeaf = 47;
  const leaves = Math.ceil(hosts / perLeaf);
  const devices: DeviceSpec[] = [{ id: 'core', kind: 'bridge', ports: Array.from({ length: leaves }, (_, i) => `p${i + 1}`) }];
  const links: LinkSpec[] = [];
  for (let l = 0; l < leaves; l++) {
    devices.push({ id: `leaf${l}`, kind: 'bridge', ports: Array.from({ length: perLeaf + 1 }, (_, i) => `p${i}`) });
    links.push({ a: `leaf${l}:p0`, b: `core:p${l + 1}` });
  }
  for (let h = 1; h <= hosts; h++) {
    const mac = `02:00:00:00:${((h >> 8) & 0xff).toString(16).padStart(2, '0')}:${(h & 0xff).toString(16).padStart(2, '0')}`;
    devices.push({ id: `h${h}`, kind: 'host', nics: [{ port: 'eth0', mac, ip: `10.0.${h >> 8}.${h & 0xff}/16` }], position: { x: h * 10, y: -h } });
    links.push({ a: `h${h}:eth0`, b: `leaf${Math.floor((h - 1) / perLeaf)}:p${((h - 1) % perLeaf) + 1}` });
  }
  return { format: SCENARIO_FORMAT, id: 'fabric', title: `${hosts} hosts`, devices, links, traffic: [{ from: 'h1', do: 'ping', to: 'h2' }] };
}

describe('positions', () => {
  it.each([
    ['1e308', 1e308, '1e+308'],
    ['1e999 (Infinity once parsed)', JSON.parse('{"x": 1e999}').x, 'Infinity'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['just over the range', 1_000_001, '1000001'],
  ])('rejects a coordinate of %s in words', (_name, x, shown) => {
    const input = valid();
    input['devices'][0].position = { x, y: 0 };
    expect(errorAt(input, 'devices[0].position.x')).toBe(`expected a coordinate from -1,000,000 to 1,000,000, got ${shown}`);
  });

  it('rejects NaN and numbers written as text, saying a number is expected', () => {
    for (const x of [NaN, '1e308', 'NaN', null]) {
      const input = valid();
      input['devices'][0].position = { x, y: 0 };
      expect(errorAt(input, 'devices[0].position.x')).toBe('expected a coordinate (a number from -1,000,000 to 1,000,000)');
    }
  });

  it('accepts the edges of the range and fractions', () => {
    const input = valid();
    input['devices'][0].position = { x: -1_000_000, y: 1_000_000 };
    input['devices'][1].position = { x: 0.5, y: -3.25 };
    expect(validateScenario(input).ok).toBe(true);
  });
});

describe('lengths of text', () => {
  it.each([
    ['title', (s: any, t: string) => (s.title = t), 'title', 'a title', limits.MAX_TITLE_LENGTH],
    ['description', (s: any, t: string) => (s.description = t), 'description', 'a description', limits.MAX_DESCRIPTION_LENGTH],
    ['device label', (s: any, t: string) => (s.devices[0].label = t), 'devices[0].label', 'a label', limits.MAX_LABEL_LENGTH],
    ['action label', (s: any, t: string) => (s.traffic[0].label = t), 'traffic[0].label', 'an action label', limits.MAX_ACTION_LABEL_LENGTH],
    ['payload', (s: any, t: string) => (s.traffic[0] = { from: 'A', do: 'raw', to: 'broadcast', payload: t }), 'traffic[0].payload', 'a payload', limits.MAX_PAYLOAD_LENGTH],
    ['device name', (s: any, t: string) => (s.devices[0].id = t), 'devices[0].id', 'a name', limits.MAX_NAME_LENGTH],
    ['port name', (s: any, t: string) => (s.devices[0].nics[0].port = t), 'devices[0].nics[0].port', 'a port name', limits.MAX_PORT_NAME_LENGTH],
  ])('accepts a %s at the limit and rejects one character more, saying both numbers', (_name, set, path, what, max) => {
    const at = valid();
    set(at, 'a'.repeat(max));
    expect(validateScenario(at).ok ? [] : errorsOf(at).errors.filter((e) => e.path === path)).toEqual([]);
    const over = valid();
    set(over, 'a'.repeat(max + 1));
    expect(errorAt(over, path)).toBe(`expected ${what} of at most ${formatCount(max)} characters, got ${formatCount(max + 1)}`);
  });

  it('turns away a 2,000,000-character unbroken title in under 5 ms, without quoting it', () => {
    const input = valid();
    input['title'] = 'W'.repeat(2_000_000);
    const ms = fastestMs(() => validateScenario(input));
    const errors = errorsOf(input).errors;
    expect(errors).toEqual([{ path: 'title', message: 'expected a title of at most 120 characters, got 2,000,000' }]);
    expect(ms).toBeLessThan(5);
  });

  it('never quotes a long value whole: an address field says how long it was, other messages cut it', () => {
    const long = 'f'.repeat(100_000);
    const input = valid();
    input['devices'][0].nics[0].mac = long;
    input['links'][0].a = long;
    input['traffic'][0].to = long;
    input['id'] = long;
    const errors = errorsOf(input).errors;
    expect(errors.map((e) => e.path)).toEqual(['id', 'devices[0].nics[0].mac', 'links[0].a', 'traffic[0].to']);
    for (const error of errors) expect(error.message.length).toBeLessThan(200);
    expect(errors[1]!.message).toBe('expected a MAC address like 02:00:00:00:00:0a, got 100,000 characters of text');
  });
});

describe('counts', () => {
  it('keeps a topology of 2,000 hosts and their bridges valid', () => {
    const result = validateScenario(fabric(2_000));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('answers 1.5 million bad links with one error, before validating any of them, fast', () => {
    const input = valid();
    input['links'] = Array.from({ length: 1_500_000 }, () => ({ a: 'nowhere', b: 42 }));
    const result = errorsOf(input);
    expect(result.errors).toEqual([{ path: 'links', message: 'expected at most 10,000 links, got 1,500,000' }]);
    expect(result.omittedErrors).toBe(0);
    expect(fastestMs(() => validateScenario(input))).toBeLessThan(5);
  });

  it('answers too many devices and too many traffic actions with one error each', () => {
    const input = valid();
    input['devices'] = Array.from({ length: limits.MAX_DEVICES + 1 }, () => 'junk');
    input['traffic'] = Array.from({ length: limits.MAX_TRAFFIC_ACTIONS + 1 }, () => 'junk');
    expect(errorsOf(input).errors).toEqual([
      { path: 'devices', message: 'expected at most 5,000 devices, got 5,001' },
      { path: 'traffic', message: 'expected at most 1,000 traffic actions, got 1,001' },
    ]);
  });

  it('counts ports, NICs and sub-interfaces of all devices together (8 in the chapter scenario, 6 × 4,000 added)', () => {
    const input = valid();
    const ports = Array.from({ length: 4_000 }, (_, i) => `p${i}`);
    for (let i = 0; i < 6; i++) input['devices'].push({ id: `big${i}`, kind: 'hub', ports });
    expect(errorsOf(input).errors).toEqual([
      { path: 'devices', message: 'expected at most 20,000 interfaces in all (ports, NICs, sub-interfaces and bridges together), got 24,008' },
    ]);
  });

  it('counts a namespace\'s bridges as interfaces too, before looking inside them', () => {
    const input = valid();
    const ports = Array.from({ length: 4_000 }, (_, i) => `p${i}`);
    for (let i = 0; i < 4; i++) input['devices'].push({ id: `big${i}`, kind: 'hub', ports });
    // 8 + 16,000 so far; 250 namespaces of one NIC and 16 bridges (not even valid ones) add 4,250.
    for (let i = 0; i < 250; i++) input['devices'].push({ id: `ns${i}`, kind: 'host', nics: [{ port: 'eth0', mac: 'x' }], bridges: Array.from({ length: 16 }, () => ({})) });
    expect(errorsOf(input).errors).toEqual([
      { path: 'devices', message: 'expected at most 20,000 interfaces in all (ports, NICs, sub-interfaces and bridges together), got 20,258' },
    ]);
  });

  it('checks the length of a nested list before its items: a million VLANs on one port is one error', () => {
    const input = valid();
    input['devices'][4] = { id: 'br0', kind: 'switch', ports: [{ port: 'p1', mode: 'trunk', vlans: Array.from({ length: 1_000_000 }, () => 'x') }, { port: 'p2' }, { port: 'p3' }, { port: 'p4' }] };
    expect(errorsOf(input).errors).toEqual([{ path: 'devices[4].ports[0].vlans', message: 'expected at most 4,094 VLANs, got 1,000,000' }]);
  });

  it('checks a bridge net device\'s port list by its length first: a million ports is one error, fast', () => {
    const input = valid();
    input['devices'][0].bridges = [{ name: 'br9', mac: '02:00:00:00:00:b9', ports: Array.from({ length: 1_000_000 }, () => 7) }];
    const started = performance.now();
    expect(errorsOf(input).errors).toEqual([{ path: 'devices[0].bridges[0].ports', message: 'expected at most 32 bridge ports, got 1,000,000' }]);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it.each([
    ['NICs of a host', (s: any) => (s.devices[0].nics = Array.from({ length: 17 }, (_, i) => ({ port: `e${i}`, mac: `02:00:00:00:01:${i.toString(16).padStart(2, '0')}` }))), 'devices[0].nics', 'expected at most 16 NICs, got 17'],
    ['ports of a bridge', (s: any) => (s.devices[4].ports = Array.from({ length: 4_097 }, (_, i) => `p${i + 1}`)), 'devices[4].ports', 'expected at most 4,096 ports, got 4,097'],
    ['no ports at all', (s: any) => (s.devices[4].ports = []), 'devices[4].ports', 'expected at least one port'],
    ['no devices at all', (s: any) => (s.devices = []), 'devices', 'expected at least one device'],
  ])('says how many %s are allowed', (_name, mutate, path, message) => {
    const input = valid();
    mutate(input);
    expect(errorAt(input, path)).toBe(message);
  });
});

describe('the error list is capped', () => {
  it(`returns at most ${MAX_REPORTED_ERRORS} errors and counts the rest`, () => {
    const input = valid();
    input['links'] = Array.from({ length: 2_000 }, () => ({ a: 'nowhere', b: 'nowhere' }));
    const result = errorsOf(input);
    expect(result.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(result.errors[0]).toEqual({ path: 'links[0].a', message: 'expected "device:port", like "A:eth0", got "nowhere"' });
    expect(result.omittedErrors).toBe(4_000 - MAX_REPORTED_ERRORS);
    expect(moreErrorsLine(result.omittedErrors)).toBe('… and 3,950 more');
  });

  it('says nothing more when nothing was left out', () => {
    const input = valid();
    input['title'] = '';
    expect(errorsOf(input).omittedErrors).toBe(0);
    expect(moreErrorsLine(0)).toBe('');
  });

  it('writes counts the same way in every locale', () => {
    expect([0, 7, 999, 1_000, 1_234, 1_500_000, 12_345_678].map(formatCount)).toEqual(['0', '7', '999', '1,000', '1,234', '1,500,000', '12,345,678']);
    expect(moreErrorsLine(1)).toBe('… and 1 more');
  });

  it('refuses JSON text over the size limit before it is parsed', () => {
    expect(jsonTooLong('{}')).toBeNull();
    expect(jsonTooLong(' '.repeat(limits.MAX_JSON_LENGTH + 1))).toBe('the scenario is 5,000,001 characters long; at most 5,000,000 are accepted');
  });
});

describe('a flood out of hundreds of ports', () => {
  it('names sixteen ports in the log line and counts the others; the event lists them all', () => {
    const ports = Array.from({ length: 300 }, (_, i) => `p${i + 1}`);
    const input = {
      format: SCENARIO_FORMAT,
      id: 'wide',
      title: 'A wide bridge',
      devices: [
        { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:0a', ip: '10.0.0.1/24' }] },
        ...ports.slice(1).map((_, i) => ({ id: `h${i}`, kind: 'host', nics: [{ port: 'eth0', mac: `02:00:00:00:01:${(i % 256).toString(16).padStart(2, '0')}` }] })),
        { id: 'br', kind: 'bridge', ports },
      ],
      links: [{ a: 'A:eth0', b: 'br:p1' }, ...ports.slice(1).map((port, i) => ({ a: `h${i}:eth0`, b: `br:${port}` }))],
      traffic: [{ from: 'A', do: 'raw', to: 'broadcast' }],
    };
    const result = validateScenario(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sim = new Simulation(result.scenario);
    sim.run();
    const flood = sim.trace.find((e) => e.kind === 'flood')!;
    expect(flood.ports).toHaveLength(299);
    expect(flood.text).toContain(`to ports ${ports.slice(1, 17).join(', ')} and 283 others:`);
  });
});

describe('a port-security refusal on a port with a high limit', () => {
  it('names eight learned addresses and counts the others', () => {
    const hosts = Array.from({ length: 11 }, (_, i) => ({ id: `h${i}`, kind: 'host', nics: [{ port: 'eth0', mac: `02:00:00:00:00:${(i + 16).toString(16)}`, ip: `10.0.0.${i + 1}/24` }] }));
    const input = {
      format: SCENARIO_FORMAT,
      id: 'secured',
      title: 'Ten allowed, eleven speak',
      devices: [
        ...hosts,
        { id: 'hub', kind: 'hub', ports: ['up', ...hosts.map((h) => h.id)] },
        { id: 'sw', kind: 'switch', ports: [{ port: 'p1', maxMacs: 10 }] },
      ],
      links: [{ a: 'hub:up', b: 'sw:p1' }, ...hosts.map((h) => ({ a: `${h.id}:eth0`, b: `hub:${h.id}` }))],
      traffic: hosts.map((h) => ({ from: h.id, do: 'raw', to: 'broadcast' })),
    };
    const result = validateScenario(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sim = new Simulation(result.scenario);
    sim.run();
    const refusal = sim.trace.find((e) => e.reason === 'port-security')!;
    expect(refusal.text).toContain('has already learned 02:00:00:00:00:10, 02:00:00:00:00:11, 02:00:00:00:00:12, 02:00:00:00:00:13, 02:00:00:00:00:14, 02:00:00:00:00:15, 02:00:00:00:00:16, 02:00:00:00:00:17 and 2 others.');
  });
});

describe('a drop at a trunk carrying hundreds of VLANs', () => {
  it('names eight of the VLANs and counts the others', () => {
    const input = {
      format: SCENARIO_FORMAT,
      id: 'wide-trunk',
      title: 'A trunk of 100 VLANs',
      devices: [
        { id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:0a', vlans: [{ vlan: 200, ip: '10.0.200.1/24' }] }] },
        { id: 'B', kind: 'host', nics: [{ port: 'eth0', mac: '02:00:00:00:00:0b', ip: '10.0.200.2/24' }] },
        { id: 'sw', kind: 'switch', ports: [{ port: 'p1', mode: 'trunk', vlans: Array.from({ length: 100 }, (_, i) => i + 1) }, { port: 'p2', vlan: 200 }] },
      ],
      links: [{ a: 'A:eth0', b: 'sw:p1' }, { a: 'B:eth0', b: 'sw:p2' }],
      traffic: [{ from: 'A', do: 'arp', to: '10.0.200.2' }],
    };
    const result = validateScenario(input);
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    const sim = new Simulation(result.scenario);
    sim.run();
    const drop = sim.trace.find((e) => e.reason === 'vlan-not-allowed')!;
    expect(drop.text).toContain('port p1 is a trunk carrying VLANs 1, 2, 3, 4, 5, 6, 7, 8 and 92 others.');
  });
});

describe('input that is not a scenario object', () => {
  it.each([[[]], [[{ format: SCENARIO_FORMAT }]], [42], ['{"format": …}'], [null], [undefined], [true]])('gives exactly one error for %j', (input) => {
    expect(errorsOf(input).errors).toEqual([{ path: '(top level)', message: NOT_A_SCENARIO }]);
  });
});

describe('the error examples of content/scenarios/README.md', () => {
  const doc = readFileSync('content/scenarios/README.md', 'utf8');
  const block = /## Errors[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const examples = block.trim().split('\n');
  // Each example's input: a change to the chapter's bridge scenario, or (returned) a whole other input.
  const makers: Array<(s: any) => unknown> = [
    (s) => {
      s.devices[1].nics[0].mac = '02:00:00:00:00';
    },
    (s) => {
      s.links[0].b = 'br0:p9';
    },
    (s) => {
      s.links[1].b = 'br0:p1';
    },
    (s) => {
      s.devices[0].gatway = '10.0.0.1';
    },
    (s) => {
      s.devices[4] = { id: 'br0', kind: 'switch', ports: [{ port: 'p1', vlan: 4095 }, { port: 'p2' }, { port: 'p3' }, { port: 'p4' }] };
    },
    (s) => {
      s.devices[0].position = { x: JSON.parse('1e999'), y: 0 };
    },
    (s) => {
      s.title = 'W'.repeat(2_000_000);
    },
    (s) => {
      s.links = Array.from({ length: 1_500_000 }, () => 0);
    },
    () => [],
  ];

  it('are what the validator says, word for word', () => {
    expect(examples).toHaveLength(makers.length);
    examples.forEach((line, i) => {
      const input = valid();
      const replaced = makers[i]!(input);
      const result = errorsOf(replaced === undefined ? input : replaced);
      expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toContain(line);
    });
  });
});

describe('the "Limits" table of content/scenarios/README.md', () => {
  const doc = readFileSync('content/scenarios/README.md', 'utf8');
  const section = /## Limits\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? '';
  const rows = [...section.matchAll(/^\| (.+?) \| (.+?) \| `([A-Z_]+)` \|$/gm)].map((m) => ({ what: m[1]!, limit: m[2]!, constant: m[3]! }));
  const constants = Object.entries(limits).filter(([name, value]) => name.startsWith('MAX_') && typeof value === 'number') as Array<[string, number]>;

  it('has one row for every limit in limits.ts, and no other', () => {
    expect(rows.map((r) => r.constant).sort()).toEqual(constants.map(([name]) => name).sort());
  });

  it.each(constants)('states %s as its value, %d', (name, value) => {
    const row = rows.find((r) => r.constant === name);
    expect(row, `no row for ${name}`).toBeDefined();
    // The first number written in the "at most" column, with its thousands separators.
    const written = /\d{1,3}(?:,\d{3})*/.exec(row!.limit)?.[0] ?? '';
    expect(Number(written.replace(/,/g, ''))).toBe(value);
    expect(written).toBe(formatCount(value));
  });
});
