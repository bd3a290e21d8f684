import { defineConfig } from 'vitest/config';

// Conformance tier: one test per row of ../shared/conformance/ownership.tsv that has landed, named
// exactly after the official test; each file starts its own cluster through the test framework.
export default defineConfig({
  test: {
    // One etcd and one set of certificates for the whole run; each cluster gets its own key prefix.
    globalSetup: ['pkg/testenv/vitest-global-setup.ts'],
    include: ['test/conformance/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
