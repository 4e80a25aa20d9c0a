import { SlackApiError, SlackNotifierError } from './errors.js';
import { fitSlackMessage } from './limits.js';
import { escapeMrkdwn, slackDate } from './mrkdwn.js';
import { resolveOptions, toSlackMessage, type ToSlackMessageOptions } from './render.js';
import type { NotifiableAlert, SlackBlock, SlackMessage } from './types.js';
import type { SlackMessageMetadata, SlackWebApiClient } from './web-api.js';

/**
 * The `metadata.event_type` of every thread parent this package posts; a cold instance finds parents by it.
 *
 * @example
 * ```ts
 * const parents = page.messages.filter((m) => m.metadata?.event_type === ALERT_EVENT_TYPE);
 * ```
 */
export const ALERT_EVENT_TYPE = 'ecs_pulse_alert';

/**
 * An alert as {@link lifecycleKey} reads it: a {@link NotifiableAlert}, plus the parser's `kind` when present.
 *
 * @example
 * ```ts
 * const alert: LifecycleAlert = { ...notifiable, kind: 'metric-alarm' };
 * ```
 */
export type LifecycleAlert = NotifiableAlert & { readonly kind?: string };

/**
 * The key that alerts of one lifecycle share (Scheduled → Executing → Executed; Stopping → Stopped → Running;
 * a metric alarm's ALERT → OK): system events by account + region + resource + event name (the name carries no
 * status); metric alarms by rule id (`details.ruleId`, else the alarm name) + resource; other products by
 * product + resource + name.
 *
 * @example
 * ```ts
 * lifecycleKey(scheduled) === lifecycleKey(executed); // true: same instance, same SystemMaintenance.Reboot event
 * ```
 */
export function lifecycleKey(alert: LifecycleAlert): string {
  const resource = alert.resourceId || alert.resourceArn || '';
  if (alert.kind === 'metric-alarm') {
    const rule = alert.details?.ruleId ?? alert.details?.alertName ?? alert.name;
    return `alarm|${String(rule)}|${resource}`;
  }
  if (alert.kind === 'system-event') return `event|${alert.accountId ?? ''}|${alert.region ?? ''}|${resource}|${alert.name}`;
  return `other|${alert.product}|${resource}|${alert.name}`;
}

/**
 * Options of {@link SlackThreads}. Unknown keys are rejected with `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * const options: SlackThreadsOptions = { channel: 'C0123ABCD', broadcastRecovery: true };
 * ```
 */
export interface SlackThreadsOptions {
  /** Channel id (`C…`). */
  readonly channel: string;
  /**
   * One thread per lifecycle. When false every batch is posted as plain messages (digests), like a webhook.
   * @default true
   */
  readonly threads?: boolean;
  /**
   * Post a recovery (`ok`) reply to the channel too (`reply_broadcast`).
   * @default false
   */
  readonly broadcastRecovery?: boolean;
  /**
   * How far back a cold lookup reads the channel's history, in ms.
   * @default 86400000 (24 h)
   */
  readonly lookupWindowMs?: number;
  /**
   * Least time between two history lookups, in ms (Slack: 1 `conversations.history` per minute for commercially
   * distributed non-Marketplace apps). A lookup that is due but too early is skipped: the alert gets a new parent.
   * @default 60000
   */
  readonly lookupIntervalMs?: number;
  /**
   * History pages read per lookup.
   * @default 2
   */
  readonly lookupPages?: number;
  /**
   * Messages per history page (Slack: at most 999; 15 for commercially distributed non-Marketplace apps).
   * @default 100
   */
  readonly lookupPageSize?: number;
  /**
   * Lifecycle keys → parent `ts` kept by a warm instance (least recently used evicted).
   * @default 1000
   */
  readonly cacheCapacity?: number;
  /**
   * New parents one batch may post; alerts of further new keys go into channel digests (a storm).
   * @default 10
   */
  readonly maxParentsPerBatch?: number;
  /**
   * Most alerts in one reply or digest (each is listed by name).
   * @default 25
   */
  readonly maxAlertsPerMessage?: number;
  /**
   * Options of {@link toSlackMessage} for every message.
   * @default {}
   */
  readonly render?: ToSlackMessageOptions;
  /**
   * Clock in ms (injectable for tests).
   * @default Date.now
   */
  readonly now?: () => number;
}

/**
 * One message {@link SlackThreads.deliver} posted (or failed to post) and the alerts in it.
 *
 * @example
 * ```ts
 * for (const d of report.deliveries) if (!d.ok) console.error(d.alertIds, d.error?.code);
 * ```
 */
