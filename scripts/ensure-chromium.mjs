#!/usr/bin/env node
// Makes sure Debian's Chromium is installed for Playwright (we never use Playwright's
// own browser download). Looks at $CHROMIUM_PATH, else /usr/lib/chromium/chromium.
// If it is missing: as root, installs it with apt-get (hard 10-minute timeout each step);
// otherwise prints one line on how to install it and exits 1.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';

const DEFAULT_PATH = '/usr/lib/chromium/chromium';
const path = process.env.CHROMIUM_PATH || DEFAULT_PATH;
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

if (isExecutable(path)) {
  console.log(`ensure-chromium: using ${path}`);
  process.exit(0);
}

if (process.env.CHROMIUM_PATH) {
  console.error(`ensure-chromium: CHROMIUM_PATH=${path} is not an executable file; fix it or unset it to use ${DEFAULT_PATH}.`);
  process.exit(1);
}

if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
  console.error(`ensure-chromium: Chromium not found at ${path}; install it with \`sudo apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  process.exit(1);
}

try {
  console.log(`ensure-chromium: Chromium not found at ${path}; installing it with apt-get.`);
  const install = ['install', '-y', 'chromium'];
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
  console.error(`ensure-chromium: could not install Chromium: ${err.message}`);
  process.exit(1);
}

if (!isExecutable(path)) {
  console.error(`ensure-chromium: apt-get installed chromium but ${path} is still missing.`);
  process.exit(1);
}
console.log(`ensure-chromium: installed ${path}`);
