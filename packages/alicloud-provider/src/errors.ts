import type { StackIssue } from './testing/types.js';

const BRAND = Symbol.for('@ecs-pulse/alicloud-provider.AlicloudProviderError');
const STACK_SCHEMA_BRAND = Symbol.for('@ecs-pulse/alicloud-provider.StackSchemaError');

/**
 * Stable codes carried by {@link AlicloudProviderError}.
 *
 * - `INVALID_SYNTH_JSON`: the input of `checkStack` is not a synthesized Terraform JSON document.
 * - `SCHEMA_NOT_FOUND`: the vendored provider schema could not be read from the package files.
 * - `VALIDATORS_NOT_FOUND`: the vendored provider value validators could not be read from the package files.
 * - `STACK_SCHEMA_INVALID`: `assertValidStack` found issues (see `issues`).
 *
 * @example
 * ```ts
 * import type { AlicloudProviderErrorCode } from '@ecs-pulse/alicloud-provider';
 * const code: AlicloudProviderErrorCode = 'STACK_SCHEMA_INVALID';
 * ```
 */
export type AlicloudProviderErrorCode = 'INVALID_SYNTH_JSON' | 'SCHEMA_NOT_FOUND' | 'VALIDATORS_NOT_FOUND' | 'STACK_SCHEMA_INVALID';

/**
 * The one error class of `@ecs-pulse/alicloud-provider` (the bindings and the `/testing` schema
 * checker). Check for it with {@link AlicloudProviderError.isAlicloudProviderError}, which works
 * across duplicate installs, rather than `instanceof`.
 *
 * @example
 * ```ts
 * import { AlicloudProviderError } from '@ecs-pulse/alicloud-provider';
 * import { assertValidStack } from '@ecs-pulse/alicloud-provider/testing';
 *
 * try {
 *   assertValidStack(synthesized);
 * } catch (error) {
 *   if (AlicloudProviderError.isAlicloudProviderError(error)) console.error(error.code, error.message);
 *   throw error;
 * }
 * ```
 */
export class AlicloudProviderError extends Error {
  /** Stable machine-readable code; see {@link AlicloudProviderErrorCode}. */
  public readonly code: AlicloudProviderErrorCode;

  /**
   * @param code - stable error code
   * @param message - what was wrong, where, and how to fix it
   * @param options - ES2022 error options (`cause`)
   */
  public constructor(code: AlicloudProviderErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AlicloudProviderError';
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * Brand check that survives duplicate copies of this package (unlike `instanceof`).
   *
   * @example
   * ```ts
   * if (AlicloudProviderError.isAlicloudProviderError(error)) console.log(error.code);
   * ```
   */
  public static isAlicloudProviderError(value: unknown): value is AlicloudProviderError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/**
 * Function form of {@link AlicloudProviderError.isAlicloudProviderError}.
 *
 * @example
 * ```ts
 * import { isAlicloudProviderError } from '@ecs-pulse/alicloud-provider';
 * if (isAlicloudProviderError(error)) console.log(error.code);
 * ```
 */
export function isAlicloudProviderError(value: unknown): value is AlicloudProviderError {
  return AlicloudProviderError.isAlicloudProviderError(value);
}

/**
 * Thrown by `assertValidStack` (from `@ecs-pulse/alicloud-provider/testing`) when a synthesized
 * stack has schema issues; code `STACK_SCHEMA_INVALID`. The message lists every issue as
 * `path: message [CODE]`; `issues` holds them as data.
 *
 * @example
 * ```ts
 * import { StackSchemaError } from '@ecs-pulse/alicloud-provider';
 * import { assertValidStack } from '@ecs-pulse/alicloud-provider/testing';
 *
 * try {
 *   assertValidStack(synthesized);
 * } catch (error) {
 *   if (StackSchemaError.isStackSchemaError(error)) console.table(error.issues);
 * }
 * ```
 */
export class StackSchemaError extends AlicloudProviderError {
  /** Every issue found, in document order. */
  public readonly issues: readonly StackIssue[];

  /**
   * @param issues - the issues found by `checkStack` (at least one)
   */
  public constructor(issues: readonly StackIssue[]) {
    super(
      'STACK_SCHEMA_INVALID',
      `The synthesized stack has ${issues.length} schema issue${issues.length === 1 ? '' : 's'}; fix them in the constructs that produced them:\n${issues
        .map((issue) => `  ${issue.path}: ${issue.message} [${issue.code}]`)
        .join('\n')}`,
    );
    this.name = 'StackSchemaError';
    this.issues = issues;
    Object.defineProperty(this, STACK_SCHEMA_BRAND, { value: true });
  }

  /**
   * Brand check that survives duplicate copies of this package (unlike `instanceof`).
   *
   * @example
   * ```ts
   * if (StackSchemaError.isStackSchemaError(error)) console.log(error.issues.length);
   * ```
   */
  public static isStackSchemaError(value: unknown): value is StackSchemaError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[STACK_SCHEMA_BRAND] === true;
  }
}