export interface ThreadDelivery {
  readonly alertIds: readonly string[];
  /** `parent` (first alert of a lifecycle), `reply` (in its thread), `digest` (storm, in the channel), `message` (threads off). */
  readonly kind: 'parent' | 'reply' | 'digest' | 'message';
  /** The lifecycle key (parents and replies). */
  readonly key?: string;
  readonly ok: boolean;
  /** `ts` of the posted message. */
  readonly ts?: string;
  /** The parent's `ts` (replies). */
  readonly threadTs?: string;
  /** Why it failed. */
  readonly error?: SlackNotifierError;
}

/**
 * A problem that did not cost an alert: a history lookup that failed or was skipped (a new parent was posted),
 * or a parent that could not be edited (the reply was posted).
 *
 * @example
 * ```ts
 * for (const note of report.notes) console.warn(note.step, note.detail);
 * ```
 */
export interface ThreadNote {
  readonly step: 'lookup' | 'update';
  readonly key?: string;
  readonly detail: string;
  readonly error?: SlackNotifierError;
}

/**
 * What one {@link SlackThreads.deliver} did.
 *
 * @example
 * ```ts
 * const { deliveries, updates, lookups } = await threads.deliver(alerts);
 * ```
 */
export interface ThreadReport {
  readonly deliveries: readonly ThreadDelivery[];
  /** Parents edited (`chat.update`). */
  readonly updates: number;
  /** History requests made. */
  readonly lookups: number;
  readonly notes: readonly ThreadNote[];
}

interface Parent {
  readonly ts: string;
  state: string;
  readonly firstSeen: string;
  /** When the current state began (ISO); the next edit says how long the step from it took. */
  stateSince: string;
}

const OPTION_KEYS = ['channel', 'threads', 'broadcastRecovery', 'lookupWindowMs', 'lookupIntervalMs', 'lookupPages', 'lookupPageSize', 'cacheCapacity', 'maxParentsPerBatch', 'maxAlertsPerMessage', 'render', 'now'];
/** Errors after which no further call to the channel can succeed in this batch. */
const CHANNEL_FATAL = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'not_authed', 'invalid_auth', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'restricted_action']);
/** The parent is gone: post a new one. */
const THREAD_GONE = new Set(['thread_not_found', 'message_not_found', 'cant_update_message']);

const timeOf = (a: NotifiableAlert): number => {
  const t = Date.parse(a.time);
  return Number.isFinite(t) ? t : NaN;
};

/** `7 min`, `2 h 5 min`, `3 d 4 h`, `under a minute`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${Math.floor(hours / 24)} d`;
}

const chunks = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

/**
 * Posts alerts as one Slack thread per lifecycle ({@link lifecycleKey}), through the Web API: the first alert of a
 * key posts the parent, with `metadata` `{ event_type: "ecs_pulse_alert", event_payload: { key, state, firstSeen,
 * stateSince } }`; later alerts are replies (`thread_ts`), and the parent is edited in place (`chat.update`) to the
 * current state and how long the step to it took ("Executing → Executed in 7 min"), with the time first seen. A recovery is broadcast to the channel when
 * `broadcastRecovery` is set. No database: a warm instance caches keys → `ts`; a cold one reads the channel's
 * recent history (`conversations.history`, `include_all_metadata`, `lookupWindowMs`) once, at most every
 * `lookupIntervalMs`, without waiting for a rate limit; when the lookup fails or finds nothing, a new parent is
 * posted. In a storm (more new keys than `maxParentsPerBatch`) the surplus goes into channel digests, while alerts
 * of keys that have a thread still go to it. Every alert ends up in exactly one delivery of the report, `ok` or not.
 * Calls of one instance run one batch at a time, so concurrent batches never post two parents for a key.
 *
 * @throws SlackNotifierError `INVALID_OPTIONS` from the constructor.
 *
 * @example
 * ```ts
 * import { SlackThreads, SlackWebApi } from '@ecs-pulse/slack-notifier';
 *
 * const threads = new SlackThreads(new SlackWebApi(process.env.SLACK_BOT_TOKEN!), { channel: 'C0123ABCD' });
 * const report = await threads.deliver(alerts, { deadlineMs: 10_000 });
 * const failed = report.deliveries.filter((d) => !d.ok);
 * ```
 */
