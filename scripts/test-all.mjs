#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure.
//   1. ensure-chromium   Debian's Chromium is installed (apt-get as root if missing)
//   2. astro check       types and Astro diagnostics
//   3. vitest run        unit tests
//   4. astro build       the static site in dist/
//   5. page JS weight    no chapter page loads more than 75 KB of gzipped JavaScript
//   6. playwright test   end-to-end tests against the built site
// JS entry points run with process.execPath (Node 24 from the `node` package when
// launched via npm), and node_modules/.bin comes first on PATH for child processes.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
const node = process.execPath;
const JS_WEIGHT_BUDGET_KB = 75;

/** The JS file behind a node_modules/.bin link, so that we can run it with our own Node. */
function binEntry(name) {
  return realpathSync(join(bin, name));
}

const env = {
  ...process.env,
  PATH: [bin, dirname(node), process.env.PATH ?? ''].join(delimiter),
  ASTRO_TELEMETRY_DISABLED: '1',
};

const steps = [
  { name: 'ensure-chromium', args: [join(root, 'scripts', 'ensure-chromium.mjs')] },
  { name: 'astro check', args: [binEntry('astro'), 'check'] },
  { name: 'vitest run', args: [binEntry('vitest'), 'run'] },
  { name: 'astro build', args: [binEntry('astro'), 'build'] },
  {
    name: `page JS weight (budget ${JS_WEIGHT_BUDGET_KB} KB gzip per chapter page)`,
    args: [join(root, 'scripts', 'page-js-weight.mjs'), '--budget', String(JS_WEIGHT_BUDGET_KB)],
  },
  { name: 'playwright test', args: [binEntry('playwright'), 'test'] },
];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const timings = [];
const started = Date.now();
console.log(`test-all: Node ${process.version} (${node})`);

for (const [index, step] of steps.entries()) {
  const label = `step ${index + 1}/${steps.length}: ${step.name}`;
  console.log(`\n=== test-all: ${label} ===`);
  const t0 = Date.now();
  const result = spawnSync(node, step.args, { cwd: root, env, stdio: 'inherit' });
  const elapsed = Date.now() - t0;
  timings.push(`${label}: ${seconds(elapsed)}`);
  if (result.status !== 0 || result.error) {
    const why = result.error
      ? result.error.message
      : result.signal
        ? `killed by ${result.signal}`
        : `exit code ${result.status}`;
    console.error(`\ntest-all: FAILED at ${label} (${why}) after ${seconds(elapsed)}`);
    console.error(`steps: ${index} passed, 1 failed`);
    process.exit(typeof result.status === 'number' && result.status !== 0 ? result.status : 1);
  }
  console.log(`--- test-all: ${label} passed in ${seconds(elapsed)}`);
}

console.log('\ntest-all: timings');
for (const line of timings) console.log(`  ${line}`);
console.log(`test-all: all steps passed in ${seconds(Date.now() - started)}`);
console.log(`steps: ${steps.length} passed, 0 failed`);
