// `npm run scenario`: runs a file and prints its report, and its exit status says whose fault a
// failure is: 1 the file's (every error names its field, the list capped), 2 usage or an
// unreadable file, 3 a bug in vnet-live (one line, no stack unless --debug). Two tests spawn the
// real command; the rest call runCli() with the same arguments, and a runner that throws stands in
// for a simulator bug.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, runCli, runScenario, type Runner } from '../../scripts/scenario-cli.ts';
import { scenarios } from '../../src/scenarios/index.ts';
import { MAX_JSON_LENGTH, MAX_REPORTED_ERRORS } from '../../src/sim/scenario/limits.ts';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
function cli(...args: string[]) {
  return spawnSync(tsx, ['scripts/scenario-cli.ts', ...args], { encoding: 'utf8' });
}

/** runCli with its output captured. */
function run(args: string[], runner?: Runner) {
  let stdout = '';
  let stderr = '';
  const status = runCli(args, runner, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr, lines: stderr.split('\n').filter((l) => l !== '') };
}

const dir = mkdtempSync(join(tmpdir(), 'vnet-cli-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const bridge = scenarios['hub-vs-bridge/bridge']!;
const BRIDGE = 'content/scenarios/hub-vs-bridge/bridge.json';

describe('npm run scenario (the CLI)', () => {
  it('runs a chapter scenario and prints the JSON report: outcomes, receivers, MAC tables and ARP caches (exit 0)', () => {
    const run = cli(BRIDGE);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.scenario.id).toBe('hub-vs-bridge/bridge');
    expect(report.actions[2]).toMatchObject({ label: 'A sends to B again', delivered: true, deliveredTo: ['B'] });
    expect(Object.keys(report.actions[2].receivedBy).sort()).toEqual(['B', 'br0']);
    expect(report.macTables.br0.map((r: { mac: string }) => r.mac)).toEqual(['02:00:00:00:00:0a', '02:00:00:00:00:0b', '02:00:00:00:00:0c']);
    expect(report.arpCaches.A).toEqual([{ ip: '10.0.0.12', mac: '02:00:00:00:00:0c', port: 'eth0', age: 4 }]);
  }, 20_000);

  it('exits 1 on a malformed file, naming the bad field, and prints no report', () => {
    const bad = file('bad.json', JSON.stringify({ format: 'vnet-live/scenario@1', id: 'bad', title: 'bad', devices: [{ id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: 'zz' }] }], links: [], traffic: [] }));
    const run = cli(bad);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`${bad}: devices[0].nics[0].mac: expected a MAC address like 02:00:00:00:00:0a, got "zz"\n`);
    expect(run.stdout).toBe('');
  }, 20_000);
});

describe('runCli --trace', () => {
  it('prints every event with its sentence, cause, origin and args beside the report\'s own fields', () => {
    const { status, stdout } = run([BRIDGE, '--trace']);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    // The report's fields are all still there; the trace is added.
    expect(Object.keys(report)).toEqual(['scenario', 'actions', 'macTables', 'arpCaches', 'routingTables', 'halted', 'stats', 'trace']);
    const trace = report.trace as Array<Record<string, unknown>>;
    expect(trace).toHaveLength(report.stats.events);
    const first = trace.find((e) => e.kind === 'transmit')!;
    const summary = 'frame 02:00:00:00:00:0a → 02:00:00:00:00:0b, EtherType 0x88b5';
    expect(first).toMatchObject({ device: 'A', port: 'eth0', frame: summary, text: `A sends ${summary} out of eth0, towards br0.`, peer: { device: 'br0', port: 'p1' } });
    expect(trace[first.cause as number]).toMatchObject({ device: 'A', kind: 'action' });
    expect(first.origin).toBe(first.frameId);
    const received = trace.find((e) => e.kind === 'receive' && e.cause === first.index)!;
    expect(received).toMatchObject({ device: 'br0', origin: first.frameId, text: 'br0 receives the frame on p1.' });
    for (const e of trace) expect(typeof e.text).toBe('string');
    expect(trace.find((e) => e.kind === 'result')!.args).toMatchObject({ label: expect.any(String), outcome: expect.any(String) });
  });
});

