// Regression files: every counterexample the fuzzer found, saved as JSON under
// tests/fuzz/regressions/ and replayed through its property by regressions.test.ts for good.
//
// A file is { "property", "about", "input", "seed"?, "path"?, "expand"? }. `input` is the
// property's input as JSON; values JSON cannot hold are written as tags ({ "$fuzz": "-0" },
// "Infinity", "-Infinity", "NaN", "undefined"). `expand` keeps huge inputs small on disk: each
// key is a placeholder that is replaced, in every string of the input, by `repeat` × `times`.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type fc from 'fast-check';
import type { FuzzProperty } from './properties.ts';

export const REGRESSIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'regressions');

export interface RegressionFile {
  property: string;
  about: string;
  input: unknown;
  seed?: number;
  path?: string;
  expand?: Record<string, { repeat: string; times: number }>;
}

const TAG = '$fuzz';

/** The input as JSON data: values JSON cannot hold become { "$fuzz": … } tags, "__proto__" keys stay keys. */
export function encode(value: unknown): unknown {
  if (value === undefined) return { [TAG]: 'undefined' };
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return { [TAG]: '-0' };
    if (Number.isNaN(value)) return { [TAG]: 'NaN' };
    if (value === Infinity) return { [TAG]: 'Infinity' };
    if (value === -Infinity) return { [TAG]: '-Infinity' };
    return value;
  }
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    // Own keys only, defined (not assigned) so that a "__proto__" key stays a key.
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: encode((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** The inverse of encode, with each `expand` placeholder replaced by its run of characters. */
export function decode(value: unknown, expand: RegressionFile['expand']): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const [placeholder, { repeat, times }] of Object.entries(expand ?? {})) if (out.includes(placeholder)) out = out.split(placeholder).join(repeat.repeat(times));
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => decode(v, expand));
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const tag = (value as Record<string, unknown>)[TAG];
    if (keys.length === 1 && typeof tag === 'string') {
      const special: Record<string, unknown> = { undefined: undefined, '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
      if (tag in special) return special[tag];
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) Object.defineProperty(out, key, { value: decode((value as Record<string, unknown>)[key], expand), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Long runs of one character are written as a placeholder and an `expand` entry, so that a 2 MB title stays a small file. */
export function compactStrings(input: unknown): { input: unknown; expand?: RegressionFile['expand'] } {
  const expand: NonNullable<RegressionFile['expand']> = {};
  let n = 0;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      // One pass over the code points (a regex with a back-reference takes seconds on 2 MB).
      const out: string[] = [];
      const chars = [...value];
      for (let i = 0; i < chars.length; ) {
        let j = i + 1;
        while (j < chars.length && chars[j] === chars[i]) j++;
        if (j - i >= 1_000) {
          const placeholder = `@@RUN${n++}@@`;
          expand[placeholder] = { repeat: chars[i]!, times: j - i };
          out.push(placeholder);
        } else out.push(chars.slice(i, j).join(''));
        i = j;
      }
      return out.join('');
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) Object.defineProperty(out, key, { value: walk((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return value;
  };
  const compacted = walk(input);
  return n ? { input: compacted, expand } : { input: compacted };
}

/** Saves a failing property's shrunk counterexample: the file's path, or why it could not be written (a read-only checkout). */
export function saveRegression(p: FuzzProperty, details: fc.RunDetails<[unknown]>): { path: string } | { error: string } {
  try {
    return { path: writeRegression(p, details) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function writeRegression(p: FuzzProperty, details: fc.RunDetails<[unknown]>): string {
  const { input, expand } = compactStrings(details.counterexample?.[0]);
  const file: RegressionFile = { property: p.name, about: firstLine(details.errorInstance), input: encode(input), seed: details.seed, path: details.counterexamplePath ?? undefined };
  if (expand) file.expand = expand;
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const hash = createHash('sha256').update(p.name).update(JSON.stringify(file.input)).digest('hex').slice(0, 8);
  mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const path = join(REGRESSIONS_DIR, `${p.name}-${hash}.json`);
  writeFileSync(path, text);
  return path;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Every regression file, with its input decoded. */
export function loadRegressions(): Array<{ file: string; regression: RegressionFile; input: unknown }> {
  let names: string[];
  try {
    names = readdirSync(REGRESSIONS_DIR).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const regression = JSON.parse(readFileSync(join(REGRESSIONS_DIR, name), 'utf8')) as RegressionFile;
    return { file: name, regression, input: decode(regression.input, regression.expand) };
  });
}

/** What a failure prints: the property, seed and path to replay it, the error, and where the counterexample was saved. */
export function failureReport(p: FuzzProperty, details: fc.RunDetails<[unknown]>, saved: { path: string } | { error: string }): string {
  const shown = (() => {
    const text = JSON.stringify(encode(details.counterexample?.[0])) ?? 'undefined';
    return text.length > 2_000 ? `${text.slice(0, 2_000)}… (${text.length} characters)` : text;
  })();
  return [
    `fuzz property "${p.name}" failed after ${details.numRuns} runs (${details.numShrinks} shrinks)`,
    `  replay: npm run fuzz -- --property ${p.name} --seed ${details.seed} --path ${details.counterexamplePath ?? '0'}`,
    `  error: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
    `  shrunk counterexample: ${shown}`,
    'path' in saved ? `  saved as ${saved.path} (replayed by tests/fuzz/regressions.test.ts from now on)` : `  could not be saved under tests/fuzz/regressions/: ${saved.error}`,
  ]
    .filter(Boolean)
    .join('\n');
}
