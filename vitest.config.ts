// Unit tests live in tests/ (Playwright's e2e/ specs are not Vitest's).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One worker process serves many files instead of a fresh one per file (69 of them, about half
    // a second of start-up and imports each). No test mocks modules, stubs globals or keeps state
    // in a module between files, and the suite passes in shuffled order too.
    isolate: false,
    // Vitest's default on 2 cores is 1 worker. The kernel comparisons mostly wait on network
    // namespaces (their labs are named after the worker's pid, so forks, not threads), and a second
    // worker runs other files meanwhile.
    pool: 'forks',
    maxWorkers: 2,
    // A CPU-bound test (a property over 300 runs, a 1.5-million-link input, a compression bomb)
    // takes about a second alone and can pass 5 s, Vitest's default, beside the e2e lane on a busy
    // 2-core machine: slowness is not a failure. A test that hangs still fails, after 30 s.
    testTimeout: 30_000,
  },
});
