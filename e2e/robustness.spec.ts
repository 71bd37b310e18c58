// Hostile and odd input reaches the page through share links, saved edits and imported files
// (issue 8). Each case here once crashed, froze or misled a page; now the page says what is wrong
// in words, keeps what it can, and stays usable. Every test also fails on an uncaught page error
// or a CSP violation (helpers/test.ts).
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './helpers/test.ts';
import { drawing, editorStatus, openEditor, outcomeLines } from './helpers/editor.ts';
import { expectRows, openPlayer, playToEnd, stepButton, stepCounter } from './helpers/player.ts';

const CHAPTER = '/chapters/hub-vs-bridge/';
const BRIDGE = 'Four hosts on a learning bridge';
const BRIDGE_ID = 'hub-vs-bridge/bridge';
const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';
const MAC_C = '02:00:00:00:00:0c';

type Json = Record<string, unknown>;

/** The chapter's own bridge experiment, as its file says. */
function bridgeScenario(): Json {
  return JSON.parse(readFileSync(new URL('../content/scenarios/hub-vs-bridge/bridge.json', import.meta.url), 'utf8')) as Json;
}

/** A share link as the site makes one: version "1", then the JSON zlib-compressed, in base64url. */
function shareLink(id: string, data: unknown, path = CHAPTER): string {
  return `${path}#vnet=${id}~1${deflateSync(Buffer.from(JSON.stringify(data))).toString('base64url')}`;
}

function status(region: Locator): Locator {
  return region.locator('.vp-origin');
}

async function openBridge(page: Page, url: string): Promise<Locator> {
  await page.goto(url);
  return openPlayer(page, BRIDGE);
}

