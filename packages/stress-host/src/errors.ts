const STRESS_HOST_ERROR_BRAND = Symbol.for('@ecs-pulse/stress-host.StressHostError');
const RESULT_PARSE_ERROR_BRAND = Symbol.for('@ecs-pulse/stress-host.ResultParseError');

/**
 * Stable codes carried by {@link StressHostError} when the construct's props are wrong.
 *
 * - `INVALID_PROPS`: one or more `StressHostProps` values are missing or malformed; `issues` lists each
 *   `props.<name>: <problem>` line.
 * - `INVALID_CLOUD_INIT_OPTIONS`: `renderCloudInit` got an option it cannot render safely.
 * - every {@link ResultParseErrorCode}.
 *
 * @example
 * ```ts
 * const code: StressHostErrorCode = 'INVALID_PROPS';
 * ```
 */
export type StressHostErrorCode = 'INVALID_PROPS' | 'INVALID_CLOUD_INIT_OPTIONS' | ResultParseErrorCode;

/**
 * Stable codes carried by {@link ResultParseError}.
 *
 * - `INVALID_INPUT`: the input is not a non-empty string.
 * - `INVALID_JSON`: the iperf3 output is not JSON (or is `--json-stream` output).
 * - `IPERF3_ERROR`: iperf3 itself reported a failure in its `"error"` key (iperf3 before 3.14 exits 0 then).
 * - `INVALID_IPERF3_RESULT`: JSON, but without the `start`/`end` fields of an iperf3 `-J` client result.
 * - `INVALID_YAML`: the stress-ng output is not YAML (or is stress-ng's text output).
 * - `MISSING_METRICS`: the stress-ng YAML has no `metrics` (run with `--metrics-brief` or `--metrics`).
 * - `INVALID_STRESS_NG_RESULT`: YAML, but not the shape stress-ng `--yaml` writes.
 * - `SOCKPERF_ERROR`: sockperf reported a failure (`ERROR:` line, or no message came back); sockperf 3.7
 *   exits 0 even then.
 * - `INVALID_SOCKPERF_RESULT`: text, but not a sockperf ping-pong summary.
 * - `INVALID_COUNTERS`: not a `/proc/net/dev` / `/proc/stat` snapshot, or two snapshots that do not pair up.
 *
 * @example
 * ```ts
 * const retryable = (code: ResultParseErrorCode) => code === 'IPERF3_ERROR';
 * ```
 */
export type ResultParseErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_JSON'
  | 'IPERF3_ERROR'
  | 'INVALID_IPERF3_RESULT'
  | 'INVALID_YAML'
  | 'MISSING_METRICS'
  | 'INVALID_STRESS_NG_RESULT'
  | 'SOCKPERF_ERROR'
  | 'INVALID_SOCKPERF_RESULT'
  | 'INVALID_COUNTERS';

/**
 * Options accepted by the {@link StressHostError} constructor.
 * @example
 * ```ts
 * new StressHostError('INVALID_PROPS', 'props.clients: ...', { issues: ['props.clients: ...'] });
 * ```
 */
export interface StressHostErrorOptions {
  /** The underlying error, kept as the ES2022 `cause`. @default - none */
  readonly cause?: unknown;
  /** Individual problems, one `path: message` line each. @default [] */
  readonly issues?: readonly string[];
}

/**
 * The base class of every error thrown by `@ecs-pulse/stress-host`.
 *
 * Check with {@link StressHostError.isStressHostError} rather than `instanceof`: the brand survives
 * duplicate installs of the package.
 *
 * @example
 * ```ts
 * try {
 *   new StressHost(stack, 'host', { allowedCidrs: ['not-a-cidr'] });
 * } catch (err) {
 *   if (StressHostError.isStressHostError(err)) console.error(err.code, err.issues);
 * }
 * ```
 */
export class StressHostError extends Error {
  /** A stable, machine-readable code. */
  public readonly code: StressHostErrorCode;
  /** Individual problems, one `path: message` line each (empty when the message says it all). */
  public readonly issues: readonly string[];

  /**
   * @param code - a stable code from {@link StressHostErrorCode}
   * @param message - what was wrong, where, and how to fix it
   * @param options - `cause` and `issues`
   */
  public constructor(code: StressHostErrorCode, message: string, options: StressHostErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StressHostError';
    this.code = code;
    this.issues = options.issues ?? [];
    Object.defineProperty(this, STRESS_HOST_ERROR_BRAND, { value: true });
  }

  /**
   * Whether `x` is a {@link StressHostError} (or a subclass), checked by brand, not `instanceof`.
   *
   * @example
   * ```ts
   * if (StressHostError.isStressHostError(err)) console.error(err.code);
   * ```
   */
  public static isStressHostError(x: unknown): x is StressHostError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[STRESS_HOST_ERROR_BRAND] === true;
  }
}

/**
 * Options accepted by the {@link ResultParseError} constructor.
 * @example
 * ```ts
 * new ResultParseError('IPERF3_ERROR', 'iperf3 reported an error: ...', { toolMessage: 'the server is busy' });
 * ```
 */
export interface ResultParseErrorOptions {
  /** The underlying error, kept as the ES2022 `cause`. @default - none */
  readonly cause?: unknown;
  /** The tool's own error text (iperf3's `"error"` value). @default - none */
  readonly toolMessage?: string;
}

/**
 * Thrown by `parseIperf3` and `parseStressNg` for anything that is not a usable result: never a
 * `TypeError`. iperf3's own failure text (for example `unable to connect to server: Connection refused`)
 * is kept in `toolMessage` and repeated in `message`.
 *
 * @example
 * ```ts
 * try {
 *   parseIperf3(output);
 * } catch (err) {
 *   if (ResultParseError.isResultParseError(err) && err.code === 'IPERF3_ERROR') {
 *     console.error('iperf3 failed:', err.toolMessage);
 *   }
 * }
 * ```
 */
export class ResultParseError extends StressHostError {
  /** @inheritdoc */
  public declare readonly code: ResultParseErrorCode;
  /** The tool's own error text when the tool reported a failure (iperf3 `"error"`), else `undefined`. */
  public readonly toolMessage: string | undefined;

  /**
   * @param code - a stable code from {@link ResultParseErrorCode}
   * @param message - what was wrong, where, and how to fix it
   * @param options - `cause` and `toolMessage`
   */
  public constructor(code: ResultParseErrorCode, message: string, options: ResultParseErrorOptions = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.name = 'ResultParseError';
    this.toolMessage = options.toolMessage;
    Object.defineProperty(this, RESULT_PARSE_ERROR_BRAND, { value: true });
  }

  /**
   * Whether `x` is a {@link ResultParseError}, checked by brand, not `instanceof`.
   *
   * @example
   * ```ts
   * const result = safeParseIperf3(text);
   * if (!result.success && ResultParseError.isResultParseError(result.error)) console.error(result.error.code);
   * ```
   */
  public static isResultParseError(x: unknown): x is ResultParseError {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[RESULT_PARSE_ERROR_BRAND] === true;
  }
}
