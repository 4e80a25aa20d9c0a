import { createSpinner } from 'nanospinner';
import pc from 'picocolors';
import { redact } from './redact.js';

/**
 * Where a command writes: anything with `write(string)`, such as `process.stdout`.
 *
 * @example
 * ```ts
 * import type { Writer } from '@ecs-pulse/cli';
 * ```
 */
export interface Writer {
  write(chunk: string): unknown;
  /** True when the stream is a terminal. @default false */
  readonly isTTY?: boolean;
  /** Terminal width in columns (0 or absent: unknown, so progress is printed as plain lines). @default undefined */
  readonly columns?: number;
}

/**
 * Options every command accepts (all optional; defaults are the real process).
 *
 * @example
 * ```ts
 * import type { CommonOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface CommonOptions {
  /** Working directory. @default process.cwd() */
  readonly cwd?: string;
  /** Where data and results go. @default process.stdout */
  readonly stdout?: Writer;
  /** Where progress and diagnostics go. @default process.stderr */
  readonly stderr?: Writer;
  /** Environment variables. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Print machine-readable JSON on stdout instead of tables. @default false */
  readonly json?: boolean;
}

/** Small colour helper bound to whether colour is allowed. */
export type Paint = Pick<typeof pc, 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'gray' | 'magenta'>;

/** Resolved I/O of one command run. @internal */
export interface Io {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly json: boolean;
  readonly paint: Paint;
  /** Write a line to stdout. */
  out(line?: string): void;
  /** Write a line (redacted) to stderr. */
  err(line?: string): void;
  /** Start a progress indicator on stderr (only on a TTY and without --json). */
  progress(text: string): Progress;
}

/** A running progress indicator. @internal */
export interface Progress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

/** Whether colour should be used for a stream under an environment (NO_COLOR, FORCE_COLOR, TTY). @internal */
export function colorEnabled(stream: Writer, env: NodeJS.ProcessEnv): boolean {
  if ('NO_COLOR' in env && env.NO_COLOR !== undefined) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** Build the I/O of one command run from its options. @internal */
export function resolveIo(options: CommonOptions = {}): Io {
  const stdout: Writer = options.stdout ?? process.stdout;
  const stderr: Writer = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const paint: Paint = pc.createColors(colorEnabled(stdout, env));
  const errPaint = pc.createColors(colorEnabled(stderr, env));
  const json = options.json === true;
  // A spinner redraws lines it measures by the terminal width: without a known, positive width (under
  // `script`, some CI runners, `docker exec -t`) it cannot, so progress degrades to plain lines.
  const width = stderr.columns;
  const interactive = stderr.isTTY === true && !json && env.CI === undefined && typeof width === 'number' && Number.isFinite(width) && width > 0;
  return {
    cwd: options.cwd ?? process.cwd(),
    env,
    stdout,
    stderr,
    json,
    paint,
    out: (line = '') => void stdout.write(`${line}\n`),
    err: (line = '') => void stderr.write(`${redact(line)}\n`),
    progress: (text) => (interactive ? spinnerProgress(text, stderr) : lineProgress(text, stderr, errPaint, json)),
  };
}

/** Longest progress text written (characters); longer texts are cut with `…`. @internal */
export const PROGRESS_MAX_CHARS = 200;
/** Plain progress lines: `update` lines per second (a burst of as many, then this rate; the rest are skipped, the last text is kept for `succeed`). @internal */
export const PROGRESS_LINES_PER_SECOND = 4;

function clip(text: string, max: number): string {
  const one = text.replace(/[\r\n]+/g, ' ');
  return one.length <= max ? one : `${one.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * Progress as plain lines: the start line, then at most {@link PROGRESS_LINES_PER_SECOND} `update` lines a
 * second (token bucket) of at most {@link PROGRESS_MAX_CHARS} characters, then the result line, so a tight
 * loop of updates writes a bounded amount per second.
 */
function lineProgress(text: string, stderr: Writer, paint: Paint, quiet: boolean, now: () => number = Date.now): Progress {
  const say = (line: string): void => {
    if (!quiet) stderr.write(`${redact(line)}\n`);
  };
  say(paint.dim(`… ${clip(text, PROGRESS_MAX_CHARS)}`));
  let last = text;
  let tokens = PROGRESS_LINES_PER_SECOND;
  let refilled = now();
  return {
    update: (t) => {
      if (t === last) return;
      last = t;
      const at = now();
      tokens = Math.min(PROGRESS_LINES_PER_SECOND, tokens + ((at - refilled) / 1000) * PROGRESS_LINES_PER_SECOND);
      refilled = at;
      if (tokens < 1) return;
      tokens -= 1;
      say(paint.dim(`… ${clip(t, PROGRESS_MAX_CHARS)}`));
    },
    succeed: (t) => say(`${paint.green('✔')} ${clip(t ?? last, PROGRESS_MAX_CHARS)}`),
    fail: (t) => say(`${paint.red('✖')} ${clip(t ?? last, PROGRESS_MAX_CHARS)}`),
    stop: () => undefined,
  };
}

/**
 * A spinner (nanospinner, redrawn every 80 ms) whose text is cut to one terminal line, so each frame
 * is bounded (about `columns` bytes, 12.5 frames a second).
 */
function spinnerProgress(text: string, stderr: Writer): Progress {
  const width = Math.max(10, Math.min(stderr.columns ?? 80, PROGRESS_MAX_CHARS));
  const fit = (t: string): string => clip(redact(t), width - 3);
  let current = text;
  // nanospinner counts the lines to clear as ceil(length / columns): give it a width that is never 0
  // (a terminal resized to 0 columns mid-run would make that Infinity, and the clear loop endless).
  const stream = {
    write: (chunk: string) => stderr.write(chunk),
    get columns(): number {
      const c = stderr.columns;
      return typeof c === 'number' && Number.isFinite(c) && c > 0 ? c : 80;
    },
    isTTY: true,
  };
  const spinner = createSpinner(fit(text), { stream: stream as unknown as NodeJS.WriteStream, interval: 80 }).start();
  return {
    update: (t) => {
      current = t;
      spinner.update({ text: fit(t) });
    },
    // The final line is not redrawn: it may wrap, so it is cut only at PROGRESS_MAX_CHARS.
    succeed: (t) => void spinner.success({ text: clip(redact(t ?? current), PROGRESS_MAX_CHARS) }),
    fail: (t) => void spinner.error({ text: clip(redact(t ?? current), PROGRESS_MAX_CHARS) }),
    stop: () => void spinner.stop(),
  };
}
