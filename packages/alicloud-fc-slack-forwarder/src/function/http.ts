import { checkType, isRecord, isStringOrStrings } from './check.js';
import type { HttpResponse } from './types.js';

/** The largest HTTP body the function accepts (413 above it). CloudMonitor callbacks are a few KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The FC 3.0 HTTP-trigger request, as built-in runtimes receive it (a JSON Buffer). Every field is `unknown`
 * because the function is also invoked with payloads it did not build (`InvokeFunction`, event triggers):
 * {@link readHttpRequest} checks the types before anything is read.
 */
export interface HttpTriggerEvent {
  readonly version?: unknown;
  readonly rawPath?: unknown;
  readonly body?: unknown;
  readonly isBase64Encoded?: unknown;
  readonly headers?: unknown;
  readonly queryParameters?: unknown;
  readonly requestContext?: unknown;
}

/** Top-level keys only an HTTP-trigger envelope has (events have `data`/`content`, never these). */
const ENVELOPE_KEYS = ['rawPath', 'isBase64Encoded', 'queryParameters'] as const;

/**
 * True when a decoded invocation payload has the shape of an FC 3.0 HTTP-trigger request envelope
 * (`{ version, rawPath, headers, queryParameters, body, isBase64Encoded, requestContext: { http } }`): a
 * `requestContext` object, or one of the keys only an envelope has (`rawPath`, `isBase64Encoded`,
 * `queryParameters`, or `headers` together with `body`). Such a payload must take the HTTP path, with its
 * token check, even when `requestContext.http` is missing: the parser would otherwise unwrap it as an event
 * and its body would be posted unauthenticated.
 *
 * @example
 * ```ts
 * isHttpTriggerEvent({ version: 'v1', requestContext: { http: { method: 'POST' } } }); // true
 * isHttpTriggerEvent({ requestContext: {}, headers: {}, body: '{}' }); // true (forged, refused later)
 * isHttpTriggerEvent({ specversion: '1.0', source: 'acs.ecs', data: {} }); // false
 * ```
 */
export function isHttpTriggerEvent(value: unknown): value is HttpTriggerEvent {
  if (!isRecord(value)) return false;
  const has = (key: string): boolean => Object.hasOwn(value, key);
  return (has('requestContext') && typeof value.requestContext === 'object' && value.requestContext !== null) || ENVELOPE_KEYS.some(has) || (has('headers') && has('body'));
}

/** `requestContext.http`, when both are objects. */
function httpContext(event: HttpTriggerEvent): Record<string, unknown> | undefined {
  const ctx = event.requestContext;
  return isRecord(ctx) && isRecord(ctx.http) ? ctx.http : undefined;
}

/**
 * The request method in upper case, or `undefined` when `requestContext.http.method` is absent or not a
 * string (such a request is answered 405).
 *
 * @example
 * ```ts
 * httpMethod({ requestContext: { http: { method: 'post' } } }); // 'POST'
 * httpMethod({ requestContext: { http: { method: { toString: 0 } } } }); // undefined
 * ```
 */
export function httpMethod(event: HttpTriggerEvent): string | undefined {
  const method = httpContext(event)?.method;
  return typeof method === 'string' ? method.toUpperCase() : undefined;
}

/**
 * The client address (`requestContext.http.sourceIp`) when it is a string.
 *
 * @example
 * ```ts
 * httpSourceIp({ requestContext: { http: { sourceIp: '47.74.206.10' } } }); // '47.74.206.10'
 * ```
 */
export function httpSourceIp(event: HttpTriggerEvent): string | undefined {
  const ip = httpContext(event)?.sourceIp;
  return typeof ip === 'string' ? ip : undefined;
}

/** Reports `field` unless it is absent, null or an object whose values are strings or arrays of strings. */
function checkStringMap(value: unknown, field: string, problems: string[]): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) problems.push(`${field}: must be an object`);
  // The name of a bad entry is not echoed: it comes from the request.
  else if (!Object.values(value).every(isStringOrStrings)) {
    problems.push(`${field}: every value must be a string or an array of strings`);
  }
}

/**
 * Type-checks the fields of an HTTP-trigger envelope the function reads (`requestContext.http`, `rawPath`,
 * `headers`, `queryParameters`, `isBase64Encoded`, `body`). A field of the wrong type (a header value that is an
 * object, a body that is not a string, a non-boolean `isBase64Encoded`...) is reported by field name, never by
 * value. An empty list means the request is well-formed: {@link normalizeHeaders} then reads its headers.
 *
 * @example
 * ```ts
 * httpRequestProblems({ headers: { 'Content-Type': 'text/plain' }, body: 'hi', requestContext: { http: { method: 'POST' } } }); // []
 * httpRequestProblems({ body: 42 }); // ['body: must be a string']
 * ```
 */
export function httpRequestProblems(event: HttpTriggerEvent): string[] {
  const problems: string[] = [];
  const ctx = event.requestContext;
  if (ctx !== undefined && !isRecord(ctx)) problems.push('requestContext: must be an object');
  const http = isRecord(ctx) ? ctx.http : undefined;
  if (http !== undefined && !isRecord(http)) problems.push('requestContext.http: must be an object');
  if (isRecord(http)) for (const key of ['path', 'sourceIp']) checkType(http[key], `requestContext.http.${key}`, 'string', problems);
  checkType(event.rawPath, 'rawPath', 'string', problems);
  checkStringMap(event.headers, 'headers', problems);
  checkStringMap(event.queryParameters, 'queryParameters', problems);
  checkType(event.isBase64Encoded, 'isBase64Encoded', 'boolean', problems);
  checkType(event.body ?? undefined, 'body', 'string', problems);
  return problems;
}

/** String values of a map, arrays of strings joined with commas (non-string values dropped), keys passed through `key`. */
function stringValues(map: unknown, key: (name: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof map !== 'object' || map === null) return out;
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'string') out[key(k)] = v;
    else if (Array.isArray(v)) out[key(k)] = v.filter((x) => typeof x === 'string').join(',');
  }
  return out;
}

/** Lower-cases header names; non-string values are dropped. */
export function normalizeHeaders(headers: unknown): Record<string, string> {
  return stringValues(headers, (name) => name.toLowerCase());
}

/** Query parameters as strings (FC joins repeated values with commas). */
export function normalizeQuery(query: unknown): Record<string, string> {
  return stringValues(query, (name) => name);
}

/** Content types the function reads; anything else is answered 415. */
export type BodyKind = 'json' | 'form' | 'text';

/**
 * Maps a `Content-Type` header to the body kind, or `undefined` for an unsupported type. A missing header is
 * accepted and the parser sniffs the body (`text`).
 *
 * @example
 * ```ts
 * bodyKind('application/x-www-form-urlencoded; charset=UTF-8'); // 'form'
 * bodyKind('application/xml'); // undefined
 * ```
 */
export function bodyKind(contentType: string | undefined): BodyKind | undefined {
  if (contentType === undefined || contentType.trim() === '') return 'text';
  const [mime = '', ...params] = contentType.toLowerCase().split(';').map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') return undefined;
  if (mime === 'application/json' || mime.endsWith('+json') || mime === 'text/json') return 'json';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  if (mime === 'text/plain') return 'text';
  return undefined;
}

/**
 * Builds a JSON response; the body never contains secrets or input content.
 *
 * @example
 * ```ts
 * jsonResponse(401, { error: 'unauthorized', message: 'missing or wrong token' });
 * ```
 */
export function jsonResponse(statusCode: number, body: Readonly<Record<string, unknown>>, extraHeaders: Readonly<Record<string, string>> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extraHeaders },
    body: JSON.stringify(body),
  };
}
