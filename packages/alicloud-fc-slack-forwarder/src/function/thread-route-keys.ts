/**
 * What config.ts needs to know about bot-token routes (issue 19) for every route: their keys and settings type.
 * Their validation is thread-route-config.ts (in the bundle: in the thread-route chunk).
 */

/**
 * What a bot-token route needs at run time.
 *
 * @example
 * ```ts
 * const bot: BotRouteSettings = { token: process.env.SLACK_BOT_TOKEN!, channel: 'C0123ABCD', threads: true, broadcastRecovery: false, lookupWindowHours: 24, apiUrl: 'https://slack.com/api' };
 * ```
 */
export interface BotRouteSettings {
  /** The bot token (a secret, redacted from every log line). */
  readonly token: string;
  /** Channel id. */
  readonly channel: string;
  /** One thread per lifecycle (default true). */
  readonly threads: boolean;
  /** Broadcast recoveries to the channel (default false). */
  readonly broadcastRecovery: boolean;
  /** How far back a cold instance looks for a lifecycle's parent (default 24). */
  readonly lookupWindowHours: number;
  /** The Web API base URL (`SLACK_API_URL`, default https://slack.com/api). */
  readonly apiUrl: string;
}

/** The route keys of a bot-token route (added to the allowed route keys). */
export const BOT_ROUTE_KEYS = ['botTokenEnv', 'channel', 'threads', 'broadcastRecovery', 'lookupWindowHours'];

/** True when a route object is a bot-token route (it has any of {@link BOT_ROUTE_KEYS}). */
export const isBotRoute = (route: Readonly<Record<string, unknown>>): boolean => BOT_ROUTE_KEYS.some((key) => route[key] !== undefined);
