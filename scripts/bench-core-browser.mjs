#!/usr/bin/env node
// Times the core in Chromium: one ARP request flooded by one bridge to 4,094 hosts, as a reader's page runs it.
//
//   node scripts/bench-core-browser.mjs [--pages N] [--json]        (npm run bench:core:browser)
//
// Bundles the core with esbuild (minified, as the site ships it) into a page of its own, serves it
// from a temporary folder on a free port (no network), and opens it in headless Chromium
// (CHROMIUM_PATH, default Debian's /usr/lib/chromium/chromium). Each page is fresh (a new browser
// context: no code cache, no warmed JIT); it validates the scenario of scripts/lib/big-topologies.mjs
// busyBridge(4095, 0) (one bridge, 4,095 hosts), builds a Simulation outside the timing, and times
// `inject(h1 arpings h4095)` + `run()` until nothing is queued. The first run on a fresh page is
// what a reader gets (goal of issue 9: ≤ 20 ms); the warmed median of later runs on the same page is
// printed beside it. Several fresh pages are opened and their first runs' median is the figure. The
// main thread's CPU time of the same runs (CDP ThreadTime) is printed too: on a shared machine wall
// time includes waiting for a core.
// Exits 2 when it cannot measure (no Chromium, a page error, a broadcast that did not reach every host).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { openBenchPage, serveBenchPage, threadTime } from './lib/bench-page.mjs';

// Keep in sync with e2e/helpers/chromium.ts.
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const CHROMIUM_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-sandbox', '--disable-gpu'];
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOSTS = 4095;
const GOAL_MS = 20;
const WARMUP = 3;
const WARM_RUNS = 9;

function parseArgs(argv) {
  const opts = { pages: 5, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    if (name === '--json') opts.json = true;
    else if (name === '--pages') {
      opts.pages = Number(inline ?? argv[++i]);
      if (!Number.isInteger(opts.pages) || opts.pages < 1) fail('--pages takes a whole number ≥ 1');
    } else if (name === '--help' || name === '-h') {
      console.log('usage: node scripts/bench-core-browser.mjs [--pages N] [--json]');
      process.exit(0);
    } else fail(`unknown option ${argv[i]}`);
  }
  return opts;
}

function fail(message) {
  console.error(`bench-core-browser: ${message}`);
  process.exit(2);
}

// The page's script. It runs nothing on load: the benchmark calls its three steps, each in a task of
// its own, so that the main thread's CPU time (CDP Performance.getMetrics ThreadTime) can be read
// around the timed one alone.
const ENTRY = `
import { Simulation } from './src/sim/engine/simulation';
import { validateScenario } from './src/sim/scenario/validate';
import { busyBridge } from './scripts/lib/big-topologies.mjs';

const HOSTS = ${HOSTS};
let scenario = null;
let sim = null;
let id = 0;

/** A fresh Simulation of the 4,095-host bridge (the scenario is validated once per page). */
window.benchBuild = () => {
  if (scenario === null) {
    const result = validateScenario(busyBridge(HOSTS, 0));
    if (!result.ok) throw new Error(JSON.stringify(result.errors.slice(0, 3)));
    scenario = result.scenario;
  }
  sim = new Simulation(scenario);
};

/** The timed part: inject the ARP request and run until nothing is queued. */
window.benchRun = () => {
  const start = performance.now();
  id = sim.inject({ from: 'h1', do: 'arp', to: 'h' + HOSTS });
  sim.run();
  return performance.now() - start;
};

/** The run did what it should: answered, and the request reached every other host. */
window.benchCheck = () => {
  if (!sim.isQuiescent || sim.actionStatus(id) !== 'ok') throw new Error('the ARP ended ' + sim.actionStatus(id));
  const reached = new Set();
  for (const event of sim.trace) if (event.kind === 'receive' && event.device !== 'br0' && event.device !== 'h1') reached.add(event.device);
  if (reached.size !== HOSTS - 1) throw new Error('the broadcast reached ' + reached.size + ' hosts, not ' + (HOSTS - 1));
  sim = null;
};
`;

const HTML = '<!doctype html><meta charset="utf-8"><title>bench:core:browser</title><script type="module" src="./bench.js"></script>';

