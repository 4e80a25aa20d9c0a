import type { EventSourceProps } from './props.js';

/**
 * Type prefixes of ECS system events on EventBridge (EventBridge "ECS events" list: `ecs:Instance:*`,
 * `ecs:Disk:*`, `ecs:Snapshot:*`, `ecs:NetworkInterface:*`). ActionTrail events of ECS (`ecs:ActionTrail:ApiCall`,
 * one per ECS write call, terraform's own included, and `ecs:ActionTrail:AliyunServiceEvent`) share the source
 * `acs.ecs`, so a source-only pattern would flood Slack with them (issue 15 item 6).
 */
export const ECS_SYSTEM_EVENT_TYPE_PREFIXES = ['ecs:Instance:', 'ecs:Disk:', 'ecs:Snapshot:', 'ecs:NetworkInterface:'] as const;

/** A value of an EventBridge event pattern: an exact string or a prefix match (`{"prefix": "..."}`). */
type PatternValue = string | { readonly prefix: string };

/**
 * The EventBridge event pattern of the forwarder's trigger: the products' sources, and the event types.
 *
 * - `eventTypes` given: exactly those types.
 * - otherwise: ECS system events only (the prefixes above); for other products every type of the product
 *   (`<product>:` prefix; the function drops their `:ActionTrail:` events unless `actionTrail` is set).
 * - `actionTrail: true` adds the products' `<product>:ActionTrail:` types.
 *
 * Prefix matching is EventBridge's documented `{"prefix": "..."}` pattern form (EventBridge "Event patterns").
 */
export function eventRuleFilterPattern(products: readonly string[], eventSource: EventSourceProps): { source: string[]; type: PatternValue[] } {
  const source = products.map((p) => `acs.${p.toLowerCase()}`);
  if (eventSource.eventTypes) return { source, type: [...eventSource.eventTypes] };
  const type: PatternValue[] = [];
  for (const product of products) {
    const code = product.toLowerCase();
    if (code === 'ecs') type.push(...ECS_SYSTEM_EVENT_TYPE_PREFIXES.map((prefix) => ({ prefix })));
    else type.push({ prefix: `${code}:` });
    if (eventSource.actionTrail === true && code === 'ecs') type.push({ prefix: `${code}:ActionTrail:` });
  }
  return { source, type };
}
