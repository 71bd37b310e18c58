#!/usr/bin/env node
// Measures how responsive a chapter player stays with big topologies, in headless Chromium.
//
//   node scripts/bench-ui.mjs [--dist DIR] [--json] [--profile FILE]     (npm run bench:ui)
//
// Needs a built site (`npm run build` first). Serves DIR (default dist/) on a free port, opens the
// first chapter, and drives its first player as a reader would: "Edit experiment" → "Import JSON"
// of a generated 2,000-host topology (four bridges in a chain), an edit (Add host), ten presses
// of Step, then "Run to the end". Then, in a fresh page, it imports a 500-host bridge loop and
// times "Run to the end" until the storm notice (role="alert") appears.
//
// The longest main-thread task of each phase comes from a Chromium trace (every task the page's
// main thread ran, to the microsecond); the PerformanceObserver 'longtask' count of the same
// phase is printed beside it as a cross-check, and the longest task in the thread's own CPU time
// (on a busy machine a task's wall-clock time includes waiting for a core). Goals (issue 8): no task over 50 ms; the storm
// notice within 2,000 ms of the press. Exits 1 when a goal is missed, 2 when it cannot measure.
//
// --profile FILE: also writes a CPU profile (.cpuprofile, for Chrome DevTools) of each phase,
//                 FILE-<phase>.cpuprofile, to find where the time goes.
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { chromium } from '@playwright/test';
import { bridgeLoop, manyHosts as generateManyHosts } from './lib/big-topologies.mjs';

// Keep in sync with e2e/helpers/chromium.ts.
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const CHROMIUM_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-sandbox', '--disable-gpu'];
const CHAPTER = '/chapters/hub-vs-bridge/';
const TASK_GOAL_MS = 50;
const STORM_GOAL_MS = 2000;

// ---------- topologies ----------

// The 2,000-host benchmark has two pings crossing the whole chain of four bridges.
const manyHosts = (hosts = 2000, bridges = 4) => generateManyHosts(hosts, bridges, true);

function parseArgs(argv) {
  const opts = { dist: 'dist', json: false, profile: null };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--dist') opts.dist = value();
    else if (name === '--json') opts.json = true;
    else if (name === '--profile') opts.profile = value();
    else if (name === '--help' || name === '-h') {
      console.log('usage: node scripts/bench-ui.mjs [--dist DIR] [--json] [--profile FILE]');
      process.exit(0);
    } else fail(`unknown option ${argv[i]}`);
  }
  return opts;
}

function fail(message) {
  console.error(`bench-ui: ${message}`);
  process.exit(2);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json' };

function startServer(root) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      let file = normalize(join(root, decodeURIComponent(url.pathname)));
      if (file !== root && !file.startsWith(root + sep)) return void res.writeHead(403).end();
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) return void res.writeHead(404).end('not found');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  return new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

// ---------- measuring ----------

/** Counts long tasks in the page from the moment it loads (the cross-check of the trace). */
const LONGTASK_OBSERVER = `
  window.__longtasks = [];
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
`;

/**
 * Runs `act` while Chromium traces the page, and returns the longest task its main thread ran (ms),
 * with how many tasks took over the goal, and the PerformanceObserver's long tasks of the phase.
 */
