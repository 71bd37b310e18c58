// Headless runner for authors and tests: `npm run scenario -- <file.json> [more.json] [--trace] [--seed N] [--debug]`,
// and exports of one file: `--pcap OUT.pcapng` (the run's capture), `--linux-script OUT.sh` (the
// experiment on Linux), `--clab OUT.clab.yml` (a containerlab topology); with any of them the CLI
// writes those files and prints one line per file instead of the report.
// Reads each scenario file (src/sim/scenario/read.ts, the reader the editor's Import uses too),
// runs it to the end and prints a JSON report. The exit status tells whose fault a failure is:
//   0  every file ran;
//   1  a file is not a valid scenario (each error names its field; the list is capped);
//   2  usage error, or a file that cannot be read;
//   3  the simulator threw on a valid file: a bug in vnet-live, said in one line (the stack only with --debug).
// The logic is runCli(), which takes the arguments and the runner, so that tests can inject a runner that throws.
// A/B pairs: a file in the pair format (vnet-live/ab-pair@1, the player's "Export pair") runs both
// designs and prints what differs; `--ab <experiment id>` does so for each pair a chapter declares
// for that experiment (src/scenarios/ab-pairs.ts).

import { readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Simulation } from '../src/sim/engine/simulation';
import { buildReport } from '../src/sim/report';
import type { Scenario } from '../src/sim/scenario/format';
import type { TraceEvent } from '../src/sim/trace';
import { errorLines, fileTooLarge, readScenarioText } from '../src/sim/scenario/read';
import { describeFrame } from '../src/sim/wire/describe';
import { toClab } from '../src/sim/export/clab';
import { linuxScript } from '../src/sim/export/linux-script';
import { capturedCount, toPcapng } from '../src/sim/export/pcapng';
import { importPairText, PAIR_FORMAT } from '../src/editor/ab-pair';
import { AB_PAIRS, pairedScenario, runPair } from '../src/scenarios/ab-pairs';
import { scenarios } from '../src/scenarios/index';

const USAGE =
  'usage: npm run scenario -- <scenario.json | pair.json> [more.json …] [--trace] [--seed N] [--debug]\n       npm run scenario -- <scenario.json> [--pcap OUT.pcapng] [--linux-script OUT.sh] [--clab OUT.clab.yml] [--seed N]\n       npm run scenario -- --ab <experiment id>   (each A/B pair the chapters declare for it)';

/** The export options, by flag: what each writes. */
const EXPORTS = { '--pcap': 'pcap', '--linux-script': 'script', '--clab': 'clab' } as const;
type ExportKind = (typeof EXPORTS)[keyof typeof EXPORTS];

/** Writes the exports asked for; returns one line per file written. Throws what writing throws. */
export function writeExports(scenario: Scenario, exports: ReadonlyMap<ExportKind, string>, seed: number | undefined, write: (path: string, data: string | Uint8Array) => void = writeFileSync): string[] {
  const lines: string[] = [];
  const pcap = exports.get('pcap');
  if (pcap !== undefined) {
    const sim = new Simulation(scenario, seed === undefined ? { history: false } : { seed, history: false });
    sim.run();
    const trace = sim.trace;
    write(pcap, toPcapng(trace, { title: scenario.title, label: (id) => sim.name(id) }));
    lines.push(`${pcap}: pcapng capture, ${capturedCount(trace)} packets (virtual time from 1970-01-01 00:00:00 UTC)`);
  }
  const script = exports.get('script');
  if (script !== undefined) {
    const generated = linuxScript(scenario);
    write(script, generated.text);
    lines.push(`${script}: Linux script, ${generated.commands.length} commands${generated.unsupported.length ? `; left out, not on Linux: ${generated.unsupported.length}` : ''} (run it as root: sudo bash ${script})`);
  }
  const clab = exports.get('clab');
  if (clab !== undefined) {
    write(clab, toClab(scenario));
    lines.push(`${clab}: containerlab topology, ${scenario.devices.length} nodes, ${scenario.links.length} links`);
  }
  return lines;
}

export const EXIT = { ok: 0, invalid: 1, usage: 2, bug: 3 } as const;

export interface RunOptions {
  trace: boolean;
  seed?: number;
}

