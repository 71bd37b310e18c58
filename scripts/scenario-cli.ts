// Headless runner for authors and tests: `npm run scenario -- <file.json> [more.json] [--trace] [--seed N]`.
// Validates each scenario file, runs it to the end and prints a JSON report; exits 1 on invalid input.

import { readFileSync } from 'node:fs';
import { Simulation } from '../src/sim/engine/simulation';
import { buildReport } from '../src/sim/report';
import { validateScenario } from '../src/sim/scenario/validate';
import { describeFrame } from '../src/sim/wire/describe';

const USAGE = 'usage: npm run scenario -- <scenario.json> [more.json …] [--trace] [--seed N]';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const args = process.argv.slice(2);
const files: string[] = [];
let withTrace = false;
let seed: number | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--trace') withTrace = true;
  else if (arg === '--seed') {
    const value = Number(args[++i]);
    if (!Number.isInteger(value)) fail(`--seed needs a whole number\n${USAGE}`, 2);
    seed = value;
  } else if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else if (arg.startsWith('--')) fail(`unknown option ${arg}\n${USAGE}`, 2);
  else files.push(arg);
}
if (files.length === 0) fail(USAGE, 2);

const reports: unknown[] = [];
let invalid = false;
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 2);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    process.stderr.write(`${file}: not valid JSON: ${(error as Error).message}\n`);
    invalid = true;
    continue;
  }
  const result = validateScenario(data);
  for (const warning of result.warnings) process.stderr.write(`${file}: warning: ${warning.path}: ${warning.message}\n`);
  if (!result.ok) {
    for (const error of result.errors) process.stderr.write(`${file}: ${error.path}: ${error.message}\n`);
    invalid = true;
    continue;
  }
  const sim = new Simulation(result.scenario, seed === undefined ? {} : { seed });
  sim.run();
  const report = buildReport(sim);
  reports.push(
    withTrace
      ? { ...report, trace: sim.trace.map(({ frame, ...event }) => (frame ? { ...event, frame: describeFrame(frame).summary } : event)) }
      : report,
  );
}
if (reports.length > 0) process.stdout.write(`${JSON.stringify(files.length === 1 ? reports[0] : reports, null, 2)}\n`);
if (invalid) process.exit(1);
