import { validateMessageOptions } from '@ecs-pulse/slack-notifier';
import { addIssue, isRecord } from './check.js';
import { redact } from './log.js';
import { BOT_ROUTE_KEYS, checkBotRoute, isBotRoute, type BotRouteSettings } from './thread-route-config.js';
import type { ForwarderSeverity } from './types.js';

/**
 * Matches alerts. Every field that is set must match (AND); inside a field, any value may match (OR).
 * Strings are compared case-insensitively and may use `*` as a wildcard (`Instance:*`, `i-bp1*`).
 *
 * @example
 * ```json
 * { "products": ["ECS"], "names": ["Instance:*"], "severities": ["critical", "warning"] }
 * ```
 */
export interface AlertMatcher {
  /** Product codes, e.g. `ECS`, `acs_ecs` metric namespaces are products too. */
  readonly products?: readonly string[];
  /** Event or alarm names without status suffix, e.g. `Instance:StateChange`, `Host.cpu.total`. */
  readonly names?: readonly string[];
  /** Normalized severities. */
  readonly severities?: readonly ForwarderSeverity[];
  /** Statuses, e.g. `Stopped`, `ALERT`, `OK`. */
  readonly statuses?: readonly string[];
  /** `system-event` or `metric-alarm`. */
  readonly kinds?: readonly string[];
  /** `cloudmonitor` or `eventbridge`. */
  readonly sources?: readonly string[];
  /** Bare resource ids, e.g. `i-bp1*`. */
  readonly resourceIds?: readonly string[];
  /** Region ids. */
  readonly regions?: readonly string[];
  /**
   * Flat detail keys and the values they must have, e.g. `{ "tags.env": "prod" }`. Resource tags can only be
   * matched when the payload carries them (CloudMonitor and EventBridge ECS events do not).
   */
  readonly details?: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * A Slack destination chosen by a matcher.
 *
 * @example
 * ```json
 * { "name": "oncall", "webhookUrlEnv": "SLACK_WEBHOOK_URL_ONCALL", "match": { "severities": ["critical"] } }
 * ```
 */
export interface RouteConfig {
  /** Unique route name used in logs (`[A-Za-z0-9_-]`, up to 64 characters; `default` is reserved). */
  readonly name: string;
  /** The webhook URL itself (a secret: prefer `webhookUrlEnv`). */
  readonly webhookUrl?: string;
  /** Name of the environment variable that holds the webhook URL. */
  readonly webhookUrlEnv?: string;
  /** Which alerts go to this route; absent means every alert. */
  readonly match?: AlertMatcher;
  /** Rendering options for this route, merged over the top-level `message`. */
  readonly message?: MessageOptions;
  /** Bot-token route (instead of a webhook): the environment variable that holds the bot token (`xoxb-…`). */
  readonly botTokenEnv?: string;
  /** Bot-token route: the channel ID (`C0123ABCD`). */
  readonly channel?: string;
  /** Bot-token route: one thread per alert lifecycle, the parent edited in place (default true). */
  readonly threads?: boolean;
  /** Bot-token route: post recoveries (`ok`) to the channel too (default false). */
  readonly broadcastRecovery?: boolean;
  /** Bot-token route: how far back a cold instance looks for a lifecycle's thread, in hours (default 24). */
  readonly lookupWindowHours?: number;
}

/**
 * The optional JSON in `ECS_PULSE_CONFIG`. Unknown keys are rejected.
 *
 * @example
 * ```json
 * {
 *   "filters": { "include": [{ "products": ["ECS"] }], "exclude": [{ "names": ["Snapshot:*"] }] },
 *   "routes": [{ "name": "oncall", "webhookUrlEnv": "SLACK_WEBHOOK_URL_ONCALL", "match": { "severities": ["critical"] } }],
 *   "routing": "first-match"
 * }
 * ```
 */
export interface ForwarderJsonConfig {
  /**
   * Keep ActionTrail events (EventBridge types `<product>:ActionTrail:*`, e.g. `ecs:ActionTrail:ApiCall`, one per
   * API call). Default false: they are dropped before the filters, since the source `acs.ecs` alone also matches
   * every ECS write call.
   */
  readonly actionTrail?: boolean;
  /** Alerts pass when they match any `include` matcher (or `include` is empty) and no `exclude` matcher. */
  readonly filters?: { readonly include?: readonly AlertMatcher[]; readonly exclude?: readonly AlertMatcher[] };
  /** Routes, tried in order. When none matches, `SLACK_WEBHOOK_URL` (route `default`) is used if set. */
  readonly routes?: readonly RouteConfig[];
  /** `first-match` (default): an alert goes to the first matching route. `all-matches`: to every matching route. */
  readonly routing?: 'first-match' | 'all-matches';
  /**
   * How many delivered alerts (route + id + status) a warm instance remembers per route at least (default 1000);
   * each route also keeps at least twice the largest batch it was given, so a retry never re-posts what was delivered.
   */
  readonly dedupeCapacity?: number;
  /** Notifier settings. */
  readonly slack?: {
    /** HTTP attempts per message, including the first (default 3). */
    readonly maxAttempts?: number;
    /** Per-attempt timeout in ms (default 5000). */
    readonly timeoutMs?: number;
  };
  /** Time kept back from the invocation's remaining time before giving up on Slack (default 1500 ms). */
  readonly safetyMarginMs?: number;
  /**
   * Rendering options passed to the notifier's `toSlackMessage` (`titlePrefix`, `environment`, `mentions`,
   * `colorBar`, `consoleLinks`, `consoleBaseUrl`, `maxDetails`, `footer`); a route's own `message` is merged over it.
   */
  readonly message?: MessageOptions;
}

/**
 * The subset of the notifier's `ToSlackMessageOptions` that can be written in JSON.
 *
 * @example
 * ```json
 * { "titlePrefix": "[prod]", "environment": "prod", "mentions": { "critical": "<!here>" } }
 * ```
 */
export interface MessageOptions {
  readonly titlePrefix?: string;
  readonly environment?: string;
  readonly mentions?: Readonly<Partial<Record<ForwarderSeverity, string | readonly string[]>>>;
  readonly colorBar?: boolean;
  readonly consoleLinks?: boolean;
  readonly consoleBaseUrl?: string;
  readonly maxDetails?: number;
  readonly footer?: string;
}

/**
 * A resolved route: a name, a webhook URL and a matcher.
 *
 * @example
 * ```ts
 * const route: ResolvedRoute = { name: 'default', webhookUrl: process.env.SLACK_WEBHOOK_URL!, message: {} };
 * ```
 */
export interface ResolvedRoute {
  readonly name: string;
  /** The webhook URL; empty for a bot-token route. */
  readonly webhookUrl: string;
  /** Set for a bot-token route (Slack Web API, threads). */
  readonly bot?: BotRouteSettings;
  readonly match?: AlertMatcher;
  /** Top-level `message` merged with the route's own. */
  readonly message: MessageOptions;
}

/**
 * The validated runtime configuration.
 *
 * @example
 * ```ts
 * const result = loadConfig(process.env);
 * const config: ForwarderConfig | undefined = result.ok ? result.config : undefined;
 * ```
 */
export interface ForwarderConfig {
  readonly routes: readonly ResolvedRoute[];
  /** The `SLACK_WEBHOOK_URL` route, when set. */
  readonly defaultRoute?: ResolvedRoute;
  readonly routing: 'first-match' | 'all-matches';
  readonly include: readonly AlertMatcher[];
  readonly exclude: readonly AlertMatcher[];
  /** Keep ActionTrail events (`actionTrail` in the JSON; default false). */
  readonly actionTrail: boolean;
  readonly dedupeCapacity: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly safetyMarginMs: number;
  /** The HTTP token, or undefined when `ECS_PULSE_HTTP_TOKEN` is not set (HTTP requests then get 500). */
  readonly httpToken?: string;
  /** Why HTTP requests are refused (token missing, too short, or with surrounding whitespace), when they are. */
  readonly httpTokenProblem?: string;
  /** Every secret value (webhook URLs, token), for log redaction. */
  readonly secrets: readonly string[];
}

/**
 * Result of {@link loadConfig}: never throws.
 *
 * @example
 * ```ts
 * const result: ConfigResult = loadConfig({});
 * if (!result.ok) console.error(result.issues);
 * ```
 */
export type ConfigResult =
  | { readonly ok: true; readonly config: ForwarderConfig; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly issues: readonly string[]; readonly secrets: readonly string[] };

const SEVERITIES: readonly ForwarderSeverity[] = ['critical', 'warning', 'info', 'ok'];
/** The matcher keys that list values of one alert field, and that field (in matching order). */
export const MATCHER_FIELDS = {
  products: 'product',
  names: 'name',
  severities: 'severity',
  statuses: 'status',
  kinds: 'kind',
  sources: 'source',
  resourceIds: 'resourceId',
  regions: 'region',
} as const;
const MATCHER_KEYS = [...Object.keys(MATCHER_FIELDS), 'details'];
/** The configuration variable's name, the root of every issue path under it. */
const CONFIG = 'ECS_PULSE_CONFIG';
/** The default route's webhook variable. */
const WEBHOOK = 'SLACK_WEBHOOK_URL';
const TOP_KEYS = ['filters', 'routes', 'routing', 'dedupeCapacity', 'slack', 'safetyMarginMs', 'message', 'actionTrail'];
const MESSAGE_KEYS = ['titlePrefix', 'environment', 'mentions', 'colorBar', 'consoleLinks', 'consoleBaseUrl', 'maxDetails', 'footer'];
const ROUTE_KEYS = ['name', 'webhookUrl', 'webhookUrlEnv', 'match', 'message', ...BOT_ROUTE_KEYS];
const ROUTE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The minimum length of `ECS_PULSE_HTTP_TOKEN` (the construct generates 32 characters). */
export const MIN_TOKEN_LENGTH = 16;

/**
 * Checks a webhook URL without ever echoing it: `https:` anywhere, `http:` only for loopback hosts (local
 * sinks). Returns a problem description or undefined.
 */
export function checkWebhookUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL (expected https://hooks.slack.com/services/...)';
  }
  const { protocol, hostname } = url;
  if (url.username !== '' || url.password !== '') return 'must not contain user credentials';
  if (url.pathname === '/' || url.pathname === '') return 'has no path (the secret /services/... part is missing)';
  if (protocol === 'https:' || (protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname))) return undefined;
  return `must be an https: URL (got ${protocol}//${hostname === '' ? '' : '…'}); http: is allowed for loopback test sinks only`;
}

