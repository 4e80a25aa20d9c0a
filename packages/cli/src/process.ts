import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { Writer } from './io.js';
import { redact } from './redact.js';

/**
 * Find an executable on `PATH` the way a shell would. Returns the absolute path or `undefined`.
 * @internal
 */
export function which(command: string, env: NodeJS.ProcessEnv): string | undefined {
  if (command.includes('/')) return isExecutable(command) ? command : undefined;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link runProcess}. @internal */
export interface RunProcessOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Live copy of the child's stdout (redacted line by line; omit to only capture). */
  readonly stdout?: Writer;
  /** Live copy of the child's stderr (redacted line by line). */
  readonly stderr?: Writer;
  /** Connect the child to this process's terminal (interactive prompts, ssh). */
  readonly inherit?: boolean;
  /** Run through `sh -c` (the command is one shell string). */
  readonly shell?: boolean;
}

/** What a finished child process left behind. @internal */
export interface ProcessResult {
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run a child process with live output, capturing stdout and stderr too. Rejects only when the
 * process cannot be started (`ENOENT` and friends); a non-zero exit is a normal result.
 * @internal
 */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      shell: options.shell === true,
      stdio: options.inherit === true ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const liveOut = options.stdout === undefined ? undefined : redactingLines(options.stdout);
    const liveErr = options.stderr === undefined ? undefined : redactingLines(options.stderr);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      liveOut?.write(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      liveErr?.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      liveOut?.end();
      liveErr?.end();
      resolve({ code: code ?? 1, signal, stdout: out, stderr: err });
    });
  });
}

/** Longest partial line held back before it is redacted and written anyway (a child printing no newline). @internal */
export const MAX_PENDING_LINE = 64 * 1024;

/**
 * A writer that redacts on line boundaries: a secret split across two writes of the child is whole
 * when its line is redacted. A partial line is held until its newline (or {@link MAX_PENDING_LINE}
 * characters, or `end()`), so live output is at most one line late.
 * @internal
 */
export function redactingLines(target: Writer): { write(chunk: string): void; end(): void } {
  let pending = '';
  return {
    write(chunk) {
      pending += chunk;
      const nl = pending.lastIndexOf('\n');
      if (nl >= 0) {
        target.write(redact(pending.slice(0, nl + 1)));
        pending = pending.slice(nl + 1);
      }
      if (pending.length > MAX_PENDING_LINE) {
        target.write(redact(pending));
        pending = '';
      }
    },
    end() {
      if (pending !== '') target.write(redact(pending));
      pending = '';
    },
  };
}
