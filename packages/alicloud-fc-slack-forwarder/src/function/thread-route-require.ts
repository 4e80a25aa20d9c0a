/**
 * The bundle's thread-route-load.ts (tsup.config.ts puts this file in its place in dist/function.cjs): requires
 * the chunk `function-threads.cjs` (thread-route.ts, built by its own tsup config) from the directory of the
 * loaded function file, `index.js` in the zip. `module.require` is Node's CommonJS require of this file, written
 * so that the bundler neither bundles the chunk nor wraps the call in a dynamic-require shim.
 */
import type { DeliverBotRoute } from './thread-route.js';

/** Requires `./function-threads.cjs` (on the first call; Node caches it) and creates a delivery with its own planners. */
export function loadBotRouteDelivery(): Promise<DeliverBotRoute> {
  return Promise.resolve().then(() => (module.require('./function-threads.cjs') as typeof import('./thread-route.js')).createBotRouteDelivery());
}