/** Runs a valid scenario to its end and returns its report (what the CLI prints). */
export type Runner = (scenario: Scenario, options: RunOptions) => unknown;

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The real runner: the simulation core and the report the chapters' tests read. */
export const runScenario: Runner = (scenario, { trace, seed }) => {
  // Headless: nobody steps back in a CLI run, so it keeps no history (no checkpoints, no log).
  const sim = new Simulation(scenario, seed === undefined ? { history: false } : { seed, history: false });
  sim.run();
  const report = buildReport(sim);
  return trace ? { ...report, trace: sim.trace.map(traceEntry) } : report;
};

/**
 * One trace event as the report prints it: its fields named one by one (an event writes its
 * sentence when `text` is read, so a spread would leave it out), the frame as its summary.
 * Fields an event does not have are left out of the JSON.
 */
function traceEntry(event: TraceEvent) {
  const { frame } = event;
  return {
    index: event.index, step: event.step, time: event.time, device: event.device, kind: event.kind, reason: event.reason, text: event.text,
    port: event.port, frameId: event.frameId, frame: frame ? describeFrame(frame).summary : undefined, ports: event.ports, peer: event.peer, actionId: event.actionId,
    cause: event.cause, origin: event.origin, args: event.args,
  };
}

/** One line for a reader out of whatever was thrown: its message's first line, without a final period, not too long. */
function oneLine(thrown: unknown): string {
  const text = thrown instanceof Error ? thrown.message || thrown.name : String(thrown);
  const first = (text.split('\n').find((line) => line.trim() !== '') ?? 'no message').trim();
  const short = first.length > 300 ? `${first.slice(0, 300)}…` : first;
  return short.replace(/\.$/, '');
}

function bugReport(file: string, thrown: unknown, debug: boolean): string {
  const line = `vnet-live: internal error while running ${file}: ${oneLine(thrown)}. This is a bug in vnet-live, not in your file; please report it with the file attached (rerun with --debug for the stack trace).`;
  if (!debug) return `${line}\n`;
  const stack = thrown instanceof Error && thrown.stack ? thrown.stack : String(thrown);
  return `${line}\n${stack}\n`;
}

