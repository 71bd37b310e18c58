// The `test` every spec uses: Playwright's, plus a watch on every page the test opens. A test
// fails when a page throws an uncaught error (a crash the reader would see as a frozen player)
// or when the Content-Security-Policy blocks anything (a script, a style, a connection), even if
// everything the test looked at seemed fine.
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';

export { expect };

export interface Problem {
  url: string;
  what: string;
}

/** Console lines Chromium prints when the CSP refuses something. */
const CSP_CONSOLE = /Content Security Policy|Refused to (execute|load|apply|connect|evaluate)/i;

/** Records what goes wrong on `page` into `problems`. */
export function watchPage(page: Page, problems: Problem[]): void {
  page.on('pageerror', (error) => problems.push({ url: page.url(), what: `uncaught ${error.name}: ${error.message}` }));
  page.on('console', (message) => {
    if (message.type() === 'error' && CSP_CONSOLE.test(message.text())) problems.push({ url: page.url(), what: `CSP: ${message.text()}` });
  });
}

/** Watches every page of `context`, present and future (for contexts a test makes itself). */
export function watchContext(context: BrowserContext, problems: Problem[]): void {
  for (const page of context.pages()) watchPage(page, problems);
  context.on('page', (page) => watchPage(page, problems));
}

function report(problems: Problem[]): string {
  return problems.map((p) => `  ${p.url}: ${p.what}`).join('\n');
}

export const test = base.extend<{ problems: Problem[]; watchedContext: void }>({
  problems: async ({}, use) => {
    const problems: Problem[] = [];
    await use(problems);
    expect(problems, `the pages reported errors or CSP violations:\n${report(problems)}\n`).toEqual([]);
  },
  watchedContext: [
    async ({ context, problems }, use) => {
      watchContext(context, problems);
      await use();
    },
    { auto: true },
  ],
});
