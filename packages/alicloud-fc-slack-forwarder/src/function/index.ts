/**
 * The Function Compute function, bundled at library build time into self-contained CommonJS
 * (`dist/function.cjs`, zipped as `index.js` in `dist/function.zip`) and published as the subpath
 * `@ecs-pulse/alicloud-fc-slack-forwarder/function`. Two files beside it are required only when needed:
 * `function-http.cjs` (the HTTP-trigger request path, http-handler.ts) at the first HTTP-trigger request, and
 * `function-threads.cjs` (bot-token routes) when the configuration has a bot-token route.
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
import { detectFamily, safeParse, safeParseBatch } from '@ecs-pulse/cloudmonitor-event-parser';
import { ForwarderConfigError } from '../errors.js';
import { loadConfig, type ConfigResult, type ForwarderConfig } from './config.js';
import { DeliveryMemory } from './dedupe.js';
import { forwardAlerts, sendBudgetMs, type ForwardableAlert } from './forward.js';
import type { HttpDeps } from './http-handler.js';
import { loadHttpHandler } from './http-load.js';
import { isHttpTriggerEvent, jsonResponse } from './http.js';
import { createLogger, errorForLog, rawForLog, type LogRecord } from './log.js';
import type { EventResult, FcCallback, FcContext, HttpResponse, InvocationSummary } from './types.js';

export type { EventResult, FcCallback, FcContext, FcCredentials, HttpResponse, InvocationSummary } from './types.js';

/** The `dropped` code of an HTTP-trigger envelope that reached the event path. */
const ENVELOPE_ON_EVENT_PATH = 'HTTP_ENVELOPE_ON_EVENT_PATH';

const EMPTY: InvocationSummary = Object.freeze({ alerts: 0, delivered: 0, filtered: 0, duplicates: 0, unrouted: 0, failed: 0, rejected: 0 });

interface Runtime {
  readonly config: ConfigResult;
  readonly memory: DeliveryMemory;
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
  const memory = new DeliveryMemory(config.ok ? config.config.dedupeCapacity : 1);
  if (!config.ok) log({ level: 'error', msg: 'config-invalid', issues: config.issues });
  else if (config.warnings.length > 0) log({ level: 'warn', msg: 'config-warning', warnings: config.warnings });
  return { config, memory, log };
}

/** Cold start: read and validate the configuration once; never throws. */
const runtime: Runtime = init();

const toBuffer = (event: unknown): Buffer | undefined => {
  if (Buffer.isBuffer(event)) return event;
  if (typeof event === 'string') return Buffer.from(event, 'utf8');
  if (event instanceof Uint8Array) return Buffer.from(event.buffer, event.byteOffset, event.byteLength);
  return undefined;
};

