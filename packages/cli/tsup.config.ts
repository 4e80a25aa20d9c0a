import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

// Two entries: the library (`index`) and the command line (`cli`, loaded by bin/ecs-pulse.js).
// Code splitting keeps each command in its own chunk, loaded with `await import()` only when run,
// so `ecs-pulse --help` loads neither the Alibaba Cloud SDKs nor the command code.
export default defineConfig({
  ...baseConfig,
  entry: ['src/index.ts', 'src/cli.ts'],
  splitting: true,
  shims: true,
});
