import { SlackWebhook, SlackWebhookError, toSlackMessages, type NotifiableAlert, type SlackMessagePart, type SlackSendResult } from '@ecs-pulse/slack-notifier';
import { DeliveryError, type RouteFailure } from '../errors.js';
import type { ForwarderConfig, ResolvedRoute } from './config.js';
import { deliveryKey, type DeliveryMemory } from './dedupe.js';
import { errorForLog, type LogRecord } from './log.js';
import { passesFilters, selectRoutes } from './match.js';
import type { DeliverBotRoute } from './thread-route.js';
import { loadBotRouteDelivery } from './thread-route-load.js';
import type { FcContext, InvocationSummary, RoutableAlert } from './types.js';

/** An alert the pipeline can filter, route and render (the parser's `Alert`). */
export type ForwardableAlert = RoutableAlert & NotifiableAlert;

/** What {@link forwardAlerts} reports. */
export interface ForwardResult {
  readonly summary: InvocationSummary;
  /** Set when at least one alert failed on a route; delivered alerts were remembered, failed ones were not. */
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

/** Slack takes about one message per second per webhook, short bursts allowed: a digest's parts are paced so. */
const PACE_MS = 1000;
/** Parts a route may post back to back before {@link PACE_MS} applies. */
const BURST = 3;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * This instance's bot-token route delivery, created at the first bot-token route send (see thread-route-load.ts;
 * in the bundle, validating the route at cold start already loaded the chunk it comes from).
 */
let botDelivery: Promise<DeliverBotRoute> | undefined;


/**
 * The forwarding pipeline after parsing: dedupe (within the batch and against what this warm instance already
 * delivered or is delivering, per route, alert id and status) → filter → route → render each route's alerts as
 * as many messages as it takes to show every alert (one, or digest parts) → send every route in parallel, each
 * route's parts in order and paced ({@link BURST} back to back, then one per {@link PACE_MS}), within the time
 * budget (429s are waited out while the budget lasts, up to {@link RATE_LIMITED_MAX_ATTEMPTS} attempts; other
 * failures get `slack.maxAttempts` attempts). Logs one line per alert and route. Never throws: an alert is logged
 * `delivered` and remembered only once a message that shows it was accepted; the parts that failed or did not fit
 * the budget are returned in `error` (retryable when a retry may help), so a retry re-posts exactly those.
 */
