// Format v2 opens every v1 document: a v1 file, read by the CLI's reader and by the CLI itself,
// migrates by its format string alone; every chapter file, written as v1, gives the same scenario
// as its v2 file; anything else is told which formats this version reads.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../scripts/scenario-cli.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { KNOWN_SCENARIO_FORMATS, SCENARIO_FORMAT, SCENARIO_FORMAT_V1 } from '../../src/sim/scenario/format.ts';
import { migrateScenario } from '../../src/sim/scenario/migrate.ts';
import { readScenarioText } from '../../src/sim/scenario/read.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';

/** content/scenarios/one-vlan-per-subnet/router-on-a-stick.json exactly as the v1 site shipped it. */
const V1_FILE = 'tests/sim/fixtures/v1-router-on-a-stick.json';
const v1Text = readFileSync(V1_FILE, 'utf8');

describe('migrating a v1 scenario to v2', () => {
  it('the formats: v2 is current, v1 is the one it migrates', () => {
    expect(SCENARIO_FORMAT).toBe('vnet-live/scenario@2');
    expect(SCENARIO_FORMAT_V1).toBe('vnet-live/scenario@1');
    expect(KNOWN_SCENARIO_FORMATS).toEqual(['vnet-live/scenario@2', 'vnet-live/scenario@1']);
  });

  it('changes the format string and nothing else, on a copy, keeping the fields in their order', () => {
    const v1 = JSON.parse(v1Text) as Record<string, unknown>;
    const before = structuredClone(v1);
    const migrated = migrateScenario(v1) as Record<string, unknown>;
    expect(v1).toEqual(before);
    expect(migrated).not.toBe(v1);
    expect(migrated).toEqual({ ...before, format: 'vnet-live/scenario@2' });
    expect(Object.keys(migrated)).toEqual(Object.keys(before));
    // Shallow: the lists are the same lists, so a 2,000-host file is not copied to change one string.
    expect(migrated['devices']).toBe(v1['devices']);
  });

  it('leaves everything that is not a v1 document as it is, for the validator to judge', () => {
    const v2 = { format: SCENARIO_FORMAT, id: 'x' };
    const other = { format: 'vnet-live/scenario@0' };
    const inherited = JSON.parse('{"__proto__": {"format": "vnet-live/scenario@1"}}') as unknown;
    for (const input of [v2, other, inherited, null, [], 42, 'vnet-live/scenario@1', undefined]) expect(migrateScenario(input)).toBe(input);
  });

  it('a v1 file opens through the CLI\'s reader as the v2 chapter scenario', () => {
    const read = readScenarioText(v1Text);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.scenario.format).toBe('vnet-live/scenario@2');
    expect(read.scenario).toEqual(scenarios['one-vlan-per-subnet/router-on-a-stick']);
  });

  it('`npm run scenario` runs a v1 file, with the same report as its v2 file', () => {
    const run = (file: string) => {
      let stdout = '';
      const status = runCli([file], undefined, { stdout: (t) => (stdout += t), stderr: () => {} });
      return { status, report: stdout };
    };
    const v1 = run(V1_FILE);
    expect(v1.status).toBe(0);
    expect(v1.report).toBe(run('content/scenarios/one-vlan-per-subnet/router-on-a-stick.json').report);
  });

  it('every chapter scenario, written as v1, validates to exactly its v2 version', () => {
    for (const scenario of Object.values(scenarios)) {
      const result = validateScenario(JSON.parse(JSON.stringify({ ...scenario, format: SCENARIO_FORMAT_V1 })));
      expect(result.ok ? result.scenario : result.errors, scenario.id).toEqual(scenario);
    }
  });

  it('a v1 file with an error is judged as v2 would judge it: the same path and words', () => {
    const broken = JSON.parse(v1Text) as { devices: Array<{ nics?: Array<{ mac: string }> }> };
    broken.devices[0]!.nics![0]!.mac = 'zz';
    const result = validateScenario(broken);
    expect(result.ok ? [] : result.errors).toEqual([{ path: 'devices[0].nics[0].mac', message: 'expected a MAC address like 02:00:00:00:00:0a, got "zz"' }]);
  });

  it('a format that is neither says which formats are known', () => {
    const result = validateScenario({ ...JSON.parse(v1Text), format: 'vnet-live/scenario' });
    expect(result.ok ? [] : result.errors).toEqual([
      { path: 'format', message: 'expected "vnet-live/scenario@2" or "vnet-live/scenario@1" (the formats this version of vnet-live reads), got "vnet-live/scenario"' },
    ]);
  });
});
