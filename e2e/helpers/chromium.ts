// Chromium from Debian, shared by playwright.config.ts. scripts/page-js-weight.mjs and
// scripts/ensure-chromium.mjs repeat these values (plain .mjs scripts cannot import TypeScript):
// keep them in sync.

/**
 * The browser the benchmarks load pages in, as a reader's would: Debian's
 * Chromium (apt-get install chromium). /usr/bin/chromium is a shell wrapper that misbehaves under
 * Playwright: use the real binary.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/lib/chromium/chromium';

/**
 * The browser the end-to-end tests and the page-weight check drive: Debian's Chromium headless shell (apt-get install
 * chromium-headless-shell), the same Blink and V8 as CHROMIUM_PATH without the full browser around
 * them, as Playwright's own headless Chromium is. The whole suite took 118 s and 218 CPU-s with it
 * against 184 s and 350 CPU-s with the full browser in headless mode, every test passing with both
 * (2 cores, `CI=true npx playwright test`). E2E_CHROMIUM_PATH points the tests at another browser
 * (CHROMIUM_PATH's full browser, say).
 */
export const E2E_CHROMIUM_PATH = process.env['E2E_CHROMIUM_PATH'] ?? '/usr/lib/chromium/chromium-headless-shell';

export const CHROMIUM_ARGS: string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-sandbox', // we run as root
  '--disable-gpu',
];
