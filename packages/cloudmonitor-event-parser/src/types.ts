import type { EventParseError } from './errors.js';

/**
 * What kind of signal an {@link Alert} came from.
 * - `system-event`: a CloudMonitor system event or an EventBridge CloudEvent (state changes, maintenance, ...).
 * - `metric-alarm`: a CloudMonitor metric (threshold) alarm callback.
 *
 * @example
 * ```ts
 * const metricAlarms = alerts.filter((a) => a.kind === 'metric-alarm');
 * ```
 */
export type AlertKind = 'system-event' | 'metric-alarm';

/**
 * Which Alibaba Cloud service delivered the payload.
 *
 * @example
 * ```ts
 * const viaEventBridge = alerts.filter((a) => a.source === 'eventbridge');
 * ```
 */
export type AlertSource = 'cloudmonitor' | 'eventbridge';

/**
 * Normalized severity; `ok` marks a recovery (metric alarm back to OK, event resolved).
 *
 * @example
 * ```ts
 * const page: AlertSeverity[] = ['critical'];
 * const urgent = alerts.filter((a) => page.includes(a.severity));
 * ```
 */
export type AlertSeverity = 'critical' | 'warning' | 'info' | 'ok';

/**
 * A flat value in {@link Alert.details}.
 *
 * @example
 * ```ts
 * const notBefore: AlertDetailValue = alert.details['notBefore'] ?? null;
 * ```
 */
export type AlertDetailValue = string | number | boolean | null;

/**
 * One normalized alert, whatever payload family it came from. This is the public contract
 * between the parser, the notifier and the forwarder function.
 *
 * @example
 * ```ts
 * const alert: Alert = {
 *   id: 'f1b5c3a2-0000-4c1e-9d3f-000000000001',
 *   kind: 'system-event',
 *   source: 'cloudmonitor',
 *   product: 'ECS',
 *   name: 'Instance:StateChange',
 *   status: 'Stopped',
 *   severity: 'warning',
 *   resourceId: 'i-bp1example',
 *   resourceArn: 'acs:ecs:cn-hangzhou:1234567890123456:instance/i-bp1example',
 *   region: 'cn-hangzhou',
 *   accountId: '1234567890123456',
 *   time: '2021-07-02T06:12:00.490Z',
 *   summary: 'ECS instance i-bp1example is Stopped',
 *   details: { level: 'WARN' },
 *   raw: {},
 * };
 * ```
 */
export interface Alert {
  /** Stable id: the event id, or a hash of the payload when the payload carries none. */
  readonly id: string;
  /** Event or metric alarm. */
  readonly kind: AlertKind;
  /** The service that delivered the payload. */
  readonly source: AlertSource;
  /** Product code in upper case as Alibaba Cloud spells it, e.g. `ECS`, `RDS`, `ApiGateway`. */
  readonly product: string;
  /** Event or alarm name without a status suffix, e.g. `Instance:StateChange` or `CPUUtilization`. */
  readonly name: string;
  /** Status, e.g. `Stopped`, `Executing`, `ALERT`, `OK`. */
  readonly status: string;
  /** Normalized severity. */
  readonly severity: AlertSeverity;
  /** Bare resource id, e.g. `i-bp1example` (never an ARN). Empty string when the payload names none. */
  readonly resourceId: string;
  /** The resource ARN when the payload carries one. */
  readonly resourceArn?: string;
  /** Human resource name (instance name, alarm target name) when known. */
  readonly resourceName?: string;
  /** Region id, e.g. `cn-hangzhou`. */
  readonly region?: string;
  /** Alibaba Cloud account (user) id. */
  readonly accountId?: string;
  /** When it happened, ISO 8601 in UTC (`2021-07-02T06:12:00.490Z`). */
  readonly time: string;
  /** One human line, e.g. `ECS instance web-prod-01 (i-bp1example) is Stopped`. */
  readonly summary: string;
  /** The remaining facts, flattened (`content.reason` → `reason`, nested keys joined by `.`). */
  readonly details: Readonly<Record<string, AlertDetailValue>>;
  /** The payload this alert was parsed from (the single event, not the whole batch). */
  readonly raw: unknown;
}

/**
 * The input families the parser understands.
 * - `http-trigger`: an FC 3.0 HTTP-trigger envelope (`{version, rawPath, headers, queryParameters, body, isBase64Encoded, requestContext}`);
 *   the body is unwrapped and parsed by its content type.
 * - `cloudmonitor-event`: a CloudMonitor system event as pushed to FC or to a webhook (`{product, name, resourceId, content, ...}`),
 *   in any of its observed shapes (documented, FC-observed, console test, 2023 shape).
 * - `cloudmonitor-api-event`: a system event as CloudMonitor's `DescribeSystemEventAttribute` API returns it
 *   (PascalCase keys, `Content` as a JSON string, `Time` in epoch ms), or the whole response body.
 * - `eventbridge`: an EventBridge CloudEvent, or an array of them (batch push).
 * - `metric-alarm`: a CloudMonitor metric (threshold) alarm callback (form-urlencoded body, or its decoded key/value object).
 *
 * @example
 * ```ts
 * import { detectFamily, type EventFamily } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const family: EventFamily | undefined = detectFamily('{"specversion":"1.0","id":"1","source":"acs.ecs","type":"ecs:Instance:StateChange","data":{}}');
 * // family === 'eventbridge'
 * ```
 */
