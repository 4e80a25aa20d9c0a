import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The test AccessKey the double accepts. */
export const TEST_AK = { id: 'LTAI5tTESTTESTTESTTEST01', secret: 'test-secret-0123456789abcdef' } as const;

/** One request the double received (after checking its signature). */
export interface ApiCall {
  readonly action: string;
  readonly version: string;
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly accessKeyId: string;
}

/** What a handler answers: a JSON body (PascalCase, as the real API), or raw bytes. */
export interface ApiReply {
  readonly status?: number;
  readonly json?: unknown;
  readonly raw?: Buffer | string;
  readonly headers?: Record<string, string>;
}

export type ApiHandler = (call: ApiCall) => ApiReply | Promise<ApiReply>;

/** SDK-compatible percent-encoding (RFC 3986 plus !'()*). */
function encode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

/**
 * Recompute the ACS3-HMAC-SHA256 signature of a request the way Alibaba Cloud's gateway does
 * (canonical request: method, path, sorted query, signed headers, payload hash).
 */
export function acs3Signature(
  secret: string,
  req: { method: string; path: string; query: Record<string, string>; headers: IncomingHttpHeaders; signedHeaders: string[]; payloadHash: string },
): string {
  const canonicalQuery = Object.keys(req.query)
    .sort()
    .map((k) => `${encode(k)}=${encode(req.query[k] ?? '')}`)
    .join('&');
  const canonicalHeaders = req.signedHeaders
    .map((h) => {
      const v = req.headers[h];
      return `${h}:${(Array.isArray(v) ? v.join(',') : (v ?? '')).trim()}\n`;
    })
    .join('');
  const canonicalRequest = [
    req.method,
    req.path,
    canonicalQuery,
    canonicalHeaders,
    req.signedHeaders.join(';'),
    req.payloadHash,
  ].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/**
 * A local HTTP double of Alibaba Cloud OpenAPI endpoints (RPC and ROA through the ACS3 signature).
 * It checks the action/version headers, the AccessKey and the signature for real, records the calls,
 * and answers from scripted handlers. `throttle(action, n)` makes the next n calls answer
 * `Throttling.User` like the real gateway.
 */
export class OpenApiDouble {
  readonly calls: ApiCall[] = [];
  readonly rejected: Array<{ reason: string; action: string }> = [];
  private readonly handlers = new Map<string, ApiHandler>();
  private readonly throttles = new Map<string, number>();
  private readonly errors = new Map<string, ApiReply>();
  private server: Server | undefined;
  url = '';

  /** Register the handler of `version/action` (e.g. `2014-05-26`, `RunCommand`). */
  on(version: string, action: string, handler: ApiHandler): this {
    this.handlers.set(`${version}/${action}`, handler);
    return this;
  }

  /** Answer the next `times` calls of `action` with a Throttling error. */
  throttle(action: string, times: number): this {
    this.throttles.set(action, times);
    return this;
  }

  /** Answer every call of `action` with this error (e.g. `{status: 400, json: {Code: 'InvalidRegionId'}}`). */
  fail(action: string, reply: ApiReply): this {
    this.errors.set(action, reply);
    return this;
  }

  /** Calls of one action, in order. */
  callsOf(action: string): ApiCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks)).then((reply) => {
          const body = reply.raw ?? JSON.stringify(reply.json ?? {});
          res.writeHead(reply.status ?? 200, {
            'content-type': reply.raw === undefined ? 'application/json;charset=utf-8' : 'application/octet-stream',
            ...reply.headers,
          });
          res.end(body);
        });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private reject(status: number, code: string, message: string, action: string): ApiReply {
    this.rejected.push({ reason: `${code}: ${message}`, action });
    return { status, json: { Code: code, Message: message, RequestId: 'DOUBLE-REJECT' } };
  }

  private async handle(method: string, rawUrl: string, headers: IncomingHttpHeaders, body: Buffer): Promise<ApiReply> {
    const url = new URL(rawUrl, 'http://double');
    const action = String(headers['x-acs-action'] ?? url.searchParams.get('Action') ?? '');
    const version = String(headers['x-acs-version'] ?? url.searchParams.get('Version') ?? '');
    if (!action || !version) return this.reject(400, 'MissingAction', 'x-acs-action / x-acs-version missing', action);
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;

    // Signature (ACS3-HMAC-SHA256), checked for real.
    const auth = String(headers.authorization ?? '');
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return this.reject(400, 'MissingAuthorization', `bad Authorization header: ${auth.slice(0, 40)}`, action);
    const [, accessKeyId = '', signed = '', signature = ''] = m;
    if (accessKeyId !== TEST_AK.id) return this.reject(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.', action);
    const payloadHash = createHash('sha256').update(body).digest('hex');
    if (headers['x-acs-content-sha256'] !== payloadHash) {
      return this.reject(400, 'IncompleteSignature', 'x-acs-content-sha256 does not match the body', action);
    }
    for (const required of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
      if (!signed.split(';').includes(required)) return this.reject(400, 'IncompleteSignature', `${required} is not signed`, action);
    }
    const expected = acs3Signature(TEST_AK.secret, {
      method,
      path: url.pathname,
      query,
      headers,
      signedHeaders: signed.split(';'),
      payloadHash,
    });
    if (expected !== signature) {
      return this.reject(400, 'SignatureDoesNotMatch', 'The request signature does not conform to Aliyun standards.', action);
    }

    const call: ApiCall = { action, version, method, path: url.pathname, query, headers, body, accessKeyId };
    this.calls.push(call);
    const left = this.throttles.get(action) ?? 0;
    if (left > 0) {
      this.throttles.set(action, left - 1);
      return { status: 400, json: { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', RequestId: 'DOUBLE-THROTTLE' } };
    }
    const error = this.errors.get(action);
    if (error) return error;
    const handler = this.handlers.get(`${version}/${action}`);
    if (!handler) return this.reject(404, 'InvalidAction.NotFound', `no handler for ${version}/${action}`, action);
    try {
      return await handler(call);
    } catch (e) {
      return this.reject(400, 'MissingParameter', e instanceof Error ? e.message : String(e), action);
    }
  }
}

/** Throw (→ a 400 MissingParameter answer) unless the query has these exact values. */
export function expectParams(call: ApiCall, expected: Record<string, string | RegExp>): void {
  for (const [k, v] of Object.entries(expected)) {
    const got = call.query[k];
    if (got === undefined) throw new Error(`${call.action}: ${k} is mandatory for this action.`);
    if (typeof v === 'string' ? got !== v : !v.test(got)) throw new Error(`${call.action}: ${k}=${got} is not valid (want ${String(v)}).`);
  }
}
