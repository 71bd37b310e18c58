#!/usr/bin/env node
// Largest Contentful Paint of the site's pages, as a reader on a phone network sees them.
//
//   node scripts/bench-lcp.mjs [--url URL] [--page PATH|URL]... [--width 1280|360] [--runs N] [--budget MS] [--network slow-4g|none] [--cpu N] [--no-floor] [--trace] [--json]
//
// Opens the home page and every chapter page of the running site (default: `npm start`'s,
// http://127.0.0.1:4321/; `--page /chapters/one-vlan-per-subnet/` for only that one, repeatable)
// in Debian's Chromium through Playwright, `--runs` times each (default 5) in a fresh browser
// context (empty cache) at 1280 and at 360 CSS px (`--width 1280` for one of them), and reads the
// page's own PerformanceObserver('largest-contentful-paint') once it has loaded. The loads are
// interleaved: each round loads every page at every width once, floor included, so that the
// machine's load changing during a run falls on every series alike, and two builds served side by
// side (`--page /a/ --page /b/`, or two servers: `--page http://127.0.0.1:4471/a/ --page
// http://127.0.0.1:4472/a/`, old build and new, each with its own floor) make an A/B comparison.
// Prints the median per page and width, with the LCP element, and exits 1 if a median is over
// --budget (default 1000 ms, issue 10). A load that has not fired its load event within 90 s (a
// busy machine) is left out of the median, shown as "-".
//
// It also measures a floor, the same way: the site's 404 page (the site's header and one
// paragraph, nothing else), unless --no-floor. What the floor takes is the network profile, the
// browser and the machine, not the page: on a machine busy with other work the CPU slowdown
// multiplies that work too, and a page cannot be faster than the floor. The machine's load
// average is printed before and after, for the same reason.
//
// What chapter 2's LCP is made of (issue 10, measured 2026-12-02 on the shared 2-core machine): its
// LCP element is text, the first paragraph of the prose; nothing before it is an image, a web font
// or an SVG, and no request blocks rendering (the head's CSS is inline, the players' stylesheet is
// linked after the prose). A trace at 4x (Chromium's own, through CDP) shows the rest, between the
// response and the LCP: the head parsed in one go (its 17 KB of CSS, the theme script); then the
// body parsed a chunk at a time, each chunk a few KB at 4x on a busy machine, and after a chunk,
// when a frame is due, a style, layout, paint and commit of all that is parsed so far (the first
// layout also looks up every font of the font stack, ~80-220 ms at 4x, the floor's too); and,
// when the last byte arrives, DevTools' own copy of the document decoded as text (~110-260 ms at
// 4x for chapter 2's 426 KB, in the task that ends the download: a cost of measuring with the
// Network domain on, as Playwright and Lighthouse do, that grows with the document's size).
// The fewer bytes and the fewer parser pauses before the paragraph, the fewer frames before the
// one that paints it. So:
//  - Kept: the shell's module scripts (search opener, share-link notice, sidebar, table of
//    contents) and the chapter's own (a glossary term's, in the middle of the first paragraph)
//    are written after the chapter (a <script> is a point where the parser pauses; a module script
//    runs after parsing wherever it stands), and the share-link notice's 5 KB map of experiments
//    moved from an attribute at the top of <main> to a JSON <script> at the end: the body before
//    the prose went from 13.0 KB to 4.8 KB. In traces (4 loads each, medians, 1280 / 360 px) the
//    layouts before the LCP went from 4 / 6 to 3 / 3, and the main thread's CPU time before it
//    (the trace's thread time, which other work on the machine inflates less than wall time) from
//    932 / 1069 ms to 806 / 768. Interleaved A/B, 9 loads each, 4x, load average 7-13 (chapter 2, 1280 / 360 px):
//    before 1672 / 1276 ms, scripts last 1388 / 1328, both 1400 / 1056; floor 836 / 864 (the
//    floor is built with the same shell); with --cpu 1 (7 loads, load 10-13): 692 / 420, 432 / 448,
//    456 / 424, floor 512 / 368. At 4x this machine's floor alone is ~0.85 s and single loads
//    range from 0.6 to 5 s with the load of the other work on it, so read chapter minus floor:
//    before 836 / 412 ms, now 564 / 192. Once the machine was quiet (load average 2-3, 7 loads
//    each, 4x): before 704 / 684 ms, now 688 / 600, floor 504 / 500 (chapter minus floor 200 / 184
//    before, 184 / 100 now), and every page's median within 1 s but the VXLAN page's at 1280 px
//    (1072 ms; 5 loads, its load falling from 15 to 4 during the run).
//  - Tried and not kept: content-visibility: auto on the players (contain-intrinsic-size: auto
//    600px): in two interleaved A/Bs it was no faster (1780 / 1700 ms against 1432 / 1560 without,
//    9 loads each; 1712 / 952 against 1520 / 1440, 5 loads), which fits the traces: the frame that
//    paints the first paragraph holds little or nothing of the players below it. It would also
//    clip what overflows a player (paint containment) and put its hydration behind the
//    content-visibility margin; not worth it. Holding the first paint for the opening paragraphs
//    (<link rel="expect" blocking="render">) cut the layouts before the LCP from 5-8 to 1-2 in
//    traces, but in an interleaved A/B (9 loads each, 4x) the LCP did not move beyond the noise
//    (1280 px: 1348 ms without, 1432 with; 360 px: 1404 without, 1264 with) and the first paint
//    came about 400 ms later.
//  - Left: the document's size (chapter 2: 426 KB, 70 KB gzipped; its players' server-rendered
//    drawings, logs and JSON payloads), which costs download time and the DevTools decode above
//    but is mostly after the LCP.
//
// The VXLAN page at 1280 px (lcp2 session, 2026-12-02, load average 7-16 throughout, so the wall
// times below are noisy; --trace's CPU time and layout count are the steadier part). Its LCP
// element at 1280 px is the opening paragraph of the prose (at 360 px, the chapter's summary). In
// traces of the main thread (thread time, 4x) the ~1.0-1.1 s of CPU before the LCP is: ~250 ms
// committing the navigation, ~100 ms parsing the head (its theme script 22-47 ms, its CSS 12-27),
// 3-5 frames (~420-680 ms: the head alone, the header, the sidebar and title, the paragraph; the
// first layout is ~100-160 ms on every page, the floor's too, whatever the font stack), and the
// task that ends the download (150-330 ms: DevTools' decode of the 395 KB document, 15 ms for the
// 28 KB floor), which lands at 630-900 ms, before the paragraph's frame in every load traced.
// So what is left is the document's size and the frames before the paragraph. Tried on copies of
// the page served side by side (loads each; LCP medians, ms, new against old at 1280 px):
//  - Not what costs: the font stack cut to system-ui/monospace (first layout 78-133 ms against
//    94-132); the head's 17.5 KB stylesheet included twice (CPU before the LCP 1001 against 1039,
//    4 loads); the 1280-px grids replaced by floats (no gain in traces); the sidebar and contents
//    neither sticky nor scrolling (1122 against 1010, 12 loads); the :has() rules replaced by
//    classes (1568 against 1592, 5); the players' stylesheet preloaded from the head (1224 against
//    1346, 4; 1620 against 1592, 5) or linked at the end (1422 against 1346, 4): the in-body link
//    does not hold the paragraph's paint.
//  - Render blocking again (<link rel="expect" blocking="render"> naming the players' stylesheet
//    link, so that the first frame paints header, title, contents and the prose above the first
//    player together): 1 layout before the LCP instead of 3-5 in every trace, but the LCP moved
//    both ways (908 against 1010, 12 loads; 1586 against 1436 and, at 360 px, 1380 against 1570,
//    10; 2512 against 2072, 8, load 7 to 14; 2130 against 2592, 6; with --trace, 10 loads, load
//    5-13: 1636 against 1424 at 1280 px, CPU before the LCP 1001 ms against 940, and 1236 against
//    1402 at 360 px) and the first paint became the LCP (later by ~150-400 ms). Not kept, as before: it trades the first paint for a gain this
//    machine cannot show. (It is ten lines: an id on the stylesheet link ChapterLayout.astro
//    writes, a <slot name="head"> in BaseLayout.astro, and the expect link in it.)
//  - Diagnostic only: without the header, sidebar and contents the LCP was 798 against 1010 (12
//    loads), but the chapter then fell into the sidebar's 12rem column and its h1 became the LCP.
//
// --network slow-4g (default) is DevTools' "Slow 4G" throttling, applied by Chromium to every
// request: 150 ms of latency, 1.6 Mbit/s down, 750 kbit/s up (x 0.9, as DevTools does), with the
// CPU slowed 4x (--cpu N sets the factor: on a machine already busy with other work, 4x of what is
// left is far slower than a phone; 1 measures the network alone). `npm start`'s server
// (scripts/serve.mjs) sends HTML, CSS and JS with brotli where the browser takes it, as the build
// precompressed them (the document encoding is printed). --network none measures the
// machine itself. --trace records Chromium's trace of every load and prints, per page and width,
// the medians of what the main thread did before the LCP (workBeforeLcp below): its CPU time, its
// layouts, and the task that ends the download; tracing adds a little work to every load, so
// compare traced runs only with traced runs.
import { availableParallelism, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { median } from './lib/median.mjs';

// Keep in sync with e2e/helpers/chromium.ts.
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const CHROMIUM_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--no-sandbox', '--disable-gpu'];

const NETWORKS = {
  'slow-4g': { latency: 150, downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, uploadThroughput: ((750 * 1000) / 8) * 0.9, cpu: 4 },
  none: null,
};
/** The floor: the site's smallest page, its header and one paragraph. */
const FLOOR_PAGE = '/404.html';
const WIDTHS = [
  { name: '1280', viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: '360', viewport: { width: 360, height: 740 }, isMobile: true },
];

function fail(message) {
  console.error(`bench-lcp: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { url: 'http://127.0.0.1:4321/', pages: [], widths: [], runs: 5, budget: 1000, network: 'slow-4g', cpu: null, floor: true, trace: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--url') opts.url = value();
    else if (name === '--page') opts.pages.push(value());
    else if (name === '--width') opts.widths.push(value());
    else if (name === '--no-floor') opts.floor = false;
    else if (name === '--runs') opts.runs = Number(value());
    else if (name === '--budget') opts.budget = Number(value());
    else if (name === '--network') opts.network = value();
    else if (name === '--cpu') opts.cpu = Number(value());
    else if (name === '--json') opts.json = true;
    else if (name === '--trace') opts.trace = true;
    else if (name === '--help' || name === '-h') {
      console.log('usage: node scripts/bench-lcp.mjs [--url URL] [--page PATH|URL]... [--width 1280|360] [--runs N] [--budget MS] [--network slow-4g|none] [--cpu N] [--no-floor] [--trace] [--json]');
      process.exit(0);
    } else fail(`unknown option ${argv[i]}`);
  }
  for (const width of opts.widths) if (!WIDTHS.some((w) => w.name === width)) fail(`--width is one of ${WIDTHS.map((w) => w.name).join(', ')} (not ${width})`);
  if (!Number.isInteger(opts.runs) || opts.runs < 1) fail('--runs needs a whole number of at least 1');
  if (!(opts.budget > 0)) fail('--budget needs a positive number of milliseconds');
  if (!(opts.network in NETWORKS)) fail(`--network is one of ${Object.keys(NETWORKS).join(', ')}`);
  if (opts.cpu !== null && !(opts.cpu >= 1)) fail('--cpu needs a slowdown factor of at least 1');
  for (const page of opts.pages) {
    if (!page.startsWith('/') && !/^https?:\/\/[^/]+\//.test(page)) fail(`--page takes a path from the site's root, such as /chapters/one-vlan-per-subnet/, or a whole URL, such as http://127.0.0.1:4471/chapters/one-vlan-per-subnet/ (not ${page})`);
  }
  return opts;
}

/** The home page and every chapter it links to. */
async function findPages(browser, base) {
  const page = await browser.newPage();
  try {
    const response = await page.goto(base).catch(() => null);
    if (!response || !response.ok()) fail(`no site at ${base}: start it with \`npm start\` (or pass --url)`);
    const links = await page.$$eval('a[href*="/chapters/"]', (as) => as.map((a) => new URL(a.href).pathname));
    return ['/', ...[...new Set(links)].sort()];
  } finally {
    await page.close();
  }
}

/** One cold load: the LCP in ms, and what the element was. */
async function measure(browser, url, width, network, cpu, trace) {
  const context = await browser.newContext({ viewport: width.viewport, isMobile: width.isMobile, hasTouch: width.isMobile });
  const page = await context.newPage();
  try {
    if (network) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: network.latency, downloadThroughput: network.downloadThroughput, uploadThroughput: network.uploadThroughput });
    }
    if (cpu > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    }
    if (trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    // The page's own observer, from before its first byte: every LCP candidate, with its element.
    await page.addInitScript(() => {
      const seen = [];
      window.__vnetLcp = seen;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const el = entry.element;
          const what = el ? `${el.tagName.toLowerCase()}${typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"` : '(removed)';
          seen.push({ t: entry.startTime, what });
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    // On a machine busy with other work a load can take far longer than usual: allow 90 s, and
    // if it still has not loaded, count that load as missing (printed as "-") rather than lose the
    // whole run.
    const response = await page.goto(url, { waitUntil: 'load', timeout: 90_000 }).catch((err) => {
      if (err?.name === 'TimeoutError') return null;
      throw err;
    });
    if (response === null) {
      if (trace) await browser.stopTracing();
      return { lcp: null, element: '(no load event within 90 s)', encoding: 'none' };
    }
    const encoding = (await response?.allHeaders())?.['content-encoding'] ?? 'none';
    // The last candidate once the page has loaded and painted is the LCP (no input has ended the
    // search). Wait on the page's state: a candidate reported and two frames since load.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.waitForFunction(() => window.__vnetLcp.length > 0, null, { timeout: 30_000 });
    const last = await page.evaluate(() => window.__vnetLcp.at(-1));
    const work = trace ? workBeforeLcp(JSON.parse((await browser.stopTracing()).toString()).traceEvents, last.t) : null;
    return { lcp: last.t, element: last.what, encoding, work };
  } finally {
    await context.close();
  }
}

const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'loading', 'navigation', 'blink.user_timing'];

