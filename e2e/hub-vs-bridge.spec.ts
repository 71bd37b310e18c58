// Chapter "Hub vs bridge" read the way a reader reads it: step through each live experiment,
// watch the log, the tables and the actions, send a packet of one's own, look at a frame's bytes,
// all of it once more with the keyboard alone, and check accessibility and reduced motion.
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { holdScripts, pageChecks, scrollThrough } from './helpers/pages.ts';
import {
  bodyRows,
  eventLog,
  logSoFar,
  expectRows,
  focusIsInside,
  openPlayer,
  playToEnd,
  pressUntil,
  stepBackButton,
  stepButton,
  stepCounter,
  stepTo,
  stepsUndone,
} from './helpers/player.ts';
import { region } from './helpers/region.ts';

const CHAPTER = '/chapters/hub-vs-bridge/';

const HUB = 'Four hosts on a hub';
const BRIDGE = 'Four hosts on a learning bridge';
const TWO_NICS = 'B and C plugged into two NICs of host A';
const TWO_NICS_BRIDGED = "A bridge joins A's two NICs";
const LOOP = 'Two bridges, two cables, no STP';
const SHARED = 'Two hosts behind one bridge port';

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';
const MAC_C = '02:00:00:00:00:0c';
const MAC_D = '02:00:00:00:00:0d';

function actions(region: Locator): Locator {
  return region.getByRole('list', { name: 'Actions' });
}

/** The "Next: …" line under the controls. */
function nextLine(region: Locator): Locator {
  return region.getByRole('paragraph').filter({ hasText: /^Next:/ });
}

function frameBytes(region: Locator): Locator {
  return region.getByRole('group', { name: 'Frame bytes', exact: true });
}

async function chapter(page: Page): Promise<void> {
  await page.goto(CHAPTER);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hub vs bridge');
}

