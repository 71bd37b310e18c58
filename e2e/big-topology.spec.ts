// Big topologies in a chapter player (issue 8): a 500-host bridge loop imported through the editor
// storms, and "Run to the end" shows the storm notice; a long run of a 600-host topology keeps
// the page responsive: the step counter moves while it runs, and Pause stops it. Every wait is on
// the page's state, never on time. The scenarios are generated here.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { drawing, editorStatus, openEditor } from './helpers/editor.ts';
import { openPlayer, stepButton } from './helpers/player.ts';

const CHAPTER = '/chapters/hub-vs-bridge/';
const BRIDGE = 'Four hosts on a learning bridge';
const FORMAT = 'vnet-live/scenario@1';

const mac = (n: number) => `02:00:00:${[16, 8, 0].map((s) => ((n >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
const host = (n: number) => ({ id: `h${n}`, kind: 'host', nics: [{ port: 'eth0', mac: mac(n), ip: `10.0.${(n >> 8) & 0xff}.${n & 0xff}/16` }] });
const ports = (count: number) => Array.from({ length: count }, (_, i) => `p${i}`);

/** `hosts` hosts on two bridges joined by two cables (a loop, no STP); h1 pings the last host. */
function bridgeLoop(hosts: number) {
  const half = hosts / 2;
  const devices: object[] = [
    { id: 'left', kind: 'bridge', ports: ports(half + 2) },
    { id: 'right', kind: 'bridge', ports: ports(half + 2) },
  ];
  const links = [
    { a: `left:p${half}`, b: `right:p${half}` },
    { a: `left:p${half + 1}`, b: `right:p${half + 1}` },
  ];
  for (let h = 0; h < hosts; h++) {
    devices.push(host(h + 1));
    links.push({ a: `h${h + 1}:eth0`, b: h < half ? `left:p${h}` : `right:p${h - half}` });
  }
  return { format: FORMAT, id: 'loop', title: `${hosts} hosts on a bridge loop`, devices, links, traffic: [{ from: 'h1', do: 'ping', to: `h${hosts}` }] };
}

/** `hosts` hosts on one bridge, and `pings` pings between them: a run far longer than a test waits. */
function busyBridge(hosts: number, pings: number) {
  const devices: object[] = [{ id: 'br0', kind: 'bridge', ports: ports(hosts) }];
  const links: { a: string; b: string }[] = [];
  for (let h = 0; h < hosts; h++) {
    devices.push(host(h + 1));
    links.push({ a: `h${h + 1}:eth0`, b: `br0:p${h}` });
  }
  const traffic = Array.from({ length: pings }, (_, i) => ({ at: i * 10, from: `h${i + 1}`, do: 'ping', to: `h${hosts - i}` }));
  return { format: FORMAT, id: 'busy', title: `${hosts} hosts, ${pings} pings`, devices, links, traffic };
}

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
