// Every counterexample the fuzzer ever found (tests/fuzz/regressions/*.json), replayed through
// its property: once fixed, a bug stays fixed.

import { describe, expect, it } from 'vitest';
import { propertyNamed } from './properties.ts';
import { loadRegressions } from './regressions.ts';

const regressions = loadRegressions();

describe('fuzz regressions', () => {
  it('has the seeded cases of issue 8 at least', () => {
    expect(regressions.length).toBeGreaterThanOrEqual(5);
  });
  for (const { file, regression, input } of regressions) {
    it(`${file}: ${regression.about}`, async () => {
      await propertyNamed(regression.property).check(input);
    }, 60_000);
  }
});
