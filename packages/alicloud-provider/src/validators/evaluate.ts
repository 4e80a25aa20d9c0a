import type { ValueProblem, ValueValidator } from './types.js';

/**
 * Evaluates the provider's value validators against literal values, the way the provider's Go code
 * does (offline: Go RE2 patterns run as JavaScript regular expressions after translating the few
 * syntax differences; custom `unknown` validators are not checked).
 */

const MAX_SHOWN = 80;

/** A value for messages: JSON-quoted, cut at 80 characters. */
export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/** Terraform's string conversion of a JSON literal (numbers and bools are valid strings), or undefined. */
function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Terraform's number conversion of a JSON literal ("12" is a valid number), or undefined. */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

const quoteAll = (values: readonly (string | number)[]): string =>
  values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ');

function rangeText(v: ValueValidator, what: string, unit = ''): string {
  const { min, max } = v;
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}${unit}`;
  if (min !== undefined) return `${what} of at least ${min}${unit}`;
  if (max !== undefined) return `${what} of at most ${max}${unit}`;
  return what;
}

/**
 * A Go (RE2) pattern as a JavaScript RegExp: leading `(?i)`/`(?s)`/`(?m)` flag groups become flags,
 * `(?P<name>` becomes `(?<name>`, `\A` and `\z` become `^` and `$`. Throws when JavaScript cannot
 * compile it.
 */
export function goRegExp(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    for (const flag of lead[1] ?? '') if (flag !== 'U' && !flags.includes(flag)) flags += flag;
    source = source.slice(lead[0].length);
  }
  source = source.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$');
  return new RegExp(source, flags);
}

/** Why Go's RE2 would reject a pattern JavaScript accepts (lookaround, backreferences), or undefined. */
function re2Unsupported(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead/lookbehind groups are not supported by Go (RE2)';
  if (/(^|[^\\])\\[1-9]/.test(pattern)) return 'backreferences are not supported by Go (RE2)';
  return undefined;
}

/** Go time layout tokens, longest first, with the pattern of what they accept. */
const LAYOUT_TOKENS: ReadonlyArray<readonly [string, string, string?]> = [
  ['2006', '(\\d{4})', 'year'],
  ['Z07:00', '(Z|[+-]\\d{2}:\\d{2})'],
  ['-07:00', '([+-]\\d{2}:\\d{2})'],
  ['-0700', '([+-]\\d{4})'],
  ['.000', '(\\.\\d{3})'],
  ['01', '(\\d{2})', 'month'],
  ['02', '(\\d{2})', 'day'],
  ['15', '(\\d{2})', 'hour'],
  ['04', '(\\d{2})', 'minute'],
  ['05', '(\\d{2})', 'second'],
];

/** True when `text` parses with the Go time layout (numeric layouts: 2006, 01, 02, 15, 04, 05, zones). */
export function matchesGoLayout(text: string, layout: string): boolean {
  let source = '';
  const parts: Array<string | undefined> = [];
  for (let i = 0; i < layout.length; ) {
    const token = LAYOUT_TOKENS.find(([t]) => layout.startsWith(t, i));
    if (token) {
      source += token[1];
      parts.push(token[2]);
      i += token[0].length;
    } else {
      source += (layout[i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  const match = new RegExp(`^${source}$`).exec(text);
  if (!match) return false;
  const get = (name: string): number | undefined => {
    const at = parts.indexOf(name);
    return at < 0 ? undefined : Number(match[at + 1]);
  };
  const year = get('year') ?? 2000;
  const month = get('month') ?? 1;
  const day = get('day') ?? 1;
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  return (get('hour') ?? 0) <= 23 && (get('minute') ?? 0) <= 59 && (get('second') ?? 0) <= 59;
}

/** The problem one validator finds in a literal value, or undefined when the value passes (or cannot be checked). */
export function evaluate(validator: ValueValidator, value: unknown): ValueProblem | undefined {
  switch (validator.kind) {
    case 'enum': {
      const text = asString(value);
      const values = (validator.values ?? []).map(String);
      if (text === undefined) return undefined;
      const ignoreCase = validator.ignore_case === true;
      const ok = ignoreCase ? values.some((v) => v.toLowerCase() === text.toLowerCase()) : values.includes(text);
      if (ok) return undefined;
      const near = ignoreCase ? undefined : values.find((v) => v.toLowerCase() === text.toLowerCase());
      return {
        message: `${showValue(text)} is not allowed${near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}? case matters)`}`,
        allowed: `one of ${quoteAll(values)} (${ignoreCase ? 'case-insensitive' : 'case-sensitive'})`,
      };
    }
    case 'int_enum': {
      const n = asNumber(value);
      if (n === undefined) return undefined;
      const values = (validator.values ?? []).map(Number);
      return values.includes(n) ? undefined : { message: `${showValue(value)} is not allowed`, allowed: `one of ${quoteAll(values)}` };
    }
    case 'int_range':
    case 'float_range': {
      const n = asNumber(value);
      if (n === undefined) return undefined;
      const whole = validator.kind === 'int_range';
      const allowed = rangeText(validator, whole ? 'a whole number' : 'a number');
      if (whole && !Number.isInteger(n)) return { message: `${showValue(value)} is not a whole number`, allowed };
      if ((validator.min !== undefined && n < validator.min) || (validator.max !== undefined && n > validator.max)) {
        return { message: `${showValue(value)} is out of range`, allowed };
      }
      return undefined;
    }
    case 'len': {
      const text = asString(value);
      if (text === undefined) return undefined;
      // Go's len() counts UTF-8 bytes
      const bytes = Buffer.byteLength(text, 'utf8');
      if ((validator.min !== undefined && bytes < validator.min) || (validator.max !== undefined && bytes > validator.max)) {
        const unit = bytes === text.length ? 'characters' : 'UTF-8 bytes';
        return { message: `${showValue(text)} is ${bytes} ${unit} long`, allowed: rangeText(validator, 'a length', ` ${unit}`) };
      }
      return undefined;
    }
    case 'regex':
    case 'not_regex': {
      const text = asString(value);
      if (text === undefined || validator.pattern === undefined) return undefined;
      let re: RegExp;
      try {
        re = goRegExp(validator.pattern);
      } catch {
        return undefined; // a pattern JavaScript cannot run: not checked offline
      }
      const must = validator.kind === 'regex';
      if (re.test(text) === must) return undefined;
      const why = validator.message === undefined ? '' : ` (the provider says: ${validator.message})`;
      return {
        message: `${showValue(text)} ${must ? 'does not match' : 'matches'} the provider's pattern`,
        allowed: `a string ${must ? 'matching' : 'not matching'} /${validator.pattern}/${why}`,
      };
    }
    case 'json': {
      const text = asString(value);
      if (text === undefined) return undefined;
      try {
        JSON.parse(text);
        return undefined;
      } catch (error) {
        return { message: `${showValue(text)} is not JSON (${(error as Error).message})`, allowed: 'a JSON document' };
      }
    }
    case 'date': {
      const text = asString(value);
      if (text === undefined || validator.layout === undefined) return undefined;
      return matchesGoLayout(text, validator.layout)
        ? undefined
        : { message: `${showValue(text)} is not a date in the layout ${JSON.stringify(validator.layout)}`, allowed: `a date written like the Go layout ${JSON.stringify(validator.layout)} (2006 = year, 01 = month, 02 = day)` };
    }
    case 'valid_regex': {
      const text = asString(value);
      if (text === undefined) return undefined;
      const unsupported = re2Unsupported(text);
      let error: string | undefined = unsupported;
      if (error === undefined) {
        try {
          goRegExp(text);
        } catch (e) {
          error = (e as Error).message;
        }
      }
      return error === undefined ? undefined : { message: `${showValue(text)} is not a valid regular expression (${error})`, allowed: 'a regular expression in Go (RE2) syntax' };
    }
    case 'any': {
      const alternatives = validator.of ?? [];
      const problems: ValueProblem[] = [];
      for (const alternative of alternatives) {
        const problem = evaluate(alternative, value);
        if (problem === undefined) return undefined;
        problems.push(problem);
      }
      if (problems.length === 0) return undefined;
      return { message: `${showValue(value)} fits none of the alternatives`, allowed: problems.map((p) => p.allowed).join('; or ') };
    }
    default:
      return undefined; // `unknown` (a custom Go function) and kinds this version does not know
  }
}

/** Every problem the validators find in a literal value (empty when it passes). */
export function evaluateAll(validators: readonly ValueValidator[] | undefined, value: unknown): ValueProblem[] {
  const problems: ValueProblem[] = [];
  for (const validator of validators ?? []) {
    const problem = evaluate(validator, value);
    if (problem) problems.push(problem);
  }
  return problems;
}