test.describe('hostile input is refused in words, and the page keeps working', () => {
  test('bridge ports named toString, constructor, valueOf and hasOwnProperty run like any other name', async ({ page }) => {
    const scenario = bridgeScenario();
    const names: Record<string, string> = { p1: 'toString', p2: 'constructor', p3: 'valueOf', p4: 'hasOwnProperty' };
    const devices = scenario['devices'] as Json[];
    const br0 = devices.find((d) => d['id'] === 'br0')!;
    br0['ports'] = (br0['ports'] as string[]).map((p) => names[p]);
    scenario['links'] = (scenario['links'] as { a: string; b: string }[]).map(({ a, b }) => ({ a, b: `br0:${names[b.split(':')[1]!]}` }));

    const region = await openBridge(page, shareLink(BRIDGE_ID, scenario));
    await expect(status(region)).toContainText('You are viewing a shared version of this experiment');
    await expect(drawing(region)).toHaveAttribute('aria-label', /br0 toString/);
    await playToEnd(region);
    const outcomes = (await outcomeLines(region)).map((line) => line.replace(/\s+/g, ' '));
    expect(outcomes).toHaveLength(4);
    expect(outcomes.every((line) => line.includes('succeeded:')), outcomes.join('\n')).toBe(true);
    expect(outcomes[3]).toContain('A pings C: Reply from 10.0.0.12');
    await expectRows(region.getByRole('table', { name: 'MAC table of br0' }), [
      [MAC_A, 'toString'],
      [MAC_B, 'constructor'],
      [MAC_C, 'valueOf'],
    ]);
  });

  test('a 2,000,000-character title in a share link is refused at once; the chapter\'s version runs', async ({ page }) => {
    const scenario = { ...bridgeScenario(), title: 'a'.repeat(2_000_000) };
    const link = shareLink(BRIDGE_ID, scenario);
    expect(link.length, 'the link itself is short: the title compresses to almost nothing').toBeLessThan(10_000);
    const region = await openBridge(page, link);
    await expect(status(region)).toContainText(/This shared link could not be opened: .*title.*Showing the chapter's version\./);
    await stepButton(region).click();
    await expect(stepCounter(region, 1)).toBeVisible();
  });

  test('positions of 1e308 and Infinity are refused: by import with the field named, by a share link with the chapter\'s version; a file with a byte-order mark imports', async ({ page }) => {
    const scenario = bridgeScenario();
    ((scenario['devices'] as Json[])[0]!['position'] as Json)['x'] = 1e308;
    const region = await openBridge(page, CHAPTER);
    const before = await drawing(region).getAttribute('aria-label');
    const editor = await openEditor(region);
    await editor.getByLabel('Import JSON').setInputFiles({ name: 'far.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
    await expect(editorStatus(editor)).toContainText(/far\.json could not be imported: devices\[0\]\.position\.x: /);
    await expect(drawing(region)).toHaveAttribute('aria-label', before!);
    const viewBox = await drawing(region).getAttribute('viewBox');
    expect(viewBox).not.toMatch(/NaN|Infinity/);

    // An exported file with a byte-order mark imports, as it does in the CLI; the player takes the
    // imported title as its name.
    const bom = { ...bridgeScenario(), title: 'With a BOM' };
    await editor.getByLabel('Import JSON').setInputFiles({ name: 'bom.json', mimeType: 'application/json', buffer: Buffer.from(`\uFEFF${JSON.stringify(bom)}`) });
    const imported = page.getByRole('region', { name: 'With a BOM', exact: true });
    await expect(editorStatus(imported.getByRole('group', { name: 'Edit the experiment' }))).toHaveText('Imported bom.json.');

    // 1e999 is valid JSON that parses to Infinity.
    const text = JSON.stringify(bridgeScenario()).replace('"x":80', '"x":1e999');
    expect(text).toContain('1e999');
    const link = `${CHAPTER}#vnet=${BRIDGE_ID}~1${deflateSync(Buffer.from(text)).toString('base64url')}`;
    const shared = await openBridge(page, link);
    await expect(status(shared)).toContainText(/This shared link could not be opened: .*devices\[0\]\.position\.x.*Showing the chapter's version\./);
    expect(await drawing(shared).getAttribute('viewBox')).not.toMatch(/NaN|Infinity/);
  });

  test('a link that is not one of ours, and one for an experiment on another page, say so', async ({ page }) => {
    // What a reader gets by pasting markup after "~": the browser percent-encodes it.
    const region = await openBridge(page, `${CHAPTER}#vnet=${BRIDGE_ID}~<script>alert(1)</script>`);
    await expect(status(region)).toHaveText("This shared link could not be opened: this is not a share link this site made. Showing the chapter's version.");

    const trap = shareLink('one-vlan-per-subnet/trap', { any: 'payload' });
    await page.goto(trap);
    const notice = page.getByRole('alert').filter({ hasText: 'This share link is for an edited version of the experiment' });
    await expect(notice).toContainText('"Two VLANs, one subnet: the trap", which is on another page');
    const there = notice.getByRole('link', { name: 'open it in the chapter "Why one VLAN per subnet"' });
    await expect(there).toHaveAttribute('href', trap.replace(CHAPTER, '/chapters/one-vlan-per-subnet/'));

    await page.goto(`${CHAPTER}#vnet=nope/x~1abc`);
    await expect(page.getByRole('alert').filter({ hasText: 'no chapter of this site has' })).toContainText('("nope/x")');
  });

  test('edits saved by a newer version of the site are kept, not deleted, and the notice says "newer"', async ({ page }) => {
    const key = `vnet-live:edits:vnet-live/scenario@3|${BRIDGE_ID}`;
    const saved = JSON.stringify({ format: 'vnet-live/scenario@3', savedAt: '2027-01-01T00:00:00.000Z', scenario: { future: true } });
    // Saved before the page's first script runs, as a visit by that newer version would have left it.
    await page.addInitScript(([k, v]) => localStorage.setItem(k!, v!), [key, saved]);
    const region = await openBridge(page, CHAPTER);
    await expect(status(region)).toContainText('saved by a newer version of this site');
    await expect(drawing(region)).toHaveAttribute('aria-label', /br0 \(bridge\)/);
    expect(await page.evaluate((k) => localStorage.getItem(k), key)).toBe(saved);
  });
});
