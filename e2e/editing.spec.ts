// Editing an experiment in place (issue 4), in chapter "Hub vs bridge": the bridge becomes a hub,
// a host is added and receives a packet, the edit survives a reload, a share link reproduces it in
// a fresh browser, bad links and hostile names are harmless, undo and reset work, and it all works
// with the keyboard alone and passes axe.
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, test, watchContext, type Problem } from './helpers/test.ts';
import { expectNoAxeViolations } from './helpers/axe.ts';
import { chooseDevice, commit, drawing, drawingName, editorStatus, openEditor, outcomeLines, tabTo } from './helpers/editor.ts';
import { bodyRows, expectRows, focusIsInside, openPlayer, playerRegion, playToEnd, pressUntil } from './helpers/player.ts';

const CHAPTER = '/chapters/hub-vs-bridge/';
const BRIDGE = 'Four hosts on a learning bridge';
const MAC_A = '02:00:00:00:00:0a';
const XSS = '<img src=x onerror="window.__xss=1">';

async function bridgePlayer(page: Page, url = CHAPTER): Promise<Locator> {
  await page.goto(url);
  return openPlayer(page, BRIDGE);
}

/** In the editor: br0 becomes a hub (Kind), host E is added and cabled to a new hub port by pointer. */
async function hubWithHostE(region: Locator): Promise<Locator> {
  const editor = await openEditor(region);
  await chooseDevice(editor, 'br0');
  await editor.getByRole('combobox', { name: 'Device kind' }).selectOption('hub');
  await expect(editorStatus(editor)).toHaveText('br0 is now a hub; same ports and cables.');
  await expect(drawing(region)).toHaveAttribute('aria-label', /br0 \(hub\)/);

  await editor.getByRole('button', { name: 'Add host' }).click();
  await expect(editorStatus(editor)).toContainText('Added host E');
  await expect(drawing(region)).toHaveAttribute('aria-label', /E \(host[;)]/);

  // Draw the cable with the pointer: E, then br0 (the hub gets a fifth port).
  await editor.getByRole('button', { name: 'Draw cables by pointer' }).click();
  await region.locator('[data-device="E"]').click();
  await region.locator('[data-device="br0"]').click();
  await expect(editorStatus(editor)).toHaveText('Connected E:eth0 to br0:p5.');
  await expect(drawing(region)).toHaveAttribute('aria-label', /E eth0 to br0 p5/);
  await editor.getByRole('button', { name: 'Draw cables by pointer' }).click();
  return editor;
}

/** A pings E with "Send packet", then the run goes to its end: E must have learned A from the ARP request. */
async function pingE(region: Locator): Promise<void> {
  // The form starts with the script's first packet (a raw frame, on this player): choose a ping.
  await region.getByRole('combobox', { name: 'Packet kind', exact: true }).selectOption('ping');
  await region.getByRole('combobox', { name: 'Source', exact: true }).selectOption('A');
  await region.getByRole('combobox', { name: 'Destination' }).selectOption('E');
  await region.getByRole('button', { name: 'Send packet' }).click();
  await playToEnd(region);
  await expectRows(region.getByRole('table', { name: 'ARP cache of E' }), [['10.0.0.10', MAC_A]]);
  await expect(region.getByRole('list', { name: 'Actions' })).toContainText(/A pings E/);
}

