/**
 * Bot-token routes (issue 19): a route that posts through the Slack Web API with a bot token instead of an
 * incoming webhook, one thread per alert lifecycle (the notifier's `SlackThreads`). Everything about them lives
 * here and in thread-route-config.ts; config.ts and forward.ts call in at one marked hook point each.
 *
 * This module (with the notifier's `SlackWebApi` and `SlackThreads`) and thread-route-config.ts are built as their
 * own file, `dist/function-threads.cjs` (entry thread-chunk.ts), next to `index.js` in the zip, which requires it
 * only when the configuration has a bot-token route: webhook-only deployments never load it.
 */
import { SlackApiError, SlackThreads, SlackWebApi, type ThreadReport } from '@ecs-pulse/slack-notifier';
import type { RouteFailure } from '../errors.js';
import type { ResolvedRoute } from './config.js';
import type { ForwardableAlert } from './forward.js';
import type { LogRecord } from './log.js';
import type { BotRouteSettings } from './thread-route-config.js';

/** Per route, its planner, kept by the warm instance (its cache maps lifecycle keys to parent `ts`). */
type Planners = Map<string, SlackThreads>;

function plannerFor(planners: Planners, route: ResolvedRoute & { readonly bot: BotRouteSettings }, maxAttempts: number, timeoutMs: number): SlackThreads {
  let planner = planners.get(route.name);
  if (planner === undefined) {
    const { bot } = route;
    const api = new SlackWebApi(bot.token, { baseUrl: bot.apiUrl, maxAttempts, timeoutMs, keepAlive: false });
    planner = new SlackThreads(api, {
      channel: bot.channel,
      threads: bot.threads,
      broadcastRecovery: bot.broadcastRecovery,
      lookupWindowMs: bot.lookupWindowHours * 3_600_000,
      render: route.message,
    });
    planners.set(route.name, planner);
  }
  return planner;
}

/** What {@link deliverBotRoute} adds to the invocation's counts. */
export interface BotRouteResult {
  readonly delivered: number;
  readonly failed: number;
  readonly failure?: RouteFailure;
  readonly error?: unknown;
}

/** What a bot-token route's delivery is given besides the route and its alerts. */
export interface BotRouteContext {
  readonly budgetMs: number;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** Records an alert as delivered on this route (the dedupe memory). */
  readonly settle: (alert: ForwardableAlert) => void;
  readonly requestId: string;
  readonly log: (record: LogRecord) => void;
  readonly logAlert: (level: LogRecord['level'], alert: ForwardableAlert, route: string, outcome: string, attempts?: number, ms?: number, extra?: object) => void;
}

/**
 * Posts one route's alerts through its planner and logs one line per alert (`delivered` only for alerts in a
 * message Slack accepted) plus a `thread-note` line per lookup or edit problem. Never throws.
 */
export type DeliverBotRoute = (route: ResolvedRoute & { readonly bot: BotRouteSettings }, alerts: readonly ForwardableAlert[], context: BotRouteContext) => Promise<BotRouteResult>;

/**
 * A {@link DeliverBotRoute} with its own planners: one per loaded function instance (index.js), so a fresh load
 * of the function is a cold instance even when this file stays in Node's module cache.
 */
export function createBotRouteDelivery(): DeliverBotRoute {
  const planners: Planners = new Map();
  return (route, alerts, context) => deliverBotRoute(planners, route, alerts, context);
}

async function deliverBotRoute(
  planners: Planners,
  route: ResolvedRoute & { readonly bot: BotRouteSettings },
  alerts: readonly ForwardableAlert[],
  context: BotRouteContext,
): Promise<BotRouteResult> {
  const started = Date.now();
  let report: ThreadReport;
  try {
    report = await plannerFor(planners, route, context.maxAttempts, context.timeoutMs).deliver(alerts, { deadlineMs: context.budgetMs });
  } catch (error) {
    // Rendering or a bug: nothing was posted for these alerts.
    for (const alert of alerts) context.logAlert('error', alert, route.name, 'failed', 0, Date.now() - started, { errorName: (error as Error)?.name, error: String((error as Error)?.message ?? error) });
    return { delivered: 0, failed: alerts.length, failure: { route: route.name, code: 'SEND_ERROR', retryable: true, alertIds: alerts.map((a) => a.id) }, error };
  }
  const ms = Date.now() - started;
  const byId = new Map(alerts.map((a) => [a.id, a]));
  let delivered = 0;
  const failedIds: string[] = [];
  let first: SlackApiError | Error | undefined;
  let retryable = true;
  for (const d of report.deliveries) {
    for (const id of d.alertIds) {
      const alert = byId.get(id)!;
      if (d.ok) {
        delivered++;
        context.settle(alert);
        context.logAlert('info', alert, route.name, 'delivered', 1, ms, { thread: d.kind, ts: d.ts, ...(d.threadTs ? { threadTs: d.threadTs } : {}), ...(d.alertIds.length > 1 ? { digestOf: d.alertIds.length } : {}) });
      } else {
        const error = d.error!;
        first ??= error;
        const apiError = SlackApiError.isSlackApiError(error) ? error : undefined;
        retryable &&= apiError?.retryable ?? false;
        failedIds.push(id);
        context.logAlert('error', alert, route.name, 'failed', apiError?.attempts ?? 0, ms, {
          thread: d.kind,
          errorName: error.name,
          errorCode: error.code,
          error: error.message,
          ...(apiError?.status !== undefined ? { httpStatus: apiError.status } : {}),
        });
      }
    }
  }
  for (const note of report.notes) {
    context.log({ level: 'warn', msg: 'thread-note', requestId: context.requestId, route: route.name, step: note.step, detail: note.detail, ...(note.error ? { errorCode: note.error.code } : {}) });
  }
  if (failedIds.length === 0) return { delivered, failed: 0 };
  const apiError = SlackApiError.isSlackApiError(first) ? first : undefined;
  return {
    delivered,
    failed: failedIds.length,
    failure: {
      route: route.name,
      code: (first as { code?: string } | undefined)?.code ?? 'SEND_ERROR',
      ...(apiError?.status !== undefined && apiError.status !== 200 ? { status: apiError.status } : {}),
      retryable,
      alertIds: failedIds,
    },
    error: first,
  };
}
