import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

const modulesFile = new URL('./src/gen/modules.json', import.meta.url);
if (!existsSync(modulesFile)) {
  throw new Error('src/gen/ is missing: run `node scripts/generate.mjs` (or `npm run build`) first.');
}
/** One entry per generated module (`dist/<module>.js`), published as `@ecs-pulse/alicloud-provider/<module>`. */
const modules = JSON.parse(readFileSync(modulesFile, 'utf8')) as string[];

export default defineConfig({
  ...baseConfig,
  // Generated code: source maps would triple dist for no debugging value.
  sourcemap: false,
  // The root index and the subpaths share one copy of each class (shared chunks, ESM and CJS).
  splitting: true,
  // Declarations come from `tsc --emitDeclarationOnly` (scripts/declarations.mjs): less CPU than
  // bundling them, and one readable .d.ts per module.
  dts: false,
  // `/testing` and `/validators` find the vendored JSON from their own location (import.meta.url in CJS too).
  shims: true,
  entry: {
    index: 'src/gen/index.ts',
    testing: 'src/testing/index.ts',
    validators: 'src/validators/index.ts',
    ...Object.fromEntries(modules.map((name) => [name, `src/gen/${name}.ts`])),
  },
});
