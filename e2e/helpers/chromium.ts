// Chromium from Debian (apt-get install chromium), shared by playwright.config.ts.
// scripts/page-js-weight.mjs and scripts/ensure-chromium.mjs repeat these two values
// (plain .mjs scripts cannot import TypeScript): keep them in sync.

/** /usr/bin/chromium is a shell wrapper that misbehaves under Playwright: use the real binary. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/lib/chromium/chromium';

export const CHROMIUM_ARGS: string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-sandbox', // we run as root
  '--disable-gpu',
];
