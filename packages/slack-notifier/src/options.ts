import { SlackNotifierError } from './errors.js';

/** @internal What an option must be: a test and the words for "must be …" in the error message. */
export type OptionRule = readonly [valid: (value: unknown) => boolean, what: string];

/** @internal Rule: a value of this `typeof` (the message says "must be a string", "must be a boolean", …). */
export const typeRule = (type: 'string' | 'boolean' | 'function'): OptionRule => [(v) => typeof v === type, `a ${type}`];

/** @internal Adds one issue (`key: must be …`) per option that is set but breaks its rule, in the order of `rules`. */
export function checkOptionRules(options: Record<string, unknown>, rules: Readonly<Record<string, OptionRule>>, issues: string[]): void {
  for (const [key, [valid, what]] of Object.entries(rules)) if (options[key] !== undefined && !valid(options[key])) issues.push(`${key}: must be ${what}`);
}

/** @internal Throws `INVALID_OPTIONS` listing every issue, when there is any. */
export function throwOptionIssues(owner: string, issues: readonly string[]): void {
  if (issues.length) throw new SlackNotifierError('INVALID_OPTIONS', `Invalid ${owner} options:\n- ${issues.join('\n- ')}`);
}
