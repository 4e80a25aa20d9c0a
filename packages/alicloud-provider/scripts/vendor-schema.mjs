#!/usr/bin/env node
/**
 * Re-extracts the vendored provider schema subset from a full `terraform providers schema -json`
 * dump of the alicloud provider (plain `.json` or gzipped `.json.gz`).
 *
 * Run it by hand when a resource or data source is added; the build never runs it.
 *
 *   node scripts/vendor-schema.mjs <full-schema.json[.gz]> [--resource alicloud_x]... [--data-source alicloud_y]...
 *                                  [--remove alicloud_z]... [--version 1.289.0]
 *
 * The list of extracted types is the one already vendored in schema/alicloud-provider-subset.json,
 * plus the `--resource` / `--data-source` flags, minus `--remove`. Then run `npm run build`.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVIDER_FQPN = 'registry.terraform.io/aliyun/alicloud';
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const subsetPath = resolve(packageDir, 'schema/alicloud-provider-subset.json');

function usage(message) {
  if (message) console.error(`vendor-schema: ${message}`);
  console.error(
    'usage: node scripts/vendor-schema.mjs <full-schema.json[.gz]> [--resource <type>]... [--data-source <type>]... [--remove <type>]... [--version <x.y.z>]',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
let fullSchemaPath;
const addResources = [];
const addDataSources = [];
const remove = new Set();
let version;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const next = () => {
    const value = args[++i];
    if (!value) usage(`${arg} needs a value`);
    return value;
  };
  if (arg === '--resource') addResources.push(next());
  else if (arg === '--data-source') addDataSources.push(next());
  else if (arg === '--remove') remove.add(next());
  else if (arg === '--version') version = next();
  else if (arg === '--help' || arg === '-h') usage();
  else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else if (fullSchemaPath) usage(`unexpected argument ${arg}`);
  else fullSchemaPath = arg;
}
if (!fullSchemaPath) usage('the path of the full provider schema is required');

const raw = readFileSync(fullSchemaPath);
const full = JSON.parse((fullSchemaPath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
const provider = full.provider_schemas?.[PROVIDER_FQPN];
if (!provider) usage(`${fullSchemaPath} has no provider_schemas["${PROVIDER_FQPN}"]`);

const previous = existsSync(subsetPath) ? JSON.parse(readFileSync(subsetPath, 'utf8')) : undefined;
const previousProvider = previous?.provider_schemas?.[PROVIDER_FQPN];
const resourceNames = new Set([...Object.keys(previousProvider?.resource_schemas ?? {}), ...addResources]);
const dataSourceNames = new Set([...Object.keys(previousProvider?.data_source_schemas ?? {}), ...addDataSources]);
for (const name of remove) {
  resourceNames.delete(name);
  dataSourceNames.delete(name);
}

const missing = [];
const pick = (all, names, kind) => {
  const out = {};
  for (const name of [...names].sort()) {
    if (all?.[name]) out[name] = all[name];
    else missing.push(`${kind} ${name}`);
  }
  return out;
};
const resource_schemas = pick(provider.resource_schemas, resourceNames, 'resource');
const data_source_schemas = pick(provider.data_source_schemas, dataSourceNames, 'data source');
if (missing.length > 0) {
  console.error(`vendor-schema: not in ${fullSchemaPath}: ${missing.join(', ')}`);
  process.exit(1);
}

const providerVersion =
  version ?? full.provider_versions?.[PROVIDER_FQPN] ?? previous?.provider_versions?.[PROVIDER_FQPN];
if (!providerVersion) usage('the full schema does not name the provider version; pass --version x.y.z');

const subset = {
  format_version: full.format_version ?? '1.0',
  provider_versions: { [PROVIDER_FQPN]: providerVersion },
  provider_schemas: {
    [PROVIDER_FQPN]: { provider: provider.provider, resource_schemas, data_source_schemas },
  },
};
writeFileSync(subsetPath, `${JSON.stringify(subset, null, 1)}\n`);
console.log(
  `vendor-schema: wrote ${subsetPath} (alicloud ${providerVersion}: ${Object.keys(resource_schemas).length} resources, ${Object.keys(data_source_schemas).length} data sources)`,
);
