// A/B mode (issue 14), on chapter 1: the hub's player compared with a learning bridge, both running
// the hub's traffic under one transport, operated by the keyboard alone, read from what the
// dialog shows (who received each action's frames, the logs, the tables), axe-clean in both themes.
import { expect, test } from './helpers/test.ts';
import { COLOUR_RULES, expectNoAxeViolations } from './helpers/axe.ts';
import { openPlayer } from './helpers/player.ts';

const CHAPTER = '/chapters/hub-vs-bridge/';
const HUB = 'Four hosts on a hub';

test('A/B on hub vs bridge: one transport by keyboard, C receives B\'s answer in A and not in B, the difference said, axe-clean in both themes', async ({ page }) => {
  await page.goto(CHAPTER);
  const hub = await openPlayer(page, HUB);
  // Nothing of A/B mode is on the page until it is opened.
  const before = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name));
  expect(before.some((name) => /AbView/.test(name))).toBe(false);

  // Open it from the keyboard: focus goes to the choice of B.
  await hub.getByRole('button', { name: 'Compare A/B' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `A/B: ${HUB}` });
  await expect(dialog).toBeVisible();
  const pick = dialog.getByRole('combobox', { name: 'Compare with (B)' });
  await expect(pick).toBeFocused();
  await expect(pick.locator('option:checked')).toHaveText('a learning bridge');

  const sideA = dialog.getByRole('region', { name: `A ${HUB}` });
  const sideB = dialog.getByRole('region', { name: 'B Four hosts on a learning bridge' });
  const scrubber = dialog.getByRole('slider', { name: 'Timeline' });

  // The shared transport keeps → ← Space: from A's log, → steps both designs to the next moment.
  await sideA.getByRole('log', { name: 'Log of A' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(scrubber).toHaveAttribute('aria-valuetext', /^Moment 1 of 1, t = 0 ms$/);
  // Space plays both to the end, aligned by time (the moments are the times either had work).
  await dialog.getByRole('combobox', { name: 'Speed' }).selectOption('8');
  await sideA.getByRole('log', { name: 'Log of A' }).focus();
  await page.keyboard.press(' ');
  await expect(dialog.getByRole('button', { name: 'Step', exact: true })).toHaveAttribute('aria-disabled', 'true', { timeout: 15_000 });
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'Moment 18 of 18, t = 38 ms');

  // B's answer to A: the hub repeated it to C and D; the bridge, which had learned A's port, forwarded it to A alone.
  const answerA = sideA.locator('li[data-action="B answers A"]');
  const answerB = sideB.locator('li[data-action="B answers A"]');
  await expect(answerA).toHaveText('B answers A: hub, A, C (only in A), D (only in A)');
  await expect(answerB).toHaveText('B answers A: br0, A');
  await expect(answerA.locator('mark', { hasText: 'C' })).toBeVisible();
  // Each log says so in its own words: C's receive is in A's log, marked, and in B's log C receives only the floods.
  await expect(sideA.getByRole('log', { name: 'Log of A' }).locator('mark', { hasText: 'C receives the frame on eth0.' }).first()).toBeVisible();
  await expect(dialog.getByText(/^Difference: A sends to B again: C and D received the frame in design A \(hub is a hub: .*\), not in design B \(br0 knows 02:00:00:00:00:0b is behind port p2: it forwards the frame there only\)\.$/)).toBeVisible();
  // The bridge's MAC table is B's alone; the hub has none.
  await expect(sideA.getByText('No MAC table in this design.')).toBeVisible();
  await expect(sideB.getByRole('table', { name: 'MAC table of br0' }).getByRole('row', { name: /02:00:00:00:00:0c p3 only in B/ })).toBeVisible();

  // ← steps both back one moment, exactly.
  await page.keyboard.press('ArrowLeft');
  await expect(scrubber).toHaveAttribute('aria-valuetext', 'Moment 17 of 18, t = 37 ms');

  await expectNoAxeViolations(page, { include: '.vp-ab', label: 'A/B dialog (light)' });
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  // Only the colour rules can change with the theme (the others read structure, names and roles).
  await expectNoAxeViolations(page, { include: '.vp-ab', rules: COLOUR_RULES, label: 'A/B dialog (dark)' });

  // Esc closes it; focus is back on the button that opened it.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(hub.getByRole('button', { name: 'Compare A/B' })).toBeFocused();
});