async function phase(browser, page, name, act, profile = null) {
  const since = await page.evaluate(() => performance.now());
  let cdp = null;
  if (profile) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  await browser.startTracing(page, { categories: ['toplevel'] });
  let result;
  let buffer;
  try {
    result = await act();
  } finally {
    buffer = await browser.stopTracing();
  }
  if (cdp) {
    const { profile: data } = await cdp.send('Profiler.stop');
    const file = profile.replace(/(\.cpuprofile)?$/, `-${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(data));
    await cdp.detach();
  }
  const { traceEvents } = JSON.parse(buffer.toString('utf8'));
  const mainThreads = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const runs = traceEvents.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && mainThreads.has(`${e.pid}:${e.tid}`));
  const tasks = runs.map((e) => e.dur / 1000);
  // The thread's own CPU time in the task: what the task costs when the machine is not shared.
  const cpu = runs.map((e) => (e.tdur ?? e.dur) / 1000).reduce((a, b) => Math.max(a, b), 0);
  const observed = await page.evaluate((t) => window.__longtasks.filter((e) => e.start >= t), since);
  // The trace can miss a task that began before it started; the observer never does (over 50 ms).
  const longest = Math.max(tasks.reduce((a, b) => Math.max(a, b), 0), ...observed.map((e) => e.duration));
  return { name, longest, cpu, over: tasks.filter((d) => d > TASK_GOAL_MS).length, tasks: tasks.length, longtasks: observed.length, longestObserved: observed.reduce((a, e) => Math.max(a, e.duration), 0), result };
}

// The page is driven with plain DOM calls and waits, not Playwright's role and text locators: those
// run on the page's main thread too, and over thousands of elements they would be the long tasks.

/**
 * Presses the button of the first player whose visible text (symbols left out) is `name`, with a
 * real mouse click, as a reader would: the click is an input task of the page's own. (A click()
 * called from page.evaluate would run inside Playwright's evaluation task, which adds its own work
 * to the task being measured.) Finding the button is a short task of its own before it.
 */
async function pressIn(page, name) {
  const at = await page.evaluate((name) => {
    const words = (b) => (b.textContent ?? '').replace(/[^A-Za-z0-9 ]/g, '').trim();
    const button = [...document.querySelector('section.vp').querySelectorAll('button')].find((b) => words(b) === name);
    if (!button) throw new Error(`no button "${name}"`);
    button.scrollIntoView({ block: 'center' });
    const box = button.getBoundingClientRect();
    return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
  }, name);
  await page.mouse.click(at.x, at.y);
}

/** Waits until `predicate(section)` holds in the page (checked every 50 ms). */
const until = (page, predicate, arg, timeout = 120_000) =>
  page.waitForFunction(new Function('arg', `const section = document.querySelector('section.vp'); return (${predicate})(section, arg);`), arg, { polling: 50, timeout });

async function openChapterPlayer(context, origin) {
  const page = await context.newPage();
  await page.addInitScript(LONGTASK_OBSERVER);
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(origin + CHAPTER);
  await page.locator('section.vp').first().scrollIntoViewIfNeeded();
  // Hydrated: the run controls are live.
  await until(page, (section) => section.querySelector('.vp-buttons button:not([aria-disabled])') !== null);
  await pressIn(page, 'Edit experiment');
  await until(page, (section) => section.querySelector('.ve input[type="file"]') !== null);
  return { page, errors };
}

/** Waits for one painted frame and then for the page to have nothing queued (chunked work included). */
async function settle(page) {
  await page.evaluate(
    () =>
      new Promise((done) => {
        // Quiet: 300 ms in which no gap between two timer callbacks exceeds 30 ms.
        let last = performance.now();
        let quietSince = last;
        const tick = () => {
          const now = performance.now();
          if (now - last > 30) quietSince = now;
          last = now;
          if (now - quietSince >= 300) requestAnimationFrame(() => done());
          else setTimeout(tick, 10);
        };
        requestAnimationFrame(() => setTimeout(tick, 10));
      }),
  );
}

async function importFile(page, scenario, fileName) {
  // A file on disk, as a reader picks one: Chromium reads it itself (lazily, so it is removed only
  // once imported). Given as a buffer, Playwright would decode it with a script in the page, a long
  // task of its own that no reader's import has.
  const dir = mkdtempSync(join(tmpdir(), 'bench-ui-'));
  const file = join(dir, fileName);
  writeFileSync(file, JSON.stringify(scenario));
  try {
    await page.locator('section.vp').first().locator('.ve input[type="file"]').setInputFiles(file);
    await until(
      page,
      (section, { fileName, title }) => (section.querySelector('.ve-notice')?.textContent ?? '').includes(`Imported ${fileName}`) && section.querySelector('.vp-title')?.textContent === title,
      { fileName, title: scenario.title },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The step counter reads "Step n". */
const atStep = (page, n) => until(page, (section, n) => section.querySelector('.vp-clock-step')?.textContent === `Step ${n}`, n);

/** The run is over as e2e tests see it: Step is aria-disabled and Play (not Pause) is shown. */
const runOver = (page) =>
  until(page, (section) => {
    const buttons = [...section.querySelectorAll('.vp-buttons button')];
    const words = (b) => (b.textContent ?? '').replace(/[^A-Za-z ]/g, '').trim();
    return buttons.find((b) => words(b) === 'Step')?.getAttribute('aria-disabled') === 'true' && buttons.some((b) => words(b) === 'Play');
  });

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const root = resolve(opts.dist);
  if (!existsSync(join(root, 'index.html'))) fail(`no built site in ${root}: run \`npm run build\` first (or pass --dist DIR)`);
  if (!existsSync(CHROMIUM_PATH)) fail(`Chromium not found at ${CHROMIUM_PATH}: run \`node scripts/ensure-chromium.mjs\` or set CHROMIUM_PATH`);
  const server = await startServer(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const big = manyHosts(2000, 4);
  const loop = bridgeLoop(500);
  const phases = [];
  let storm = null;
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors: pageErrors } = await openChapterPlayer(context, origin);
    phases.push(
      await phase(browser, page, 'import 2,000 hosts', async () => {
        await importFile(page, big, 'big.json');
        await settle(page);
      }, opts.profile),
    );
    phases.push(
      await phase(browser, page, 'edit 2,000 hosts', async () => {
        await pressIn(page, 'Add host');
        await until(page, (section) => (section.querySelector('.ve-notice')?.textContent ?? '').startsWith('Added host'));
        await settle(page);
      }, opts.profile),
    );
    phases.push(
      await phase(browser, page, 'step 2,000 hosts', async () => {
        for (let n = 1; n <= 10; n++) {
          await pressIn(page, 'Step');
          await atStep(page, n);
        }
        await settle(page);
      }, opts.profile),
    );
    phases.push(
      await phase(browser, page, 'run 2,000 hosts', async () => {
        await pressIn(page, 'Run to the end');
        await runOver(page);
        await settle(page);
        return page.locator('section.vp .vp-clock-step').first().textContent();
      }, opts.profile),
    );
    errors.push(...pageErrors);
    await page.close();

    // The loop, in a fresh page: the time from pressing the button to the storm notice, measured in the page.
    // A fresh context: the first page saved its edits in this browser, and would restore them.
    await context.close();
    const clean = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const fresh = await openChapterPlayer(clean, origin);
    await importFile(fresh.page, loop, 'loop.json');
    await settle(fresh.page);
    const loopPhase = await phase(browser, fresh.page, 'run 500-host loop', async () => {
      const ms = await fresh.page.locator('section.vp').first().evaluate(
        (section) =>
          new Promise((done, reject) => {
            const button = [...section.querySelectorAll('button')].find((b) => b.textContent?.replace(/[^A-Za-z ]/g, '').trim() === 'Run to the end');
            if (!button) return reject(new Error('no "Run to the end" button'));
            const start = performance.now();
            const seen = () => section.querySelector('[role="alert"]')?.textContent?.includes('Broadcast storm');
            const observer = new MutationObserver(() => {
              if (!seen()) return;
              observer.disconnect();
              // The notice is shown once the frame that holds it is painted.
              requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
            });
            observer.observe(section, { childList: true, subtree: true, characterData: true });
            button.click();
            setTimeout(() => {
              observer.disconnect();
              reject(new Error('no storm notice within 60 s'));
            }, 60_000);
          }),
      );
      await settle(fresh.page);
      return ms;
    }, opts.profile);
    storm = loopPhase.result;
    phases.push(loopPhase);
    errors.push(...fresh.errors);
  } finally {
    await browser.close();
    server.close();
  }

  const fmt = (ms) => Math.round(ms).toLocaleString('en');
  const taskMissed = phases.filter((p) => p.longest > TASK_GOAL_MS);
  const stormMissed = !(storm <= STORM_GOAL_MS);
  if (opts.json) {
    console.log(JSON.stringify({ goals: { taskMs: TASK_GOAL_MS, stormMs: STORM_GOAL_MS }, phases, stormMs: storm, errors }, null, 2));
  } else {
    for (const p of phases) {
      console.log(`longest main-thread task, ${p.name}: ${fmt(p.longest)} ms (goal ≤ ${TASK_GOAL_MS}; its longest in CPU time ${fmt(p.cpu)} ms; ${p.tasks.toLocaleString('en')} tasks traced, ${p.over} over ${TASK_GOAL_MS} ms; PerformanceObserver: ${p.longtasks} long task${p.longtasks === 1 ? '' : 's'}${p.longtasks ? `, longest ${fmt(p.longestObserved)} ms` : ''})`);
    }
    const end = phases.find((p) => p.name === 'run 2,000 hosts')?.result;
    if (end) console.log(`run 2,000 hosts ended at ${end.trim()}`);
    console.log(`Run to the end → storm notice, 500-host loop: ${storm === null ? 'not measured' : fmt(storm)} ms (goal ≤ ${STORM_GOAL_MS.toLocaleString('en')})`);
    // Task lengths scale with how busy the machine is: say so beside the numbers.
    console.log(`machine: load average ${loadavg()[0].toFixed(1)} (1 min) on ${availableParallelism()} cores`);
    for (const e of errors) console.log(`page error: ${e}`);
    if (opts.profile) console.log(`CPU profiles, one per phase: ${opts.profile.replace(/\.cpuprofile$/, '')}-<phase>.cpuprofile`);
  }
  process.exitCode = taskMissed.length > 0 || stormMissed || errors.length > 0 ? 1 : 0;
}

// Run only as a script: the generators above can be imported (by a scratch script or a test).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(`bench-ui: ${err.stack ?? err}`);
    process.exit(2);
  });
}
