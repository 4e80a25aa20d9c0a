import { defineConfig } from 'vitest/config';
import { baseTestConfig } from '../../vitest.config.base.js';

export default defineConfig({
  ...baseTestConfig,
  test: { ...baseTestConfig.test, testTimeout: 60_000, hookTimeout: 60_000 },
});
