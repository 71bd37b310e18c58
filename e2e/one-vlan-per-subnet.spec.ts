// Chapter "Why one VLAN per subnet" read the way a reader reads it: watch the broadcast fill the
// shared room, try the living-room control (errors included), see the broadcast stop at the VLAN
// wall, the trap fail and the router on a stick succeed with TTL 63, compare the tables of switch
// and router, open a frame on the trunk to find its 802.1Q tag, send a packet of one's own; then
// once more with the keyboard alone, and axe in both themes.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { holdScripts, pageChecks, scrollThrough } from './helpers/pages.ts';
import { bodyRows, eventLog, expectRows, focusIsInside, openPlayer, playToEnd, pressUntil, stepButton, stepCounter, stepTo } from './helpers/player.ts';
import { region } from './helpers/region.ts';

const CHAPTER = '/chapters/one-vlan-per-subnet/';

const ONE_DOMAIN = 'Six hosts in one broadcast domain';
const PARTITIONED = 'The same hosts in VLANs 10 and 20, one subnet each';
const MAC_VLAN = 'A laptop whose VLAN follows its MAC address';
const PORT_SECURITY = 'Two containers behind a port that allows one MAC';
const TRAP = 'Two VLANs, one subnet: the trap';
const FIX = 'One subnet per VLAN, and a router on a stick';
const LIVING_ROOM = 'The shared living room';

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';
const MAC_R = '02:00:00:00:01:00';

function actions(region: Locator): Locator {
  return region.getByRole('list', { name: 'Actions' });
}

function frameBytes(region: Locator): Locator {
  return region.getByRole('group', { name: 'Frame bytes', exact: true });
}

/** Whether the whole of `what` is inside the window (the bytes of a chosen line must be, at any width). */
async function inView(page: Page, what: Locator): Promise<boolean> {
  const box = await what.boundingBox();
  const view = page.viewportSize();
  if (!box || !view) return false;
  return box.x >= 0 && box.y >= 0 && box.x + box.width <= view.width + 0.5 && box.y + box.height <= view.height + 0.5;
}

async function chapter(page: Page): Promise<void> {
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Why one VLAN per subnet');
}

/** Waits until the island holding `region` has hydrated: Astro removes its `ssr` attribute then. */
async function hydrated(page: Page, region: Locator, what: string): Promise<void> {
  await expect(page.locator('astro-island', { has: region }), `${what} hydrates`).not.toHaveAttribute('ssr', /.*/);
}

/** The living-room control, scrolled into view and hydrated. */
async function openLivingRoom(page: Page): Promise<Locator> {
  const room = region(page, LIVING_ROOM);
  await room.scrollIntoViewIfNeeded();
  await hydrated(page, room, 'the living-room control');
  return room;
}