export async function forwardAlerts(
  alerts: readonly ForwardableAlert[],
  options: {
    readonly config: ForwarderConfig;
    readonly memory: DeliveryMemory;
    readonly log: (record: LogRecord) => void;
    readonly requestId: string;
    readonly budgetMs: number;
  },
): Promise<ForwardResult> {
  const { config, memory, log, requestId, budgetMs } = options;
  const deadline = Date.now() + budgetMs;
  /** Logs one line per alert and route (`route` null when the alert got none). */
  const logAlert = (level: LogRecord['level'], alert: ForwardableAlert, route: string | null, outcome: string, attempts = 0, ms = 0, extra?: object): void =>
    log({ level, msg: 'alert', requestId, id: alert.id, name: alert.name, product: alert.product, severity: alert.severity, status: alert.status, route, outcome, attempts, ms, ...extra });
  const keyOf = (route: ResolvedRoute, alert: ForwardableAlert): string => deliveryKey(route.name, alert.id, alert.status);
  let filtered = 0;
  let duplicates = 0;
  let unrouted = 0;
  let deliveredCount = 0;
  let failedCount = 0;
  const failures: RouteFailure[] = [];
  let firstError: unknown;
  const buckets = new Map<string, Bucket>();
  const add = (into: Map<string, Bucket>, route: ResolvedRoute, alert: ForwardableAlert): void => {
    let bucket = into.get(route.name);
    if (bucket === undefined) into.set(route.name, (bucket = { route, alerts: [] }));
    bucket.alerts.push(alert);
  };
  const seenInBatch = new Set<string>();
  /** Routed alerts, and those posted or failed by this invocation (the others were duplicates). */
  const routed: ForwardableAlert[] = [];
  const touched = new Set<ForwardableAlert>();
  const waits: { readonly route: ResolvedRoute; readonly alert: ForwardableAlert; readonly outcome: Promise<boolean> }[] = [];

  for (const alert of alerts) {
    const batchKey = deliveryKey('', alert.id, alert.status);
    if (seenInBatch.has(batchKey)) {
      duplicates++;
      logAlert('info', alert, null, 'duplicate');
      continue;
    }
    seenInBatch.add(batchKey);
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
    routed.push(alert);
    for (const route of routes) {
      const key = keyOf(route, alert);
      const outcome = memory.pending(key);
      if (memory.has(key)) logAlert('info', alert, route.name, 'duplicate');
      else if (outcome) waits.push({ route, alert, outcome });
      else add(buckets, route, alert);
    }
  }

  /** Posts `list` on `route` as paced parts; records what was delivered and what failed. */
  const deliver = async (route: ResolvedRoute, list: readonly ForwardableAlert[]): Promise<void> => {
    memory.reserve(route.name, list.length);
    const settle = memory.claim(list.map((alert) => keyOf(route, alert)));
    // --- issue 19 hook: bot-token routes post through the Slack Web API, threaded (thread-route.ts) ---
    if (route.bot !== undefined) {
      try {
        const deliverBotRoute = await (botDelivery ??= loadBotRouteDelivery());
        const bot = await deliverBotRoute({ ...route, bot: route.bot }, list, {
          budgetMs: deadline - Date.now(),
          maxAttempts: config.maxAttempts,
          timeoutMs: config.timeoutMs,
          settle: (alert) => settle(keyOf(route, alert), true),
          requestId,
          log,
          logAlert,
        });
        for (const alert of list) touched.add(alert);
        deliveredCount += bot.delivered;
        failedCount += bot.failed;
        if (bot.failure) {
          failures.push(bot.failure);
          firstError ??= bot.error;
        }
      } finally {
        for (const alert of list) settle(keyOf(route, alert), false);
      }
      return;
    }
    let tokens = BURST;
    let last = Date.now();
    let index = 0;
    let parts: SlackMessagePart<ForwardableAlert>[] = [];
    let started = Date.now();
    try {
      parts = toSlackMessages(list, route.message);
      for (; index < parts.length; index++) {
        started = Date.now();
        tokens = Math.min(BURST, tokens + (started - last) / PACE_MS);
        if (tokens < 1) {
          const wait = (1 - tokens) * PACE_MS;
          if (started + wait + MIN_BUDGET_MS > deadline) throw new BudgetExhausted(deadline - started, config.safetyMarginMs);
          await sleep(wait);
          tokens = 1;
        }
        tokens--;
        const left = deadline - Date.now();
        if (left < MIN_BUDGET_MS) throw new BudgetExhausted(left, config.safetyMarginMs);
        const webhook = new SlackWebhook(route.webhookUrl, {
          maxAttempts: config.maxAttempts,
          maxRateLimitedAttempts: Math.max(RATE_LIMITED_MAX_ATTEMPTS, config.maxAttempts),
          timeoutMs: Math.min(config.timeoutMs, left),
          deadlineMs: left,
          keepAlive: false,
        });
        let result: SlackSendResult;
        try {
          result = await webhook.send(parts[index]!.message);
        } finally {
          webhook.close();
        }
        // Time in flight does not refill the bucket (Slack counts arrivals); a 429 empties it.
        last = Date.now();
        if (result.rateLimited > 0) tokens = 0;
        for (const alert of parts[index]!.alerts) {
          settle(keyOf(route, alert), true);
          touched.add(alert);
          deliveredCount++;
          logAlert('info', alert, route.name, 'delivered', result.attempts, last - started, list.length > 1 ? { digestOf: list.length, part: index + 1 } : {});
        }
      }
    } catch (error) {
      // This part and every later one are not in Slack: they fail (a retry re-posts exactly them).
      const ms = Date.now() - started;
      firstError ??= error;
      const rest = parts.length > 0 ? parts.slice(index).flatMap((part) => part.alerts) : list;
      const webhookError = SlackWebhookError.isSlackWebhookError(error) ? error : undefined;
      const code = webhookError?.code ?? (error as { code?: unknown }).code;
      const status = webhookError?.status;
      failures.push({
        route: route.name,
        code: typeof code === 'string' ? code : 'SEND_ERROR',
        ...(status !== undefined ? { status } : {}),
        retryable: webhookError?.retryable ?? error instanceof BudgetExhausted,
        alertIds: rest.map((a) => a.id),
      });
      for (const alert of rest) {
        touched.add(alert);
        failedCount++;
        logAlert('error', alert, route.name, 'failed', webhookError?.attempts ?? 0, ms, { ...(status !== undefined ? { httpStatus: status } : {}), ...errorForLog(error) });
      }
    } finally {
      for (const alert of list) settle(keyOf(route, alert), false);
    }
  };

  // Every claim is made in this same tick, before any await: two invocations never wait on each other.
  const own = [...buckets.values()].map(({ route, alerts: list }) => deliver(route, list));
  // Alerts another invocation of this instance is posting right now: wait for its outcome; post what it failed.
  const again = new Map<string, Bucket>();
  const outcomes = await Promise.all(waits.map((w) => w.outcome));
  waits.forEach(({ route, alert }, i) => {
    if (outcomes[i] || memory.has(keyOf(route, alert))) logAlert('info', alert, route.name, 'duplicate');
    else add(again, route, alert);
  });
  await Promise.all([...own, ...[...again.values()].map(({ route, alerts: list }) => deliver(route, list))]);
  for (const alert of routed) if (!touched.has(alert)) duplicates++;

  const summary: InvocationSummary = { alerts: alerts.length, delivered: deliveredCount, filtered, duplicates, unrouted, failed: failedCount, rejected: 0 };
  if (failures.length === 0) return { summary };
  return { summary, error: new DeliveryError(failures, { cause: firstError }) };
}
