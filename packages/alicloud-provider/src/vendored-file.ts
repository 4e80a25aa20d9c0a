import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlicloudProviderError, type AlicloudProviderErrorCode } from './errors.js';

/**
 * Reads one of the package's vendored JSON files (`schema/…`) from its own files: the path is computed
 * from the calling module's location (`dist/*.js` when installed, `src/<dir>/*.ts` in the repo), walking
 * up to the directory that holds `schema/`. @internal
 */
export function readVendoredJson<T>(
  from: string,
  file: string,
  what: { readonly code: AlicloudProviderErrorCode; readonly name: string; readonly script: string; readonly option: string },
): T {
  const tried: string[] = [];
  let dir = dirname(fileURLToPath(from));
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, file);
    tried.push(candidate);
    if (existsSync(candidate)) {
      try {
        return JSON.parse(readFileSync(candidate, 'utf8')) as T;
      } catch (cause) {
        throw new AlicloudProviderError(
          what.code,
          `The vendored ${what.name} file ${candidate} is not valid JSON; reinstall @ecs-pulse/alicloud-provider or re-run ${what.script}.`,
          { cause },
        );
      }
    }
    dir = dirname(dir);
  }
  throw new AlicloudProviderError(
    what.code,
    `The vendored ${what.name} file was not found (tried ${tried.join(', ')}); the package files are incomplete: reinstall @ecs-pulse/alicloud-provider, or pass { ${what.option} } to checkStack.`,
  );
}