export type EventFamily =
  | 'http-trigger'
  | 'cloudmonitor-event'
  | 'cloudmonitor-api-event'
  | 'eventbridge'
  | 'metric-alarm';

/**
 * Options of `parse`, `safeParse` and `detectFamily`.
 *
 * @example
 * ```ts
 * import { parse, type ParseOptions } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const options: ParseOptions = { contentType: 'application/x-www-form-urlencoded; charset=UTF-8' };
 * parse('alertName=HighCPU&alertState=OK&metricName=CPUUtilization&timestamp=1741569675474', options);
 * ```
 */
export interface ParseOptions {
  /**
   * The `Content-Type` the input arrived with. JSON types (`application/json`, `*+json`, `text/json`) are parsed as JSON,
   * `application/x-www-form-urlencoded` as a metric-alarm form; `text/plain` and `application/octet-stream` are sniffed.
   * Any other type, or a charset other than UTF-8, is rejected with `UNSUPPORTED_CONTENT_TYPE`. Ignored for object input.
   * @default undefined - detect the family from the input itself
   */
  readonly contentType?: string;
  /**
   * The largest input accepted, in bytes (UTF-8). Larger input fails with `INPUT_TOO_LARGE` before any parsing.
   * @default 8388608 (8 MiB; an FC synchronous HTTP body may be up to 32 MB, an asynchronous one 128 KB)
   */
  readonly maxInputBytes?: number;
  /**
   * Clock used when a payload carries no usable time (the console test shape has none): the alert's `time` is then
   * the parse time and `details.timeSource` is `'received'`.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

/**
 * Result of `safeParse`: the alerts, or the error `parse` would have thrown.
 *
 * @example
 * ```ts
 * import { safeParse, type SafeParseResult } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const result: SafeParseResult = safeParse('{}');
 * if (!result.success) console.log(result.error.code); // UNKNOWN_FORMAT
 * ```
 */
export type SafeParseResult =
  | { readonly success: true; readonly data: Alert[] }
  | { readonly success: false; readonly error: EventParseError };

/**
 * One element of a batch that `safeParseBatch` left out: its index in the list, the error `parse` would have
 * thrown for it (located: `details.path` starts with `[index]`) and the element as it was given.
 *
 * @example
 * ```ts
 * import { safeParseBatch, type RejectedElement } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const result = safeParseBatch('[{"specversion":"1.0","source":"acs.ecs","data":{}}]');
 * const bad: readonly RejectedElement[] = result.success ? result.rejected : [];
 * console.log(bad[0]?.index, bad[0]?.error.code); // 0 MISSING_FIELD
 * ```
 */
export interface RejectedElement {
  /** The element's index in its list. */
  readonly index: number;
  /** Why it was left out. */
  readonly error: EventParseError;
  /** The element itself (log it size-capped: it is untrusted input). */
  readonly element: unknown;
}

/**
 * Result of `safeParseBatch`: the alerts of the good elements and the elements left out, or the error `parse`
 * would have thrown when the input is bad as a whole.
 *
 * @example
 * ```ts
 * import { safeParseBatch, type SafeParseBatchResult } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const result: SafeParseBatchResult = safeParseBatch('[null]');
 * if (result.success) console.log(result.data.length, result.rejected.length); // 0 1
 * ```
 */
export type SafeParseBatchResult =
  | { readonly success: true; readonly data: Alert[]; readonly rejected: readonly RejectedElement[] }
  | { readonly success: false; readonly error: EventParseError };

/**
 * An FC 3.0 HTTP-trigger request, unwrapped from its envelope by `unwrapHttpTriggerEvent`.
 *
 * `headers` and `query` are null-prototype records (so `query.constructor` is `undefined`, never a function);
 * header names are lower-cased; multiple values stay joined by `,` as FC passes them.
 *
 * @example
 * ```ts
 * import { unwrapHttpTriggerEvent, type HttpTriggerRequest } from '@ecs-pulse/cloudmonitor-event-parser';
 *
 * const request: HttpTriggerRequest = unwrapHttpTriggerEvent(eventBuffer);
 * if (request.method !== 'POST') console.log('ignored', request.path);
 * ```
 */
export interface HttpTriggerRequest {
  /** HTTP method in upper case (`requestContext.http.method`), `''` when absent. */
  readonly method: string;
  /** Decoded request path (`requestContext.http.path`, else `rawPath`), `''` when absent. */
  readonly path: string;
  /** Raw (URL-encoded) path as FC passed it, `''` when absent. */
  readonly rawPath: string;
  /** Request headers with lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Query parameters (`queryParameters`). */
  readonly query: Readonly<Record<string, string>>;
  /** The body as text: base64-decoded (UTF-8) when the envelope says `isBase64Encoded`. */
  readonly body: string;
  /** `headers['content-type']`, `''` when absent. */
  readonly contentType: string;
  /** Client address (`requestContext.http.sourceIp`), when present. */
  readonly sourceIp?: string;
  /** FC request id (`requestContext.requestId`), when present. */
  readonly requestId?: string;
}