/** The whole CLI: returns the exit status instead of exiting, so that tests call it directly. */
export function runCli(argv: readonly string[], runner: Runner = runScenario, out: CliOutput = processOutput, write?: (path: string, data: string | Uint8Array) => void): number {
  const files: string[] = [];
  const exports = new Map<ExportKind, string>();
  let trace = false;
  let debug = false;
  let seed: number | undefined;
  const abIds: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--trace') trace = true;
    else if (arg === '--ab') {
      const id = argv[++i];
      const pairs = id === undefined ? [] : AB_PAIRS.filter((p) => p.a === id);
      if (pairs.length === 0) {
        out.stderr(`--ab needs an experiment with A/B pairs, one of: ${[...new Set(AB_PAIRS.map((p) => p.a))].join(', ')}\n${USAGE}\n`);
        return EXIT.usage;
      }
      abIds.push(id!);
    }
    else if (arg === '--debug') debug = true;
    else if (arg === '--seed') {
      const value = Number(argv[++i]);
      if (!Number.isSafeInteger(value)) {
        out.stderr(`--seed needs a whole number\n${USAGE}\n`);
        return EXIT.usage;
      }
      seed = value;
    } else if (Object.hasOwn(EXPORTS, arg)) {
      const path = argv[++i];
      if (path === undefined || path === '' || path.startsWith('--')) {
        out.stderr(`${arg} needs an output file\n${USAGE}\n`);
        return EXIT.usage;
      }
      exports.set(EXPORTS[arg as keyof typeof EXPORTS], path);
    } else if (arg === '--help' || arg === '-h') {
      out.stdout(`${USAGE}\n`);
      return EXIT.ok;
    } else if (arg.startsWith('--')) {
      out.stderr(`unknown option ${arg}\n${USAGE}\n`);
      return EXIT.usage;
    } else files.push(arg);
  }
  if (abIds.length > 0) {
    if (files.length > 0 || exports.size > 0 || trace) {
      out.stderr(`--ab runs the declared pairs alone\n${USAGE}\n`);
      return EXIT.usage;
    }
    const a = (id: string) => scenarios[id]!;
    const reports = abIds.flatMap((id) => AB_PAIRS.filter((p) => p.a === id).map((p) => runPair(a(p.a), pairedScenario(a(p.a), a(p.b)), seed)));
    out.stdout(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
    return EXIT.ok;
  }
  if (files.length === 0) {
    out.stderr(`${USAGE}\n`);
    return EXIT.usage;
  }
  if (exports.size > 0 && (files.length > 1 || trace)) {
    out.stderr(`${files.length > 1 ? '--pcap, --linux-script and --clab export one scenario file at a time' : '--trace prints a report, which an export replaces'}\n${USAGE}\n`);
    return EXIT.usage;
  }

  const reports: unknown[] = [];
  let status: number = EXIT.ok;
  // The worst outcome decides the status: a bug (3) over an unreadable file (2) over an invalid one (1).
  const worst = (code: number) => {
    status = Math.max(status, code);
  };
  for (const file of files) {
    let text: string;
    try {
      const tooLarge = fileTooLarge(statSync(file).size);
      if (tooLarge) {
        out.stderr(`${file}: ${tooLarge}\n`);
        worst(EXIT.invalid);
        continue;
      }
      text = readFileSync(file, 'utf8');
    } catch (error) {
      out.stderr(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? oneLine(error)})\n`);
      worst(EXIT.usage);
      continue;
    }
    if (text.includes(PAIR_FORMAT)) {
      // An A/B pair's file: both designs, each validated as a scenario file is, then compared.
      const pair = importPairText(text);
      if (pair.ok) {
        if (exports.size > 0 || trace) {
          out.stderr(`${file}: an A/B pair prints its comparison; export or trace each scenario on its own\n`);
          worst(EXIT.usage);
          continue;
        }
        try {
          reports.push(runPair(pair.a, pair.b, seed));
        } catch (thrown) {
          out.stderr(bugReport(file, thrown, debug));
          worst(EXIT.bug);
        }
        continue;
      }
      if (!pair.errors[0]?.startsWith('format:')) {
        for (const line of errorLines(pair)) out.stderr(`${file}: ${line}\n`);
        worst(EXIT.invalid);
        continue;
      }
    }
    const read = readScenarioText(text);
    for (const warning of read.warnings) out.stderr(`${file}: warning: ${warning}\n`);
    if (!read.ok) {
      for (const line of errorLines(read)) out.stderr(`${file}: ${line}\n`);
      worst(EXIT.invalid);
      continue;
    }
    if (exports.size > 0) {
      let lines: string[];
      try {
        lines = writeExports(read.scenario, exports, seed, write);
      } catch (thrown) {
        const code = (thrown as NodeJS.ErrnoException).code;
        if (typeof code === 'string') {
          out.stderr(`cannot write the export (${code}): ${oneLine(thrown)}\n`);
          worst(EXIT.usage);
        } else {
          out.stderr(bugReport(file, thrown, debug));
          worst(EXIT.bug);
        }
        continue;
      }
      for (const line of lines) out.stdout(`${line}\n`);
      continue;
    }
    // From here on the input is valid: anything thrown is the simulator's fault, not the file's.
    try {
      const report = runner(read.scenario, seed === undefined ? { trace } : { trace, seed });
      JSON.stringify(report); // a report that cannot be printed is a bug too; find it while the file is known
      reports.push(report);
    } catch (thrown) {
      out.stderr(bugReport(file, thrown, debug));
      worst(EXIT.bug);
    }
  }
  if (reports.length > 0) out.stdout(`${JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2)}\n`);
  return status;
}

const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** True when this file is the program being run (`tsx scripts/scenario-cli.ts`), not a module a test imports. */
function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    // exitCode, not exit(): a long report piped to another program must be written out in full first.
    process.exitCode = runCli(process.argv.slice(2));
  } catch (thrown) {
    // A bug in the CLI itself: the same one line, never a raw stack unless asked for.
    process.stderr.write(bugReport(process.argv.slice(2).join(' '), thrown, process.argv.includes('--debug')));
    process.exitCode = EXIT.bug;
  }
}
