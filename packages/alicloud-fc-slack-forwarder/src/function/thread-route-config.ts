/**
 * Configuration of bot-token routes (issue 19): a route that posts through the Slack Web API with a bot token
 * instead of an incoming webhook. Kept free of the notifier so the construct (which validates the function's
 * configuration at synth) does not load it; the delivery side is thread-route.ts.
 *
 * In the bundle this file is part of the thread-route chunk (dist/function-threads.cjs), which function.cjs
 * requires at cold start only when a route has bot-token keys (thread-route-config-require.ts); webhook-only
 * deployments never load it. What config.ts needs for every route is in thread-route-keys.ts.
 */
import { addIssue, checkType } from './check.js';
import type { BotRouteSettings } from './thread-route-keys.js';

export { BOT_ROUTE_KEYS, isBotRoute, type BotRouteSettings } from './thread-route-keys.js';

/** The Slack Web API base URL unless `SLACK_API_URL` says otherwise (the notifier's `SLACK_API_URL`). */
const DEFAULT_API_URL = 'https://slack.com/api';


/** Slack bot (`xoxb-`) and user (`xoxp-`) tokens. */
const TOKEN = /^xox[bp]-[A-Za-z0-9-]{6,}$/;
const CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];


/** Checks `SLACK_API_URL` without echoing anything but its scheme: https anywhere, http only for loopback test sinks. */
function checkApiUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL (expected https://slack.com/api)';
  }
  if (url.username !== '' || url.password !== '' || url.search !== '') return 'must not contain credentials or a query';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.includes(url.hostname))) return undefined;
  return `must be an https: URL (got ${url.protocol}); http: is allowed for loopback test sinks only`;
}

/**
 * Validates a bot-token route (`{ name, botTokenEnv, channel, threads?, broadcastRecovery?, lookupWindowHours? }`),
 * adding every issue as `path: message` (never a token value) and the token to `secrets`. Returns the settings
 * when the route is usable.
 */
export function checkBotRoute(
  route: Readonly<Record<string, unknown>>,
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  issues: string[],
  secrets: string[],
): BotRouteSettings | undefined {
  const before = issues.length;
  const { botTokenEnv, channel, threads, broadcastRecovery, lookupWindowHours } = route;
  if (route.webhookUrl !== undefined || route.webhookUrlEnv !== undefined) addIssue(issues, path, 'give webhookUrlEnv (a webhook route) or botTokenEnv + channel (a bot-token route), not both');
  let token: string | undefined;
  if (typeof botTokenEnv !== 'string' || !ENV_NAME.test(botTokenEnv)) {
    addIssue(issues, `${path}.botTokenEnv`, 'must name the environment variable that holds the bot token, e.g. "SLACK_BOT_TOKEN"');
  } else {
    token = env[botTokenEnv]?.trim() || undefined;
    if (token === undefined) addIssue(issues, `${path}.botTokenEnv`, `environment variable ${botTokenEnv} is not set`);
    else {
      secrets.push(token);
      if (!TOKEN.test(token)) addIssue(issues, `${path}.botTokenEnv`, `${botTokenEnv} does not hold a Slack bot token (expected xoxb-…; the value is not shown)`);
    }
  }
  if (typeof channel !== 'string' || !CHANNEL.test(channel)) addIssue(issues, `${path}.channel`, 'must be a channel ID like "C0123ABCD" (channel details → bottom of the About tab), not a #name');
  checkType(threads, `${path}.threads`, 'boolean', issues);
  checkType(broadcastRecovery, `${path}.broadcastRecovery`, 'boolean', issues);
  if (lookupWindowHours !== undefined && !(typeof lookupWindowHours === 'number' && lookupWindowHours > 0 && lookupWindowHours <= 720)) {
    addIssue(issues, `${path}.lookupWindowHours`, 'must be a number of hours above 0 and at most 720');
  }
  const apiUrl = env.SLACK_API_URL?.trim() || DEFAULT_API_URL;
  const apiProblem = checkApiUrl(apiUrl);
  if (apiProblem && !issues.some((i) => i.startsWith('SLACK_API_URL:'))) addIssue(issues, 'SLACK_API_URL', `${apiProblem} (the Web API of bot-token route ${path})`);
  if (issues.length > before || token === undefined) return undefined;
  return {
    token,
    channel: channel as string,
    threads: threads !== false,
    broadcastRecovery: broadcastRecovery === true,
    lookupWindowHours: (lookupWindowHours as number | undefined) ?? 24,
    apiUrl,
  };
}

