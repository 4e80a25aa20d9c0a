import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlicloudProviderError } from '../errors.js';
import type { ValidatorBlock, ValidatorsDocument } from './types.js';

/** Where the vendored validators live inside the package. */
export const VENDORED_VALIDATORS_FILE = 'schema/alicloud-provider-validators.json';

/** The provider's fully-qualified name in the vendored files. */
export const ALICLOUD_FQPN = 'registry.terraform.io/aliyun/alicloud';

let cached: ValidatorsDocument | undefined;

/**
 * Reads the vendored validators from the package's own files (`dist/*.js` when installed,
 * `src/validators/*.ts` in the repo: walk up to the directory that holds `schema/`).
 */
export function loadVendoredValidators(): ValidatorsDocument {
  if (cached) return cached;
  const tried: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, VENDORED_VALIDATORS_FILE);
    tried.push(candidate);
    if (existsSync(candidate)) {
      try {
        cached = JSON.parse(readFileSync(candidate, 'utf8')) as ValidatorsDocument;
      } catch (cause) {
        throw new AlicloudProviderError(
          'VALIDATORS_NOT_FOUND',
          `The vendored provider validators ${candidate} are not valid JSON; reinstall @ecs-pulse/alicloud-provider or re-run scripts/vendor-validators.mjs.`,
          { cause },
        );
      }
      return cached;
    }
    dir = dirname(dir);
  }
  throw new AlicloudProviderError(
    'VALIDATORS_NOT_FOUND',
    `The vendored provider validators were not found (tried ${tried.join(', ')}); the package files are incomplete: reinstall @ecs-pulse/alicloud-provider, or pass { validators } to checkStack.`,
  );
}

/** Rule blocks by resource type, data source type and provider local name. */
export interface ValidatorIndex {
  readonly resources: ReadonlyMap<string, ValidatorBlock>;
  readonly dataSources: ReadonlyMap<string, ValidatorBlock>;
  readonly providers: ReadonlyMap<string, ValidatorBlock>;
}

const indexCache = new WeakMap<ValidatorsDocument, ValidatorIndex>();

/** Indexes a validators document (cached per document). */
export function indexValidators(document: ValidatorsDocument): ValidatorIndex {
  const hit = indexCache.get(document);
  if (hit) return hit;
  const resources = new Map<string, ValidatorBlock>();
  const dataSources = new Map<string, ValidatorBlock>();
  const providers = new Map<string, ValidatorBlock>();
  for (const [fqpn, entry] of Object.entries(document.provider_schemas ?? {})) {
    const localName = fqpn.split('/').pop() ?? fqpn;
    if (entry.provider?.block) providers.set(localName, entry.provider.block);
    for (const [type, schema] of Object.entries(entry.resource_schemas ?? {})) resources.set(type, schema.block);
    for (const [type, schema] of Object.entries(entry.data_source_schemas ?? {})) dataSources.set(type, schema.block);
  }
  const index = { resources, dataSources, providers };
  indexCache.set(document, index);
  return index;
}
