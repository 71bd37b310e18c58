import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * axe-core's source, which AxeBuilder would otherwise evaluate in the page on every analysis: the
 * axe-core that @axe-core/playwright itself depends on (not a dependency of ours), resolved from it.
 */
const fromAxeBuilder = createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright'));
const AXE_SOURCE = (fromAxeBuilder('axe-core') as { source: string }).source;
/**
 * What AxeBuilder evaluates instead, twice per analysis: nothing, once axe-core is in the page.
 * Its legacy mode evaluated the whole half-megabyte source twice per analysis, and each time the
 * page compiled it afresh and threw away what the last run had warmed: about a second of CPU per
 * analysis on a chapter page, on a suite that is CPU-bound.
 */
const AXE_PRESENT = 'void 0';

/** Puts axe-core into the page once (again only after a navigation, which empties the window). */
async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === 'function')) return;
  await page.evaluate(AXE_SOURCE);
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * The rules whose outcome depends on colours: after the theme changes, only these can change
 * (the rest read structure, names and roles), so the second theme's pass runs just these.
 */
export const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/** One readable block per violation: rule, impact, help URL, and each failing node. */
export function formatViolations(violations: AxeResults['violations']): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`)
        .join('\n');
      return `[${v.impact ?? 'unknown'}] ${v.id}: ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join('\n\n');
}

/**
 * Runs axe-core with the WCAG 2.0/2.1 A and AA rules on the page as it is now and
 * fails with a readable list if there is any violation.
 */
export async function expectNoAxeViolations(
  page: Page,
  options: { include?: string; exclude?: string[]; label?: string; rules?: string[] } = {},
): Promise<void> {
  // Legacy mode runs axe.run() in the page itself. The default runs axe.runPartial() in every frame
  // and then axe.finishRun() in a new blank page, injecting axe-core (half a megabyte) once more:
  // seconds per analysis on a busy machine. Our pages have no frames, so the results are the same.
  // resultTypes: only violations get every node and its selector; passes, incomplete and
  // inapplicable results keep one node each. We read only violations (about 45 % faster on a
  // chapter page). options() replaces the options, so it comes before withRules or withTags.
  // axe-core is evaluated once per page (injectAxe), not by AxeBuilder on every call.
  await injectAxe(page);
  const axe = new AxeBuilder({ page, axeSource: AXE_PRESENT }).options({ resultTypes: ['violations'] });
  let builder = (options.rules ? axe.withRules(options.rules) : axe.withTags(WCAG_TAGS)).setLegacyMode();
  if (options.include) builder = builder.include(options.include);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  const label = options.label ?? page.url();
  expect(
    results.violations.length,
    `axe found ${results.violations.length} WCAG A/AA violation(s) on ${label}:\n\n${formatViolations(results.violations)}\n`,
  ).toBe(0);
}
