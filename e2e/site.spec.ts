// Site shell: home page, chapter pages, theme toggle, accessibility, small screens, privacy.
import type { Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { chapterPaths, pageChecks, scrollThrough } from './helpers/pages.ts';

const PLANNED = ['Why one VLAN per subnet', 'VLAN vs VXLAN', 'macvlan vs ipvlan vs bridge', 'Side by side'];

async function theme(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('data-theme');
}

// The chapters' HTML as built: the players' scripts would only cost time here (each chapter's own
// spec runs them).
test.describe('home page, without scripts', () => {
  test.use({ javaScriptEnabled: false });

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
      await expect(page.getByRole('navigation', { name: 'On this page' }).getByRole('link').first()).toBeVisible();
      await expect(page.getByRole('link', { name: 'vnet-live' })).toHaveAttribute('href', '/');
    }
  });
});

test.describe('chapter page', () => {
  test('has a table of contents that links to its headings and follows the reader, heading anchors, and code blocks that scroll and copy', async ({ page, context, browser }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/chapters/hub-vs-bridge/');
    const toc = page.getByRole('navigation', { name: 'On this page' });
    await expect(toc).toBeVisible();
    const hrefs = await toc.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      expect(href).toMatch(/^#/);
      await expect(page.locator(`[id="${href!.slice(1)}"]`), `TOC target ${href}`).toHaveCount(1);
    }
    const current = toc.locator('a[aria-current="location"]');

    await test.step('every h2 and h3 of the chapter has a "#" link to itself, shown on keyboard focus', async () => {
      const headings = page.locator('.prose').locator('h2, h3');
      const count = await headings.count();
      expect(count).toBe(hrefs.length);
      for (let i = 0; i < count; i++) {
        const heading = headings.nth(i);
        const [id, text] = await heading.evaluate((h) => [h.id, h.textContent ?? '']);
        const anchor = page.getByRole('link', { name: `Link to section: ${text}`, exact: true });
        await expect(anchor, `the anchor of "${text}"`).toHaveAttribute('href', `#${id}`);
      }
      // Keyboard: the Tab after the table of contents' last link is the first heading's anchor.
      const anchor = page.getByRole('link', { name: 'Link to section: Two computers need one cable', exact: true });
      await expect(anchor).toHaveCSS('opacity', '0');
      await toc.getByRole('link').last().focus();
      await page.keyboard.press('Tab');
      await expect(anchor).toBeFocused();
      await expect(anchor).toHaveCSS('opacity', '1');
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/#two-computers-need-one-cable$/);
      await expect(page.locator('#two-computers-need-one-cable')).toBeInViewport();
      // Which also marks its section in the table of contents.
      await expect(current).toHaveCount(1);
      await expect(current).toHaveText('Two computers need one cable');
    });

    await test.step('scrolling to a section marks it (and only it) in the table of contents', async () => {
      await toc.getByRole('link', { name: 'Forgetting: ageing' }).click();
      await expect(current).toHaveCount(1);
      await expect(current).toHaveText('Forgetting: ageing');
      // Back up by wheel, as a reader would, until "Side by side" (an h3) is at the top.
      const top = await page.locator('#side-by-side').evaluate((h) => h.getBoundingClientRect().top);
      await page.mouse.move(400, 400);
      await page.mouse.wheel(0, top - 40);
      await expect(current).toHaveText('Side by side');
      await expect(current).toHaveCount(1);
      await expect(current).toHaveCSS('font-weight', '700');
      // At the very end of a tall window, the last section is marked even though it is too short
      // to reach the top of the window.
      await page.setViewportSize({ width: 1280, height: 1000 });
      await page.keyboard.press('End');
      await expect(current).toHaveText('What the simulator leaves out');
      await page.setViewportSize({ width: 1280, height: 720 });
    });

    await test.step('no code block cuts its lines off, at 1280 px nor at 360 px: long lines wrap', async () => {
      const overflowing = () =>
        page.locator('.prose pre').evaluateAll((pres) =>
          pres.filter((pre) => pre.scrollWidth > pre.clientWidth || pre.getBoundingClientRect().right > document.documentElement.clientWidth).length,
        );
      expect(page.viewportSize()?.width).toBe(1280);
      expect(await overflowing()).toBe(0);
      // The longest line of the chapter wraps rather than running out of its block.
      const line = page.locator('.prose pre .line', { hasText: 'ageing_time 1000' });
      await expect.poll(() => line.evaluate((el) => el.getClientRects().length === 1 && el.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(el).lineHeight))).toBe(true);
      await page.setViewportSize({ width: 360, height: 740 });
      await expect.poll(overflowing).toBe(0);
      await page.setViewportSize({ width: 1280, height: 720 });
    });

    await test.step('the Copy button copies the code block and says so, politely', async () => {
      const block = page.locator('.code-block').first();
      // The button's name changes with its state: find it by its place, then check its name.
      const copy = block.getByRole('button');
      await expect(copy).toHaveAccessibleName('Copy');
      await copy.click();
      await expect(copy).toHaveText('Copied');
      await expect(page.getByRole('status').filter({ hasText: 'Copied to the clipboard' })).toHaveCount(1);
      const code = await block.locator('pre').evaluate((pre) => pre.textContent!.replace(/\n$/, ''));
      expect(code).toContain('ip link add br0 type bridge');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
      await expectNoAxeViolations(page, { include: '.toc, .code-block', label: 'table of contents and a copied code block (light)' });
      await page.emulateMedia({ colorScheme: 'dark' });
      await copy.click();
      await expect(copy).toHaveText('Copied');
      await expectNoAxeViolations(page, { include: '.toc, .code-block', rules: COLOUR_RULES, label: 'table of contents and a copied code block (dark)' });
      await expect(copy, 'and it goes back to Copy').toHaveText('Copy');
    });

    await test.step('without scripts: the table of contents and anchors are plain links, and there is no Copy button', async () => {
      const noJs = await browser.newContext({ javaScriptEnabled: false });
      const plain = await noJs.newPage();
      await plain.goto('/chapters/hub-vs-bridge/');
      await expect(plain.getByRole('navigation', { name: 'On this page' }).getByRole('link')).toHaveCount(hrefs.length);
      await expect(plain.getByRole('link', { name: /^Link to section: / })).toHaveCount(hrefs.length);
      await expect(plain.locator('.code-block').first()).toBeVisible();
      await expect(plain.getByRole('button', { name: 'Copy' })).toHaveCount(0);
      // The chapter list is shown unfolded, and the search (which needs scripts) is not offered.
      await plain.setViewportSize({ width: 360, height: 740 });
      await expect(plain.getByRole('navigation', { name: 'Chapters' }).getByRole('link')).toHaveCount(5);
      await expect(plain.getByRole('navigation', { name: 'Chapters' }).getByRole('link').first()).toBeVisible();
      await expect(plain.getByRole('searchbox')).toBeHidden();
      await noJs.close();
    });
  });

  test('docs shell: the skip link, the chapter sidebar, offline search ("ageing", "trunk") and glossary terms, by keyboard, at 1280 and 360 px, axe-clean in both themes', async ({ page }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/chapters/hub-vs-bridge/');

    await test.step('the skip link is the first tab stop and moves focus to the content', async () => {
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to content' });
      await expect(skip).toBeFocused();
      await expect(skip).toBeInViewport();
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL(/#content$/);
      await expect(page.locator('main#content')).toBeFocused();
    });
    const sidebar = page.getByRole('navigation', { name: 'Chapters' });

    await test.step('the sidebar lists every chapter in order, marks the current one, and the planned ones are not links', async () => {
      const items = sidebar.getByRole('listitem');
      expect((await items.allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
        '1 Hub vs bridge',
        '2 Why one VLAN per subnet',
        '3 VLAN vs VXLAN',
        '4 macvlan vs ipvlan vs bridge',
        '5 Side by side',
      ]);
      await expect(sidebar.getByRole('link')).toHaveCount(5);
      await expect(sidebar.getByRole('link', { name: 'Hub vs bridge' })).toHaveAttribute('aria-current', 'page');
      await expect(sidebar.getByRole('link', { name: 'Why one VLAN per subnet' })).toHaveAttribute('href', '/chapters/one-vlan-per-subnet/');
      await expect(sidebar.getByRole('link', { name: 'Why one VLAN per subnet' })).not.toHaveAttribute('aria-current');
      // At 1280 px it is a column beside the chapter: no disclosure button.
      await expect(sidebar.getByRole('button')).toBeHidden();
      await expect(sidebar.getByRole('link', { name: 'Hub vs bridge' })).toBeVisible();
    });

    const field = page.getByRole('searchbox', { name: 'Search the chapters' });
    const results = page.locator('#site-search-results');
    const status = page.locator('[data-search-status]');
    const pagefindRequests = () => page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/pagefind/')).length);

    await test.step('search: nothing of it loads with the page; "/" opens it, "ageing" finds the ageing section, ↓ and Enter go there', async () => {
      expect(await pagefindRequests(), 'Pagefind loads on first use, not with the page').toBe(0);
      await page.locator('h1').click();
      await page.keyboard.press('/');
      await expect(field).toBeFocused();
      await page.keyboard.type('ageing');
      const section = results.getByRole('link', { name: /^Forgetting: ageing/ });
      await expect(section).toBeVisible();
      await expect(section).toHaveAttribute('href', '/chapters/hub-vs-bridge/#forgetting-ageing');
      await expect(section.locator('mark').first()).toHaveText(/ageing/i);
      await expect(status).toHaveText(/found for “ageing”/);
      expect(await pagefindRequests()).toBeGreaterThan(0);
      await expectNoAxeViolations(page, { include: '.site-search', label: 'search results for "ageing" (light)' });
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await expectNoAxeViolations(page, { include: '.site-search', rules: COLOUR_RULES, label: 'search results for "ageing" (dark)' });
      await page.emulateMedia({ colorScheme: 'light' });
      // The keyboard: ↓ from the field to the first result; Escape closes the list and comes back.
      await page.keyboard.press('ArrowDown');
      await expect(results.getByRole('link').first()).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(field).toBeFocused();
      await expect(results).toBeHidden();
      // ↓ opens the list again, on its first result; ↓ ↑ move through it.
      await page.keyboard.press('ArrowDown');
      await expect(results.getByRole('link').first()).toBeFocused();
      for (let i = 0; i < 20 && !(await section.evaluate((a) => a === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
      await expect(section).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page).toHaveURL('/chapters/hub-vs-bridge/#forgetting-ageing');
      await expect(page.locator('#forgetting-ageing')).toBeInViewport();
    });

    await test.step('search at 360 px: "trunk" finds the VLAN chapters\' trunk sections, and only the chapters that speak of trunks (the closing table\'s VLAN row does)', async () => {
      await page.setViewportSize({ width: 360, height: 740 });
      await field.fill('trunk');
      const chapters = results.locator('.site-search__page');
      await expect(chapters).toHaveText(['Why one VLAN per subnet', 'Side by side', 'VLAN vs VXLAN']);
      const section = results.getByRole('link', { name: /^The fix: one subnet per VLAN, and a router on a stick/ });
      await expect(section).toHaveAttribute('href', '/chapters/one-vlan-per-subnet/#the-fix-one-subnet-per-vlan-and-a-router-on-a-stick');
      const box = (await results.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      await section.click();
      await expect(page).toHaveURL(/\/chapters\/one-vlan-per-subnet\/#the-fix-one-subnet-per-vlan-and-a-router-on-a-stick$/);
      await expect(page.getByRole('heading', { name: 'The fix: one subnet per VLAN, and a router on a stick' })).toBeInViewport();
    });

    await test.step('the sidebar at 360 px is a disclosure, folded from the first paint, that opens and folds by keyboard', async () => {
      const toggle = sidebar.getByRole('button', { name: /^Chapters/ });
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await expect(sidebar.getByRole('link')).toHaveCount(0);
      await toggle.focus();
      await page.keyboard.press('Enter');
      await expect(toggle).toHaveAttribute('aria-expanded', 'true');
      const current = sidebar.getByRole('link', { name: 'Why one VLAN per subnet' });
      await expect(current).toHaveAttribute('aria-current', 'page');
      await page.keyboard.press('Tab');
      await expect(sidebar.getByRole('link', { name: 'Hub vs bridge' })).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(toggle).toBeFocused();
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await expect(sidebar.getByRole('link')).toHaveCount(0);
    });

    await test.step('a glossary term shows its definition on keyboard focus and hover; Escape hides it until focus moves', async () => {
      const term = page.locator('dfn', { hasText: 'trunk port' });
      const tip = page.getByRole('tooltip').filter({ hasText: 'Trunk port:' });
      await expect(tip).toBeHidden();
      await expect(term).toHaveAccessibleDescription(/^Trunk port: A switch port that carries several VLANs/);
      await term.focus();
      await expect(tip).toBeVisible();
      // At 360 px it stays inside the page.
      const box = (await tip.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
      await expectNoAxeViolations(page, { include: '.prose li:has(dfn[data-term="trunk"])', label: 'a glossary tooltip open (light)' });
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await expectNoAxeViolations(page, { include: '.prose li:has(dfn[data-term="trunk"])', rules: COLOUR_RULES, label: 'a glossary tooltip open (dark)' });
      await page.keyboard.press('Escape');
      await expect(tip).toBeHidden();
      await expect(term).toBeFocused();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      await expect(term).toBeFocused();
      await expect(tip).toBeVisible();
      await term.blur();
      await expect(tip).toBeHidden();
      // Hover shows it, and moving onto the tooltip keeps it (it can be read and selected).
      // After the resize the players lay themselves out again for the new width a moment later, and
      // the text below them moves under a resting pointer: the term loses :hover and the tooltip
      // hides (on a busy machine hover() on the tooltip once waited for it until the test's time
      // ran out, and with a timeout failed with "element is not visible"). So the pair of hovers is
      // made again until both hold, each time with the term in the middle of the screen.
      await page.setViewportSize({ width: 1280, height: 720 });
      await expect(async () => {
        await term.evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
        await term.hover({ timeout: 5_000 });
        await expect(tip).toBeVisible({ timeout: 1_000 });
        await tip.hover({ timeout: 5_000 });
        await expect(tip).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 45_000 });
      await page.mouse.move(5, 5);
      await expect(tip).toBeHidden();
    });
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

// Every page of the site: the home page, each chapter (content/chapters) and a missing one.
const PAGES = ['/', ...readdirSync(new URL('../content/chapters/', import.meta.url)).filter((f) => f.endsWith('.mdx')).map((f) => `/chapters/${f.replace(/\.mdx$/, '')}/`), '/no-such-page/'];

// The home page and the 404 page, one visit each: what they show, then the checks every page gets
// (each chapter page gets them in its own spec's axe test, pageChecks, over the whole page after the
// reader has used its players): no request to another host, axe in the light theme and its colour
// rules in the dark one (the theme follows the OS preference live), no sideways scrolling at 360 px.
async function everyPageChecks(page: Page, path: string, checks: ReturnType<typeof pageChecks>): Promise<void> {
  await test.step('no request leaves 127.0.0.1; axe is clean in the light theme and its colour rules in the dark one; no horizontal scrolling at 360 px', async () => {
    expect(await theme(page)).toBe('light');
    await scrollThrough(page);
    await expectNoAxeViolations(page, { label: `${path} (light)` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectNoAxeViolations(page, { rules: COLOUR_RULES, label: `${path} (dark)` });
    await checks.drawings(path);
    checks.localOnly();
  });
  await test.step("the page's own scripts load after its first paint", () => checks.scriptsAfterPaint(path));
}

test('the home page lists every chapter of content/chapters and its links work; "coming next" lists, as plain text, only planned chapters that do not exist yet; the checks every page gets', async ({ page }) => {
  test.setTimeout(120_000);
  const checks = pageChecks(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await test.step('the home page lists every chapter of content/chapters', async () => {
    expect([...(await chapterPaths(page))].sort()).toEqual(PAGES.filter((p) => p.startsWith('/chapters/')).sort());
    await expect(page).toHaveTitle('vnet-live');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('every chapter is built around live experiments')).toBeVisible();
    await expect(page.locator('.chapter-list').getByRole('link', { name: 'Hub vs bridge' })).toHaveAttribute('href', '/chapters/hub-vs-bridge/');
    await expect(page.locator('.chapter-list')).toContainText('Flooding versus MAC learning');
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
  await everyPageChecks(page, '/', checks);
  await test.step('a chapter link opens its chapter', async () => {
    await page.locator('.chapter-list').getByRole('link', { name: 'Hub vs bridge' }).click();
    await expect(page).toHaveURL('/chapters/hub-vs-bridge/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hub vs bridge');
  });
});

test('unknown pages get the 404 page, with status 404 and a way back; the checks every page gets', async ({ page }) => {
  test.setTimeout(120_000);
  const checks = pageChecks(page);
  await page.emulateMedia({ colorScheme: 'light' });
  const response = await page.goto('/no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.getByRole('link', { name: 'Go to the list of chapters' })).toHaveAttribute('href', '/');
  await everyPageChecks(page, '/no-such-page/', checks);
});

test('every chapter page has a spec of its own whose axe test makes the whole-page checks', () => {
  for (const path of PAGES.filter((p) => p.startsWith('/chapters/'))) {
    const spec = new URL(`./${path.split('/')[2]}.spec.ts`, import.meta.url);
    expect(existsSync(spec), `e2e/${path.split('/')[2]}.spec.ts exists`).toBe(true);
    const text = readFileSync(spec, 'utf8');
    expect(text, `${path}: its spec calls pageChecks(page) and then .drawings(CHAPTER), .localOnly() and .scriptsAfterPaint(CHAPTER)`).toMatch(
      /pageChecks\(page\)[\s\S]*\.drawings\(CHAPTER\)[\s\S]*\.localOnly\(\)[\s\S]*\.scriptsAfterPaint\(CHAPTER\)/,
    );
  }
});
