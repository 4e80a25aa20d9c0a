/**
 * The Function Compute function, bundled at library build time into one self-contained CommonJS file
 * (`dist/function.cjs`, zipped as `index.js` in `dist/function.zip`) and published as the subpath
 * `@ecs-pulse/alicloud-fc-slack-forwarder/function`.
 *
 * - FC 3.0 (nodejs20): handler `index.handler` — EventBridge events (one or a batch), CloudMonitor events,
 *   and HTTP-trigger requests (CloudMonitor metric-alarm callbacks, event webhooks) in one entry point.
 * - FC 2.0: handler `index.legacyHandler` — the original event function fed by a CloudMonitor event rule.
 *
 * Configuration comes from environment variables, read once per instance (cold start): `SLACK_WEBHOOK_URL`,
 * `ECS_PULSE_HTTP_TOKEN`, `ECS_PULSE_CONFIG`. A broken configuration never crashes the import: it is logged
 * and every invocation fails closed (events throw, HTTP answers 500), nothing is posted.
 *
 * @packageDocumentation
 */
import { detectFamily, safeParse } from '@ecs-pulse/cloudmonitor-event-parser';
import { ForwarderConfigError } from '../errors.js';
import { loadConfig, type ConfigResult } from './config.js';
import { LruSet } from './dedupe.js';
import { forwardAlerts, sendBudgetMs, type ForwardableAlert } from './forward.js';
import { MAX_BODY_BYTES, httpMethod, httpSourceIp, isHttpTriggerEvent, jsonResponse, normalizeHeaders, normalizeQuery, readHttpRequest, type HttpTriggerEvent } from './http.js';
import { createLogger, errorForLog, rawForLog, type LogRecord } from './log.js';
import { presentedToken, tokenMatches } from './token.js';
import type { EventResult, FcCallback, FcContext, HttpResponse, InvocationSummary } from './types.js';

export type { EventResult, FcCallback, FcContext, FcCredentials, HttpResponse, InvocationSummary } from './types.js';

/** The `dropped` code of an HTTP-trigger envelope that reached the event path. */
const ENVELOPE_ON_EVENT_PATH = 'HTTP_ENVELOPE_ON_EVENT_PATH';

/** Time an HTTP request may spend on Slack: CloudMonitor waits 5 s for a callback response, then retries. */
const HTTP_BUDGET_MS = 4000;

const EMPTY: InvocationSummary = Object.freeze({ alerts: 0, delivered: 0, filtered: 0, duplicates: 0, unrouted: 0, failed: 0 });

interface Runtime {
  readonly config: ConfigResult;
  readonly delivered: LruSet;
  readonly log: (record: LogRecord) => void;
}

function init(): Runtime {
  let config: ConfigResult;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    config = { ok: false, issues: [`configuration could not be read: ${errorForLog(error).error}`], secrets: [] };
  }
  const secrets = config.ok ? config.config.secrets : config.secrets;
  const log = createLogger(() => secrets);
  const delivered = new LruSet(config.ok ? config.config.dedupeCapacity : 1);
  if (!config.ok) log({ level: 'error', msg: 'config-invalid', issues: config.issues });
  else if (config.warnings.length > 0) log({ level: 'warn', msg: 'config-warning', warnings: config.warnings });
  return { config, delivered, log };
}

/** Cold start: read and validate the configuration once; never throws. */
const runtime: Runtime = init();

const toBuffer = (event: unknown): Buffer | undefined => {
  if (Buffer.isBuffer(event)) return event;
  if (typeof event === 'string') return Buffer.from(event, 'utf8');
  if (event instanceof Uint8Array) return Buffer.from(event.buffer, event.byteOffset, event.byteLength);
  return undefined;
};

const requestIdOf = (context: FcContext | undefined): string => (typeof context?.requestId === 'string' ? context.requestId : 'unknown');

function configError(): ForwarderConfigError | undefined {
  return runtime.config.ok ? undefined : new ForwarderConfigError(runtime.config.issues);
}

