/**
 * `@ecs-pulse/alicloud-provider/validators`: the alicloud provider's own value validators (enums,
 * ranges, lengths, patterns, ...) for the resources and data sources vendored in this package, so
 * that constructs reject a bad prop at construction, with the prop name, using the same data as
 * the `/testing` checker. Loaded only when this subpath is imported.
 */
import { Token } from 'cdktf';
import { evaluateAll } from './evaluate.js';
import { ALICLOUD_FQPN, indexValidators, loadVendoredValidators } from './load.js';
import type { AttributeRules, ValidatorBlock, ValidatorsDocument, ValueProblem } from './types.js';

export type { AttributeRules, ValidatorBlock, ValidatorBlockType, ValidatorsDocument, ValueProblem, ValueValidator } from './types.js';

function blockOf(type: string): ValidatorBlock | undefined {
  const index = indexValidators(loadVendoredValidators());
  if (type === 'provider') return index.providers.get('alicloud');
  if (type.startsWith('data.')) return index.dataSources.get(type.slice('data.'.length));
  return index.resources.get(type);
}

/**
 * The rules the provider applies to one attribute.
 *
 * @param type - a resource type (`alicloud_instance`), `data.` + a data source type (`data.alicloud_zones`),
 *   or `provider` for the provider configuration
 * @param attribute - the attribute name, through nested blocks with dots (`data_disks.category`)
 * @returns the rules, or `undefined` when the provider declares none for it
 *
 * @example
 * ```ts
 * import { attributeRules } from '@ecs-pulse/alicloud-provider/validators';
 * attributeRules('alicloud_ecs_key_pair', 'key_pair_name')?.conflicts_with; // ['key_name']
 * ```
 */
export function attributeRules(type: string, attribute: string): AttributeRules | undefined {
  const names = attribute.split('.');
  let block = blockOf(type);
  for (const name of names.slice(0, -1)) block = block?.block_types?.[name]?.block;
  return block?.attributes?.[names[names.length - 1] ?? ''];
}

/**
 * The values an enum attribute accepts (`validation.StringInSlice`), as the provider lists them.
 *
 * @param type - see {@link attributeRules}
 * @param attribute - see {@link attributeRules}
 * @returns the allowed values, or `undefined` when the attribute has no enum validator
 *
 * @example
 * ```ts
 * import { allowedValues } from '@ecs-pulse/alicloud-provider/validators';
 * allowedValues('data.alicloud_zones', 'available_disk_category')?.includes('cloud_auto'); // false
 * ```
 */
export function allowedValues(type: string, attribute: string): readonly string[] | undefined {
  const validator = attributeRules(type, attribute)?.validators?.find((v) => v.kind === 'enum');
  return validator?.values?.map(String);
}

/**
 * The range a number attribute accepts (`IntBetween`, `IntAtLeast`, `FloatBetween`).
 *
 * @param type - see {@link attributeRules}
 * @param attribute - see {@link attributeRules}
 * @returns `{ min, max, integer }` (a bound is absent when the provider sets none), or `undefined`
 *
 * @example
 * ```ts
 * import { numberRange } from '@ecs-pulse/alicloud-provider/validators';
 * numberRange('alicloud_fcv3_function', 'memory_size'); // { min: 64, max: 32768, integer: true }
 * ```
 */
export function numberRange(type: string, attribute: string): { readonly min?: number; readonly max?: number; readonly integer: boolean } | undefined {
  const validator = attributeRules(type, attribute)?.validators?.find((v) => v.kind === 'int_range' || v.kind === 'float_range');
  if (!validator) return undefined;
  return {
    ...(validator.min === undefined ? {} : { min: validator.min }),
    ...(validator.max === undefined ? {} : { max: validator.max }),
    integer: validator.kind === 'int_range',
  };
}

/**
 * Checks a literal value against the provider's validators of an attribute, like `terraform plan`
 * would; for a list, set or map, each element against the element validators (e.g. tag values).
 * Unresolved values (cdktf tokens, `${...}` expressions) pass: they are known only at apply.
 *
 * @param type - see {@link attributeRules}
 * @param attribute - see {@link attributeRules}
 * @param value - the value the construct would write
 * @returns every problem (empty when the value passes or the attribute has no validators)
 *
 * @example
 * ```ts
 * import { checkValue } from '@ecs-pulse/alicloud-provider/validators';
 * for (const p of checkValue('alicloud_instance', 'system_disk_category', props.systemDiskCategory)) {
 *   issues.push(`props.systemDiskCategory: ${p.message}; the provider allows ${p.allowed}.`);
 * }
 * ```
 */
export function checkValue(type: string, attribute: string, value: unknown): readonly ValueProblem[] {
  const rules = attributeRules(type, attribute);
  if (rules === undefined || isUnresolved(value)) return [];
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    // a list, set or map: each element against the element validators
    const elements = Array.isArray(value) ? value : Object.values(value);
    return elements.flatMap((element) => (isUnresolved(element) ? [] : evaluateAll(rules.element_validators, element)));
  }
  return evaluateAll(rules.validators, value);
}

function isUnresolved(value: unknown): boolean {
  return value === undefined || value === null || Token.isUnresolved(value) || (typeof value === 'string' && value.includes('${'));
}

/**
 * The vendored validators document (the shape of `terraform providers schema -json`, with value
 * validators in place of attribute schemas), also published as `@ecs-pulse/alicloud-provider/validators.json`.
 *
 * @returns the parsed document (cached; do not mutate)
 * @throws {@link AlicloudProviderError} with code `VALIDATORS_NOT_FOUND` when the package files are incomplete
 *
 * @example
 * ```ts
 * import { vendoredValidators } from '@ecs-pulse/alicloud-provider/validators';
 * const version = vendoredValidators().provider_versions?.['registry.terraform.io/aliyun/alicloud']; // '1.289.0'
 * ```
 */
export function vendoredValidators(): ValidatorsDocument {
  return loadVendoredValidators();
}

/**
 * The fully-qualified name of the alicloud provider in the vendored documents.
 *
 * @example
 * ```ts
 * import { ALICLOUD_PROVIDER_FQPN, vendoredValidators } from '@ecs-pulse/alicloud-provider/validators';
 * vendoredValidators().provider_schemas[ALICLOUD_PROVIDER_FQPN];
 * ```
 */
export const ALICLOUD_PROVIDER_FQPN = ALICLOUD_FQPN;