/** The payload bytes parsed as JSON, or undefined when there are none or they are not JSON (the parser then says what they are). */
function decodeJson(bytes: Buffer | undefined): unknown {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

const requestIdOf = (context: FcContext | undefined): string => (typeof context?.requestId === 'string' ? context.requestId : 'unknown');

/** The writer of one invocation's `invocation` log line: `fields` go between the `common` fields and `ms`. */
const invocationLog =
  (requestId: string, startedAt: number, common: Record<string, unknown>) =>
  (fields: Record<string, unknown>, level: LogRecord['level'] = 'info'): void =>
    runtime.log({ level, msg: 'invocation', requestId, ...common, ...fields, ms: Date.now() - startedAt });

/** Forwards parsed alerts; `fields` describe the result for the invocation log line (`outcome`, `errorCode`, the counts). */
async function forward(data: unknown, config: ForwarderConfig, requestId: string, budgetMs: number) {
  const result = await forwardAlerts(data as readonly ForwardableAlert[], { config, memory: runtime.memory, log: runtime.log, requestId, budgetMs });
  const { summary, error } = result;
  return { ...result, fields: error ? { outcome: summary.delivered > 0 ? 'partial' : 'failed', errorCode: error.code, ...summary } : { outcome: 'ok', ...summary } };
}

/** Handles one event invocation (EventBridge, CloudMonitor event, anything but an HTTP request). */
async function handleEvent(raw: unknown, decoded: unknown, context: FcContext | undefined, startedAt: number, trigger: 'fc3' | 'fc2'): Promise<EventResult> {
  const { log, config: loaded } = runtime;
  const requestId = requestIdOf(context);
  const invocation = invocationLog(requestId, startedAt, { handler: trigger === 'fc3' ? 'handler' : 'legacyHandler', kind: 'event' });

  if (!loaded.ok) {
    const notConfigured = new ForwarderConfigError(loaded.issues);
    log({ level: 'error', msg: 'config-invalid', requestId, issues: notConfigured.issues });
    invocation({ outcome: 'not-configured', ...EMPTY }, 'error');
    throw notConfigured;
  }
  const { config } = loaded;

  const bytes = toBuffer(raw);
  const input = decoded !== undefined ? decoded : bytes;
  /** Logs the input (size-capped, redacted) and drops it. */
  const drop = (errorCode: string, error: string, summary = EMPTY): EventResult => {
    if (summary === EMPTY) log({ level: 'error', msg: 'input-dropped', requestId, errorCode, error, ...(bytes ? rawForLog(bytes, config.secrets) : { raw: typeof raw }) });
    invocation({ outcome: 'dropped', errorCode, ...summary }, 'error');
    return { ok: false, summary, dropped: errorCode };
  };
  // An HTTP-trigger envelope here did not come through the HTTP path (FC 2.0, or one encoded twice): the parser
  // would unwrap it and its body would be posted without the token check. Refuse it.
  if (isHttpTriggerEvent(decoded) || detectFamily(input ?? '') === 'http-trigger') {
    return drop(ENVELOPE_ON_EVENT_PATH, 'An FC 3.0 HTTP-trigger envelope arrived as an event, not as an HTTP request: not forwarded (HTTP requests need the token).');
  }
  // One bad element of a batch (FC does not retry a resolved invocation) must not lose the others: each is
  // logged by index and dropped, the good ones are forwarded.
  const parsed = safeParseBatch((input ?? '') as object);
  if (!parsed.success) return drop(parsed.error.code, parsed.error.message);
  const { data, rejected } = parsed;
  for (const { index, error, element } of rejected) {
    log({ level: 'error', msg: 'input-dropped', requestId, index, errorCode: error.code, error: error.message, ...rawForLog(JSON.stringify(element) ?? String(element), config.secrets) });
  }
  if (data.length === 0 && rejected.length > 0) return drop(rejected[0]!.error.code, '', { ...EMPTY, rejected: rejected.length });

  const source = (data as readonly ForwardableAlert[])[0]?.source ?? 'unknown';
  const forwarded = await forward(data, config, requestId, sendBudgetMs(context, startedAt, config.safetyMarginMs));
  const { error } = forwarded;
  const summary = { ...forwarded.summary, rejected: rejected.length };
  invocation({ source, ...forwarded.fields, rejected: rejected.length }, error ? 'error' : rejected.length > 0 ? 'warn' : 'info');
  if (error) throw error;
  return { ok: true, summary };
}

/** What the HTTP path (http-handler.ts, its own file in the bundle) uses of this instance. */
const httpDeps: HttpDeps = {
  config: runtime.config,
  log: runtime.log,
  invocationLog,
  forward,
  safeParse,
  rawForLog,
  sendBudgetMs,
  empty: EMPTY,
};

/** Logs an unexpected error (a bug) so it never disappears into FC's retries without a trace. */
function logInternalError(error: unknown, context: FcContext | undefined): void {
  runtime.log({ level: 'error', msg: 'internal-error', requestId: requestIdOf(context), ...errorForLog(error) });
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
  const decoded = bytes !== undefined ? decodeJson(bytes) : typeof event === 'object' && event !== null ? event : undefined;
  try {
    if (isHttpTriggerEvent(decoded)) return await (await loadHttpHandler()).handleHttp(decoded, context, startedAt, requestIdOf(context), httpDeps);
    return await handleEvent(event, decoded, context, startedAt, 'fc3');
  } catch (error) {
    if (isKnownFailure(error)) throw error;
    // A bug must not turn into an endless FC retry loop with no trace: log it and rethrow a clean error.
    logInternalError(error, context);
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
    try {
      callback(error, result);
    } catch (thrown) {
      // A throwing callback must not become an unhandled rejection, which ends the instance.
      logInternalError(thrown, context);
    }
  };
  handleEvent(event, decodeJson(toBuffer(event)), context, startedAt, 'fc2').then(
    (result) => done(null, result),
    (error: unknown) => {
      if (!isKnownFailure(error)) logInternalError(error, context);
      done(error instanceof Error ? error : new Error(String(error)));
    },
  );
}
