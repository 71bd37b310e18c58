// Helpers for a scenario player's edit mode (src/widgets/editor), by role and accessible name.
import { expect, type Locator, type Page } from '@playwright/test';

/** Presses "Edit experiment" and waits for the editor (loaded on demand) to appear. */
export async function openEditor(region: Locator): Promise<Locator> {
  const toggle = region.getByRole('button', { name: 'Edit experiment' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const editor = region.getByRole('group', { name: 'Edit the experiment' });
  await expect(editor).toBeVisible();
  return editor;
}

/** The drawing's text alternative: every device with its kind, and every cable. */
export function drawing(region: Locator): Locator {
  return region.getByRole('img', { name: /^Network diagram of/ });
}

export async function drawingName(region: Locator): Promise<string> {
  return (await drawing(region).getAttribute('aria-label')) ?? '';
}

/** The editor's status line (what the last edit did, or what is wrong). */
export function editorStatus(editor: Locator): Locator {
  return editor.getByRole('status');
}

/** Fills a text field of the editor and commits it (Enter fires "change"). */
export async function commit(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.press('Enter');
}

/** Presses Tab until the focused element's accessible name matches; fails after `max` presses. */
export async function tabTo(page: Page, name: string | RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    const current = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return '';
      const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ?? el.closest('label')?.textContent;
      return (labelled ?? el.textContent ?? '').replace(/[◀▶❚↺✎]/g, '').replace(/\s+/g, ' ').trim();
    });
    if (typeof name === 'string' ? current === name : name.test(current)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab did not reach "${String(name)}" in ${max} presses`);
}

/** The player's "Actions" list, as text lines. */
export async function outcomeLines(region: Locator): Promise<string[]> {
  return region.getByRole('list', { name: 'Actions' }).locator('li').allInnerTexts();
}

/** Opens the form of device `id` with the "Device to edit" list (its options read "<id> — <kind>"). */
export async function chooseDevice(editor: Locator, id: string): Promise<void> {
  const select = editor.getByRole('combobox', { name: 'Device to edit' });
  const options = await select.locator('option').allTextContents();
  const index = options.findIndex((text) => text.startsWith(`${id} `));
  if (index < 0) throw new Error(`no device ${id} in the list: ${options.join(' | ')}`);
  await select.selectOption(String(index));
}
