// Records what the Content-Security-Policy blocks on a page, from the page's own point of view: every
// `securitypolicyviolation` event (an init script, which runs before any of the page's scripts and
// which CSP does not apply to, collects them into window.__cspViolations), plus Chromium's console
// errors about CSP, which also cover what happens before a document has a window to listen on.
import type { BrowserContext, ConsoleMessage, Page } from '@playwright/test';

export interface CspViolation {
  /** The page (document) the violation happened in. */
  url: string;
  /** The directive that refused, e.g. "script-src-elem". */
  directive: string;
  /** What was refused: a URL, or "inline" / "eval". */
  blocked: string;
  /** Where it came from ("file:line"), when the browser says so. */
  source: string;
  /** The first characters of the refused inline code, when the browser gives them. */
  sample: string;
}

declare global {
  interface Window {
    __cspViolations?: CspViolation[];
  }
}

/** Chromium's console lines when the CSP refuses something. */
export const CSP_CONSOLE = /Content Security Policy|Refused to (execute|load|apply|connect|evaluate|create|frame)/i;

/** The name of the binding through which pages report violations to the test (see below). */
const BINDING = '__reportCspViolation';

/**
 * From now on, every document opened in `target` (a page, or every page of a context) records its
 * violations in window.__cspViolations and hands each one to `onViolation` at once, so none is lost
 * when the page navigates or closes. Call it once per page or context (a binding has one owner).
 */
export async function recordCspViolations(target: Page | BrowserContext, onViolation: (violation: CspViolation) => void): Promise<void> {
  await target.exposeBinding(BINDING, (_source, violation: CspViolation) => onViolation(violation));
  await target.addInitScript((binding: string) => {
    const seen: CspViolation[] = [];
    Object.defineProperty(window, '__cspViolations', { value: seen });
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const violation = {
          url: location.href,
          directive: e.effectiveDirective || e.violatedDirective,
          blocked: e.blockedURI,
          source: e.sourceFile ? `${e.sourceFile}:${e.lineNumber}` : '',
          sample: e.sample,
        };
        seen.push(violation);
        // Looked up now, not when this script starts: Playwright may install the binding later.
        const report = (window as unknown as Record<string, unknown>)[binding];
        if (typeof report === 'function') void (report as (v: CspViolation) => Promise<void>)(violation);
      },
      true,
    );
  }, BINDING);
}

/** The violations the page's current document has recorded (recordCspViolations must come first). */
export async function cspViolations(page: Page): Promise<CspViolation[]> {
  return page.evaluate(() => window.__cspViolations ?? []);
}

/** Calls `onError` with the text of every console error of `page` that is about the CSP. */
export function onCspConsoleError(page: Page, onError: (text: string) => void): void {
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' && CSP_CONSOLE.test(message.text())) onError(message.text());
  });
}

/** One line per violation, for failure messages. */
export function formatCspViolations(violations: CspViolation[]): string {
  return violations
    .map((v) => `  ${v.url}: ${v.directive} refused ${v.blocked || '(nothing named)'}${v.source ? ` at ${v.source}` : ''}${v.sample ? ` «${v.sample}»` : ''}`)
    .join('\n');
}

/** The directives of a policy text, by name (lower case), each with its list of sources. */
export function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}
