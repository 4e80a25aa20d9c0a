import { SlackWebhook, SlackWebhookError, toSlackMessage, type NotifiableAlert } from '@ecs-pulse/slack-notifier';
import { DeliveryError, type RouteFailure } from '../errors.js';
import type { ForwarderConfig, ResolvedRoute } from './config.js';
import { deliveryKey, type LruSet } from './dedupe.js';
import { errorForLog, type LogRecord } from './log.js';
import { passesFilters, selectRoutes } from './match.js';
import { deliverBotRoute } from './thread-route.js';
import type { FcContext, InvocationSummary, RoutableAlert } from './types.js';

/** An alert the pipeline can filter, route and render (the parser's `Alert`). */
export type ForwardableAlert = RoutableAlert & NotifiableAlert;

/** What {@link forwardAlerts} reports. */
export interface ForwardResult {
  readonly summary: InvocationSummary;
  /** Set when at least one route failed; delivered alerts were remembered, failed ones were not. */
  readonly error?: DeliveryError;
}

/** Fallback budget when the context says nothing about time (FC 3.0 default timeout is 3 s, ours 30 s). */
const DEFAULT_BUDGET_MS = 10_000;
/**
 * Attempts a send may make while Slack answers 429 (each waits out `Retry-After`). Rate limiting is bounded by
 * the invocation's time budget first; this only caps it. `slack.maxAttempts` still bounds 5xx answers,
 * timeouts and connection errors, without counting the 429s.
 */
export const RATE_LIMITED_MAX_ATTEMPTS = 8;
/** The smallest time budget a send is started with. */
const MIN_BUDGET_MS = 250;

/**
 * How long the Slack sends may take: the invocation's remaining time (`context.getRemainingTimeInMS()`, or
 * the function timeout minus the time already spent) minus the safety margin.
 */
export function sendBudgetMs(context: FcContext | undefined, startedAt: number, safetyMarginMs: number, now = Date.now()): number {
  let remaining: number | undefined;
  try {
    // Throws (and falls back) when the runtime put something other than a function there.
    remaining = context?.getRemainingTimeInMS?.();
  } catch {
    remaining = undefined;
  }
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) {
    const timeoutS = context?.function?.timeout;
    remaining = typeof timeoutS === 'number' && timeoutS > 0 ? timeoutS * 1000 - (now - startedAt) : DEFAULT_BUDGET_MS;
  }
  return Math.max(0, remaining - safetyMarginMs);
}

/** No time left to start a send: retryable, like the notifier's `DEADLINE_EXCEEDED`. */
class BudgetExhausted extends Error {
  readonly code = 'DEADLINE_EXCEEDED';
  constructor(budgetMs: number, marginMs: number) {
    super(`only ${budgetMs} ms are left after the ${marginMs} ms safety margin; the send was not started`);
    this.name = 'BudgetExhausted';
  }
}

interface Bucket {
  readonly route: ResolvedRoute;
  readonly alerts: ForwardableAlert[];
}

/**
 * The forwarding pipeline after parsing: dedupe (within the batch and against what this warm instance
 * already delivered, per route) → filter → route → render one message per route (a digest when several
 * alerts share a route) → send every route in parallel within the time budget (429s are waited out while the
 * budget lasts, up to {@link RATE_LIMITED_MAX_ATTEMPTS} attempts; other failures get `slack.maxAttempts`
 * attempts). Logs one line per alert and
 * route. Never throws: a failed route is returned as `error` and its alerts are not remembered, so a retry
 * re-posts exactly those.
 */
