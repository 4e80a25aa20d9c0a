import { evaluateAll, showValue } from '../validators/evaluate.js';
import type { AttributeRules, ValidatorBlock, ValidatorBlockType } from '../validators/types.js';
import { findInterpolations } from './references.js';
import type { StackIssue, StackIssueCode } from './types.js';

/**
 * The provider's value rules applied to one block of a synthesized stack: value validators of
 * literal attributes (and of list/set/map elements), item counts, removed and deprecated
 * attributes, and the attribute groups (`conflicts_with`, `exactly_one_of`, `at_least_one_of`,
 * `required_with`). check-stack.ts walks the blocks and calls {@link ValueChecker.checkBlock}.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Attribute names whose values are never shown, even when the provider does not mark them sensitive. */
const SECRET_NAME = /password|secret|token|webhook|private_key|access_key|credential/i;

/** Where a block is: its resource (for absolute group keys and messages). */
export interface ValueContext {
  /** Terraform address of the resource: `alicloud_instance.host`, `data.alicloud_zones.z`, `provider.alicloud`. */
  readonly address: string;
  /** JSON path of the resource body, e.g. `resource.alicloud_instance.host`. */
  readonly prefix: string;
  /** The resource body (group keys are paths from here). */
  readonly root: JsonObject;
  /** Groups already reported for this resource (one issue per group, not one per member). */
  readonly reported: Set<string>;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a string Terraform evaluates later (`${...}` or a `%{...}` directive). */
function isExpression(value: Json): boolean {
  return typeof value === 'string' && (findInterpolations(value).length > 0 || /(^|[^%])%\{/.test(value));
}

/** The literal Terraform sees: `$${` and `%%{` escapes undone. */
function unescape(value: Json): Json {
  return typeof value === 'string' ? value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : value;
}

/** The value at an absolute attribute path (`a`, `a.0.b`); max_items=1 blocks are objects in cdktf JSON. */
function lookup(root: JsonObject, key: string): Json | undefined {
  let current: Json | undefined = root;
  for (const part of key.split('.')) {
    if (current === undefined || current === null) return undefined;
    if (/^\d+$/.test(part)) {
      if (Array.isArray(current)) current = current[Number(part)];
      else if (part !== '0') return undefined;
    } else if (Array.isArray(current)) {
      const first: Json | undefined = current[0];
      current = isObject(first) ? first[part] : undefined;
    } else if (isObject(current)) {
      current = current[part];
    } else {
      return undefined;
    }
  }
  return current;
}

type Presence = 'set' | 'unset' | 'unknown';

function presence(root: JsonObject, key: string): Presence {
  const value = lookup(root, key);
  if (value === undefined || value === null) {
    // a `dynamic` block of that name may produce it
    return isObject(root['dynamic']) && (root['dynamic'] as JsonObject)[key] !== undefined ? 'unknown' : 'unset';
  }
  if (Array.isArray(value) && value.length === 0) return 'unset';
  return isExpression(value) ? 'unknown' : 'set';
}

export class ValueChecker {
  public constructor(
    private readonly report: (issue: StackIssue) => void,
    private readonly warn: (issue: StackIssue) => void,
  ) {}

  /** Resource-level rules: the whole type deprecated or removed. */
  public checkResource(rules: ValidatorBlock | undefined, ctx: ValueContext, kind: string): void {
    if (rules?.removed_message !== undefined) {
      this.report({
        path: ctx.prefix,
        code: 'REMOVED_ATTRIBUTE',
        address: ctx.address,
        message: `${ctx.address}: the ${kind} type was removed from the provider: ${rules.removed_message}`,
      });
    }
    if (rules?.deprecation_message !== undefined) {
      this.warn({
        path: ctx.prefix,
        code: 'DEPRECATED_RESOURCE',
        address: ctx.address,
        message: `${ctx.address}: the ${kind} type is deprecated: ${rules.deprecation_message}`,
      });
    }
  }

  /**
   * Every rule of one block body (`path` is the block's JSON path). `sensitive` names the attributes
   * the schema marks sensitive (their values are never shown, whatever the validators file says).
   */
  public checkBlock(body: JsonObject, rules: ValidatorBlock | undefined, path: string, ctx: ValueContext, sensitive: ReadonlySet<string> = new Set()): void {
    if (!rules) return;
    for (const [name, attribute] of Object.entries(rules.attributes ?? {})) {
      const value = body[name];
      this.checkGroups(name, attribute, body, path, ctx);
      if (value === undefined || value === null) continue;
      this.checkLifecycle(name, attribute, `${path}.${name}`, ctx);
      this.checkValue(name, attribute, value, `${path}.${name}`, ctx, sensitive.has(name));
    }
    for (const [name, blockType] of Object.entries(rules.block_types ?? {})) {
      this.checkGroups(name, blockType, body, path, ctx);
      const value = body[name];
      if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) continue;
      this.checkLifecycle(name, blockType, `${path}.${name}`, ctx);
    }
  }

  private attributePath(path: string, ctx: ValueContext): string {
    return path.startsWith(`${ctx.prefix}.`) ? path.slice(ctx.prefix.length + 1) : path;
  }

  private issue(code: StackIssueCode, path: string, ctx: ValueContext, message: string, extra: Partial<StackIssue> = {}): StackIssue {
    return { path, code, address: ctx.address, attribute: this.attributePath(path, ctx), message, ...extra };
  }

  private checkLifecycle(name: string, rules: AttributeRules | ValidatorBlockType, path: string, ctx: ValueContext): void {
    const attribute = this.attributePath(path, ctx);
    if (rules.removed_message !== undefined) {
      this.report(
        this.issue('REMOVED_ATTRIBUTE', path, ctx, `${ctx.address}: ${attribute} was removed from the provider, which rejects it: ${rules.removed_message} Remove "${name}".`),
      );
    } else if (rules.deprecation_message !== undefined) {
      this.warn(this.issue('DEPRECATED_ATTRIBUTE', path, ctx, `${ctx.address}: ${attribute} is deprecated: ${rules.deprecation_message}`));
    }
  }

  private checkValue(name: string, rules: AttributeRules, value: Json, path: string, ctx: ValueContext, schemaSensitive: boolean): void {
    const sensitive = schemaSensitive || rules.sensitive === true || SECRET_NAME.test(name);
    if (isExpression(value)) return;
    if (Array.isArray(value)) {
      const count = value.length;
      if ((rules.max_items !== undefined && count > rules.max_items) || (rules.min_items !== undefined && count < rules.min_items)) {
        const allowed = `${rules.min_items ?? 0} to ${rules.max_items ?? 'any number of'} items`;
        this.report(
          this.issue('INVALID_VALUE', path, ctx, `${ctx.address}: ${this.attributePath(path, ctx)} has ${count} items; the provider allows ${allowed}.`, {
            rule: 'items',
            allowed,
          }),
        );
      }
      value.forEach((item, i) => this.checkLiteral(rules.element_validators, item, `${path}[${i}]`, ctx, sensitive));
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) this.checkLiteral(rules.element_validators, item, `${path}.${key}`, ctx, sensitive);
    } else {
      this.checkLiteral(rules.validators, value, path, ctx, sensitive);
    }
  }