/** Handles one event invocation (EventBridge, CloudMonitor event, anything but an HTTP request). */
async function handleEvent(raw: unknown, decoded: unknown, context: FcContext | undefined, startedAt: number, trigger: 'fc3' | 'fc2'): Promise<EventResult> {
  const { log } = runtime;
  const requestId = requestIdOf(context);
  const invocation = (fields: Record<string, unknown>, level: LogRecord['level'] = 'info'): void =>
    log({ level, msg: 'invocation', requestId, handler: trigger === 'fc3' ? 'handler' : 'legacyHandler', kind: 'event', ...fields, ms: Date.now() - startedAt });

  const notConfigured = configError();
  if (notConfigured) {
    log({ level: 'error', msg: 'config-invalid', requestId, issues: notConfigured.issues });
    invocation({ outcome: 'not-configured', ...EMPTY }, 'error');
    throw notConfigured;
  }
  const config = runtime.config.ok ? runtime.config.config : undefined;
  if (config === undefined) throw new ForwarderConfigError(['unreachable']);

  const bytes = toBuffer(raw);
  const input = decoded !== undefined ? decoded : bytes;
  // An HTTP-trigger envelope here did not come through the HTTP path (FC 2.0, or one encoded twice): the parser
  // would unwrap it and its body would be posted without the token check. Refuse it.
  if (isHttpTriggerEvent(decoded) || detectFamily(input === undefined || input === null ? '' : input) === 'http-trigger') {
    log({
      level: 'error',
      msg: 'input-dropped',
      requestId,
      errorCode: ENVELOPE_ON_EVENT_PATH,
      error: 'The event is an FC 3.0 HTTP-trigger envelope that did not arrive as an HTTP request; it was not forwarded (HTTP requests need the token).',
      ...(bytes ? rawForLog(bytes, config.secrets) : { raw: typeof raw }),
    });
    invocation({ outcome: 'dropped', errorCode: ENVELOPE_ON_EVENT_PATH, ...EMPTY }, 'error');
    return { ok: false, summary: EMPTY, dropped: ENVELOPE_ON_EVENT_PATH };
  }
  const parsed = safeParse(input === undefined || input === null ? '' : (input as object));
  if (!parsed.success) {
    const error = parsed.error;
    log({
      level: 'error',
      msg: 'input-dropped',
      requestId,
      errorCode: error.code,
      error: error.message,
      ...(bytes ? rawForLog(bytes, config.secrets) : { raw: typeof raw }),
    });
    invocation({ outcome: 'dropped', errorCode: error.code, ...EMPTY }, 'error');
    return { ok: false, summary: EMPTY, dropped: error.code };
  }

  const alerts = parsed.data as unknown as readonly ForwardableAlert[];
  const source = alerts[0]?.source ?? 'unknown';
  const result = await forwardAlerts(alerts, {
    config,
    delivered: runtime.delivered,
    log,
    requestId,
    budgetMs: sendBudgetMs(context, startedAt, config.safetyMarginMs),
  });
  if (result.error) {
    invocation({ source, outcome: result.summary.delivered > 0 ? 'partial' : 'failed', errorCode: result.error.code, ...result.summary }, 'error');
    throw result.error;
  }
  invocation({ source, outcome: 'ok', ...result.summary });
  return { ok: true, summary: result.summary };
}

