// Acceptance 4 of the chapter "Why one VLAN per subnet": `npm run scenario` runs the trap and the
// fix headless and reports the failed ping with its reason and the routed ping with TTL 63.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
function scenario(name: string, ...args: string[]) {
  const run = spawnSync(tsx, ['scripts/scenario-cli.ts', `content/scenarios/one-vlan-per-subnet/${name}.json`, ...args], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, report: run.status === 0 ? JSON.parse(run.stdout) : null };
}

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
    const { status, stderr, report } = scenario('router-on-a-stick');
    expect(status, stderr).toBe(0);
    expect(report.actions[0].outcome).toBe('ok');
    expect(report.actions[0].result).toMatch(/^Reply from 10\.1\.20\.11: TTL 63, time \d+ ms\.$/);
    expect(report.actions[0].receivedBy.B.find((r: { reason: string }) => r.reason === 'echo-request').frame).toContain('TTL 63');
    expect(report.macTables.sw1.map((r: { vid: number; mac: string }) => `${r.vid} ${r.mac}`)).toContain('20 02:00:00:00:01:00');
    expect(report.arpCaches.R.map((r: { ip: string; port: string }) => `${r.ip} ${r.port}`)).toEqual(['10.1.10.11 eth0.10', '10.1.20.11 eth0.20']);
  }, 60_000);

  it('runs every scenario of the chapter without an error', () => {
    for (const name of ['one-domain', 'partitioned', 'mac-based-vlan', 'port-security']) {
      const { status, stderr, report } = scenario(name);
      expect(status, `${name}: ${stderr}`).toBe(0);
      expect(report.scenario.id).toBe(`one-vlan-per-subnet/${name}`);
      expect(report.halted).toBeNull();
    }
  }, 90_000);
});
