/**
 * `@ecs-pulse/alicloud-provider/testing`: checks synthesized Terraform JSON against the vendored
 * alicloud provider schema and the provider's value validators. Loaded only when this subpath is imported.
 */
export { checkStack, assertValidStack } from './check-stack.js';
export { AlicloudProviderError, StackSchemaError, isAlicloudProviderError } from '../errors.js';
export type { AlicloudProviderErrorCode } from '../errors.js';
export type {
  CheckStackOptions,
  CtyType,
  ProviderSchemaDocument,
  ProviderSchemaEntry,
  SchemaAttribute,
  SchemaBlock,
  SchemaBlockType,
  SchemaTypeEntry,
  StackCheckResult,
  StackIssue,
  StackIssueCode,
} from './types.js';
export type { ValidatorsDocument } from '../validators/types.js';
