#!/usr/bin/env node
// `npm test`: every check, stopping at the first stage that fails.
//   1. ensure-chromium   Debian's Chromium and its headless shell are installed (apt-get as root if missing)
//   2. at the same time: vitest run (unit tests), then astro check (types and Astro diagnostics)
//                  and:  vitest run tests/kernel (the core against real Linux in network namespaces)
//                  and:  astro build (the static site in dist/), then at the same time page JS
//                        weight (no chapter page loads more than 40 KB of gzipped JavaScript) and
//                        playwright test (end-to-end tests against the built site; every e2e wait
//                        is on state, so a busy machine slows it, never fails it)
//      The kernel comparisons spend most of their time waiting on network namespaces (pings,
//      ARP probes, links coming up), so they have a lane of their own (two workers), whose
//      waits overlap, beside the CPU-bound lanes. The browser lane is the longest, so astro check,
//      which nothing after it needs, runs after the unit tests rather than before the build. Each
//      step's output is printed whole when it ends, so that the lanes' lines never interleave.
// JS entry points run with process.execPath (Node 24 from the `node` package when
// launched via npm), and node_modules/.bin comes first on PATH for child processes.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
const node = process.execPath;
const JS_WEIGHT_BUDGET_KB = 40;

/** The JS file behind a node_modules/.bin link, so that we can run it with our own Node. */
function binEntry(name) {
  return realpathSync(join(bin, name));
}

const env = {
  ...process.env,
  PATH: [bin, dirname(node), process.env.PATH ?? ''].join(delimiter),
  ASTRO_TELEMETRY_DISABLED: '1',
};

const step = (name, args) => ({ name, args });
const steps = {
  chromium: step('ensure-chromium', [join(root, 'scripts', 'ensure-chromium.mjs')]),
  check: step('astro check', [binEntry('astro'), 'check']),
  vitest: step('vitest run (unit tests)', [binEntry('vitest'), 'run', '--exclude', 'tests/kernel/**']),
  kernel: step('vitest run tests/kernel (the core against Linux)', [binEntry('vitest'), 'run', 'tests/kernel', '--maxWorkers', '2']),
  build: step('astro build', [binEntry('astro'), 'build']),
  weight: step(`page JS weight (budget ${JS_WEIGHT_BUDGET_KB} KB gzip per chapter page)`, [join(root, 'scripts', 'page-js-weight.mjs'), '--budget', String(JS_WEIGHT_BUDGET_KB)]),
  playwright: step('playwright test', [binEntry('playwright'), 'test']),
};
/** Stages run one after another; the lanes of a stage run at the same time, each lane's steps in
 * order; a lane's step that is a list runs its steps at the same time (the weight and the e2e tests
 * both read the build, and neither waits for the other). */
const stages = [[[steps.chromium]], [[steps.vitest, steps.check], [steps.kernel], [steps.build, [steps.playwright, steps.weight]]]];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const timings = [];
const started = Date.now();
const total = Object.keys(steps).length;
let passed = 0;
console.log(`test-all: Node ${process.version} (${node})`);

/**
 * Runs one step. Alone in its stage, its output streams as it comes; beside another lane, it is
 * kept and printed whole when the step ends, so that the lanes' lines never interleave.
 */
function runStep(step, alone) {
  return new Promise((done) => {
    const t0 = Date.now();
    if (alone) console.log(`\n=== test-all: ${step.name} ===`);
    const child = spawn(node, step.args, { cwd: root, env, stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout?.on('data', (chunk) => output.push(chunk));
    child.stderr?.on('data', (chunk) => output.push(chunk));
    const finish = (status, why) => {
      const elapsed = Date.now() - t0;
      if (!alone) {
        console.log(`\n=== test-all: ${step.name} (ran beside another lane) ===`);
        process.stdout.write(Buffer.concat(output));
      }
      timings.push(`${step.name}: ${seconds(elapsed)}`);
      if (status === 0) console.log(`--- test-all: ${step.name} passed in ${seconds(elapsed)}`);
      else console.error(`\ntest-all: FAILED at ${step.name} (${why}) after ${seconds(elapsed)}`);
      done(status === 0 ? 0 : typeof status === 'number' && status !== 0 ? status : 1);
    };
    child.on('error', (err) => finish(null, err.message));
    child.on('close', (code, signal) => finish(code, signal ? `killed by ${signal}` : `exit code ${code}`));
  });
}

for (const stage of stages) {
  const alone = stage.length === 1;
  const statuses = await Promise.all(
    stage.map(async (lane) => {
      for (const item of lane) {
        const group = Array.isArray(item) ? item : [item];
        const results = await Promise.all(group.map((step) => runStep(step, alone && group.length === 1)));
        passed += results.filter((status) => status === 0).length;
        const failed = results.find((status) => status !== 0);
        if (failed !== undefined) return failed;
      }
      return 0;
    }),
  );
  const failed = statuses.find((status) => status !== 0);
  if (failed !== undefined) {
    console.error(`steps: ${passed} passed, ${total - passed} failed or not run`);
    process.exit(failed);
  }
}

console.log('\ntest-all: timings');
for (const line of timings) console.log(`  ${line}`);
console.log(`test-all: all steps passed in ${seconds(Date.now() - started)}`);
console.log(`steps: ${passed} passed, 0 failed`);