test.describe('chapter "Hub vs bridge", read with a pointer', () => {
  test.beforeEach(async ({ page }) => chapter(page));

  test('the hub repeats and the loop storms, each on its own player of one page load', async ({ page }) => {
    test.setTimeout(180_000);
    await test.step('the hub repeats A\'s frame out of every other port; C and D ignore it, B accepts it; a frame line shows its bytes; Step back undoes a step', async () => {
      const hub = await openPlayer(page, HUB);
      const log = eventLog(hub);
      await expect(stepCounter(hub, 0)).toBeVisible();
      await expect(hub.getByText('t = 0 ms', { exact: true })).toBeVisible();
      await expect(nextLine(hub)).toContainText('A sends a frame to B (at t = 0 ms)');
      await expect(stepBackButton(hub)).toBeDisabled();

      // The core is not part of the page (issue 10): nothing has loaded it yet. The first Step does;
      // held on its way, the player says it is loading, and the press happens when it arrives.
      const coreChunk = /\/_astro\/player-core\.[\w-]+\.js$/;
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      expect(loaded.filter((url) => coreChunk.test(url)), 'the core before the first Step').toEqual([]);
      const release = await holdScripts(page, coreChunk);
      const coreRequest = page.waitForRequest(coreChunk);
      await stepButton(hub).click();
      await coreRequest;
      await expect(hub.getByRole('status').filter({ hasText: 'Loading the simulation…' })).toBeVisible();
      await expect(hub).toHaveAttribute('aria-busy', 'true');
      await expect(stepCounter(hub, 0)).toBeVisible();
      release();
      await expect(stepCounter(hub, 1)).toBeVisible();
      await expect(hub).not.toHaveAttribute('aria-busy');
      await expect(log).toContainText('Step 1 · t = 0 ms');
      await expect(log).toContainText(`A sends frame ${MAC_A} → ${MAC_B}`);

      await stepTo(hub, 1, 2);
      await expect(hub.getByText('t = 1 ms', { exact: true })).toBeVisible();
      await expect(log).toContainText('hub is a hub: it repeats the frame out of every other port (ports p2, p3 and p4) without reading any address.');
      // The three copies are on the cables, one per port.
      for (const [port, host] of [['p2', 'B'], ['p3', 'C'], ['p4', 'D']]) {
        await expect(hub.getByRole('button', { name: new RegExp(`^hub ${port} → ${host} eth0: frame ${MAC_A} → ${MAC_B}`) })).toBeVisible();
      }
      await expect(hub.getByText('On the cables (3):')).toBeVisible();

      // A frame line in the log shows its bytes: Ethernet fields and the hex dump.
      const bytes = frameBytes(hub);
      await expect(bytes).toHaveCount(0);

      const line = eventLog(hub).getByRole('button', { name: `A sends frame ${MAC_A} → ${MAC_B}, EtherType 0x88b5 out of eth0, towards hub.` });
      await expect(line).toHaveAttribute('aria-pressed', 'false');
      await line.click();
      await expect(line).toHaveAttribute('aria-pressed', 'true');

      const ethernet = bytes.getByRole('table', { name: 'Ethernet' });
      await expect(ethernet).toBeVisible();
      await expect(ethernet.getByRole('columnheader')).toHaveText(['Field', 'Value', 'Offset']);
      await expect(ethernet.getByRole('row', { name: /Destination MAC/ })).toContainText(MAC_B);
      await expect(ethernet.getByRole('row', { name: /Destination MAC/ })).toContainText('0–5');
      await expect(ethernet.getByRole('row', { name: /Source MAC/ })).toContainText(MAC_A);
      await expect(bytes.getByRole('table', { name: 'Data' })).toContainText('"hello B"');
      const hex = bytes.getByRole('figure', { name: /Hex dump/ });
      await expect(hex).toContainText('0000  02 00 00 00 00 0b 02 00  00 00 00 0a 88 b5');
      await expect(bytes).toContainText('(60 bytes)');

      // A frame on a cable shows its bytes too.
      await hub.getByRole('button', { name: /^hub p3 → C eth0:/ }).click();
      await expect(line).toHaveAttribute('aria-pressed', 'false');
      await expect(bytes).toContainText('hub sends frame 02:00:00:00:00:0a → 02:00:00:00:00:0b, EtherType 0x88b5 out of p3, towards C.');
      await expect(bytes.getByRole('table', { name: 'Ethernet' })).toContainText(MAC_B);

      await hub.getByRole('button', { name: 'Close inspector' }).click();
      await expect(bytes).toHaveCount(0);
      await expect(hub.getByRole('figure', { name: /Hex dump/ })).toHaveCount(0);

      await stepTo(hub, 2, 5);
      await expect(log).toContainText(`B accepts the raw frame ("hello B") from ${MAC_A}: addressed to its own MAC.`);
      await expect(log).toContainText(`C's eth0 ignores the frame: it is addressed to ${MAC_B}, not to ${MAC_C}.`);
      await expect(log).toContainText(`D's eth0 ignores the frame: it is addressed to ${MAC_B}, not to ${MAC_D}.`);
      await expect(hub.getByRole('list', { name: 'Latest step' }).getByRole('listitem')).toHaveText(['D ✕ dropped at eth0']);
      await expect(hub.getByText('No frame on the cables.')).toBeVisible();
      // A hub keeps no table at all.
      await expect(hub.getByRole('table', { name: /MAC table/ })).toHaveCount(0);

      await stepBackButton(hub).click();
      await expect(stepCounter(hub, 4)).toBeVisible();
      await expect(logSoFar(hub)).not.toContainText("D's eth0 ignores the frame");
      await expect(logSoFar(hub)).not.toContainText('Step 5 · t = 2 ms');
      await expect(logSoFar(hub)).toContainText(`C's eth0 ignores the frame: it is addressed to ${MAC_B}`);
      await expect(hub.getByRole('list', { name: 'Latest step' }).getByRole('listitem')).toHaveText(['C ✕ dropped at eth0']);
      // The timeline: the step undone stays listed below "Now", and the scrubber reaches it.
      await expect(stepsUndone(hub)).toContainText("D's eth0 ignores the frame");
      const scrubber = hub.getByRole('slider', { name: 'Timeline' });
      await expect(scrubber).toHaveAttribute('aria-valuetext', 'Step 4 of 5');
      await scrubber.focus();
      await page.keyboard.press('Home');
      await expect(stepCounter(hub, 0)).toBeVisible();
      await expect(logSoFar(hub)).toHaveCount(1);
      await expect(actions(hub).getByRole('listitem').first()).toContainText('queued');
      // A step's heading takes the whole run there: forward, replaying the steps undone exactly.
      await stepsUndone(hub).getByRole('button', { name: /^Step 4 · / }).click();
      await expect(stepCounter(hub, 4)).toBeVisible();
      await expect(logSoFar(hub)).toContainText(`C's eth0 ignores the frame: it is addressed to ${MAC_B}`);

      await stepButton(hub).click();
      await expect(stepCounter(hub, 5)).toBeVisible();
      await expect(stepsUndone(hub)).toHaveCount(0);
      await expect(log).toContainText(`D's eth0 ignores the frame: it is addressed to ${MAC_B}, not to ${MAC_D}.`);

      // A click on the drawing gives the player focus; then ← steps back and → steps.
      await hub.getByRole('img', { name: /^Network diagram of/ }).click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('ArrowLeft');
      await expect(stepCounter(hub, 4)).toBeVisible();
      await page.keyboard.press('ArrowRight');
      await expect(stepCounter(hub, 5)).toBeVisible();
    });
    await test.step('the loop ends in a broadcast storm alert; Step is disabled, and Reset brings the player back', async () => {
      const loop = await openPlayer(page, LOOP);
      await expect(loop.getByRole('alert')).toHaveCount(0);
      // Play steps on its own, at the chosen pace; Pause stops it.
      await loop.getByRole('combobox', { name: 'Speed' }).selectOption('8');
      await loop.getByRole('button', { name: 'Play', exact: true }).click();
      await expect(loop.getByText(/^Step ([2-9]|\d{2,})$/)).toBeVisible();
      await loop.getByRole('button', { name: 'Pause', exact: true }).click();
      await expect(loop.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
      // Run to the end goes on from there without drawing every hop, until the storm stops the run.
      await loop.getByRole('button', { name: 'Run to the end', exact: true }).click();

      const alert = loop.getByRole('alert');
      await expect(alert).toBeVisible();
      await expect(alert).toContainText(/The run stopped at t = \d+ ms\. Broadcast storm: one frame has been copied 64 times/);
      await expect(stepButton(loop)).toBeDisabled();
      await expect(loop.getByRole('button', { name: 'Play', exact: true })).toBeDisabled();
      await expect(loop.getByRole('button', { name: 'Send packet' })).toBeDisabled();
      await expect(nextLine(loop)).toContainText('the run has stopped');
      // The broadcast left A, but its copies were still circling: the action is not called a success.
      await expect(actions(loop).getByRole('listitem')).toHaveText([/stopped: A sends one broadcast: .* the broadcast storm stopped the run\.$/]);
      await expect(eventLog(loop)).toContainText('it has gone round a loop');
      await expect(eventLog(loop)).toContainText(`moves ${MAC_A} from port`);
      await expectNoAxeViolations(page, { include: 'section[data-scenario="hub-vs-bridge/loop"] [role="alert"]', label: 'the storm alert' });

      // Still responsive: step back, then reset.
      await stepBackButton(loop).click();
      await expect(alert).toHaveCount(0);
      await expect(stepButton(loop)).toBeEnabled();
      await loop.getByRole('button', { name: 'Reset' }).click();
      await expect(stepCounter(loop, 0)).toBeVisible();
      await expect(eventLog(loop)).toContainText('Nothing has happened yet');
      await stepButton(loop).click();
      await expect(stepCounter(loop, 1)).toBeVisible();
    });

  });

  // Claims about one player's run share a test (and a page load); each is a step of its own in the report.
  test('the bridge learns and forwards, and two NICs are not a bridge until one joins them, each on its own player of one page load', async ({ page }) => {
    test.setTimeout(180_000);
    await test.step('the bridge floods A\'s first frame, learns A and B, forwards B\'s answer to p1 only, and ends knowing A, B and C; Send packet after the script: C pings D, it works, and C\'s ARP cache learns D; "Only my packet" to a typed address plays exactly that one action', async () => {
      const bridge = await openPlayer(page, BRIDGE);
      await test.step('the bridge floods A\'s first frame, learns A and B, forwards B\'s answer to p1 only, and ends knowing A, B and C', async () => {
        const log = eventLog(bridge);
        const mac = bridge.getByRole('table', { name: 'MAC table of br0' });
        await expect(mac).toBeVisible();
        await expect(mac.getByRole('columnheader')).toHaveText(['MAC', 'Port', 'Age (s)', 'Whose']);
        expect(await bodyRows(mac)).toEqual([['empty']]);

        await stepTo(bridge, 0, 2);
        await expect(log).toContainText(`br0 learns that ${MAC_A} lives behind port p1.`);
        await expect(log).toContainText(`br0 floods the frame to ports p2, p3 and p4: the destination ${MAC_B} is not in its MAC table yet.`);
        await expectRows(mac, [[MAC_A, 'p1']]);
        // The row this step learned is marked.
        await expect(mac.locator('tr.vp-row--changed')).toHaveText([new RegExp(`^${MAC_A}p1`)]);

        // B's answer (steps 3 to 7): forwarded to A's port only.
        await stepTo(bridge, 2, 7);
        await expect(log).toContainText(`br0 knows ${MAC_A} is behind port p1: it forwards the frame there only.`);
        await expect(bridge.getByRole('button', { name: new RegExp(`^br0 p1 → A eth0: frame ${MAC_B} → ${MAC_A}`) })).toBeVisible();
        await expect(bridge.getByText('On the cables (1):')).toBeVisible();
        await expectRows(mac, [
          [MAC_A, 'p1'],
          [MAC_B, 'p2'],
        ]);
        // Step 7 learned B (A's row, learned earlier, is no longer marked).
        await expect(mac.locator('tr.vp-row--changed')).toHaveText([new RegExp(`^${MAC_B}p2`)]);

        await stepBackButton(bridge).click();
        await expect(stepCounter(bridge, 6)).toBeVisible();
        await expect(logSoFar(bridge)).not.toContainText('it forwards the frame there only');
        await expectRows(mac, [[MAC_A, 'p1']]);
        await expect(mac.locator('tr.vp-row--changed')).toHaveCount(0);

        await playToEnd(bridge);
        await expect(stepCounter(bridge, 22)).toBeVisible();
        await expect(bridge.getByText('t = 38 ms', { exact: true })).toBeVisible();
        await expect(nextLine(bridge)).toContainText('nothing is queued');
        await expectRows(mac, [
          [MAC_A, 'p1'],
          [MAC_B, 'p2'],
          [MAC_C, 'p3'],
        ]);
        await expect(mac).not.toContainText(MAC_D);
        const done = actions(bridge).getByRole('listitem');
        await expect(done).toHaveCount(4);
        await expect(done.filter({ hasText: 'A pings C' })).toContainText('succeeded: A pings C: Reply from 10.0.0.12');
        for (const item of await done.all()) await expect(item).toContainText('succeeded:');
        // The timeline's filters narrow the log: ARP alone, then C's ICMP alone.
        const protocol = bridge.getByRole('combobox', { name: 'Protocol' });
        await protocol.selectOption('ARP');
        await expect(log).toContainText('ARP who-has 10.0.0.12? tell 10.0.0.10');
        await expect(log).not.toContainText('echo request');
        await expect(log).not.toContainText('hello B');
        await protocol.selectOption('ICMP');
        await bridge.getByRole('combobox', { name: 'Device', exact: true }).selectOption('C');
        await expect(log).toContainText('C receives an echo request from 10.0.0.10');
        await expect(log).not.toContainText('who has');
        await expect(log).not.toContainText('B receives');
        await protocol.selectOption('All');
        await bridge.getByRole('combobox', { name: 'Device', exact: true }).selectOption('All');
      });
      await test.step('Run it for real: the run so far as a pcapng capture, the experiment as a Linux script (highlighted, copyable) and a containerlab topology', async () => {
        const real = bridge.locator('details.vp-real');
        await real.getByText('Run it for real', { exact: false }).first().click();
        const status = real.getByRole('status').last();
        // The capture: a pcapng Section Header Block, little-endian, and one Enhanced Packet Block per frame the status counts.
        const [capture] = await Promise.all([page.waitForEvent('download'), real.getByRole('button', { name: 'Download capture (.pcapng)' }).click()]);
        expect(capture.suggestedFilename()).toBe('hub-vs-bridge-bridge.pcapng');
        const pcap = readFileSync(await capture.path());
        expect([...pcap.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
        expect(pcap.readUInt32LE(8)).toBe(0x1a2b3c4d);
        let packets = 0;
        for (let at = 0; at < pcap.length; at += pcap.readUInt32LE(at + 4)) if (pcap.readUInt32LE(at) === 6) packets++;
        await expect(status).toHaveText(`Saved hub-vs-bridge-bridge.pcapng: ${packets} frames on link ends, up to step 22.`);
        expect(packets).toBeGreaterThan(20);
        // The script: the chapter's version, highlighted at build time, and downloadable as it is shown.
        const script = real.getByRole('region', { name: 'Linux script for Four hosts on a learning bridge' });
        await expect(script.locator('.sh-f').first()).toBeVisible();
        await expect(script).toContainText('link add name br0 type bridge stp_state 0 mcast_snooping 0');
        const [saved] = await Promise.all([page.waitForEvent('download'), real.getByRole('button', { name: 'Download lab.sh' }).click()]);
        const text = readFileSync(await saved.path(), 'utf8');
        expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
        expect(text).toContain('send_raw $P-A eth0 02:00:00:00:00:0b 68656c6c6f2042 pad');
        expect(text.replace(/\s+/g, ' ')).toContain((await script.innerText()).replace(/\s+/g, ' ').trim());
        const [clab] = await Promise.all([page.waitForEvent('download'), real.getByRole('button', { name: 'Download containerlab topology (.clab.yml)' }).click()]);
        expect(readFileSync(await clab.path(), 'utf8')).toMatch(/^name: "vnl-hub-vs-bridge-bridge"$/m);
      });
      await test.step('Send packet after the script (the run is at its end): C pings D, it works, and C\'s ARP cache learns D', async () => {
        const form = bridge.getByRole('group', { name: 'Send a packet' });
        const kind = form.getByRole('combobox', { name: 'Packet kind' });
        const destination = form.getByRole('combobox', { name: 'Destination' });
        // Only a raw frame can go to the broadcast address.
        // The form starts with the script's first packet: A's raw frame to B.
        await expect(kind).toHaveValue('raw');
        await expect(destination).toHaveValue('B');
        await expect(destination.getByRole('option')).toHaveText(['A', 'B', 'C', 'D', 'broadcast (ff:ff:ff:ff:ff:ff)', 'a MAC address you type…']);
        await kind.selectOption('ping');
        await expect(destination.getByRole('option')).toHaveText(['A', 'B', 'C', 'D', 'an IPv4 address you type…']);

        await form.getByRole('combobox', { name: 'Source', exact: true }).selectOption('C');
        await destination.selectOption('D');
        await form.getByRole('button', { name: 'Send packet' }).click();
        const ping = actions(bridge).getByRole('listitem').filter({ hasText: 'C pings D' });
        await expect(ping).toHaveCount(1);
        await expect(ping).toContainText(/in progress|queued/);
        await expect(stepButton(bridge)).toBeEnabled();

        await bridge.getByRole('button', { name: 'Run to the end', exact: true }).click();
        await expect(ping).toContainText('succeeded: C pings D: Reply from 10.0.0.13');
        await expect(stepButton(bridge)).toBeDisabled();
        const arpC = bridge.getByRole('table', { name: 'ARP cache of C' });
        await expect(arpC.getByRole('columnheader')).toHaveText(['IP', 'MAC', 'Whose']);
        expect(await bodyRows(arpC)).toContainEqual(['10.0.0.13', MAC_D, 'D']); // whose the MAC is, by name
        // The bridge now knows D too: D answered.
        await expect(bridge.getByRole('table', { name: 'MAC table of br0' })).toContainText(MAC_D);
      });
      await test.step('Only my packet, to a typed address: after Reset, exactly one action plays, and a bad address sends nothing', async () => {
        await bridge.getByRole('button', { name: 'Reset' }).click();
        await expect(stepCounter(bridge, 0)).toBeVisible();
        // Reset went back to the script's start: its four actions, queued.
        const list = actions(bridge).getByRole('listitem');
        await expect(list).toHaveCount(4);
        const form = bridge.getByRole('group', { name: 'Send a packet' });
        await form.getByRole('checkbox', { name: 'Only my packet' }).check();
        await expect(form.getByRole('checkbox', { name: 'Only my packet' })).toHaveAccessibleDescription(/The script's 4 actions that have not started yet are left out.*Reset brings the script back/);
        await form.getByRole('combobox', { name: 'Source', exact: true }).selectOption('A');
        await form.getByRole('combobox', { name: 'Destination' }).selectOption('an IPv4 address you type…');
        const address = form.getByRole('textbox', { name: 'IPv4 address' });
        await address.fill('10.0.0.300');
        await form.getByRole('button', { name: 'Send packet' }).click();
        await expect(address).toHaveAccessibleDescription(/"10\.0\.0\.300" is not an IPv4 address/);
        await expect(address).toBeFocused();
        await expect(stepCounter(bridge, 0)).toBeVisible();
        await expect(list).toHaveCount(4);

        await address.fill('10.0.0.13');
        await form.getByRole('button', { name: 'Send packet' }).click();
        await expect(list).toHaveCount(1);
        await expect(list).toContainText(/A pings 10\.0\.0\.13/);
        await bridge.getByRole('button', { name: 'Run to the end', exact: true }).click();
        await expect(list).toHaveText([/succeeded: A pings 10\.0\.0\.13: Reply from 10\.0\.0\.13/]);
        await expect(stepButton(bridge)).toBeDisabled();
        // Reset brings the script back.
        await bridge.getByRole('button', { name: 'Reset' }).click();
        await expect(list).toHaveCount(4);
      });
    });

    await test.step('two NICs: B\'s ping fails with "Destination Host Unreachable"; bridged, it works and A (br0) learns B on nic1, C on nic2; two hosts behind one bridge port: the bridge floods the first frame, then filters A and B\'s conversation; the side-by-side table shows the computed counts: 21/11/21 copies, 14/4/14 unwanted', async () => {
      await test.step('two NICs: B\'s ping fails with "Destination Host Unreachable"; bridged, it works and A (br0) learns B on nic1, C on nic2', async () => {
        const apart = await openPlayer(page, TWO_NICS);
        await playToEnd(apart);
        await expect(stepCounter(apart, 7)).toBeVisible();
        await expect(actions(apart).getByRole('listitem')).toHaveText([/failed: B pings C: Destination Host Unreachable/]);
        const log = eventLog(apart);
        await expect(log).toContainText('a host does not pass frames from nic1 to its other NICs, so the request goes no further.');
        await expect(log).toContainText('B asks again (ARP request 3 of 3)');
        await expect(log).not.toContainText('C receives');
        await expect(apart.getByRole('table', { name: /MAC table/ })).toHaveCount(0);

        const joined = await openPlayer(page, TWO_NICS_BRIDGED);
        await playToEnd(joined);
        await expect(actions(joined).getByRole('listitem')).toHaveText([/succeeded: B pings C: Reply from 10\.0\.0\.12/]);
        await expect(eventLog(joined)).toContainText('A (br0) floods the frame to port nic2: ff:ff:ff:ff:ff:ff is the broadcast address.');
        const mac = joined.getByRole('table', { name: 'MAC table of A (br0)', exact: true });
        await expectRows(mac, [
          [MAC_B, 'nic1'],
          [MAC_C, 'nic2'],
        ]);
      });
      await test.step('two hosts behind one bridge port: the bridge floods the first frame, then filters A and B\'s conversation', async () => {
        const shared = await openPlayer(page, SHARED);
        await playToEnd(shared);
        const log = eventLog(shared);
        await expect(log).toContainText(`br0 floods the frame to port p2: the destination ${MAC_B} is not in its MAC table yet.`);
        await expect(log).toContainText(`br0 filters the frame: ${MAC_A} lives behind port p1, the port it came in on, so it has already reached its segment.`);
        await expect(log).toContainText(`br0 filters the frame: ${MAC_B} lives behind port p1`);
        await expectRows(shared.getByRole('table', { name: 'MAC table of br0', exact: true }), [
          [MAC_A, 'p1'],
          [MAC_B, 'p1'],
        ]);
      });
      await test.step('the side-by-side table shows the computed counts: 21/11/21 copies, 14/4/14 unwanted', async () => {
        const caption = 'The same four actions behind a hub, a learning bridge and a bridge that keeps nothing';
        const table = page.getByRole('table', { name: caption, exact: true });
        await table.scrollIntoViewIfNeeded();
        await expect(table).toBeVisible();
        await expect(table.getByRole('columnheader')).toHaveText([
          'Action',
          'Hub: hosts that received a copy',
          'Bridge: hosts that received a copy',
          'Bridge, ageing time 0: hosts that received a copy',
        ]);
        const row = (header: string) =>
          table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: header, exact: true }) }).getByRole('cell');
        // Hosts reached per action, as tests/chapters/hub-vs-bridge.test.ts asserts.
        await expect(row('A sends a frame to B')).toHaveText(['B, C, D', 'B, C, D', 'B, C, D']);
        await expect(row('B answers A')).toHaveText(['A, C, D', 'A', 'A, C, D']);
        await expect(row('A sends to B again')).toHaveText(['B, C, D', 'B', 'B, C, D']);
        await expect(row('A pings C')).toHaveText(['A, B, C, D', 'A, B, C, D', 'A, B, C, D']);
        // The same numbers as compareReach() in tests/chapters/hub-vs-bridge.test.ts.
        await expect(row('Copies that reached hosts')).toHaveText(['21', '11', '21']);
        await expect(row('Copies hosts had to throw away')).toHaveText(['14', '4', '14']);
      });
    });
  });
});