export class SlackThreads {
  readonly #api: SlackWebApiClient;
  readonly #o: Required<Omit<SlackThreadsOptions, 'render'>> & { readonly render: ToSlackMessageOptions | undefined };
  readonly #cache = new Map<string, Parent>();
  readonly #lookedUp = new Set<string>();
  #lastLookup: number | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(api: SlackWebApiClient, options: SlackThreadsOptions) {
    const issues: string[] = [];
    for (const key of Object.keys(options ?? {})) if (!OPTION_KEYS.includes(key)) issues.push(`${key}: unknown option`);
    if (typeof options?.channel !== 'string' || !/^[CGD][A-Z0-9]{2,}$/.test(options.channel)) issues.push('channel: must be a channel id like C0123ABCD');
    const o = {
      threads: true,
      broadcastRecovery: false,
      lookupWindowMs: 86_400_000,
      lookupIntervalMs: 60_000,
      lookupPages: 2,
      lookupPageSize: 100,
      cacheCapacity: 1000,
      maxParentsPerBatch: 10,
      maxAlertsPerMessage: 25,
      now: Date.now,
      ...Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)),
    } as Record<string, unknown>;
    for (const key of ['threads', 'broadcastRecovery']) if (typeof o[key] !== 'boolean') issues.push(`${key}: must be a boolean`);
    for (const key of ['lookupWindowMs', 'lookupIntervalMs']) if (!(Number.isFinite(o[key]) && (o[key] as number) >= 0)) issues.push(`${key}: must be a non-negative number of ms`);
    for (const key of ['lookupPages', 'lookupPageSize', 'cacheCapacity', 'maxParentsPerBatch', 'maxAlertsPerMessage']) if (!(Number.isInteger(o[key]) && (o[key] as number) >= 1)) issues.push(`${key}: must be an integer ≥ 1`);
    if (typeof o.now !== 'function') issues.push('now: must be a function');
    if (!api || typeof (api as { postMessage?: unknown }).postMessage !== 'function') issues.push('api: must be a SlackWebApi');
    if (issues.length) throw new SlackNotifierError('INVALID_OPTIONS', `Invalid SlackThreads options:\n- ${issues.join('\n- ')}`);
    resolveOptions(options.render);
    this.#api = api;
    // Every field was checked above.
    this.#o = o as never;
  }

  /** Lifecycle keys whose parent `ts` this instance knows. */
  get cachedKeys(): number {
    return this.#cache.size;
  }

  /**
   * Posts `alerts` (threaded by lifecycle) and reports every message. Never throws for Slack failures: they are
   * `ok: false` deliveries. Waits for an earlier `deliver` of this instance to finish first.
   *
   * @example
   * ```ts
   * const report = await threads.deliver(alerts, { deadlineMs: 4000 });
   * ```
   */
  deliver(alerts: readonly LifecycleAlert[], options: { readonly deadlineMs?: number } = {}): Promise<ThreadReport> {
    const run = this.#tail.then(() => this.#deliver(alerts, options.deadlineMs ?? 30_000));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #deliver(alerts: readonly LifecycleAlert[], deadlineMs: number): Promise<ThreadReport> {
    const o = this.#o;
    const deadline = o.now() + deadlineMs;
    const deliveries: ThreadDelivery[] = [];
    const notes: ThreadNote[] = [];
    let updates = 0;
    let lookups = 0;
    /** A channel-wide failure (the app was removed, the token revoked): every later post fails with it. */
    let fatal: SlackNotifierError | undefined;

    const remaining = (): number => deadline - o.now();
    const post = async (kind: ThreadDelivery['kind'], list: readonly LifecycleAlert[], message: SlackMessage, extra: { key?: string; threadTs?: string; broadcast?: boolean; metadata?: SlackMessageMetadata } = {}): Promise<string | undefined> => {
      const base = { alertIds: list.map((a) => a.id), kind, ...(extra.key !== undefined ? { key: extra.key } : {}), ...(extra.threadTs ? { threadTs: extra.threadTs } : {}) };
      const error = fatal ?? (remaining() <= 0 ? outOfTime(deadlineMs) : undefined);
      if (error) {
        deliveries.push({ ...base, ok: false, error });
        return undefined;
      }
      try {
        const { ts } = await this.#api.postMessage(
          {
            channel: o.channel,
            text: message.text ?? '',
            ...(message.blocks ? { blocks: message.blocks } : {}),
            ...(message.attachments ? { attachments: message.attachments } : {}),
            ...(extra.threadTs ? { thread_ts: extra.threadTs, ...(extra.broadcast ? { reply_broadcast: true } : {}) } : {}),
            ...(extra.metadata ? { metadata: extra.metadata } : {}),
            unfurl_links: false,
            unfurl_media: false,
          },
          { deadlineMs: remaining() },
        );
        deliveries.push({ ...base, ok: true, ts });
        return ts;
      } catch (e) {
        const err = asNotifierError(e);
        if (CHANNEL_FATAL.has(err.code)) fatal = err;
        deliveries.push({ ...base, ok: false, error: err });
        return undefined;
      }
    };
    const render = (list: readonly LifecycleAlert[]): SlackMessage => toSlackMessage(list, o.render);

    if (!o.threads) {
      for (const chunk of chunks(alerts, o.maxAlertsPerMessage)) await post('message', chunk, render(chunk));
      return { deliveries, updates, lookups, notes };
    }

    // Group by lifecycle, each in time order (the parent is the earliest state).
    const groups = new Map<string, LifecycleAlert[]>();
    for (const alert of alerts) {
      const key = lifecycleKey(alert);
      const list = groups.get(key);
      if (list) list.push(alert);
      else groups.set(key, [alert]);
    }
    for (const list of groups.values()) list.sort((a, b) => (timeOf(a) || 0) - (timeOf(b) || 0));

    // Cold lookup: once for the keys this instance knows nothing about, at most every lookupIntervalMs.
    const unknown = [...groups.keys()].filter((k) => !this.#cache.has(k) && !this.#lookedUp.has(k));
    if (unknown.length > 0) {
      const now = o.now();
      if (this.#lastLookup !== undefined && now - this.#lastLookup < o.lookupIntervalMs) {
        notes.push({ step: 'lookup', detail: `skipped: the last history lookup was ${Math.round((now - this.#lastLookup) / 1000)} s ago (lookupIntervalMs=${o.lookupIntervalMs}); new lifecycles get new parents` });
      } else {
        this.#lastLookup = now;
        lookups = await this.#lookup(deadline, notes);
      }
      if (this.#lookedUp.size > o.cacheCapacity * 4) this.#lookedUp.clear();
      for (const k of unknown) this.#lookedUp.add(k);
    }

    let parentsLeft = o.maxParentsPerBatch;
    const storm: LifecycleAlert[] = [];
    for (const [key, list] of groups) {
      let retried = false;
      let pending = list;
      while (pending.length > 0) {
        let parent = this.#cached(key);
        let rest = pending;
        pending = [];
        if (parent === undefined) {
          if (parentsLeft <= 0) {
            storm.push(...rest);
            break;
          }
          parentsLeft--;
          const first = rest[0]!;
          const firstSeen = Number.isFinite(timeOf(first)) ? new Date(timeOf(first)).toISOString() : new Date(o.now()).toISOString();
          const state = first.status;
          const ts = await post('parent', [first], this.#parentMessage(first, escapeMrkdwn(state), `first seen ${slackDate(firstSeen)} · updates in the thread`), {
            key,
            metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { key, state, firstSeen, stateSince: firstSeen } },
          });
          if (ts === undefined) {
            if (rest.length > 1) deliveries.push({ alertIds: rest.slice(1).map((a) => a.id), kind: 'reply', key, ok: false, error: deliveries.at(-1)!.error! });
            break;
          }
          parent = { ts, state, firstSeen, stateSince: firstSeen };
          this.#remember(key, parent);
          rest = rest.slice(1);
        }
        if (rest.length === 0) break;
        let posted = false;
        for (const [i, chunk] of chunks(rest, o.maxAlertsPerMessage).entries()) {
          const ts = await post('reply', chunk, render(chunk), { key, threadTs: parent.ts, broadcast: o.broadcastRecovery && chunk.some((a) => a.severity === 'ok') });
          if (ts !== undefined) {
            posted = true;
            continue;
          }
          const error = deliveries.at(-1)!.error;
          if (error && THREAD_GONE.has(error.code) && !retried) {
            // The parent was deleted: forget it and start a new thread with what is left.
            retried = true;
            this.#cache.delete(key);
            deliveries.pop();
            pending = rest.slice(i * o.maxAlertsPerMessage);
            break;
          }
        }
        if (pending.length > 0 || !posted) continue;
        const last = rest[rest.length - 1]!;
        if (await this.#update(key, parent, last, remaining, notes)) updates++;
      }
    }

    for (const chunk of chunks(storm, o.maxAlertsPerMessage)) await post('digest', chunk, render(chunk));
    return { deliveries, updates, lookups, notes };
  }

  #cached(key: string): Parent | undefined {
    const parent = this.#cache.get(key);
    if (parent !== undefined) this.#remember(key, parent);
    return parent;
  }

  #remember(key: string, parent: Parent): void {
    this.#cache.delete(key);
    this.#cache.set(key, parent);
    while (this.#cache.size > this.#o.cacheCapacity) this.#cache.delete(this.#cache.keys().next().value as string);
  }

  /** The parent message: the alert rendered as usual, with a lifecycle line first (`note` in the blocks only). */
  #parentMessage(alert: LifecycleAlert, line: string, note: string): SlackMessage {
    const message = toSlackMessage(alert, this.#o.render);
    const context: SlackBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `*Lifecycle:* ${line} · ${note}` }] };
    const blocks = [...(message.blocks ?? [])];
    blocks.splice(blocks[0]?.type === 'header' ? 1 : 0, 0, context);
    return fitSlackMessage({ ...message, text: `${line} — ${message.text ?? ''}`, blocks });
  }

  /** Edits the parent to the latest state; true when Slack accepted it. A failure is a note, not a lost alert. */
  async #update(key: string, parent: Parent, latest: LifecycleAlert, remaining: () => number, notes: ThreadNote[]): Promise<boolean> {
    const from = parent.state;
    const to = latest.status;
    const at = Number.isFinite(timeOf(latest)) ? timeOf(latest) : this.#o.now();
    const since = new Date(at).toISOString();
    const elapsed = at - Date.parse(parent.stateSince || parent.firstSeen);
    const took = Number.isFinite(elapsed) ? ` in ${formatDuration(elapsed)}` : '';
    const line = `${escapeMrkdwn(from)} → ${escapeMrkdwn(to)}${took}`;
    const message = this.#parentMessage(latest, line, `first seen ${Number.isFinite(Date.parse(parent.firstSeen)) ? slackDate(parent.firstSeen) : 'earlier'} · details in the thread`);
    try {
      if (remaining() <= 0) throw outOfTime(0);
      await this.#api.update(
        {
          channel: this.#o.channel,
          ts: parent.ts,
          text: message.text ?? '',
          ...(message.blocks ? { blocks: message.blocks } : {}),
          ...(message.attachments ? { attachments: message.attachments } : {}),
          metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { key, state: to, firstSeen: parent.firstSeen, stateSince: since } },
        },
        { deadlineMs: remaining() },
      );
      parent.state = to;
      parent.stateSince = since;
      return true;
    } catch (e) {
      const error = asNotifierError(e);
      if (THREAD_GONE.has(error.code)) this.#cache.delete(key);
      notes.push({ step: 'update', key, detail: `the parent could not be edited (${error.code}); the reply was posted`, error });
      return false;
    }
  }

  /** Reads recent history once and caches every parent found; returns the number of requests. */
  async #lookup(deadline: number, notes: ThreadNote[]): Promise<number> {
    const o = this.#o;
    const oldest = ((o.now() - o.lookupWindowMs) / 1000).toFixed(6);
    const found = new Set<string>();
    let cursor: string | undefined;
    let requests = 0;
    try {
      for (let page = 0; page < o.lookupPages; page++) {
        const left = deadline - o.now();
        if (left <= 0) throw outOfTime(0);
        requests++;
        // One attempt, never waiting for a rate limit: a failed lookup costs a duplicate parent, not the alert.
        const result = await this.#api.history(
          { channel: o.channel, oldest, limit: o.lookupPageSize, include_all_metadata: true, ...(cursor ? { cursor } : {}) },
          { deadlineMs: Math.min(left, 5000), maxAttempts: 1 },
        );
        for (const m of result.messages) {
          const payload = m.metadata?.event_type === ALERT_EVENT_TYPE ? m.metadata.event_payload : undefined;
          const key = payload?.key;
          // Newest first: the first parent seen for a key is its latest thread. A warm entry is never overwritten.
          if (typeof key !== 'string' || (m.thread_ts !== undefined && m.thread_ts !== m.ts) || found.has(key)) continue;
          found.add(key);
          const firstSeen = String(payload?.firstSeen ?? '');
          if (!this.#cache.has(key)) this.#remember(key, { ts: m.ts, state: String(payload?.state ?? ''), firstSeen, stateSince: String(payload?.stateSince ?? firstSeen) });
        }
        cursor = result.nextCursor;
        if (cursor === undefined) break;
      }
    } catch (e) {
      const error = asNotifierError(e);
      notes.push({ step: 'lookup', detail: `the history lookup failed (${error.code}); new lifecycles get new parents`, error });
    }
    return requests;
  }
}

function outOfTime(deadlineMs: number): SlackApiError {
  return new SlackApiError(
    { code: 'DEADLINE_EXCEEDED', method: 'chat.postMessage', status: undefined, attempts: 0, retryable: true, hint: '' },
    `No time left of the ${deadlineMs} ms budget; the message was not sent.`,
  );
}

function asNotifierError(error: unknown): SlackNotifierError {
  return SlackNotifierError.isSlackNotifierError(error) ? error : new SlackNotifierError('SEND_FAILED', 'The Slack Web API client failed unexpectedly.', { cause: error });
}