/**
 * What the page's main thread did before the LCP, from Chromium's own trace (--trace): its CPU time
 * (the thread time of every task that started before the LCP; other work on the machine inflates it
 * far less than wall time), the layouts (one per frame rendered), and the time spent in the task
 * that ends the document's download (DocumentLoader::BodyLoadingFinished: with the Network domain
 * on, as here and in Lighthouse, it decodes DevTools' copy of the whole document, so it grows with
 * the document's size).
 */
function workBeforeLcp(events, lcpMs) {
  const nav = events.find((e) => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame && e.args?.data?.documentLoaderURL?.startsWith('http'));
  if (!nav) return null;
  const until = nav.ts + lcpMs * 1000;
  const parse = events.find((e) => e.pid === nav.pid && e.name === 'ParseHTML');
  if (!parse) return null;
  const main = events.filter((e) => e.pid === nav.pid && e.tid === parse.tid && e.ph === 'X' && e.ts < until);
  const total = (name) => main.filter((e) => e.name === name).reduce((sum, e) => sum + (e.tdur ?? e.dur), 0) / 1000;
  return { cpuMs: total('RunTask'), layouts: main.filter((e) => e.name === 'Layout').length, bodyDoneMs: total('DocumentLoader::BodyLoadingFinished') };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const base = new URL(opts.url);
  const network = NETWORKS[opts.network];
  const cpu = opts.cpu ?? network?.cpu ?? 1;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const results = [];
  const floor = [];
  const encodings = new Set();
  const loadBefore = loadavg();
  const widths = opts.widths.length > 0 ? WIDTHS.filter((w) => opts.widths.includes(w.name)) : WIDTHS;
  // Interleaved: each round loads every page at every width once (the floor too), so that a change
  // in the machine's load during the run falls on every series alike, and two builds served side by
  // side (--page /a/ --page /b/) are an A/B comparison.
  const summary = (path, width, runs) => {
    for (const r of runs) if (r.lcp !== null) encodings.add(r.encoding);
    const values = runs.map((r) => r.lcp).filter((v) => v !== null);
    return {
      page: path,
      width: width.name,
      medianMs: values.length ? Math.round(median(values)) : null,
      runsMs: runs.map((r) => (r.lcp === null ? null : Math.round(r.lcp))),
      element: (runs.findLast((r) => r.lcp !== null) ?? runs.at(-1))?.element ?? '(none)',
      ...(opts.trace ? { beforeLcp: traced(runs) } : {}),
    };
  };
  // --trace: the medians of what the main thread did before the LCP (workBeforeLcp).
  const traced = (runs) => {
    const works = runs.map((r) => r.work).filter(Boolean);
    const of = (key) => (works.length ? Math.round(median(works.map((w) => w[key]))) : null);
    return { cpuMs: of('cpuMs'), layouts: of('layouts'), bodyDoneMs: of('bodyDoneMs') };
  };
  try {
    const pages = opts.pages.length > 0 ? opts.pages : await findPages(browser, base.href);
    const series = [];
    for (const path of pages) for (const width of widths) series.push({ path, width, floor: false, runs: [] });
    // One floor per server: with --page URLs on two servers (an A/B), each build's own 404 page.
    const origins = [...new Set(pages.map((path) => new URL(path, base).origin))];
    const floorPath = (origin) => (origin === base.origin ? FLOOR_PAGE : new URL(FLOOR_PAGE, origin).href);
    if (opts.floor) for (const origin of origins) for (const width of widths) series.push({ path: floorPath(origin), width, floor: true, runs: [] });
    for (let i = 0; i < opts.runs; i++) for (const s of series) s.runs.push(await measure(browser, new URL(s.path, base).href, s.width, network, cpu, opts.trace));
    for (const s of series) (s.floor ? floor : results).push(summary(s.path, s.width, s.runs));
  } finally {
    await browser.close();
  }
  const loadAfter = loadavg();
  const over = results.filter((r) => r.medianMs === null || r.medianMs > opts.budget);
  const method = {
    runs: opts.runs,
    statistic: 'median',
    cache: 'cold: a fresh browser context per load, HTTP cache disabled',
    network: network ? { profile: opts.network, latencyMs: network.latency, downKbps: Math.round((network.downloadThroughput * 8) / 1000), upKbps: Math.round((network.uploadThroughput * 8) / 1000) } : 'none',
    cpuSlowdown: cpu,
    viewports: widths.map((w) => `${w.viewport.width}x${w.viewport.height}${w.isMobile ? ' mobile, touch' : ''}`),
    lcp: "the page's last largest-contentful-paint entry, read once it has loaded and painted two more frames",
    documentEncoding: [...encodings].join(', '),
    loadAverage: { before: loadBefore.map((v) => Number(v.toFixed(1))), after: loadAfter.map((v) => Number(v.toFixed(1))), cores: availableParallelism() },
  };
  if (opts.json) {
    console.log(JSON.stringify({ url: base.href, method, budgetMs: opts.budget, results, floor, overBudget: over.map((r) => `${r.page} @${r.width}`) }, null, 2));
  } else {
    const net = network ? `${opts.network}: ${network.latency} ms latency, ${method.network.downKbps} kbit/s down, ${method.network.upKbps} kbit/s up` : 'no network throttling';
    const servers = [...new Set((opts.pages.length > 0 ? opts.pages : ['/']).map((path) => new URL(path, base).origin))];
    console.log(`Largest Contentful Paint of ${servers.join(' and ')}: median of ${opts.runs} cold loads per page and width`);
    console.log(`  each load: a fresh browser context with the HTTP cache disabled; ${net}; CPU slowed ${cpu}x;`);
    console.log(`  viewports ${method.viewports.join(' and ')}; the server's responses as sent (document encoding: ${method.documentEncoding});`);
    console.log(`  LCP is ${method.lcp}.`);
    console.log(`  machine: ${method.loadAverage.cores} cores, load average ${method.loadAverage.before.join(' ')} before, ${method.loadAverage.after.join(' ')} after\n`);
    const label = (r) => `${r.page} @${r.width}px`;
    const pad = Math.max(36, ...[...results, ...floor].map((r) => label(r).length));
    const work = (r) => (r.beforeLcp ? `   before it: CPU ${r.beforeLcp.cpuMs ?? '-'} ms, ${r.beforeLcp.layouts ?? '-'} layouts, download's end ${r.beforeLcp.bodyDoneMs ?? '-'} ms` : '');
    const line = (r, verdict) => `${label(r).padEnd(pad)} ${String(r.medianMs ?? '-').padStart(5)} ms  ${verdict}   runs ${r.runsMs.map((v) => v ?? '-').join(' ')}${work(r)}   LCP: ${r.element}`;
    for (const r of results) console.log(line(r, r.medianMs !== null && r.medianMs <= opts.budget ? 'ok' : 'OVER BUDGET'));
    if (floor.length > 0) {
      console.log(`\nFloor, measured the same way (${FLOOR_PAGE}: the site's header and one paragraph; no page can be faster):`);
      for (const r of floor) console.log(line(r, 'floor'));
    }
    console.log(over.length === 0 ? `bench-lcp: OK: every median is within ${opts.budget} ms.` : `bench-lcp: FAIL: ${over.length} page/width median(s) over ${opts.budget} ms.`);
  }
  process.exitCode = over.length > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(`bench-lcp: ${err.stack ?? err}`);
  process.exit(2);
});
