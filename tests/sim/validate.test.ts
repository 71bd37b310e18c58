import { describe, expect, it } from 'vitest';
import { SCENARIO_FORMAT } from '../../src/sim/scenario/format';
import { validateScenario } from '../../src/sim/scenario/validate';
import { scenario } from '../../src/scenarios/index';

const valid = () => structuredClone(scenario('hub-vs-bridge/bridge')) as unknown as Record<string, any>;

function errorsOf(input: unknown) {
  const result = validateScenario(input);
  if (result.ok) throw new Error('expected the scenario to be rejected');
  return result.errors;
}

describe('scenario validation', () => {
  it('accepts every chapter scenario and canonicalises MAC addresses', () => {
    const input = valid();
    input['devices'][0].nics[0].mac = '02-00-00-00-00-0A';
    const result = validateScenario(input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.devices[0]).toMatchObject({ nics: [{ mac: '02:00:00:00:00:0a' }] });
  });

  it.each([
    ['an invalid MAC', (s: any) => (s.devices[1].nics[0].mac = '02:00:00:00:00'), 'devices[1].nics[0].mac', /expected a MAC address like 02:00:00:00:00:0a, got "02:00:00:00:00"/],
    ['an invalid IP', (s: any) => (s.devices[0].nics[0].ip = '10.0.0.300/24'), 'devices[0].nics[0].ip', /expected an IPv4 address with prefix length/],
    ['a prefix over 32', (s: any) => (s.devices[0].nics[0].ip = '10.0.0.1/33'), 'devices[0].nics[0].ip', /10\.0\.0\.1\/33/],
    ['an unknown device kind', (s: any) => (s.devices[4].kind = 'firewall'), 'devices[4].kind', /expected "kind" to be "host", "hub", "bridge", "switch" or "router", got "firewall"/],
    ['a negative ageing time', (s: any) => (s.devices[4].ageingTime = -1), 'devices[4].ageingTime', /expected an ageing time in seconds: a whole number from 0 to 1,000,000 s, got -1/],
    ['a wrong format version', (s: any) => (s.format = 'vnet-live/scenario@0'), 'format', /^expected "vnet-live\/scenario@2" or "vnet-live\/scenario@1" \(the formats this version of vnet-live reads\), got "vnet-live\/scenario@0"$/],
    ['a newer format version', (s: any) => (s.format = 'vnet-live/scenario@3'), 'format', /got "vnet-live\/scenario@3", a format of a newer version of vnet-live$/],
    ['a misspelt field', (s: any) => (s.devices[0].gatway = '10.0.0.1'), 'devices[0].gatway', /unknown field "gatway"/],
    ['a cable to nowhere', (s: any) => (s.links[0].b = 'nowhere:p1'), 'links[0].b', /"nowhere", which is not a device/],
    ['a port that does not exist', (s: any) => (s.links[0].b = 'br0:p9'), 'links[0].b', /br0 has no port "p9" \(its ports: p1, p2, p3, p4\)/],
    ['a port used twice', (s: any) => (s.links[1].b = 'br0:p1'), 'links[1].b', /port br0:p1 already has a cable/],
    ['a duplicate device name', (s: any) => (s.devices[1].id = 'A'), 'devices[1].id', /duplicate device name "A"/],
    ['traffic from a bridge', (s: any) => (s.traffic[0].from = 'br0'), 'traffic[0].from', /br0 is a bridge; only hosts and routers send traffic/],
    ['a ping to nothing', (s: any) => (s.traffic[3].to = 'Z'), 'traffic[3].to', /expected an IPv4 address or the name of a host or router, got "Z"/],
    ['a gateway outside every subnet', (s: any) => (s.devices[0].gateway = '192.168.0.1'), 'devices[0].gateway', /must be inside the subnet/],
    ['a negative time', (s: any) => (s.traffic[0].at = -5), 'traffic[0].at', /expected a time in milliseconds: a whole number from 0 to 86,400,000 ms, got -5/],
  ])('rejects %s, naming the path and what was expected', (_name, mutate, path, message) => {
    const input = valid();
    mutate(input);
    const errors = errorsOf(input);
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.find((e) => e.path === path)!.message).toMatch(message);
  });

  it('rejects input that is not a scenario object at all', () => {
    for (const input of [null, [], [{ format: SCENARIO_FORMAT }], 42, 'scenario', true, undefined]) {
      expect(errorsOf(input)).toEqual([{ path: '(top level)', message: 'expected a scenario object { "format", "id", "title", "devices", "links", "traffic" }' }]);
    }
    expect(errorsOf({ format: SCENARIO_FORMAT })[0]!.path).toBe('id');
  });

  it('allows duplicate MAC and IP addresses but warns what will happen', () => {
    const input = valid();
    input['devices'][1].nics[0].mac = input['devices'][0].nics[0].mac;
    input['devices'][2].nics[0].ip = input['devices'][0].nics[0].ip;
    const result = validateScenario(input);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.path)).toEqual(['devices[1].nics[0].mac', 'devices[2].nics[0].ip']);
    expect(result.warnings[0]!.message).toMatch(/bridges will see it move between ports/);
  });
});

describe('scenario validation: inputs that would trip the core', () => {
  it('accepts device names that are also names of object internals: the core keys nothing by them on a plain object', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      const input = valid();
      const old = input['devices'][0].id as string;
      input['devices'][0].id = name;
      for (const link of input['links']) for (const side of ['a', 'b']) link[side] = link[side].replace(new RegExp(`^${old}:`), `${name}:`);
      for (const action of input['traffic']) for (const field of ['from', 'to']) if (action[field] === old) action[field] = name;
      const result = validateScenario(input);
      expect(result.ok ? [] : result.errors).toEqual([]);
    }
  });

  it('stores addresses in canonical form, so " 10.0.0.1" and "10.0.0.1" are the same gateway', () => {
    const input = valid();
    input['devices'][0].gateway = ' 10.0.0.11 ';
    input['devices'][0].nics[0].ip = ' 10.0.0.10/24';
    const result = validateScenario(input);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.devices[0]).toMatchObject({ gateway: '10.0.0.11', nics: [{ ip: '10.0.0.10/24' }] });
  });

  it('rejects a broadcast address as gateway, and warns about group or zero NIC addresses', () => {
    const input = valid();
    input['devices'][0].gateway = '10.0.0.255';
    expect(errorsOf(input).find((e) => e.path === 'devices[0].gateway')!.message).toMatch(/broadcast address/);
    const group = valid();
    group['devices'][1].nics[0].mac = '01:00:5e:00:00:01';
    const result = validateScenario(group);
    expect(result.ok).toBe(true);
    expect(result.warnings[0]).toMatchObject({ path: 'devices[1].nics[0].mac', message: expect.stringMatching(/EADDRNOTAVAIL/) });
  });
});