/** Checks the value of one object key; `keyPath` is `path.key`. */
type FieldCheck = (key: string, value: unknown, keyPath: string) => void;

/**
 * Reports every key of `value` outside `allowed` (`path.key: unknown key; allowed: ...`) and hands the others,
 * in the object's own key order, to `check`.
 */
function checkFields(value: Record<string, unknown>, path: string, allowed: readonly string[], issues: string[], check?: FieldCheck): void {
  for (const [key, v] of Object.entries(value)) {
    if (!allowed.includes(key)) addIssue(issues, `${path}.${key}`, `unknown key; allowed: ${allowed.join(', ')}`);
    else check?.(key, v, `${path}.${key}`);
  }
}

/**
 * `value` when it is an object, after {@link checkFields}; undefined when it is absent, or not an object
 * (reported as `path: must be an object like <example>`).
 */
function objectAt(value: unknown, path: string, allowed: readonly string[], example: string, issues: string[], check?: FieldCheck): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    addIssue(issues, path, `must be an object like ${example}`);
    return undefined;
  }
  checkFields(value, path, allowed, issues, check);
  return value;
}

function checkStringList(value: unknown, path: string, issues: string[], allowed?: readonly string[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    addIssue(issues, path, 'must be a non-empty array of strings');
    return;
  }
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') addIssue(issues, `${path}[${i}]`, 'must be a non-empty string');
    else if (allowed && !allowed.includes(item.toLowerCase())) addIssue(issues, `${path}[${i}]`, `must be one of ${allowed.join(', ')} (got "${item}")`);
  });
}

