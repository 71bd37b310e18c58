// Chapter "Side by side" read the way a reader reads it: the closing table shows the computed
// answers (the same as tests/chapters/side-by-side.test.ts asserts on the runs), a chosen cell loads
// its experiment into the player under the table, which plays it, and the log says who received
// the frame; then the keyboard alone reaches a cell and plays it, and axe finds nothing in either theme.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { holdScripts, pageChecks, scrollThrough } from './helpers/pages.ts';
import { eventLog, playToEnd, pressUntil } from './helpers/player.ts';
import { region } from './helpers/region.ts';

const CHAPTER = '/chapters/side-by-side/';
const TABLE = 'Five ways to join machines and containers, each cell computed by its own experiment (choose a cell to play it)';
const ROWS = ['Bridge + veth + NAT', 'VLAN', 'macvlan (bridge mode)', 'ipvlan l2', 'ipvlan l3', 'VXLAN'];

function table(page: Page): Locator {
  return page.getByRole('table', { name: TABLE, exact: true });
}

/** The answers of one column (0-based, after the row heading), top to bottom. */
function column(page: Page, index: number): Locator {
  return table(page).locator('tbody tr').locator(`td:nth-of-type(${index + 1}) .side-answer`);
}

function cellButton(page: Page, row: string, index: number): Locator {
  return table(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: row, exact: true }) }).getByRole('cell').nth(index).getByRole('button');
}

function outcomes(region: Locator): Locator {
  return region.getByRole('list', { name: 'Actions' }).getByRole('listitem');
}

test.describe('chapter "Side by side"', () => {
  test('the table is the computed one; a chosen cell plays its experiment and the log says who received the frame; the keyboard reaches and plays a cell; axe is clean in both themes', async ({ page }) => {
    test.setTimeout(120_000); // axe twice: slow on a busy machine
    const checks = pageChecks(page);
    await page.emulateMedia({ colorScheme: 'light' });
    // The player's script is held until the reader has chosen a cell: a choice made before the
    // player hydrates (client:idle: on a slow connection or a busy machine) must not be lost.
    const release = await holdScripts(page, /\/ScenarioPlayer\.[^/]*\.js$/);
    await page.goto(CHAPTER);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Side by side');

    await test.step('the table has the computed rows and answers', async () => {
      await table(page).scrollIntoViewIfNeeded();
      await expect(table(page).getByRole('rowheader')).toHaveText(ROWS);
      await expect(column(page, 5)).toHaveText(['1', '2', '3', '1', '1', '1']); // MACs on the switch port
      await expect(column(page, 6)).toHaveText(['None', '4,094', 'None', 'None', 'None', '16,777,216']); // IDs available
      await expect(column(page, 7)).toHaveText(['0 bytes', '4 bytes', '0 bytes', '0 bytes', '0 bytes', '50 bytes']); // overhead
      await expect(column(page, 3)).toHaveText(['✓ Yes', 'Impossible', '✗ No', '✗ No', '✓ Yes', '✗ No']); // container ↔ host
    });

    await test.step('choosing VXLAN’s overhead before the player has hydrated loads VM 1 pinging VM 2 over the tunnel once it has; it plays, and VM 2 receives the echo request', async () => {
      const overhead = cellButton(page, 'VXLAN', 7);
      await overhead.click();
      await expect(page.locator('astro-island[ssr]'), 'the player is not hydrated yet while its script is held').not.toHaveCount(0);
      await expect(overhead).toHaveAttribute('aria-pressed', 'false');
      release();
      await expect(overhead).toHaveAttribute('aria-pressed', 'true');
      const player = region(page, 'VXLAN · Overhead bytes per frame');
      await expect(player.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
      await playToEnd(player);
      await expect(outcomes(player)).toHaveText([/succeeded: VM 1 pings VM 2: Reply from 10\.0\.0\.2/, /succeeded: VM 1 pings VM 2: Reply from 10\.0\.0\.2/]);
      await expect(eventLog(player)).toContainText('VM 2 receives an echo request from 10.0.0.1 (TTL 64) and answers with an echo reply.');
      await expect(eventLog(player)).toContainText("VTEP 1's vxlan0 (VNI 42) wraps the frame for 192.168.2.1");
    });

    await test.step('with the keyboard only: Tab reaches the first cell, Enter plays it', async () => {
      await page.goto(CHAPTER);
      await pressUntil(page, (now) => now.tag === 'a' && now.name === 'The table', 'Tab reaches the contents link "The table"', 80);
      await page.keyboard.press('Enter');
      await pressUntil(page, (now) => now.tag === 'button' && now.name.startsWith('Behind its host'), 'Tab reaches the first cell of the table', 20);
      await page.keyboard.press('Enter');
      const pressed = table(page).locator('button[aria-pressed="true"]');
      await expect(pressed).toHaveCount(1);
      await expect(pressed).toBeFocused();
      const player = region(page, 'Bridge + veth + NAT · What it is');
      await expect(player.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
      // Played out before axe looks: mid-run, a table that has just grown wider than its box gets
      // its tabindex (ScrollBox) a frame later, and axe could catch that frame.
      await playToEnd(player);
      await expect(outcomes(player)).toHaveText([/succeeded: c1 pings the LAN host/]);
    });

    await test.step('every island hydrated as the reader scrolls past it', () => scrollThrough(page));
    await test.step('axe, light theme', () => expectNoAxeViolations(page, { label: `${CHAPTER} after interacting (light)` }));
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await test.step('axe, dark theme', () => expectNoAxeViolations(page, { rules: COLOUR_RULES, label: `${CHAPTER} after interacting (dark)` }));
    // The checks every page gets (site.spec.ts leaves chapter pages to this test): its drawings at
    // 1280 and 360 px, the player showing the chosen cell's experiment, and no request to another host.
    await checks.drawings(CHAPTER);
    checks.localOnly();
    await checks.scriptsAfterPaint(CHAPTER);
  });
});
