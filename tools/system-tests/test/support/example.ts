/**
 * Synthesizes the example stack (examples/stress-test-environment) the way `ecs-pulse synth` does: its
 * cdktf.json `app` command in a NEW process, in the example folder, with `CDKTF_OUTDIR` set — here a temporary
 * folder, so the example's own cdktf.out is never touched.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The example's folder, found through its workspace package. */
export const EXAMPLE_DIR = path.dirname(require.resolve('@ecs-pulse/example-stress-test-environment/package.json'));

/** The repository root (two levels above this package). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** The `app` command of the example's cdktf.json. */
export function exampleAppCommand(): string {
  const config = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'cdktf.json'), 'utf8')) as { app?: string };
  if (typeof config.app !== 'string') throw new Error(`${EXAMPLE_DIR}/cdktf.json has no "app" command`);
  return config.app;
}

/** A finished synth. */
export interface SynthRun {
  readonly outdir: string;
  /** Folder of the (only) stack, holding cdk.tf.json. */
  readonly stackDir: string;
  readonly json: Record<string, any>;
  readonly text: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time of the process, Node's clock. */
  readonly ms: number;
}

/**
 * Runs the example's app command once. `env` replaces the environment except PATH and HOME (so nothing of
 * the caller's environment leaks in unless given).
 */
export function synthExample(env: Readonly<Record<string, string>> = {}, outdir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-system-synth-'))): Promise<SynthRun> {
  const command = exampleAppCommand();
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [], {
      cwd: EXAMPLE_DIR,
      shell: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), ...env, CDKTF_OUTDIR: outdir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) {
        reject(new Error(`synth of ${EXAMPLE_DIR} (${command}) exited ${code}:\n${stderr.slice(-4000)}`));
        return;
      }
      try {
        const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
        const stacks = Object.values(manifest.stacks);
        if (stacks.length !== 1) throw new Error(`expected one stack in ${outdir}/manifest.json, found ${stacks.length}`);
        const stackDir = path.resolve(outdir, stacks[0]!.workingDirectory);
        const text = readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
        resolve({ outdir, stackDir, json: JSON.parse(text) as Record<string, any>, text, stdout, stderr, ms });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** Every file under `dir` (recursively), as absolute paths. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}
