import { defineConfig } from 'vitest/config';

// End-to-end tests: the real programs started as `make run-local` does, driven by real kubectl.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
