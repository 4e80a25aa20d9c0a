#!/usr/bin/env node
/**
 * Re-extracts the vendored value-validator subset from the full alicloud provider validators dump
 * (`alicloud-provider-<version>.validators.json[.gz]`: the shape of `terraform providers schema -json`,
 * with each attribute's validators as written in the provider's Go source).
 *
 * Run it by hand after scripts/vendor-schema.mjs; the build and the tests never run it (they read only
 * schema/alicloud-provider-validators.json).
 *
 *   node scripts/vendor-validators.mjs <validators.json[.gz]> [--version 1.289.0]
 *
 * The types extracted are exactly those of the vendored schema subset (schema/alicloud-provider-subset.json),
 * plus the provider configuration. Only the fields the checker reads are kept (see KEPT_*), and only
 * attributes and blocks that carry at least one of them, so the file stays small.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVIDER_FQPN = 'registry.terraform.io/aliyun/alicloud';
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = resolve(packageDir, 'schema/alicloud-provider-subset.json');
const outPath = resolve(packageDir, 'schema/alicloud-provider-validators.json');

/** Attribute fields the checker reads. */
const KEPT_ATTRIBUTE = [
  'validators',
  'element_validators',
  'conflicts_with',
  'exactly_one_of',
  'at_least_one_of',
  'required_with',
  'deprecation_message',
  'removed_message',
  'min_items',
  'max_items',
  'sensitive',
];
/** Block-type fields the checker reads (nesting, items and the block itself are structural). */
const KEPT_BLOCK_TYPE = ['conflicts_with', 'exactly_one_of', 'at_least_one_of', 'required_with', 'deprecation_message', 'removed_message'];
/** Block fields the checker reads (a resource's own deprecation). */
const KEPT_BLOCK = ['deprecation_message', 'removed_message'];

function usage(message) {
  if (message) console.error(`vendor-validators: ${message}`);
  console.error('usage: node scripts/vendor-validators.mjs <validators.json[.gz]> [--version <x.y.z>]');
  process.exit(2);
}

const args = process.argv.slice(2);
let inputPath;
let version;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--version') {
    version = args[++i];
    if (!version) usage('--version needs a value');
  } else if (arg === '--help' || arg === '-h') usage();
  else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else if (inputPath) usage(`unexpected argument ${arg}`);
  else inputPath = arg;
}
if (!inputPath) usage('the path of the validators dump is required');
if (!existsSync(schemaPath)) usage(`${schemaPath} is missing; run scripts/vendor-schema.mjs first`);

const raw = readFileSync(inputPath);
const full = JSON.parse((inputPath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
const provider = full.provider_schemas?.[PROVIDER_FQPN];
if (!provider) usage(`${inputPath} has no provider_schemas["${PROVIDER_FQPN}"]`);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const vendored = schema.provider_schemas[PROVIDER_FQPN];

const pickFields = (from, fields) => {
  const out = {};
  for (const field of fields) if (from[field] !== undefined) out[field] = from[field];
  return out;
};

/** The pruned block, or undefined when nothing in it is kept. */
function pruneBlock(block) {
  const out = pickFields(block, KEPT_BLOCK);
  const attributes = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const kept = pickFields(attribute, KEPT_ATTRIBUTE);
    if (Object.keys(kept).length > 0) attributes[name] = kept;
  }
  if (Object.keys(attributes).length > 0) out.attributes = attributes;
  const blockTypes = {};
  for (const [name, blockType] of Object.entries(block.block_types ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const kept = pickFields(blockType, KEPT_BLOCK_TYPE);
    const inner = pruneBlock(blockType.block ?? {});
    if (inner) kept.block = inner;
    if (Object.keys(kept).length > 0) blockTypes[name] = kept;
  }
  if (Object.keys(blockTypes).length > 0) out.block_types = blockTypes;
  return Object.keys(out).length > 0 ? out : undefined;
}

const missing = [];
const pick = (all, names, kind) => {
  const out = {};
  for (const name of [...names].sort()) {
    const entry = all?.[name];
    if (!entry) {
      missing.push(`${kind} ${name}`);
      continue;
    }
    const block = pruneBlock(entry.block ?? {});
    if (block) out[name] = { block };
  }
  return out;
};
const resource_schemas = pick(provider.resource_schemas, Object.keys(vendored.resource_schemas ?? {}), 'resource');
const data_source_schemas = pick(provider.data_source_schemas, Object.keys(vendored.data_source_schemas ?? {}), 'data source');
const providerBlock = pruneBlock(provider.provider?.block ?? {});
if (missing.length > 0) {
  // Not fatal: a type whose Go source has no validators is absent from the dump.
  console.warn(`vendor-validators: not in ${inputPath} (no validators to vendor): ${missing.join(', ')}`);
}
const providerVersion = version ?? full.provider_versions?.[PROVIDER_FQPN] ?? schema.provider_versions?.[PROVIDER_FQPN];
if (!providerVersion) usage('no provider version found; pass --version x.y.z');

const subset = {
  format_version: full.format_version ?? '1.0',
  provider_versions: { [PROVIDER_FQPN]: providerVersion },
  provider_schemas: {
    [PROVIDER_FQPN]: { ...(providerBlock ? { provider: { block: providerBlock } } : {}), resource_schemas, data_source_schemas },
  },
};
writeFileSync(outPath, `${JSON.stringify(subset, null, 1)}\n`);
console.log(
  `vendor-validators: wrote ${outPath} (alicloud ${providerVersion}: ${Object.keys(resource_schemas).length} resources, ${Object.keys(data_source_schemas).length} data sources)`,
);
