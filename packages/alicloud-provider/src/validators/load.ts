import { readVendoredJson } from '../vendored-file.js';
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
  cached ??= readVendoredJson<ValidatorsDocument>(import.meta.url, VENDORED_VALIDATORS_FILE, { code: 'VALIDATORS_NOT_FOUND', name: 'provider validators', script: 'scripts/vendor-validators.mjs', option: 'validators' });
  return cached;
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
