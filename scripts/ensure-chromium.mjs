#!/usr/bin/env node
// Makes sure Debian's Chromium is installed for Playwright (we never use Playwright's
// own browser download): the full browser ($CHROMIUM_PATH, else /usr/lib/chromium/chromium),
// which the benchmarks load pages in, and the headless shell ($E2E_CHROMIUM_PATH, else
// /usr/lib/chromium/chromium-headless-shell), which the end-to-end tests and the page-weight
// check drive (e2e/helpers/chromium.ts says why). If one is missing: as root, installs its
// package with apt-get (hard 10-minute timeout each step); otherwise prints one line on how to
// install it and exits 1.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';

/** Each browser: the variable that overrides its path, its default path and Debian's package for it. */
const browsers = [
  { variable: 'CHROMIUM_PATH', defaultPath: '/usr/lib/chromium/chromium', pkg: 'chromium' },
  { variable: 'E2E_CHROMIUM_PATH', defaultPath: '/usr/lib/chromium/chromium-headless-shell', pkg: 'chromium-headless-shell' },
].map((b) => ({ ...b, path: process.env[b.variable] || b.defaultPath }));
const APT_TIMEOUT_MS = 10 * 60 * 1000;

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(cmd, args) {
  console.log(`ensure-chromium: ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: APT_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) throw new Error(`${cmd} failed: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

/** apt-get update is needed only when the package lists are missing (fresh image). */
function aptListsPresent() {
  try {
    return readdirSync('/var/lib/apt/lists').some((f) => f.endsWith('_Packages') || f.endsWith('_Packages.lz4'));
  } catch {
    return false;
  }
}

const missing = browsers.filter((b) => !isExecutable(b.path));
for (const b of browsers) if (!missing.includes(b)) console.log(`ensure-chromium: using ${b.path}`);
if (missing.length === 0) process.exit(0);

for (const b of missing) {
  if (process.env[b.variable]) {
    console.error(`ensure-chromium: ${b.variable}=${b.path} is not an executable file; fix it or unset it to use ${b.defaultPath}.`);
    process.exit(1);
  }
}

// The shell needs the chromium-common of its own version: installed with chromium, apt keeps the two in step.
const packages = [...new Set(missing.flatMap((b) => (b.pkg === 'chromium-headless-shell' ? ['chromium', b.pkg] : [b.pkg])))];
if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error(`ensure-chromium: ${missing.map((b) => b.path).join(' and ')} not found; install with \`sudo apt-get install -y ${packages.join(' ')}\` or set ${missing.map((b) => b.variable).join(' and ')}.`);
  process.exit(1);
}

try {
  console.log(`ensure-chromium: ${missing.map((b) => b.path).join(' and ')} not found; installing ${packages.join(' and ')} with apt-get.`);
  const install = ['install', '-y', ...packages];
  if (!aptListsPresent()) run('apt-get', ['update']);
  try {
    run('apt-get', install);
  } catch (err) {
    // Stale package lists (404s on old package versions): refresh once and retry.
    console.log(`ensure-chromium: ${err.message}; running apt-get update and retrying.`);
    run('apt-get', ['update']);
    run('apt-get', install);
  }
} catch (err) {
  console.error(`ensure-chromium: could not install ${packages.join(' and ')}: ${err.message}`);
  process.exit(1);
}

for (const b of missing) {
  if (!isExecutable(b.path)) {
    console.error(`ensure-chromium: apt-get installed ${b.pkg} but ${b.path} is still missing.`);
    process.exit(1);
  }
  console.log(`ensure-chromium: installed ${b.path}`);
}
