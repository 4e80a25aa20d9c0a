import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';
import { validateSlackMessage } from '../limits.js';

/**
 * One message in the sink's in-memory channel history (a parent, a plain message, or a thread reply).
 *
 * @example
 * ```ts
 * const parent = sink.api.messages('C0123ABCD')[0]!;
 * expect(parent.replies).toHaveLength(2);
 * expect(parent.edits).toBe(2);
 * ```
 */
export interface SinkApiMessage {
  readonly ts: string;
  readonly channel: string;
  text: string;
  blocks?: unknown;
  attachments?: unknown;
  /** Set on replies: the parent's `ts`. */
  readonly thread_ts?: string;
  /** A reply also shown in the channel. */
  readonly reply_broadcast: boolean;
  metadata?: { readonly event_type: string; readonly event_payload: Readonly<Record<string, unknown>> };
  /** How many times `chat.update` edited it. */
  edits: number;
  /** Replies in its thread, in order (empty for replies). */
  readonly replies: SinkApiMessage[];
}

/**
 * A channel of the sink. Any id like `C…`, `G…` or `D…` exists (with the app as a member) the first time it
 * is used; set `member = false` for `not_in_channel`, `archived = true` for `is_archived`.
 *
 * @example
 * ```ts
 * sink.api.channel('C0123ABCD').member = false;
 * ```
 */
export interface SinkApiChannel {
  readonly id: string;
  member: boolean;
  archived: boolean;
  /** Top-level messages, oldest first (broadcast replies included, as in Slack's history). */
  readonly messages: SinkApiMessage[];
}

/**
 * One Web API request the sink received and how it answered.
 *
 * @example
 * ```ts
 * expect(sink.api.calls.map((c) => c.method)).toEqual(['conversations.history', 'chat.postMessage']);
 * ```
 */
export interface SinkApiCall {
  readonly at: number;
  readonly method: string;
  /** The arguments (JSON body or form fields). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly status: number;
  /** Slack's `error` name, when the answer was `ok: false`. */
  readonly error?: string;
}

/**
 * A scripted Web API answer: an `ok: false` error name (HTTP 200, or 429 for `ratelimited`), another HTTP
 * status, a `Retry-After`, a delay.
 *
 * @example
 * ```ts
 * sink.api.script('chat.postMessage', { error: 'not_in_channel' });
 * sink.api.script('conversations.history', { error: 'ratelimited', retryAfterSeconds: 60 });
 * ```
 */
export interface SinkApiReply {
  /** Slack error name. @default undefined (the method runs normally) */
  readonly error?: string;
  /** HTTP status. @default 429 for `ratelimited`, else 200 */
  readonly status?: number;
  /** `Retry-After` seconds. @default 1 for `ratelimited` */
  readonly retryAfterSeconds?: number;
  /** Wait before answering, in ms. @default 0 */
  readonly delayMs?: number;
}

/**
 * Web API options of the sink (`startSlackSink({ api })`).
 *
 * @example
 * ```ts
 * const sink = await startSlackSink({ api: { rateLimits: { 'conversations.history': { perMinute: 1 } } } });
 * ```
 */
export interface SlackApiSinkOptions {
  /**
   * Per-method token buckets; over one the sink answers 429 `ratelimited` with `Retry-After`. (Slack: about one
   * `chat.postMessage` per second per channel; `conversations.history` 1 per minute for commercially distributed
   * non-Marketplace apps, Tier 3 otherwise.)
   * @default {} (no limits)
   */
  readonly rateLimits?: Readonly<Record<string, { readonly perMinute: number; readonly burst?: number }>>;
  /**
   * Largest `limit` of `conversations.history` (Slack: 999; 15 for commercially distributed non-Marketplace apps).
   * @default 999
   */
  readonly historyMaxLimit?: number;
}

