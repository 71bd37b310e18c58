import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, E2E_CHROMIUM_PATH } from './e2e/helpers/chromium.ts';

const CI = !!process.env['CI'];
const PORT = 4321;
// E2E_BASE_URL points the suite at a site that is already served (another build, another port);
// then no preview server is started.
const EXTERNAL = process.env['E2E_BASE_URL'];
const BASE_URL = EXTERNAL ?? `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: 2,
  fullyParallel: true,
  // Generous ceilings: every wait is on a state (a button, a text, a table row), so a passing test
  // takes no longer for them, and a busy machine does not fail it.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    // A full trace (DOM snapshots before and after every action, a screencast) made every test
    // about 40 % slower, passing or not. CI retries a failed test once and records the full trace
    // of that retry; elsewhere a failure keeps a light trace (actions, console, network, errors).
    trace: CI ? 'on-first-retry' : { mode: 'retain-on-failure', snapshots: false, screenshots: false },
    // Motion is not what most tests look at, and frames sliding along cables, smooth scrolling and
    // fade-ins cost CPU on every step. The tests about motion ask for it themselves: the reduced-
    // motion test in hub-vs-bridge.spec.ts emulates both settings, csp.spec.ts allows motion.
    reducedMotion: 'reduce',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: E2E_CHROMIUM_PATH, args: CHROMIUM_ARGS },
      },
    },
  ],
  // Serves the built site (run `npm run build` first; `npm test` does) with `npm start`'s server,
  // brotli and all (scripts/serve.mjs), so that the tests load the pages as a reader gets them.
  webServer: EXTERNAL ? undefined : {
    command: `node scripts/serve.mjs --host 127.0.0.1 --port ${PORT}`,
    url: `${BASE_URL}/`,
    reuseExistingServer: !CI,
    timeout: 90_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
  },
});
