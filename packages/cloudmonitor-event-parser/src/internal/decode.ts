import { EventParseError } from '../errors.js';
import { jsonErrorPosition } from './json-error.js';
import type { Obj } from './util.js';

/** Default `maxInputBytes`: 8 MiB. */
export const DEFAULT_MAX_INPUT_BYTES = 8 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8');

export type BodyKind = 'json' | 'form' | 'sniff';

/** Classifies a Content-Type header value; throws `UNSUPPORTED_CONTENT_TYPE` for anything else. */
export function classifyContentType(contentType: string | undefined, where = 'options.contentType'): BodyKind {
  const raw = contentType?.trim();
  if (!raw) return 'sniff';
  const semi = raw.indexOf(';');
  const media = (semi >= 0 ? raw.slice(0, semi) : raw).trim().toLowerCase();
  if (semi >= 0) {
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(raw.slice(semi))?.[1]?.toLowerCase();
    if (charset !== undefined && !/^(utf-?8|us-ascii)$/.test(charset)) {
      throw new EventParseError(
        'UNSUPPORTED_CONTENT_TYPE',
        `Unsupported charset "${charset.slice(0, 40)}" in ${where}: the parser reads UTF-8 only; send UTF-8 or drop the charset.`,
        { path: where },
      );
    }
  }
  if (/^(application|text)\/json$|\+json$/.test(media)) return 'json';
  if (media === 'application/x-www-form-urlencoded') return 'form';
  if (/^(text\/plain|application\/octet-stream|\*\/\*)$/.test(media)) return 'sniff';
  throw new EventParseError(
    'UNSUPPORTED_CONTENT_TYPE',
    `Unsupported content type "${media.slice(0, 80)}" in ${where}: use application/json, application/x-www-form-urlencoded ` +
      '(metric-alarm callbacks), text/plain or none.',
    { path: where },
  );
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function tooLarge(size: number, max: number, where: string): EventParseError {
  return new EventParseError(
    'INPUT_TOO_LARGE',
    `The ${where} is ${size} bytes, more than maxInputBytes (${max}). Check that the right body is passed, or raise maxInputBytes.`,
    { inputSize: size },
  );
}

/** Checks the size limit of a string input (UTF-8 bytes). */
export function checkTextSize(text: string, max: number, where: string): void {
  if (text.length > max) throw tooLarge(text.length, max, where);
  if (text.length * 3 > max) {
    const bytes = utf8Length(text);
    if (bytes > max) throw tooLarge(bytes, max, where);
  }
}

/** What the parser reads as text: a string, or UTF-8 bytes. */
export type RawInput = string | Uint8Array | ArrayBuffer;

export function isRawInput(value: unknown): value is RawInput {
  return typeof value === 'string' || value instanceof Uint8Array || value instanceof ArrayBuffer;
}

/** Text of a string or of bytes (UTF-8, once; invalid sequences become U+FFFD), bytes size-checked first. */
export function inputText(input: RawInput, max: number, where: string): string {
  if (typeof input === 'string') return input;
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.byteLength > max) throw tooLarge(bytes.byteLength, max, where);
  // Node's Buffer decodes faster than TextDecoder; both replace invalid sequences with U+FFFD.
  const B = (globalThis as { Buffer?: { isBuffer(b: unknown): boolean } }).Buffer;
  if (B !== undefined && B.isBuffer(bytes)) return (bytes as unknown as { toString(enc: string): string }).toString('utf8');
  return utf8.decode(bytes);
}

/**
 * How to read a cleaned, non-empty body: the content type decides, else sniffing (`{`, `[` or `"` first → JSON,
 * `key=...` → form); `undefined` when it is neither.
 */
export function bodyFormat(text: string, kind: BodyKind): 'json' | 'form' | undefined {
  if (kind !== 'sniff') return kind;
  const first = text.charCodeAt(0);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */ || first === 0x22 /* " */) return 'json';
  return /^[A-Za-z0-9_.%-]+=/.test(text) ? 'form' : undefined;
}

