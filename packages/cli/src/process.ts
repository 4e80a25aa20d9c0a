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
  /** Live copy of the child's stdout (omit to only capture). */
  readonly stdout?: Writer;
  /** Live copy of the child's stderr (redacted). */
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
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      options.stdout?.write(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      options.stderr?.write(redact(chunk));
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? 1, signal, stdout: out, stderr: err }));
  });
}
