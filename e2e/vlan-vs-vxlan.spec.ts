// Chapter "VLAN vs VXLAN" read the way a reader reads it, in one walkthrough: step the two-VTEP
// player until VTEP 2's VXLAN FDB learns VM 1, set the ToR control past its table limit, and in the
// editor give a VXLAN interface VNI 5,000,000 (accepted) and a switch port VLAN 4095 (refused); then
// the keyboard alone over the ToR control and a player, and axe over the whole page in both themes.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { chooseDevice, commit, editorStatus, openEditor } from './helpers/editor.ts';
import { holdScripts, pageChecks, scrollThrough } from './helpers/pages.ts';
import { focusIsInside, openPlayer, stepButton } from './helpers/player.ts';
import { region } from './helpers/region.ts';

const CHAPTER = '/chapters/vlan-vs-vxlan/';
const TWO_VTEPS = 'Two VTEPs, flood and learn';
const STRETCHED = 'Two racks, one VLAN stretched across them';
const TOR = 'What the top-of-rack switch must learn';
const VM1_MAC = '02:00:00:00:0a:01';

async function chapter(page: Page): Promise<void> {
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('VLAN vs VXLAN');
}

async function openTor(page: Page): Promise<Locator> {
  const tor = region(page, TOR);
  await tor.scrollIntoViewIfNeeded();
  await expect(page.locator('astro-island', { has: tor }), 'the ToR control hydrates').not.toHaveAttribute('ssr', /.*/);
  return tor;
}

/** The value cells of the row `header` of the ToR table: [stretched VLAN, VXLAN]. */
function torRow(tor: Locator, header: string): Locator {
  return tor.getByRole('table').getByRole('row').filter({ has: tor.page().getByRole('rowheader', { name: header, exact: true }) }).getByRole('cell');
}

