// temp: trace a fresh page's first recompute (one design) and sum the worker's GC and script time
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { openBenchPage, serveBenchPage } from './lib/bench-page.mjs';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const design = process.argv[2] ?? 'vlan';
const ENTRY = `
let w;
window.benchRun = (racks, vms, limit, d) => new Promise((res) => { w ??= new Worker('./worker.js', { type: 'module' }); const t0 = performance.now(); w.onmessage = ({ data }) => { if (data.ok) res(performance.now() - t0); }; w.postMessage({ seq: 1, design: d, racks, vms, limit }); });`;
const dir = mkdtempSync(join(tmpdir(), 'tt-'));
const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: false, write: false, logLevel: 'silent', define: { 'import.meta.env.SSR': 'false' } };
writeFileSync(join(dir, 'bench.js'), (await build({ ...common, stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'e.js', loader: 'js' } })).outputFiles[0].contents);
writeFileSync(join(dir, 'worker.js'), (await build({ ...common, entryPoints: [join(ROOT, 'src/scenarios/tor-worker.ts')] })).outputFiles[0].contents);
writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./bench.js"></script>');
const server = await serveBenchPage(dir);
const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu', ...(process.env.JSFLAGS ? ['--js-flags=' + process.env.JSFLAGS] : [])] });
for (let i = 0; i < Number(process.argv[3] ?? 2); i++) {
  const { context, page } = await openBenchPage(browser, `http://127.0.0.1:${server.address().port}/`);
  await browser.startTracing(page, { path: '/tmp/tt.json', categories: ['v8', 'disabled-by-default-v8.gc', 'devtools.timeline', 'v8.execute'] });
  const ms = await page.evaluate((d) => window.benchRun(100, 100, 16384, d), design);
  await browser.stopTracing();
  const ev = JSON.parse(readFileSync('/tmp/tt.json', 'utf8')).traceEvents;
  const names = new Map(); for (const e of ev) if (e.name === 'thread_name') names.set(e.pid + ':' + e.tid, e.args.name);
  const sums = new Map();
  for (const e of ev) { if (e.ph !== 'X' || !e.dur) continue; const t = names.get(e.pid + ':' + e.tid) ?? '?'; if (!/Worker|Dedicated/i.test(t)) continue; if (!/^(V8\.GC_|MajorGC|MinorGC|V8\.GCScavenger|V8\.GCFinalizeMC|V8\.GCIncrementalMarking|V8\.GC_MC_BACKGROUND|V8\.GC_SCAVENGER_SCAVENGE$|V8\.GC_MARK_COMPACTOR$)/.test(e.name)) continue; sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000); }
  const top = [...sums].filter(([k]) => /MARK_COMPACTOR$|SCAVENGER_SCAVENGE$|MC_INCREMENTAL$|MajorGC|MinorGC|MINOR_MS$|MC_BACKGROUND_MARKING|MINOR_MARK/.test(k)).map(([k, v]) => `${k}:${Math.round(v)}`);
  console.log(design, 'fresh', Math.round(ms), 'ms', top.join(' '));
  await context.close();
}
await browser.close(); server.close();
