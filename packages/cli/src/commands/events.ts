import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Alert } from '@ecs-pulse/cloudmonitor-event-parser';
import { callApi } from '../cloud/call.js';
import { cmsClient } from '../cloud/clients.js';
import { clientSettings, resolveRegion } from '../cloud/config.js';
import { CliError } from '../errors.js';
import { ForwarderProcess, resolveForwarderBundle } from '../forwarder-function.js';
import { parseSince, table } from '../format.js';
import { resolveIo, type CommonOptions, type Io } from '../io.js';
import { M } from '../messages.js';
import { registerSecret } from '../redact.js';

/**
 * Options of {@link eventsList}.
 *
 * @example
 * ```ts
 * import type { EventsListOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface EventsListOptions extends CommonOptions {
  /** How far back: `30m`, `1h`, `2d`, or an ISO time. @default '1h' */
  readonly since?: string;
  /** Product code, e.g. `ECS`. @default - all products */
  readonly product?: string;
  /** Levels to keep, e.g. `['CRITICAL', 'WARN']`. @default - all levels */
  readonly level?: readonly string[];
  /** Region id. @default ALIBABA_CLOUD_REGION_ID */
  readonly region?: string;
  /** Clock (tests). @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * One system event as `DescribeSystemEventAttribute` returns it (PascalCase, `Content` a JSON string).
 *
 * @example
 * ```ts
 * import type { ApiSystemEvent } from '@ecs-pulse/cli';
 * ```
 */
export interface ApiSystemEvent {
  readonly Content?: string;
  readonly GroupId?: string;
  readonly Id?: string;
  readonly InstanceName?: string;
  readonly Level?: string;
  readonly Name?: string;
  readonly Product?: string;
  readonly RegionId?: string;
  readonly ResourceId?: string;
  readonly Status?: string;
  readonly Time?: number;
}

/**
 * Result of {@link eventsList}.
 *
 * @example
 * ```ts
 * import type { EventsListResult } from '@ecs-pulse/cli';
 * ```
 */
export interface EventsListResult {
  readonly region: string;
  readonly since: string;
  readonly until: string;
  /** The events as the API returned them. */
  readonly events: readonly ApiSystemEvent[];
  /** The same events, normalized by the parser. */
  readonly alerts: readonly Alert[];
  /** API pages read. */
  readonly pages: number;
}

const PAGE_SIZE = 100;
const MAX_PAGES = 200;

async function fetchEvents(options: EventsListOptions, io: Io): Promise<Omit<EventsListResult, 'alerts'>> {
  const now = (options.now ?? (() => new Date()))();
  const since = parseSince(options.since ?? '1h', now);
  if (since === undefined) throw new CliError('USAGE', M.badDuration('since', options.since));
  const region = resolveRegion(options.region, undefined, io.env);
  const levels = (options.level ?? []).map((l) => l.toUpperCase());
  const settings = await clientSettings('cms', region, io.env);
  const { client, models } = await cmsClient(settings);
  const events: ApiSystemEvent[] = [];
  const progress = io.progress(`CloudMonitor: reading system events since ${since.toISOString()}`);
  let pages = 0;
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await callApi(
        { product: 'CloudMonitor', action: 'DescribeSystemEventAttribute', region },
        () =>
          client.describeSystemEventAttribute(
            new models.DescribeSystemEventAttributeRequest({
              startTime: String(since.getTime()),
              endTime: String(now.getTime()),
              pageNumber: page,
              pageSize: PAGE_SIZE,
              ...(options.product ? { product: options.product } : {}),
              ...(levels.length === 1 ? { level: levels[0] } : {}),
            }),
          ),
        io.env,
        { onRetry: (a, d, c) => progress.update(M.retrying(c, a, d)) },
      );
      pages++;
      const body = res.body;
      if (body?.success !== undefined && String(body.success) === 'false') {
        throw new CliError('CLOUD_API', M.apiFailed(`CloudMonitor DescribeSystemEventAttribute in ${region}`, body.code ?? 'Error', body.message ?? '', body.requestId));
      }
      const items = body?.systemEvents?.systemEvent ?? [];
      for (const e of items) {
        events.push({
          ...(e.content !== undefined && { Content: e.content }),
          ...(e.groupId !== undefined && { GroupId: e.groupId }),
          ...(e.id !== undefined && { Id: e.id }),
          ...(e.instanceName !== undefined && { InstanceName: e.instanceName }),
          ...(e.level !== undefined && { Level: e.level }),
          ...(e.name !== undefined && { Name: e.name }),
          ...(e.product !== undefined && { Product: e.product }),
          ...(e.regionId !== undefined && { RegionId: e.regionId }),
          ...(e.resourceId !== undefined && { ResourceId: e.resourceId }),
          ...(e.status !== undefined && { Status: e.status }),
          ...(e.time !== undefined && { Time: e.time }),
        });
      }
      progress.update(`CloudMonitor: ${events.length} event(s), page ${page}`);
      // The response has no Total (SDK model DescribeSystemEventAttributeResponseBody) and the service may answer
      // fewer than PageSize events per page, so a short page is not the end: only an empty one is.
      if (items.length === 0) break;
      if (page === MAX_PAGES) io.err(io.paint.yellow(M.eventsPageLimit(pages, events.length)));
    }
    progress.succeed(`CloudMonitor: ${events.length} system event(s) in ${region}`);
  } catch (e) {
    progress.fail();
    throw e;
  }
  const kept = levels.length > 1 ? events.filter((e) => levels.includes((e.Level ?? '').toUpperCase())) : events;
  return { region, since: since.toISOString(), until: now.toISOString(), events: kept, pages };
}

