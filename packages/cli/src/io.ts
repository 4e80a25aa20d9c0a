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
  const interactive = stderr.isTTY === true && !json && env.CI === undefined;
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

function lineProgress(text: string, stderr: Writer, paint: Paint, quiet: boolean): Progress {
  const say = (line: string): void => {
    if (!quiet) stderr.write(`${redact(line)}\n`);
  };
  say(paint.dim(`… ${text}`));
  let last = text;
  return {
    update: (t) => {
      if (t !== last) say(paint.dim(`… ${t}`));
      last = t;
    },
    succeed: (t) => say(`${paint.green('✔')} ${t ?? last}`),
    fail: (t) => say(`${paint.red('✖')} ${t ?? last}`),
    stop: () => undefined,
  };
}

function spinnerProgress(text: string, stderr: Writer): Progress {
  let current = text;
  const spinner = createSpinner(redact(text), { stream: stderr as NodeJS.WriteStream }).start();
  return {
    update: (t) => {
      current = t;
      spinner.update({ text: redact(t) });
    },
    succeed: (t) => void spinner.success({ text: redact(t ?? current) }),
    fail: (t) => void spinner.error({ text: redact(t ?? current) }),
    stop: () => void spinner.stop(),
  };
}
