import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { SlackNotifierError, SlackWebhookError, type SlackWebhookErrorCode } from './errors.js';
import { type AttemptOutcome, httpAttempt, LOOPBACK } from './http-attempt.js';
import { checkOptionRules, type OptionRule, throwOptionIssues, typeRule } from './options.js';
import type { SlackMessage } from './types.js';

/**
 * Options of {@link SlackWebhook}. Unknown keys are rejected with `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * const options: SlackWebhookOptions = { timeoutMs: 5000, deadlineMs: 20_000, maxAttempts: 4 };
 * ```
 */
export interface SlackWebhookOptions {
  /**
   * Time allowed for one HTTP attempt (connect + response), in ms.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * Time allowed for the whole `send()`, retries and waits included, in ms. A retry whose wait would end
   * past it fails at once with `DEADLINE_EXCEEDED`.
   * @default 30000
   */
  readonly deadlineMs?: number;
  /**
   * Maximum number of HTTP attempts (1 = no retry).
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Maximum number of HTTP attempts while Slack answers 429: a 429 is waited out (`Retry-After`) and retried
   * until this many attempts were made, or the next one would start past `deadlineMs`, whatever `maxAttempts`
   * says. `maxAttempts` then counts only the attempts that failed otherwise (5xx, timeouts, connection
   * errors), and no send makes more than the larger of the two. For a caller with a known time budget that
   * should ride out rate limiting without retrying an outage for longer.
   * @default - the value of `maxAttempts` (a 429 counts like any other failure)
   */
  readonly maxRateLimitedAttempts?: number;
  /**
   * First backoff delay in ms; attempt n waits `min(backoffMaxMs, backoffBaseMs × 2^(n-1))`, with "equal
   * jitter" (a random value between half and all of it). Also the least wait after a 429, whatever its
   * `Retry-After` says (`0`, a fraction, or a date in the past), so a 429 never turns into a burst of attempts.
   * @default 500
   */
  readonly backoffBaseMs?: number;
  /**
   * Largest backoff delay in ms (does not cap Slack's `Retry-After`).
   * @default 8000
   */
  readonly backoffMaxMs?: number;
  /**
   * Reuse connections (keep-alive). Idle sockets are unref'd by Node, so they never keep a process alive;
   * {@link SlackWebhook.close} destroys them.
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
   * Random number in [0, 1) used for jitter (injectable for tests).
   * @default Math.random
   */
  readonly random?: () => number;
}

/**
 * Result of a successful {@link SlackWebhook.send}.
 *
 * @example
 * ```ts
 * const { attempts, rateLimited } = await webhook.send(message);
 * ```
 */
export interface SlackSendResult {
  /** HTTP requests made (1 when the first one succeeded). */
  readonly attempts: number;
  /** HTTP status of the successful response (2xx). */
  readonly status: number;
  /** How many 429 responses were answered with a wait and a retry. */
  readonly rateLimited: number;
  /** Wall time of the whole send, in ms. */
  readonly elapsedMs: number;
}

/**
 * Anything that can deliver a Slack message the way {@link SlackWebhook} does (lets
 * {@link RateLimitedSender} wrap fakes or other transports).
 *
 * @example
 * ```ts
 * const transport: SlackTransport = new SlackWebhook(process.env.SLACK_WEBHOOK_URL!);
 * ```
 */
export interface SlackTransport {
  send(message: SlackMessage | string): Promise<SlackSendResult>;
}

const OPTION_DEFAULTS = {
  timeoutMs: 10_000,
  deadlineMs: 30_000,
  maxAttempts: 5,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  keepAlive: true,
} as const;

const MS: OptionRule = [(v) => Number.isFinite(v) && (v as number) >= 0, 'a non-negative number of ms'];
const COUNT: OptionRule = [(v) => Number.isInteger(v) && (v as number) >= 1, 'an integer ≥ 1'];
const FUNCTION = typeRule('function');

