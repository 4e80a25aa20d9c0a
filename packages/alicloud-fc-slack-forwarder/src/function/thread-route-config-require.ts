/**
 * The bundle's thread-route-config.ts (tsup.config.ts puts this file in its place in dist/function.cjs): the
 * validation of bot-token routes lives in the thread-route chunk `function-threads.cjs`, required (synchronously,
 * by Node's CommonJS `module.require` of the loaded function file) when the configuration has a bot-token route,
 * i.e. at cold start. A chunk that cannot be loaded makes the configuration invalid (the function fails closed,
 * with the fix in the issue). Webhook-only configurations never load it.
 */
import { addIssue } from './check.js';
import type { BotRouteSettings } from './thread-route-keys.js';

export { BOT_ROUTE_KEYS, isBotRoute, type BotRouteSettings } from './thread-route-keys.js';

/** See thread-route-config.ts: the same function, loaded from the chunk. */
export function checkBotRoute(
  route: Readonly<Record<string, unknown>>,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
  secrets: string[],
): BotRouteSettings | undefined {
  let chunk: typeof import('./thread-route-config.js');
  try {
    chunk = module.require('./function-threads.cjs') as typeof import('./thread-route-config.js');
  } catch {
    // The token is still a secret: nothing may log it, whatever else goes wrong.
    const token = typeof route.botTokenEnv === 'string' ? env[route.botTokenEnv]?.trim() : undefined;
    if (token) secrets.push(token);
    addIssue(issues, path, 'bot-token routes need function-threads.cjs next to index.js and it could not be loaded; deploy the complete dist/function.zip');
    return undefined;
  }
  return chunk.checkBotRoute(route, path, env, issues, secrets);
}