async function bundle(dir) {
  const result = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'bench-entry.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  writeFileSync(join(dir, 'bench.js'), code);
  writeFileSync(join(dir, 'index.html'), HTML);
  return code.length;
}



const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1];
};
const round = (ms) => Math.round(ms * 100) / 100;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'bench-core-browser-'));
  let browser = null;
  let server = null;
  try {
    const bytes = await bundle(dir);
    server = await serveBenchPage(dir);
    const origin = `http://127.0.0.1:${server.address().port}/`;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    } catch (err) {
      throw new Error(`cannot start Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH): ${String(err.message ?? err).split('\n')[0]}`);
    }
    const pages = [];
    for (let i = 0; i < opts.pages; i++) {
      const { context, page, cdp, errors } = await openBenchPage(browser, origin);
      const result = { firstMs: 0, firstCpuMs: 0, warmMs: [], warmCpuMs: [] };
      for (let run = 0; run < 1 + WARMUP + WARM_RUNS; run++) {
        await page.evaluate(() => window.benchBuild());
        const before = await threadTime(cdp);
        const ms = await page.evaluate(() => window.benchRun());
        const cpuMs = (await threadTime(cdp)) - before;
        await page.evaluate(() => window.benchCheck());
        if (run === 0) Object.assign(result, { firstMs: ms, firstCpuMs: cpuMs });
        else if (run > WARMUP) {
          result.warmMs.push(ms);
          result.warmCpuMs.push(cpuMs);
        }
      }
      if (errors.length) throw new Error(`page error: ${errors[0]}`);
      pages.push(result);
      await context.close();
    }
    const firstRunsMs = pages.map((p) => p.firstMs);
    const warmMs = pages.flatMap((p) => p.warmMs);
    const firstRunMs = median(firstRunsMs);
    const report = {
      broadcast4094FreshPageMs: round(firstRunMs),
      broadcast4094WarmedMs: round(median(warmMs)),
      // The main thread's CPU time in the same runs: what they cost without waiting for a core.
      freshPageCpuMs: round(median(pages.map((p) => p.firstCpuMs))),
      warmedCpuMs: round(median(pages.flatMap((p) => p.warmCpuMs))),
      goal: { broadcast4094FreshPageMs: { atMost: GOAL_MS } },
      met: firstRunMs <= GOAL_MS,
      definition:
        'one bridge with 4,095 ports and 4,095 hosts (busyBridge(4095, 0)); a Simulation built outside the timing; h1 injects arping h4095: time from inject to quiescence. Fresh page: the first run on a page in a new browser context (median over the pages); warmed: runs after ' +
        `${WARMUP} warm-up runs on the same page (median over all pages)`,
      pages: opts.pages,
      firstRunsMs: firstRunsMs.map(round),
      warmedRunsMs: warmMs.map(round),
      bundleBytes: bytes,
      browser: `${browser.version()} (${CHROMIUM_PATH})`,
      machine: { cores: availableParallelism(), loadAverageBefore: loadBefore.map(round), loadAverageAfter: loadavg().map(round), node: process.version },
    };
    if (opts.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`Chromium ${browser.version()}: one ARP request flooded to ${(HOSTS - 1).toLocaleString('en')} hosts, inject → quiescent`);
      console.log(`  fresh page (first run):  median ${report.broadcast4094FreshPageMs} ms of ${opts.pages} pages (${report.firstRunsMs.join(', ')}), main-thread CPU ${report.freshPageCpuMs} ms   goal ≤ ${GOAL_MS} ms: ${report.met ? 'met' : 'not met'}`);
      console.log(`  warmed (same page):      median ${report.broadcast4094WarmedMs} ms of ${warmMs.length} runs, main-thread CPU ${report.warmedCpuMs} ms`);
      console.log(`  core bundle ${bytes.toLocaleString('en')} bytes minified; ${report.machine.cores} cores, load average ${report.machine.loadAverageBefore.join(' ')} before, ${report.machine.loadAverageAfter.join(' ')} after`);
    }
  } finally {
    await browser?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Errors are thrown, not exited on, so that `finally` closes Chromium and the server first.
main().catch((err) => fail(err instanceof Error && err.message.startsWith('cannot start') ? err.message : (err?.stack ?? String(err))));
