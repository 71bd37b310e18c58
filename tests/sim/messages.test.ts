// Every validation message is in the site's own words and names a field path: a walk over every
// field of a scenario that uses every field the format has, putting a wrong value of every type in
// each, removing each and adding an unknown field next to it. No message may be valibot's own
// ("Invalid type: Expected …", "Invalid length …") or the validator's fallback for one.

import { describe, expect, it } from 'vitest';
import { SCENARIO_FORMAT } from '../../src/sim/scenario/format';
import { validateScenario, type ScenarioIssue } from '../../src/sim/scenario/validate';

/** A valid scenario with every field of the format set at least once. */
const FULL = {
  format: SCENARIO_FORMAT,
  id: 'tests/every-field',
  title: 'Every field',
  description: 'Each field of the format, once.',
  devices: [
    { id: 'A', kind: 'host', label: 'Alice', nics: [{ port: 'eth0', mac: '02:00:00:00:00:0a', ip: '10.0.10.10/24', vlans: [{ vlan: 30, ip: '10.0.30.10/24' }] }], gateway: '10.0.10.1', position: { x: 10, y: 20 } },
    { id: 'hub', kind: 'hub', label: 'Hub', ports: ['p1', 'p2'], position: { x: 0, y: 0 } },
    { id: 'br', kind: 'bridge', label: 'Bridge', ports: ['p1', 'p2'], ageingTime: 300, position: { x: 5, y: 5 } },
    {
      id: 'sw',
      kind: 'switch',
      label: 'Switch',
      ports: [
        { port: 'p1', mode: 'access', vlan: 10, maxMacs: 2 },
        { port: 'p2', mode: 'trunk', vlans: [10, 20], native: 1 },
      ],
      ageingTime: 60,
      macVlans: [{ mac: '02:00:00:00:00:0b', vlan: 10 }],
      position: { x: 1, y: 2 },
    },
    { id: 'R', kind: 'router', label: 'Router', nics: [{ port: 'eth0', mac: '02:00:00:00:00:01', ip: '10.0.10.1/24' }], routes: [{ to: '10.9.0.0/16', via: '10.0.10.2' }], position: { x: 3, y: 4 } },
  ],
  links: [
    { a: 'A:eth0', b: 'sw:p1' },
    { a: 'R:eth0', b: 'sw:p2' },
  ],
  traffic: [
    { at: 0, from: 'A', do: 'ping', to: 'R', label: 'A pings R' },
    { at: 1000, from: 'A', do: 'arp', to: '10.0.10.1', label: 'A asks' },
    { at: 2000, from: 'A', do: 'raw', to: 'broadcast', payload: 'hello', label: 'A says hello' },
  ],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every place in the document, objects and lists included, with its path. */
function places(value: Json, path: Path = []): Path[] {
  const out: Path[] = path.length ? [path] : [];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...places(item, [...path, i])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...places(item, [...path, key]));
  return out;
}

