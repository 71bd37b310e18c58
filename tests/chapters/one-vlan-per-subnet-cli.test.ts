// Acceptance 4 of the chapter "Why one VLAN per subnet": `npm run scenario` runs the trap and the
// fix headless and reports the failed ping with its reason and the routed ping with TTL 63.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
/** `npm run scenario` on chapter files: one process for them all (it prints one report per file, in order). */
function scenarios(names: string[], ...args: string[]) {
  const run = spawnSync(tsx, ['scripts/scenario-cli.ts', ...names.map((name) => `content/scenarios/one-vlan-per-subnet/${name}.json`), ...args], { encoding: 'utf8' });
  const reports = run.status === 0 ? JSON.parse(run.stdout) : null;
  return { status: run.status, stderr: run.stderr, reports: names.length === 1 && reports ? [reports] : reports };
}
function scenario(name: string, ...args: string[]) {
  const { status, stderr, reports } = scenarios([name], ...args);
  return { status, stderr, report: reports?.[0] ?? null };
}

// The fix and the chapter's other scenarios run in one process (starting one costs a second or two);
// the trap runs on its own, with --trace.
const OTHERS = ['one-domain', 'partitioned', 'mac-based-vlan', 'port-security'];
let withoutTrace: ReturnType<typeof scenarios> | undefined;
const fixAndOthers = () => (withoutTrace ??= scenarios(['router-on-a-stick', ...OTHERS]));

describe('npm run scenario on the chapter "Why one VLAN per subnet"', () => {
  it('the trap: the ping fails because nobody answered the ARP requests, and the trace says the request stayed in VLAN 10', () => {
    const { status, stderr, report } = scenario('trap', '--trace');
    expect(status, stderr).toBe(0);
    expect(report.actions[0]).toMatchObject({
      label: 'A pings B',
      outcome: 'failed',
      delivered: false,
      result: 'Destination Host Unreachable: nobody answered 3 ARP requests for 10.1.20.11.',
    });
    expect(Object.keys(report.actions[0].receivedBy).sort()).toEqual(['C', 'sw1']);
    const reasons = report.trace.map((e: { reason: string }) => e.reason);
    expect(reasons.filter((r: string) => r === 'arp-retry')).toHaveLength(2);
    expect(reasons).toContain('arp-failed');
    expect(report.trace.find((e: { kind: string; device: string }) => e.kind === 'flood' && e.device === 'sw1').text).toContain('in VLAN 10 to port p3');
  }, 60_000);

  it('the fix: the routed ping succeeds with TTL 63, and the report shows the tables of switch and router', () => {
    const { status, stderr, reports } = fixAndOthers();
    expect(status, stderr).toBe(0);
    const report = reports[0];
    expect(report.scenario.id).toBe('one-vlan-per-subnet/router-on-a-stick');
    expect(report.actions[0].outcome).toBe('ok');
    expect(report.actions[0].result).toMatch(/^Reply from 10\.1\.20\.11: TTL 63, time \d+ ms\.$/);
    expect(report.actions[0].receivedBy.B.find((r: { reason: string }) => r.reason === 'echo-request').frame).toContain('TTL 63');
    expect(report.macTables.sw1.map((r: { vid: number; mac: string }) => `${r.vid} ${r.mac}`)).toContain('20 02:00:00:00:01:00');
    expect(report.arpCaches.R.map((r: { ip: string; port: string }) => `${r.ip} ${r.port}`)).toEqual(['10.1.10.11 eth0.10', '10.1.20.11 eth0.20']);
  }, 60_000);

  it('runs every scenario of the chapter without an error', () => {
    const { status, stderr, reports } = fixAndOthers();
    expect(status, stderr).toBe(0);
    expect(reports).toHaveLength(1 + OTHERS.length);
    for (const [i, name] of ['router-on-a-stick', ...OTHERS].entries()) {
      expect(reports[i].scenario.id).toBe(`one-vlan-per-subnet/${name}`);
      expect(reports[i].halted, name).toBeNull();
    }
  }, 90_000);
});
