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
  },
});
