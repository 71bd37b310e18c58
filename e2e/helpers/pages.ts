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
 * Scrolls to the bottom in small steps so that every client:visible island hydrates,
 * then waits for the network to go quiet.
 */
export async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const step = Math.max(200, Math.floor(window.innerHeight / 2));
    for (let y = 0; y <= document.documentElement.scrollHeight; y += step) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 50));
    }
    window.scrollTo(0, document.documentElement.scrollHeight);
  });
  await page.waitForLoadState('networkidle');
}
