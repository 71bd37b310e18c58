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
