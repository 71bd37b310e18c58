import { expect, type Page } from '@playwright/test';
import { drawingProblems } from './drawing.ts';

/** Paths of every chapter linked from the home page's chapter list, e.g. /chapters/hub-vs-bridge/. */
export async function chapterPaths(page: Page): Promise<string[]> {
  await page.goto('/');
  const hrefs = await page
    .locator('.chapter-list a')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.length, 'the home page lists at least one chapter').toBeGreaterThan(0);
  return hrefs;
}

/**
 * Scrolls to the bottom a viewport at a time, so that every part of the page is in view once and
 * every client:visible island hydrates, then waits until they all have (Astro removes an island's
 * `ssr` attribute then) and the network is quiet. Two frames per stop let IntersectionObserver see
 * each one; scrolling is instant, whatever the page's CSS says. Waits on the page's state, not on time.
 */
export async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let y = 0, guard = 0; guard < 400; guard++) {
      window.scrollTo({ top: y, behavior: 'instant' });
      await frame();
      const bottom = document.documentElement.scrollHeight - window.innerHeight;
      if (y >= bottom) break;
      y = Math.min(y + window.innerHeight, bottom);
    }
  });
  await expect(page.locator('astro-island[ssr]'), 'every island hydrates once the page has been scrolled through').toHaveCount(0);
  await page.waitForLoadState('networkidle');
}

/**
 * What every page must be, whatever the reader does on it, checked in one visit (a chapter page is
 * checked by its own spec's axe test, which loads it anyway; site.spec.ts checks the others):
 * - it asks nothing of any host but 127.0.0.1 (call `pageChecks` before the page is opened, and
 *   `localOnly` at the end of the test, so that the requests of everything the test did count);
 * - every drawing as rendered at 1280 px, then at 360 px (each player switches to the layout for a
 *   phone): no label on another or on a box, no text under 12 px, none scrolls sideways, and the
 *   page is no wider than 360 px. `drawings` puts the viewport back to where it was.
 */
export function pageChecks(page: Page): { drawings: (path: string) => Promise<void>; localOnly: () => void; scriptsAfterPaint: (path: string) => Promise<void> } {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  return {
    async drawings(path) {
      const before = page.viewportSize() ?? { width: 1280, height: 720 };
      const players = await page.locator('section.vp').count();
      const drawn = await drawingProblems(page);
      expect(drawn.drawings, `${path}: one drawing per player`).toBe(players);
      expect(drawn.problems, `${path} at ${before.width} px`).toEqual([]);
      if (players > 0) expect(drawn.labels, `${path}: labels read`).toBeGreaterThan(players * 4);

      await page.setViewportSize({ width: 360, height: 740 });
      await expect
        .poll(() => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth), {
          message: `${path}: the page is wider than 360 px`,
        })
        .toBeLessThanOrEqual(0);
      if (players > 0) await expect(page.locator('.vp-svg-wrap--narrow, .vp-svg-wrap--wide')).toHaveCount(0);
      await expect.poll(async () => (await drawingProblems(page)).problems, { message: `${path} at 360 px` }).toEqual([]);
      expect((await drawingProblems(page)).labels, `${path}: the same labels at 360 px`).toBe(drawn.labels);
      await page.setViewportSize(before);
    },
    async scriptsAfterPaint(path) {
      // The page's own scripts (the build marks them, the theme script starts them: astro.config.mjs,
      // afterPaintScripts()) are fetched after the first contentful paint, and every one is started.
      const seen = await page.evaluate(() => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        scripts: performance
          .getEntriesByType('resource')
          .filter((entry) => /^\/_astro\/[^/]*astro_type_script[^/]*\.js$/.test(new URL(entry.name).pathname))
          .map((entry) => ({ path: new URL(entry.name).pathname, start: entry.startTime })),
        waiting: document.querySelectorAll('script[type="vnet/after-paint"]').length,
      }));
      expect(seen.paint, `${path}: a first contentful paint`).not.toBeNull();
      expect(seen.scripts.length, `${path}: its page scripts loaded`).toBeGreaterThan(0);
      expect(seen.waiting, `${path}: page scripts never started`).toBe(0);
      for (const script of seen.scripts) expect(script.start, `${path}: ${script.path} was fetched before the first paint`).toBeGreaterThanOrEqual(seen.paint!);
    },
    localOnly() {
      expect(requests.length).toBeGreaterThan(0);
      const foreign = requests.filter((url) => {
        const { protocol, hostname } = new URL(url);
        if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return false;
        return hostname !== '127.0.0.1';
      });
      expect(foreign, `requests to other hosts:\n${foreign.join('\n')}`).toEqual([]);
    },
  };
}

/**
 * Holds every request for a script whose path matches `path` until the returned `release` is
 * called: what a reader on a slow connection gets while a chunk (an island's, the core) is on its way.
 */
export async function holdScripts(page: Page, path: RegExp): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route((url) => path.test(url.pathname), async (route) => {
    await held;
    await route.continue();
  });
  return release;
}
