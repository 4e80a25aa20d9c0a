import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { SlackApiError, SlackNotifierError, type SlackWebhookErrorCode } from './errors.js';
import { type AttemptOutcome, httpAttempt, LOOPBACK } from './http-attempt.js';
import { checkOptionRules, type OptionRule, throwOptionIssues, typeRule } from './options.js';
import type { SlackAttachment, SlackBlock } from './types.js';
import { parseRetryAfter } from './webhook.js';

/**
 * The Slack Web API base URL used when neither `baseUrl` nor the `SLACK_API_URL` environment variable says otherwise.
 *
 * @example
 * ```ts
 * new SlackWebApi(token).target === SLACK_API_URL; // true unless SLACK_API_URL is set
 * ```
 */
export const SLACK_API_URL = 'https://slack.com/api';

/**
 * Options of {@link SlackWebApi}. Unknown keys are rejected with `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * const options: SlackWebApiOptions = { baseUrl: 'http://127.0.0.1:3000/api', deadlineMs: 10_000 };
 * ```
 */
export interface SlackWebApiOptions {
  /**
   * Base URL of the Web API; methods are posted to `<baseUrl>/<method>`. `https:` anywhere, `http:` only for
   * loopback hosts (a local sink).
   * @default the `SLACK_API_URL` environment variable when set, else `https://slack.com/api`
   */
  readonly baseUrl?: string;
  /**
   * Time allowed for one HTTP attempt, in ms.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * Time allowed for a whole call (retries and `Retry-After` waits included), in ms; a call may lower it.
   * @default 30000
   */
  readonly deadlineMs?: number;
  /**
   * HTTP attempts per call, the first included (429s, 5xx, timeouts, connection errors and Slack-side errors
   * are retried).
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * First backoff delay in ms (doubles per attempt, "equal jitter"; `Retry-After` overrides it).
   * @default 500
   */
  readonly backoffBaseMs?: number;
  /**
   * Reuse connections (idle sockets never keep the process alive).
   * @default true
   */
  readonly keepAlive?: boolean;
  /**
   * Clock in ms (injectable for tests).
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Sleep function (injectable for tests).
   * @default a setTimeout-based sleep
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Random number in [0, 1) for jitter (injectable for tests).
   * @default Math.random
   */
  readonly random?: () => number;
}

/**
 * Per-call limits of {@link SlackWebApi.call}, lower than the client's own.
 *
 * @example
 * ```ts
 * await api.history({ channel: 'C0123ABCD' }, { deadlineMs: 2000, maxAttempts: 1 });
 * ```
 */
export interface SlackCallOptions {
  /**
   * Time allowed for this call, in ms.
   * @default the client's `deadlineMs`
   */
  readonly deadlineMs?: number;
  /**
   * HTTP attempts for this call.
   * @default the client's `maxAttempts`
   */
  readonly maxAttempts?: number;
}

/**
 * Message `metadata` (Slack's `event_type` + `event_payload`).
 *
 * @example
 * ```ts
 * const metadata: SlackMessageMetadata = { event_type: 'ecs_pulse_alert', event_payload: { key: 'k', state: 'Executing' } };
 * ```
 */
