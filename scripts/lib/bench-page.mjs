// What the browser benchmarks (bench-core-browser, bench-tor) share: a static server for the page
// they bundle into a temporary folder, a fresh page on it, and the page's main-thread CPU time from the DevTools protocol.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Serves `dir`'s index.html, bench.js and worker.js (if the bench has one) on 127.0.0.1 at a free port; resolves to the server. */
export function serveBenchPage(dir) {
  const types = { '/': ['index.html', 'text/html; charset=utf-8'], '/index.html': ['index.html', 'text/html; charset=utf-8'], '/bench.js': ['bench.js', 'text/javascript; charset=utf-8'], '/worker.js': ['worker.js', 'text/javascript; charset=utf-8'] };
  const server = createServer(async (req, res) => {
    const entry = types[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    const body = entry ? await readFile(join(dir, entry[0])).catch(() => null) : null;
    if (body === null) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': entry[1], 'cache-control': 'no-store' }).end(body);
  });
  return new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done(server));
  });
}

/** The page's main thread CPU time so far, in ms (CDP's ThreadTime is in seconds). */
export async function threadTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = metrics.find((m) => m.name === 'ThreadTime')?.value;
  if (value === undefined) throw new Error('this Chromium reports no ThreadTime metric');
  return value * 1000;
}

/**
 * A fresh page on the bench page at `origin`, in a new browser context (nothing cached or compiled
 * from a previous page), with the DevTools protocol counting its main thread's CPU time, once its
 * script has defined `window.benchRun`. `errors` collects the page's uncaught errors; close
 * `context` when done.
 */
export async function openBenchPage(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(origin, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.benchRun === 'function');
  return { context, page, cdp, errors };
}

/**
 * Waits until the browser's processes have been quiet (together under `busyMs` of CPU time in each
 * of two `windowMs` windows in a row): what a reader's browser is by the time they reach a control
 * and change it. A new page's renderer process keeps busy for most of a second after `load`, off
 * the page's main thread: a blank data: page measured 0.85 s of the process's CPU time against 3 ms
 * on its main thread, and about as much with Chromium driven over the DevTools protocol without
 * Playwright. On a machine with two cores that start-up work slowed a recompute started at once
 * by about 0.6 s. Resolves to the ms waited; throws if the browser is still busy after `maxMs`.
 */
export async function waitForQuietBrowser(browser, { windowMs = 200, busyMs = 20, maxMs = 10_000 } = {}) {
  const { cpuMs, close } = await browserCpu(browser);
  try {
    const start = performance.now();
    let quiet = 0;
    let before = await cpuMs();
    while (quiet < 2) {
      if (performance.now() - start > maxMs) throw new Error(`the browser was still busy ${maxMs} ms after the page loaded`);
      await new Promise((done) => setTimeout(done, windowMs));
      const now = await cpuMs();
      quiet = now - before < busyMs ? quiet + 1 : 0;
      before = now;
    }
    return performance.now() - start;
  } finally {
    await close();
  }
}

/**
 * The CPU time (ms) all of the browser's processes have used so far, every thread of each (from the
 * DevTools protocol's SystemInfo.getProcessInfo): `cpuMs()` reads it; `close()` when done.
 */
export async function browserCpu(browser) {
  const cdp = await browser.newBrowserCDPSession();
  return {
    async cpuMs() {
      const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
      return processInfo.reduce((sum, p) => sum + p.cpuTime, 0) * 1000;
    },
    close: () => cdp.detach(),
  };
}
