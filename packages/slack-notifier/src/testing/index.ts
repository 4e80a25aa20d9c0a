import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SlackNotifierError } from '../errors.js';
import { validateSlackMessage, type SlackLimitViolation } from '../limits.js';
import { createWebApiSink, type SlackApiSink, type SlackApiSinkOptions } from './web-api-sink.js';

export type { SinkApiCall, SinkApiChannel, SinkApiMessage, SinkApiReply, SlackApiSink, SlackApiSinkOptions } from './web-api-sink.js';

/**
 * How the sink answers one request. `status` + `body` (+ `headers`) is a normal answer; `delayMs` delays
 * it; `hang` never answers (the client must time out); `drop` destroys the connection without an answer.
 *
 * @example
 * ```ts
 * const reply: SinkReply = { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } };
 * ```
 */
export interface SinkReply {
  /** HTTP status. @default 200 */
  readonly status?: number;
  /** Response body (Slack answers plain text). @default 'ok' for 2xx */
  readonly body?: string;
  /** Extra response headers, e.g. `retry-after`. @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait before answering, in ms. @default 0 */
  readonly delayMs?: number;
  /** Never answer. @default false */
  readonly hang?: boolean;
  /** Destroy the socket instead of answering. @default false */
  readonly drop?: boolean;
  /**
   * Still record the message in `messages` (a delivered message), and validate it first.
   * @default true for 2xx without hang/drop, false otherwise
   */
  readonly accept?: boolean;
}

/**
 * Ready-made {@link SinkReply} values for Slack's documented answers.
 *
 * @example
 * ```ts
 * sink.script(sinkReply.rateLimited(1), sinkReply.serverError(503), sinkReply.ok());
 * ```
 */
export const sinkReply = Object.freeze({
  /** 200 `ok`. */
  ok: (): SinkReply => ({ status: 200, body: 'ok' }),
  /** 429 with `Retry-After: <seconds>`. */
  rateLimited: (retryAfterSeconds: number): SinkReply => ({
    status: 429,
    body: JSON.stringify({ ok: false, error: 'rate_limited' }),
    headers: { 'retry-after': String(retryAfterSeconds), 'content-type': 'application/json' },
  }),
  /** 400 `invalid_payload`. */
  invalidPayload: (): SinkReply => ({ status: 400, body: 'invalid_payload' }),
  /** 403 `action_prohibited`. */
  actionProhibited: (): SinkReply => ({ status: 403, body: 'action_prohibited' }),
  /** 404 `channel_not_found`. */
  channelNotFound: (): SinkReply => ({ status: 404, body: 'channel_not_found' }),
  /** 410 `channel_is_archived`. */
  channelArchived: (): SinkReply => ({ status: 410, body: 'channel_is_archived' }),
  /** 500 `rollup_error` (or another 5xx status with an empty body). */
  serverError: (status = 500): SinkReply => ({ status, body: status === 500 ? 'rollup_error' : '' }),
  /** 200 `ok` after `ms`. */
  slow: (ms: number): SinkReply => ({ status: 200, body: 'ok', delayMs: ms }),
  /** Never answer. */
  hang: (): SinkReply => ({ hang: true }),
  /** Destroy the connection. */
  drop: (): SinkReply => ({ drop: true }),
});

/**
 * One request the sink received, with the answer it gave.
 *
 * @example
 * ```ts
 * expect(sink.requests.map((r) => r.status)).toEqual([429, 200]);
 * ```
 */
export interface SinkRequest {
  /** Arrival time (ms since epoch). */
  readonly at: number;
  readonly method: string;
  /** The request path (this is the secret part of a real webhook URL; the sink's is random). */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** Parsed JSON body, when it parsed. */
  readonly json: unknown;
  /** Limit violations found (then the answer was 400 `invalid_payload`). */
  readonly violations: readonly SlackLimitViolation[];
  /** Status answered, or `undefined` for hang/drop. */
  readonly status: number | undefined;
  /** How the sink answered. */
  readonly outcome: 'answered' | 'hung' | 'dropped';
}

