import { CliError } from './errors.js';
import type { Io } from './io.js';
import { M } from './messages.js';
import { runProcess, which, type ProcessResult } from './process.js';

/** Locate terraform on PATH (or `ECS_PULSE_TERRAFORM`), or throw a CliError that says how to install it. @internal */
export function requireTerraform(env: NodeJS.ProcessEnv): string {
  const configured = env.ECS_PULSE_TERRAFORM;
  const found = which(configured !== undefined && configured !== '' ? configured : 'terraform', env);
  if (found === undefined) throw new CliError('TERRAFORM_NOT_FOUND', M.terraformMissing(configured));
  return found;
}

/** Options of {@link terraform}. @internal */
export interface TerraformRun {
  /** Show the output live (default) or only capture it. */
  readonly live?: boolean;
  /** Connect to the terminal (interactive approval). */
  readonly inherit?: boolean;
  /** Do not throw on a non-zero exit. */
  readonly allowFailure?: boolean;
}

/** Run one terraform subcommand in a stack folder, with live output on stderr. @internal */
export async function terraform(
  bin: string,
  args: readonly string[],
  dir: string,
  io: Io,
  run: TerraformRun = {},
): Promise<ProcessResult> {
  const env: NodeJS.ProcessEnv = { ...io.env, TF_IN_AUTOMATION: io.env.TF_IN_AUTOMATION ?? '1' };
  const live = run.live !== false;
  io.err(io.paint.dim(`$ terraform ${args.join(' ')}`));
  const result = await runProcess(bin, args, {
    cwd: dir,
    env,
    inherit: run.inherit === true,
    // Live output goes to stderr so that stdout stays clean for --json.
    stdout: live ? io.stderr : undefined,
    stderr: live ? io.stderr : undefined,
  });
  if (result.code !== 0 && run.allowFailure !== true) {
    if (!live) {
      // Not shown live: show terraform's own words (redacted, indented) above our sentence.
      for (const line of result.stderr.trim().split('\n').slice(-20)) if (line.trim() !== '') io.err(`  ${line}`);
    }
    throw new CliError('SUBPROCESS_FAILED', M.terraformFailed(args[0] ?? '', dir, result.code, live));
  }
  return result;
}

/** `-no-color` when colour is off. @internal */
export function colorFlag(io: Io): string[] {
  return io.paint.bold('x') === 'x' ? ['-no-color'] : [];
}

/**
 * One entry of `terraform output -json`.
 *
 * @example
 * ```ts
 * import type { TerraformOutput } from '@ecs-pulse/cli';
 * ```
 */
export interface TerraformOutput {
  readonly value: unknown;
  readonly type?: unknown;
  readonly sensitive?: boolean;
}

/** Read `terraform output -json` in a stack folder. @internal */
export async function readTerraformOutputs(
  bin: string,
  dir: string,
  io: Io,
  show: { readonly errors?: boolean } = {},
): Promise<Record<string, TerraformOutput>> {
  const result = await terraform(bin, ['output', '-json'], dir, io, { live: false, allowFailure: true });
  if (result.code !== 0) {
    // Terraform's own words above our sentence, unless the caller falls back to something else.
    if (show.errors !== false) for (const line of result.stderr.trim().split('\n').slice(-20)) if (line.trim() !== '') io.err(`  ${line}`);
    throw new CliError('STACK_OUTPUTS', M.outputsFailed(dir));
  }
  try {
    const parsed = JSON.parse(result.stdout.trim() === '' ? '{}' : result.stdout) as Record<string, TerraformOutput>;
    return parsed;
  } catch (cause) {
    throw new CliError('STACK_OUTPUTS', M.outputsNotJson(dir), { cause });
  }
}
