import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
function cli(...args: string[]) {
  return spawnSync(tsx, ['scripts/scenario-cli.ts', ...args], { encoding: 'utf8' });
}

describe('npm run scenario (the CLI)', () => {
  it('runs a chapter scenario and prints the JSON report: outcomes, receivers, MAC tables and ARP caches', () => {
    const run = cli('content/scenarios/hub-vs-bridge/bridge.json');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.scenario.id).toBe('hub-vs-bridge/bridge');
    expect(report.actions[2]).toMatchObject({ label: 'A sends to B again', delivered: true, deliveredTo: ['B'] });
    expect(Object.keys(report.actions[2].receivedBy).sort()).toEqual(['B', 'br0']);
    expect(report.macTables.br0.map((r: { mac: string }) => r.mac)).toEqual(['02:00:00:00:00:0a', '02:00:00:00:00:0b', '02:00:00:00:00:0c']);
    expect(report.arpCaches.A).toEqual([{ ip: '10.0.0.12', mac: '02:00:00:00:00:0c', port: 'eth0', age: 4 }]);
  }, 20_000);

  it('exits non-zero on a malformed file, naming the bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vnet-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ format: 'vnet-live/scenario@1', id: 'bad', title: 'bad', devices: [{ id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: 'zz' }] }], links: [], traffic: [] }));
    const run = cli(file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('devices[0].nics[0].mac: expected a MAC address like 02:00:00:00:00:0a, got "zz"');
    expect(run.stdout).toBe('');
    writeFileSync(file, '{ "format": ');
    const broken = cli(file);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/not valid JSON/);
  }, 20_000);
});