/**
 * A scripted answer: a queue of replies (consumed one per request, then the default behaviour) or a
 * function of the request and its 0-based index (return `undefined` for the default).
 *
 * @example
 * ```ts
 * const script: SinkScript = (req, index) => (index % 2 === 0 ? sinkReply.serverError(503) : undefined);
 * ```
 */
export type SinkScript = (request: { readonly path: string; readonly json: unknown; readonly body: string }, index: number) => SinkReply | undefined;

/**
 * Options of {@link startSlackSink}.
 *
 * @example
 * ```ts
 * const sink = await startSlackSink({ rateLimit: { perSecond: 1, burst: 3 } });
 * ```
 */
export interface SlackSinkOptions {
  /**
   * Enforce a token-bucket rate limit like Slack's; over it the sink answers 429 with `Retry-After`
   * (whole seconds until a token is free, at least 1).
   * @default undefined (no limit)
   */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /**
   * Check every message against the limits and answer 400 `invalid_payload` when it breaks one.
   * @default true
   */
  readonly validate?: boolean;
  /**
   * Port on 127.0.0.1.
   * @default 0 (any free port)
   */
  readonly port?: number;
  /**
   * Options of the Web API under `/api/` (per-method rate limits, the `conversations.history` page limit).
   * @default {}
   */
  readonly api?: SlackApiSinkOptions;
}

/**
 * A running local Slack-compatible incoming-webhook endpoint.
 *
 * @example
 * ```ts
 * const sink = await startSlackSink();
 * await new SlackWebhook(sink.url).send({ text: 'hi' });
 * sink.messages.length; // 1
 * await sink.close();
 * ```
 */
