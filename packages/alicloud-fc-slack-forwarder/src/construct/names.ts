import { createHash } from 'node:crypto';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

/** The limits of one kind of account-wide name. */
export interface NameRule {
  /** Longest name the service accepts. */
  readonly maxLength: number;
  /** Characters that are not allowed; each run becomes one `-`. */
  readonly disallowed: RegExp;
}

/**
 * RAM role names: 1–64 characters, letters, digits, `.` and `-` (RAM CreateRole `RoleName`); RAM policy names:
 * 1–128 characters, letters, digits and `-` (RAM CreatePolicy `PolicyName`). The provider (1.289.0) has no
 * validator on `alicloud_ram_role.role_name` / `alicloud_ram_policy.policy_name` (validators file), so the
 * limits are the RAM API's.
 */
export const RAM_ROLE_NAME: NameRule = { maxLength: 64, disallowed: /[^A-Za-z0-9.-]+/g };
/** See {@link RAM_ROLE_NAME}. */
export const RAM_POLICY_NAME: NameRule = { maxLength: 128, disallowed: /[^A-Za-z0-9-]+/g };

/**
 * An account-wide name unique to this construct: `<stack>-<path below the stack>-<suffix>`, with disallowed
 * characters replaced by `-`. When that is too long, the head is kept and an 8-character hash of the full path
 * makes it unique again. Two stacks (or two constructs of one stack) never get the same name, so a second
 * deployment in the same account does not collide with the first.
 */
export function uniqueGlobalName(scope: Construct, suffix: string, rule: NameRule): string {
  const stack = TerraformStack.of(scope);
  const below = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  const path = [stack.node.id, ...below].join('/');
  const clean = (s: string): string => s.replace(rule.disallowed, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  const tail = clean(suffix);
  const head = clean(path.replace(/\//g, '-'));
  if (head.length + 1 + tail.length <= rule.maxLength) return `${head}-${tail}`;
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  const room = rule.maxLength - tail.length - hash.length - 2;
  return [clean(head.slice(0, room)), hash, tail].filter((s) => s !== '').join('-');
}
