import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';
import { baseConfig } from '../../tsup.config.base.js';

/** What both function files share: self-contained minified CommonJS for Node 20 (FC `nodejs20`). */
const functionFile: Options = {
  format: ['cjs'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: false,
  sourcemap: false,
  splitting: false,
  treeshake: true,
  minify: true,
  // No keepNames (it costs ~3.8 KB): nothing reads Function.name or a class name at run time (every error
  // class sets `name` itself, and the logs carry errorName/errorCode/message, never a stack).
  keepNames: false,
  noExternal: ['@ecs-pulse/cloudmonitor-event-parser', '@ecs-pulse/slack-notifier'],
};

/**
 * The thread-route chunk is NOT bundled into function.cjs. In the function build two modules are replaced by
 * their bundle variants, which require `./function-threads.cjs` (the chunk, built by the last config) with Node's
 * CommonJS `module.require`: thread-route-config.ts (bot-token route validation; required at cold start only when
 * a route has bot-token keys) and thread-route-load.ts (the delivery, at the first bot-token route send).
 */
const BUNDLE_VARIANTS: Readonly<Record<string, string>> = {
  './thread-route-config.js': 'thread-route-config-require.ts',
  './thread-route-load.js': 'thread-route-require.ts',
  './http-load.js': 'http-require.ts',
};
const threadChunkExternal = {
  name: 'thread-chunk-external',
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { path: string; resolveDir: string }) => { path: string }): void }) {
    build.onResolve({ filter: /^\.\/(thread-route-config|thread-route-load|http-load)\.js$/ }, (args) => ({ path: join(args.resolveDir, BUNDLE_VARIANTS[args.path]!) }));
  },
};

/**
 * In function.cjs, `node:https` and `node:crypto` (imported by the notifier and the parser at their top level)
 * are required lazily: their imports resolve to src/function/lazy-https.ts and lazy-crypto.ts, which require
 * the built-in at its first use. A cold start with an `http:` webhook (or any event with an id) loads neither;
 * `node:https` pulls in `node:tls`, about 5 ms. The shims' own `module.require` calls are not resolved here.
 */
const LAZY_BUILTINS: Readonly<Record<string, string>> = { https: 'lazy-https.ts', crypto: 'lazy-crypto.ts' };
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build: { onResolve(options: { filter: RegExp }, callback: (args: { path: string; kind: string }) => { path: string } | undefined): void }) {
    build.onResolve({ filter: /^(node:)?(https|crypto)$/ }, (args) =>
      args.kind === 'import-statement' ? { path: fileURLToPath(new URL(`src/function/${LAZY_BUILTINS[args.path.replace(/^node:/, '')]!}`, import.meta.url)) } : undefined,
    );
  },
};

export default defineConfig([
  // The construct library: ESM + CJS + declarations. `clean` is off in both configs because they build in
  // parallel into the same dist/; `npm run build` empties dist/ first (scripts/clean-dist.mjs).
  { ...baseConfig, entry: { index: 'src/index.ts' }, clean: false },
  // The Function Compute function: dist/function.cjs, self-contained but for the bot-token route chunk. The parser
  // and the notifier are devDependencies and are bundled in (noExternal), so the files have zero runtime
  // dependencies. scripts/zip-function.mjs then writes dist/function.zip (index.js and function-threads.cjs at the
  // root) for the construct.
  {
    ...functionFile,
    entry: { function: 'src/function/index.ts' },
    dts: true,
    esbuildPlugins: [threadChunkExternal, lazyBuiltins],
    // Non-ASCII characters (…, •, emoji) as UTF-8 instead of \uXXXX escapes; Node reads the file as UTF-8.
    esbuildOptions(options) {
      options.charset = 'utf8';
      options.legalComments = 'none';
    },
  },
  // The HTTP-trigger request path (http-handler.ts), loaded by function.cjs at the first HTTP-trigger request.
  {
    ...functionFile,
    entry: { 'function-http': 'src/function/http-handler.ts' },
    dts: false,
    esbuildOptions(options) {
      options.charset = 'utf8';
      options.legalComments = 'none';
    },
  },
  // The bot-token route chunk (thread-route-config.ts, and thread-route.ts with the notifier's SlackWebApi and
  // SlackThreads), loaded by function.cjs only when the configuration has a bot-token route.
  {
    ...functionFile,
    entry: { 'function-threads': 'src/function/thread-chunk.ts' },
    dts: false,
    esbuildOptions(options) {
      options.charset = 'utf8';
      options.legalComments = 'none';
    },
  },
]);
