// Export / import: an edited experiment leaves as a file in the documented format, which the CLI
// runs as it is, and comes back in; a broken file is refused with the validator's words.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDevice, changeKind, connectDevices, addTraffic } from '../../src/editor/ops.ts';
import { exportFileName, exportText, importText } from '../../src/editor/transfer.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;

function edited(): Scenario {
  const added = addDevice(changeKind(bridge, 'br0', 'hub'), 'host');
  const made = connectDevices(added.scenario, 'E', 'br0');
  if ('error' in made) throw new Error(made.error);
  return addTraffic(made.scenario, { do: 'ping', from: 'A', to: 'E', label: 'A pings E' });
}

describe('export and import', () => {
  it('exports the documented format, which `npm run scenario` runs: the new host E answers A', () => {
    const text = exportText(edited());
    expect(text.endsWith('}\n')).toBe(true);
    expect(exportFileName(bridge.id)).toBe('bridge.json');
    const dir = mkdtempSync(join(tmpdir(), 'vnet-export-'));
    const file = join(dir, 'bridge.json');
    writeFileSync(file, text);
    const run = spawnSync(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['scripts/scenario-cli.ts', file], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.actions.at(-1)).toMatchObject({ label: 'A pings E', delivered: true });
  }, 20_000);

  it('imports what it exported, exactly', () => {
    const scenario = edited();
    expect(importText(exportText(scenario), bridge.id)).toEqual({ ok: true, scenario });
  });

  it('adopts a file made for another experiment under this one\'s id, and says so', () => {
    const other = scenarios['hub-vs-bridge/hub']!;
    const result = importText(JSON.stringify(other), bridge.id);
    expect(result).toEqual({ ok: true, scenario: { ...other, id: bridge.id }, note: 'The file was made for experiment "hub-vs-bridge/hub"; it now replaces this one.' });
  });

  it('refuses a file that is not JSON, or not a valid scenario, in words', () => {
    expect(importText('{ nope', bridge.id)).toEqual({ ok: false, errors: [expect.stringMatching(/^the file is not JSON \(/)] });
    const broken = { ...bridge, devices: bridge.devices.map((d, i) => (i === 4 ? { ...d, ageingTime: -1 } : d)) };
    expect(importText(JSON.stringify(broken), bridge.id)).toEqual({ ok: false, errors: ['devices[4].ageingTime: expected an ageing time ≥ 0 s'] });
  });
});
