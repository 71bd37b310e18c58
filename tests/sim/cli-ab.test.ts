// The CLI and A/B pairs: a pair's file (the player's "Export pair") runs both designs and prints
// what differs; `--ab <id>` does so for the pairs the chapters declare; a bad pair is named by field.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli } from '../../scripts/scenario-cli.ts';
import { exportPairText } from '../../src/editor/ab-pair.ts';
import { comparisons, type PairReport } from '../../src/scenarios/ab-pairs.ts';
import { scenario } from '../../src/scenarios/index.ts';

function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = runCli(args, undefined, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'vnet-cli-ab-'));
const hub = scenario('hub-vs-bridge/hub');
const bridge = comparisons('hub-vs-bridge/hub')[0]!.scenario;

describe('npm run scenario and A/B pairs', () => {
  it("a pair's file prints the comparison: C receives B's answer behind the hub only, and why", () => {
    const path = join(dir, 'hub-vs-bridge.json');
    writeFileSync(path, exportPairText(hub, bridge));
    const { status, stdout, stderr } = run([path]);
    expect(stderr).toBe('');
    expect(status).toBe(EXIT.ok);
    const report = JSON.parse(stdout) as PairReport;
    expect(report.a.id).toBe('hub-vs-bridge/hub');
    expect(report.b.id).toBe('hub-vs-bridge/bridge');
    expect(report.receivers.filter((r) => r.device === 'C').map((r) => [r.label, r.in])).toEqual([
      ['B answers A', 'a'],
      ['A sends to B again', 'a'],
    ]);
    expect(report.summary).toMatch(/C and D received the frame in design A \(hub is a hub/);
  });

  it('--ab runs the pairs a chapter declares for an experiment, and names the experiments that have some', () => {
    const { status, stdout } = run(['--ab', 'hub-vs-bridge/bridge']);
    expect(status).toBe(EXIT.ok);
    const reports = JSON.parse(stdout) as PairReport[];
    expect(reports.map((r) => r.b.id)).toEqual(['hub-vs-bridge/hub', 'hub-vs-bridge/bridge-ageing-zero']);
    const unknown = run(['--ab', 'hub-vs-bridge/loop']);
    expect(unknown.status).toBe(EXIT.usage);
    expect(unknown.stderr).toMatch(/^--ab needs an experiment with A\/B pairs, one of: hub-vs-bridge\/hub, /);
  });

  it('a bad pair is refused with each error named under a. or b. (exit 1)', () => {
    const bad = JSON.parse(exportPairText(hub, bridge));
    bad.b.links[0].a = 'nowhere:eth0';
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(bad));
    const { status, stderr, stdout } = run([path]);
    expect(status).toBe(EXIT.invalid);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: b\\.links\\[0\\]\\.a: `));
  });
});