/** {@link checkTextSize}, then {@link cleanText}. */
export function checkedText(text: string, max: number, where: string): string {
  checkTextSize(text, max, where);
  return cleanText(text);
}

/** Strips a leading BOM and surrounding whitespace. */
export function cleanText(text: string): string {
  let t = text;
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  return t.trim();
}

/** `JSON.parse` whose failure is an `INVALID_JSON` error without any input text in it. */
export function parseJson(text: string, where: string, family?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const msg = error instanceof Error ? error.message : '';
    const pos = /position (\d+)/.exec(msg)?.[1];
    const position = pos === undefined ? jsonErrorPosition(text) : Number(pos);
    let at = '';
    if (position !== undefined && position >= text.length) {
      at = ' (it ends early: truncated?)';
    } else if (position !== undefined) {
      const before = text.slice(0, position);
      const line = before.split('\n').length;
      const column = position - before.lastIndexOf('\n');
      at = ` at line ${line}, column ${column} (position ${position})`;
    }
    // The engine's own message quotes the input, which may hold secrets: it is neither copied nor kept as cause.
    throw new EventParseError(
      'INVALID_JSON',
      `The ${where} is not valid JSON${at}. Send the event JSON unchanged (UTF-8), or mark a form body application/x-www-form-urlencoded.`,
      { ...(family ? { family } : {}), ...(position !== undefined ? { position } : {}), inputSize: text.length },
    );
  }
}

/**
 * Decodes a form-urlencoded body exactly once (`+` → space, `%XX` as UTF-8) into a null-prototype record.
 * Repeated keys keep the first value. Throws `INVALID_FORM` when there is no `key=value` pair.
 */
export function parseForm(text: string, where: string): Obj {
  const out: Obj = Object.create(null) as Obj;
  let pairs = 0;
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    const key = formDecode(eq >= 0 ? pair.slice(0, eq) : pair);
    // `out` has no prototype: `in` sees own keys only and `__proto__` is a plain key.
    if (key !== '' && !(key in out)) {
      out[key] = eq >= 0 ? formDecode(pair.slice(eq + 1)) : '';
      pairs++;
    }
  }
  if (pairs === 0 || !text.includes('=')) {
    throw new EventParseError(
      'INVALID_FORM',
      `The ${where} is not form-urlencoded: no "key=value" pairs found. Send the metric-alarm callback body ` +
        '(alertName=...&alertState=...), or JSON as application/json.',
      { family: 'metric-alarm', inputSize: text.length },
    );
  }
  return out;
}

/** One form component: `+` → space, `%XX` → UTF-8; malformed escapes decoded leniently like URLSearchParams. */
function formDecode(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!plus.includes('%')) return plus;
  try {
    return decodeURIComponent(plus);
  } catch {
    return new URLSearchParams(`v=${s.replace(/&/g, '%26')}`).get('v') ?? plus;
  }
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Strict base64 (standard or URL-safe, padding optional) → UTF-8 text. */
export function decodeBase64(text: string, max: number, where: string): string {
  const compact = text.replace(/\s+/g, '');
  const invalid = (): EventParseError =>
    new EventParseError(
      'INVALID_BASE64',
      `The ${where} is flagged isBase64Encoded but is not valid base64 (length ${compact.length}). Pass the FC event unchanged.`,
      { family: 'http-trigger', path: 'body', inputSize: compact.length },
    );
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw invalid();
  const std = compact.replace(/-/g, '+').replace(/_/g, '/');
  const estimated = Math.floor((std.replace(/=+$/, '').length * 3) / 4);
  if (estimated > max) throw tooLarge(estimated, max, `decoded ${where}`);
  let binary: string;
  try {
    binary = atob(std.padEnd(std.length + ((4 - (std.length % 4)) % 4), '='));
  } catch {
    throw invalid();
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8.decode(bytes);
}