async function normalize(events: readonly ApiSystemEvent[]): Promise<Alert[]> {
  if (events.length === 0) return [];
  const { parse } = await import('@ecs-pulse/cloudmonitor-event-parser');
  try {
    return parse({ SystemEvents: { SystemEvent: events } });
  } catch (cause) {
    throw new CliError('EVENT_INVALID', M.eventsUnparsable(), { cause });
  }
}

/**
 * Recent system events through CloudMonitor `DescribeSystemEventAttribute` (paginated to the end),
 * normalized by the parser and shown as a table (or `--json`).
 *
 * @example
 * ```ts
 * const { alerts } = await eventsList({ since: '6h', product: 'ECS', level: ['CRITICAL', 'WARN'], region: 'cn-hangzhou' });
 * ```
 */
export async function eventsList(options: EventsListOptions = {}): Promise<EventsListResult> {
  const io = resolveIo(options);
  const fetched = await fetchEvents(options, io);
  const alerts = await normalize(fetched.events);
  const result = { ...fetched, alerts };
  if (io.json) io.out(JSON.stringify({ ...result, alerts: alerts.map(({ raw: _raw, ...a }) => a) }, null, 2));
  else printAlerts(result, io);
  return result;
}

function printAlerts(r: Omit<EventsListResult, 'events'>, io: Io): void {
  const p = io.paint;
  io.out(`${p.bold('System events')} ${r.region} · ${r.since} → ${r.until} · ${r.alerts.length} event(s)`);
  if (r.alerts.length === 0) {
    io.out(p.dim(M.noEvents()));
    return;
  }
  const sev = (s: string) => (s === 'critical' ? p.red(s) : s === 'warning' ? p.yellow(s) : s === 'ok' ? p.green(s) : s);
  io.out(
    table(
      [
        ['time', 'severity', 'product', 'event', 'status', 'resource', 'summary'],
        ...[...r.alerts]
          .sort((a, b) => a.time.localeCompare(b.time))
          .map((a) => [a.time.replace('.000Z', 'Z'), sev(a.severity), a.product, a.name, a.status, a.resourceId || '-', a.summary]),
      ],
      p.bold,
    ),
  );
}

/**
 * Options of {@link eventsReplay}.
 *
 * @example
 * ```ts
 * import type { EventsReplayOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface EventsReplayOptions extends EventsListOptions {
  /** Post to this Slack webhook. @default - use `sink` */
  readonly webhook?: string;
  /** Post to a local Slack-compatible sink and print the messages in the terminal. @default true when no webhook */
  readonly sink?: boolean;
  /** A forwarder configuration file (the function's `ECS_PULSE_CONFIG` JSON: routes, filters). @default ECS_PULSE_CONFIG from the environment */
  readonly config?: string;
  /** Replay these events instead of reading CloudMonitor (a `DescribeSystemEventAttribute` response or event list). @default - read the API */
  readonly events?: readonly ApiSystemEvent[];
}

/**
 * Result of {@link eventsReplay}.
 *
 * @example
 * ```ts
 * import type { EventsReplayResult } from '@ecs-pulse/cli';
 * ```
 */
export interface EventsReplayResult {
  readonly events: number;
  /** What the function reported (alerts, delivered, filtered, duplicates, unrouted, failed). */
  readonly summary: Readonly<Record<string, number>>;
  /** Slack messages the sink received (sink mode). */
  readonly messages: readonly unknown[];
}