test.describe('chapter "Why one VLAN per subnet", read with a pointer', () => {
  test.beforeEach(async ({ page }) => chapter(page));

  // Several claims about one player or about what the page shows as built share a test (and a page
  // load); each claim is a step of its own in the report.
  test('one room, the living-room control and the walls, each on its own player of one page load', async ({ page }) => {
    test.setTimeout(180_000);
    await test.step('one room: A\'s ARP request is flooded to all five other hosts, and four of them throw it away; the side-by-side table is computed from the trap and the fix; the chapter follows "Hub vs bridge" in the navigation', async () => {
      await test.step('one room: A\'s ARP request is flooded to all five other hosts, and four of them throw it away', async () => {
        const room = await openPlayer(page, ONE_DOMAIN);
        const log = eventLog(room);
        await stepTo(room, 0, 2);
        await expect(log).toContainText('A sends ARP who-has 10.1.20.11? tell 10.1.10.11 out of eth0, towards sw1.');
        await expect(log).toContainText('sw1 floods the frame in VLAN 1 to ports p2, p3, p4, p5 and p6: ff:ff:ff:ff:ff:ff is the broadcast address.');
        await expect(room.getByText('On the cables (5):')).toBeVisible();
        await playToEnd(room);
        for (const host of ['C', 'D', 'E', 'F']) await expect(log).toContainText(`${host} reads the ARP request (who has 10.1.20.11?) and ignores it`);
        await expect(actions(room).getByRole('listitem')).toHaveText([/succeeded: A pings B: Reply from 10\.1\.20\.11: TTL 64/]);
      });
      await test.step('the side-by-side table is computed from the trap and the fix', async () => {
        const table = page.getByRole('table', { name: 'A pings B, in two designs', exact: true });
        await table.scrollIntoViewIfNeeded();
        await expect(table.getByRole('columnheader')).toHaveText(['Question', 'Two VLANs, one subnet', 'One subnet per VLAN, router on a stick']);
        const row = (header: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: header, exact: true }) }).getByRole('cell');
        await expect(row('Whose address does the sender’s ARP request ask for?')).toHaveText(['10.1.20.11: B itself (on-link)', '10.1.10.1: the gateway, R']);
        await expect(row('Does the ARP request reach its target?')).toHaveText(['No (received by C)', 'Yes (received by C and R)']);
        await expect(row('Does the ping work?')).toHaveText([/^No: Destination Host Unreachable/, /^Yes: Reply from 10\.1\.20\.11: TTL 63/]);
        await expect(row('Does it go through a gateway?')).toHaveText(['No', 'Yes: routed by R']);
        await expect(row('TTL of the echo request at the destination')).toHaveText(['it never arrived', '63']);
      });
    });

    await test.step('the living-room control counts frames for any room size, explains bad input and keeps the last good value; the computed table of room sizes matches it', async () => {
      await test.step('the living-room control counts frames for any room size, explains bad input and keeps the last good value', async () => {
        const room = await openLivingRoom(page);
        const result = room.getByRole('status');
        const hosts = room.getByRole('textbox', { name: 'Hosts on the switch' });
        const vlans = room.getByRole('textbox', { name: 'VLANs' });
        const rate = room.getByRole('textbox', { name: 'ARP requests per host per second' });
        await expect(result).toContainText('One ARP request puts 250 frames on the cables (1 from the sender, 249 copies from the switch) and reaches 249 hosts.');
        await expect(result).toContainText('every host has to read 124.5 broadcasts per second');

        await hosts.fill('1000');
        await expect(result).toContainText('One ARP request puts 1,000 frames on the cables');
        await expect(result).toContainText('reaches 999 hosts');

        // Not a number: an error tied to the field, and the last good result stays.
        await hosts.fill('lots');
        await expect(hosts).toHaveAttribute('aria-invalid', 'true');
        const error = room.getByText('"lots" is not a whole number: enter hosts from 2 to 1000.');
        await expect(error).toBeVisible();
        await expect(hosts).toHaveAccessibleDescription(/2 to 1000 .*"lots" is not a whole number/);
        await expect(result).toContainText('Still showing 1,000 hosts in 1 VLAN at 0.5 requests per second, the last valid values.');
        await expect(result).toContainText('1,000 frames');
        await hosts.fill('5000');
        await expect(room.getByText('5000 is out of range: enter hosts from 2 to 1000.')).toBeVisible();
        await hosts.fill('250');
        await expect(hosts).toHaveAttribute('aria-invalid', 'false');
        await expect(error).toHaveCount(0);
        await expect(result).not.toContainText('Still showing');

        // Walls: ten VLANs of 25.
        await vlans.fill('10');
        await expect(result).toContainText('In each VLAN (25 hosts), one ARP request puts 25 frames on the cables (1 from the sender, 24 copies from the switch) and reaches 24 hosts; 0 hosts in other VLANs received it.');
        await rate.fill('2');
        await expect(result).toContainText('every host has to read 48 broadcasts per second');
        await rate.fill('-1');
        await expect(room.getByText('"-1" is not a number: enter a rate like 0.5, from 0 to 100.')).toBeVisible();
        await expect(result).toContainText('48 broadcasts per second');
        await vlans.fill('300');
        await expect(vlans).toHaveAttribute('aria-invalid', 'true');
        await expect(result).toContainText('25 frames');
      });
      await test.step('the computed table of room sizes matches the control', async () => {
        const table = page.getByRole('table', { name: 'What one ARP request costs, counted on the simulator', exact: true });
        await table.scrollIntoViewIfNeeded();
        expect(await bodyRows(table)).toEqual([
          ['6', '1', '6', '6', '5'],
          ['250', '1', '250', '250', '249'],
          ['250', '10', '25', '25', '24'],
          ['1,000', '1', '1,000', '1,000', '999'],
        ]);
      });
    });

    await test.step('walls: the broadcast stays in its VLAN, and A cannot even try to reach B in another subnet', async () => {
      const split = await openPlayer(page, PARTITIONED);
      await stepTo(split, 0, 2);
      const log = eventLog(split);
      await expect(log).toContainText('sw1 puts the untagged frame into VLAN 10, the access VLAN of port p1.');
      await expect(log).toContainText('sw1 floods the frame in VLAN 10 to ports p3 and p5: ff:ff:ff:ff:ff:ff is the broadcast address; 3 other ports are not in VLAN 10 and get nothing.');
      await expect(split.getByText('On the cables (2):')).toBeVisible();
      await playToEnd(split);
      await expect(actions(split).getByRole('listitem')).toHaveText([
        /succeeded: A pings C \(both in VLAN 10\): Reply from 10\.1\.10\.12/,
        /succeeded: B pings D \(both in VLAN 20\): Reply from 10\.1\.20\.12/,
        /failed: A pings B \(VLAN 20, another subnet\): Network is unreachable: 10\.1\.20\.11 is outside 10\.1\.10\.0\/24 and there is no default gateway\./,
      ]);
      await expectRows(
        split.getByRole('table', { name: 'MAC table of sw1', exact: true }),
        [
          ['10', MAC_A, 'p1'],
          ['10', '02:00:00:00:00:0c', 'p3'],
          ['20', MAC_B, 'p2'],
          ['20', '02:00:00:00:00:0d', 'p4'],
        ],
        3,
      );
    });
    // Last: it leaves for the previous chapter.
    await test.step('the chapter follows "Hub vs bridge" in the navigation', async () => {
      const nav = page.getByRole('navigation', { name: 'Previous and next chapter' });
      await expect(nav.getByRole('link', { name: /Previous chapter.*Hub vs bridge/ })).toHaveAttribute('href', '/chapters/hub-vs-bridge/');
      await page.goto('/chapters/hub-vs-bridge/');
      await expect(page.getByRole('navigation', { name: 'Previous and next chapter' }).getByRole('link', { name: /Next chapter.*Why one VLAN per subnet/ })).toHaveAttribute('href', CHAPTER);
    });
  });

  test('membership by MAC and port security, the trap, and the fix, each on its own player of one page load', async ({ page }) => {
    test.setTimeout(180_000);
    await test.step('membership by MAC: laptop L on a VLAN-20 port reaches A in VLAN 10; port security: c1 gets through, c2\'s requests are dropped at p1 and its ping fails', async () => {
      await test.step('membership by MAC: laptop L on a VLAN-20 port reaches A in VLAN 10', async () => {
        const laptop = await openPlayer(page, MAC_VLAN);
        await playToEnd(laptop);
        await expect(eventLog(laptop)).toContainText('sw1 puts the frame into VLAN 10: its source 02:00:00:00:00:1a is assigned to VLAN 10 by MAC address, whatever the port.');
        await expect(eventLog(laptop)).not.toContainText('B receives');
        await expect(actions(laptop).getByRole('listitem')).toHaveText([/succeeded: L pings A/]);
      });
      await test.step('port security: c1 gets through, c2\'s requests are dropped at p1 and its ping fails', async () => {
        const locked = await openPlayer(page, PORT_SECURITY);
        await playToEnd(locked);
        await expect(eventLog(locked)).toContainText('sw1 drops the frame from 02:00:00:00:00:c2: port p1 allows 1 MAC address and has already learned 02:00:00:00:00:c1.');
        await expect(actions(locked).getByRole('listitem')).toHaveText([/succeeded: c1 pings A/, /failed: c2 pings A: Destination Host Unreachable/]);
      });
    });

    await test.step('the trap: A ARPs for B directly, the request stays in VLAN 10, three tries, "Destination Host Unreachable"', async () => {
      const trap = await openPlayer(page, TRAP);
      const log = eventLog(trap);
      await stepButton(trap).click();
      await expect(stepCounter(trap, 1)).toBeVisible();
      await expect(log).toContainText('A pings 10.1.20.11 (ICMP echo request, sequence 1): 10.1.20.11 is inside 10.1.0.0/16, the subnet of eth0, so it is on-link: the host will deliver it directly.');
      await expect(log).toContainText('A does not know the MAC address of 10.1.20.11: the packet waits while it broadcasts an ARP request.');
      // The drawing shows where the broadcast stops: the request on A's cable in VLAN 10's colour,
      // then sw1's flood marks p2 and p4, the ports of VLAN 20, as left out; the copy to C is in VLAN 10.
      await expect(trap.locator('.vp-marker[data-vlan="10"]')).toHaveCount(1);
      await expect(trap.locator('[data-stop]')).toHaveCount(0);
      await stepButton(trap).click();
      await expect(stepCounter(trap, 2)).toBeVisible();
      await expect(trap.locator('[data-stop]')).toHaveText(['sw1 p2 is not in VLAN 10: the flood leaves it out', 'sw1 p4 is not in VLAN 10: the flood leaves it out']);
      await expect(trap.locator('.vp-marker[data-vlan="10"]')).toHaveCount(1);
      await playToEnd(trap);
      // A's failure is drawn on A: "✕ ARP failed" in its box, which is ringed as a drop is.
      await expect(trap.locator('[data-device="A"] .vp-badge-text')).toHaveText('✕ ARP failed');
      await expect(log).toContainText('sw1 floods the frame in VLAN 10 to port p3: ff:ff:ff:ff:ff:ff is the broadcast address; 2 other ports are not in VLAN 10 and get nothing.');
      await expect(log).toContainText('No answer for 10.1.20.11 after 1 s: A asks again (ARP request 3 of 3).');
      await expect(log).toContainText('Nobody answered 3 ARP requests for 10.1.20.11: A gives up');
      await expect(log).not.toContainText('B receives');
      await expect(actions(trap).getByRole('listitem')).toHaveText([/failed: A pings B: Destination Host Unreachable: nobody answered 3 ARP requests for 10\.1\.20\.11\./]);
      expect(await bodyRows(trap.getByRole('table', { name: 'ARP cache of A', exact: true }))).toEqual([['empty']]);
    });

    await test.step('the fix: routed by R with TTL 63, the 802.1Q tag on the trunk and none on an access cable, the tables of switch and router; Send packet after the script: C pings D and gets TTL 63 back', async () => {
      const fix = await openPlayer(page, FIX);
      const log = eventLog(fix);
      await test.step('the fix: A sends to its default gateway, and sw1 floods the request in VLAN 10, tagged on the trunk', async () => {
        await stepButton(fix).click();
        await expect(log).toContainText('10.1.20.11 is outside every subnet of the host, so it goes to the default gateway 10.1.10.1 (via eth0).');
        await stepTo(fix, 1, 2);
        await expect(log).toContainText('sw1 floods the frame in VLAN 10 to ports p3 and p5 (tagged)');
      });

      await test.step('frame bytes: the 802.1Q tag on the trunk, none on an access cable', async () => {
        const bytes = frameBytes(fix);
        await log.getByRole('button', { name: 'sw1 sends [802.1Q VLAN 10] ARP who-has 10.1.10.1? tell 10.1.10.11 out of p5, towards R.' }).click();
        // The inspector opens beside the log, its bytes in the window (issue 10: they used to open 600 px below).
        await expect.poll(() => inView(page, bytes.getByRole('figure', { name: /Hex dump/ })), 'the bytes are in view at 1280 px').toBe(true);
        const ethernet = bytes.getByRole('table', { name: 'Ethernet' });
        await expect(ethernet.getByRole('row', { name: /TPID/ })).toContainText('0x8100 (802.1Q VLAN tag)');
        await expect(ethernet.getByRole('row', { name: /TPID/ })).toContainText('12–13');
        await expect(ethernet.getByRole('row', { name: /VLAN ID/ })).toContainText('10');
        await expect(bytes.getByRole('figure', { name: /Hex dump/ })).toContainText('0000  ff ff ff ff ff ff 02 00  00 00 00 0a 81 00 00 0a');
        await expect(bytes).toContainText('(64 bytes)');

        await log.getByRole('button', { name: 'sw1 sends ARP who-has 10.1.10.1? tell 10.1.10.11 out of p3, towards C.' }).click();
        await expect(ethernet.getByRole('row', { name: /TPID/ })).toHaveCount(0);
        await expect(ethernet.getByRole('row', { name: /EtherType/ })).toContainText('12–13');
        await expect(bytes.getByRole('figure', { name: /Hex dump/ })).toContainText('0000  ff ff ff ff ff ff 02 00  00 00 00 0a 08 06');
        await expect(bytes).toContainText('(60 bytes)');
      });

      await test.step('the fix: routed by R with TTL 63; the switch knows VLANs and MACs, the router knows subnets', async () => {
        await playToEnd(fix);
        await expect(log).toContainText('R routes the packet for 10.1.20.11, in on eth0.10 (VLAN 10) and out on eth0.20 (VLAN 20)');
        await expect(log).toContainText('TTL 64 → 63, header checksum updated');
        await expect(log).toContainText('B receives an echo request from 10.1.10.11 (TTL 63) and answers with an echo reply.');
        await expect(actions(fix).getByRole('listitem')).toHaveText([/succeeded: A pings B: Reply from 10\.1\.20\.11: TTL 63, time \d+ ms\./]);

        const mac = fix.getByRole('table', { name: 'MAC table of sw1', exact: true });
        await expect(mac.getByRole('columnheader')).toHaveText(['VLAN', 'MAC', 'Port', 'Age (s)', 'Whose']);
        await expectRows(
          mac,
          [
            ['10', MAC_A, 'p1'],
            ['10', MAC_R, 'p5'],
            ['20', MAC_B, 'p2'],
            ['20', MAC_R, 'p5'],
          ],
          3,
        );
        const routes = fix.getByRole('table', { name: 'Routing table of R', exact: true });
        expect(await bodyRows(routes)).toEqual([
          ['10.1.10.0/24', 'on-link', 'eth0.10'],
          ['10.1.20.0/24', 'on-link', 'eth0.20'],
        ]);
        const arpR = fix.getByRole('table', { name: 'ARP cache of R', exact: true });
        await expectRows(arpR, [['10.1.10.11', MAC_A, 'eth0.10'], ['10.1.20.11', MAC_B, 'eth0.20']], 3);
      });

      await test.step('the inspector: what R did with the echo request, layer by layer; fields and bytes light each other; Esc; at 360 px', async () => {
        // R's second receive: A's echo request, after the ARP exchange.
        const line = log.getByRole('button', { name: 'R receives the frame on eth0.' }).nth(1);
        await line.click();
        await expect(line).toHaveAttribute('aria-pressed', 'true');
        const inspector = fix.getByRole('region', { name: 'Inspector: R' });
        await expect(inspector).toContainText(/in eth0\.10, tag 10 stripped.*TTL 64→63.*out eth0\.20, tag 20 added/);
        const layers = inspector.getByRole('table', { name: 'Layer by layer at R' });
        await expect(layers.getByRole('columnheader')).toHaveText(['Layer', 'In (eth0.10)', 'Out (eth0.20)']);
        await expect(layers.getByRole('row', { name: /Network/ })).toContainText(/TTL 64.*TTL 63\s*changed/);
        await expect(layers.getByRole('row', { name: /Data link/ })).toContainText(/VLAN 10.*VLAN 20/);
        const hex = inspector.getByRole('figure', { name: /Hex dump/ });
        await expect.poll(() => inView(page, hex), 'the bytes are in view at 1280 px').toBe(true);

        // A field lights its bytes (TTL 64 is byte 26, after the 4-byte tag), by pointer and by focus.
        const lit = hex.locator('.vp-byte--on');
        const ip = inspector.getByRole('table', { name: 'IPv4' });
        await ip.getByRole('button', { name: 'TTL', exact: true }).hover();
        await expect(lit).toHaveText(['40']);
        await ip.getByRole('button', { name: 'Source IP', exact: true }).focus();
        await page.mouse.move(0, 0);
        await expect(lit).toHaveText(['0a', '01', '0a', '0b']);
        // And a byte lights its field: byte 12 is the tag's TPID.
        await hex.locator('[data-b="12"]').hover();
        await expect(inspector.getByRole('table', { name: 'Ethernet' }).getByRole('row', { name: /TPID/ })).toHaveClass(/vp-field--on/);
        // Esc closes it and gives focus back to the chosen line.
        await page.keyboard.press('Escape');
        await expect(inspector).toHaveCount(0);
        await expect(line).toBeFocused();

        // On a phone the inspector opens under the log, its bytes in view too.
        await page.setViewportSize({ width: 360, height: 740 });
        await line.click();
        await expect(inspector).toBeVisible();
        await expect.poll(() => inView(page, hex), 'the bytes are in view at 360 px').toBe(true);
        await page.keyboard.press('Escape');
        await expect(inspector).toHaveCount(0);
        await page.setViewportSize({ width: 1280, height: 720 });
      });

      await test.step('Send packet after the script: C pings D across the router and gets TTL 63 back', async () => {
        const form = fix.getByRole('group', { name: 'Send a packet' });
        await form.getByRole('combobox', { name: 'Source', exact: true }).selectOption('C');
        await form.getByRole('combobox', { name: 'Destination' }).selectOption('D');
        await form.getByRole('button', { name: 'Send packet' }).click();
        const ping = actions(fix).getByRole('listitem').filter({ hasText: 'C pings D' });
        await expect(ping).toContainText(/in progress|queued/);
        await fix.getByRole('button', { name: 'Run to the end', exact: true }).click();
        await expect(ping).toContainText(/succeeded: C pings D: Reply from 10\.1\.20\.12: TTL 63/);
        await expect(fix.getByRole('table', { name: 'ARP cache of C', exact: true })).toContainText(MAC_R);
      });
    });
  });
});

