const NOTIFIER_ERROR_BRAND = Symbol.for('@ecs-pulse/slack-notifier.SlackNotifierError');
const WEBHOOK_ERROR_BRAND = Symbol.for('@ecs-pulse/slack-notifier.SlackWebhookError');
const API_ERROR_BRAND = Symbol.for('@ecs-pulse/slack-notifier.SlackApiError');

/**
 * Stable codes of {@link SlackNotifierError} raised by this package itself (not by Slack).
 *
 * - `INVALID_WEBHOOK_URL`: the webhook URL given to {@link SlackWebhook} is not an absolute `https:` URL
 *   (`http:` is accepted for loopback hosts only).
 * - `INVALID_OPTIONS`: an options object has unknown keys or values of the wrong type.
 * - `INVALID_MESSAGE`: `send()` was given something that is not a Slack message object or JSON string.
 * - `NO_ALERTS`: `toSlackMessage([])` (there is nothing to render).
 * - `SEND_FAILED`: a custom transport given to `RateLimitedSender` threw something that is not a notifier error
 *   (the original is the `cause`).
 * - `SINK_ERROR`: the local Slack sink could not start.
 * - `INVALID_TOKEN`: the bot token given to `SlackWebApi` is not a Slack token (`xoxb-…`, `xoxp-…`).
 * - `INVALID_API_URL`: the Web API base URL (`baseUrl` or `SLACK_API_URL`) is not an `https:` URL
 *   (`http:` is accepted for loopback hosts only).
 *
 * @example
 * ```ts
 * if (SlackNotifierError.isSlackNotifierError(err) && err.code === 'INVALID_OPTIONS') console.error(err.message);
 * ```
 */
export type SlackNotifierErrorCode =
  | 'INVALID_WEBHOOK_URL'
  | 'INVALID_OPTIONS'
  | 'INVALID_MESSAGE'
  | 'NO_ALERTS'
  | 'SEND_FAILED'
  | 'SINK_ERROR'
  | 'INVALID_TOKEN'
  | 'INVALID_API_URL';

/**
 * Codes of {@link SlackWebhookError}. Slack's own error strings (the plain-text response body, e.g.
 * `invalid_payload`, `channel_not_found`, `channel_is_archived`, `action_prohibited`, `rollup_error`)
 * are passed through in lower case; failures that have no Slack body use these upper-case codes:
 *
 * - `RATE_LIMITED`: HTTP 429 and the retries were exhausted.
 * - `HTTP_<status>`: a non-2xx response with an empty or non-text body.
 * - `TIMEOUT`: no complete response within `timeoutMs` (the last attempt).
 * - `CONNECTION_ERROR`: connection refused/reset/dropped before a response.
 * - `DEADLINE_EXCEEDED`: the next attempt (or the wait before it) would end after `deadlineMs`.
 *
 * @example
 * ```ts
 * if (SlackWebhookError.isSlackWebhookError(err) && err.code === 'channel_not_found') disableRoute();
 * ```
 */
export type SlackWebhookErrorCode =
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'CONNECTION_ERROR'
  | 'DEADLINE_EXCEEDED'
  | `HTTP_${number}`
  | (string & {});

/** True when `value` is an object marked with `brand` (works across duplicate installs, unlike `instanceof`). */
function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** Marks `error` with `brand` (non-enumerable, so it never shows in logs or JSON). */
function addBrand(error: Error, brand: symbol): void {
  Object.defineProperty(error, brand, { value: true });
}

function summarizeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return typeof cause === 'string' ? cause : '';
}

/**
 * Base class of every error thrown by `@ecs-pulse/slack-notifier`. Carries a stable `code` and an
 * ES2022 `cause`; the message ends with a summary of the cause. Use {@link SlackNotifierError.isSlackNotifierError}
 * rather than `instanceof` so the check survives duplicate installs.
 *
 * @example
 * ```ts
 * try {
 *   new SlackWebhook('not a url');
 * } catch (error) {
 *   if (SlackNotifierError.isSlackNotifierError(error)) console.error(error.code); // INVALID_WEBHOOK_URL
 * }
 * ```
 */
export class SlackNotifierError extends Error {
  /** Stable machine-readable code, see {@link SlackNotifierErrorCode} and {@link SlackWebhookErrorCode}. */
  readonly code: string;
  /** The package that raised the error (useful when errors from several packages meet in one log). */
  readonly package = '@ecs-pulse/slack-notifier';

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    const causeSummary = options?.cause === undefined ? '' : summarizeCause(options.cause);
    super(causeSummary ? `${message} (cause: ${causeSummary})` : message, options);
    this.name = 'SlackNotifierError';
    this.code = code;
    addBrand(this, NOTIFIER_ERROR_BRAND);
  }

  /**
   * True when `value` is a {@link SlackNotifierError} (or a subclass), from any copy of this package.
   *
   * @example
   * ```ts
   * if (SlackNotifierError.isSlackNotifierError(error)) console.log(error.code);
   * ```
   */
  static isSlackNotifierError(value: unknown): value is SlackNotifierError {
    return hasBrand(value, NOTIFIER_ERROR_BRAND);
  }
}

