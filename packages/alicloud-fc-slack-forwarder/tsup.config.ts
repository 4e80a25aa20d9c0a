import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig([
  // The construct library: ESM + CJS + declarations. `clean` is off in both configs because they build in
  // parallel into the same dist/; `npm run build` empties dist/ first (scripts/clean-dist.mjs).
  { ...baseConfig, entry: { index: 'src/index.ts' }, clean: false },
  // The Function Compute function: ONE self-contained CommonJS file. The parser and the notifier are
  // devDependencies and are bundled in (noExternal), so the file has zero runtime dependencies.
  // scripts/zip-function.mjs then writes dist/function.zip (index.js at the root) for the construct.
  {
    entry: { function: 'src/function/index.ts' },
    format: ['cjs'],
    platform: 'node',
    target: 'node20',
    outDir: 'dist',
    dts: true,
    clean: false,
    sourcemap: false,
    splitting: false,
    treeshake: true,
    minify: true,
    // Keep function and class names in stack traces despite minification.
    keepNames: true,
    noExternal: ['@ecs-pulse/cloudmonitor-event-parser', '@ecs-pulse/slack-notifier'],
  },
]);
