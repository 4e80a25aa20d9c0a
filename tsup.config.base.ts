import type { Options } from 'tsup';

/**
 * The one tsup configuration every publishable package spreads: ESM + CJS + declarations,
 * Node 20 target, no minification (readable stack traces in users' logs).
 */
export const baseConfig: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
  outDir: 'dist',
};
