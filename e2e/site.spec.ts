// Site shell: home page, chapter pages, theme toggle, accessibility, small screens, privacy.
import type { Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { readdirSync } from 'node:fs';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { chapterPaths, scrollThrough } from './helpers/pages.ts';

const PLANNED = ['Why one VLAN per subnet', 'VLAN vs VXLAN', 'macvlan vs ipvlan vs bridge'];

async function theme(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('data-theme');
}

test.describe('home page', () => {
  test('lists the chapters and their links work', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveTitle('vnet-live');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('every chapter is built around live experiments')).toBeVisible();

    const link = page.locator('.chapter-list').getByRole('link', { name: 'Hub vs bridge' });
    await expect(link).toHaveAttribute('href', '/chapters/hub-vs-bridge/');
    await expect(page.locator('.chapter-list')).toContainText('Flooding versus MAC learning');
    await link.click();
    await expect(page).toHaveURL('/chapters/hub-vs-bridge/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hub vs bridge');
  });

  test('every listed chapter opens, with a table of contents and its own title', async ({ page }) => {
    await page.goto('/');
    const items = page.locator('.chapter-list > li');
    const count = await items.count();
    const entries: { href: string; title: string }[] = [];
    for (let i = 0; i < count; i++) {
      const a = items.nth(i).getByRole('link');
      entries.push({ href: (await a.getAttribute('href')) ?? '', title: (await a.textContent())?.trim() ?? '' });
    }
    for (const { href, title } of entries) {
      expect(href).toMatch(/^\/chapters\/[a-z0-9-]+\/$/);
      const response = await page.goto(href);
      expect(response?.status(), href).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
      await expect(page.getByRole('link', { name: 'vnet-live' })).toHaveAttribute('href', '/');
    }
  });
});

test.describe('chapter page', () => {
  test('has a table of contents that links to its headings, and chapter navigation', async ({ page }) => {
    await page.goto('/chapters/hub-vs-bridge/');
    const toc = page.getByRole('navigation', { name: 'On this page' });
    await expect(toc).toBeVisible();
    const hrefs = await toc.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      expect(href).toMatch(/^#/);
      await expect(page.locator(`[id="${href!.slice(1)}"]`), `TOC target ${href}`).toHaveCount(1);
    }
  });

  test('unknown pages get the 404 page', async ({ page }) => {
    const response = await page.goto('/no-such-page/');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await expect(page.getByRole('link', { name: 'Go to the list of chapters' })).toHaveAttribute('href', '/');
  });

  test('the skip link is the first tab stop and moves focus to the content', async ({ page }) => {
    await page.goto('/chapters/hub-vs-bridge/');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#content$/);
    await expect(page.locator('main#content')).toBeFocused();
  });
});

test.describe('theme', () => {
  test('follows the OS preference by default', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/');
    expect(await theme(page)).toBe('dark');
    await expect(page.getByRole('button', { name: 'Switch to light theme', exact: true })).toBeVisible();

    await page.emulateMedia({ colorScheme: 'light' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect(page.getByRole('button', { name: 'Switch to dark theme', exact: true })).toBeVisible();
  });

  test('the toggle switches the theme and the choice persists across reloads and pages', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/');
    // The toggle says what it will do, and says the other thing once it has done it.
    const toggle = page.locator('[data-theme-toggle]');
    await expect(toggle).toHaveAccessibleName('Switch to dark theme');
    await expect(toggle.getByText('Switch to dark theme')).toBeVisible();
    await expect(toggle).not.toHaveAttribute('aria-pressed');
    expect(await theme(page)).toBe('light');
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

    await toggle.click();
    await expect(toggle).toHaveAccessibleName('Switch to light theme');
    await expect(toggle.getByText('Switch to light theme')).toBeVisible();
    await expect(toggle).toBeFocused();
    expect(await theme(page)).toBe('dark');
    const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(darkBg).not.toBe(lightBg);

    await page.reload();
    expect(await theme(page)).toBe('dark');
    await expect(toggle).toHaveAccessibleName('Switch to light theme');

    await page.goto('/chapters/hub-vs-bridge/');
    expect(await theme(page)).toBe('dark');

    // The stored choice wins over the OS preference.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    expect(await theme(page)).toBe('dark');

    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await page.reload();
    expect(await theme(page)).toBe('light');
    await expect(toggle).toHaveAccessibleName('Switch to dark theme');
  });

  test('code blocks switch to the dark Shiki colours', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/chapters/hub-vs-bridge/');
    const pre = page.locator('pre.astro-code').first();
    await expect(pre).toBeVisible();
    const [bg, darkBg] = await pre.evaluate((el) => [
      getComputedStyle(el).backgroundColor,
      getComputedStyle(el).getPropertyValue('--shiki-dark-bg').trim(),
    ]);
    expect(darkBg).not.toBe('');
    expect(bg).not.toBe('rgb(255, 255, 255)');
  });
});

// One walk per page, each page its own test so that the workers share them: the page is loaded and
// scrolled through once (every island hydrates), then checked for foreign requests, with axe in the
// light and the dark theme (the theme follows the OS preference live), and at 360 px.
const PAGES = ['/', ...readdirSync(new URL('../content/chapters/', import.meta.url)).filter((f) => f.endsWith('.mdx')).map((f) => `/chapters/${f.replace(/\.mdx$/, '')}/`), '/no-such-page/'];

// Both read the home page's two lists.
test('the home page lists every chapter of content/chapters; "coming next" lists, as plain text, only planned chapters that do not exist yet', async ({ page }) => {
  await test.step('the home page lists every chapter of content/chapters', async () => {
    expect([...(await chapterPaths(page))].sort()).toEqual(PAGES.filter((p) => p.startsWith('/chapters/')).sort());
  });
  await test.step('"coming next" lists, as plain text, only planned chapters that do not exist yet', async () => {
    const listed = (await page.locator('.chapter-list a').allTextContents()).map((t) => t.trim());
    const coming = (await page.locator('.coming-next li').allTextContents()).map((t) => t.trim());
    for (const title of coming) {
      expect(PLANNED, `"${title}" is a planned chapter`).toContain(title);
      expect(listed, `"${title}" is listed as coming although it exists`).not.toContain(title);
    }
    // Four chapters are planned: each is either written (listed) or announced.
    expect(listed.length + coming.length).toBeGreaterThanOrEqual(4);
    await expect(page.locator('.coming-next a')).toHaveCount(0);
  });
});

for (const path of PAGES) {
  test(`${path}: no request leaves 127.0.0.1; axe (WCAG 2.1 A/AA) is clean in the light theme and its colour rules in the dark one; no horizontal scrolling at 360 px`, async ({ page }) => {
    test.setTimeout(120_000);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(path);
    expect(await theme(page)).toBe('light');
    await scrollThrough(page);

    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter((url) => {
      const { protocol, hostname } = new URL(url);
      if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return false;
      return hostname !== '127.0.0.1';
    });
    expect(foreign, `requests to other hosts:\n${foreign.join('\n')}`).toEqual([]);

    await expectNoAxeViolations(page, { label: `${path} (light)` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectNoAxeViolations(page, { rules: COLOUR_RULES, label: `${path} (dark)` });

    await page.setViewportSize({ width: 360, height: 740 });
    await expect
      .poll(() => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth), {
        message: `${path}: the page is wider than 360 px`,
      })
      .toBeLessThanOrEqual(0);
  });
}
