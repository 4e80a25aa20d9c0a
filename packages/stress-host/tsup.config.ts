import { defineConfig } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

export default defineConfig({
  ...baseConfig,
  // `parsers` is the cdktf-free entry for CLIs: parseIperf3 / parseStressNg without loading the construct.
  entry: ['src/index.ts', 'src/parsers.ts'],
});
