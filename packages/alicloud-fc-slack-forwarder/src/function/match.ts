import { MATCHER_FIELDS, type AlertMatcher, type ForwarderConfig, type ResolvedRoute } from './config.js';
import { globMatch } from './glob.js';
import type { RoutableAlert } from './types.js';

export { globMatch } from './glob.js';

const anyOf = (patterns: readonly string[] | undefined, value: string | undefined): boolean =>
  patterns === undefined || (value !== undefined && patterns.some((p) => globMatch(p, value)));

/**
 * True when `alert` satisfies every field set in `matcher` (AND across fields, OR inside a field).
 *
 * @example
 * ```ts
 * matches({ products: ['ECS'], names: ['Instance:*'] }, alert);
 * ```
 */
export function matches(matcher: AlertMatcher, alert: RoutableAlert): boolean {
  for (const [key, field] of Object.entries(MATCHER_FIELDS) as [keyof typeof MATCHER_FIELDS, (typeof MATCHER_FIELDS)[keyof typeof MATCHER_FIELDS]][]) {
    if (!anyOf(matcher[key], alert[field])) return false;
  }
  if (matcher.details !== undefined) {
    for (const [key, expected] of Object.entries(matcher.details)) {
      const actual = alert.details[key];
      if (actual === undefined || actual === null) return false;
      const patterns = typeof expected === 'string' ? [expected] : expected;
      if (!patterns.some((p) => globMatch(p, String(actual)))) return false;
    }
  }
  return true;
}

/**
 * Whether an alert is an ActionTrail event: EventBridge type `<product>:ActionTrail:<event>` (e.g.
 * `ecs:ActionTrail:ApiCall`), which the parser names `ActionTrail:<event>`.
 */
const isActionTrail = (alert: RoutableAlert): boolean => /^ActionTrail:/i.test(alert.name);

/**
 * The filter step: ActionTrail events are dropped unless `actionTrail` is set; then an alert passes when it
 * matches any `include` matcher (or there is none) and no `exclude` matcher.
 *
 * @example
 * ```ts
 * passesFilters(config, alert); // true | false
 * ```
 */
export function passesFilters(config: Pick<ForwarderConfig, 'include' | 'exclude'> & { readonly actionTrail?: boolean }, alert: RoutableAlert): boolean {
  if (config.actionTrail !== true && isActionTrail(alert)) return false;
  if (config.include.length > 0 && !config.include.some((m) => matches(m, alert))) return false;
  return !config.exclude.some((m) => matches(m, alert));
}

/**
 * The route step. Routes are tried in order; with `first-match` the first matching route wins, with
 * `all-matches` every matching route gets the alert. A route without `match` matches everything. When no
 * route matches, the default route (`SLACK_WEBHOOK_URL`) is used if configured; otherwise the result is
 * empty and the alert is logged as unrouted.
 *
 * @example
 * ```ts
 * selectRoutes(config, alert).map((r) => r.name); // ['oncall']
 * ```
 */
export function selectRoutes(
  config: Pick<ForwarderConfig, 'routes' | 'defaultRoute' | 'routing'>,
  alert: RoutableAlert,
): readonly ResolvedRoute[] {
  const selected: ResolvedRoute[] = [];
  for (const route of config.routes) {
    if (route.match === undefined || matches(route.match, alert)) {
      selected.push(route);
      if (config.routing === 'first-match') break;
    }
  }
  if (selected.length === 0 && config.defaultRoute !== undefined) selected.push(config.defaultRoute);
  return selected;
}
