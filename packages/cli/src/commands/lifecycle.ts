import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pickStack, resolveApp, synthApp, type SynthesizedStack } from '../app.js';
import { clientSettings } from '../cloud/config.js';
import { ensureServiceLinkedRole, EVENTBRIDGE_FC_ROLE, isPermissionError, needsEventBridgeRole, stackRegion } from '../cloud/service-linked-role.js';
import { CliError } from '../errors.js';
import { resolveIo, type CommonOptions, type Io } from '../io.js';
import { M } from '../messages.js';
import { stackInfoFromOutputs } from '../stack-outputs.js';
import { publicOutputs, readOutputsCache, removeState, writeOutputsCache } from '../state.js';
import { colorFlag, readTerraformOutputs, requireTerraform, terraform, type TerraformOutput } from '../terraform.js';

/**
 * Options shared by `synth`, `plan`, `deploy` and `destroy`.
 *
 * @example
 * ```ts
 * import type { AppOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface AppOptions extends CommonOptions {
  /** The cdktf app folder (with `cdktf.json` or `main.ts`). @default - `ECS_PULSE_APP`, the current folder, or the bundled example */
  readonly app?: string;
  /** Stack name when the app has more than one. @default - the only stack */
  readonly stack?: string;
  /** Context values passed to the app (`CDKTF_CONTEXT_JSON`). @default {} */
  readonly context?: Readonly<Record<string, string>>;
}

/**
 * Result of {@link synth}.
 *
 * @example
 * ```ts
 * import type { SynthResult } from '@ecs-pulse/cli';
 * ```
 */
export interface SynthResult {
  readonly app: string;
  readonly outdir: string;
  readonly stacks: readonly SynthesizedStack[];
}

/**
 * Synthesize the cdktf app into Terraform JSON (`cdktf.out/stacks/<stack>/cdk.tf.json`).
 *
 * @example
 * ```ts
 * const { stacks } = await synth({ app: './infra' });
 * ```
 */
export async function synth(options: AppOptions = {}): Promise<SynthResult> {
  const io = resolveIo(options);
  const app = resolveApp(options.app, io);
  const all = await synthApp(app, io, options.context);
  // --stack names one stack: an unknown name fails as for plan (the synth output stays for a look).
  const stacks = options.stack === undefined ? all : [pickStack(all, options.stack)];
  if (io.json) io.out(JSON.stringify({ app: app.dir, outdir: app.outdir, stacks }, null, 2));
  else {
    io.out(M.synthDone(stacks.length, app.outdir));
    for (const s of stacks) io.out(`  ${io.paint.bold(s.name)}  ${io.paint.dim(s.dir)}`);
  }
  return { app: app.dir, outdir: app.outdir, stacks };
}

/**
 * Options of {@link plan}.
 *
 * @example
 * ```ts
 * import type { PlanOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface PlanOptions extends AppOptions {
  /** Use the existing `cdktf.out` instead of synthesizing first. @default false */
  readonly skipSynth?: boolean;
}

/**
 * Result of {@link plan} / {@link deploy} / {@link destroy}.
 *
 * @example
 * ```ts
 * import type { StackRunResult } from '@ecs-pulse/cli';
 * ```
 */
export interface StackRunResult {
  readonly stack: string;
  readonly dir: string;
}

async function prepare(options: PlanOptions, io: Io): Promise<{ bin: string; appDir: string; stack: SynthesizedStack }> {
  // Check terraform first: no point synthesizing when it is missing.
  const bin = requireTerraform(io.env);
  const app = resolveApp(options.app, io);
  const stacks = options.skipSynth === true ? (await import('../app.js')).readManifest(app.outdir) : await synthApp(app, io, options.context);
  const stack = pickStack(stacks, options.stack);
  await terraform(bin, ['init', '-input=false', ...colorFlag(io)], stack.dir, io);
  return { bin, appDir: app.dir, stack };
}

/**
 * Synthesize, `terraform init` and `terraform plan` in the stack folder, with live output.
 *
 * @example
 * ```ts
 * await plan({ app: './infra' });
 * ```
 */
export async function plan(options: PlanOptions = {}): Promise<StackRunResult> {
  const io = resolveIo(options);
  const { bin, stack } = await prepare(options, io);
  await terraform(bin, ['plan', '-input=false', ...colorFlag(io)], stack.dir, io);
  if (io.json) io.out(JSON.stringify({ stack: stack.name, dir: stack.dir }));
  return { stack: stack.name, dir: stack.dir };
}

/**
 * Options of {@link deploy} and {@link destroy}.
 *
 * @example
 * ```ts
 * import type { ApplyOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface ApplyOptions extends PlanOptions {
  /** Approve without asking (`-auto-approve`). Required when stdin is not a terminal. @default false */
  readonly yes?: boolean;
  /** Whether stdin is an interactive terminal (prompting is possible). @default process.stdin.isTTY */
  readonly interactive?: boolean;
}

/**
 * Result of {@link deploy}.
 *
 * @example
 * ```ts
 * import type { DeployResult } from '@ecs-pulse/cli';
 * ```
 */
