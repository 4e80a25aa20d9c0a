/**
 * Every code an {@link EventParseError} can carry. Codes are stable: match on them, not on messages.
 *
 * | code | meaning |
 * |---|---|
 * | `EMPTY_INPUT` | nothing to parse: `''`, whitespace, `null`/`undefined`, an empty HTTP body |
 * | `INPUT_TOO_LARGE` | the input is larger than `maxInputBytes` |
 * | `INVALID_INPUT_TYPE` | the input is not a string, bytes or an object (e.g. a number) |
 * | `INVALID_JSON` | the text (or the HTTP body) is not valid JSON |
 * | `INVALID_FORM` | a form-urlencoded body has no `key=value` pairs |
 * | `INVALID_BASE64` | an HTTP-trigger body flagged `isBase64Encoded` is not valid base64 |
 * | `UNSUPPORTED_CONTENT_TYPE` | the content type (or its charset) is not one the parser reads |
 * | `UNKNOWN_FORMAT` | valid JSON/form, but not a payload of any supported family |
 * | `MISSING_FIELD` | the payload belongs to a family but lacks a field the alert needs |
 * | `INVALID_FIELD` | a field the alert needs has the wrong type (e.g. `name: 42`) |
 * | `INVALID_OPTIONS` | the options object has an unknown key or a value of the wrong type |
 * | `INTERNAL_ERROR` | an unexpected failure inside the parser (a bug, or a hostile object such as a throwing getter) |
 *
 * @example
 * ```ts
 * import { safeParse, type EventParseErrorCode } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const result = safeParse('');
 * const code: EventParseErrorCode | undefined = result.success ? undefined : result.error.code;
 * // code === 'EMPTY_INPUT'
 * ```
 */
export type EventParseErrorCode =
  | 'EMPTY_INPUT'
  | 'INPUT_TOO_LARGE'
  | 'INVALID_INPUT_TYPE'
  | 'INVALID_JSON'
  | 'INVALID_FORM'
  | 'INVALID_BASE64'
  | 'UNSUPPORTED_CONTENT_TYPE'
  | 'UNKNOWN_FORMAT'
  | 'MISSING_FIELD'
  | 'INVALID_FIELD'
  | 'INVALID_OPTIONS'
  | 'INTERNAL_ERROR';

/**
 * All {@link EventParseErrorCode} values, for exhaustive checks and documentation.
 *
 * @example
 * ```ts
 * import { EVENT_PARSE_ERROR_CODES } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * EVENT_PARSE_ERROR_CODES.includes('INVALID_JSON'); // true
 * ```
 */
export const EVENT_PARSE_ERROR_CODES: readonly EventParseErrorCode[] = /* @__PURE__ */ Object.freeze([ // pure: bundles that never read it drop it
  'EMPTY_INPUT',
  'INPUT_TOO_LARGE',
  'INVALID_INPUT_TYPE',
  'INVALID_JSON',
  'INVALID_FORM',
  'INVALID_BASE64',
  'UNSUPPORTED_CONTENT_TYPE',
  'UNKNOWN_FORMAT',
  'MISSING_FIELD',
  'INVALID_FIELD',
  'INVALID_OPTIONS',
  'INTERNAL_ERROR',
]);

/**
 * Extra, secret-free facts attached to an {@link EventParseError}.
 *
 * The error never carries the input itself nor a snippet of it: an HTTP-trigger envelope holds the
 * shared-secret query token and request headers, so echoing input into an error (and from there into logs)
 * would leak them. Log the raw input yourself, size-capped and redacted, if you need it.
 *
 * @example
 * ```ts
 * import type { EventParseErrorDetails } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const details: EventParseErrorDetails = { family: 'cloudmonitor-event', path: 'name' };
 * ```
 */
export interface EventParseErrorDetails {
  /**
   * The input family the parser recognised before failing.
   * @default undefined - not recognised
   */
  readonly family?: string;
  /**
   * Where in the payload the problem is, as a dotted path (`content`, `body`, `[2].type`).
   * @default undefined - the input as a whole
   */
  readonly path?: string;
  /**
   * Size of the offending input in bytes (UTF-8) or characters, when known.
   * @default undefined - not measured
   */
  readonly inputSize?: number;
  /**
   * Character offset of a JSON syntax error, when the JSON engine reported one.
   * @default undefined - not applicable
   */
  readonly position?: number;
}

const BRAND = Symbol.for('@ecs-pulse/cloudmonitor-event-parser.EventParseError');

/**
 * The one error type of this package. `parse` throws nothing else; `safeParse` returns it.
 *
 * The message says what was wrong, where, and how to fix it. It never contains input content
 * (see {@link EventParseErrorDetails}).
 *
 * @example
 * ```ts
 * import { parse, EventParseError } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * try {
 *   parse('{"foo":1}');
 * } catch (error) {
 *   if (EventParseError.isEventParseError(error)) {
 *     console.error(error.code, error.message); // UNKNOWN_FORMAT ...
 *   }
 * }
 * ```
 */
export class EventParseError extends Error {
  /** Always `'EventParseError'`. */
  override readonly name = 'EventParseError';
  /** Stable machine-readable code. */
  readonly code: EventParseErrorCode;
  /** Secret-free facts about where the problem is. */
  readonly details: EventParseErrorDetails;
  /** The package that raised the error, for logs that aggregate several packages. */
  readonly package = '@ecs-pulse/cloudmonitor-event-parser';

  /**
   * @param code - stable error code
   * @param message - what was wrong, where, and how to fix it
   * @param details - secret-free facts (family, path, size)
   * @param options - ES2022 `cause`
   *
   * @example
   * ```ts
   * import { EventParseError } from '@ecs-pulse/cloudmonitor-event-parser';
   *
   * throw new EventParseError('MISSING_FIELD', 'The event has no "name".', { path: 'name' });
   * ```
   */
  constructor(
    code: EventParseErrorCode,
    message: string,
    details: EventParseErrorDetails = {},
    options?: { readonly cause?: unknown },
  ) {
    // Error reads `cause` only when the key is present, exactly like the ES2022 constructor.
    super(message, options);
    this.code = code;
    this.details = Object.freeze({ ...details });
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /**
   * Brand check that works across duplicate installs and bundles (unlike `instanceof`).
   *
   * @example
   * ```ts
   * import { safeParse, EventParseError } from '@ecs-pulse/cloudmonitor-event-parser';
   *
   * const r = safeParse('not json');
   * if (!r.success && EventParseError.isEventParseError(r.error)) console.log(r.error.code);
   * ```
   */
  static isEventParseError(value: unknown): value is EventParseError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }
}
