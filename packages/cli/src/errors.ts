import { redact } from './redact.js';

const BRAND = Symbol.for('@ecs-pulse/cli.CliError');

/**
 * Process exit codes of `ecs-pulse`. Documented in the README; stable across minor versions.
 *
 * @example
 * ```ts
 * import { ExitCode } from '@ecs-pulse/cli';
 * if (code === ExitCode.MissingDependency) console.error('install terraform or set credentials');
 * ```
 */
export const ExitCode = {
  /** Success. */
  Ok: 0,
  /** Any failure not covered below (a subprocess failed, a file could not be read, ...). */
  Failure: 1,
  /** Bad usage: unknown command or option, invalid option value. */
  Usage: 2,
  /** A required tool (terraform, ssh) or Alibaba Cloud credentials are missing. */
  MissingDependency: 3,
  /** An Alibaba Cloud API call failed (after retries), wrong region, access denied. */
  CloudApi: 4,
  /** The remote test or command failed, or a result crossed a threshold. */
  TestFailed: 5,
  /** Delivery to Slack failed. */
  SlackFailed: 6,
} as const;

/**
 * One of the {@link ExitCode} values.
 *
 * @example
 * ```ts
 * import type { ExitCodeValue } from '@ecs-pulse/cli';
 * ```
 */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Stable error codes of {@link CliError}.
 *
 * @example
 * ```ts
 * const code: CliErrorCode = 'TERRAFORM_NOT_FOUND';
 * ```
 */
export type CliErrorCode =
  | 'USAGE'
  | 'APP_NOT_FOUND'
  | 'TERRAFORM_NOT_FOUND'
  | 'TOOL_NOT_FOUND'
  | 'SUBPROCESS_FAILED'
  | 'STACK_NOT_FOUND'
  | 'STACK_OUTPUTS'
  | 'KEY_FILE'
  | 'FILE_NOT_FOUND'
  | 'CREDENTIALS_MISSING'
  | 'INVALID_REGION'
  | 'THROTTLED'
  | 'CLOUD_API'
  | 'REMOTE_COMMAND_FAILED'
  | 'REMOTE_TIMEOUT'
  | 'RESULT_PARSE_FAILED'
  | 'SLACK_FAILED'
  | 'EVENT_INVALID'
  | 'REGRESSION';

const DEFAULT_EXIT: Record<CliErrorCode, ExitCodeValue> = {
  USAGE: ExitCode.Usage,
  APP_NOT_FOUND: ExitCode.Usage,
  TERRAFORM_NOT_FOUND: ExitCode.MissingDependency,
  TOOL_NOT_FOUND: ExitCode.MissingDependency,
  SUBPROCESS_FAILED: ExitCode.Failure,
  STACK_NOT_FOUND: ExitCode.Failure,
  STACK_OUTPUTS: ExitCode.Failure,
  KEY_FILE: ExitCode.Failure,
  FILE_NOT_FOUND: ExitCode.Failure,
  CREDENTIALS_MISSING: ExitCode.MissingDependency,
  INVALID_REGION: ExitCode.CloudApi,
  THROTTLED: ExitCode.CloudApi,
  CLOUD_API: ExitCode.CloudApi,
  REMOTE_COMMAND_FAILED: ExitCode.TestFailed,
  REMOTE_TIMEOUT: ExitCode.TestFailed,
  RESULT_PARSE_FAILED: ExitCode.TestFailed,
  SLACK_FAILED: ExitCode.SlackFailed,
  EVENT_INVALID: ExitCode.Failure,
  REGRESSION: ExitCode.Failure,
};

/**
 * Options of {@link CliError}.
 *
 * @example
 * ```ts
 * import type { CliErrorOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface CliErrorOptions {
  /** The underlying error. @default - none */
  readonly cause?: unknown;
  /** Override the exit code. @default - the code's default exit code */
  readonly exitCode?: ExitCodeValue;
  /**
   * Append the cause's message to the message (`(cause: …)`). Turn it off when the message already says
   * everything and the cause is noise (an SDK's raw chain of errors).
   * @default true
   */
  readonly showCause?: boolean;
}

/**
 * The one error class of `@ecs-pulse/cli`. Commands throw it; the entry point prints its message
 * (secrets redacted) and exits with its `exitCode`. Check with {@link CliError.isCliError}, which
 * survives duplicate installs.
 *
 * @example
 * ```ts
 * try { await deploy({ app: './infra' }); }
 * catch (e) { if (CliError.isCliError(e)) console.error(e.code, e.exitCode); }
 * ```
 */
export class CliError extends Error {
  /** Stable error code. */
  public readonly code: CliErrorCode;
  /** Exit code the entry point uses. */
  public readonly exitCode: ExitCodeValue;
  /** @internal brand */
  private readonly [BRAND] = true;

  constructor(code: CliErrorCode, message: string, options: CliErrorOptions = {}) {
    const causeText =
      options.cause instanceof Error ? options.cause.message : options.cause === undefined ? '' : String(options.cause);
    const full = options.showCause !== false && causeText && !message.includes(causeText) ? `${message} (cause: ${causeText})` : message;
    super(redact(full), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = options.exitCode ?? DEFAULT_EXIT[code];
  }

  /**
   * True when `value` is a {@link CliError} from any copy of this package.
   *
   * @example
   * ```ts
   * if (CliError.isCliError(err)) process.exitCode = err.exitCode;
   * ```
   */
  static isCliError(value: unknown): value is CliError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
