import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlicloudProviderError } from '../errors.js';
import type { ProviderSchemaDocument } from './types.js';

/** Where the vendored schema lives inside the package. */
export const VENDORED_SCHEMA_FILE = 'schema/alicloud-provider-subset.json';

let cached: ProviderSchemaDocument | undefined;

/**
 * Reads the vendored schema from the package's own files. The path is computed from this module's
 * location: `dist/*.js` when installed, `src/testing/*.ts` in the repo, so we walk up to the
 * directory that holds `schema/`.
 */
export function loadVendoredSchema(): ProviderSchemaDocument {
  if (cached) return cached;
  const start = dirname(fileURLToPath(import.meta.url));
  const tried: string[] = [];
  let dir = start;
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, VENDORED_SCHEMA_FILE);
    tried.push(candidate);
    if (existsSync(candidate)) {
      try {
        cached = JSON.parse(readFileSync(candidate, 'utf8')) as ProviderSchemaDocument;
      } catch (cause) {
        throw new AlicloudProviderError(
          'SCHEMA_NOT_FOUND',
          `The vendored provider schema ${candidate} is not valid JSON; reinstall @ecs-pulse/alicloud-provider or re-run scripts/vendor-schema.mjs.`,
          { cause },
        );
      }
      return cached;
    }
    dir = dirname(dir);
  }
  throw new AlicloudProviderError(
    'SCHEMA_NOT_FOUND',
    `The vendored provider schema was not found (tried ${tried.join(', ')}); the package files are incomplete: reinstall @ecs-pulse/alicloud-provider, or pass { schema } to checkStack.`,
  );
}
