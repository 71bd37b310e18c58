// Astro configuration: static output, MDX chapters, Preact islands, and the Content-Security-Policy.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import * as pagefind from 'pagefind';
import { transformSync } from 'esbuild';
import { THEME_SCRIPT } from './src/components/theme-script.mjs';
import { precompress } from './scripts/lib/precompress.mjs';
import { SCROLL_TO_SHARED } from './src/widgets/scroll-to-shared.ts';

const sha256 = (text) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

// Content-Security-Policy (issue 8). The site is static, so Astro writes the policy into every
// page as <meta http-equiv="content-security-policy"> at the top of the <head> content it renders;
// its script-src and style-src carry the hashes of the inline scripts and <style> elements Astro
// itself emits (island runtime, client:visible directive, inlined CSS, the injected theme script).
// A <meta> policy cannot carry frame-ancestors, report-to/report-uri or sandbox (browsers ignore
// them there): a host that can send headers should add `Content-Security-Policy: frame-ancestors
// 'none'` (or X-Frame-Options: DENY) against framing, and reporting if wanted.
const csp = {
  algorithm: 'SHA-256',
  directives: [
    "default-src 'self'",
    // Nothing is fetched at run time; 'self' keeps Vite's module preloads working.
    "connect-src 'self'",
    // The favicon; no image is drawn from data: or blob: URLs (Export downloads through a blob:
    // link, which is a navigation, not a fetch, and no fetch directive governs it).
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ],
  scriptDirective: {
    // 'self' for the bundled modules (islands, edit mode's import()); hashes for the inline ones.
    // Never 'unsafe-inline' nor 'unsafe-eval': nothing here evaluates strings. 'wasm-unsafe-eval'
    // lets the search (Pagefind, loaded on first use) compile its WebAssembly, fetched from
    // 'self'; it allows no string evaluation.
    resources: ["'self'", "'wasm-unsafe-eval'"],
    // Astro hashes what it emits, but not the script each ScenarioPlayer renders inside its own
    // server HTML: that one is added here, from the same constant.
    hashes: [sha256(SCROLL_TO_SHARED)],
  },
  styleDirective: {
    // style-src keeps Astro's default 'self' (the bundled stylesheets) plus the hashes Astro adds.
    resources: [
      // style="" attributes are allowed one by one, by hash: Shiki colours every code token with
      // one (light and dark colours as custom properties), and src/layouts/ChapterLayout.astro
      // adds the hash of each distinct value on its page (a handful). Any other style attribute,
      // e.g. in injected HTML, is refused. Styles that D3 transitions and Preact set from script
      // go through the CSSOM (element.style), which CSP does not govern.
      // (So Astro's build warning that Shiki's inline styles are not CSP-compatible is handled.)
      { resource: "'unsafe-hashes'", kind: 'attribute' },
    ],
  },
};

/**
 * Injects the theme script into every page's <head>, after the CSP <meta> (a <meta> policy covers
 * only what follows it) and with its hash in script-src; then, after the build, allows the
 * stylesheets Astro inlined into each page's <head> by their hashes (allowHeadStyles), reads every
 * page back and fails the build if a page lacks exactly one policy, if script-src allows inline or eval,
 * or if any inline <script>, <style> element or style attribute is not allowed by its hash (a changed inline
 * script would otherwise only show up as a blocked script in a reader's console).
 */
function strictCsp() {
  return {
    name: 'vnet-strict-csp',
    hooks: {
      'astro:config:setup': ({ injectScript }) => {
        injectScript('head-inline', transformSync(THEME_SCRIPT, { minify: true, target: 'es2018' }).code);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const problems = [];
        let pages = 0;
        for (const file of await htmlFiles(root)) {
          pages++;
          const name = file.slice(root.length - 1);
          const built = await readFile(file, 'utf8');
          const html = allowHeadStyles(built);
          if (html !== built) await writeFile(file, html);
          for (const problem of cspProblems(html)) problems.push(`${name}: ${problem}`);
        }
        if (problems.length > 0) throw new Error(`Content-Security-Policy check failed:\n  ${problems.join('\n  ')}`);
        logger.info(`every inline script and style of ${pages} pages is allowed by its page's CSP hash`);
      },
    },
  };
}

