// Chapter "macvlan vs ipvlan vs bridge" read the way a reader reads it: the reachability matrix is
// the one the core computes (the same expected table as the unit test), choosing a cell plays that
// experiment in the player under it with the cell's result, the switch-sees control answers for the
// limit the reader sets, a container's macvlan mode changed in edit mode changes what it reaches,
// and the host's own macvlan fixes "can't ping the host". Then once more with the keyboard alone,
// and axe in both themes.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { pageChecks, scrollThrough } from './helpers/pages.ts';
import { chooseDevice, editorStatus, openEditor } from './helpers/editor.ts';
import { focused, openPlayer, playToEnd, pressUntil } from './helpers/player.ts';
import { EXPECTED_MATRIX, MATRIX_COLUMNS, MATRIX_ROWS } from '../tests/chapters/macvlan-ipvlan-bridge-matrix.ts';
import { region } from './helpers/region.ts';

const CHAPTER = '/chapters/macvlan-ipvlan-bridge/';
const MATRIX = 'Does the ping get an answer? Each design, each pair (choose an answer to play it)';
const FIX = 'macvlan, bridge mode, and a macvlan for the host';
const ANSWER = { yes: /^✓ Yes/, no: /^✗ No/, impossible: /^Impossible/ } as const;

async function chapter(page: Page): Promise<void> {
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('macvlan vs ipvlan vs bridge');
}

function matrix(page: Page): Locator {
  return page.getByRole('table', { name: MATRIX, exact: true });
}

/** The answer button of a cell, by its row and column headings. */
function cell(page: Page, row: string, column: number): Locator {
  return matrix(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: row, exact: true }) }).getByRole('cell').nth(column);
}

/** The player that shows the chosen cell: it holds the page's only "Showing:" status once a cell is chosen. */
function matrixPlayer(page: Page, title: string): Locator {
  return region(page, title);
}

function outcomes(region: Locator): Locator {
  return region.getByRole('list', { name: 'Actions' }).getByRole('listitem');
}

