// Helpers for driving a scenario player (src/widgets/ScenarioPlayer.tsx) the way a reader does:
// everything is scoped to the player's own region and found by role and accessible name.
import { expect, type Locator, type Page } from '@playwright/test';
import { region, regionByRole } from './region.ts';

/**
 * The region of the player whose title is `title`, or the reader's edited version of it (a shared,
 * imported or exported edit is titled "<title> (edited version)"): the same slot of the chapter.
 */
export function playerRegion(page: Page, title: string): Locator {
  return region(page, titlePattern(title));
}

function titlePattern(title: string): RegExp {
  return new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\(edited version\\))?$`);
}

/** The player whose title is `title` (or its edited version), scrolled into view and hydrated (client:visible). */
export async function openPlayer(page: Page, title: string): Promise<Locator> {
  const region = playerRegion(page, title);
  await region.scrollIntoViewIfNeeded();
  // Before hydration the buttons are aria-disabled; afterwards Step is a live button.
  await expect(stepButton(region), `the player "${title}" hydrates`).toBeEnabled();
  // Once, through Playwright's role engine: a reader's screen reader finds this player as a region
  // by that name (region() stands for that check everywhere else, at a fraction of its cost).
  await expect(regionByRole(page, titlePattern(title))).toHaveAttribute('data-scenario', (await region.getAttribute('data-scenario')) ?? '');
  return region;
}

export function stepButton(region: Locator): Locator {
  return region.getByRole('button', { name: 'Step', exact: true });
}

export function stepBackButton(region: Locator): Locator {
  return region.getByRole('button', { name: 'Step back', exact: true });
}

export function eventLog(region: Locator): Locator {
  return region.getByRole('log', { name: 'Event log' });
}

/** The log's steps so far: not the steps undone that a step back leaves below its "Now" line (the timeline). */
export function logSoFar(region: Locator): Locator {
  return eventLog(region).locator('ol.vp-log-steps:not(.vp-log-ahead)');
}

/** The steps undone, below the log's "Now" line, which Step replays. */
export function stepsUndone(region: Locator): Locator {
  return eventLog(region).getByRole('list', { name: 'Steps undone' });
}

/** The "Step N" status text. */
export function stepCounter(region: Locator, n: number): Locator {
  return region.getByText(`Step ${n}`, { exact: true });
}

/** Presses Step until the counter reads `to` (from where the player is now, `from`). */
export async function stepTo(region: Locator, from: number, to: number): Promise<void> {
  for (let n = from + 1; n <= to; n++) {
    await stepButton(region).click();
    await expect(stepCounter(region, n)).toBeVisible();
  }
}

/** Presses "Run to the end" and waits until the run has nothing left to do (Step disabled, Play shown again). */
export async function playToEnd(region: Locator, timeout = 30_000): Promise<void> {
  await region.getByRole('button', { name: 'Run to the end', exact: true }).click();
  await expect(stepButton(region)).toBeDisabled({ timeout });
  await expect(region.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
}

/** The body rows of a table as text, cell by cell ("empty" tables give [['empty']]). */
export async function bodyRows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim() ?? '')),
  );
}

/** Waits until the first `columns` cells of each body row equal `expected`. */
export async function expectRows(table: Locator, expected: string[][], columns = 2): Promise<void> {
  await expect
    .poll(async () => (await bodyRows(table)).map((row) => row.slice(0, columns)), { message: 'table rows' })
    .toEqual(expected);
}

/** True when the focused element is inside `region` (and focus is not lost to <body>). */
export async function focusIsInside(region: Locator): Promise<boolean> {
  return region.evaluate((el) => document.activeElement !== document.body && el.contains(document.activeElement));
}

/** What `focused` says about the focused element. */
export interface Focused {
  tag: string;
  /** Its label (aria-label, or the text of its <label>), else its text, without the buttons' icons. */
  name: string;
  /** True for a frame line of an event log. */
  inLog: boolean;
  /** The names of the labelled sections (players, widgets) it is in, innermost first. */
  regions: string[];
}

/**
 * A short description of the focused element, for messages and loops: one evaluation in the page,
 * with no locator to resolve, so that a loop pressing Tab costs one round trip per key and check.
 */
export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', name: '', inLog: false, regions: [] };
    const labelled = el.getAttribute('aria-label') ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null);
    const name = (labelled ?? el.textContent ?? '').replace(/[◀▶❚↺]/g, '').replace(/\s+/g, ' ').trim();
    const regions: string[] = [];
    for (let section = el.closest('section'); section; section = section.parentElement?.closest('section') ?? null) {
      const label = section.getAttribute('aria-label') ?? (section.getAttribute('aria-labelledby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      if (label.trim()) regions.push(label.replace(/\s+/g, ' ').trim());
    }
    return { tag: el.tagName.toLowerCase(), name, inLog: !!el.closest('[role="log"]') && el.matches('button[data-event]'), regions };
  });
}

/**
 * Presses `key` (Tab by default) until `done` holds of the focused element, checking before each
 * press; fails, saying `what`, after `max` presses.
 */
export async function pressUntil(page: Page, done: (now: Focused) => boolean, what: string, max: number, key = 'Tab'): Promise<Focused> {
  for (let presses = 0; ; presses++) {
    const now = await focused(page);
    if (done(now)) return now;
    expect(presses, `${what} (focus is on <${now.tag}> "${now.name}")`).toBeLessThan(max);
    await page.keyboard.press(key);
  }
}
