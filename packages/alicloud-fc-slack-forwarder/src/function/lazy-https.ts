/**
 * The bundle's `node:https` (tsup.config.ts resolves the imports of `https`/`node:https` in dist/function.cjs,
 * the notifier's among them, to this file): the same `request` and `Agent`, but `node:https` (and with it
 * `node:tls`, about 5 ms of a cold start) is required only when they are first used, that is when a webhook or
 * the Slack Web API URL is an `https:` URL. An `http:` loopback sink never loads it. Not used by the sources or
 * the unit tests, which import `node:https` directly.
 */
import type * as Https from 'node:https';

let loaded: typeof Https | undefined;
const https = (): typeof Https => (loaded ??= module.require('node:https') as typeof Https);

/** `https.request`, requiring `node:https` at the first call. */
export const request: typeof Https.request = ((...args: Parameters<typeof Https.request>) => https().request(...args)) as typeof Https.request;

/**
 * `https.Agent` (`new Agent(options)` returns a real `https.Agent`), requiring `node:https` at the first
 * construction.
 */
export const Agent = function Agent(options?: Https.AgentOptions): Https.Agent {
  return new (https().Agent)(options);
} as unknown as typeof Https.Agent;