  private checkLiteral(validators: AttributeRules['validators'], raw: Json, path: string, ctx: ValueContext, sensitive: boolean): void {
    if (!validators || raw === null || isObject(raw) || Array.isArray(raw) || isExpression(raw)) return;
    const value = unescape(raw);
    for (const validator of validators) {
      const [problem] = evaluateAll([validator], value);
      if (!problem) continue;
      const attribute = this.attributePath(path, ctx);
      const what = sensitive ? `${attribute} (sensitive, value not shown) is rejected` : `${attribute} = ${showValue(value)}: ${problem.message}`;
      this.report(
        this.issue('INVALID_VALUE', path, ctx, `${ctx.address}: ${what}; the provider allows ${problem.allowed}.`, {
          rule: validator.kind,
          allowed: problem.allowed,
          ...(sensitive ? {} : { value: showValue(value) }),
        }),
      );
    }
  }

  private checkGroups(name: string, rules: AttributeRules | ValidatorBlockType, body: JsonObject, path: string, ctx: ValueContext): void {
    const own = presence(body, name);
    const root = ctx.root;
    const state = (key: string): Presence => (key === name ? own : presence(root, key));
    const once = (kind: string, keys: readonly string[]): boolean => {
      const id = `${kind}:${path}:${[...new Set(keys)].sort().join(',')}`;
      if (ctx.reported.has(id)) return false;
      ctx.reported.add(id);
      return true;
    };
    const where = `${path}.${name}`;
    const list = (keys: readonly string[]) => keys.map((k) => `"${k}"`).join(', ');

    if (own !== 'unset' && rules.conflicts_with) {
      for (const other of rules.conflicts_with) {
        if (state(other) !== 'set') continue;
        if (!once('conflicts', [name, other])) continue;
        this.report(
          this.issue('CONFLICTING_ATTRIBUTES', where, ctx, `${ctx.address}: "${name}" conflicts with "${other}": the provider rejects setting both; remove one.`, {
            allowed: `only one of ${list([name, other])}`,
          }),
        );
      }
    }
    if (rules.exactly_one_of) {
      const keys = [...new Set([...rules.exactly_one_of, name])].sort();
      const states = keys.map(state);
      const set = keys.filter((_, i) => states[i] === 'set');
      const unknown = states.includes('unknown');
      if ((set.length > 1 || (set.length === 0 && !unknown)) && once('exactly', keys)) {
        this.report(
          this.issue(
            'EXACTLY_ONE_OF',
            where,
            ctx,
            set.length === 0
              ? `${ctx.address}: one of ${list(keys)} must be set; set exactly one.`
              : `${ctx.address}: only one of ${list(keys)} may be set, but ${list(set)} are; keep one.`,
            { allowed: `exactly one of ${list(keys)}` },
          ),
        );
      }
    }
    if (rules.at_least_one_of) {
      const keys = [...new Set([...rules.at_least_one_of, name])].sort();
      if (keys.every((k) => state(k) === 'unset') && once('at-least', keys)) {
        this.report(
          this.issue('AT_LEAST_ONE_OF', where, ctx, `${ctx.address}: at least one of ${list(keys)} must be set.`, { allowed: `at least one of ${list(keys)}` }),
        );
      }
    }
    if (own !== 'unset' && rules.required_with) {
      const keys = [...new Set([...rules.required_with, name])].sort();
      const missing = keys.filter((k) => state(k) === 'unset');
      if (missing.length > 0 && once('required-with', keys)) {
        this.report(
          this.issue('REQUIRED_WITH', where, ctx, `${ctx.address}: "${name}" is set, so ${list(keys)} must all be set; ${list(missing)} ${missing.length === 1 ? 'is' : 'are'} missing.`, {
            allowed: `all of ${list(keys)} together`,
          }),
        );
      }
    }
  }
}
