/**
 * The FC 3.0 HTTP-trigger request path (CloudMonitor metric-alarm callbacks, event webhooks): token check,
 * request checks, body decoding, parsing, forwarding, the HTTP answer.
 *
 * In the bundle this module is its own file, `function-http.cjs` next to `index.js` in dist/function.zip, which
 * index.js requires at the first HTTP-trigger request (http-load.ts; http-require.ts in the bundle): event
 * invocations never load it. Everything it shares with the event path (the configuration, the logger, the
 * forwarding pipeline, the parser) is handed in as {@link HttpDeps}, so the file holds none of it twice.
 */
import type { safeParse as parserSafeParse } from '@ecs-pulse/cloudmonitor-event-parser';
import type { DeliveryError } from '../errors.js';
import type { ConfigResult, ForwarderConfig } from './config.js';
import type { sendBudgetMs as budgetOf } from './forward.js';
import { MAX_BODY_BYTES, httpMethod, httpSourceIp, jsonResponse, httpRequestProblems, normalizeHeaders, normalizeQuery, type HttpTriggerEvent } from './http.js';
import type { LogRecord, rawForLog as rawLog } from './log.js';
import { presentedToken, tokenMatches } from './token.js';
import type { FcContext, HttpResponse, InvocationSummary } from './types.js';

/** Time an HTTP request may spend on Slack: CloudMonitor waits 5 s for a callback response, then retries. */
const HTTP_BUDGET_MS = 4000;

/** What the HTTP path uses of the function instance (index.ts), handed in rather than bundled twice. */
export interface HttpDeps {
  /** The configuration read at cold start. */
  readonly config: ConfigResult;
  /** The instance's logger (redacts its secrets). */
  readonly log: (record: LogRecord) => void;
  /** The writer of the request's `invocation` line: `fields` go between `common` and `ms`. */
  readonly invocationLog: (requestId: string, startedAt: number, common: Record<string, unknown>) => (fields: Record<string, unknown>, level?: LogRecord['level']) => void;
  /** Forwards parsed alerts; `fields` describe the result for the invocation line. */
  readonly forward: (data: unknown, config: ForwarderConfig, requestId: string, budgetMs: number) => Promise<{ readonly summary: InvocationSummary; readonly error?: DeliveryError; readonly fields: Record<string, unknown> }>;
  /** The parser's `safeParse`. */
  readonly safeParse: typeof parserSafeParse;
  /** log.ts `rawForLog`. */
  readonly rawForLog: typeof rawLog;
  /** forward.ts `sendBudgetMs`. */
  readonly sendBudgetMs: typeof budgetOf;
  /** The all-zero summary. */
  readonly empty: InvocationSummary;
}

