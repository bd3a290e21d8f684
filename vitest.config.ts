import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code; integration and e2e tiers have their own configs.
export default defineConfig({
  test: {
    include: ['pkg/**/*.test.ts', 'hack/**/*.test.ts', 'cmd/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
