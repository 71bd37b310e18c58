// Unit tests live in tests/ (Playwright's e2e/ specs are not Vitest's).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
  },
});
