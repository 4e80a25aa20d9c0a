import type { EventFamily } from './types.js';

/**
 * Every {@link EventFamily}, in detection order.
 *
 * @example
 * ```ts
 * import { EVENT_FAMILIES } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * for (const family of EVENT_FAMILIES) console.log(family);
 * ```
 */
export const EVENT_FAMILIES: readonly EventFamily[] = /* @__PURE__ */ Object.freeze([
  'http-trigger',
  'eventbridge',
  'cloudmonitor-api-event',
  'metric-alarm',
  'cloudmonitor-event',
]);