/**
 * Delivery to a Slack incoming webhook failed. `status` is the HTTP status of the last response
 * (undefined when no response arrived), `code` is Slack's error string or one of the upper-case codes in
 * {@link SlackWebhookErrorCode}, `attempts` counts the HTTP requests made, and `retryable` says whether the
 * final failure was transient (429, 5xx, timeout, connection), i.e. whether trying again later may help.
 * The message names the webhook only as scheme + host (`webhook`), never its secret path.
 *
 * @example
 * ```ts
 * try {
 *   await webhook.send(message);
 * } catch (error) {
 *   if (SlackWebhookError.isSlackWebhookError(error) && error.code === 'channel_not_found') {
 *     // the channel was deleted: fix the webhook, retrying will not help
 *   }
 * }
 * ```
 */
export class SlackWebhookError extends SlackNotifierError {
  /** HTTP status of the last response, or `undefined` when none arrived (timeout, connection error). */
  readonly status: number | undefined;
  /** Number of HTTP requests made before giving up. */
  readonly attempts: number;
  /** Whether the final failure was transient (429, 5xx, timeout, connection error). */
  readonly retryable: boolean;
  /** The webhook, redacted to scheme and host (`https://hooks.slack.com/…`). */
  readonly webhook: string;
  declare readonly code: SlackWebhookErrorCode;

  constructor(
    details: {
      readonly code: SlackWebhookErrorCode;
      readonly status: number | undefined;
      readonly attempts: number;
      readonly retryable: boolean;
      readonly webhook: string;
    },
    message: string,
    options?: { cause?: unknown },
  ) {
    super(details.code, message, options);
    this.name = 'SlackWebhookError';
    this.status = details.status;
    this.attempts = details.attempts;
    this.retryable = details.retryable;
    this.webhook = details.webhook;
    addBrand(this, WEBHOOK_ERROR_BRAND);
  }

  /**
   * True when `value` is a {@link SlackWebhookError}, from any copy of this package.
   *
   * @example
   * ```ts
   * if (SlackWebhookError.isSlackWebhookError(error)) console.log(error.status, error.code);
   * ```
   */
  static isSlackWebhookError(value: unknown): value is SlackWebhookError {
    return hasBrand(value, WEBHOOK_ERROR_BRAND);
  }
}

/**
 * A Slack Web API call failed. `code` is Slack's `error` name from an `ok: false` answer (`channel_not_found`,
 * `not_in_channel`, `invalid_auth`, `token_revoked`, `ratelimited`, `msg_too_long`, …) or one of the upper-case
 * transport codes of {@link SlackWebhookErrorCode} (`TIMEOUT`, `CONNECTION_ERROR`, `DEADLINE_EXCEEDED`,
 * `HTTP_<status>`). `retryable` says whether trying again later may help; `hint` says how to fix the cause when
 * it is known. Neither the message nor any property ever contains the bot token.
 *
 * @example
 * ```ts
 * try {
 *   await api.postMessage({ channel: 'C0123ABCD', text: 'hello' });
 * } catch (error) {
 *   if (SlackApiError.isSlackApiError(error) && error.code === 'not_in_channel') console.error(error.hint);
 * }
 * ```
 */
export class SlackApiError extends SlackNotifierError {
  /** The Web API method, e.g. `chat.postMessage`. */
  readonly method: string;
  /** HTTP status of the last response, or `undefined` when none arrived. */
  readonly status: number | undefined;
  /** HTTP requests made for this call (0 when a known rate limit stopped it before any request). */
  readonly attempts: number;
  /** Whether the failure was transient (rate limit, 5xx, timeout, connection, Slack-side error). */
  readonly retryable: boolean;
  /** How to fix the cause, or `''` when there is no known fix. */
  readonly hint: string;
  declare readonly code: SlackWebhookErrorCode;

  constructor(
    details: { readonly code: SlackWebhookErrorCode; readonly method: string; readonly status: number | undefined; readonly attempts: number; readonly retryable: boolean; readonly hint: string },
    message: string,
    options?: { cause?: unknown },
  ) {
    super(details.code, message, options);
    this.name = 'SlackApiError';
    this.method = details.method;
    this.status = details.status;
    this.attempts = details.attempts;
    this.retryable = details.retryable;
    this.hint = details.hint;
    addBrand(this, API_ERROR_BRAND);
  }

  /**
   * True when `value` is a {@link SlackApiError}, from any copy of this package.
   *
   * @example
   * ```ts
   * if (SlackApiError.isSlackApiError(error) && !error.retryable) disableRoute(error.hint);
   * ```
   */
  static isSlackApiError(value: unknown): value is SlackApiError {
    return hasBrand(value, API_ERROR_BRAND);
  }
}
