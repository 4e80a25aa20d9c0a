/**
 * The entry of the thread-route chunk, dist/function-threads.cjs (tsup.config.ts): what function.cjs requires from
 * it when a route is a bot-token route — the route's validation at cold start and its delivery at the first send.
 */
export { checkBotRoute } from './thread-route-config.js';
export { createBotRouteDelivery } from './thread-route.js';