test.describe('chapter "macvlan vs ipvlan vs bridge"', () => {
  test('the matrix is the computed one; a chosen cell plays with its result; the switch sees what the limit allows; a mode changed in edit mode changes the result; the host\'s own macvlan fixes "can\'t ping the host"', async ({ page }) => {
    await chapter(page);
    await test.step('the matrix shows every computed cell', async () => {
      const table = matrix(page);
      await table.scrollIntoViewIfNeeded();
      await expect(table.getByRole('columnheader')).toHaveText(['Design', ...MATRIX_COLUMNS]);
      await expect(table.getByRole('rowheader')).toHaveText([...MATRIX_ROWS]);
      for (const [r] of MATRIX_ROWS.entries()) {
        await expect(table.getByRole('row').nth(r + 1).getByRole('cell')).toHaveText(EXPECTED_MATRIX[r]!.map((reach) => ANSWER[reach]));
      }
    });

    await test.step('choosing "vepa, hairpin off: c1 → c2" loads it into the player, which plays it, and it fails as the cell says; hairpin on, it works', async () => {
      const off = cell(page, 'macvlan vepa, hairpin off', 0).getByRole('button');
      await off.click();
      await expect(off).toHaveAttribute('aria-pressed', 'true');
      const player = matrixPlayer(page, 'macvlan vepa, hairpin off: c1 pings c2 (same host)');
      // It plays by itself; the reader (and the test) may hurry it to the end.
      await expect(player.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
      await playToEnd(player);
      await expect(outcomes(player)).toHaveText([/failed: c1 pings c2 \(same host\): Destination Host Unreachable/]);
      const on = cell(page, 'macvlan vepa, hairpin on', 0).getByRole('button');
      await on.click();
      await expect(on).toHaveAttribute('aria-pressed', 'true');
      await expect(off).toHaveAttribute('aria-pressed', 'false');
      const reflected = matrixPlayer(page, 'macvlan vepa, hairpin on: c1 pings c2 (same host)');
      await playToEnd(reflected);
      await expect(outcomes(reflected)).toHaveText([/succeeded: c1 pings c2 \(same host\): Reply from 192\.168\.1\.102: TTL 64/]);
    });

    await test.step('the switch sees one MAC per container with macvlan, one for all with ipvlan; a limit of one lets only the host through with macvlan', async () => {
      const control = region(page, 'What the switch sees');
      await control.scrollIntoViewIfNeeded();
      const limit = control.getByRole('combobox', { name: 'MAC addresses port p1 may learn' });
      // Astro removes the island's `ssr` attribute once it has hydrated: a choice made before would be lost.
      await expect(page.locator('astro-island', { has: control })).not.toHaveAttribute('ssr', /.*/);
      const row = (name: string) => control.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) }).getByRole('cell');
      await limit.selectOption('no limit');
      const allYes = '✓ server: yes✓ c1: yes✓ c2: yes';
      await expect(row('macvlan bridge')).toHaveText(['3 MACs02:00:00:00:01:00 server02:00:00:00:0c:01 c102:00:00:00:0c:02 c2', allYes]);
      await expect(row('ipvlan l2')).toHaveText(['1 MAC02:00:00:00:01:00 server, c1, c2', allYes]);
      await limit.selectOption('1');
      await expect(control.getByRole('table', { name: 'Port p1 with a limit of 1 MAC', exact: true })).toBeVisible();
      await expect(row('macvlan bridge')).toHaveText(['1 MAC02:00:00:00:01:00 server', '✓ server: yes✗ c1: no✗ c2: no']);
      await expect(row('Bridge + NAT')).toHaveText(['1 MAC02:00:00:00:01:00 server', allYes]);
    });

    await test.step('edit mode: c1 switched from bridge to vepa mode by its form no longer reaches c2', async () => {
      const bridge = await openPlayer(page, 'macvlan, bridge mode');
      const editor = await openEditor(bridge);
      await chooseDevice(editor, 'c1');
      // The macvlan/ipvlan form is loaded the first time it is opened.
      await editor.getByRole('button', { name: 'eth0: macvlan bridge on server:eth0…' }).click();
      await editor.getByRole('combobox', { name: 'eth0 macvlan mode' }).selectOption('vepa');
      await expect(editorStatus(editor)).toHaveText('eth0 of c1 is now in macvlan mode vepa.');
      await expect(editor.getByRole('button', { name: 'eth0: macvlan vepa on server:eth0…' })).toBeVisible();
      await playToEnd(bridge);
      await expect(outcomes(bridge).filter({ hasText: 'c1 pings c2' })).toHaveText([/failed: c1 pings c2 \(same host\): Destination Host Unreachable/]);
    });

    await test.step('the host\'s own macvlan: c1 reaches its host', async () => {
      const fix = await openPlayer(page, FIX);
      await playToEnd(fix);
      await expect(outcomes(fix).filter({ hasText: 'c1 pings its host' })).toHaveText([/succeeded: c1 pings its host: Reply from 192\.168\.1\.10: TTL 64/]);
    });
  });

  test('with the keyboard only: Tab to a cell, Enter plays it; axe finds nothing, in the light and in the dark theme', async ({ page }) => {
    const checks = pageChecks(page);
    test.setTimeout(120_000); // axe twice: slow on a busy machine
    await page.emulateMedia({ colorScheme: 'light' });
    await chapter(page);
    // The table of contents takes the reader to the section; Tab goes on from there to its first cell.
    await pressUntil(page, (now) => now.tag === 'a' && now.name === 'Who reaches whom', 'Tab reaches the contents link "Who reaches whom"', 80);
    await page.keyboard.press('Enter');
    await pressUntil(page, (now) => now.name.startsWith('✗ No') || now.name.startsWith('✓ Yes'), 'Tab reaches the first cell of the matrix', 20);
    const first = await focused(page);
    await page.keyboard.press('Enter');
    const pressed = matrix(page).locator('button[aria-pressed="true"]');
    await expect(pressed).toHaveCount(1);
    await expect(pressed).toBeFocused();
    // Bridge + NAT, c1 → c2: the first cell, and the first answer.
    expect(first.name).toMatch(/^✓ Yes/);
    // The player under the table now shows that cell, and plays it.
    const player = matrixPlayer(page, 'Bridge + NAT: c1 pings c2 (same host)');
    await expect(player.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
    // Played out before axe looks: axe takes seconds, and a table that overflowed its box when axe
    // listed the scrollable boxes may have shrunk (and left the Tab order) by the time it checks.
    await playToEnd(player);

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
