import type { HttpResponse } from './types.js';

/** The largest HTTP body the function accepts (413 above it). CloudMonitor callbacks are a few KiB. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The FC 3.0 HTTP-trigger request, as built-in runtimes receive it (a JSON Buffer). */
export interface HttpTriggerEvent {
  readonly version?: string;
  readonly rawPath?: string;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
  readonly queryParameters?: Readonly<Record<string, string>>;
  readonly requestContext: {
    readonly requestId?: string;
    readonly http: { readonly method?: string; readonly path?: string; readonly sourceIp?: string };
  };
}

/**
 * True when a decoded invocation payload is an FC 3.0 HTTP-trigger request envelope
 * (`{ version, rawPath, headers, queryParameters, body, isBase64Encoded, requestContext: { http } }`).
 *
 * @example
 * ```ts
 * isHttpTriggerEvent({ version: 'v1', requestContext: { http: { method: 'POST' } } }); // true
 * ```
 */
export function isHttpTriggerEvent(value: unknown): value is HttpTriggerEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const ctx = (value as { requestContext?: unknown }).requestContext;
  if (typeof ctx !== 'object' || ctx === null) return false;
  const http = (ctx as { http?: unknown }).http;
  return typeof http === 'object' && http !== null && ('rawPath' in value || 'headers' in value || 'version' in value);
}

/** Lower-cases header names; non-string values are dropped. */
export function normalizeHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (typeof v === 'string') out[k.toLowerCase()] = v;
    else if (Array.isArray(v)) out[k.toLowerCase()] = v.filter((x) => typeof x === 'string').join(',');
  }
  return out;
}

/** Query parameters as strings (FC joins repeated values with commas). */
export function normalizeQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof query !== 'object' || query === null) return out;
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string').join(',');
  }
  return out;
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
