/**
 * Loads the HTTP-trigger request path (http-handler.ts) at the first HTTP-trigger request.
 *
 * This is the module the sources and the unit tests run. The bundle runs http-require.ts in its place
 * (tsup.config.ts swaps them): http-handler.ts is its own file, `function-http.cjs` next to `index.js` in
 * dist/function.zip, required with a plain require at the first HTTP-trigger request. Event invocations never
 * load it.
 */

/** Loads http-handler.ts. */
export function loadHttpHandler(): Promise<typeof import('./http-handler.js')> {
  return import('./http-handler.js');
}