/** What each option must be, in the order of the error messages. */
const OPTION_RULES: Readonly<Record<keyof SlackWebhookOptions, OptionRule>> = {
  timeoutMs: MS,
  deadlineMs: MS,
  backoffBaseMs: MS,
  backoffMaxMs: MS,
  maxAttempts: COUNT,
  maxRateLimitedAttempts: COUNT,
  keepAlive: typeRule('boolean'),
  now: FUNCTION,
  sleep: FUNCTION,
  random: FUNCTION,
};

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function redact(url: URL): string {
  return `${url.protocol}//${url.host}/…`;
}

function parseUrl(input: unknown): URL {
  const fail = (why: string): never => {
    throw new SlackNotifierError(
      'INVALID_WEBHOOK_URL',
      `Slack webhook URL is invalid: ${why}. Pass the full incoming-webhook URL (https://hooks.slack.com/services/T…/B…/…); the value is not shown because it is a secret.`,
    );
  };
  if (typeof input !== 'string' && !(input instanceof URL)) return fail(`expected a string, got ${input === null ? 'null' : typeof input}`);
  const text = String(input).trim();
  if (text === '') return fail('it is empty (is the environment variable set?)');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail(`scheme "${url.protocol}" is not https:`);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return fail('http: is allowed only for loopback hosts (a local sink); use https:');
  if (url.username || url.password) return fail('it must not contain user credentials');
  if (url.pathname === '/' || url.pathname === '') return fail('it has no path (the secret /services/… part is missing)');
  return url;
}

type ResolvedOptions = Required<Omit<SlackWebhookOptions, 'now' | 'sleep' | 'random' | 'maxRateLimitedAttempts'>> & { readonly maxRateLimitedAttempts?: number };

function validateOptions(options: SlackWebhookOptions): ResolvedOptions {
  const issues: string[] = [];
  for (const key of Object.keys(options)) if (!Object.hasOwn(OPTION_RULES, key)) issues.push(`${key}: unknown option`);
  checkOptionRules(options as Record<string, unknown>, OPTION_RULES, issues);
  throwOptionIssues('SlackWebhook', issues);
  return { ...OPTION_DEFAULTS, ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SlackWebhookOptions) } as ResolvedOptions;
}

/** Parses `Retry-After` (seconds, or an HTTP date) into ms; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function slackCode(status: number, body: string): SlackWebhookErrorCode {
  const trimmed = body.trim();
  if (/^[a-z][a-z0-9_]{0,79}$/.test(trimmed)) return trimmed;
  try {
    const parsed = JSON.parse(trimmed) as { error?: unknown };
    if (typeof parsed.error === 'string' && /^[a-z][a-z0-9_]{0,79}$/.test(parsed.error)) return parsed.error;
  } catch {
    /* not JSON */
  }
  return status === 429 ? 'RATE_LIMITED' : `HTTP_${status}`;
}

/**
 * Client of one Slack incoming webhook over `node:https` (no global `fetch`: its first use costs about
 * 200 ms in a new process). Non-2xx is failure. 429 waits `Retry-After` and retries; 5xx, timeouts and
 * connection errors retry with exponential backoff and jitter; other 4xx fail at once; nothing runs past
 * `deadlineMs`. The URL's secret path never appears in errors, `toString()`, `util.inspect` or JSON.
 *
 * A retry after a timeout can post a duplicate if Slack did process the timed-out request.
 *
 * @throws SlackNotifierError `INVALID_WEBHOOK_URL` or `INVALID_OPTIONS` from the constructor.
 *
 * @example
 * ```ts
 * import { SlackWebhook, toSlackMessage } from '@ecs-pulse/slack-notifier';
 *
 * const webhook = new SlackWebhook(process.env.SLACK_WEBHOOK_URL!, { deadlineMs: 20_000 });
 * const { attempts } = await webhook.send(toSlackMessage(alert));
 * ```
 */
export class SlackWebhook implements SlackTransport {
  readonly #url: URL;
  readonly #agent: HttpAgent;
  readonly #options: ResolvedOptions;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  /** The webhook redacted to scheme and host, e.g. `https://hooks.slack.com/…`. Safe to log. */
  readonly target: string;

