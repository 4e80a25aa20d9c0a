import { createHash } from 'node:crypto';
import type { AlertDetailValue } from '../types.js';

/** A plain JSON-ish object. */
export type Obj = Record<string, unknown>;

/** Deepest nesting flattened into `details`; deeper values become a marker string. */
export const MAX_DETAIL_DEPTH = 8;
/** Most keys put into one alert's `details`. */
export const MAX_DETAIL_KEYS = 256;
/** Longest string value kept in `details` (longer values are cut and end with `…`). */
export const MAX_DETAIL_STRING = 4096;
/** Deepest nesting walked when hashing a payload. */
const MAX_HASH_DEPTH = 32;
/** Largest canonical text hashed (keeps hashing of huge payloads bounded). */
const MAX_HASH_CHARS = 1 << 20;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Payload fields are read with plain property access (`o.name`, `c[key]`): every fixed field name the parser reads
// (`name`, `content`, `alertState`...) is not an `Object.prototype` member, so `__proto__`, `constructor` and friends
// are never read.

/** The object a JSON text holds, or `undefined` when it is not JSON or not an object. */
export function jsonObject(text: string): Obj | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** `null`, `array`, or the `typeof` name: for "got <type>" messages. */
export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * A usable string field: non-empty strings (trimmed) and finite numbers; `"null"`/`"undefined"` literals,
 * empty strings and everything else give `undefined`.
 */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === '' || t === 'null' || t === 'undefined') return undefined;
    return t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * A lookup table without prototype: `table['__proto__']` or `table.constructor` is `undefined`, not an
 * `Object.prototype` member (payload values such as a level of `"__proto__"` are used as keys).
 */
export function dict<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** Assigns without ever invoking the `__proto__` setter. */
export function safeSet(target: Obj, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function capString(s: string): string {
  return s.length > MAX_DETAIL_STRING ? `${s.slice(0, MAX_DETAIL_STRING - 1)}…` : s;
}

/** Flattens values into `details`, keys joined with `.`, bounded in depth, key count and string length. */
export class DetailsBuilder {
  readonly out: Record<string, AlertDetailValue> = {};
  private count = 0;
  private truncated = false;

  has(key: string): boolean {
    return Object.hasOwn(this.out, key);
  }

  set(key: string, value: AlertDetailValue): void {
    if (!this.has(key)) {
      if (this.count >= MAX_DETAIL_KEYS) {
        this.truncated = true;
        return;
      }
      this.count++;
    }
    safeSet(this.out, key, typeof value === 'string' ? capString(value) : value);
  }

  /** Adds `value` under `prefix` (flattening objects/arrays); `skip` lists top-level keys to leave out. */
  add(prefix: string, value: unknown, depth = 0, skip?: readonly string[], rename?: (key: string) => string): void {
    let leaf: AlertDetailValue;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') leaf = value;
    else if (typeof value === 'number') leaf = Number.isFinite(value) ? value : String(value);
    else if (typeof value === 'bigint') leaf = value.toString();
    else if (typeof value !== 'object') return; // undefined, function, symbol
    else if (depth >= MAX_DETAIL_DEPTH) {
      this.truncated = true;
      leaf = '[nested too deep]';
    } else {
      const array = Array.isArray(value);
      // Arrays: at most MAX_DETAIL_KEYS indices are walked (a longer array is truncated).
      const keys = array ? Array.from({ length: Math.min(value.length, MAX_DETAIL_KEYS) }, (_, i) => String(i)) : Object.keys(value);
      if (array && value.length > MAX_DETAIL_KEYS) this.truncated = true;
      if (keys.length > 0) {
        for (const k of keys) {
          if (depth === 0 && skip?.includes(k)) continue;
          if (this.count >= MAX_DETAIL_KEYS) {
            this.truncated = true;
            return;
          }
          let key = prefix === '' ? k : `${prefix}.${k}`;
          if (depth === 0 && rename) key = rename(key);
          this.add(key, (value as Obj)[k], depth + 1);
        }
        return;
      }
      leaf = array ? '[]' : '{}';
    }
    if (prefix !== '') this.set(prefix, leaf);
  }

  finish(): Record<string, AlertDetailValue> {
    if (this.truncated) safeSet(this.out, 'detailsTruncated', true);
    return this.out;
  }
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * Canonical text of a value for hashing: sorted keys, strings quoted (escaped only when needed), bounded depth and
 * size, never throws on cycles. Not meant to be valid JSON, only unambiguous and stable.
 */
export function canonical(value: unknown): string {
  let out = '';
  const walk = (v: unknown, depth: number): void => {
    if (out.length > MAX_HASH_CHARS) return;
    if (typeof v === 'string') out += quote(v);
    else if (v === null || v === undefined) out += 'null';
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out += String(v);
    else if (typeof v !== 'object') out += 'null';
    else if (depth >= MAX_HASH_DEPTH) out += '"[deep]"';
    else {
      const array = Array.isArray(v);
      const keys = array ? [] : Object.keys(v).sort();
      const n = array ? v.length : keys.length;
      out += array ? '[' : '{';
      for (let i = 0; i < n && out.length <= MAX_HASH_CHARS; i++) {
        if (i > 0) out += ',';
        if (!array) out += `${quote(keys[i]!)}:`;
        walk((v as Obj)[array ? i : keys[i]!], depth + 1);
      }
      out += array ? ']' : '}';
    }
  };
  walk(value, 0);
  return out;
}

/** Stable id for a payload without one: `sha256:` + 32 hex chars of the canonical text. */
export function payloadHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonical(value)).digest('hex').slice(0, 32)}`;
}

/** Splits `SomeCamelCase.Words` into `some camel case words`. */
export function humanize(token: string): string {
  return token
    .replace(/[._-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .toLowerCase();
}

/** `name (id)`, `id`, or `name` as available. */
export function label(name: string | undefined, id: string | undefined): string {
  if (name && id && name !== id) return `${name} (${id})`;
  return id || name || 'unknown resource';
}

/** A parsed resource reference (see {@link parseResourceRef}). */
export interface ResourceRef {
  id?: string;
  arn?: string;
  product?: string;
  region?: string;
  account?: string;
  type?: string;
}

/**
 * Parses a resource reference: an ARN `acs:<product>:<region>:<account>:<type>/<id>`, the CloudEvent subject form
 * `acs.<product>:<region>:<account>:<id>`, or a bare id.
 */
export function parseResourceRef(ref: string | undefined): ResourceRef {
  const out: ResourceRef = {};
  if (!ref) return out;
  if (!ref.startsWith('acs:') && !ref.startsWith('acs.')) {
    out.id = ref;
    return out;
  }
  if (ref[3] === ':') out.arn = ref;
  // [acs:|acs.]product : region : account : resource (the resource may hold more colons).
  const m = /^.{4}([^:]*):([^:]*):([^:]*):(.*)$/s.exec(ref);
  if (!m) return out;
  const [, product, region, account, resource] = m as unknown as [string, string, string, string, string];
  const firstSlash = resource.indexOf('/');
  const id = firstSlash >= 0 ? resource.slice(resource.lastIndexOf('/') + 1) : resource;
  if (id) out.id = id;
  if (product) out.product = product;
  if (region) out.region = region;
  if (account && account[0] !== '{' && !account.includes('*')) out.account = account;
  if (firstSlash > 0) out.type = resource.slice(0, firstSlash);
  return out;
}