test.describe('chapter "Why one VLAN per subnet", before its scripts arrive', () => {
  test('the living-room control reads what was typed into it before its script arrived', async ({ page }) => {
    // Hold the island's own script until the reader has typed: Astro names its chunk after the
    // component. (Outside the describe above, whose beforeEach would load the page before the hold.)
    const release = await holdScripts(page, /\/BroadcastCost\.[^/]*\.js$/);
    await chapter(page);
    const room = region(page, LIVING_ROOM);
    await room.scrollIntoViewIfNeeded();
    await room.getByRole('textbox', { name: 'Hosts on the switch' }).fill('40');
    await room.getByRole('textbox', { name: 'VLANs', exact: true }).fill('4');
    await expect(page.locator('astro-island', { has: room }), 'not hydrated yet while the script is held').toHaveAttribute('ssr', /.*/);
    release();
    await hydrated(page, room, 'the living-room control');
    const result = room.getByRole('status');
    await expect(result).toContainText('In each VLAN (10 hosts), one ARP request puts 10 frames on the cables (1 from the sender, 9 copies from the switch) and reaches 9 hosts');
    await expect(result).toContainText('every host has to read 4.5 broadcasts per second');
    await expect(room.getByRole('textbox', { name: 'Hosts on the switch' })).toHaveValue('40');
    await expect(room.getByRole('textbox', { name: 'VLANs', exact: true })).toHaveValue('4');
  });
});