describe('runCli: bad input exits 1, in words', () => {
  it('a file that is not JSON', () => {
    const broken = file('broken.json', '{ "format": ');
    const result = run([broken]);
    expect(result.status).toBe(EXIT.invalid);
    expect(result.lines).toEqual([expect.stringMatching(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the file is not valid JSON \\(.+\\)$`))]);
  });

  it('a top-level array: one error, "expected a scenario object", not a missing field per key', () => {
    const result = run([file('array.json', '[1, 2]')]);
    expect(result.status).toBe(EXIT.invalid);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/array\.json: \(top level\): expected a scenario object/);
  });

  it('caps the errors printed: at most the limit, then "… and N more" with the exact remainder', () => {
    // 1,500 cables to devices that do not exist: 3,000 errors (both ends of each).
    const links = Array.from({ length: 1500 }, (_, i) => ({ a: `X${i}:p1`, b: `Y${i}:p1` }));
    const many = file('many.json', JSON.stringify({ ...bridge, links }));
    const result = run([many]);
    expect(result.status).toBe(EXIT.invalid);
    expect(result.stdout).toBe('');
    expect(result.lines).toHaveLength(MAX_REPORTED_ERRORS + 1);
    expect(result.lines[0]).toBe(`${many}: links[0].a: the cable goes to "X0", which is not a device of this scenario`);
    for (const line of result.lines.slice(0, -1)) expect(line).toMatch(/many\.json: links\[\d+\]\.[ab]: /);
    expect(result.lines.at(-1)).toBe(`${many}: … and ${(3000 - MAX_REPORTED_ERRORS).toLocaleString('en-US')} more`);
  });

  it('refuses a file over the size limit before parsing it, however large it is', () => {
    const long = file('long.json', ' '.repeat(MAX_JSON_LENGTH + 1));
    const result = run([long]);
    expect(result.status).toBe(EXIT.invalid);
    expect(result.lines).toEqual([`${long}: the scenario is 5,000,001 characters long; at most 5,000,000 are accepted`]);
    // A sparse 2 GB file: refused from its size alone (reading it would take seconds and gigabytes).
    const huge = file('huge.json', '');
    truncateSync(huge, 2 ** 31);
    const started = performance.now();
    const refused = run([huge]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(refused.status).toBe(EXIT.invalid);
    expect(refused.lines).toEqual([`${huge}: the file is 2,147,483,648 bytes long; a scenario of at most 5,000,000 characters is accepted`]);
  });

  it('reads a UTF-8 file that starts with a byte-order mark, as the browser\'s import does', () => {
    const withBom = file('bom.json', `\uFEFF${JSON.stringify(bridge)}`);
    const result = run([withBom]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout).scenario.id).toBe(bridge.id);
  });
});

describe('runCli: usage and unreadable files exit 2', () => {
  it('no file, an unknown option, a bad seed', () => {
    expect(run([]).status).toBe(EXIT.usage);
    expect(run(['--frobnicate', BRIDGE])).toMatchObject({ status: EXIT.usage, stderr: expect.stringContaining('unknown option --frobnicate') });
    expect(run(['--seed', 'x', BRIDGE])).toMatchObject({ status: EXIT.usage, stderr: expect.stringContaining('--seed needs a whole number') });
  });

  it('a file that does not exist, or a folder', () => {
    expect(run([join(dir, 'nope.json')])).toMatchObject({ status: EXIT.usage, lines: [`${join(dir, 'nope.json')}: cannot read the file (ENOENT)`] });
    expect(run([dir])).toMatchObject({ status: EXIT.usage, lines: [`${dir}: cannot read the file (EISDIR)`] });
  });
});

describe('runCli: an exception inside the simulator is a bug in vnet-live (exit 3)', () => {
  const crash: Runner = () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'ports')");
    error.stack = `${error.name}: ${error.message}\n    at Bridge.receive (src/sim/devices/learning-bridge.ts:42:7)`;
    throw error;
  };

  it('says so in one line, names the file, and prints no stack trace', () => {
    const result = run([BRIDGE], crash);
    expect(result.status).toBe(EXIT.bug);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `vnet-live: internal error while running ${BRIDGE}: Cannot read properties of undefined (reading 'ports'). This is a bug in vnet-live, not in your file; please report it with the file attached (rerun with --debug for the stack trace).\n`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints the stack trace with --debug', () => {
    const result = run([BRIDGE, '--debug'], crash);
    expect(result.status).toBe(EXIT.bug);
    expect(result.lines[0]).toMatch(/^vnet-live: internal error while running .*This is a bug in vnet-live/);
    expect(result.lines.slice(1)).toEqual(["TypeError: Cannot read properties of undefined (reading 'ports')", '    at Bridge.receive (src/sim/devices/learning-bridge.ts:42:7)']);
  });

  it('keeps one line for a multi-line message or a thrown non-Error, and one bad run does not hide the others\' reports', () => {
    let calls = 0;
    const flaky: Runner = (scenario, options) => {
      if (calls++ === 0) throw 'state corrupted\nsecond line';
      return runScenario(scenario, options);
    };
    const hub = 'content/scenarios/hub-vs-bridge/hub.json';
    const result = run([hub, BRIDGE], flaky);
    expect(result.status).toBe(EXIT.bug);
    expect(result.lines).toEqual([expect.stringMatching(new RegExp(`^vnet-live: internal error while running ${hub}: state corrupted\\. This is a bug`))]);
    const reports = JSON.parse(result.stdout);
    expect(reports.map((r: { scenario: { id: string } }) => r.scenario.id)).toEqual([bridge.id]);
  });

  it('a report that cannot be printed is a bug too, and a bug outranks an invalid file', () => {
    const cyclic: Runner = () => {
      const report: Record<string, unknown> = {};
      report.self = report;
      return report;
    };
    const result = run([file('array2.json', '[]'), BRIDGE], cyclic);
    expect(result.status).toBe(EXIT.bug);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[1]).toMatch(/^vnet-live: internal error while running .*bridge\.json: Converting circular structure to JSON/);
  });
});

describe('runCli exports: --pcap, --linux-script, --clab', () => {
  it('writes the run\'s capture, the Linux script and the containerlab topology of one file, a line per file instead of the report', () => {
    const pcap = join(dir, 'bridge.pcapng');
    const script = join(dir, 'bridge.sh');
    const clab = join(dir, 'bridge.clab.yml');
    const { status, stdout, stderr } = run([BRIDGE, '--pcap', pcap, '--linux-script', script, '--clab', clab]);
    expect(stderr).toBe('');
    expect(status).toBe(EXIT.ok);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${pcap}: pcapng capture, \\d+ packets`));
    // A pcapng Section Header Block, little-endian.
    const captured = readFileSync(pcap);
    expect([...captured.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    expect(captured.readUInt32LE(8)).toBe(0x1a2b3c4d);
    const text = readFileSync(script, 'utf8');
    expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(text).toContain('link add name br0 type bridge');
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    expect(readFileSync(clab, 'utf8')).toMatch(/^name: "vnl-hub-vs-bridge-bridge"$/m);
  });

  it('the same file and seed write the same capture, byte for byte', () => {
    const a = join(dir, 'a.pcapng');
    const b = join(dir, 'b.pcapng');
    expect(run([BRIDGE, '--pcap', a, '--seed', '7']).status).toBe(EXIT.ok);
    expect(run([BRIDGE, '--seed', '7', '--pcap', b]).status).toBe(EXIT.ok);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('usage errors (exit 2): a flag without a file, two scenario files, --trace with an export, an unwritable path', () => {
    expect(run([BRIDGE, '--pcap'])).toMatchObject({ status: EXIT.usage, lines: expect.arrayContaining(['--pcap needs an output file']) });
    expect(run([BRIDGE, '--clab', '--trace'])).toMatchObject({ status: EXIT.usage, lines: expect.arrayContaining(['--clab needs an output file']) });
    expect(run([BRIDGE, BRIDGE, '--linux-script', join(dir, 'x.sh')])).toMatchObject({ status: EXIT.usage, lines: expect.arrayContaining(['--pcap, --linux-script and --clab export one scenario file at a time']) });
    expect(run([BRIDGE, '--trace', '--pcap', join(dir, 'x.pcapng')]).status).toBe(EXIT.usage);
    const unwritable = run([BRIDGE, '--linux-script', join(dir, 'no-such-dir', 'x.sh')]);
    expect(unwritable.status).toBe(EXIT.usage);
    expect(unwritable.stderr).toMatch(/^cannot write the export \(ENOENT\)/);
    expect(unwritable.stdout).toBe('');
  });

  it('an invalid file exports nothing and exits 1, naming the field', () => {
    const bad = file('bad-export.json', JSON.stringify({ format: 'vnet-live/scenario@2', id: 'bad', title: 'bad', devices: [{ id: 'A', kind: 'host', nics: [{ port: 'eth0', mac: 'zz' }] }], links: [], traffic: [] }));
    const out = join(dir, 'never.sh');
    const result = run([bad, '--linux-script', out]);
    expect(result.status).toBe(EXIT.invalid);
    expect(result.lines[0]).toMatch(/devices\[0\]\.nics\[0\]\.mac/);
    expect(existsSync(out)).toBe(false);
  });
});