function withValue(path: Path, value: unknown): unknown {
  const copy = structuredClone(FULL) as unknown as Record<string | number, unknown>;
  let node = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

function valueAt(path: Path): unknown {
  let node: unknown = FULL;
  for (const part of path) node = (node as Record<string | number, unknown>)[part];
  return node;
}

const WRONG: unknown[] = [null, true, false, 0, -1, 0.5, 1e308, Infinity, -Infinity, NaN, '', 'x', 'A'.repeat(100_000), [], [1], {}, { x: 1 }];

function problems(errors: readonly ScenarioIssue[]): string[] {
  return errors.flatMap((e) => {
    const out: string[] = [];
    if (/^Invalid\b/.test(e.message)) out.push(`valibot's own words at ${e.path}: ${e.message}`);
    if (e.message.includes('is not accepted here')) out.push(`the fallback for a missing message at ${e.path}: ${e.message}`);
    if (!e.path) out.push(`no path: ${e.message}`);
    if (e.message.length > 300 || e.path.length > 200) out.push(`too long at ${e.path.slice(0, 80)}`);
    return out;
  });
}

describe('validation messages in the site\'s own words', () => {
  it('the fixture is valid and uses every field', () => {
    const result = validateScenario(FULL);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  const all = places(FULL as unknown as Json);

  it(`never speaks valibot's words for a wrong value of any type in any of the ${all.length} places`, () => {
    const found: string[] = [];
    let rejected = 0;
    for (const path of all) {
      for (const wrong of WRONG) {
        const result = validateScenario(withValue(path, wrong));
        if (result.ok) continue;
        rejected++;
        found.push(...problems(result.errors));
        // The error is about this place or one inside it, or (for names) a reference to it.
        if (typeof valueAt(path) !== typeof wrong && !(valueAt(path) !== null && typeof valueAt(path) === 'object')) {
          expect(result.errors.length, `no error for ${JSON.stringify(wrong)?.slice(0, 30)} at ${path.join('.')}`).toBeGreaterThan(0);
        }
      }
    }
    expect(found).toEqual([]);
    expect(rejected).toBeGreaterThan(all.length * 10);
  });

  it('says "missing field" for every required field removed, and nothing odd for an optional one', () => {
    const found: string[] = [];
    for (const path of all.filter((p) => typeof p[p.length - 1] === 'string')) {
      const result = validateScenario(withValue(path, undefined));
      if (result.ok) continue;
      found.push(...problems(result.errors));
    }
    expect(found).toEqual([]);
    expect(validateScenario(withValue(['title'], undefined))).toMatchObject({ ok: false, errors: [{ path: 'title', message: 'missing field "title"' }] });
  });

  it('names an unknown field in every object, with its path', () => {
    const objects = [[], ...all].filter((p) => {
      const value = p.length ? valueAt(p) : FULL;
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    });
    for (const path of objects) {
      for (const key of ['colour', '', 'a b', 'constructor', '__proto__', 'toString']) {
        const copy = structuredClone(FULL) as unknown as Record<string | number, unknown>;
        let node = copy;
        for (const part of path) node = node[part] as Record<string | number, unknown>;
        Object.defineProperty(node, key, { value: 1, enumerable: true, configurable: true, writable: true });
        const result = validateScenario(copy);
        expect(result.ok, `"${key}" at ${path.join('.')}`).toBe(false);
        if (result.ok) continue;
        expect(problems(result.errors)).toEqual([]);
        expect(result.errors.some((e) => e.message.startsWith(`unknown field ${JSON.stringify(key)}`))).toBe(true);
      }
    }
  });

  it('writes an unknown field with an odd name into the path quoted, never as an empty path', () => {
    const input = { ...structuredClone(FULL), '': 1 };
    expect(validateScenario(input)).toMatchObject({ ok: false, errors: [{ path: '[""]', message: 'unknown field "": remove it or check its spelling' }] });
    const nested = structuredClone(FULL) as any;
    nested.devices[0]['a b'] = 1;
    expect(validateScenario(nested)).toMatchObject({ ok: false, errors: [{ path: 'devices[0]["a b"]' }] });
  });

  it.each([
    ['a label that is a number', ['traffic', 0, 'label'], 5, 'expected an action label (text)'],
    ['a payload that is a number', ['traffic', 2, 'payload'], 5, 'expected a payload (text)'],
    ['a traffic action that is text', ['traffic', 0], 'ping', 'expected a traffic action { "from", "do", "to", … }, got "ping"'],
    ['a device that is a number', ['devices', 0], 7, 'expected a device { "id", "kind", … }, got 7'],
    ['a kind that is a number', ['devices', 0, 'kind'], 7, 'expected "kind" to be "host", "hub", "bridge", "switch" or "router", got 7'],
    ['links that are an object', ['links'], {}, 'expected a list of links'],
    ['a VLAN that is text', ['devices', 3, 'ports', 0, 'vlan'], '10', 'expected a VLAN ID (a number from 1 to 4094)'],
    ['a VLAN of Infinity', ['devices', 3, 'ports', 0, 'vlan'], Infinity, 'expected a VLAN ID from 1 to 4094 (0 and 4095 are reserved), got Infinity'],
    ['a time of 1.5 ms', ['traffic', 0, 'at'], 1.5, 'expected a time in milliseconds: a whole number from 0 to 86,400,000 ms, got 1.5'],
    ['a position that is a list', ['devices', 0, 'position'], [1, 2], 'expected a position { "x": number, "y": number }, got a list'],
    ['a device that is a list', ['devices', 0], [], 'expected a device { "id", "kind", … }, got a list'],
    ['a link that is a list', ['links', 0], ['A:eth0', 'sw:p1'], 'expected a link { "a": "device:port", "b": "device:port" }, got a list'],
    ['a NIC that is null', ['devices', 0, 'nics', 0], null, 'expected a NIC { "port", "mac", "ip"?, "vlans"? }, got null'],
    ['a mode that is unknown', ['devices', 3, 'ports', 0, 'mode'], 'hybrid', 'expected "mode" to be "access" or "trunk", got "hybrid"'],
  ])('says what it expected for %s', (_name, path, value, message) => {
    const result = validateScenario(withValue(path, value));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path: path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join(''), message });
  });
});