/**
 * Send recent system events through the same filter/route/render path as the deployed function: the
 * bundled forwarder function itself is loaded with your configuration and invoked the way FC invokes it,
 * delivering to a webhook or to a local sink whose messages are printed in the terminal.
 *
 * @example
 * ```ts
 * const { messages } = await eventsReplay({ since: '1d', sink: true, region: 'cn-hangzhou' });
 * ```
 */
export async function eventsReplay(options: EventsReplayOptions = {}): Promise<EventsReplayResult> {
  const io = resolveIo(options);
  const events = options.events ?? (await fetchEvents(options, io)).events;
  let configJson = io.env.ECS_PULSE_CONFIG;
  if (options.config !== undefined) {
    const file = path.resolve(io.cwd, options.config);
    try {
      configJson = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new CliError('FILE_NOT_FOUND', M.eventFileMissing(file), { cause });
    }
  }
  if (events.length === 0) {
    io.out(io.paint.dim(M.noEvents()));
    return { events: 0, summary: {}, messages: [] };
  }
  const testing = options.webhook === undefined ? await import('@ecs-pulse/slack-notifier/testing') : undefined;
  const sink = testing ? await testing.startSlackSink() : undefined;
  const url = options.webhook ?? sink?.url ?? '';
  registerSecret(url);
  try {
    const summary = await invokeForwarder(url, configJson, { SystemEvents: { SystemEvent: events } }, io);
    const messages = sink ? [...sink.messages] : [];
    if (io.json) io.out(JSON.stringify({ events: events.length, summary, messages }, null, 2));
    else {
      if (sink) {
        const { formatMessageAsText } = await import('@ecs-pulse/slack-notifier');
        const color = io.paint.bold('x') !== 'x';
        for (const [i, m] of messages.entries()) {
          io.out(io.paint.dim(`── Slack message ${i + 1}/${messages.length} ──`));
          io.out(formatMessageAsText(m as Parameters<typeof formatMessageAsText>[0], { color }));
        }
      }
      io.out(M.replaySummary(events.length, summary));
    }
    if ((summary.failed ?? 0) > 0) throw new CliError('SLACK_FAILED', M.slackFailed());
    return { events: events.length, summary, messages };
  } finally {
    await sink?.close();
  }
}

/** How long one replay may take: the function's own deadline for its Slack sends, plus the cold start. */
const REPLAY_TIMEOUT_MS = 300_000;

/**
 * Load the bundled forwarder function fresh (a cold start, in a child process, reading its configuration
 * from this process's environment with `SLACK_WEBHOOK_URL` and `ECS_PULSE_CONFIG` replaced) and invoke it
 * with the payload as FC 3.0 does (Buffer, context). Its log lines go to stderr.
 * @internal
 */
async function invokeForwarder(
  webhookUrl: string,
  configJson: string | undefined,
  payload: unknown,
  io: Io,
): Promise<Record<string, number>> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ECS_PULSE_CONFIG') env[k] = v;
  env.SLACK_WEBHOOK_URL = webhookUrl;
  if (configJson !== undefined) env.ECS_PULSE_CONFIG = configJson;
  // The function logs one JSON line per record; keep them off stdout (they are redacted by the function).
  const printLogs = (lines: readonly string[]): void => {
    for (const line of lines) io.stderr.write(`${io.paint.dim(line)}\n`);
  };
  let fn: ForwarderProcess | undefined;
  try {
    const started = await ForwarderProcess.start(resolveForwarderBundle(), env, { invokeTimeoutMs: REPLAY_TIMEOUT_MS + 30_000 });
    fn = started.fn;
    printLogs(started.logs);
    const reply = await fn.invoke('fc3-event', Buffer.from(JSON.stringify(payload)), {
      requestId: `ecs-pulse-replay-${Date.now()}`,
      region: 'local',
      timeoutMs: REPLAY_TIMEOUT_MS,
    });
    printLogs(reply.logs);
    if (!reply.ok) {
      const error = new Error(reply.error?.message ?? 'the handler failed');
      error.name = reply.error?.name ?? 'Error';
      throw error;
    }
    return (reply.result as { summary?: Record<string, number> } | undefined)?.summary ?? {};
  } catch (cause) {
    throw new CliError('SLACK_FAILED', M.replayFailed(), { cause });
  } finally {
    await fn?.stop();
  }
}
