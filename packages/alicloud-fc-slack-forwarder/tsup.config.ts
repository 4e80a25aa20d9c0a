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
    // No keepNames (it costs ~3.8 KB): nothing reads Function.name or a class name at run time (every error
    // class sets `name` itself, and the logs carry errorName/errorCode/message, never a stack).
    keepNames: false,
    // Non-ASCII characters (…, •, emoji) as UTF-8 instead of \uXXXX escapes; Node reads the file as UTF-8.
    esbuildOptions(options) {
      options.charset = 'utf8';
      options.legalComments = 'none';
    },
    noExternal: ['@ecs-pulse/cloudmonitor-event-parser', '@ecs-pulse/slack-notifier'],
  },
]);