  constructor(url: string | URL, options: SlackWebhookOptions = {}) {
    this.#url = parseUrl(url);
    this.#options = validateOptions(options ?? {});
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.target = redact(this.#url);
    const agentOptions = { keepAlive: this.#options.keepAlive, maxSockets: 4 };
    this.#agent = this.#url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /**
   * Posts `message` (an object, or a JSON string) and resolves once Slack answered 2xx.
   *
   * @throws SlackWebhookError with Slack's code (`invalid_payload`, `channel_not_found`, …) or
   *   `RATE_LIMITED`, `TIMEOUT`, `CONNECTION_ERROR`, `HTTP_<status>`, `DEADLINE_EXCEEDED`.
   * @throws SlackNotifierError `INVALID_MESSAGE` when `message` cannot be serialized.
   *
   * @example
   * ```ts
   * const result = await webhook.send({ text: 'hello' });
   * console.log(result.attempts);
   * ```
   */
  async send(message: SlackMessage | string): Promise<SlackSendResult> {
    const body = this.#serialize(message);
    const { deadlineMs, timeoutMs } = this.#options;
    const start = this.#now();
    const deadline = start + deadlineMs;
    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - this.#now();
      if (remaining <= 0) throw this.#error('DEADLINE_EXCEEDED', undefined, attempt - 1, `no time left of deadlineMs=${deadlineMs}`);
      const attemptTimeout = Math.min(timeoutMs, remaining);
      const outcome = await this.#attempt(body, attemptTimeout);

      let code: SlackWebhookErrorCode;
      let status: number | undefined;
      let waitMs: number | undefined; // the backoff unless Slack said how long to wait
      let cause: Error | undefined;
      let detail: string;
      if (outcome.kind === 'response') {
        status = outcome.status;
        if (status >= 200 && status < 300) return { attempts: attempt, status, rateLimited, elapsedMs: this.#now() - start };
        code = slackCode(status, outcome.body);
        if (status === 429) {
          rateLimited++;
          waitMs = parseRetryAfter(outcome.retryAfter, this.#now());
          detail = `rate limited (429${waitMs === undefined ? ', no Retry-After' : `, Retry-After ${outcome.retryAfter}s`})`;
          // Floored: `Retry-After: 0` must not make every attempt at once.
          if (waitMs !== undefined) waitMs = Math.max(waitMs, this.#options.backoffBaseMs);
        } else if (status >= 500) {
          detail = `server error ${status} ${code}`;
        } else {
          throw this.#error(code, status, attempt, `Slack rejected the message with ${status} ${code}${hint(code)}`, undefined, false);
        }
      } else if (outcome.kind === 'timeout') {
        code = 'TIMEOUT';
        if (attemptTimeout < timeoutMs) throw this.#error('DEADLINE_EXCEEDED', undefined, attempt, `no response before deadlineMs=${deadlineMs} ran out`);
        detail = `no response within timeoutMs=${timeoutMs}`;
      } else {
        code = 'CONNECTION_ERROR';
        cause = outcome.error;
        detail = `connection failed (${(cause as NodeJS.ErrnoException).code ?? cause.message})`;
      }
      waitMs ??= this.#backoff(attempt);

      const bound = this.#giveUp(status === 429, attempt, rateLimited);
      if (bound !== undefined) throw this.#error(code, status, attempt, `${detail}; gave up after ${bound}`, cause);
      if (this.#now() + waitMs >= deadline) {
        throw this.#error('DEADLINE_EXCEEDED', status, attempt, `${detail}; the next retry would start after ${Math.round(waitMs)} ms, past deadlineMs=${deadlineMs}`, cause);
      }
      await this.#sleep(waitMs);
    }
  }

  /**
   * Destroys pooled connections. Optional: idle sockets never keep the process alive.
   *
   * @example
   * ```ts
   * webhook.close();
   * ```
   */
  close(): void {
    this.#agent.destroy();
  }

  /**
   * The redacted target, never the secret path.
   *
   * @example
   * ```ts
   * String(webhook); // 'SlackWebhook(https://hooks.slack.com/…)'
   * ```
   */
  toString(): string {
    return `SlackWebhook(${this.target})`;
  }

  /**
   * JSON form without the secret path.
   *
   * @example
   * ```ts
   * JSON.stringify(webhook); // '{"target":"https://hooks.slack.com/…"}'
   * ```
   */
  toJSON(): { target: string } {
    return { target: this.target };
  }

  /** `util.inspect` form without the secret path. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  #serialize(message: SlackMessage | string): string {
    if (typeof message === 'string') {
      try {
        JSON.parse(message);
      } catch (error) {
        throw new SlackNotifierError('INVALID_MESSAGE', 'send() was given a string that is not JSON; pass a message object or its JSON text.', { cause: error });
      }
      return message;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new SlackNotifierError('INVALID_MESSAGE', `send() needs a Slack message object ({ text, blocks? }); got ${message === null ? 'null' : Array.isArray(message) ? 'an array' : typeof message}.`);
    }
    try {
      return JSON.stringify(message);
    } catch (error) {
      throw new SlackNotifierError('INVALID_MESSAGE', 'send() could not serialize the message to JSON (circular or BigInt value?).', { cause: error });
    }
  }

  /** The bound (`name=value`) a failed attempt has reached, or `undefined` when it may be retried. */
  #giveUp(wasRateLimited: boolean, attempt: number, rateLimited: number): string | undefined {
    const { maxAttempts, maxRateLimitedAttempts } = this.#options;
    if (maxRateLimitedAttempts === undefined) return attempt >= maxAttempts ? `maxAttempts=${maxAttempts}` : undefined;
    if (wasRateLimited) return attempt >= maxRateLimitedAttempts ? `maxRateLimitedAttempts=${maxRateLimitedAttempts}` : undefined;
    if (attempt - rateLimited >= maxAttempts) return `maxAttempts=${maxAttempts}`;
    if (attempt >= Math.max(maxAttempts, maxRateLimitedAttempts)) return `maxRateLimitedAttempts=${maxRateLimitedAttempts}`;
    return undefined;
  }

  #backoff(attempt: number): number {
    const full = Math.min(this.#options.backoffMaxMs, this.#options.backoffBaseMs * 2 ** (attempt - 1));
    return full / 2 + this.#random() * (full / 2);
  }

  /** `retryable` is false only for a rejection (4xx other than 429); every other failure is transient. */
  #error(code: SlackWebhookErrorCode, status: number | undefined, attempts: number, detail: string, cause?: Error, retryable = true): SlackWebhookError {
    return new SlackWebhookError(
      { code, status, attempts, retryable, webhook: this.target },
      `Slack webhook ${this.target} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${detail}.`,
      cause ? { cause: scrub(cause, this.#url) } : undefined,
    );
  }

  #attempt(body: string, timeoutMs: number): Promise<AttemptOutcome> {
    return httpAttempt(this.#url, this.#agent, 'POST', { 'content-type': 'application/json; charset=utf-8' }, body, timeoutMs);
  }
}

const REVOKED = 'the webhook was revoked or disabled; create a new one';

/** How to fix the Slack error codes that have a known fix. */
const HINTS: Readonly<Record<string, string>> = {
  invalid_payload: 'the JSON does not match what Slack accepts; check it with validateSlackMessage()',
  channel_not_found: 'the channel of this webhook was deleted or the app removed; create a new webhook',
  channel_is_archived: 'unarchive the channel or point the webhook elsewhere',
  action_prohibited: 'a workspace admin restricted posting to this channel',
  no_service: REVOKED,
  no_active_hooks: REVOKED,
  invalid_token: REVOKED,
};

function hint(code: string): string {
  return Object.hasOwn(HINTS, code) ? ` (${HINTS[code]})` : '';
}

/** Node errors may carry request details; make sure no copy of the secret path leaks through `cause`. */
function scrub(error: Error, url: URL): Error {
  const secret = url.pathname;
  if (!secret || secret === '/') return error;
  const clean = (v: string): string => v.split(url.href).join(redact(url)).split(secret).join('/…');
  if (error.message.includes(secret) || (error.stack ?? '').includes(secret)) {
    const copy = new Error(clean(error.message));
    copy.name = error.name;
    copy.stack = clean(error.stack ?? '');
    const code = (error as NodeJS.ErrnoException).code;
    if (code) (copy as NodeJS.ErrnoException).code = code;
    return copy;
  }
  return error;
}