/**
 * The page scripts Astro bundles into files of their own from components' <script> tags (those that
 * import something; it inlines the small ones without imports): the copy buttons and Try it's form
 * (ChapterLayout.astro), the search box's opener, the share-link notice. They start after the first
 * paint: every `<script type="module" src="/_astro/…">` becomes `<script type="vnet/after-paint"
 * src="…">`, a type no browser fetches or runs, and the theme script (src/components/theme-script.mjs)
 * starts each as a module once the document is parsed and its first contentful paint reported.
 * Chrome fetches module scripts at High priority, and on a small page they could finish loading
 * before the first paint; Lighthouse then put them on the way to it (scripts/bench-lighthouse.mjs
 * has the measurements). Islands load their code through import() from Astro's island script, not
 * through these tags. (An attribute on a component's <script> would make Astro leave it unbundled,
 * is:inline.)
 */
function afterPaintScripts() {
  return {
    name: 'vnet-after-paint-scripts',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        let scripts = 0;
        for (const file of await htmlFiles(fileURLToPath(dir))) {
          const html = await readFile(file, 'utf8');
          const marked = html.replace(/<script type="module" src="(\/_astro\/[^"]+\.js)">/g, (_, src) => {
            scripts++;
            return `<script type="vnet/after-paint" src="${src}">`;
          });
          if (marked !== html) await writeFile(file, marked);
        }
        // None found: Astro writes them another way now, and they would load before the first paint again.
        if (scripts === 0) throw new Error('afterPaintScripts: no <script type="module" src="/_astro/…"> in any page');
        logger.info(`${scripts} page scripts start after the first paint`);
      },
    },
  };
}

/**
 * The offline search index (issue 10): after the build, Pagefind reads every built chapter (the
 * pages whose <article> carries data-pagefind-body) and writes its index and its search script to
 * dist/pagefind/, where src/components/search-ui.ts loads them on first use. Part of `astro build`
 * itself, so `npm run build`, `npm start`, `npm test` and CI all get it. Left out of the index: what
 * is not the chapter's prose (table of contents, chapter list, previous/next links, the "#" of
 * heading anchors) and what repeats or is not text to find (the players' and widgets' server HTML,
 * the glossary tooltips, which say the same on every page).
 */