test.describe('chapter "Hub vs bridge", read with the keyboard only', () => {
  test('the bridge player: Tab to it, step with Enter and Space, the run controls\' arrow keys, Send packet, the log\'s arrow keys, a frame\'s bytes, and the player\'s keys (→ ← Space)', async ({ page }) => {
    await chapter(page);
    const bridge = region(page, BRIDGE);
    const log = eventLog(bridge);
    const inside = async (what: string) => expect(await focusIsInside(bridge), `focus stays in the player (${what})`).toBe(true);

    // From the top of the page, Tab until focus enters the bridge player. A player hydrates when it
    // scrolls into view; focus moving into it scrolls it there.
    await pressUntil(page, (now) => now.regions.includes(BRIDGE), 'Tab reaches the bridge player', 150);
    await inside('Tab reaches the bridge player');
    // The drawing adds no Tab stop: its text alternative names each device with its address and
    // MAC, and the mouse on a device shows them in a tooltip.
    await expect(bridge.getByRole('img', { name: /^Network diagram/ })).toHaveAccessibleName(new RegExp(`A \\(host; 10\\.0\\.0\\.10/24, MAC eth0 ${MAC_A}\\)`));
    // Until the player hydrates, the server's HTML holds its wide and its phone drawing, one of
    // them hidden by CSS: the spot is the one on screen.
    const spot = (id: string) => bridge.locator(`.vp-spot[data-spot="${id}"]`).filter({ visible: true });
    const tip = (id: string) => spot(id).locator('.vp-tip');
    await spot('C').hover();
    await expect(tip('C')).toContainText(`MAC eth0 ${MAC_C}`);
    await expect(tip('B')).toBeHidden();
    // The run controls are the player's first Tab stop, a toolbar: Tab lands on its Step, even
    // before the player has hydrated (its buttons are only aria-disabled then); focusing it
    // scrolls the player into view, which hydrates it.
    await expect(stepButton(bridge)).toBeEnabled();
    await expect(stepButton(bridge)).toBeFocused();

    // Enter and Space alternately until A's first frame reaches B (step 3).
    for (const [n, key] of [[1, 'Enter'], [2, 'Space'], [3, 'Enter']] as const) {
      await page.keyboard.press(key);
      await expect(stepCounter(bridge, n)).toBeVisible();
      await expect(stepButton(bridge)).toBeFocused();
      await inside(`after Step ${n}`);
    }
    await expect(log).toContainText(`B accepts the raw frame ("hello B") from ${MAC_A}: addressed to its own MAC.`);
    await expectRows(bridge.getByRole('table', { name: 'MAC table of br0' }), [[MAC_A, 'p1']]);

    // Step back: on the toolbar ← moves to it (there the arrows move between buttons, they do not step).
    await page.keyboard.press('ArrowLeft');
    await expect(stepBackButton(bridge)).toBeFocused();
    await expect(stepCounter(bridge, 3)).toBeVisible();
    await page.keyboard.press('Space');
    await expect(stepCounter(bridge, 2)).toBeVisible();
    await expect(logSoFar(bridge)).not.toContainText('B accepts the raw frame ("hello B")');
    await expect(stepBackButton(bridge)).toBeFocused();
    await inside('after Step back');

    // The toolbar's arrows wrap round; Home and End go to its ends.
    const button = (name: string) => bridge.getByRole('button', { name, exact: true });
    for (const [key, name] of [['End', 'Reset'], ['ArrowRight', 'Step back'], ['ArrowLeft', 'Reset'], ['ArrowLeft', 'Run to the end'], ['Home', 'Step back'], ['ArrowRight', 'Step']]) {
      await page.keyboard.press(key);
      await expect(button(name), `${key} on the run controls`).toBeFocused();
    }
    await expect(stepCounter(bridge, 2)).toBeVisible();
    await expect(bridge.getByRole('toolbar', { name: 'Run controls' })).toHaveAccessibleDescription(/← → move between these buttons\. Elsewhere in the player .*: → steps, ← steps back, Space plays or pauses/);
    // Tab leaves the toolbar in one stop; Shift+Tab comes back to the button focused last.
    await page.keyboard.press('Tab');
    await expect(bridge.getByRole('combobox', { name: 'Speed' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(stepButton(bridge)).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(bridge.getByRole('combobox', { name: 'Speed' })).toBeFocused();

    // Send packet: ping from C to D, chosen with the arrow keys.
    const form = bridge.getByRole('group', { name: 'Send a packet' });
    await page.keyboard.press('Tab');
    const kind = form.getByRole('combobox', { name: 'Packet kind' });
    await expect(kind).toBeFocused();
    // It starts with the script's first packet, a raw frame: the reader picks a ping by typing.
    await expect(kind).toHaveValue('raw');
    await page.keyboard.type('p');
    await expect(kind).toHaveValue('ping');
    await page.keyboard.press('Tab');
    const source = form.getByRole('combobox', { name: 'Source', exact: true });
    await expect(source).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(source).toHaveValue('C');
    await page.keyboard.press('Tab');
    const destination = form.getByRole('combobox', { name: 'Destination' });
    await expect(destination).toBeFocused();
    await expect(destination).toHaveValue('B');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(destination).toHaveValue('D');
    await page.keyboard.press('Tab');
    await expect(form.getByRole('checkbox', { name: 'Only my packet' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(form.getByRole('button', { name: 'Send packet' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(actions(bridge).getByRole('listitem').filter({ hasText: 'C pings D' })).toContainText(/in progress|queued/);
    await inside('after Send packet');

    // The log: Tab into its frame lines, Enter opens a frame's bytes, arrows move between lines.
    await pressUntil(
      page,
      (now) => {
        expect(now.regions, 'focus stays in the player (tabbing to the log)').toContain(BRIDGE);
        return now.inLog;
      },
      'Tab reaches a frame line of the log',
      15,
    );
    const bytes = frameBytes(bridge);
    await expect(bytes).toHaveCount(0);
    const current = log.locator('button:focus');
    await page.keyboard.press('Enter');
    await expect(current).toHaveAttribute('aria-pressed', 'true');
    await expect(bytes.getByRole('table', { name: 'Ethernet' })).toBeVisible();
    await expect(bytes.getByRole('figure', { name: /Hex dump/ })).toBeVisible();

    await page.keyboard.press('Home');
    const first = log.getByRole('button', { name: `A sends frame ${MAC_A} → ${MAC_B}, EtherType 0x88b5 out of eth0, towards br0.` });
    await expect(first).toBeFocused();
    await expect(first).toHaveAttribute('aria-pressed', 'true');
    await expect(bytes.getByRole('table', { name: 'Ethernet' }).getByRole('row', { name: /Destination MAC/ })).toContainText(MAC_B);
    await page.keyboard.press('ArrowDown');
    const second = log.getByRole('button', { name: 'br0 receives the frame on p1.' });
    await expect(second).toBeFocused();
    await expect(second).toHaveAttribute('aria-pressed', 'true');
    await expect(first).toHaveAttribute('aria-pressed', 'false');
    await page.keyboard.press('ArrowUp');
    await expect(first).toBeFocused();
    await page.keyboard.press('End');
    await expect(log.getByRole('button').last()).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect(log.locator('button:focus')).toHaveAttribute('aria-pressed', 'true');
    await expect(bytes.getByRole('figure', { name: /Hex dump/ })).toContainText('0000');
    await inside('in the log');

    // The player's keys, from the log's box: → steps, ← steps back, Space plays and pauses,
    // and none of them scrolls the page.
    await page.keyboard.press('Shift+Tab');
    await expect(log).toBeFocused();
    // Sending the packet was step 3.
    await expect(stepCounter(bridge, 3)).toBeVisible();
    const scrolled = () => page.evaluate(() => window.scrollY);
    const top = await scrolled();
    await page.keyboard.press('ArrowRight');
    await expect(stepCounter(bridge, 4)).toBeVisible();
    await expect(log).toContainText(/Step 4 · t = \d+ ms/);
    await page.keyboard.press('ArrowLeft');
    await expect(stepCounter(bridge, 3)).toBeVisible();
    await expect(logSoFar(bridge)).not.toContainText('Step 4 ·');
    await page.keyboard.press('Space');
    await expect(button('Pause')).toBeVisible();
    // Playing moves on from step 3; on a busy machine it may be past step 4 before we look.
    await expect(bridge.getByText(/^Step (?:[4-9]|\d{2,})$/)).toBeVisible();
    await page.keyboard.press('Space');
    await expect(button('Play')).toBeVisible();
    await expect(log).toBeFocused();
    expect(await scrolled(), 'the keys did not scroll the page').toBe(top);

    // No keyboard trap: Tab leaves the player, forwards, and Shift+Tab comes back into it.
    await pressUntil(page, (now) => !now.regions.includes(BRIDGE), 'Tab leaves the player', 30);
    expect(await focusIsInside(bridge), 'Tab left the player').toBe(false);
    const after = await bridge.evaluate((el) => !!(el.compareDocumentPosition(document.activeElement!) & Node.DOCUMENT_POSITION_FOLLOWING));
    expect(after, 'focus left the player forwards').toBe(true);
    await page.keyboard.press('Shift+Tab');
    await inside('Shift+Tab back into the player');
  });
});

test.describe('chapter "Hub vs bridge": accessibility and motion', () => {
  test('axe finds nothing after interacting, in the light and in the dark theme', async ({ page }) => {
    const checks = pageChecks(page);
    test.setTimeout(120_000); // axe twice: slow on a busy machine
    await page.emulateMedia({ colorScheme: 'light' });
    await chapter(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

    const bridge = await openPlayer(page, BRIDGE);
    await stepTo(bridge, 0, 2);
    await eventLog(bridge).getByRole('button', { name: /^br0 floods the frame/ }).click();
    await expect(frameBytes(bridge).getByRole('figure', { name: /Hex dump/ })).toBeVisible();
    // The send form with "Only my packet" on and a typed address it refuses.
    const form = bridge.getByRole('group', { name: 'Send a packet' });
    await form.getByRole('checkbox', { name: 'Only my packet' }).check();
    await form.getByRole('combobox', { name: 'Destination' }).selectOption('a MAC address you type…');
    await form.getByRole('textbox', { name: 'MAC address' }).fill('nope');
    await form.getByRole('button', { name: 'Send packet' }).click();
    await expect(form.getByRole('alert')).toContainText('is not a MAC address');
    // "Run it for real" open, its script highlighted (the token colours in both themes).
    await bridge.locator('details.vp-real > summary').click();
    await expect(bridge.locator('.vp-real-script .sh-f').first()).toBeVisible();
    const nics = await openPlayer(page, TWO_NICS_BRIDGED);
    await stepTo(nics, 0, 3);
    const hub = await openPlayer(page, HUB);
    await stepTo(hub, 0, 4); // a "dropped" mark, with its cross on the drawing

    // The whole page in one pass per theme (site.spec.ts leaves chapter pages to this test): every
    // other island hydrated as the reader scrolls past it, and these players in the states left above.
    await scrollThrough(page);
    await expectNoAxeViolations(page, { label: `${CHAPTER} after interacting (light)` });

    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeFocused();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    // The players kept their state.
    await expect(frameBytes(bridge).getByRole('figure', { name: /Hex dump/ })).toBeVisible();
    await expectNoAxeViolations(page, { rules: COLOUR_RULES, label: `${CHAPTER} after interacting (dark)` });
    // The checks every page gets (site.spec.ts leaves chapter pages to this test): its drawings at
    // 1280 and 360 px, in the states left above, and no request to another host.
    await checks.drawings(CHAPTER);
    checks.localOnly();
    await checks.scriptsAfterPaint(CHAPTER);
  });

  test('at 360 px: the docked bar steps, the latest decision shows under the drawing, the send form and the contents are folded, and the player keeps its height over 20 steps', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await chapter(page);
    const contents = page.getByRole('navigation', { name: 'On this page' });
    await expect(contents.getByRole('link').first()).toBeHidden();
    await contents.locator('summary').click();
    await expect(contents.getByRole('link').first()).toBeVisible();
    const bridge = await openPlayer(page, BRIDGE);
    const unfold = bridge.getByRole('button', { name: 'Send a packet' });
    await expect(unfold).toHaveAttribute('aria-expanded', 'false');
    await expect(bridge.getByRole('combobox', { name: 'Packet kind' })).toBeHidden();
    // The dock: a pointer convenience, hidden from assistive technology (the run controls are the same buttons).
    const dock = bridge.locator('.vp-dock');
    await expect(dock).toHaveAttribute('aria-hidden', 'true');
    const dockStep = dock.getByText('Step ▶');
    await dockStep.scrollIntoViewIfNeeded();
    const height = async () => (await bridge.boundingBox())!.height;
    const heights: number[] = [await height()];
    for (let n = 1; n <= 20; n++) {
      await dockStep.click();
      await expect(stepCounter(bridge, n)).toHaveCount(1);
      heights.push(await height());
    }
    expect(new Set(heights), `the player's height at steps 0 to 20: ${heights.join(', ')}`).toEqual(new Set([heights[0]]));
    // The caption says what the latest step decided, in one line.
    await expect(bridge.locator('.vp-latest')).not.toBeEmpty();
    // The dock stays on screen while the player is scrolled through.
    await stepButton(bridge).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 600);
    const box = (await dock.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(740 + 1);
    expect(box.y).toBeGreaterThan(740 - 120);
    await unfold.click();
    await expect(bridge.getByRole('combobox', { name: 'Packet kind' })).toBeVisible();
  });

  test('with reduced motion a frame does not slide along its cable, and the log still narrates the hop', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await chapter(page);
    const bridge = await openPlayer(page, BRIDGE);
    const drawing = bridge.getByRole('img', { name: /^Network diagram of/ });
    const marker = drawing.locator('.vp-marker');

    /** Presses Step and records every transform the new marker shows during the next 700 ms. */
    const stepAndWatch = async (): Promise<{ seen: string[]; end: string }> => {
      await drawing.evaluate((svg) => {
        const w = window as unknown as { __transforms: string[] };
        w.__transforms = [];
        new MutationObserver((records) => {
          for (const r of records) {
            const el = r.target as Element;
            if (r.type === 'attributes' && el.matches('.vp-marker')) w.__transforms.push(el.getAttribute('transform') ?? '');
          }
        }).observe(svg, { subtree: true, attributes: true, attributeFilter: ['transform'] });
      });
      await stepButton(bridge).click();
      await expect(marker).toHaveCount(1);
      const first = await marker.getAttribute('transform');
      await page.waitForTimeout(200);
      const second = await marker.getAttribute('transform');
      await page.waitForTimeout(500);
      const recorded = await page.evaluate(() => (window as unknown as { __transforms: string[] }).__transforms);
      return { seen: [first ?? '', second ?? '', ...recorded], end: (await marker.getAttribute('data-end')) ?? '' };
    };

    // Reduce: the marker sits where it waits for its arrival, at two moments 200 ms apart and in between.
    const still = await stepAndWatch();
    expect(still.end).not.toBe('');
    expect(new Set(still.seen), 'the marker never moves').toEqual(new Set([still.end]));
    await expect(eventLog(bridge)).toContainText(`A sends frame ${MAC_A} → ${MAC_B}, EtherType 0x88b5 out of eth0, towards br0.`);
    await expect(bridge.getByRole('button', { name: new RegExp(`^A eth0 → br0 p1: frame ${MAC_A} → ${MAC_B}`) })).toBeVisible();

    // Control: the same step with motion allowed does slide, so the check above can see motion.
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await stepBackButton(bridge).click();
    await expect(stepCounter(bridge, 0)).toBeVisible();
    await bridge.getByRole('combobox', { name: 'Speed' }).selectOption('0.5'); // 600 ms slide
    const moving = await stepAndWatch();
    expect(new Set(moving.seen).size, 'with motion allowed the marker slides').toBeGreaterThan(2);
    await expect(marker).toHaveAttribute('transform', moving.end); // and stops where it waits
  });
});
