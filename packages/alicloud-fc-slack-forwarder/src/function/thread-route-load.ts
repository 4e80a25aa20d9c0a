/**
 * Loads the bot-token route delivery (thread-route.ts) when a bot-token route first has alerts to post.
 *
 * This is the module the sources and the unit tests run. The bundle runs thread-route-require.ts in its place
 * (tsup.config.ts swaps them): thread-route.ts is part of its own file, `function-threads.cjs` next to
 * `index.js` in dist/function.zip, required with a plain require (at cold start already, by the validation of
 * the bot-token route). Webhook-only deployments never load it (nor the Slack Web API client it brings).
 */
import type { DeliverBotRoute } from './thread-route.js';

/** Loads thread-route.ts and creates a delivery with its own planners (one per function instance). */
export function loadBotRouteDelivery(): Promise<DeliverBotRoute> {
  return import('./thread-route.js').then((chunk) => chunk.createBotRouteDelivery());
}