test.describe('chapter "Why one VLAN per subnet", read with the keyboard only', () => {
  test('the living-room control, the trap and the trunk\'s tag, with Tab, typing, Enter, Space and the arrow keys', async ({ page }) => {
    await chapter(page);
    const room = region(page, LIVING_ROOM);
    const hosts = room.getByRole('textbox', { name: 'Hosts on the switch' });
    await pressUntil(page, (now) => now.regions[0] === LIVING_ROOM && now.name === 'Hosts on the switch', 'Tab reaches the living-room control', 200);
    // Focus scrolled it into view, which hydrates it; then type a new room size.
    await hydrated(page, room, 'the living-room control');
    await expect(hosts).toBeFocused();
    const result = room.getByRole('status');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('40');
    await expect(result).toContainText('One ARP request puts 40 frames');
    await page.keyboard.press('Tab');
    await expect(room.getByRole('textbox', { name: 'VLANs' })).toBeFocused();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('4');
    await expect(result).toContainText('In each VLAN (10 hosts), one ARP request puts 10 frames');
    await page.keyboard.press('Tab');
    await expect(room.getByRole('textbox', { name: 'ARP requests per host per second' })).toBeFocused();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('x');
    await expect(room.getByText('"x" is not a number')).toBeVisible();
    await expect(result).toContainText('Still showing 40 hosts in 4 VLANs at 0.5 requests per second');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('1');
    await expect(result).toContainText('every host has to read 9 broadcasts per second');

    // On to the trap: Tab until focus enters its player, then step with Enter and Space.
    const trap = region(page, TRAP);
    await pressUntil(page, (now) => now.regions.includes(TRAP), 'Tab reaches the trap player', 200);
    expect(await focusIsInside(trap), 'focus is in the trap player').toBe(true);
    // The drawing adds no Tab stop: the run controls are the first one, and it is Step.
    await expect(stepButton(trap)).toBeEnabled();
    await expect(stepButton(trap)).toBeFocused();
    for (const [n, key] of [[1, 'Enter'], [2, 'Space'], [3, 'Enter'], [4, 'Space']] as const) {
      await page.keyboard.press(key);
      await expect(stepCounter(trap, n)).toBeVisible();
      await expect(stepButton(trap)).toBeFocused();
    }
    await expect(eventLog(trap)).toContainText('C reads the ARP request (who has 10.1.20.11?) and ignores it: C is 10.1.10.12.');
    // Run to the end (after Play, → along the toolbar) runs the rest: the ping fails after three tries.
    await page.keyboard.press('ArrowRight');
    await expect(trap.getByRole('button', { name: 'Play', exact: true })).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(trap.getByRole('button', { name: 'Run to the end', exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(actions(trap).getByRole('listitem')).toHaveText([/failed: A pings B: Destination Host Unreachable/]);
    expect(await focusIsInside(trap), 'focus stays in the player').toBe(true);

    // On to the fix: step twice, then find the trunk copy of A's request in the log and read its tag.
    const fix = region(page, FIX);
    await pressUntil(page, (now) => now.regions.includes(FIX), 'Tab reaches the router-on-a-stick player', 200);
    expect(await focusIsInside(fix), 'focus is in the router-on-a-stick player').toBe(true);
    // The drawing's text alternative says each device's addresses, MAC and gateway (its spots are
    // for the pointer, not Tab stops): host A's, and router R's with the address of each sub-interface.
    const drawing = fix.getByRole('img', { name: /^Network diagram/ });
    await expect(drawing).toHaveAccessibleName(/A \(host; 10\.1\.10\.11\/24, MAC eth0 02:00:00:00:00:0a, gateway 10\.1\.10\.1\)/);
    await expect(drawing).toHaveAccessibleName(/R \(router; eth0\.10 10\.1\.10\.1\/24, eth0\.20 10\.1\.20\.1\/24, MAC eth0 02:00:00:00:01:00\)/);
    // Until the player hydrates, the server's HTML holds a wide and a narrow drawing (CSS shows one).
    await expect(stepButton(fix)).toBeEnabled();
    await expect(fix.locator('.vp-spot[data-spot="A"]')).toHaveAccessibleName('A (host): 10.1.10.11/24, MAC eth0 02:00:00:00:00:0a, gateway 10.1.10.1');
    await expect(stepButton(fix)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(stepCounter(fix, 1)).toBeVisible();
    await page.keyboard.press('Space');
    await expect(stepCounter(fix, 2)).toBeVisible();
    await pressUntil(page, (now) => now.inLog, 'Tab reaches a frame line of the log', 20);
    const trunkLine = 'sw1 sends [802.1Q VLAN 10] ARP who-has 10.1.10.1? tell 10.1.10.11 out of p5, towards R.';
    await page.keyboard.press('Home');
    await pressUntil(page, (now) => now.name === trunkLine, 'the arrow keys reach the trunk frame', 20, 'ArrowDown');
    const line = eventLog(fix).getByRole('button', { name: trunkLine });
    await expect(line).toBeFocused();
    await expect(line).toHaveAttribute('aria-pressed', 'true');
    const ethernet = frameBytes(fix).getByRole('table', { name: 'Ethernet' });
    await expect(ethernet.getByRole('row', { name: /TPID/ })).toContainText('0x8100 (802.1Q VLAN tag)');
    await expect(ethernet.getByRole('row', { name: /VLAN ID/ })).toContainText('10');
    // One line down: the copy to C on an access port, without a tag.
    await page.keyboard.press('ArrowUp');
    await expect(eventLog(fix).getByRole('button', { name: 'sw1 sends ARP who-has 10.1.10.1? tell 10.1.10.11 out of p3, towards C.' })).toBeFocused();
    await expect(ethernet.getByRole('row', { name: /TPID/ })).toHaveCount(0);
    // The inspector is the next Tab stop; Esc there closes it and gives focus back to the line.
    const toC = eventLog(fix).getByRole('button', { name: 'sw1 sends ARP who-has 10.1.10.1? tell 10.1.10.11 out of p3, towards C.' });
    await page.keyboard.press('Tab');
    await expect(fix.getByRole('region', { name: 'Inspector: sw1' }).getByRole('button', { name: 'Close inspector' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(fix.getByRole('region', { name: 'Inspector: sw1' })).toHaveCount(0);
    await expect(toC).toBeFocused();
    await expect(toC).toHaveAttribute('aria-pressed', 'false');
    expect(await focusIsInside(fix), 'focus stays in the player').toBe(true);
  });
});

test.describe('chapter "Why one VLAN per subnet": accessibility', () => {
  test('axe finds nothing after interacting, in the light and in the dark theme', async ({ page }) => {
    const checks = pageChecks(page);
    test.setTimeout(120_000); // axe twice: slow on a busy machine
    await page.emulateMedia({ colorScheme: 'light' });
    await chapter(page);
    const room = await openLivingRoom(page);
    await room.getByRole('textbox', { name: 'Hosts on the switch' }).fill('abc'); // an error on show
    const fix = await openPlayer(page, FIX);
    await stepTo(fix, 0, 13);
    // The inspector open on R's routing of the echo request (passed on, its changed rows marked),
    // its decisions unfolded, and a field's bytes lit by focus.
    await eventLog(fix).getByRole('button', { name: 'R receives the frame on eth0.' }).nth(1).click();
    await expect(frameBytes(fix).getByRole('figure', { name: /Hex dump/ })).toBeVisible();
    await expect(fix.getByText('changed').first()).toBeVisible();
    await fix.getByText('What R decided').click();
    await expect(fix.getByText(/^Layer 3$/).first()).toBeVisible();
    const ttl = frameBytes(fix).getByRole('button', { name: 'TTL', exact: true });
    await ttl.focus();
    await expect(frameBytes(fix).locator('.vp-byte--on')).toHaveText(['40']);
    const trap = await openPlayer(page, TRAP);
    await stepTo(trap, 0, 3);

    // The whole page in one pass per theme (site.spec.ts leaves chapter pages to this test): every
    // other island hydrated as the reader scrolls past it, and these widgets in the states left above.
    await scrollThrough(page);
    await expectNoAxeViolations(page, { label: `${CHAPTER} after interacting (light)` });
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(room.getByRole('textbox', { name: 'Hosts on the switch' })).toHaveAttribute('aria-invalid', 'true');
    await ttl.focus();
    await expect(frameBytes(fix).locator('.vp-byte--on')).toHaveText(['40']);
    await expectNoAxeViolations(page, { rules: COLOUR_RULES, label: `${CHAPTER} after interacting (dark)` });
    // The checks every page gets (site.spec.ts leaves chapter pages to this test): its drawings at
    // 1280 and 360 px, in the states left above, and no request to another host.
    await checks.drawings(CHAPTER);
    checks.localOnly();
    await checks.scriptsAfterPaint(CHAPTER);
  });
});
