import type { ViteUserConfig } from 'vitest/config';

/** Shared vitest settings: node environment, tests under test/, no watch in CI. */
export const baseTestConfig: ViteUserConfig = {
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
};