export interface SlackSink {
  /** A webhook URL on this sink (`http://127.0.0.1:<port>/services/T…/B…/<random>`). */
  readonly url: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Messages accepted (answered 2xx), in order. */
  readonly messages: unknown[];
  /** Every request, in order. */
  readonly requests: SinkRequest[];
  /** The Slack Web API of this sink (`chat.postMessage`, `chat.update`, `conversations.history`), at `<origin>/api`. */
  readonly api: SlackApiSink;
  /** Queue replies for the next requests, or install a function (replaces the queue). */
  script(...replies: (SinkReply | SinkScript)[]): void;
  /** Clear recorded messages/requests and the script (and the Web API state). */
  reset(): void;
  /** Stop the server, ending hung requests. */
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(contentType: string | undefined, body: string): { ok: true; json: unknown } | { ok: false } {
  try {
    if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
      const payload = new URLSearchParams(body).get('payload');
      return payload === null ? { ok: false } : { ok: true, json: JSON.parse(payload) };
    }
    return { ok: true, json: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

/**
 * Starts a local Slack-compatible incoming webhook on 127.0.0.1: it accepts `POST /services/…` with JSON
 * (or form `payload=`), validates the message against Slack's limits (400 `invalid_payload` and the
 * violations recorded when it breaks one), records it, and answers 200 `ok`. Scripted replies simulate
 * 429 + Retry-After, 400/404/410, 5xx, slow answers, hangs and dropped connections; `rateLimit` makes it
 * enforce N messages/second with a burst. Under `/api/` it is also a Slack Web API (see {@link SlackApiSink}:
 * in-memory channels, threads, metadata, Slack's errors and per-method rate limits). Other paths get 404
 * `no_service`, other methods 405.
 *
 * @throws SlackNotifierError `SINK_ERROR` when the server cannot listen.
 *
 * @example
 * ```ts
 * import { startSlackSink, sinkReply } from '@ecs-pulse/slack-notifier/testing';
 *
 * const sink = await startSlackSink();
 * sink.script(sinkReply.rateLimited(1));
 * // … send through new SlackWebhook(sink.url) …
 * await sink.close();
 * ```
 */
export async function startSlackSink(options: SlackSinkOptions = {}): Promise<SlackSink> {
  const validate = options.validate ?? true;
  const messages: unknown[] = [];
  const requests: SinkRequest[] = [];
  let queue: SinkReply[] = [];
  let fn: SinkScript | undefined;
  let index = 0;
  const timers = new Set<NodeJS.Timeout>();
  const secret = `/services/T${randomBytes(4).toString('hex').toUpperCase()}/B${randomBytes(4).toString('hex').toUpperCase()}/${randomBytes(12).toString('hex')}`;

  const rate = options.rateLimit;
  let tokens = rate?.burst ?? 0;
  let last = Date.now();
  const takeToken = (): number => {
    if (!rate) return 0;
    const now = Date.now();
    tokens = Math.min(rate.burst, tokens + ((now - last) / 1000) * rate.perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - tokens) / rate.perSecond));
  };

  let webApi: ReturnType<typeof createWebApiSink> | undefined;
  const server = http.createServer(async (req, res) => {
    const at = Date.now();
    const body = await readBody(req).catch(() => '');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/api/') && webApi !== undefined) return webApi.handle(req, res, path.slice(5), body);
    const record = (r: Omit<SinkRequest, 'at' | 'method' | 'path' | 'headers' | 'body'>): void => {
      requests.push({ at, method: req.method ?? '', path, headers: req.headers, body, ...r });
    };
    const answer = (status: number, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      res.end(text);
    };
    if (!path.startsWith('/services/')) {
      record({ json: undefined, violations: [], status: 404, outcome: 'answered' });
      return answer(404, 'no_service');
    }
    if (req.method !== 'POST') {
      record({ json: undefined, violations: [], status: 405, outcome: 'answered' });
      return answer(405, 'invalid_method');
    }
    const parsed = parseBody(req.headers['content-type'], body);
    const json = parsed.ok ? parsed.json : undefined;
    const i = index++;
    const scripted = fn ? fn({ path, json, body }, i) : queue.shift();

    if (scripted?.drop) {
      record({ json, violations: [], status: undefined, outcome: 'dropped' });
      req.socket.destroy();
      return;
    }
    if (scripted?.hang) {
      record({ json, violations: [], status: undefined, outcome: 'hung' });
      return;
    }
    let reply: SinkReply = scripted ?? { status: 200, body: 'ok' };
    let violations: SlackLimitViolation[] = [];
    const status = reply.status ?? 200;
    const accept = reply.accept ?? (status >= 200 && status < 300);
    if (accept) {
      if (!parsed.ok) {
        reply = { status: 400, body: 'invalid_payload', delayMs: reply.delayMs };
        violations = [{ path: '', rule: 'json', message: 'the body is not valid JSON' }];
      } else if (validate && (violations = validateSlackMessage(json)).length) {
        reply = { status: 400, body: 'invalid_payload', delayMs: reply.delayMs };
      } else if (!scripted) {
        const retryAfter = takeToken();
        if (retryAfter > 0) reply = { ...sinkReply.rateLimited(retryAfter) };
      }
    }
    const finalStatus = reply.status ?? 200;
    if (accept && finalStatus >= 200 && finalStatus < 300) messages.push(json);
    record({ json, violations, status: finalStatus, outcome: 'answered' });
    const send = (): void => answer(finalStatus, reply.body ?? (finalStatus < 300 ? 'ok' : ''), { ...(reply.headers ?? {}) });
    if (reply.delayMs && reply.delayMs > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) send();
      }, reply.delayMs);
      timers.add(t);
    } else send();
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new SlackNotifierError('SINK_ERROR', `The Slack sink could not listen on 127.0.0.1:${options.port ?? 0}.`, { cause: error })));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  webApi = createWebApiSink(origin, options.api);
  const { api } = webApi;

  return {
    url: origin + secret,
    origin,
    messages,
    requests,
    api,
    script(...replies) {
      for (const r of replies) {
        if (typeof r === 'function') {
          fn = r;
          queue = [];
        } else {
          fn = undefined;
          queue.push(r);
        }
      }
    },
    reset() {
      messages.length = 0;
      requests.length = 0;
      queue = [];
      fn = undefined;
      index = 0;
      api.reset();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
