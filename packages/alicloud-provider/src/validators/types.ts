/**
 * One value validator of a provider attribute, as written in the provider's Go source
 * (`validation.StringInSlice`, `IntBetween`, ...), in the vendored validators file.
 *
 * | kind | Go function | checks |
 * |---|---|---|
 * | `enum` | `StringInSlice` | the string is one of `values` (case-insensitive when `ignore_case`) |
 * | `int_enum` | `IntInSlice` | the whole number is one of `values` |
 * | `int_range` | `IntBetween`, `IntAtLeast`, `IntAtMost` | a whole number within `min`..`max` |
 * | `float_range` | `FloatBetween` | a number within `min`..`max` |
 * | `len` | `StringLenBetween` | the string's length (UTF-8 bytes, as Go counts) within `min`..`max` |
 * | `regex` | `StringMatch` | the string matches `pattern` |
 * | `not_regex` | `StringDoesNotMatch` | the string does not match `pattern` |
 * | `json` | `StringIsJSON` | the string is JSON |
 * | `date` | e.g. `validateOssBucketDateTimestamp` | the string parses with the Go time `layout` |
 * | `valid_regex` | `StringIsValidRegExp` | the string is a regular expression |
 * | `any` | `validation.Any` | at least one validator of `of` passes |
 * | `unknown` | a custom function (`expr`) | not checked offline |
 *
 * @example
 * ```ts
 * const validator: ValueValidator = { kind: 'int_range', func: 'IntBetween', min: 64, max: 32768 };
 * ```
 */
export interface ValueValidator {
  /** What the validator checks; see the table above. */
  readonly kind: string;
  /** The Go function, e.g. `validation.StringInSlice`. */
  readonly func?: string;
  /** Allowed values (`enum`, `int_enum`). */
  readonly values?: readonly (string | number)[];
  /** `enum`: compare case-insensitively. */
  readonly ignore_case?: boolean;
  /** Lower bound (`int_range`, `float_range`, `len`). */
  readonly min?: number;
  /** Upper bound (`int_range`, `float_range`, `len`). */
  readonly max?: number;
  /** Go (RE2) regular expression (`regex`, `not_regex`). */
  readonly pattern?: string;
  /** The provider's explanation of `pattern`. */
  readonly message?: string;
  /** Go time layout (`date`), e.g. `2006-01-02`. */
  readonly layout?: string;
  /** Alternatives (`any`). */
  readonly of?: readonly ValueValidator[];
  /** The custom Go function (`unknown`). */
  readonly expr?: string;
}

/**
 * What the provider checks about one attribute besides its type: value validators, groups of
 * attributes, deprecation and removal. Names in the groups are attribute paths from the
 * resource's top level, as in the Go source.
 *
 * @example
 * ```ts
 * const rules: AttributeRules = { validators: [{ kind: 'len', min: 2, max: 128 }], conflicts_with: ['key_name'] };
 * ```
 */
export interface AttributeRules {
  /** Validators of the value. */
  readonly validators?: readonly ValueValidator[];
  /** Validators of each element of a list, set or map value. */
  readonly element_validators?: readonly ValueValidator[];
  /** Attributes that must not be set together with this one. */
  readonly conflicts_with?: readonly string[];
  /** Exactly one of these attributes (this one included) must be set. */
  readonly exactly_one_of?: readonly string[];
  /** At least one of these attributes (this one included) must be set. */
  readonly at_least_one_of?: readonly string[];
  /** When this attribute is set, all of these must be set too. */
  readonly required_with?: readonly string[];
  /** Set: the attribute still works but the provider warns. */
  readonly deprecation_message?: string;
  /** Set: the provider rejects the attribute. */
  readonly removed_message?: string;
  /** Fewest elements of a list or set value. */
  readonly min_items?: number;
  /** Most elements of a list or set value. */
  readonly max_items?: number;
  /** The value is secret: never shown in messages. */
  readonly sensitive?: boolean;
}

/**
 * The rules of one block (a resource, a data source, the provider configuration or a nested block).
 *
 * @example
 * ```ts
 * const block: ValidatorBlock = { attributes: { name: { validators: [{ kind: 'len', min: 1, max: 128 }] } } };
 * ```
 */
export interface ValidatorBlock {
  /** The whole resource or data source is deprecated. */
  readonly deprecation_message?: string;
  /** The whole resource or data source was removed. */
  readonly removed_message?: string;
  /** Rules by attribute name. */
  readonly attributes?: Readonly<Record<string, AttributeRules>>;
  /** Rules of nested blocks, by block name. */
  readonly block_types?: Readonly<Record<string, ValidatorBlockType>>;
}

/**
 * The rules of a nested block type: group and deprecation rules on the block itself, and its own block.
 *
 * @example
 * ```ts
 * const statement: ValidatorBlockType = { conflicts_with: ['document'], block: {} };
 * ```
 */
export interface ValidatorBlockType extends Omit<AttributeRules, 'validators' | 'element_validators' | 'sensitive'> {
  /** The rules inside the block. */
  readonly block?: ValidatorBlock;
}

/**
 * The vendored validators document: the shape of `terraform providers schema -json`, with
 * {@link AttributeRules} in place of attribute schemas.
 *
 * @example
 * ```ts
 * const doc: ValidatorsDocument = JSON.parse(readFileSync('validators.json', 'utf8'));
 * ```
 */
export interface ValidatorsDocument {
  /** Format version, `1.0`. */
  readonly format_version?: string;
  /** Provider versions by fully-qualified provider name. */
  readonly provider_versions?: Readonly<Record<string, string>>;
  /** Rules by fully-qualified provider name, e.g. `registry.terraform.io/aliyun/alicloud`. */
  readonly provider_schemas: Readonly<
    Record<
      string,
      {
        readonly provider?: { readonly block: ValidatorBlock };
        readonly resource_schemas?: Readonly<Record<string, { readonly block: ValidatorBlock }>>;
        readonly data_source_schemas?: Readonly<Record<string, { readonly block: ValidatorBlock }>>;
      }
    >
  >;
}

/**
 * Why a literal value is rejected, from {@link checkValue}.
 *
 * @example
 * ```ts
 * const problem: ValueProblem = { message: 'expected one of "cloud", "cloud_essd"; got "cloud_auto"', allowed: 'one of "cloud", "cloud_essd"' };
 * ```
 */
export interface ValueProblem {
  /** What is wrong with the value (without the attribute name). */
  readonly message: string;
  /** What is allowed, e.g. `one of "cloud", "cloud_essd" (case-sensitive)` or `a whole number from 64 to 32768`. */
  readonly allowed: string;
}