function searchIndex() {
  return {
    name: 'vnet-search-index',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        try {
          const { index, errors } = await pagefind.createIndex({
            excludeSelectors: ['astro-island', '.toc', '.sidebar', '.chapter-nav', '.heading-anchor', '.term__tip'],
          });
          if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
          const added = await index.addDirectory({ path: root });
          if (added.errors.length > 0) throw new Error(`Pagefind could not index the site: ${added.errors.join('; ')}`);
          if (added.page_count === 0) throw new Error('Pagefind found no page to index (no data-pagefind-body?)');
          const written = await index.writeFiles({ outputPath: join(root, 'pagefind') });
          if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join('; ')}`);
          logger.info(`search index: ${added.page_count} pages written to pagefind/`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}

/**
 * Brotli and gzip copies of every text file of the built site, beside it (scripts/lib/precompress.mjs
 * says why), for scripts/serve.mjs (`npm start`, the browser tests) to send. Last: after every other
 * step that writes into dist/ (the policy check above rewrites pages; Pagefind writes its files).
 */
function precompressed() {
  return {
    name: 'vnet-precompress',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const { files, before, after } = await precompress(fileURLToPath(dir));
        logger.info(`brotli and gzip copies of ${files} files: ${Math.round(before / 1024)} KB, ${Math.round(after / 1024)} KB at the smallest`);
      },
    },
  };
}

async function htmlFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
}

const decode = (s) =>
  s.replace(/&#39;|&#x27;|&quot;|&lt;|&gt;|&amp;/g, (e) => ({ '&#39;': "'", '&#x27;': "'", '&quot;': '"', '&lt;': '<', '&gt;': '>', '&amp;': '&' })[e]);

/**
 * The page with every <style> element of its <head> allowed by its hash in style-src. Those are
 * the stylesheets Astro inlined (build.inlineStylesheets): it hashes the layout's, but not those
 * of components used in content-collection MDX (the player's, the editor's, the living room's).
 * A <style> anywhere else in the page is not allowed here, so the check below still catches one.
 */
function allowHeadStyles(html) {
  const headEnd = html.indexOf('</head>');
  const meta = /<meta\s[^>]*http-equiv="content-security-policy"[^>]*>/i.exec(html);
  if (headEnd < 0 || !meta) return html;
  const hashes = [...html.slice(0, headEnd).matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => `'${sha256(m[1])}'`);
  const content = /\scontent="([^"]*)"/.exec(meta[0]);
  if (!content) return html;
  const directives = content[1].split(';').map((directive) => {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name?.toLowerCase() !== 'style-src' && name?.toLowerCase() !== 'style-src-elem') return directive;
    const known = new Set(sources.map(decode));
    const missing = hashes.filter((h) => !known.has(h));
    return missing.length === 0 ? directive : `${directive.trimEnd()} ${missing.join(' ')}`;
  });
  const policy = directives.join(';');
  if (policy === content[1]) return html;
  const rewritten = meta[0].replace(content[0], ` content="${policy}"`);
  return html.slice(0, meta.index) + rewritten + html.slice(meta.index + meta[0].length);
}

/** What is wrong with the policy of one built page, in words; empty when nothing is. */
function cspProblems(html) {
  const metas = [...html.matchAll(/<meta\s[^>]*http-equiv="content-security-policy"[^>]*>/gi)];
  if (metas.length !== 1) return [`${metas.length} CSP <meta> elements, expected exactly 1`];
  const content = decode(/\scontent="([^"]*)"/.exec(metas[0][0])?.[1] ?? '');
  const policy = new Map();
  for (const directive of content.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), sources);
  }
  const problems = [];
  const scriptSources = policy.get('script-src-elem') ?? policy.get('script-src') ?? [];
  const styleSources = policy.get('style-src-elem') ?? policy.get('style-src') ?? [];
  for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'"]) {
    if ([...(policy.get('script-src') ?? []), ...scriptSources].includes(unsafe)) problems.push(`script-src allows ${unsafe}`);
  }
  if (html.indexOf(metas[0][0]) > html.search(/<script|<style/i)) problems.push('an inline script or style comes before the CSP <meta>');
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc=/i.test(attrs) || /\stype="application\/(ld\+)?json"/i.test(attrs)) continue;
    if (!scriptSources.includes(`'${sha256(body)}'`)) problems.push(`inline script not in script-src: ${body.slice(0, 80)}`);
  }
  for (const [, body] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    if (!styleSources.includes(`'${sha256(body)}'`)) problems.push(`<style> not in style-src: ${body.slice(0, 80)}`);
  }
  const attributeSources = policy.get('style-src-attr') ?? styleSources;
  for (const [, value] of html.matchAll(/<[a-zA-Z][^>]*?\sstyle="([^"]*)"/g)) {
    if (!attributeSources.includes(`'${sha256(decode(value))}'`)) problems.push(`style attribute not in style-src-attr: ${value.slice(0, 80)}`);
  }
  return problems;
}

export default defineConfig({
  site: 'http://127.0.0.1:4321',
  output: 'static',
  trailingSlash: 'always',
  integrations: [mdx(), preact(), strictCsp(), afterPaintScripts(), searchIndex(), precompressed()],
  security: { csp },
  build: {
    // Every stylesheet inlined as <style> in the page's <head> (issue 10): the first paint waits
    // for no stylesheet request, which on a slow network was most of the Largest Contentful Paint
    // (`npm run bench:lcp`). Astro does not hash the stylesheets of components used in
    // content-collection MDX (the player's, the editor's), so strictCsp() allows them by hash.
    inlineStylesheets: 'always',
  },
  markdown: {
    shikiConfig: {
      // The *-default variants keep every token colour at WCAG AA contrast (>= 4.5:1) on
      // their own background; github-light/github-dark do not (orange #e36209, comments #6a737d).
      // Dark mode is applied by src/styles/global.css from the --shiki-dark* variables.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
    },
  },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
});
