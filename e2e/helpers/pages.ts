import { expect, type Page } from '@playwright/test';

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
