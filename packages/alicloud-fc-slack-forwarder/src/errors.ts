const PACKAGE = '@ecs-pulse/alicloud-fc-slack-forwarder';
const BRAND = Symbol.for(`${PACKAGE}.SlackForwarderError`);

/**
 * Stable codes of {@link SlackForwarderError}.
 *
 * | code | raised by | meaning |
 * |---|---|---|
 * | `INVALID_PROPS` | the construct | a `SlackForwarderProps` value is wrong (the message names the prop and the fix) |
 * | `ASSET_NOT_FOUND` | the construct | the bundled function (`dist/function.zip`) is missing: the package was not built |
 * | `INVALID_CONFIG` | the function | an environment variable or `ECS_PULSE_CONFIG` is wrong (the function fails closed) |
 * | `DELIVERY_FAILED` | the function | Slack did not accept a message after the notifier's retries (FC retries the event) |
 *
 * @example
 * ```ts
 * import type { SlackForwarderErrorCode } from '@ecs-pulse/alicloud-fc-slack-forwarder';
 *
 * const code: SlackForwarderErrorCode = 'INVALID_PROPS';
 * ```
 */
export type SlackForwarderErrorCode = 'INVALID_PROPS' | 'ASSET_NOT_FOUND' | 'INVALID_CONFIG' | 'DELIVERY_FAILED';

/** `1 alert`, `2 alerts`. */
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function summarizeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return typeof cause === 'string' ? cause : '';
}

/**
 * The one error base class of `@ecs-pulse/alicloud-fc-slack-forwarder`, for the construct and the bundled
 * function alike. It carries a stable {@link SlackForwarderErrorCode}, an ES2022 `cause` (whose summary is
 * appended to the message) and a brand, so {@link SlackForwarderError.isSlackForwarderError} works across
 * duplicate installs where `instanceof` does not. Messages never contain a webhook URL or a token.
 *
 * @example
 * ```ts
 * import { SlackForwarder, SlackForwarderError } from '@ecs-pulse/alicloud-fc-slack-forwarder';
 *
 * try {
 *   new SlackForwarder(stack, 'alerts', { fcVersion: 4 as never });
 * } catch (error) {
 *   if (SlackForwarderError.isSlackForwarderError(error)) console.error(error.code); // INVALID_PROPS
 * }
 * ```
 */
export class SlackForwarderError extends Error {
  /** Stable machine-readable code. */
  readonly code: SlackForwarderErrorCode;
  /** The package that raised the error, for logs that aggregate several packages. */
  readonly package = PACKAGE;

