import { defineConfig } from 'vitest/config';

// Integration tests: the apiserver in-process against a real etcd cluster started by globalSetup.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/helpers/etcd-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
