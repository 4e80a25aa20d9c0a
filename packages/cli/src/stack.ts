import { existsSync } from 'node:fs';
import { pickStack, readManifest, resolveApp } from './app.js';
import { CliError } from './errors.js';
import type { Io } from './io.js';
import { M } from './messages.js';
import { which } from './process.js';
import { stackInfoFromOutputs, type StackInfo } from './stack-outputs.js';
import { readOutputsCache } from './state.js';
import { readTerraformOutputs } from './terraform.js';

/**
 * Where to find a deployed stack.
 *
 * @example
 * ```ts
 * import type { StackRef } from '@ecs-pulse/cli';
 * ```
 */
export interface StackRef {
  /** The cdktf app folder. @default - as for `deploy` */
  readonly app?: string;
  /** Stack name. @default - the only stack */
  readonly stack?: string;
}

/**
 * Load what the CLI needs from a deployed stack: `terraform output -json` in its folder when
 * terraform is available, else the outputs `deploy` cached in `.ecs-pulse/`.
 * @internal
 */
export async function loadStackInfo(ref: StackRef, io: Io): Promise<StackInfo & { readonly stackDir: string }> {
  const app = resolveApp(ref.app, io);
  let stacks;
  try {
    stacks = readManifest(app.outdir);
  } catch (cause) {
    throw new CliError('STACK_OUTPUTS', M.stackNotDeployed(app.dir), { cause });
  }
  const stack = pickStack(stacks, ref.stack);
  const env = io.env;
  const tf = which(env.ECS_PULSE_TERRAFORM !== undefined && env.ECS_PULSE_TERRAFORM !== '' ? env.ECS_PULSE_TERRAFORM : 'terraform', env);
  if (tf !== undefined && existsSync(stack.dir)) {
    try {
      const outputs = await readTerraformOutputs(tf, stack.dir, io, { errors: false });
      if (Object.keys(outputs).length > 0) return { ...stackInfoFromOutputs(outputs), stackDir: stack.dir };
    } catch {
      // fall back to the cache below
    }
  }
  const cached = readOutputsCache(app.dir, stack.name);
  if (cached === undefined) throw new CliError('STACK_OUTPUTS', M.stackNotDeployed(app.dir));
  return { ...stackInfoFromOutputs(cached), stackDir: stack.dir };
}
