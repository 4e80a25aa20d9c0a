import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TerraformOutput } from './terraform.js';

/** The folder (inside the app) where the CLI keeps what it created. @internal */
export const STATE_DIR = '.ecs-pulse';

/** Path of the cached outputs of one stack. @internal */
export function outputsCacheFile(appDir: string, stack: string): string {
  return path.join(appDir, STATE_DIR, stack, 'outputs.json');
}

/**
 * Cache the outputs of a deployed stack (sensitive values are dropped, never written) with mode 0600.
 * @internal
 */
export function writeOutputsCache(appDir: string, stack: string, outputs: Record<string, TerraformOutput>): string {
  const file = outputsCacheFile(appDir, stack);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(publicOutputs(outputs), null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** Read cached outputs, or undefined when there are none. @internal */
export function readOutputsCache(appDir: string, stack: string): Record<string, TerraformOutput> | undefined {
  const file = outputsCacheFile(appDir, stack);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, TerraformOutput>;
}

/** Remove the CLI state folder of an app; returns the removed path or undefined. @internal */
export function removeState(appDir: string): string | undefined {
  const dir = path.join(appDir, STATE_DIR);
  if (!existsSync(dir)) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** Outputs without the sensitive ones. @internal */
export function publicOutputs(outputs: Record<string, TerraformOutput>): Record<string, TerraformOutput> {
  return Object.fromEntries(Object.entries(outputs).filter(([, o]) => o.sensitive !== true));
}
