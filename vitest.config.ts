import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/fast-check-seed.ts'],
    globalSetup: ['test/kube-real/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
