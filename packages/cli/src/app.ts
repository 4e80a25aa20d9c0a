import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, ExitCode } from './errors.js';
import type { Io } from './io.js';
import { M } from './messages.js';
import { runProcess } from './process.js';

/** A cdktf app folder and how to run it. @internal */
export interface CdktfApp {
  /** Absolute app folder. */
  readonly dir: string;
  /** The shell command that synthesizes it (cdktf.json `app`, or `npx tsx <main.ts>`). */
  readonly command: string;
  /** Absolute output folder (cdktf.json `output`, default `cdktf.out`). */
  readonly outdir: string;
}

/**
 * One synthesized stack.
 *
 * @example
 * ```ts
 * import type { SynthesizedStack } from '@ecs-pulse/cli';
 * ```
 */
export interface SynthesizedStack {
  /** Stack name (its construct id). */
  readonly name: string;
  /** Absolute folder with `cdk.tf.json`, where terraform runs. */
  readonly dir: string;
}

const EXAMPLE = path.join('examples', 'stress-test-environment');

function packageDir(): string {
  // dist/<file>.js → package folder; src/<file>.ts (tests) → package folder.
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

function isApp(dir: string): boolean {
  return (
    existsSync(path.join(dir, 'cdktf.json')) ||
    existsSync(path.join(dir, 'main.ts')) ||
    existsSync(path.join(dir, 'src', 'main.ts'))
  );
}

/**
 * Find the cdktf app: `--app`, then `ECS_PULSE_APP`, then the current folder when it holds a
 * `cdktf.json`, then the bundled example (from a checkout of the ecs-pulse repository).
 * @internal
 */
export function resolveApp(app: string | undefined, io: Pick<Io, 'cwd' | 'env'>): CdktfApp {
  const candidates: string[] = [];
  const explicit = app ?? io.env.ECS_PULSE_APP;
  if (explicit !== undefined && explicit !== '') {
    const dir = path.resolve(io.cwd, explicit);
    if (!existsSync(dir)) throw new CliError('APP_NOT_FOUND', M.appMissing(dir, app !== undefined ? '--app' : 'ECS_PULSE_APP'));
    if (!statSync(dir).isDirectory()) throw new CliError('APP_NOT_FOUND', M.appNotAFolder(dir));
    if (!isApp(dir)) throw new CliError('APP_NOT_FOUND', M.appNotAnApp(dir));
    return describeApp(dir);
  }
  candidates.push(io.cwd, path.join(io.cwd, EXAMPLE), path.resolve(packageDir(), '..', '..', EXAMPLE));
  // The current folder is found exactly as `--app .` would be: a cdktf.json, or a main.ts / src/main.ts.
  for (const dir of candidates) {
    if (isApp(dir)) return describeApp(dir);
  }
  throw new CliError('APP_NOT_FOUND', M.appNotFound(io.cwd));
}

function describeApp(dir: string): CdktfApp {
  const configFile = path.join(dir, 'cdktf.json');
  let command: string | undefined;
  let output = 'cdktf.out';
  if (existsSync(configFile)) {
    let config: { app?: unknown; output?: unknown };
    try {
      config = JSON.parse(readFileSync(configFile, 'utf8')) as typeof config;
    } catch (cause) {
      throw new CliError('APP_NOT_FOUND', M.appBadConfig(configFile), { cause });
    }
    if (typeof config.app === 'string' && config.app.trim() !== '') command = config.app;
    if (typeof config.output === 'string' && config.output !== '') output = config.output;
  }
  if (command === undefined) {
    const main = ['main.ts', path.join('src', 'main.ts')].find((f) => existsSync(path.join(dir, f)));
    if (main === undefined) throw new CliError('APP_NOT_FOUND', M.appNoCommand(dir));
    command = `npx tsx ${main}`;
  }
  return { dir, command, outdir: path.resolve(dir, output) };
}

/**
 * Run the app with `CDKTF_OUTDIR` (and `CDKTF_CONTEXT_JSON` for `--context`) and read the manifest.
 * @internal
 */
export async function synthApp(
  app: CdktfApp,
  io: Io,
  context: Readonly<Record<string, string>> = {},
): Promise<SynthesizedStack[]> {
  const env: NodeJS.ProcessEnv = { ...io.env, CDKTF_OUTDIR: app.outdir };
  if (Object.keys(context).length > 0) {
    const existing = io.env.CDKTF_CONTEXT_JSON ? (JSON.parse(io.env.CDKTF_CONTEXT_JSON) as object) : {};
    env.CDKTF_CONTEXT_JSON = JSON.stringify({ ...existing, ...context });
  }
  io.err(io.paint.dim(M.synthRunning(app.command, app.dir)));
  const result = await runProcess(app.command, [], {
    cwd: app.dir,
    env,
    shell: true,
    stdout: io.json ? undefined : io.stderr,
    stderr: io.stderr,
  });
  if (result.code !== 0) {
    throw new CliError('SUBPROCESS_FAILED', M.synthFailed(app.command, app.dir, result.code));
  }
  return readManifest(app.outdir);
}

/** Read the stacks of a synthesized output folder. @internal */
export function readManifest(outdir: string): SynthesizedStack[] {
  const file = path.join(outdir, 'manifest.json');
  if (!existsSync(file)) throw new CliError('STACK_NOT_FOUND', M.manifestMissing(file));
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    stacks?: Record<string, { name?: string; workingDirectory?: string }>;
  };
  return Object.entries(manifest.stacks ?? {}).map(([key, s]) => ({
    name: s.name ?? key,
    dir: path.resolve(outdir, s.workingDirectory ?? path.join('stacks', key)),
  }));
}

/** Pick the stack to work on: `--stack`, or the only one. @internal */
export function pickStack(stacks: readonly SynthesizedStack[], name: string | undefined): SynthesizedStack {
  if (name !== undefined) {
    const found = stacks.find((s) => s.name === name);
    // A --stack naming no stack is a bad option value (exit 2), for synth as for plan/deploy/destroy.
    if (!found) throw new CliError('STACK_NOT_FOUND', M.stackUnknown(name, stacks.map((s) => s.name)), { exitCode: ExitCode.Usage });
    return found;
  }
  const [only, ...rest] = stacks;
  if (only === undefined) throw new CliError('STACK_NOT_FOUND', M.stackNone());
  if (rest.length > 0) throw new CliError('USAGE', M.stackAmbiguous(stacks.map((s) => s.name)));
  return only;
}

/** Parse repeated `--context key=value` options. @internal */
export function parseContext(values: unknown): Record<string, string> {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  const out: Record<string, string> = {};
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new CliError('USAGE', M.contextBad(text));
    out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return out;
}
