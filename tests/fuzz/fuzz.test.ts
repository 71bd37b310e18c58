// The fuzzer's default run, part of `npm test`: every property with a fixed seed and a fixed
// number of cases, three tenths of each property's weight (3,255 in all; the chapters' bigger scenarios
// and two more device families made the full weight over two minutes of a 2-core machine beside
// the browser tests). `npm run fuzz -- --runs N` runs a campaign of any size. A failure prints its seed, path and shrunk
// counterexample and saves it under tests/fuzz/regressions/, where it stays a test.

import { describe, it } from 'vitest';
import { failureReport, saveRegression } from './regressions.ts';
import { properties, runProperty } from './properties.ts';

/** The default run's seed. Change it only on purpose: a new seed is a new set of cases. */
export const FUZZ_SEED = 20_261_201;

/** The share of each property's `runs` that `npm test` runs. */
const SHARE = 0.3;
const casesOf = (runs: number) => Math.max(1, Math.round(runs * SHARE));

describe(`fuzz (seed ${FUZZ_SEED}, ${properties.reduce((n, p) => n + casesOf(p.runs), 0)} cases)`, () => {
  for (const p of properties) {
    it(`${p.name}: ${p.about} (${casesOf(p.runs)} cases)`, async () => {
      const details = await runProperty(p, { seed: FUZZ_SEED, numRuns: casesOf(p.runs) });
      if (details.failed) throw new Error(failureReport(p, details, saveRegression(p, details)));
    }, 120_000);
  }
});
