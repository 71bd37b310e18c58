// Export / import: an edited experiment leaves as a file in the documented format, which the CLI
// runs as it is, and comes back in; a broken file is refused with the validator's words, the very
// lines `npm run scenario` prints for it.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDevice, changeKind, connectDevices, addTraffic } from '../../src/editor/ops.ts';
import { EXIT, runCli } from '../../scripts/scenario-cli.ts';
import { asEditedVersion, EDITED_MARK, exportFileName, exportNotice, exportText, importFailureText, importText } from '../../src/editor/transfer.ts';
import { decodeScenario, encodeScenario } from '../../src/editor/share.ts';
import { validateScenario } from '../../src/sim/scenario/validate.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import type { Scenario } from '../../src/sim/scenario/format.ts';
import { MAX_JSON_LENGTH, MAX_REPORTED_ERRORS } from '../../src/sim/scenario/limits.ts';
import { errorLines } from '../../src/sim/scenario/read.ts';

const bridge = scenarios['hub-vs-bridge/bridge']!;

function edited(): Scenario {
  const added = addDevice(changeKind(bridge, 'br0', 'hub'), 'host');
  const made = connectDevices(added.scenario, 'E', 'br0');
  if ('error' in made) throw new Error(made.error);
  return addTraffic(made.scenario, { do: 'ping', from: 'A', to: 'E', label: 'A pings E' });
}

describe('an edited version says so', () => {
  it('takes "(edited version)" after the chapter\'s title when shared or exported, and only then', () => {
    const out = asEditedVersion(edited(), bridge);
    expect(out.title).toBe(`${bridge.title} (edited version)`);
    expect({ ...out, title: bridge.title }).toEqual(edited());
    // Unchanged: the chapter's own version, under the chapter's title.
    expect(asEditedVersion(bridge, bridge)).toBe(bridge);
    // Marked once, however often it leaves; a title the reader wrote stays theirs.
    expect(asEditedVersion(out, bridge)).toBe(out);
    const own = { ...edited(), title: 'My hub experiment' };
    expect(asEditedVersion(own, bridge)).toBe(own);
    // A title at the length limit is shortened to make room, and stays valid.
    const long = { ...bridge, title: 'x'.repeat(120) };
    const marked = asEditedVersion({ ...edited(), title: long.title }, long);
    expect(marked.title).toHaveLength(120);
    expect(marked.title.endsWith(`…${EDITED_MARK}`)).toBe(true);
    expect(validateScenario(marked).ok).toBe(true);
  });

  it('keeps the mark through a share link and through a file', async () => {
    const decoded = await decodeScenario(await encodeScenario(asEditedVersion(edited(), bridge)));
    expect(decoded.ok && decoded.scenario.title).toBe(`${bridge.title} (edited version)`);
    const imported = importText(exportText(asEditedVersion(edited(), bridge)), bridge.id);
    expect(imported.ok && imported.scenario.title).toBe(`${bridge.title} (edited version)`);
    expect(exportFileName(bridge.id, true)).toBe('bridge-edited.json');
    expect(exportFileName(bridge.id)).toBe('bridge.json');
  });

  it('the export notice says what the file is and how to open it again on the site, with no command', () => {
    expect(exportNotice('bridge-edited.json', true)).toBe(
      'Exported bridge-edited.json: your edited version of this experiment, saved as a scenario file (JSON) where your browser keeps downloads. To open it again, come back to this experiment, press Edit experiment and choose Import JSON.',
    );
    expect(exportNotice('bridge.json', false)).toMatch(/^Exported bridge\.json: this experiment as the chapter has it, /);
    expect(`${exportNotice('a.json', true)} ${exportNotice('a.json', false)}`).not.toMatch(/npm|--|\.\/|\$ /);
  });
});

