// Big topologies in a chapter player (issue 8): a 500-host bridge loop imported through the editor
// storms, and "Run to the end" shows the storm notice; a long run of a 600-host topology keeps
// the page responsive: the step counter moves while it runs, and Pause stops it. Every wait is on
// the page's state, never on time. The scenarios are generated here.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { drawing, editorStatus, openEditor } from './helpers/editor.ts';
import { openPlayer, stepButton } from './helpers/player.ts';
import { bridgeLoop, busyBridge } from '../scripts/lib/big-topologies.mjs';

const CHAPTER = '/chapters/hub-vs-bridge/';
const BRIDGE = 'Four hosts on a learning bridge';
/** Opens the bridge player's editor and imports `scenario`; returns the player (found by its experiment id, which an import keeps). */
async function importInto(page: Page, scenario: { title: string }, fileName: string): Promise<Locator> {
  await page.goto(CHAPTER);
  const region = await openPlayer(page, BRIDGE);
  await openEditor(region);
  // Found by its experiment, not by its title: the import gives the player the file's title.
  const player = page.locator('section[data-scenario="hub-vs-bridge/bridge"]');
  const editor = player.getByRole('group', { name: 'Edit the experiment' });
  await editor.getByLabel('Import JSON').setInputFiles({ name: fileName, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await expect(editorStatus(editor)).toContainText(`Imported ${fileName}.`, { timeout: 30_000 });
  await expect(player.locator('.vp-title')).toHaveText(scenario.title, { timeout: 30_000 });
  return player;
}

test.describe('big topologies', () => {
  test('a 500-host bridge loop: Run to the end shows the storm notice, and the run is over', async ({ page }) => {
    const player = await importInto(page, bridgeLoop(500), 'loop.json');
    // The drawing shows each bridge's 250 hosts as one group, and says so.
    await expect(drawing(player)).toHaveAttribute('aria-label', /500 hosts are drawn in groups/);
    await player.getByRole('button', { name: 'Run to the end', exact: true }).click();
    await expect(player.getByRole('alert')).toContainText('Broadcast storm', { timeout: 30_000 });
    await expect(stepButton(player)).toBeDisabled();
    await expect(player.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
    await expect(player.getByRole('button', { name: 'Run to the end', exact: true })).toBeDisabled();
    // The lists say how much they leave out rather than drawing thousands of rows.
    await expect(player.getByText(/… and [\d,]+ more ARP caches not shown\./)).toBeVisible();
    // The log drew its newest lines first and the earlier ones frame by frame, silently; once
    // done it holds the newest 400 events, offers the earlier ones, and speaks again.
    const log = player.getByRole('log');
    await expect(log.locator('.vp-ev')).toHaveCount(400);
    await expect(log).toHaveAttribute('aria-live', 'polite');
    await expect(log).not.toHaveAttribute('aria-busy', /.*/);
    await expect(log.getByText(/… and [\d,]+ earlier events not shown\./)).toBeVisible();
    // …and it is scrolled to its newest line, though earlier ones were drawn above it meanwhile.
    await expect.poll(() => log.evaluate((box) => box.scrollHeight - box.scrollTop - box.clientHeight)).toBeLessThan(2);
  });

  test('a long run of 600 hosts: the page keeps drawing while it runs, and Pause stops it', async ({ page }) => {
    const player = await importInto(page, busyBridge(600, 150), 'busy.json');
    const counter = player.locator('.vp-clock-step');
    await player.getByRole('button', { name: 'Run to the end', exact: true }).click();
    const pause = player.getByRole('button', { name: 'Pause', exact: true });
    await expect(pause).toBeVisible();
    // The counter moves on while the run goes: the page is drawn between slices of the run.
    const first = Number((await counter.textContent())?.replace(/\D/g, ''));
    await expect.poll(async () => Number((await counter.textContent())?.replace(/\D/g, '')), { timeout: 30_000 }).toBeGreaterThan(first);
    await pause.click();
    await expect(player.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
    // Stopped part-way: Step still has work to do, and the counter no longer moves.
    await expect(stepButton(player)).toBeEnabled();
    const stopped = await counter.textContent();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await expect(counter).toHaveText(stopped ?? '');
  });
});
