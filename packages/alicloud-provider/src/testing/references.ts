/**
 * Finds `${...}` interpolations in Terraform JSON strings and the references (traversals) inside
 * them: `alicloud_instance.web.public_ip`, `data.alicloud_zones.z.zones[0].id`, `var.x`, also when
 * wrapped in function calls (`${base64encode(random_password.t.result)}`) or nested templates.
 */

/** One step of a traversal after its root name. */
export type TraversalStep = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index' };

/** A reference like `alicloud_instance.web.public_ip`: root `alicloud_instance`, then steps. */
export interface Traversal {
  /** The first name (`alicloud_instance`, `data`, `var`, `local`, ...). */
  readonly root: string;
  /** The steps after the root. */
  readonly steps: readonly TraversalStep[];
  /** The reference as written, for messages. */
  readonly text: string;
}

/** True when the string holds at least one interpolation (`${`, not the `$${` escape). */
export function hasInterpolation(value: string): boolean {
  return findInterpolations(value).length > 0;
}

/** Body texts of the top-level `${...}` interpolations of a template string. */
export function findInterpolations(template: string): string[] {
  const bodies: string[] = [];
  let i = 0;
  while (i < template.length) {
    const at = template.indexOf('${', i);
    if (at < 0) break;
    if (at > 0 && template[at - 1] === '$') {
      i = at + 2; // `$${` is a literal `${`
      continue;
    }
    const end = matchingBrace(template, at + 2);
    if (end < 0) break; // unterminated: not an interpolation
    bodies.push(template.slice(at + 2, end));
    i = end + 1;
  }
  return bodies;
}

/** Index of the `}` that closes an interpolation whose body starts at `from`, or -1. */
function matchingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i = endOfQuoted(text, i);
      if (i < 0) return -1;
    } else if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Index of the closing quote of the quoted string opening at `start` (template-aware), or -1. */
function endOfQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i;
    else if (ch === '$' && text[i + 1] === '{' && text[i - 1] !== '$') {
      const end = matchingBrace(text, i + 2);
      if (end < 0) return -1;
      i = end;
    }
  }
  return -1;
}

const IDENT = /[A-Za-z_][\w-]*/y;
const NUMBER = /\d+/y;

/**
 * Every traversal in an expression body (including ones nested in function arguments, index
 * expressions and templates). Names bound by `for` expressions are returned too; callers ignore
 * the roots they know are not references.
 */
export function findTraversals(expression: string): Traversal[] {
  const out: Traversal[] = [];
  scan(expression, out);
  return out;
}

function scan(expr: string, out: Traversal[]): void {
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i] as string;
    if (ch === '"') {
      const end = endOfQuoted(expr, i);
      const inner = expr.slice(i + 1, end < 0 ? expr.length : end);
      for (const body of findInterpolations(inner)) scan(body, out);
      i = end < 0 ? expr.length : end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch) && !isAfterDot(expr, i)) {
      IDENT.lastIndex = i;
      const match = IDENT.exec(expr);
      const root = match?.[0] ?? ch;
      let j = i + root.length;
      const steps: TraversalStep[] = [];
      for (;;) {
        const k = skipSpaces(expr, j);
        if (expr[k] === '.') {
          const n = skipSpaces(expr, k + 1);
          if (expr[n] === '*') {
            steps.push({ kind: 'index' });
            j = n + 1;
            continue;
          }
          NUMBER.lastIndex = n;
          const num = NUMBER.exec(expr);
          if (num) {
            steps.push({ kind: 'index' }); // legacy `list.0` index
            j = n + num[0].length;
            continue;
          }
          IDENT.lastIndex = n;
          const name = IDENT.exec(expr);
          if (!name) break;
          steps.push({ kind: 'attr', name: name[0] });
          j = n + name[0].length;
        } else if (expr[k] === '[' && steps.length > 0) {
          const close = matchingBracket(expr, k + 1);
          if (close < 0) break;
          scan(expr.slice(k + 1, close), out); // `[count.index]` holds references too
          steps.push({ kind: 'index' });
          j = close + 1;
        } else {
          break;
        }
      }
      if (steps.length > 0) out.push({ root, steps, text: expr.slice(i, j) });
      i = Math.max(j, i + 1);
      continue;
    }
    i++;
  }
}

function isAfterDot(expr: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && /\s/.test(expr[k] as string)) k--;
  return k >= 0 && (expr[k] === '.' || /[\w-]/.test(expr[k] as string));
}

function skipSpaces(expr: string, i: number): number {
  let k = i;
  while (k < expr.length && (expr[k] === ' ' || expr[k] === '\t')) k++;
  return k;
}

function matchingBracket(expr: string, from: number): number {
  let depth = 0;
  for (let i = from; i < expr.length; i++) {
    const ch = expr[i];
    if (ch === '"') {
      const end = endOfQuoted(expr, i);
      if (end < 0) return -1;
      i = end;
    } else if (ch === '[' || ch === '(' || ch === '{') depth++;
    else if (ch === ']' || ch === ')' || ch === '}') {
      if (depth === 0) return ch === ']' ? i : -1;
      depth--;
    }
  }
  return -1;
}

/** Names bound by `for` expressions (`[for k, v in var.m : v]`) in an expression body. */
export function forExpressionNames(expression: string): Set<string> {
  const names = new Set<string>();
  for (const match of expression.matchAll(/\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g)) {
    if (match[1]) names.add(match[1]);
    if (match[2]) names.add(match[2]);
  }
  return names;
}
