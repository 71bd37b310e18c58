import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import { openBenchPage, serveBenchPage } from './lib/bench-page.mjs';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const design = process.argv[2] ?? 'vlan';
const WORKER = `import { startTor, torScenario } from './src/scenarios/tor';
self.onmessage = ({ data }) => { const out = [];
 for (let i = 0; i < data.times; i++) { const t0 = performance.now(); const sc = torScenario(data.design, 100, 100, 16384); const t1 = performance.now(); const r = startTor(data.design, 100, 100, 16384); const t2 = performance.now(); r.advance(Infinity); const t3 = performance.now();
 out.push('scenario ' + Math.round(t1 - t0) + ' scenario+build ' + Math.round(t2 - t1) + ' run ' + Math.round(t3 - t2)); }
 self.postMessage(out); };`;
const ENTRY = `window.benchRun = (d, times) => new Promise((res) => { const w = new Worker('./worker.js', { type: 'module' }); w.onmessage = ({ data }) => res(data); w.postMessage({ design: d, times }); });`;
const dir = mkdtempSync(join(tmpdir(), 'tp-'));
const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'silent', define: { 'import.meta.env.SSR': 'false' } };
writeFileSync(join(dir, 'bench.js'), (await build({ ...common, stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: 'e.js', loader: 'js' } })).outputFiles[0].contents);
writeFileSync(join(dir, 'worker.js'), (await build({ ...common, stdin: { contents: WORKER, resolveDir: ROOT, sourcefile: 'w.ts', loader: 'ts' } })).outputFiles[0].contents);
writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./bench.js"></script>');
const server = await serveBenchPage(dir);
const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu', ...(process.env.JSFLAGS ? ['--js-flags=' + process.env.JSFLAGS] : [])] });
for (let i = 0; i < Number(process.argv[3] ?? 2); i++) {
  const { context, page } = await openBenchPage(browser, `http://127.0.0.1:${server.address().port}/`);
  console.log(design, await page.evaluate(([d, n]) => window.benchRun(d, n), [design, Number(process.argv[4] ?? 3)]));
  await context.close();
}
await browser.close(); server.close();