test.describe('editing the bridge experiment', () => {
  test('bridge → hub, add host E, E receives a packet; the edit survives a reload; undo, redo and reset; then export and import', async ({ page }) => {
    test.setTimeout(180_000);
    const region = await bridgePlayer(page);
    await expect(drawing(region)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
    // Nothing of the editor is loaded before the reader asks for it.
    // The player has hydrated (openPlayer waited for it): every script it needs has loaded.
    const editorScripts = () => page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((u) => /EditorPanel|storage|restore/.test(u) && /\.js$/.test(new URL(u).pathname)));
    expect(await editorScripts()).toEqual([]);
    const editor = await hubWithHostE(region);
    expect((await editorScripts()).some((u) => /EditorPanel/.test(u))).toBe(true);

    // A hub repeats A's ARP request to every port: the new host hears it and answers.
    await pingE(region);

    // Undo takes the cable back, redo restores it.
    await editor.getByRole('button', { name: 'Undo' }).click();
    await expect(drawing(region)).not.toHaveAttribute('aria-label', /E eth0 to br0/);
    await expect(editorStatus(editor)).toHaveText('Undone.');
    await editor.getByRole('button', { name: 'Redo' }).click();
    await expect(drawing(region)).toHaveAttribute('aria-label', /E eth0 to br0 p5/);

    // Reload: the edit is still there, and the player says it is the reader's version.
    await page.reload();
    const again = await openPlayer(page, BRIDGE);
    await expect(again.getByText('You are viewing your edited version of this experiment, saved in this browser.')).toBeVisible();
    await expect(drawing(again)).toHaveAttribute('aria-label', /br0 \(hub\).*E \(host[;)].*E eth0 to br0 p5/);
    await pingE(again);

    // Reset to the chapter's version, from reading mode; it stays reset after a reload.
    await again.getByRole('button', { name: "Reset to the chapter's version" }).click();
    await expect(again.getByRole('status').filter({ hasText: "Back to the chapter's version." })).toBeVisible();
    await expect(drawing(again)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
    expect(await drawingName(again)).not.toMatch(/E \(host[;)]/);
    await page.reload();
    const fresh = await openPlayer(page, BRIDGE);
    await expect(drawing(fresh)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
    await expect(fresh.getByText(/edited version/)).toHaveCount(0);

    // The page is back to the chapter's version: export and import start from there.
    await test.step('export gives the documented JSON format; reset inside the editor can be undone; import loads a file and rejects a broken one in words', async () => {
      const region = await openPlayer(page, BRIDGE);
      const editor = await hubWithHostE(region);
      const download = page.waitForEvent('download');
      await editor.getByRole('button', { name: 'Export JSON' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('bridge-edited.json');
      // The notice says what the file is and how to open it again here, with no command line in it.
      await expect(editorStatus(editor)).toHaveText('Exported bridge-edited.json: your edited version of this experiment, saved as a scenario file (JSON) where your browser keeps downloads. To open it again, come back to this experiment, press Edit experiment and choose Import JSON.');
      const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks as Buffer[]).toString('utf8'));
      const exported = JSON.parse(text);
      expect(exported).toMatchObject({ format: 'vnet-live/scenario@2', id: 'hub-vs-bridge/bridge' });
      expect(exported.title).toMatch(/ \(edited version\)$/);
      expect(exported.devices.find((d: { id: string }) => d.id === 'br0').kind).toBe('hub');

      // Reset inside the editor can be undone; reset again for the import.
      await editor.getByRole('button', { name: "Reset to the chapter's version" }).click();
      await expect(drawing(region)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
      await expect(editorStatus(editor)).toContainText("Back to the chapter's version");
      await editor.getByRole('button', { name: 'Undo' }).click();
      await expect(drawing(region)).toHaveAttribute('aria-label', /br0 \(hub\).*E \(host[;)]/);
      await editor.getByRole('button', { name: "Reset to the chapter's version" }).click();
      await expect(drawing(region)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
      const input = editor.getByLabel('Import JSON');
      await input.setInputFiles({ name: 'bridge.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await expect(editorStatus(editor)).toHaveText('Imported bridge.json.');
      await expect(drawing(region)).toHaveAttribute('aria-label', /br0 \(hub\).*E \(host[;)]/);

      const broken = { ...exported, links: [{ a: 'A:eth0', b: 'ghost:p1' }] };
      await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
      await expect(editorStatus(editor)).toHaveText('broken.json could not be imported: links[0].b: the cable goes to "ghost", which is not a device of this scenario.');
      await expect(drawing(region)).toHaveAttribute('aria-label', /E \(host[;)]/);
    });
  });

  test('dragging a device moves it and saves its position; errors show next to the field while the last valid topology keeps running; a duplicate IP is a warning', async ({ page }) => {
    const region = await bridgePlayer(page);
    const editor = await openEditor(region);
    await chooseDevice(editor, 'A');
    const x = editor.getByRole('textbox', { name: 'Position x' });
    await expect(x).toHaveValue('80');
    await drawing(region).scrollIntoViewIfNeeded();
    const box = (await region.locator('[data-device="A"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2 + 40, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 80, { steps: 5 });
    await page.mouse.up();
    await expect(editorStatus(editor)).toHaveText('Moved A.');
    await expect.poll(async () => Number(await x.inputValue())).toBeGreaterThan(100);
    expect(Number(await editor.getByRole('textbox', { name: 'Position y' }).inputValue())).toBeGreaterThan(80);
    // A click without moving selects instead of moving.
    await region.locator('[data-device="br0"]').click();
    await expect(editor.getByRole('group', { name: 'bridge br0' })).toBeVisible();

    const before = await drawingName(region);
    await chooseDevice(editor, 'A');
    const mac = editor.getByRole('textbox', { name: 'eth0 MAC address' });
    await commit(mac, 'zz');
    await expect(mac).toHaveAttribute('aria-invalid', 'true');
    await expect(mac).toHaveAccessibleDescription(/Error: expected a MAC address like 02:00:00:00:00:0a, got "zz"/);
    await expect(editorStatus(editor)).toContainText('the last valid version keeps running');
    expect(await drawingName(region)).toBe(before);
    // The run still works on the last valid version.
    await region.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(region.getByText('Step 1', { exact: true })).toBeVisible();
    // The summary names the field in words and takes focus to it.
    await editor.getByRole('button', { name: 'Device A, NIC eth0: MAC address' }).click();
    await expect(mac).toBeFocused();

    await commit(mac, MAC_A);
    await expect(mac).not.toHaveAttribute('aria-invalid', 'true');

    // A duplicate IP runs, with a warning saying what will happen.
    await chooseDevice(editor, 'B');
    const ip = editor.getByRole('textbox', { name: 'eth0 IPv4 address/prefix' });
    await commit(ip, '10.0.0.10/24');
    await expect(ip).toHaveAccessibleDescription(/Warning: 10\.0\.0\.10 is also used by A:eth0: both will answer ARP for it/);
    await expect(editorStatus(editor)).toContainText('one warning');

    // A name another device has is refused up front: one error on the Name field, the typed text
    // kept there, B still B everywhere (its IP edit too), and a new name goes through.
    const name = editor.getByRole('textbox', { name: 'Name', exact: true });
    await commit(name, 'A');
    await expect(name).toHaveAccessibleDescription(/Error: A is already the name of device 1 \(a host\): every device needs a name of its own, so B keeps its name\. Choose another one\./);
    await expect(name).toHaveValue('A');
    await expect(editorStatus(editor)).toContainText('A is already the name of device 1');
    await expect(editor.getByRole('group', { name: /host B/ })).toBeVisible();
    await expect(editor.getByRole('textbox', { name: 'eth0 IPv4 address/prefix' })).toHaveValue('10.0.0.10/24');
    await commit(name, 'B');
    await expect(name).not.toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveValue('B');

    // An ageing time in words: an error in words.
    await chooseDevice(editor, 'br0');
    const ageing = editor.getByRole('textbox', { name: 'Ageing time (s)' });
    await commit(ageing, 'soon');
    await expect(ageing).toHaveAccessibleDescription(/Error: expected an ageing time in seconds/);

    // axe over the player in edit mode, an error and a warning showing, and the share link open.
    await expect(editor.getByText('One problem', { exact: true })).toBeVisible();
    await editor.getByRole('button', { name: 'Share link' }).click();
    await expect(editor.getByRole('textbox', { name: 'Share link' })).toBeVisible();
    await expectNoAxeViolations(page, { include: `[data-scenario="hub-vs-bridge/bridge"]`, label: 'bridge player in edit mode' });
  });

  test('a share link reproduces the topology and the result in a fresh browser; a label with HTML in it is shown as text, here and there; a tampered link falls back with an error', async ({ page, browser, problems }) => {
    const region = await bridgePlayer(page);
    const editor = await hubWithHostE(region);
    // A label with HTML in it is drawn as text; a name that is not a valid id is refused, in
    // words, and never rendered as markup.
    await chooseDevice(editor, 'br0');
    await commit(editor.getByRole('textbox', { name: 'Label (drawn, optional)' }), XSS);
    await expect(region.locator('svg text.vp-dev-name').filter({ hasText: XSS })).toHaveCount(1);
    await commit(editor.getByRole('textbox', { name: 'Name', exact: true }), '<b>x</b>');
    await expect(editor.getByRole('textbox', { name: 'Name', exact: true })).toHaveAccessibleDescription(/Error: expected a name of 1–32 letters/);
    await editor.getByRole('button', { name: 'Undo' }).click();
    await expect(editor.getByRole('textbox', { name: 'Name', exact: true })).not.toHaveAttribute('aria-invalid', 'true');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Script E's ping so that the shared experiment carries it.
    await editor.getByRole('combobox', { name: 'Action kind' }).selectOption('ping');
    await editor.getByRole('combobox', { name: 'from', exact: true }).selectOption('A');
    await editor.getByRole('combobox', { name: 'to', exact: true }).selectOption('E');
    await editor.getByRole('button', { name: 'Add to the script' }).click();
    await editor.getByRole('button', { name: 'Share link' }).click();
    const link = await editor.getByRole('textbox', { name: 'Share link' }).inputValue();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/chapters\/hub-vs-bridge\/#vnet=hub-vs-bridge\/bridge~1[A-Za-z0-9_-]+$/);
    const topology = await drawingName(region);
    await playToEnd(region);
    const results = await outcomeLines(region);
    expect(results.at(-1)).toMatch(/A pings E/);

    const shared = await freshPlayer(browser, link, problems);
    await expect(shared.region.getByText(/You are viewing a shared version of this experiment/)).toBeVisible();
    await expect(shared.region.locator('svg text.vp-dev-name').filter({ hasText: XSS })).toHaveCount(1);
    expect(await shared.page.locator('img[src="x"]').count()).toBe(0);
    expect(await shared.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await expect(shared.region.getByRole('button', { name: 'Reset to the original' })).toBeVisible();
    // The same topology, under a title that says it is an edited version, not the chapter's.
    expect(await drawingName(shared.region)).toBe(topology.replace(/^Network diagram of “(.*?)”/, 'Network diagram of “$1 (edited version)”'));
    await expect(shared.region.getByText('Four hosts on a learning bridge (edited version)', { exact: true }).first()).toBeVisible();
    await playToEnd(shared.region);
    expect(await outcomeLines(shared.region)).toEqual(results);
    await shared.region.getByRole('button', { name: 'Reset to the original' }).click();
    await expect(drawing(shared.region)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
    expect(new URL(shared.page.url()).hash).toBe('');
    await shared.close();

    // Tampered (a character changed in the middle) and truncated links.
    const at = link.length - 40;
    const tampered = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
    for (const bad of [tampered, link.slice(0, -25)]) {
      const opened = await freshPlayer(browser, bad, problems);
      await expect(opened.region.getByRole('status').filter({ hasText: /This shared link could not be opened: .+ Showing the chapter's version\./ })).toBeVisible();
      await expect(drawing(opened.region)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
      await opened.close();
    }
  });

});

test.describe('editing MTU, UDP, a bridge’s own interface, nodes, veth links and bridge devices', () => {
  test('each has a labelled form, errors show at their field, the drawing follows, and axe is clean', async ({ page }) => {
    const region = await bridgePlayer(page);
    const editor = await openEditor(region);
    // br0 gets its own interface: it can then send, in the script and with "Send packet".
    await chooseDevice(editor, 'br0');
    await editor.getByRole('checkbox', { name: /br0 has its own interface/ }).check();
    await expect(editorStatus(editor)).toHaveText('br0 has its own interface now.');
    await expect(editor.getByRole('textbox', { name: 'br0 local IPv4 address/prefix' })).toHaveValue(/^10\.0\.0\.\d+\/24$/);
    await expect(region.getByRole('combobox', { name: 'Source', exact: true }).locator('option', { hasText: 'br0' })).toHaveCount(1);
    await editor.getByRole('combobox', { name: 'Action kind' }).selectOption('udp');
    await editor.getByRole('combobox', { name: 'from', exact: true }).selectOption('br0');
    await editor.getByRole('combobox', { name: 'to', exact: true }).selectOption('A');
    await editor.getByRole('button', { name: 'Add to the script' }).click();
    const port = editor.getByRole('textbox', { name: 'Traffic 5 UDP port' });
    await expect(port).toHaveValue('5000');
    await commit(port, '0');
    await expect(port).toHaveAccessibleDescription(/Error: expected a UDP port: a whole number from 1 to 65,535, got 0/);
    await commit(port, '7');

    // A joins node m1: the drawing outlines it. A veth pair to a bridge box is an error, said in the link's row.
    await chooseDevice(editor, 'A');
    await commit(editor.getByRole('textbox', { name: 'Node (machine, optional)' }), 'm1');
    await expect(drawing(region)).toHaveAttribute('aria-label', /Node m1 holds the namespace A\./);
    const type = editor.getByRole('combobox', { name: 'Link 1 type' });
    await type.selectOption('veth');
    const row = editor.getByRole('listitem').filter({ has: page.getByRole('combobox', { name: 'Link 1 type' }) });
    await expect(row).toContainText('Error: a veth pair joins namespaces (hosts and routers), and br0 is a bridge');
    await type.selectOption('cable');
    await expect(row.getByText(/Error:/)).toHaveCount(0);

    // MTU, and a bridge device over A's addressed eth0: both refused at their fields.
    const mtu = editor.getByRole('textbox', { name: 'eth0 MTU (optional)' });
    await commit(mtu, '20');
    await expect(mtu).toHaveAccessibleDescription(/Error: expected an MTU in bytes: a whole number from 68 to 65,535 bytes, got 20/);
    await commit(mtu, '');
    await editor.getByRole('button', { name: 'Add a bridge device to A' }).click();
    await expect(editorStatus(editor)).toHaveText('Add a bridge device to A: done.');
    await editor.getByRole('group', { name: 'Ports of br0' }).getByRole('checkbox', { name: 'eth0' }).check();
    await expect(editor.getByRole('textbox', { name: 'eth0 IPv4 address/prefix' })).toHaveAccessibleDescription(/Error: eth0 is a port of bridge br0 and cannot have an address/);
    await expectNoAxeViolations(page, { include: `[data-scenario="hub-vs-bridge/bridge"]`, label: 'bridge player editing MTU, UDP, nodes and bridge devices' });
  });
});

test.describe('editing a switch and a router (chapter "Why one VLAN per subnet")', () => {
  test('port modes and VLANs, sub-interfaces and routes have forms; a VLAN outside 1–4094 is refused in words; axe is clean', async ({ page }) => {
    await page.goto('/chapters/one-vlan-per-subnet/');
    const region = await openPlayer(page, 'One subnet per VLAN, and a router on a stick');
    const editor = await openEditor(region);
    await chooseDevice(editor, 'sw1');
    await expect(editor.getByRole('combobox', { name: 'p5 mode' })).toHaveValue('trunk');
    await expect(editor.getByRole('textbox', { name: 'p5 tagged VLANs' })).toHaveValue('10, 20');
    const p1 = editor.getByRole('textbox', { name: 'p1 VLAN', exact: true });
    await expect(p1).toHaveValue('10');
    await commit(p1, '5000');
    await expect(p1).toHaveAccessibleDescription(/Error: expected a VLAN ID from 1 to 4094 \(0 and 4095 are reserved\), got 5000/);
    await expect(editorStatus(editor)).toContainText('the last valid version keeps running');
    await commit(p1, '20');
    await expect(p1).not.toHaveAttribute('aria-invalid', 'true');

    await chooseDevice(editor, 'R');
    await expect(editor.getByRole('textbox', { name: 'eth0 sub-interface 2 IPv4 address/prefix' })).toHaveValue('10.1.20.1/24');
    await editor.getByRole('button', { name: 'Add a route' }).click();
    await expect(editor.getByRole('textbox', { name: 'Route 1 next hop' })).toHaveAttribute('aria-invalid', 'true');
    await expectNoAxeViolations(page, { include: '[data-scenario="one-vlan-per-subnet/router-on-a-stick"]', label: 'router-on-a-stick player in edit mode' });
  });
});

test.describe('editing with the keyboard only', () => {
  test('open the editor, turn the bridge into a hub, add a host, give the hub a port, connect them by the form, undo and redo', async ({ page }) => {
    const region = await bridgePlayer(page);
    await region.getByRole('button', { name: 'Step', exact: true }).focus();
    await tabTo(page, 'Edit experiment');
    await page.keyboard.press('Enter');
    const editor = region.getByRole('group', { name: 'Edit the experiment' });
    await expect(editor).toBeVisible();

    await tabTo(page, 'Device to edit');
    // Typing selects the option that starts with it.
    await page.keyboard.type('br0');
    await expect(editor.getByRole('combobox', { name: 'Device to edit' })).toHaveValue('4');
    await expect(editor.getByRole('group', { name: 'bridge br0' })).toBeVisible();
    await tabTo(page, 'Device kind');
    await page.keyboard.type('hub');
    await expect(editorStatus(editor)).toHaveText('br0 is now a hub; same ports and cables.');

    await tabTo(page, 'Add a port to br0');
    await page.keyboard.press('Enter');
    await expect(editorStatus(editor)).toHaveText('Added port p5 to br0.');

    // Back up to the toolbar: Shift+Tab until "Add host".
    await pressUntil(page, (now) => now.tag === 'button' && now.name === 'Add host', 'Shift+Tab reaches "Add host"', 60, 'Shift+Tab');
    await expect(editor.getByRole('button', { name: 'Add host' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(editorStatus(editor)).toContainText('Added host E');

    await tabTo(page, 'Connect port');
    await page.keyboard.type('E');
    await expect(editor.getByRole('combobox', { name: 'Connect port' })).toHaveValue('E:eth0');
    await page.keyboard.press('Tab');
    await page.keyboard.type('br0 p5');
    await expect(editor.getByRole('combobox', { name: 'to port' })).toHaveValue('br0:p5');
    await page.keyboard.press('Tab');
    // With a cable (the default), not a veth pair.
    await expect(editor.getByRole('combobox', { name: 'with a' })).toBeFocused();
    await expect(editor.getByRole('combobox', { name: 'with a' })).toHaveValue('cable');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(editorStatus(editor)).toHaveText('Connected E:eth0 to br0:p5.');
    await expect(drawing(region)).toHaveAttribute('aria-label', /E eth0 to br0 p5/);
    expect(await focusIsInside(region)).toBe(true);

    // Undo and redo with the keyboard shortcuts, from a button (not a text field).
    await page.keyboard.press('Control+z');
    await expect(drawing(region)).not.toHaveAttribute('aria-label', /E eth0 to br0 p5/);
    await page.keyboard.press('Control+y');
    await expect(drawing(region)).toHaveAttribute('aria-label', /E eth0 to br0 p5/);

    // Send a packet to E with the keyboard: the new host receives it.
    const kind = region.getByRole('combobox', { name: 'Packet kind', exact: true });
    await kind.focus();
    await page.keyboard.type('p');
    await expect(kind).toHaveValue('ping');
    await page.keyboard.press('Tab');
    await page.keyboard.type('A');
    await page.keyboard.press('Tab');
    await page.keyboard.type('E');
    await page.keyboard.press('Tab'); // "Only my packet"
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await region.getByRole('button', { name: 'Run to the end', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expectRows(region.getByRole('table', { name: 'ARP cache of E' }), [['10.0.0.10', MAC_A]]);
    expect((await bodyRows(region.getByRole('table', { name: 'ARP cache of E' }))).length).toBe(1);
  });
});

async function freshPlayer(browser: Browser, url: string, problems: Problem[]): Promise<{ page: Page; region: Locator; close: () => Promise<void> }> {
  const context = await browser.newContext();
  await watchContext(context, problems);
  const page = await context.newPage();
  await page.goto(url);
  // The link's player scrolls itself into view (and so hydrates) without the reader looking for it.
  await expect(playerRegion(page, BRIDGE)).toBeInViewport();
  const region = await openPlayer(page, BRIDGE);
  return { page, region, close: () => context.close() };
}
