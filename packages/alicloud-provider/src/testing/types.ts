import type { ValidatorsDocument } from '../validators/types.js';

/**
 * Stable codes of the issues {@link checkStack} reports.
 *
 * | code | meaning |
 * |---|---|
 * | `UNKNOWN_ARGUMENT` | an attribute or block the schema does not have |
 * | `MISSING_REQUIRED_ATTRIBUTE` | a `required` attribute is absent |
 * | `MISSING_REQUIRED_BLOCK` | a block with `min_items > 0` is absent or has too few items |
 * | `COMPUTED_ATTRIBUTE_SET` | a computed-only (read-only) attribute is set |
 * | `WRONG_TYPE` | a value does not fit the attribute type (string/number/bool/list/set/map/object) |
 * | `TOO_MANY_BLOCKS` | more block items than `max_items` |
 * | `WRONG_BLOCK_SHAPE` | a block given as something other than an object (or array of objects) |
 * | `UNKNOWN_RESOURCE_TYPE` | a resource/data source type of a schema provider that the schema does not have |
 * | `UNDECLARED_REFERENCE` | `${...}` names a resource, data source, variable, local or module not declared in the stack |
 * | `UNKNOWN_REFERENCE_ATTRIBUTE` | `${...}` names an attribute the referenced resource does not have |
 * | `REQUIRED_PROVIDER_MISSING` | resources of a provider are used but `terraform.required_providers` lacks it |
 * | `INVALID_STACK_SHAPE` | a top-level section (`resource`, `data`, ...) is not shaped like Terraform JSON |
 * | `INVALID_VALUE` | a literal value fails one of the provider's value validators (`rule` names which: `enum`, `int_range`, `len`, `regex`, `not_regex`, `json`, `date`, `valid_regex`, `any`, `items`, ...) |
 * | `REMOVED_ATTRIBUTE` | an attribute the provider removed (it rejects it at plan) is set |
 * | `CONFLICTING_ATTRIBUTES` | two attributes the provider declares `conflicts_with` are both set |
 * | `EXACTLY_ONE_OF` | none, or more than one, of an `exactly_one_of` group is set |
 * | `AT_LEAST_ONE_OF` | none of an `at_least_one_of` group is set |
 * | `REQUIRED_WITH` | an attribute is set without the others of its `required_with` group |
 * | `DEPRECATED_ATTRIBUTE` | (a warning, in `warnings`) a deprecated attribute or block is set |
 * | `DEPRECATED_RESOURCE` | (a warning, in `warnings`) a deprecated resource or data source type is used |
 *
 * @example
 * ```ts
 * import type { StackIssueCode } from '@ecs-pulse/alicloud-provider/testing';
 * const code: StackIssueCode = 'UNKNOWN_ARGUMENT';
 * ```
 */
export type StackIssueCode =
  | 'UNKNOWN_ARGUMENT'
  | 'MISSING_REQUIRED_ATTRIBUTE'
  | 'MISSING_REQUIRED_BLOCK'
  | 'COMPUTED_ATTRIBUTE_SET'
  | 'WRONG_TYPE'
  | 'TOO_MANY_BLOCKS'
  | 'WRONG_BLOCK_SHAPE'
  | 'UNKNOWN_RESOURCE_TYPE'
  | 'UNDECLARED_REFERENCE'
  | 'UNKNOWN_REFERENCE_ATTRIBUTE'
  | 'REQUIRED_PROVIDER_MISSING'
  | 'INVALID_STACK_SHAPE'
  | 'INVALID_VALUE'
  | 'REMOVED_ATTRIBUTE'
  | 'CONFLICTING_ATTRIBUTES'
  | 'EXACTLY_ONE_OF'
  | 'AT_LEAST_ONE_OF'
  | 'REQUIRED_WITH'
  | 'DEPRECATED_ATTRIBUTE'
  | 'DEPRECATED_RESOURCE';

/**
 * One problem found in a synthesized stack.
 *
 * @example
 * ```ts
 * const issue: StackIssue = {
 *   path: 'resource.alicloud_instance.host.instance_typo',
 *   code: 'UNKNOWN_ARGUMENT',
 *   message: 'alicloud_instance has no attribute or block "instance_typo" (did you mean "instance_type"?)',
 * };
 * ```
 */
export interface StackIssue {
  /** Where: dotted path in the Terraform JSON, e.g. `resource.alicloud_instance.host.data_disks[0].size`. */
  readonly path: string;
  /** What kind of problem; stable, see {@link StackIssueCode}. */
  readonly code: StackIssueCode;
  /** What is wrong and how to fix it (for value issues: the address, the attribute, the value and what is allowed). */
  readonly message: string;
  /** Value issues: the Terraform address of the resource, e.g. `alicloud_instance.host` or `data.alicloud_zones.z`. */
  readonly address?: string;
  /** Value issues: the attribute path inside the resource, e.g. `data_disks[0].category`. */
  readonly attribute?: string;
  /** `INVALID_VALUE`: the offending literal as written (JSON-quoted, cut at 80 characters); absent for sensitive attributes. */
  readonly value?: string;
  /** Value and group issues: what the provider allows, e.g. `one of "cloud", "cloud_essd" (case-sensitive)`. */
  readonly allowed?: string;
  /** `INVALID_VALUE`: the validator kind that failed (`enum`, `int_range`, `len`, `regex`, ...). */
  readonly rule?: string;
}