function checkMatcher(value: unknown, path: string, issues: string[]): void {
  const matcher = objectAt(value, path, MATCHER_KEYS, '{"products":["ECS"]}', issues, (key, v, keyPath) => {
    if (key !== 'details') return checkStringList(v, keyPath, issues, key === 'severities' ? SEVERITIES : undefined);
    if (!isRecord(v) || Object.keys(v).length === 0) return addIssue(issues, keyPath, 'must be a non-empty object of key → value (or array of values)');
    for (const [k, dv] of Object.entries(v)) if (typeof dv !== 'string') checkStringList(dv, `${keyPath}.${k}`, issues);
  });
  if (matcher && Object.keys(matcher).length === 0) addIssue(issues, path, `is empty; give at least one of ${MATCHER_KEYS.join(', ')}`);
}

function checkMatcherList(value: unknown, path: string, issues: string[]): readonly AlertMatcher[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    addIssue(issues, path, 'must be an array of matchers like [{"products":["ECS"]}]');
    return [];
  }
  value.forEach((m, i) => checkMatcher(m, `${path}[${i}]`, issues));
  return value as AlertMatcher[];
}

function checkInteger(value: unknown, path: string, min: number, max: number, issues: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    addIssue(issues, path, `must be an integer from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

/**
 * Checks one `message` object: keys outside the JSON subset are reported here, every value by the notifier's
 * own validator (the rules it applies when it renders), so a configuration that loads can always be rendered.
 */
function checkMessage(value: unknown, path: string, issues: string[]): MessageOptions {
  const message = objectAt(value, path, MESSAGE_KEYS, '{"titlePrefix":"[prod]"}', issues);
  if (message === undefined) return {};
  const known = Object.fromEntries(Object.entries(message).filter(([key]) => MESSAGE_KEYS.includes(key)));
  for (const issue of validateMessageOptions(known)) issues.push(`${path}.${issue}`);
  return known as MessageOptions;
}

/**
 * Reads and validates the function's configuration from environment variables. Never throws: a broken
 * configuration is returned as a list of issues (`path: message`, no secret values), so the function can
 * load, log the problem on every invocation and fail closed.
 *
 * @param env - the environment (`process.env`)
 *
 * @example
 * ```ts
 * const result = loadConfig({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' });
 * if (result.ok) console.log(result.config.defaultRoute?.name); // default
 * ```
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const issues: string[] = [];
  const warnings: string[] = [];
  const secrets: string[] = [];
  /** A webhook URL from the environment (blank counts as unset). */
  const envUrl = (name: string): string | undefined => env[name]?.trim() || undefined;

  const webhook = envUrl(WEBHOOK);
  let defaultWebhook: string | undefined;
  if (webhook !== undefined) {
    secrets.push(webhook);
    const problem = checkWebhookUrl(webhook);
    if (problem) addIssue(issues, WEBHOOK, problem);
    else defaultWebhook = webhook;
  }

  const token = env.ECS_PULSE_HTTP_TOKEN || undefined;
  let httpToken: string | undefined;
  let httpTokenProblem: string | undefined;
  if (token === undefined) {
    httpTokenProblem = 'ECS_PULSE_HTTP_TOKEN: is not set; HTTP-trigger requests are refused with 500 until it is';
  } else {
    secrets.push(token);
    if (token.trim() !== token) {
      // Refused rather than trimmed: the presented token is trimmed, so this one could never match.
      secrets.push(token.trim());
      httpTokenProblem = 'ECS_PULSE_HTTP_TOKEN: has leading or trailing whitespace (a trailing newline?); set it without. HTTP-trigger requests get 500 until then';
    } else if (token.length < MIN_TOKEN_LENGTH) {
      httpTokenProblem = `ECS_PULSE_HTTP_TOKEN: is shorter than ${MIN_TOKEN_LENGTH} characters; use a random value (the construct generates 32). HTTP-trigger requests get 500 until then`;
    } else httpToken = token;
  }
  if (httpTokenProblem) warnings.push(httpTokenProblem);

  let json: Record<string, unknown> = {};
  const rawConfig = env.ECS_PULSE_CONFIG?.trim();
  if (rawConfig) {
    try {
      const parsed: unknown = JSON.parse(rawConfig);
      if (isRecord(parsed)) json = parsed;
      else addIssue(issues, CONFIG, 'must be a JSON object like {"routes":[...]}');
    } catch (error) {
      // The engine's message quotes part of the text, which may hold a webhook URL: report the position only.
      const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
      addIssue(issues, CONFIG, `is not valid JSON${position ? ` (syntax error at character ${position})` : ''}`);
    }
  }

  checkFields(json, CONFIG, TOP_KEYS, issues);

  const message = checkMessage(json.message, `${CONFIG}.message`, issues);
  const defaultRoute: ResolvedRoute | undefined = defaultWebhook === undefined ? undefined : { name: 'default', webhookUrl: defaultWebhook, message };

  const filters = objectAt(json.filters, `${CONFIG}.filters`, ['include', 'exclude'], '{"include":[...],"exclude":[...]}', issues);
  const include = checkMatcherList(filters?.include, `${CONFIG}.filters.include`, issues);
  const exclude = checkMatcherList(filters?.exclude, `${CONFIG}.filters.exclude`, issues);

  let actionTrail = false;
  if (json.actionTrail !== undefined) {
    if (typeof json.actionTrail === 'boolean') actionTrail = json.actionTrail;
    else addIssue(issues, `${CONFIG}.actionTrail`, 'must be true or false');
  }

  const routes: ResolvedRoute[] = [];
  if (json.routes !== undefined) {
    if (!Array.isArray(json.routes)) addIssue(issues, `${CONFIG}.routes`, 'must be an array of routes');
    else {
      const names = new Set<string>();
      json.routes.forEach((value: unknown, i: number) => {
        const path = `${CONFIG}.routes[${i}]`;
        const route = objectAt(value, path, ROUTE_KEYS, '{"name":"oncall","webhookUrlEnv":"SLACK_WEBHOOK_URL_ONCALL"}', issues);
        if (route === undefined) return;
        const { name, webhookUrl, webhookUrlEnv, match } = route;
        if (typeof name !== 'string' || !ROUTE_NAME.test(name)) addIssue(issues, `${path}.name`, 'must be 1-64 characters of A-Z a-z 0-9 _ -');
        else if (name === 'default') addIssue(issues, `${path}.name`, `"default" is reserved for ${WEBHOOK}; pick another name`);
        else if (names.has(name)) addIssue(issues, `${path}.name`, `"${name}" is used by an earlier route; names must be unique`);
        else names.add(name);

        let url: string | undefined;
        // --- issue 19 hook: a bot-token route (thread-route-config.ts checks it) instead of a webhook ---
        const botRoute = isBotRoute(route);
        const bot = botRoute ? checkBotRoute(route, path, env, issues, secrets) : undefined;
        if (botRoute) {
          // no webhook: checkBotRoute reported a webhookUrl/webhookUrlEnv given as well
        } else if (webhookUrl !== undefined && webhookUrlEnv !== undefined) {
          addIssue(issues, path, 'give webhookUrl or webhookUrlEnv, not both');
        } else if (typeof webhookUrl === 'string') {
          url = webhookUrl;
          secrets.push(url);
        } else if (typeof webhookUrlEnv === 'string') {
          if (!ENV_NAME.test(webhookUrlEnv)) {
            // Not echoed: a webhook URL pasted here is a secret (it is redacted from the logs too).
            secrets.push(webhookUrlEnv);
            addIssue(issues, `${path}.webhookUrlEnv`, `is not an environment variable name (letters, digits, _)${/[:/]/.test(webhookUrlEnv) ? '; it looks like a URL: put the webhook URL in an environment variable and name that variable here' : ''}`);
          }
          else {
            url = envUrl(webhookUrlEnv);
            if (url === undefined) addIssue(issues, `${path}.webhookUrlEnv`, `environment variable ${webhookUrlEnv} is not set`);
            else secrets.push(url);
          }
        } else {
          addIssue(issues, path, 'needs webhookUrlEnv (the name of an environment variable holding the webhook URL) or webhookUrl');
        }
        if (url !== undefined) {
          const problem = checkWebhookUrl(url);
          if (problem) addIssue(issues, `${path}.${webhookUrl !== undefined ? 'webhookUrl' : 'webhookUrlEnv'}`, problem);
        }
        if (match !== undefined) checkMatcher(match, `${path}.match`, issues);
        const routeMessage = checkMessage(route.message, `${path}.message`, issues);
        if (typeof name === 'string' && (url !== undefined || bot !== undefined)) {
          routes.push({ name, webhookUrl: url ?? '', ...(bot ? { bot } : {}), message: { ...message, ...routeMessage }, ...(match !== undefined ? { match: match as AlertMatcher } : {}) });
        }
      });
    }
  }

  let routing: 'first-match' | 'all-matches' = 'first-match';
  if (json.routing !== undefined) {
    if (json.routing === 'first-match' || json.routing === 'all-matches') routing = json.routing;
    else addIssue(issues, `${CONFIG}.routing`, 'must be "first-match" or "all-matches"');
  }

  /** The integer `key` of `object` (at `path`), or `fallback` when it is absent or (reported) out of range. */
  const integer = (object: Record<string, unknown> | undefined, path: string, key: string, min: number, max: number, fallback: number): number =>
    checkInteger(object?.[key], `${path}.${key}`, min, max, issues) ?? fallback;
  const dedupeCapacity = integer(json, CONFIG, 'dedupeCapacity', 1, 100_000, 1000);
  const safetyMarginMs = integer(json, CONFIG, 'safetyMarginMs', 0, 60_000, 1500);
  const slack = objectAt(json.slack, `${CONFIG}.slack`, ['maxAttempts', 'timeoutMs'], '{"maxAttempts":3,"timeoutMs":5000}', issues);
  const maxAttempts = integer(slack, `${CONFIG}.slack`, 'maxAttempts', 1, 10, 3);
  const timeoutMs = integer(slack, `${CONFIG}.slack`, 'timeoutMs', 100, 60_000, 5000);

  if (defaultRoute === undefined) {
    if (routes.length === 0) {
      if (!issues.some((i) => i.startsWith(WEBHOOK) || i.includes('.routes'))) addIssue(issues, WEBHOOK, `is not set and ${CONFIG} has no routes; set the Slack incoming-webhook URL`);
    } else if (routes.every((r) => r.match !== undefined)) {
      warnings.push(`${WEBHOOK} is not set: alerts that match no route are logged as "unrouted" and dropped`);
    }
  }

  // Issues quote names and values of the configuration: a secret in the wrong place must not be echoed.
  if (issues.length > 0) return { ok: false, issues: issues.map((issue) => redact(issue, secrets)), secrets };
  return {
    ok: true,
    warnings,
    config: {
      routes,
      ...(defaultRoute ? { defaultRoute } : {}),
      routing,
      include,
      exclude,
      actionTrail,
      dedupeCapacity,
      maxAttempts,
      timeoutMs,
      safetyMarginMs,
      ...(httpToken !== undefined ? { httpToken } : {}),
      ...(httpTokenProblem !== undefined ? { httpTokenProblem } : {}),
      secrets,
    },
  };
}
