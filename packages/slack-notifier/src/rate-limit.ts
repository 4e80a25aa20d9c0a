import { SlackNotifierError, SlackWebhookError } from './errors.js';
import type { SlackMessage } from './types.js';
import type { SlackSendResult, SlackTransport } from './webhook.js';

/**
 * Options of {@link RateLimitedSender}. Unknown keys are rejected with `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * const options: RateLimitedSenderOptions = { ratePerSecond: 1, burst: 3 };
 * ```
 */
export interface RateLimitedSenderOptions {
  /**
   * Sustained messages per second (Slack: about one per second per webhook).
   * @default 1
   */
  readonly ratePerSecond?: number;
  /**
   * Messages that may go out back to back before the rate applies (a short burst).
   * @default 3
   */
  readonly burst?: number;
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
}

/**
 * What happened to one message given to {@link RateLimitedSender.send}. Failures are reported here, never
 * swallowed and never thrown.
 *
 * @example
 * ```ts
 * const outcome = await sender.send(message);
 * if (!outcome.ok) console.error(outcome.error.code);
 * ```
 */
export type SendOutcome =
  | { readonly ok: true; readonly result: SlackSendResult; readonly waitedMs: number }
  | { readonly ok: false; readonly error: SlackNotifierError; readonly waitedMs: number };

/**
 * Counters of a {@link RateLimitedSender}.
 *
 * @example
 * ```ts
 * const { sent, failed, rateLimited } = sender.stats;
 * ```
 */
export interface SenderStats {
  /** Messages delivered. */
  readonly sent: number;
  /** Messages that failed for good. */
  readonly failed: number;
  /** 429 responses seen (each was waited out and retried by the transport). */
  readonly rateLimited: number;
  /** Messages waiting for their turn. */
  readonly queued: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends messages one at a time, in order, through a token bucket (`burst` tokens, refilled at
 * `ratePerSecond`), so a burst of messages stays under Slack's ~1 message/second per webhook instead of
 * collecting 429s. When the transport still reports 429s the bucket is emptied, so the next message waits a
 * full interval.
 *
 * @example
 * ```ts
 * import { RateLimitedSender, SlackWebhook } from '@ecs-pulse/slack-notifier';
 *
 * const sender = new RateLimitedSender(new SlackWebhook(url), { ratePerSecond: 1, burst: 3 });
 * const outcomes = await Promise.all(messages.map((m) => sender.send(m)));
 * ```
 */
export class RateLimitedSender {
  readonly #transport: SlackTransport;
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #tokens: number;
  #last: number;
  #tail: Promise<unknown> = Promise.resolve();
  #sent = 0;
  #failed = 0;
  #rateLimited = 0;
  #queued = 0;

  constructor(transport: SlackTransport, options: RateLimitedSenderOptions = {}) {
    const issues: string[] = [];
    if (!transport || typeof transport.send !== 'function') issues.push('transport: must have a send(message) method (e.g. a SlackWebhook)');
    const known = new Set(['ratePerSecond', 'burst', 'now', 'sleep']);
    for (const key of Object.keys(options ?? {})) if (!known.has(key)) issues.push(`${key}: unknown option`);
    const rate = options.ratePerSecond ?? 1;
    const burst = options.burst ?? 3;
    if (typeof rate !== 'number' || !(rate > 0) || !Number.isFinite(rate)) issues.push('ratePerSecond: must be a positive number');
    if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) issues.push('burst: must be an integer ≥ 1');
    if (issues.length) throw new SlackNotifierError('INVALID_OPTIONS', `Invalid RateLimitedSender options:\n- ${issues.join('\n- ')}`);
    this.#transport = transport;
    this.#rate = rate;
    this.#burst = burst;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#tokens = burst;
    this.#last = this.#now();
  }

  /**
   * Current counters.
   *
   * @example
   * ```ts
   * console.log(sender.stats.sent);
   * ```
   */
  get stats(): SenderStats {
    return { sent: this.#sent, failed: this.#failed, rateLimited: this.#rateLimited, queued: this.#queued };
  }

  /**
   * Queues a message; resolves with its {@link SendOutcome} once delivered or failed for good. Pass a
   * function to build the message only when its turn comes (see {@link AlertDigestQueue}).
   *
   * @example
   * ```ts
   * const outcome = await sender.send({ text: 'hello' });
   * ```
   */
  send(message: SlackMessage | string | (() => SlackMessage | string)): Promise<SendOutcome> {
    this.#queued++;
    const run = this.#tail.then(() => this.#deliver(message));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #deliver(message: SlackMessage | string | (() => SlackMessage | string)): Promise<SendOutcome> {
    const waitedMs = await this.#takeToken();
    this.#queued--;
    try {
      const body = typeof message === 'function' ? message() : message;
      const result = await this.#transport.send(body);
      this.#sent++;
      if (result.rateLimited > 0) {
        this.#rateLimited += result.rateLimited;
        this.#tokens = 0;
        this.#last = this.#now();
      }
      return { ok: true, result, waitedMs };
    } catch (error) {
      this.#failed++;
      if (SlackWebhookError.isSlackWebhookError(error) && (error.status === 429 || error.code === 'RATE_LIMITED')) {
        this.#rateLimited++;
        this.#tokens = 0;
        this.#last = this.#now();
      }
      const wrapped = SlackNotifierError.isSlackNotifierError(error)
        ? error
        : new SlackNotifierError('SEND_FAILED', 'The transport threw a non-notifier error while sending.', { cause: error });
      return { ok: false, error: wrapped, waitedMs };
    }
  }

  async #takeToken(): Promise<number> {
    let waited = 0;
    for (;;) {
      const now = this.#now();
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
      this.#last = now;
      if (this.#tokens >= 1 - 1e-9) {
        this.#tokens -= 1;
        return waited;
      }
      const ms = Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
      waited += ms;
      await this.#sleep(ms);
    }
  }
}
