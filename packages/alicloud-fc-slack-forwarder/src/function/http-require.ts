/**
 * The bundle's http-load.ts (tsup.config.ts puts this file in its place in dist/function.cjs): requires the
 * HTTP-trigger chunk `function-http.cjs` (http-handler.ts, built by its own tsup config) from the directory of
 * the loaded function file, `index.js` in the zip, with Node's CommonJS `module.require` (neither bundled nor
 * wrapped in a dynamic-require shim by the bundler).
 */

/** Thrown when `function-http.cjs` cannot be loaded: the deployed archive is incomplete. */
class HttpChunkMissing extends Error {
  readonly code = 'HTTP_CHUNK_MISSING';
  constructor(cause: unknown) {
    super('HTTP-trigger requests need function-http.cjs next to index.js and it could not be loaded; deploy the complete dist/function.zip', { cause });
    this.name = 'HttpChunkMissing';
  }
}

/** Requires `./function-http.cjs` (on the first call; Node caches it). */
export function loadHttpHandler(): Promise<typeof import('./http-handler.js')> {
  return Promise.resolve().then(() => {
    try {
      return module.require('./function-http.cjs') as typeof import('./http-handler.js');
    } catch (error) {
      throw new HttpChunkMissing(error);
    }
  });
}
