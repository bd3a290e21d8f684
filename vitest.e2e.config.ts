import { defineConfig } from 'vitest/config';

// End-to-end tests: the real programs started as `make run-local` does, driven by real kubectl.
export default defineConfig({
  test: {
    // One etcd and one set of certificates for the whole run; each cluster gets its own key prefix.
    globalSetup: ['kube-ts/testenv/vitest-global-setup'], // as the README shows users
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