/** Handles one FC 3.0 HTTP-trigger request. Never throws. */
async function handleHttp(request: HttpTriggerEvent, context: FcContext | undefined, startedAt: number): Promise<HttpResponse> {
  const { log } = runtime;
  const requestId = requestIdOf(context);
  const method = httpMethod(request);
  const respond = (response: HttpResponse, fields: Record<string, unknown> = {}, level: LogRecord['level'] = 'info'): HttpResponse => {
    log({ level, msg: 'invocation', requestId, handler: 'handler', kind: 'http', method: method ?? null, statusCode: response.statusCode, ...fields, ms: Date.now() - startedAt });
    return response;
  };

  const notConfigured = configError();
  if (notConfigured) {
    log({ level: 'error', msg: 'config-invalid', requestId, issues: notConfigured.issues });
    return respond(jsonResponse(500, { error: 'not_configured', message: 'The forwarder is not configured; see the function logs.' }), { outcome: 'not-configured', ...EMPTY }, 'error');
  }
  const config = runtime.config.ok ? runtime.config.config : undefined;
  if (config === undefined) return respond(jsonResponse(500, { error: 'not_configured', message: 'The forwarder is not configured.' }));

  if (method !== 'POST') {
    return respond(jsonResponse(405, { error: 'method_not_allowed', message: 'Use POST.' }, { allow: 'POST' }), { outcome: 'rejected', ...EMPTY }, 'warn');
  }
  if (config.httpToken === undefined) {
    log({ level: 'error', msg: 'config-invalid', requestId, issues: [config.httpTokenProblem ?? 'ECS_PULSE_HTTP_TOKEN is not set'] });
    return respond(jsonResponse(500, { error: 'not_configured', message: 'HTTP token not configured; see the function logs.' }), { outcome: 'not-configured', ...EMPTY }, 'error');
  }
  // The token is looked up among the well-typed header and query values only; nothing else about the request is
  // checked (or revealed) before it matches.
  if (!tokenMatches(presentedToken(normalizeHeaders(request.headers), normalizeQuery(request.queryParameters)), config.httpToken)) {
    const sourceIp = httpSourceIp(request);
    return respond(
      jsonResponse(401, { error: 'unauthorized', message: 'Missing or wrong token (query parameter "token" or header "x-ecs-pulse-token").' }),
      { outcome: 'unauthorized', ...(sourceIp !== undefined ? { sourceIp } : {}), ...EMPTY },
      'warn',
    );
  }
  const read = readHttpRequest(request);
  if ('problems' in read) {
    return respond(
      jsonResponse(400, { error: 'invalid_request', message: `The HTTP-trigger event is malformed: ${read.problems.join('; ')}.` }),
      { outcome: 'bad-request', errorCode: 'INVALID_REQUEST', problems: read.problems, ...EMPTY },
      'warn',
    );
  }
  const { headers } = read.request;

  const bodyText = read.request.body;
  let body: Buffer;
  if (read.request.isBase64Encoded) {
    const compact = bodyText.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) {
      return respond(jsonResponse(400, { error: 'INVALID_BASE64', message: 'The body is flagged isBase64Encoded but is not base64.' }), { outcome: 'bad-request', errorCode: 'INVALID_BASE64', ...EMPTY }, 'warn');
    }
    body = Buffer.from(compact, 'base64');
  } else {
    body = Buffer.from(bodyText, 'utf8');
  }
  if (body.length > MAX_BODY_BYTES) {
    return respond(
      jsonResponse(413, { error: 'payload_too_large', message: `The body is ${body.length} bytes; the limit is ${MAX_BODY_BYTES}.` }),
      { outcome: 'bad-request', errorCode: 'INPUT_TOO_LARGE', bodyBytes: body.length, ...EMPTY },
      'warn',
    );
  }

  const contentType = headers['content-type'];
  const parsed = safeParse(body, contentType === undefined ? {} : { contentType });
  if (!parsed.success) {
    const error = parsed.error;
    const status = error.code === 'UNSUPPORTED_CONTENT_TYPE' ? 415 : error.code === 'INPUT_TOO_LARGE' ? 413 : 400;
    log({ level: 'error', msg: 'input-dropped', requestId, errorCode: error.code, error: error.message, contentType: contentType ?? null, ...rawForLog(body, config.secrets) });
    return respond(jsonResponse(status, { error: error.code, message: error.message }), { outcome: 'bad-request', errorCode: error.code, ...EMPTY }, 'warn');
  }

  const alerts = parsed.data as unknown as readonly ForwardableAlert[];
  const result = await forwardAlerts(alerts, {
    config,
    delivered: runtime.delivered,
    log,
    requestId,
    // CloudMonitor gives a callback 5 s before it retries: answer within HTTP_BUDGET_MS whatever the timeout.
    budgetMs: Math.min(HTTP_BUDGET_MS, sendBudgetMs(context, startedAt, config.safetyMarginMs)),
  });
  if (result.error) {
    // 503 when a retry may help (429, 5xx, timeouts): CloudMonitor retries the callback; 502 otherwise.
    const status = result.error.retryable ? 503 : 502;
    return respond(
      jsonResponse(status, { error: 'delivery_failed', message: 'Slack did not accept the message; retry later.', summary: result.summary }, status === 503 ? { 'retry-after': '30' } : {}),
      { outcome: result.summary.delivered > 0 ? 'partial' : 'failed', errorCode: result.error.code, ...result.summary },
      'error',
    );
  }
  return respond(jsonResponse(200, { ok: true, summary: result.summary }), { outcome: 'ok', ...result.summary });
}