export async function forwardAlerts(
  alerts: readonly ForwardableAlert[],
  options: {
    readonly config: ForwarderConfig;
    readonly delivered: LruSet;
    readonly log: (record: LogRecord) => void;
    readonly requestId: string;
    readonly budgetMs: number;
  },
): Promise<ForwardResult> {
  const { config, delivered, log, requestId, budgetMs } = options;
  /** Logs one line per alert and route (`route` null when the alert got none). */
  const logAlert = (level: LogRecord['level'], alert: ForwardableAlert, route: string | null, outcome: string, attempts = 0, ms = 0, extra?: object): void =>
    log({ level, msg: 'alert', requestId, id: alert.id, name: alert.name, product: alert.product, severity: alert.severity, status: alert.status, route, outcome, attempts, ms, ...extra });
  let filtered = 0;
  let duplicates = 0;
  let unrouted = 0;
  const buckets = new Map<string, Bucket>();
  const seenInBatch = new Set<string>();

  for (const alert of alerts) {
    if (seenInBatch.has(alert.id)) {
      duplicates++;
      logAlert('info', alert, null, 'duplicate');
      continue;
    }
    seenInBatch.add(alert.id);
    if (!passesFilters(config, alert)) {
      filtered++;
      logAlert('info', alert, null, 'filtered');
      continue;
    }
    const routes = selectRoutes(config, alert);
    if (routes.length === 0) {
      unrouted++;
      logAlert('warn', alert, null, 'unrouted');
      continue;
    }
    let pending = 0;
    for (const route of routes) {
      if (delivered.has(deliveryKey(alert.id, route.name))) {
        logAlert('info', alert, route.name, 'duplicate');
        continue;
      }
      pending++;
      let bucket = buckets.get(route.name);
      if (bucket === undefined) buckets.set(route.name, (bucket = { route, alerts: [] }));
      bucket.alerts.push(alert);
    }
    if (pending === 0) duplicates++;
  }

  let deliveredCount = 0;
  let failedCount = 0;
  const failures: RouteFailure[] = [];
  let firstError: unknown;

  await Promise.all(
    [...buckets.values()].map(async ({ route, alerts: routeAlerts }) => {
      // --- issue 19 hook: bot-token routes post through the Slack Web API, threaded (thread-route.ts) ---
      if (route.bot !== undefined) {
        const bot = await deliverBotRoute({ ...route, bot: route.bot }, routeAlerts, { budgetMs, maxAttempts: config.maxAttempts, timeoutMs: config.timeoutMs, delivered, requestId, log, logAlert });
        deliveredCount += bot.delivered;
        failedCount += bot.failed;
        if (bot.failure) {
          failures.push(bot.failure);
          firstError ??= bot.error;
        }
        return;
      }
      const started = Date.now();
      let webhook: SlackWebhook | undefined;
      try {
        const message = toSlackMessage(routeAlerts, route.message);
        if (budgetMs < MIN_BUDGET_MS) throw new BudgetExhausted(budgetMs, config.safetyMarginMs);
        webhook = new SlackWebhook(route.webhookUrl, {
          maxAttempts: config.maxAttempts,
          maxRateLimitedAttempts: Math.max(RATE_LIMITED_MAX_ATTEMPTS, config.maxAttempts),
          timeoutMs: Math.min(config.timeoutMs, budgetMs),
          deadlineMs: budgetMs,
          keepAlive: false,
        });
        const { attempts } = await webhook.send(message);
        const ms = Date.now() - started;
        for (const alert of routeAlerts) {
          delivered.add(deliveryKey(alert.id, route.name));
          deliveredCount++;
          logAlert('info', alert, route.name, 'delivered', attempts, ms, routeAlerts.length > 1 ? { digestOf: routeAlerts.length } : {});
        }
      } catch (error) {
        const ms = Date.now() - started;
        firstError ??= error;
        const webhookError = SlackWebhookError.isSlackWebhookError(error) ? error : undefined;
        const code = webhookError?.code ?? (error as { code?: unknown }).code;
        const status = webhookError?.status;
        failures.push({
          route: route.name,
          code: typeof code === 'string' ? code : 'SEND_ERROR',
          ...(status !== undefined ? { status } : {}),
          retryable: webhookError?.retryable ?? error instanceof BudgetExhausted,
          alertIds: routeAlerts.map((a) => a.id),
        });
        for (const alert of routeAlerts) {
          failedCount++;
          logAlert('error', alert, route.name, 'failed', webhookError?.attempts ?? 0, ms, { ...(status !== undefined ? { httpStatus: status } : {}), ...errorForLog(error) });
        }
      } finally {
        webhook?.close();
      }
    }),
  );

  const summary: InvocationSummary = { alerts: alerts.length, delivered: deliveredCount, filtered, duplicates, unrouted, failed: failedCount };
  if (failures.length === 0) return { summary };
  return { summary, error: new DeliveryError(failures, { cause: firstError }) };
}