/**
 * The sink's Slack Web API (`<origin>/api/<method>`): `chat.postMessage` (threads, `reply_broadcast`,
 * `metadata`), `chat.update`, `conversations.history` (`oldest`/`latest`, `limit`, cursors,
 * `include_all_metadata`) and `auth.test`, with Bearer-token auth, Slack's errors and per-method rate limits.
 *
 * @example
 * ```ts
 * const api = new SlackWebApi(sink.api.token, { baseUrl: sink.api.url });
 * await api.postMessage({ channel: 'C0123ABCD', text: 'hi' });
 * sink.api.messages('C0123ABCD').length; // 1
 * ```
 */
export interface SlackApiSink {
  /** `http://127.0.0.1:<port>/api` (the `SLACK_API_URL` of a test). */
  readonly url: string;
  /** The bot token the sink accepts (`xoxb-…`, random per sink). */
  readonly token: string;
  /** Every Web API request, in order. */
  readonly calls: SinkApiCall[];
  /** The channel (created on first use). */
  channel(id: string): SinkApiChannel;
  /** Top-level messages of a channel, oldest first. */
  messages(channel: string): SinkApiMessage[];
  /** Every message of a channel, replies included, in posting order. */
  allMessages(channel: string): SinkApiMessage[];
  /** Queue scripted answers for the next calls of `method`. */
  script(method: string, ...replies: SinkApiReply[]): void;
  /** Adds a message as if posted at `at` (ms) by this app, e.g. a parent older than a lookup window. */
  seed(channel: string, message: { readonly text: string; readonly at: number; readonly metadata?: SinkApiMessage['metadata'] }): SinkApiMessage;
  /** From now on the token is revoked (`token_revoked`). */
  revokeToken(): void;
  /** Forget channels, calls, scripts, rate-limit state and the revocation. */
  reset(): void;
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const MAX_TEXT = 40_000;

/** The sink's Web API state and its request handler. */
export function createWebApiSink(origin: string, options: SlackApiSinkOptions = {}): { readonly api: SlackApiSink; handle(req: http.IncomingMessage, res: http.ServerResponse, method: string, body: string): void } {
  const token = `xoxb-${Date.now() % 1e10}-${randomBytes(12).toString('hex')}`;
  const historyMax = options.historyMaxLimit ?? 999;
  const channels = new Map<string, SinkApiChannel>();
  const calls: SinkApiCall[] = [];
  const scripts = new Map<string, SinkApiReply[]>();
  const buckets = new Map<string, { tokens: number; last: number }>();
  const posted: SinkApiMessage[] = [];
  let revoked = false;
  let lastMicros = 0;

  const nextTs = (at = Date.now()): string => {
    lastMicros = Math.max(lastMicros + 1, at * 1000);
    return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
  };
  const channel = (id: string): SinkApiChannel => {
    let c = channels.get(id);
    if (c === undefined) channels.set(id, (c = { id, member: true, archived: false, messages: [] }));
    return c;
  };
  /** Seconds until a token of `method`'s bucket is free, 0 when one was taken. */
  const takeToken = (method: string): number => {
    const limit = options.rateLimits?.[method];
    if (!limit) return 0;
    const burst = limit.burst ?? 1;
    const now = Date.now();
    const b = buckets.get(method) ?? { tokens: burst, last: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.last) / 60_000) * limit.perMinute);
    b.last = now;
    buckets.set(method, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / limit.perMinute));
  };
  const find = (c: SinkApiChannel, ts: unknown): SinkApiMessage | undefined => {
    for (const m of c.messages) {
      if (m.ts === ts) return m;
      const reply = m.replies.find((r) => r.ts === ts);
      if (reply) return reply;
    }
    return undefined;
  };
  /** Argument values of a form body are strings; `blocks`, `attachments` and `metadata` are JSON text there. */
  const jsonArg = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return Symbol.for('invalid');
    }
  };
  const truthy = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

  /** Validates and stores a message; returns Slack's error name or the message. */
  function writeMessage(args: Record<string, unknown>, c: SinkApiChannel, existing?: SinkApiMessage): string | SinkApiMessage {
    const text = typeof args.text === 'string' ? args.text : '';
    const blocks = jsonArg(args.blocks);
    const attachments = jsonArg(args.attachments);
    const metadata = jsonArg(args.metadata) as SinkApiMessage['metadata'] | symbol | undefined;
    if (text === '' && blocks === undefined && attachments === undefined) return 'no_text';
    if (text.length > MAX_TEXT) return 'msg_too_long';
    if (typeof blocks === 'symbol' || (blocks !== undefined && !Array.isArray(blocks))) return 'invalid_blocks_format';
    if (validateSlackMessage({ text, ...(blocks !== undefined ? { blocks } : {}), ...(attachments !== undefined ? { attachments } : {}) }).length > 0) return 'invalid_blocks';
    if (metadata !== undefined) {
      if (typeof metadata !== 'object' || metadata === null || typeof metadata.event_type !== 'string' || typeof metadata.event_payload !== 'object' || metadata.event_payload === null) {
        return 'invalid_metadata_format';
      }
    }
    if (existing) {
      existing.text = text;
      existing.blocks = blocks;
      existing.attachments = attachments;
      if (metadata !== undefined) existing.metadata = metadata;
      existing.edits++;
      return existing;
    }
    let parent: SinkApiMessage | undefined;
    if (args.thread_ts !== undefined) {
      // Only a top-level message can be a parent here (Slack advises against a reply's ts).
      parent = c.messages.find((m) => m.ts === args.thread_ts && m.thread_ts === undefined);
      if (parent === undefined) return 'thread_not_found';
    }
    const message: SinkApiMessage = {
      ts: nextTs(),
      channel: c.id,
      text,
      ...(blocks !== undefined ? { blocks } : {}),
      ...(attachments !== undefined ? { attachments } : {}),
      ...(parent ? { thread_ts: parent.ts } : {}),
      reply_broadcast: parent !== undefined && truthy(args.reply_broadcast),
      ...(metadata !== undefined ? { metadata } : {}),
      edits: 0,
      replies: [],
    };
    if (parent) {
      parent.replies.push(message);
      if (message.reply_broadcast) c.messages.push(message);
    } else c.messages.push(message);
    posted.push(message);
    return message;
  }

  function history(args: Record<string, unknown>, c: SinkApiChannel): Record<string, unknown> | string {
    const limit = args.limit === undefined ? Math.min(100, historyMax) : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1) return 'invalid_limit';
    const inclusive = truthy(args.inclusive);
    const oldest = args.oldest === undefined ? -Infinity : Number(args.oldest);
    const latest = args.latest === undefined ? Infinity : Number(args.latest);
    const inRange = (m: SinkApiMessage): boolean => {
      const t = Number(m.ts);
      return (inclusive ? t >= oldest : t > oldest) && (inclusive ? t <= latest : t < latest);
    };
    const all = c.messages.filter(inRange).sort((a, b) => Number(b.ts) - Number(a.ts));
    let offset = 0;
    if (args.cursor !== undefined && args.cursor !== '') {
      const decoded = /^offset:(\d+)$/.exec(Buffer.from(String(args.cursor), 'base64').toString('utf8'));
      if (!decoded) return 'invalid_cursor';
      offset = Number(decoded[1]);
    }
    const page = all.slice(offset, offset + Math.min(limit, historyMax));
    const more = offset + page.length < all.length;
    const withMetadata = truthy(args.include_all_metadata);
    return {
      ok: true,
      messages: page.map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        bot_id: 'B0SINKBOT',
        ...(m.blocks !== undefined ? { blocks: m.blocks } : {}),
        ...(m.thread_ts ? { thread_ts: m.thread_ts, subtype: 'thread_broadcast' } : m.replies.length ? { thread_ts: m.ts, reply_count: m.replies.length } : {}),
        ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
      })),
      has_more: more,
      response_metadata: { next_cursor: more ? Buffer.from(`offset:${offset + page.length}`).toString('base64') : '' },
    };
  }

  /** Runs one method; returns the answer object or Slack's error name. */
  function run(method: string, args: Record<string, unknown>): Record<string, unknown> | string {
    if (method === 'auth.test') return { ok: true, team_id: 'T0SINK', user_id: 'U0SINKBOT', bot_id: 'B0SINKBOT' };
    if (method !== 'chat.postMessage' && method !== 'chat.update' && method !== 'conversations.history') return 'unknown_method';
    const id = args.channel;
    if (typeof id !== 'string' || !CHANNEL_ID.test(id)) return 'channel_not_found';
    const c = channel(id);
    if (!c.member) return 'not_in_channel';
    if (method === 'conversations.history') return history(args, c);
    if (c.archived) return 'is_archived';
    if (method === 'chat.postMessage') {
      const m = writeMessage(args, c);
      return typeof m === 'string' ? m : { ok: true, channel: c.id, ts: m.ts, message: { ts: m.ts, text: m.text, ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}) } };
    }
    if (method === 'chat.update') {
      const existing = find(c, args.ts);
      if (existing === undefined) return 'message_not_found';
      const m = writeMessage(args, c, existing);
      return typeof m === 'string' ? m : { ok: true, channel: c.id, ts: m.ts, text: m.text };
    }
    return 'unknown_method';
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, method: string, body: string): void {
    const at = Date.now();
    const contentType = req.headers['content-type'] ?? '';
    let args: Record<string, unknown> = {};
    let invalidJson = false;
    if (contentType.includes('application/json')) {
      try {
        const parsed: unknown = JSON.parse(body);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
        else invalidJson = true;
      } catch {
        invalidJson = true;
      }
    } else args = Object.fromEntries(new URLSearchParams(body));
    const send = (status: number, answer: Record<string, unknown>, headers: Record<string, string> = {}, error?: string, delayMs = 0): void => {
      calls.push({ at, method, args, status, ...(error !== undefined ? { error } : {}) });
      const write = (): void => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(answer));
      };
      if (delayMs > 0) setTimeout(write, delayMs).unref();
      else write();
    };
    const fail = (error: string, status = 200, headers: Record<string, string> = {}, delayMs = 0): void => send(status, { ok: false, error }, headers, error, delayMs);

    const auth = req.headers.authorization;
    if (auth === undefined || !auth.startsWith('Bearer ')) return fail('not_authed');
    if (auth.slice(7) !== token) return fail('invalid_auth');
    if (revoked) return fail('token_revoked');
    const scripted = scripts.get(method)?.shift();
    if (scripted) {
      if (scripted.error === undefined) return send(scripted.status ?? 500, { ok: false }, {}, undefined, scripted.delayMs);
      const limited = scripted.error === 'ratelimited';
      const headers: Record<string, string> = limited || scripted.retryAfterSeconds !== undefined ? { 'retry-after': String(scripted.retryAfterSeconds ?? 1) } : {};
      return fail(scripted.error, scripted.status ?? (limited ? 429 : 200), headers, scripted.delayMs);
    }
    const wait = takeToken(method);
    if (wait > 0) return fail('ratelimited', 429, { 'retry-after': String(wait) });
    if (invalidJson) return fail('invalid_json');
    const answer = run(method, args);
    if (typeof answer === 'string') return fail(answer);
    send(200, answer);
  }

  const api: SlackApiSink = {
    url: `${origin}/api`,
    token,
    calls,
    channel,
    messages: (id) => channel(id).messages,
    allMessages: (id) => posted.filter((m) => m.channel === id),
    script(method, ...replies) {
      const queue = scripts.get(method) ?? [];
      queue.push(...replies);
      scripts.set(method, queue);
    },
    seed(id, { text, at, metadata }) {
      const m: SinkApiMessage = { ts: `${Math.floor(at / 1000)}.${String((at % 1000) * 1000).padStart(6, '0')}`, channel: id, text, reply_broadcast: false, ...(metadata ? { metadata } : {}), edits: 0, replies: [] };
      const c = channel(id);
      c.messages.push(m);
      c.messages.sort((a, b) => Number(a.ts) - Number(b.ts));
      posted.push(m);
      return m;
    },
    revokeToken() {
      revoked = true;
    },
    reset() {
      channels.clear();
      calls.length = 0;
      scripts.clear();
      buckets.clear();
      posted.length = 0;
      revoked = false;
    },
  };
  return { api, handle };
}