/** Handles one FC 3.0 HTTP-trigger request. Never throws. */
export async function handleHttp(request: HttpTriggerEvent, context: FcContext | undefined, startedAt: number, requestId: string, deps: HttpDeps): Promise<HttpResponse> {
  const { log, config: loaded, forward, safeParse, rawForLog, sendBudgetMs, empty: EMPTY } = deps;
  const method = httpMethod(request);
  const invocation = deps.invocationLog(requestId, startedAt, { handler: 'handler', kind: 'http', method: method ?? null });
  const respond = (response: HttpResponse, fields: Record<string, unknown>, level?: LogRecord['level']): HttpResponse => {
    invocation({ statusCode: response.statusCode, ...fields }, level);
    return response;
  };
  /** Answers `{ error, message }` for a request that is not forwarded (nothing was delivered). */
  const refuse = (
    statusCode: number,
    error: string,
    message: string,
    outcome: string,
    fields: Record<string, unknown> = {},
    level: LogRecord['level'] = 'warn',
    headers?: Record<string, string>,
  ): HttpResponse => respond(jsonResponse(statusCode, { error, message }, headers), { outcome, ...fields, ...EMPTY }, level);
  /** Logs why the function cannot serve HTTP requests and answers 500. */
  const notConfigured = (issues: readonly string[], message: string): HttpResponse => {
    log({ level: 'error', msg: 'config-invalid', requestId, issues });
    return refuse(500, 'not_configured', message, 'not-configured', {}, 'error');
  };

  if (!loaded.ok) return notConfigured(loaded.issues, 'The forwarder is not configured; see the function logs.');
  const { config } = loaded;

  if (method !== 'POST') return refuse(405, 'method_not_allowed', 'Use POST.', 'rejected', {}, 'warn', { allow: 'POST' });
  if (config.httpToken === undefined) {
    // loadConfig sets httpTokenProblem whenever it leaves httpToken unset.
    return notConfigured([config.httpTokenProblem!], 'HTTP token not configured; see the function logs.');
  }
  // The token is looked up among the well-typed header and query values only; nothing else about the request is
  // checked (or revealed) before it matches.
  const headers = normalizeHeaders(request.headers);
  if (!tokenMatches(presentedToken(headers, normalizeQuery(request.queryParameters)), config.httpToken)) {
    const sourceIp = httpSourceIp(request);
    return refuse(401, 'unauthorized', 'Missing or wrong token (query parameter "token" or header "x-ecs-pulse-token").', 'unauthorized', sourceIp !== undefined ? { sourceIp } : {});
  }
  const problems = httpRequestProblems(request);
  if (problems.length > 0) {
    return refuse(400, 'invalid_request', `The HTTP-trigger event is malformed: ${problems.join('; ')}.`, 'bad-request', { errorCode: 'INVALID_REQUEST', problems });
  }

  // Well-formed: the body is a string, null or absent.
  const text = typeof request.body === 'string' ? request.body : '';
  let body: Buffer;
  if (request.isBase64Encoded === true) {
    const compact = text.replace(/\s+/g, '');
    // A length of 4n+1 (padding aside) is no base64 at all: Buffer.from would drop the last character silently.
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
      return refuse(400, 'INVALID_BASE64', 'The body is flagged isBase64Encoded but is not base64.', 'bad-request', { errorCode: 'INVALID_BASE64' });
    }
    body = Buffer.from(compact, 'base64');
  } else body = Buffer.from(text, 'utf8');
  if (body.length > MAX_BODY_BYTES) {
    return refuse(413, 'payload_too_large', `The body is ${body.length} bytes; the limit is ${MAX_BODY_BYTES}.`, 'bad-request', { errorCode: 'INPUT_TOO_LARGE', bodyBytes: body.length });
  }

  const contentType = headers['content-type'];
  const parsed = safeParse(body, contentType === undefined ? {} : { contentType });
  if (!parsed.success) {
    const { code, message } = parsed.error;
    const status = code === 'UNSUPPORTED_CONTENT_TYPE' ? 415 : code === 'INPUT_TOO_LARGE' ? 413 : 400;
    log({ level: 'error', msg: 'input-dropped', requestId, errorCode: code, error: message, contentType: contentType ?? null, ...rawForLog(body, config.secrets) });
    return refuse(status, code, message, 'bad-request', { errorCode: code });
  }

  // CloudMonitor gives a callback 5 s before it retries: answer within HTTP_BUDGET_MS whatever the timeout.
  const { summary, error, fields } = await forward(parsed.data, config, requestId, Math.min(HTTP_BUDGET_MS, sendBudgetMs(context, startedAt, config.safetyMarginMs)));
  if (error) {
    // 503 when a retry may help (429, 5xx, timeouts): CloudMonitor retries the callback; 502 otherwise.
    const status = error.retryable ? 503 : 502;
    return respond(
      jsonResponse(status, { error: 'delivery_failed', message: 'Slack did not accept the message; retry later.', summary }, status === 503 ? { 'retry-after': '30' } : {}),
      fields,
      'error',
    );
  }
  return respond(jsonResponse(200, { ok: true, summary }), fields);
}