export interface DeployResult extends StackRunResult {
  /** Non-sensitive stack outputs. */
  readonly outputs: Record<string, TerraformOutput>;
  /** Where the outputs were cached for `ssh`, `stress run`, `net run`. */
  readonly outputsFile: string;
}

function approval(options: ApplyOptions, verb: string): { args: string[]; inherit: boolean } {
  if (options.yes === true) return { args: ['-auto-approve'], inherit: false };
  const interactive = options.interactive ?? process.stdin.isTTY === true;
  if (!interactive) throw new CliError('USAGE', M.needYes(verb));
  return { args: [], inherit: true };
}

/**
 * Synthesize and `terraform apply` the stack, then cache its non-sensitive outputs in `.ecs-pulse/`.
 *
 * @example
 * ```ts
 * const { outputs } = await deploy({ app: './infra', yes: true });
 * ```
 */
export async function deploy(options: ApplyOptions = {}): Promise<DeployResult> {
  const io = resolveIo(options);
  const approve = approval(options, 'deploy');
  const { bin, appDir, stack } = await prepare(options, io);
  await ensureStackServiceLinkedRoles(stack, io);
  await terraform(bin, ['apply', '-input=false', ...approve.args, ...colorFlag(io)], stack.dir, io, {
    inherit: approve.inherit,
  });
  const outputs = await readTerraformOutputs(bin, stack.dir, io);
  const outputsFile = writeOutputsCache(appDir, stack.name, outputs);
  const visible = publicOutputs(outputs);
  if (io.json) io.out(JSON.stringify({ stack: stack.name, dir: stack.dir, outputs: visible }, null, 2));
  else {
    io.out(M.deployDone(stack.name));
    for (const [name, o] of Object.entries(visible)) io.out(`  ${io.paint.bold(name)} = ${JSON.stringify(o.value)}`);
    const hidden = Object.keys(outputs).length - Object.keys(visible).length;
    if (hidden > 0) io.out(io.paint.dim(M.sensitiveHidden(hidden)));
  }
  return { stack: stack.name, dir: stack.dir, outputs: visible, outputsFile };
}

/**
 * Before apply: when the stack routes EventBridge to FC without managing the account-wide service-linked role,
 * make sure the account has it (ResourceManager), creating it once if missing. A permission problem is reported
 * and the deploy goes on (terraform then names the real need).
 */
async function ensureStackServiceLinkedRoles(stack: SynthesizedStack, io: Io): Promise<void> {
  const file = path.join(stack.dir, 'cdk.tf.json');
  if (!existsSync(file)) return;
  const json = JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof needsEventBridgeRole>[0];
  if (!needsEventBridgeRole(json)) return;
  const region = stackRegion(json) ?? io.env.ALIBABA_CLOUD_REGION_ID ?? io.env.ALICLOUD_REGION ?? 'cn-hangzhou';
  try {
    await ensureServiceLinkedRole(await clientSettings('resourcemanager', region, io.env), EVENTBRIDGE_FC_ROLE, io);
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    io.err(io.paint.yellow(M.serviceLinkedRoleUnchecked(EVENTBRIDGE_FC_ROLE.roleName, (error as Error).message)));
  }
}

/**
 * Result of {@link destroy}.
 *
 * @example
 * ```ts
 * import type { DestroyResult } from '@ecs-pulse/cli';
 * ```
 */
export interface DestroyResult extends StackRunResult {
  /** Local files and folders removed after the destroy (key file, `.ecs-pulse/`). */
  readonly removed: readonly string[];
}

/**
 * `terraform destroy` the stack, then remove the local SSH key file and the CLI's `.ecs-pulse/` state.
 *
 * @example
 * ```ts
 * const { removed } = await destroy({ app: './infra', yes: true });
 * ```
 */
export async function destroy(options: ApplyOptions = {}): Promise<DestroyResult> {
  const io = resolveIo(options);
  const approve = approval(options, 'destroy');
  const { bin, appDir, stack } = await prepare(options, io);
  // Learn the key file before the outputs disappear with the state.
  let keyFile: string | undefined;
  try {
    keyFile = stackInfoFromOutputs(await readTerraformOutputs(bin, stack.dir, io, { errors: false })).keyFile;
  } catch {
    keyFile = undefined;
  }
  keyFile ??= stackInfoFromOutputs(readOutputsCache(appDir, stack.name) ?? {}).keyFile;
  await terraform(bin, ['destroy', '-input=false', ...approve.args, ...colorFlag(io)], stack.dir, io, {
    inherit: approve.inherit,
  });
  const removed: string[] = [];
  if (keyFile !== undefined) {
    const abs = path.resolve(stack.dir, keyFile);
    if (existsSync(abs)) {
      rmSync(abs, { force: true });
      removed.push(abs);
    }
  }
  const state = removeState(appDir);
  if (state !== undefined) removed.push(state);
  if (io.json) io.out(JSON.stringify({ stack: stack.name, dir: stack.dir, removed }, null, 2));
  else {
    io.out(M.destroyDone(stack.name));
    for (const r of removed) io.out(`  ${io.paint.dim(M.removed(r))}`);
  }
  return { stack: stack.name, dir: stack.dir, removed };
}