/**
 * The result of {@link checkStack}.
 *
 * @example
 * ```ts
 * const result: StackCheckResult = checkStack(Testing.synth(stack));
 * if (!result.ok) console.log(result.issues);
 * for (const warning of result.warnings) console.warn(warning.message);
 * ```
 */
export interface StackCheckResult {
  /** `true` when `issues` is empty (warnings do not count). */
  readonly ok: boolean;
  /** Every problem found (the provider would reject the stack), in document order. */
  readonly issues: readonly StackIssue[];
  /** Deprecations the provider warns about at plan (codes `DEPRECATED_ATTRIBUTE`, `DEPRECATED_RESOURCE`), in document order. */
  readonly warnings: readonly StackIssue[];
}

/**
 * A provider schema document in the format of `terraform providers schema -json`.
 *
 * @example
 * ```ts
 * const schema: ProviderSchemaDocument = JSON.parse(readFileSync('schema.json', 'utf8'));
 * checkStack(synthesized, { schema });
 * ```
 */
export interface ProviderSchemaDocument {
  /** Format version, `1.0`. */
  readonly format_version?: string;
  /** Provider versions by fully-qualified provider name. */
  readonly provider_versions?: Readonly<Record<string, string>>;
  /** Schemas by fully-qualified provider name, e.g. `registry.terraform.io/aliyun/alicloud`. */
  readonly provider_schemas: Readonly<Record<string, ProviderSchemaEntry>>;
}

/**
 * The schema of one provider: its configuration, resources and data sources.
 *
 * @example
 * ```ts
 * const entry: ProviderSchemaEntry = document.provider_schemas['registry.terraform.io/aliyun/alicloud']!;
 * ```
 */
export interface ProviderSchemaEntry {
  /** The provider configuration block. */
  readonly provider?: SchemaTypeEntry;
  /** Resource schemas by type. */
  readonly resource_schemas?: Readonly<Record<string, SchemaTypeEntry>>;
  /** Data source schemas by type. */
  readonly data_source_schemas?: Readonly<Record<string, SchemaTypeEntry>>;
}

/**
 * One versioned block schema (a resource, data source or provider configuration).
 *
 * @example
 * ```ts
 * const instance: SchemaTypeEntry = entry.resource_schemas!['alicloud_instance']!;
 * ```
 */
export interface SchemaTypeEntry {
  /** Schema version of the type. */
  readonly version?: number;
  /** The top-level block. */
  readonly block: SchemaBlock;
}

/**
 * A block: attributes and nested block types.
 *
 * @example
 * ```ts
 * const required = Object.entries(block.attributes ?? {}).filter(([, a]) => a.required);
 * ```
 */
export interface SchemaBlock {
  /** Attributes by name. */
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  /** Nested block types by name. */
  readonly block_types?: Readonly<Record<string, SchemaBlockType>>;
}

/**
 * A cty type in its JSON form: `"string"`, `"number"`, `"bool"`, `"dynamic"`, `["list", T]`,
 * `["set", T]`, `["map", T]`, `["object", {attr: T}]` or `["tuple", [T, ...]]`.
 *
 * @example
 * ```ts
 * const tags: CtyType = ['map', 'string'];
 * ```
 */
export type CtyType = string | readonly [string, unknown, ...unknown[]];

/**
 * An attribute schema.
 *
 * @example
 * ```ts
 * const computedOnly = (a: SchemaAttribute) => a.computed === true && !a.optional && !a.required;
 * ```
 */
export interface SchemaAttribute {
  /** The value type (absent when `nested_type` is given). */
  readonly type?: CtyType;
  /** Attribute-typed nested object (protocol 6 providers). */
  readonly nested_type?: { readonly attributes: Readonly<Record<string, SchemaAttribute>>; readonly nesting_mode: string };
  /** Must be set. */
  readonly required?: boolean;
  /** May be set. */
  readonly optional?: boolean;
  /** Set by the provider; read-only unless also `optional`. */
  readonly computed?: boolean;
  /** Hidden in plans and output. */
  readonly sensitive?: boolean;
  /** Deprecated by the provider. */
  readonly deprecated?: boolean;
  /** Human description. */
  readonly description?: string;
}

/**
 * A nested block type.
 *
 * @example
 * ```ts
 * const isSingleObject = (b: SchemaBlockType) => b.max_items === 1;
 * ```
 */
export interface SchemaBlockType {
  /** `single`, `group`, `list`, `set` or `map`. */
  readonly nesting_mode: string;
  /** The block's own schema. */
  readonly block: SchemaBlock;
  /** At least this many items (only given for required blocks). */
  readonly min_items?: number;
  /** At most this many items (0 or absent: unbounded). */
  readonly max_items?: number;
}

/**
 * Options of {@link checkStack}.
 *
 * @example
 * ```ts
 * checkStack(synthesized, { schema: myFullSchema });
 * ```
 */
export interface CheckStackOptions {
  /**
   * The provider schema document to check against (every provider in it is used).
   * @default - the alicloud subset vendored in this package (`schema/alicloud-provider-subset.json`)
   */
  readonly schema?: ProviderSchemaDocument;
  /**
   * The provider value validators to check literal values against (the shape of the schema, with
   * validators; see `@ecs-pulse/alicloud-provider/validators`). Pass `false` to check the schema only.
   * @default - the alicloud validators vendored in this package (`schema/alicloud-provider-validators.json`)
   */
  readonly validators?: ValidatorsDocument | false;
}