  /**
   * @param code - stable error code
   * @param message - what was wrong, where, and how to fix it (no secrets)
   * @param options - ES2022 `cause`
   *
   * @example
   * ```ts
   * throw new SlackForwarderError('INVALID_CONFIG', 'ECS_PULSE_CONFIG is not JSON. Fix: ...');
   * ```
   */
  constructor(code: SlackForwarderErrorCode, message: string, options?: { readonly cause?: unknown }) {
    const causeSummary = options?.cause === undefined ? '' : summarizeCause(options.cause);
    // Error reads `cause` from the options only when the key is present, as ES2022 specifies.
    super(causeSummary ? `${message} (cause: ${causeSummary})` : message, options);
    this.name = 'SlackForwarderError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /**
   * True when `value` is a {@link SlackForwarderError} (or a subclass) from any copy of this package.
   *
   * @example
   * ```ts
   * if (SlackForwarderError.isSlackForwarderError(error)) console.log(error.code);
   * ```
   */
  static isSlackForwarderError(value: unknown): value is SlackForwarderError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * A `SlackForwarderProps` value is invalid. `prop` names the offending prop (`functionName`,
 * `eventSource.products[1]`, ...); the message says how to fix it.
 *
 * @example
 * ```ts
 * try {
 *   new SlackForwarder(stack, 'alerts', { functionName: 'has spaces' });
 * } catch (error) {
 *   if (SlackForwarderError.isSlackForwarderError(error) && error.code === 'INVALID_PROPS') {
 *     console.error((error as SlackForwarderPropsError).prop); // functionName
 *   }
 * }
 * ```
 */
export class SlackForwarderPropsError extends SlackForwarderError {
  /** The prop path that is wrong, e.g. `functionName` or `eventSource.products[0]`. */
  readonly prop: string;

  /**
   * @param prop - the offending prop path
   * @param message - what is wrong and how to fix it
   *
   * @example
   * ```ts
   * throw new SlackForwarderPropsError('fcVersion', 'must be 3 or 2');
   * ```
   */
  constructor(prop: string, message: string) {
    super('INVALID_PROPS', `SlackForwarder prop "${prop}" ${message}`);
    this.name = 'SlackForwarderPropsError';
    this.prop = prop;
  }
}

/**
 * The function's configuration (environment variables, `ECS_PULSE_CONFIG`) is invalid. `issues` lists every
 * problem as `path: message`; the function logs them and fails closed (nothing is posted).
 *
 * @example
 * ```ts
 * const error = new ForwarderConfigError(['SLACK_WEBHOOK_URL: is not an https URL']);
 * error.issues; // ['SLACK_WEBHOOK_URL: is not an https URL']
 * ```
 */
export class ForwarderConfigError extends SlackForwarderError {
  /** Every problem found, as `path: message`. */
  readonly issues: readonly string[];

  /**
   * @param issues - every problem found, as `path: message`
   *
   * @example
   * ```ts
   * throw new ForwarderConfigError(['ECS_PULSE_CONFIG.routing: must be "first-match" or "all-matches"']);
   * ```
   */
  constructor(issues: readonly string[]) {
    super(
      'INVALID_CONFIG',
      `The forwarder is misconfigured (${count(issues.length, 'issue')}): ${issues.join('; ')}. ` +
        'Fix the environment variables SLACK_WEBHOOK_URL, ECS_PULSE_HTTP_TOKEN, ECS_PULSE_CONFIG; nothing is posted until then.',
    );
    this.name = 'ForwarderConfigError';
    this.issues = Object.freeze([...issues]);
  }
}

/**
 * One route's failure inside a {@link DeliveryError}.
 *
 * @example
 * ```ts
 * const failure: RouteFailure = { route: 'default', code: 'RATE_LIMITED', status: 429, retryable: true, alertIds: ['a1'] };
 * ```
 */
export interface RouteFailure {
  /** Route name (`default` for `SLACK_WEBHOOK_URL`). */
  readonly route: string;
  /** The notifier's error code (`RATE_LIMITED`, `TIMEOUT`, `channel_not_found`, ...). */
  readonly code: string;
  /** HTTP status of Slack's last response, when one arrived. */
  readonly status?: number;
  /** Whether trying again later may help (429, 5xx, timeout, connection error). */
  readonly retryable: boolean;
  /** Ids of the alerts that were not delivered on this route. */
  readonly alertIds: readonly string[];
}

/**
 * Slack did not accept one or more messages after the notifier's retries. Event invocations throw it so
 * Function Compute's async retry and on-failure destination take over; alerts that were delivered are
 * remembered and not posted again on the retry.
 *
 * @example
 * ```ts
 * try {
 *   await handler(event, context);
 * } catch (error) {
 *   if (SlackForwarderError.isSlackForwarderError(error) && error.code === 'DELIVERY_FAILED') {
 *     console.error((error as DeliveryError).failures);
 *   }
 * }
 * ```
 */
export class DeliveryError extends SlackForwarderError {
  /** One entry per route that failed. */
  readonly failures: readonly RouteFailure[];
  /**
   * Whether a retry may deliver what failed: true when any failure was transient (429, 5xx, timeout, the time
   * budget ran out), even if another route failed for good (a retry re-posts only the failed routes' alerts).
   */
  readonly retryable: boolean;

  /**
   * @param failures - the routes that failed
   * @param options - the first notifier error as `cause`
   *
   * @example
   * ```ts
   * throw new DeliveryError([{ route: 'default', code: 'TIMEOUT', retryable: true, alertIds: ['a'] }]);
   * ```
   */
  constructor(failures: readonly RouteFailure[], options?: { readonly cause?: unknown }) {
    const list = failures.map((f) => `${f.route} (${f.code}${f.status ? `, HTTP ${f.status}` : ''}, ${count(f.alertIds.length, 'alert')})`);
    super(
      'DELIVERY_FAILED',
      `Slack did not accept the message on route${failures.length === 1 ? '' : 's'} ${list.join(', ')}. ` +
        'Function Compute retries the event; if this persists, check the webhook and Slack status.',
      options,
    );
    this.name = 'DeliveryError';
    this.failures = Object.freeze([...failures]);
    this.retryable = failures.some((f) => f.retryable);
  }
}
