import type { Agent } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** @internal What one HTTP attempt produced: a response, our own timeout, or a network failure. */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string; readonly retryAfter: string | undefined }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly error: Error };

const TIMED_OUT: AttemptOutcome = { kind: 'timeout' };
const MAX_BODY = 256 * 1024;

/** @internal Hosts that `http:` is allowed for (local sinks). */
export const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * @internal One HTTP request over `node:http`/`node:https` (never global `fetch`), settled exactly once: the
 * response (body capped at 256 KiB), `timeout` after `timeoutMs`, or `network` for a refused, reset or
 * dropped connection.
 */
export function httpAttempt(url: URL, agent: Agent, method: string, headers: Record<string, string | number>, body: string, timeoutMs: number): Promise<AttemptOutcome> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    let timedOut = false;
    const settle = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    // An error after our own timeout destroyed the request is that timeout, not a network failure.
    const fail = (error: Error): void => settle(timedOut ? TIMED_OUT : { kind: 'network', error });
    // Node derives protocol, host (IPv6 brackets stripped), port and path + query from the URL itself.
    const req = request(url, { method, agent, headers: { ...headers, 'content-length': Buffer.byteLength(body), 'user-agent': '@ecs-pulse/slack-notifier' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        settle({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
      });
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }));
      });
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
      settle(TIMED_OUT);
    }, timeoutMs);
    req.on('error', fail);
    req.end(body);
  });
}
