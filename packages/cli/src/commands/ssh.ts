import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { resolveIo, type CommonOptions } from '../io.js';
import { M } from '../messages.js';
import { runProcess, which } from '../process.js';
import { loadStackInfo, type StackRef } from '../stack.js';

/**
 * Options of {@link ssh}.
 *
 * @example
 * ```ts
 * import type { SshOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface SshOptions extends CommonOptions, StackRef {
  /** Host (IP or name) to connect to. @default - the server's public IP from the stack outputs */
  readonly host?: string;
  /** Login user. @default - the stack's `ssh_user` output, else `root` */
  readonly user?: string;
  /** Private key file. @default - the stack's key file output */
  readonly key?: string;
  /** Run ssh instead of printing the command. @default false */
  readonly exec?: boolean;
  /** A remote command to run (the words after `--`). @default [] (interactive shell) */
  readonly command?: readonly string[];
}

/**
 * Result of {@link ssh}.
 *
 * @example
 * ```ts
 * import type { SshResult } from '@ecs-pulse/cli';
 * ```
 */
export interface SshResult {
  /** The ssh argument vector (`ssh`, options, `user@host`, command). */
  readonly argv: readonly string[];
  /** The same, quoted for a POSIX shell. */
  readonly commandLine: string;
  /** Whether the key file mode was changed to 0600. */
  readonly fixedKeyMode: boolean;
  /** ssh's exit code when run with `exec`. @default - not run */
  readonly exitCode?: number;
}

/** Quote one word for a POSIX shell. @internal */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Print (default) or run the ssh command for the stack's server: the right key (mode fixed to 0600
 * when it is looser), the right user and host.
 *
 * @example
 * ```ts
 * const { commandLine } = await ssh({ app: './infra' });
 * ```
 */
export async function ssh(options: SshOptions = {}): Promise<SshResult> {
  const io = resolveIo(options);
  // --host (with --user, --key) stands in for the stack: without --key, ssh uses its own keys and agent.
  let info: Awaited<ReturnType<typeof loadStackInfo>> | undefined;
  if (options.host === undefined) info = await loadStackInfo(options, io);
  else if (options.key === undefined) info = await loadStackInfo(options, io).catch(() => undefined);
  const host = options.host ?? info?.server?.publicIp ?? info?.serverPublicIp;
  if (host === undefined) throw new CliError('STACK_OUTPUTS', M.sshNoHost());
  const keyRaw = options.key ?? info?.keyFile;
  if (keyRaw === undefined && options.host === undefined) throw new CliError('KEY_FILE', M.sshNoKey());
  const key = keyRaw === undefined ? undefined : path.resolve(options.key !== undefined ? io.cwd : (info?.stackDir ?? io.cwd), keyRaw);
  if (key !== undefined && !existsSync(key)) throw new CliError('KEY_FILE', M.keyMissing(key));
  let fixedKeyMode = false;
  const mode = key === undefined ? 0 : statSync(key).mode & 0o777;
  if (key !== undefined && (mode & 0o077) !== 0) {
    // Only running ssh changes the key's mode; printing the command touches nothing.
    if (options.exec === true) {
      chmodSync(key, 0o600);
      fixedKeyMode = true;
      io.err(io.paint.yellow(M.keyModeFixed(key, mode)));
    } else io.err(io.paint.yellow(M.keyModeLoose(key, mode)));
  }
  const user = options.user ?? info?.sshUser ?? 'root';
  const argv = [
    'ssh',
    ...(key === undefined ? [] : ['-i', key, '-o', 'IdentitiesOnly=yes']),
    '-o',
    'StrictHostKeyChecking=accept-new',
    `${user}@${host}`,
    ...(options.command ?? []),
  ];
  const commandLine = argv.map(shellQuote).join(' ');
  if (options.exec !== true) {
    if (io.json) io.out(JSON.stringify({ argv, commandLine, fixedKeyMode }));
    else io.out(commandLine);
    return { argv, commandLine, fixedKeyMode };
  }
  const bin = which('ssh', io.env);
  if (bin === undefined) throw new CliError('TOOL_NOT_FOUND', M.sshMissing());
  const interactive = options.stdout === undefined;
  const result = await runProcess(bin, argv.slice(1), {
    cwd: io.cwd,
    env: io.env,
    inherit: interactive,
    stdout: io.stdout,
    stderr: io.stderr,
  });
  if (result.code !== 0) throw new CliError('SUBPROCESS_FAILED', M.sshFailed(result.code));
  return { argv, commandLine, fixedKeyMode, exitCode: result.code };
}