describe('export and import', () => {
  it('imports a file exported by the v1 site as the current format, and exports it as v2', () => {
    // content/scenarios/one-vlan-per-subnet/router-on-a-stick.json as the v1 site shipped it.
    const v1 = readFileSync('tests/sim/fixtures/v1-router-on-a-stick.json', 'utf8');
    expect(JSON.parse(v1).format).toBe('vnet-live/scenario@1');
    const result = importText(v1, bridge.id);
    expect(result).toMatchObject({ ok: true, warnings: [], note: 'The file was made for experiment "one-vlan-per-subnet/router-on-a-stick"; it now replaces this one.' });
    if (!result.ok) return;
    expect(result.scenario).toEqual({ ...scenarios['one-vlan-per-subnet/router-on-a-stick']!, id: bridge.id });
    expect(JSON.parse(exportText(result.scenario)).format).toBe('vnet-live/scenario@2');
  });

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
    expect(importText(exportText(scenario), bridge.id)).toEqual({ ok: true, scenario, warnings: [] });
  });

  it('adopts a file made for another experiment under this one\'s id, and says so', () => {
    const other = scenarios['hub-vs-bridge/hub']!;
    const result = importText(JSON.stringify(other), bridge.id);
    expect(result).toEqual({ ok: true, scenario: { ...other, id: bridge.id }, warnings: [], note: 'The file was made for experiment "hub-vs-bridge/hub"; it now replaces this one.' });
  });

  it('refuses a file that is not JSON, or not a valid scenario, in words', () => {
    expect(importText('{ nope', bridge.id)).toEqual({ ok: false, errors: [expect.stringMatching(/^the file is not valid JSON \(.+\)$/)], omitted: 0 });
    const broken = { ...bridge, devices: bridge.devices.map((d, i) => (i === 4 ? { ...d, ageingTime: -1 } : d)) };
    expect(importText(JSON.stringify(broken), bridge.id)).toEqual({ ok: false, errors: ['devices[4].ageingTime: expected an ageing time in seconds: a whole number from 0 to 1,000,000 s, got -1'], omitted: 0 });
  });

  it('reads a file saved with a UTF-8 byte-order mark', () => {
    expect(importText(`\uFEFF${exportText(bridge)}`, bridge.id)).toEqual({ ok: true, scenario: bridge, warnings: [] });
  });

  it('does not count a byte-order mark in the size it accepts or reports (found by a million-run fuzz campaign)', () => {
    // A scenario of exactly the largest accepted size: the mark in front must not push it over.
    const text = exportText(bridge);
    const atLimit = text.replace('"title"', `${' '.repeat(MAX_JSON_LENGTH - text.length)}"title"`);
    expect(atLimit.length).toBe(MAX_JSON_LENGTH);
    expect(importText(`\uFEFF${atLimit}`, bridge.id)).toEqual(importText(atLimit, bridge.id));
    expect(importText(atLimit, bridge.id).ok).toBe(true);
    // One over: the same message, with the same count, with or without the mark.
    const over = ` ${atLimit}`;
    expect(importText(`\uFEFF${over}`, bridge.id)).toEqual(importText(over, bridge.id));
    expect(importText(over, bridge.id)).toEqual({ ok: false, errors: [`the scenario is ${(MAX_JSON_LENGTH + 1).toLocaleString('en-US')} characters long; at most ${MAX_JSON_LENGTH.toLocaleString('en-US')} are accepted`], omitted: 0 });
  });

  it('says in one sentence which errors a refused file has, and how many more', () => {
    expect(importFailureText('a.json', { errors: ['x: bad'], omitted: 0 })).toBe('a.json could not be imported: x: bad.');
    const errors = Array.from({ length: MAX_REPORTED_ERRORS }, (_, i) => `links[${i}].a: wrong`);
    expect(importFailureText('b.json', { errors, omitted: 1200 })).toBe(
      `b.json could not be imported: links[0].a: wrong; links[1].a: wrong; links[2].a: wrong; links[3].a: wrong … and ${(MAX_REPORTED_ERRORS - 4 + 1200).toLocaleString('en-US')} more.`,
    );
  });
});

describe('the editor\'s Import and `npm run scenario` give the same words for the same bad file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vnet-same-'));
  const cases: [string, string][] = [
    ['not JSON', '{ "format": "vnet-live/scenario@1", '],
    ['a top-level array', '[]'],
    ['a bad MAC address after a byte-order mark', `\uFEFF${JSON.stringify({ ...bridge, devices: bridge.devices.map((d, i) => (i === 0 ? { ...d, nics: [{ port: 'eth0', mac: 'zz' }] } : d)) })}`],
    ['2,000 cables to nowhere (a capped list)', JSON.stringify({ ...bridge, links: Array.from({ length: 2000 }, (_, i) => ({ a: `X${i}:p1`, b: 'A:eth0' })) })],
    ['too long', `${JSON.stringify(bridge)}${' '.repeat(MAX_JSON_LENGTH)}`],
    ['a prototype key as a device name', JSON.stringify({ ...bridge, devices: [...bridge.devices, { id: '__proto__', kind: 'hub', ports: [] }] })],
  ];
  for (const [what, text] of cases) {
    it(what, () => {
      const file = join(dir, 'bad.json');
      writeFileSync(file, text);
      let stderr = '';
      const status = runCli([file], undefined, { stdout: () => {}, stderr: (t) => (stderr += t) });
      expect(status).toBe(EXIT.invalid);
      const imported = importText(text, bridge.id);
      expect(imported.ok).toBe(false);
      if (imported.ok) return;
      const cliLines = stderr.split('\n').filter((l) => l !== '' && !l.includes(': warning: '));
      expect(cliLines).toEqual(errorLines(imported).map((line) => `${file}: ${line}`));
      expect(cliLines.length).toBeLessThanOrEqual(MAX_REPORTED_ERRORS + 1);
    });
  }
});