export interface SlackMessageMetadata {
  readonly event_type: string;
  readonly event_payload: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Arguments of `chat.postMessage` this client sends.
 *
 * @example
 * ```ts
 * const args: SlackPostMessageArgs = { channel: 'C0123ABCD', text: 'Executed', thread_ts: '1733300000.000100' };
 * ```
 */
export interface SlackPostMessageArgs {
  /** Channel id (`C…`, `G…`, `D…`). */
  readonly channel: string;
  /** Fallback text (always set it: notifications and screen readers use it). */
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
  readonly attachments?: readonly SlackAttachment[];
  /** The parent's `ts`: post as a reply in its thread. */
  readonly thread_ts?: string;
  /** With `thread_ts`: show the reply in the channel too. */
  readonly reply_broadcast?: boolean;
  readonly metadata?: SlackMessageMetadata;
  readonly unfurl_links?: boolean;
  readonly unfurl_media?: boolean;
}

/**
 * Arguments of `chat.update`.
 *
 * @example
 * ```ts
 * const args: SlackUpdateArgs = { channel: 'C0123ABCD', ts: '1733300000.000100', text: 'Executing → Executed in 7 min' };
 * ```
 */
export interface SlackUpdateArgs {
  readonly channel: string;
  /** `ts` of the message to edit. */
  readonly ts: string;
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
  readonly attachments?: readonly SlackAttachment[];
  readonly metadata?: SlackMessageMetadata;
}

/**
 * Arguments of `conversations.history`.
 *
 * @example
 * ```ts
 * const args: SlackHistoryArgs = { channel: 'C0123ABCD', oldest: '1733200000', include_all_metadata: true, limit: 100 };
 * ```
 */
export interface SlackHistoryArgs {
  readonly channel: string;
  /** Only messages after this Unix time (seconds, as Slack's `ts` string). */
  readonly oldest?: string;
  readonly latest?: string;
  /** Messages per page (Slack: at most 999; 15 for commercially distributed non-Marketplace apps). */
  readonly limit?: number;
  readonly cursor?: string;
  readonly include_all_metadata?: boolean;
}

/**
 * One message of a `conversations.history` page (the fields this package reads).
 *
 * @example
 * ```ts
 * const parent = page.messages.find((m) => m.metadata?.event_type === 'ecs_pulse_alert');
 * ```
 */
export interface SlackHistoryMessage {
  readonly ts: string;
  readonly text?: string;
  readonly thread_ts?: string;
  readonly bot_id?: string;
  readonly metadata?: { readonly event_type?: string; readonly event_payload?: Readonly<Record<string, unknown>> };
}

/**
 * One page of `conversations.history`.
 *
 * @example
 * ```ts
 * const { messages, nextCursor } = await api.history({ channel: 'C0123ABCD' });
 * ```
 */
export interface SlackHistoryPage {
  readonly messages: readonly SlackHistoryMessage[];
  /** Set when there is another page. */
  readonly nextCursor?: string;
}

/**
 * The Web API methods the thread planner needs (lets it take fakes or other clients).
 *
 * @example
 * ```ts
 * const api: SlackWebApiClient = new SlackWebApi(process.env.SLACK_BOT_TOKEN!);
 * ```
 */
export interface SlackWebApiClient {
  postMessage(args: SlackPostMessageArgs, options?: SlackCallOptions): Promise<{ readonly channel: string; readonly ts: string }>;
  update(args: SlackUpdateArgs, options?: SlackCallOptions): Promise<{ readonly channel: string; readonly ts: string }>;
  history(args: SlackHistoryArgs, options?: SlackCallOptions): Promise<SlackHistoryPage>;
}

const DEFAULTS = { timeoutMs: 10_000, deadlineMs: 30_000, maxAttempts: 3, backoffBaseMs: 500, keepAlive: true } as const;
const MS: OptionRule = [(v) => Number.isFinite(v) && (v as number) >= 0, 'a non-negative number of ms'];
const COUNT: OptionRule = [(v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'];
const FUNCTION = /* @__PURE__ */ typeRule('function');
/** `util.inspect.custom`. */
const INSPECT = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom');
const OPTION_RULES: Readonly<Record<keyof SlackWebApiOptions, OptionRule>> = {
  baseUrl: /* @__PURE__ */ typeRule('string'),
  timeoutMs: MS,
  deadlineMs: MS,
  backoffBaseMs: MS,
  maxAttempts: COUNT,
  keepAlive: /* @__PURE__ */ typeRule('boolean'),
  now: FUNCTION,
  sleep: FUNCTION,
  random: FUNCTION,
};
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Slack's token shapes (bot `xoxb-`, user `xoxp-`, app `xoxa-`/`xoxe-`); the value is never echoed. */
const TOKEN = /^xox[abepr]-[A-Za-z0-9-]{6,}$/;
/** Any Slack token inside a text (for scrubbing causes). */
const TOKEN_IN_TEXT = /xox[abepr]-[A-Za-z0-9-]+/g;

const REINSTALL = 'the token was revoked or the app uninstalled; reinstall the app and update the token variable';
const AUTH = 'the bot token is wrong or missing; copy the Bot User OAuth Token (xoxb-…) of the installed app';
const EDIT = 'the message was deleted or cannot be edited by this app; a new parent is posted next time';
const BLOCKS = 'the blocks break a Slack rule; check them with validateSlackMessage()';
const METADATA = 'the message metadata is malformed (event_type + event_payload object)';

/**
 * How to fix Slack's `ok: false` errors that have a known fix, and whether a retry may help (`true` = transient).
 * Errors missing here are treated as permanent.
 */
const ERRORS: Readonly<Record<string, readonly [retryable: boolean, hint: string]>> = {
  ratelimited: [true, 'Slack rate-limited this method; wait for Retry-After'],
  rate_limited: [true, 'Slack rate-limited this method; wait for Retry-After'],
  internal_error: [true, 'a transient Slack error; retry later'],
  fatal_error: [true, 'a Slack error; retry later (the call may have partly succeeded)'],
  service_unavailable: [true, 'Slack is unavailable; retry later'],
  request_timeout: [true, 'Slack timed out; retry later'],
  team_added_to_org: [true, 'the workspace is migrating into an Enterprise org; retry later'],
  channel_not_found: [false, 'the channel id is wrong or the app cannot see it: use the channel ID (C…, from the channel details), and invite the app to a private channel'],
  not_in_channel: [false, 'the app is not a member of the channel: /invite the app to it (or add the chat:write.public scope for public channels)'],
  is_archived: [false, 'the channel is archived; unarchive it or configure another channel'],
  restricted_action: [false, 'a workspace setting prevents this app from posting in this channel'],
  not_authed: [false, AUTH],
  invalid_auth: [false, AUTH],
  token_revoked: [false, REINSTALL],
  token_expired: [false, REINSTALL],
  account_inactive: [false, REINSTALL],
  missing_scope: [false, 'the token lacks a scope: add chat:write and channels:history (groups:history for private channels), then reinstall the app'],
  msg_too_long: [false, 'the message text is too long; fit it with fitSlackMessage()'],
  no_text: [false, 'the message has no text'],
  invalid_blocks: [false, BLOCKS],
  invalid_blocks_format: [false, BLOCKS],
  too_many_attachments: [false, 'at most 100 attachments per message'],
  message_not_found: [false, EDIT],
  cant_update_message: [false, EDIT],
  edit_window_closed: [false, EDIT],
  thread_not_found: [false, EDIT],
  invalid_metadata_format: [false, METADATA],
  invalid_metadata_schema: [false, METADATA],
  metadata_too_large: [false, 'the message metadata is too large'],
  invalid_cursor: [false, 'the paging cursor is stale; start the listing again'],
};

const SLACK_ERROR = /^[a-z][a-z0-9_]{0,79}$/;

function parseBaseUrl(input: string): URL {
  const fail = (why: string): never => {
    throw new SlackNotifierError('INVALID_API_URL', `Slack Web API base URL is invalid: ${why}. Use https://slack.com/api, or an http://127.0.0.1:<port>/api URL of a local sink.`);
  };
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return fail('it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail(`scheme "${url.protocol}" is not https:`);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return fail('http: is allowed only for loopback hosts (a local sink)');
  if (url.username || url.password || url.search || url.hash) return fail('it must not contain credentials, a query or a fragment');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Form encoding of `conversations.history` arguments (read methods take form bodies). */
function formBody(args: Readonly<Record<string, unknown>>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) if (value !== undefined) form.set(key, String(value));
  return form.toString();
}

/**
 * A client of the Slack Web API over `node:https` (no global `fetch`: its first use costs about 200 ms in a new
 * process) with a bot token sent as `Authorization: Bearer`. It posts (`chat.postMessage`, replies with
 * `thread_ts` and `reply_broadcast`, message `metadata`), edits (`chat.update`) and reads
 * (`conversations.history` with `include_all_metadata`). An `ok: false` answer throws {@link SlackApiError} with
 * Slack's error name, whether it is retryable, and a fix hint. HTTP 429 waits `Retry-After` and retries while the
 * deadline allows; the wait is remembered per method, so the next call of a rate-limited method waits (or fails
 * at once with `ratelimited` when the wait does not fit its deadline) instead of hitting Slack again. 5xx,
 * timeouts, connection errors and Slack-side errors retry with backoff. The token never appears in errors,
 * `toString()`, `util.inspect` or JSON.
 *
 * @throws SlackNotifierError `INVALID_TOKEN`, `INVALID_API_URL` or `INVALID_OPTIONS` from the constructor.
 *
 * @example
 * ```ts
 * import { SlackWebApi } from '@ecs-pulse/slack-notifier';
 *
 * const api = new SlackWebApi(process.env.SLACK_BOT_TOKEN!);
 * const { ts } = await api.postMessage({ channel: 'C0123ABCD', text: 'Instance i-bp1… is Executing' });
 * await api.postMessage({ channel: 'C0123ABCD', text: 'Executed', thread_ts: ts });
 * ```
 */
export class SlackWebApi implements SlackWebApiClient {
  readonly #token: string;
  readonly #base: URL;
  readonly #agent: HttpAgent;
  readonly #options: Required<Pick<SlackWebApiOptions, 'timeoutMs' | 'deadlineMs' | 'maxAttempts' | 'backoffBaseMs' | 'keepAlive'>>;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  /** Per method: the time (ms) before which Slack asked not to call it again. */
  readonly #blockedUntil = new Map<string, number>();
  /** The base URL (never the token). Safe to log. */
  readonly target: string;

  constructor(token: string, options: SlackWebApiOptions = {}) {
    if (typeof token !== 'string' || !TOKEN.test(token.trim())) {
      throw new SlackNotifierError(
        'INVALID_TOKEN',
        `Slack bot token is invalid: expected a Slack token like xoxb-… (got ${typeof token === 'string' ? (token.trim() === '' ? 'an empty string; is the environment variable set?' : 'another value, not shown') : typeof token}). Copy the Bot User OAuth Token of the installed app.`,
      );
    }
    const issues: string[] = [];
    for (const key of Object.keys(options ?? {})) if (!Object.hasOwn(OPTION_RULES, key)) issues.push(`${key}: unknown option`);
    checkOptionRules(options as Record<string, unknown>, OPTION_RULES, issues);
    throwOptionIssues('SlackWebApi', issues);
    this.#token = token.trim();
    this.#base = parseBaseUrl(options.baseUrl ?? (process.env.SLACK_API_URL?.trim() || SLACK_API_URL));
    this.#options = { ...DEFAULTS, ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SlackWebApiOptions) } as Required<Pick<SlackWebApiOptions, 'timeoutMs' | 'deadlineMs' | 'maxAttempts' | 'backoffBaseMs' | 'keepAlive'>>;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.target = this.#base.href.replace(/\/$/, '');
    const agentOptions = { keepAlive: this.#options.keepAlive, maxSockets: 4 };
    this.#agent = this.#base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    // `util.inspect` form without the token. Defined here, not as a `[Symbol.for(…)]()` method: a computed class
    // key makes bundlers keep the whole class in every bundle of this package (the FC function never uses it).
    Object.defineProperty(this, INSPECT, { value: () => this.toString() });
  }

  /**
   * `chat.postMessage`: posts a message (a thread reply with `thread_ts`) and resolves with its `ts`.
   *
   * @throws SlackApiError with Slack's error name (`channel_not_found`, `not_in_channel`, `msg_too_long`, …).
   *
   * @example
   * ```ts
   * const { ts } = await api.postMessage({ channel: 'C0123ABCD', text: 'hello', metadata: { event_type: 'x', event_payload: { a: 1 } } });
   * ```
   */
  async postMessage(args: SlackPostMessageArgs, options?: SlackCallOptions): Promise<{ readonly channel: string; readonly ts: string }> {
    const r = await this.call('chat.postMessage', args, options);
    return { channel: String(r.channel ?? args.channel), ts: String(r.ts) };
  }

  /**
   * `chat.update`: replaces the text/blocks (and metadata, when given) of a message this app posted.
   *
   * @throws SlackApiError with Slack's error name (`message_not_found`, `cant_update_message`, …).
   *
   * @example
   * ```ts
   * await api.update({ channel: 'C0123ABCD', ts, text: 'Executing → Executed in 7 min' });
   * ```
   */
  async update(args: SlackUpdateArgs, options?: SlackCallOptions): Promise<{ readonly channel: string; readonly ts: string }> {
    const r = await this.call('chat.update', args, options);
    return { channel: String(r.channel ?? args.channel), ts: String(r.ts ?? args.ts) };
  }

  /**
   * `conversations.history`: one page of a channel's messages, newest first (thread replies not included).
   *
   * @throws SlackApiError with Slack's error name (`not_in_channel`, `missing_scope`, `ratelimited`, …).
   *
   * @example
   * ```ts
   * const page = await api.history({ channel: 'C0123ABCD', oldest: String(Date.now() / 1000 - 86_400), include_all_metadata: true });
   * ```
   */
  async history(args: SlackHistoryArgs, options?: SlackCallOptions): Promise<SlackHistoryPage> {
    const r = await this.call('conversations.history', args, options);
    const messages = Array.isArray(r.messages) ? (r.messages as SlackHistoryMessage[]).filter((m) => typeof m?.ts === 'string') : [];
    const cursor = (r.response_metadata as { next_cursor?: unknown } | undefined)?.next_cursor;
    return { messages, ...(typeof cursor === 'string' && cursor !== '' ? { nextCursor: cursor } : {}) };
  }

  /**
   * Calls any Web API method and resolves with Slack's `ok: true` answer. `conversations.*` and other read
   * methods are sent form-encoded, `chat.*` as JSON.
   *
   * @throws SlackApiError for `ok: false`, HTTP errors, timeouts, connection failures and rate limits.
   *
   * @example
   * ```ts
   * const answer = await api.call('auth.test', {});
   * ```
   */
  async call(method: string, args: Readonly<Record<string, unknown>> | object, options: SlackCallOptions = {}): Promise<Record<string, unknown>> {
    const maxAttempts = options.maxAttempts ?? this.#options.maxAttempts;
    const deadlineMs = Math.min(options.deadlineMs ?? this.#options.deadlineMs, this.#options.deadlineMs);
    const start = this.#now();
    const deadline = start + deadlineMs;
    const json = method.startsWith('chat.');
    const body = json ? JSON.stringify(args) : formBody(args as Record<string, unknown>);
    const url = new URL(method, this.#base);
    const headers = {
      authorization: `Bearer ${this.#token}`,
      'content-type': json ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded',
    };
    const fail = (code: SlackWebhookErrorCode, status: number | undefined, attempts: number, detail: string, retryable: boolean, cause?: Error): SlackApiError => {
      const hint = Object.hasOwn(ERRORS, code) ? ERRORS[code]![1] : '';
      return new SlackApiError(
        { code, method, status, attempts, retryable, hint },
        `Slack API ${method} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}${hint ? ` (${hint})` : ''}.`,
        cause ? { cause: this.#scrub(cause) } : undefined,
      );
    };

    for (let attempt = 1; ; attempt++) {
      // A rate limit Slack announced for this method is waited out before any request, or fails the call.
      const blocked = (this.#blockedUntil.get(method) ?? 0) - this.#now();
      if (blocked > 0) {
        if (this.#now() + blocked >= deadline) throw fail('ratelimited', 429, attempt - 1, `rate limited for another ${Math.ceil(blocked / 1000)} s, past the deadline of ${deadlineMs} ms`, true);
        await this.#sleep(blocked);
      }
      const remaining = deadline - this.#now();
      if (remaining <= 0) throw fail('DEADLINE_EXCEEDED', undefined, attempt - 1, `no time left of deadlineMs=${deadlineMs}`, true);
      const outcome: AttemptOutcome = await httpAttempt(url, this.#agent, 'POST', headers, body, Math.min(this.#options.timeoutMs, remaining));

      let code: SlackWebhookErrorCode;
      let status: number | undefined;
      let waitMs: number | undefined;
      let cause: Error | undefined;
      if (outcome.kind === 'response') {
        status = outcome.status;
        let answer: Record<string, unknown> | undefined;
        try {
          const parsed: unknown = JSON.parse(outcome.body);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) answer = parsed as Record<string, unknown>;
        } catch {
          /* not JSON */
        }
        if (status >= 200 && status < 300 && answer?.ok === true) return answer;
        const error = typeof answer?.error === 'string' && SLACK_ERROR.test(answer.error) ? answer.error : undefined;
        code = error ?? (status === 429 ? 'ratelimited' : status >= 200 && status < 300 ? 'invalid_response' : `HTTP_${status}`);
        if (status === 429 || code === 'ratelimited' || code === 'rate_limited') {
          waitMs = parseRetryAfter(outcome.retryAfter, this.#now()) ?? 1000;
          this.#blockedUntil.set(method, this.#now() + waitMs);
        } else if (status < 500 && !(Object.hasOwn(ERRORS, code) && ERRORS[code]![0] && code !== 'fatal_error')) {
          // A permanent answer (or a fatal_error, which may have partly succeeded): never retried here.
          throw fail(code, status, attempt, `Slack answered ${error ? `error ${code}` : `HTTP ${status} without a Slack error`}`, Object.hasOwn(ERRORS, code) && ERRORS[code]![0]);
        }
      } else if (outcome.kind === 'timeout') {
        code = 'TIMEOUT';
      } else {
        code = 'CONNECTION_ERROR';
        cause = outcome.error;
      }
      const detail = code === 'TIMEOUT' ? `no response within ${this.#options.timeoutMs} ms` : code === 'CONNECTION_ERROR' ? `connection failed (${(cause as NodeJS.ErrnoException).code ?? cause!.message})` : `Slack answered ${code}${status ? ` (HTTP ${status})` : ''}`;
      if (attempt >= maxAttempts) throw fail(code, status, attempt, `${detail}; gave up after maxAttempts=${maxAttempts}`, true, cause);
      // A rate limit is waited out at the top of the loop (the wait is per method, shared with other calls).
      if (waitMs !== undefined) continue;
      waitMs = (this.#options.backoffBaseMs * 2 ** (attempt - 1)) * (0.5 + this.#random() / 2);
      if (this.#now() + waitMs >= deadline) throw fail(code, status, attempt, `${detail}; the next attempt would start after the deadline of ${deadlineMs} ms`, true, cause);
      await this.#sleep(waitMs);
    }
  }

  /**
   * Destroys pooled connections. Optional: idle sockets never keep the process alive.
   *
   * @example
   * ```ts
   * api.close();
   * ```
   */
  close(): void {
    this.#agent.destroy();
  }

  /**
   * The base URL, never the token.
   *
   * @example
   * ```ts
   * String(api); // 'SlackWebApi(https://slack.com/api)'
   * ```
   */
  toString(): string {
    return `SlackWebApi(${this.target})`;
  }

  /**
   * JSON form without the token.
   *
   * @example
   * ```ts
   * JSON.stringify(api); // '{"target":"https://slack.com/api"}'
   * ```
   */
  toJSON(): { target: string } {
    return { target: this.target };
  }

  /** A cause whose message or stack quotes the token (or any Slack token) gets a scrubbed copy. */
  #scrub(error: Error): Error {
    const clean = (v: string): string => v.split(this.#token).join('xox…').replace(TOKEN_IN_TEXT, 'xox…');
    const text = `${error.message}\n${error.stack ?? ''}`;
    if (clean(text) === text) return error;
    const copy = new Error(clean(error.message));
    copy.name = error.name;
    copy.stack = clean(error.stack ?? '');
    return copy;
  }
}
