// The `test` every spec uses (but csp.spec.ts, which provokes violations on purpose): Playwright's,
// plus a watch on every page the test opens. A test fails when a page throws an uncaught error (a
// crash the reader would see as a frozen player) or when the Content-Security-Policy refuses
// anything (a script, a style, a connection), even if everything the test looked at seemed fine.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { formatCspViolations, onCspConsoleError, recordCspViolations } from './csp.ts';
import { registerRegionEngine } from './region.ts';

export { expect };

export interface Problem {
  url: string;
  what: string;
}

/** Records what goes wrong on `page`: uncaught errors, and CSP refusals Chromium prints. */
export function watchPage(page: Page, problems: Problem[]): void {
  page.on('pageerror', (error) => problems.push({ url: page.url(), what: `uncaught ${error.name}: ${error.message}` }));
  onCspConsoleError(page, (text) => problems.push({ url: page.url(), what: `CSP (console): ${text}` }));
}

/**
 * Watches every page of `context`, present and future (also for contexts a test makes itself):
 * uncaught errors, and every `securitypolicyviolation` (Chromium does not print every refusal).
 */
export async function watchContext(context: BrowserContext, problems: Problem[]): Promise<void> {
  await recordCspViolations(context, (v) => problems.push({ url: v.url, what: `CSP: ${formatCspViolations([v]).trim()}` }));
  for (const page of context.pages()) watchPage(page, problems);
  context.on('page', (page) => watchPage(page, problems));
}

function report(problems: Problem[]): string {
  return problems.map((p) => `  ${p.url}: ${p.what}`).join('\n');
}

export const test = base.extend<{ problems: Problem[]; watchedContext: void }, { regionEngine: void }>({
  // `region=` (helpers/region.ts), registered before the worker's first context.
  regionEngine: [
    async ({}, use) => {
      await registerRegionEngine();
      await use();
    },
    { scope: 'worker', auto: true },
  ],
  problems: async ({}, use) => {
    const problems: Problem[] = [];
    await use(problems);
    expect(problems, `the pages reported errors or CSP violations:\n${report(problems)}\n`).toEqual([]);
  },
  watchedContext: [
    async ({ context, problems }, use) => {
      await watchContext(context, problems);
      await use();
    },
    { auto: true },
  ],
});