/**
 * The FC 3.0 handler (runtime nodejs20, handler `index.handler`). FC passes the invocation payload as a
 * Buffer: an EventBridge event (or a batch array), a CloudMonitor event, or — for HTTP triggers — the FC 3.0
 * request envelope. Anything shaped like an envelope (a `requestContext` object, or `rawPath`,
 * `isBase64Encoded`, `queryParameters`, `headers` with `body`) takes the HTTP path with its token check, and
 * an envelope that reaches the event path another way is dropped, so an envelope's body is never posted
 * unauthenticated. HTTP requests resolve with `{ statusCode, headers, body }`; events resolve with an
 * {@link EventResult}. Bad event input is logged (size-capped, redacted) and dropped; a Slack delivery
 * failure of an event rejects, so FC's async retry and the on-failure destination take over.
 *
 * @example
 * ```ts
 * const { handler } = require('@ecs-pulse/alicloud-fc-slack-forwarder/function');
 * const result = await handler(Buffer.from(JSON.stringify(cloudEvent)), { requestId: 'r-1', getRemainingTimeInMS: () => 10_000 });
 * ```
 */
export async function handler(event: Buffer, context: FcContext): Promise<HttpResponse | EventResult> {
  const startedAt = Date.now();
  const bytes = toBuffer(event);
  let decoded: unknown;
  if (bytes !== undefined) {
    try {
      decoded = JSON.parse(bytes.toString('utf8'));
    } catch {
      decoded = undefined; // not JSON: let the parser say what it is (or why not)
    }
  } else if (typeof event === 'object' && event !== null) {
    decoded = event;
  }
  try {
    if (isHttpTriggerEvent(decoded)) return await handleHttp(decoded, context, startedAt);
    return await handleEvent(event, decoded, context, startedAt, 'fc3');
  } catch (error) {
    if (isKnownFailure(error)) throw error;
    // A bug must not turn into an endless FC retry loop with no trace: log it and rethrow a clean error.
    runtime.log({ level: 'error', msg: 'internal-error', requestId: requestIdOf(context), ...errorForLog(error) });
    if (isHttpTriggerEvent(decoded)) return jsonResponse(500, { error: 'internal_error', message: 'See the function logs.' });
    throw error;
  }
}

const isKnownFailure = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && ((error as { name?: unknown }).name === 'DeliveryError' || (error as { name?: unknown }).name === 'ForwarderConfigError');

/**
 * The FC 2.0 event handler (handler `index.legacyHandler`): the original `ECSMonitoringFunction`, invoked by
 * a CloudMonitor event rule with the event JSON as a Buffer. Calls `callback(null, result)` on success or
 * when bad input was dropped, and `callback(error)` when Slack did not accept the message or the function is
 * not configured (FC then retries the async invocation).
 *
 * @example
 * ```ts
 * const { legacyHandler } = require('@ecs-pulse/alicloud-fc-slack-forwarder/function');
 * legacyHandler(Buffer.from(JSON.stringify(cmsEvent)), { requestId: 'r-1' }, (error, result) => console.log(error, result));
 * ```
 */
export function legacyHandler(event: Buffer, context: FcContext, callback: FcCallback): void {
  const startedAt = Date.now();
  let called = false;
  const done: FcCallback = (error, result) => {
    if (called) return;
    called = true;
    callback(error, result);
  };
  const bytes = toBuffer(event);
  let decoded: unknown;
  if (bytes !== undefined) {
    try {
      decoded = JSON.parse(bytes.toString('utf8'));
    } catch {
      decoded = undefined;
    }
  }
  handleEvent(event, decoded, context, startedAt, 'fc2').then(
    (result) => done(null, result),
    (error: unknown) => {
      if (!isKnownFailure(error)) runtime.log({ level: 'error', msg: 'internal-error', requestId: requestIdOf(context), ...errorForLog(error) });
      done(error instanceof Error ? error : new Error(String(error)));
    },
  );
}