test.describe('chapter "VLAN vs VXLAN"', () => {
  test('walkthrough: flood and learn until the VXLAN FDB row appears, the ToR past its limit, VNI 5,000,000 and VLAN 4095 in the editor', async ({ page }) => {
    await chapter(page);

    await test.step('the frame anatomy counts 50 bytes from the run', async () => {
      const anatomy = page.getByRole('table', { name: /VM 1's first frame as VTEP 1 puts it on the underlay/ });
      await expect(anatomy.getByRole('rowheader')).toHaveText(['Outer Ethernet (14)', 'Outer IPv4 (20)', 'UDP (8)', 'VXLAN (8)', /^Inner frame/, /^Frame 92 bytes/]);
      await expect(anatomy).toContainText('50 bytes of encapsulation');
    });

    await test.step('Step through the two-VTEP player until VTEP 2 learns VM 1 behind 192.168.1.1', async () => {
      const player = await openPlayer(page, TWO_VTEPS);
      const fdb = player.getByRole('table', { name: 'VXLAN FDB of VTEP 2 vxlan0' });
      const learned = fdb.getByRole('row').filter({ hasText: VM1_MAC });
      await expect(learned).toHaveCount(0);
      for (let i = 0; i < 40 && (await learned.count()) === 0; i++) await stepButton(player).click();
      await expect(learned.getByRole('cell')).toHaveText([VM1_MAC, '192.168.1.1', /^\d/, 'VM 1']);
      // VTEP 1's flood list is there from the start: one remote, permanent.
      await expect(player.getByRole('table', { name: 'VXLAN FDB of VTEP 1 vxlan0' }).getByRole('row').filter({ hasText: '00:00:00:00:00:00' }).getByRole('cell')).toHaveText([
        '00:00:00:00:00:00',
        '192.168.2.1',
        'permanent',
        'flood list',
      ]);
    });

    await test.step('the ToR control: a table of 100 overflows under the stretched VLAN, never under VXLAN', async () => {
      const tor = await openTor(page);
      // The workers' script held on its way: the count stays under way until it is let through.
      const release = await holdScripts(page, /\/tor-worker[^/]*\.js$/);
      const tableTop = () => tor.getByRole('table').evaluate((table) => Math.round(table.getBoundingClientRect().top + window.scrollY));
      const top = await tableTop();
      await tor.getByRole('textbox', { name: 'ToR MAC table limit' }).fill('100');
      await expect(tor.getByRole('status').getByText('Running 400 VMs in 10 racks on the simulator')).toBeVisible();
      await expect(tor.getByRole('status').getByText('takes at most')).toBeHidden();
      const counting = tor.getByRole('table').locator('caption').getByText('counting…');
      await expect(counting).toBeVisible();
      expect(await tableTop(), 'the note takes the summary’s place: the table does not move').toBe(top);
      release();
      await expect(tor.getByRole('status').getByText('takes at most 100 MAC addresses')).toBeVisible();
      await expect(tor.getByRole('status').getByText('Running 400 VMs')).toBeHidden();
      await expect(counting).toBeHidden();
      await expect(tor.getByRole('table').locator('caption').getByText(/^\([\d,]+ simulation steps\)$/)).toBeVisible();
      expect(await tableTop()).toBe(top);
      await expect(torRow(tor, 'Entries in its table')).toHaveText(['100', '5']);
      const refused = torRow(tor, 'MACs not learned: table full');
      await expect(refused.nth(1)).toHaveText('0');
      expect(Number((await refused.nth(0).innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
      await tor.getByRole('textbox', { name: 'Racks' }).fill('1');
      await expect(tor.getByText('1 is out of range: enter a number of racks from 2 to 100.')).toBeVisible();
      await expect(tor.getByRole('status').getByText('Still showing the last valid values.')).toBeVisible();
    });

    await test.step('the editor accepts VNI 5,000,000 on a VXLAN interface', async () => {
      const player = await openPlayer(page, TWO_VTEPS);
      const editor = await openEditor(player);
      await chooseDevice(editor, 'vtep1');
      await editor.getByRole('button', { name: 'VXLAN interfaces (1)' }).click();
      const vni = editor.getByRole('textbox', { name: 'vxlan0 VNI' });
      await commit(vni, '5000000');
      await expect(editorStatus(editor)).toContainText('VNI of vtep1 vxlan0 changed.');
      await expect(vni).not.toHaveAttribute('aria-invalid', 'true');
      await commit(vni, '16777216');
      await expect(vni).toHaveAttribute('aria-invalid', 'true');
    });

    await test.step('the editor refuses VLAN 4095 on a switch port, with the reason', async () => {
      const player = await openPlayer(page, STRETCHED);
      const editor = await openEditor(player);
      await chooseDevice(editor, 'tor1');
      const vlan = editor.getByRole('textbox', { name: 'p1 VLAN' });
      await commit(vlan, '4095');
      await expect(vlan).toHaveAttribute('aria-invalid', 'true');
      await expect(vlan).toHaveAccessibleDescription(/0 and 4095 are reserved/);
    });
  });

  test('with the keyboard only, then axe over the page in the light and the dark theme', async ({ page }) => {
    const checks = pageChecks(page);
    test.setTimeout(120_000); // axe twice: slow on a busy machine
    await page.emulateMedia({ colorScheme: 'light' });
    await chapter(page);

    await test.step('what a reader types before the ToR control hydrates is kept, and counted', async () => {
      // The island's script held on its way: the field is the server's until it is let through.
      const release = await holdScripts(page, /\/TorTable[^/]*\.js$/);
      const tor = region(page, TOR);
      await tor.scrollIntoViewIfNeeded();
      const racks = tor.getByRole('textbox', { name: 'Racks' });
      await racks.focus();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('20');
      release();
      await expect(page.locator('astro-island', { has: tor })).not.toHaveAttribute('ssr', /.*/);
      await expect(racks).toHaveValue('20');
      await expect(tor.getByRole('status').getByText('20 racks × 40 VMs')).toBeVisible();
    });

    await test.step('the ToR control takes typed values from the keyboard', async () => {
      const tor = await openTor(page);
      const racks = tor.getByRole('textbox', { name: 'Racks' });
      await racks.focus();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('x'); // an error on show for axe
      await expect(racks).toHaveAttribute('aria-invalid', 'true');
      await page.keyboard.press('Tab');
      await expect(tor.getByRole('textbox', { name: 'VMs per rack' })).toBeFocused();
    });

    await test.step('the two-VTEP player steps with the arrow key', async () => {
      const player = await openPlayer(page, TWO_VTEPS);
      await stepButton(player).focus();
      await page.keyboard.press('Enter');
      await expect(player.getByText('Step 1', { exact: true })).toBeVisible();
      await player.getByRole('log', { name: 'Event log' }).focus();
      await page.keyboard.press('ArrowRight');
      await expect(player.getByText('Step 2', { exact: true })).toBeVisible();
      expect(await focusIsInside(player), 'focus stays in the player').toBe(true);
    });

    await scrollThrough(page);
    await expectNoAxeViolations(page, { label: `${CHAPTER} after interacting (light)` });
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expectNoAxeViolations(page, { rules: COLOUR_RULES, label: `${CHAPTER} after interacting (dark)` });
    // The checks every page gets (site.spec.ts leaves chapter pages to this test): its drawings at
    // 1280 and 360 px, in the states left above, and no request to another host.
    await checks.drawings(CHAPTER);
    checks.localOnly();
    await checks.scriptsAfterPaint(CHAPTER);
  });
});
