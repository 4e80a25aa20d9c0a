import { readVendoredJson } from '../vendored-file.js';
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
  cached ??= readVendoredJson<ProviderSchemaDocument>(import.meta.url, VENDORED_SCHEMA_FILE, { code: 'SCHEMA_NOT_FOUND', name: 'provider schema', script: 'scripts/vendor-schema.mjs', option: 'schema' });
  return cached;
}
