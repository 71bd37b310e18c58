// The fuzzer's default run, part of `npm test`: every property with a fixed seed and a fixed
// number of cases (10,000 and more in all). A failure prints its seed, path and shrunk
// counterexample and saves it under tests/fuzz/regressions/, where it stays a test.

import { describe, it } from 'vitest';
import { failureReport, saveRegression } from './regressions.ts';
import { properties, runProperty } from './properties.ts';

/** The default run's seed. Change it only on purpose: a new seed is a new set of cases. */
export const FUZZ_SEED = 20_261_201;

describe(`fuzz (seed ${FUZZ_SEED}, ${properties.reduce((n, p) => n + p.runs, 0)} cases)`, () => {
  for (const p of properties) {
    it(`${p.name}: ${p.about} (${p.runs} cases)`, async () => {
      const details = await runProperty(p, { seed: FUZZ_SEED, numRuns: p.runs });
      if (details.failed) throw new Error(failureReport(p, details, saveRegression(p, details)));
    }, 120_000);
  }
});
