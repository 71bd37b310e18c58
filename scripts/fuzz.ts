// Long fuzz campaigns: `npm run fuzz -- --runs N [--seed S] [--property NAME] [--path P]`.
// Runs the same properties as the default run in tests/fuzz (tests/fuzz/properties.ts), N cases
// in all, split between the properties in the default run's proportions, in chunks so that it can
// print progress. Every failure prints its seed and path, the shrunk counterexample, and is saved
// under tests/fuzz/regressions/. Exits 1 when anything failed, 2 on a usage error.

import { failureReport, saveRegression } from '../tests/fuzz/regressions.ts';
import { properties, propertyNamed, runProperty, type FuzzProperty } from '../tests/fuzz/properties.ts';

const USAGE = 'usage: npm run fuzz -- [--runs N] [--seed S] [--property NAME] [--path P]\n' + `  properties: ${properties.map((p) => p.name).join(', ')}`;

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function wholeNumber(flag: string, text: string | undefined, min: number): number {
  const value = Number(text?.replace(/[_,]/g, ''));
  if (text === undefined || !Number.isSafeInteger(value) || value < min) usage(`${flag} needs a whole number${min > 0 ? ` of at least ${min}` : ''}, got ${text ?? 'nothing'}`);
  return value;
}

const args = process.argv.slice(2);
let runs = properties.reduce((n, p) => n + p.runs, 0);
let seed: number | undefined;
let only: FuzzProperty | undefined;
let path: string | undefined;
for (let i = 0; i < args.length; i++) {
  const arg = args[i]!;
  if (arg === '--runs') runs = wholeNumber('--runs', args[++i], 1);
  else if (arg === '--seed') seed = wholeNumber('--seed', args[++i], -(2 ** 31)) | 0;
  else if (arg === '--property') {
    try {
      only = propertyNamed(args[++i] ?? '');
    } catch (err) {
      usage((err as Error).message);
    }
  } else if (arg === '--path') path = args[++i] ?? usage('--path needs the path fast-check printed, like 12:3:0');
  else if (arg === '--help' || arg === '-h') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  } else usage(`unknown argument ${arg}`);
}
if (path !== undefined && (only === undefined || seed === undefined)) usage('--path replays one failure: give it with --property and --seed');
// A campaign's seed is random unless given, and always printed, so that any run can be repeated.
const campaignSeed = seed ?? (Math.floor(Math.random() * 2 ** 31) | 0);

const selected: FuzzProperty[] = only ? [only] : [...properties];
const weight = selected.reduce<number>((n, p) => n + p.runs, 0);
/** Each property's share of the runs, at least one each; the rounding remainder goes to the first. */
const shares = selected.map((p) => Math.max(1, Math.floor((runs * p.runs) / weight)));
shares[0]! += Math.max(0, runs - shares.reduce((a, b) => a + b, 0));
const total = shares.reduce((a, b) => a + b, 0);

/** The seed of chunk `c` of a property: chunk 0 uses the campaign's seed, so a short campaign is one plain fast-check run. */
function chunkSeed(c: number): number {
  if (c === 0) return campaignSeed;
  let h = (campaignSeed ^ Math.imul(c, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

const count = (n: number) => n.toLocaleString('en-US');
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
let done = 0;
let failures = 0;
const failed = new Set<string>();

if (path !== undefined) {
  // One case: the one at that path (a run index, then shrink steps) from that seed.
  process.stdout.write(`fuzz: replaying "${only!.name}", seed ${campaignSeed}, path ${path}\n`);
  const details = await runProperty(only!, { seed: campaignSeed, numRuns: 1, path });
  done += details.numRuns;
  if (details.failed) {
    failures++;
    process.stdout.write(`${failureReport(only!, details, saveRegression(only!, details))}\n`);
  }
} else {
  process.stdout.write(`fuzz: ${count(total)} runs over ${selected.length} propert${selected.length === 1 ? 'y' : 'ies'}, seed ${campaignSeed}\n`);
  // A progress line every ~5,000 runs (at most 100 lines); each chunk runs every property for its share.
  const chunks = Math.min(100, Math.max(1, Math.ceil(total / 5_000)));
  const sizes = shares.map((n) => Math.ceil(n / chunks));
  for (let c = 0; c < chunks; c++) {
    for (const [i, p] of selected.entries()) {
      if (failed.has(p.name)) continue;
      const numRuns = Math.min(sizes[i]!, shares[i]! - c * sizes[i]!);
      if (numRuns <= 0) continue;
      const details = await runProperty(p, { seed: chunkSeed(c), numRuns });
      done += details.failed ? details.numRuns : numRuns;
      if (details.failed) {
        failures++;
        // One failure per property and campaign: the rest of its runs would mostly find the same bug again.
        failed.add(p.name);
        process.stdout.write(`${failureReport(p, details, saveRegression(p, details))}\n`);
      }
    }
    process.stdout.write(`fuzz: ${count(done)} / ${count(total)} runs (${Math.floor((100 * done) / total)}%), ${failures} failure${failures === 1 ? '' : 's'}, ${elapsed()}\n`);
  }
}

process.stdout.write(`fuzz: ${count(done)} run${done === 1 ? '' : 's'}, seed ${campaignSeed}, ${failures} failure${failures === 1 ? '' : 's'} in ${elapsed()}\n`);
process.exit(failures ? 1 : 0);
