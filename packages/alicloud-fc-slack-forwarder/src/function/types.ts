/**
 * Types of the bundled function (`@ecs-pulse/alicloud-fc-slack-forwarder/function`). Declared here rather
 * than imported from the parser so the published declarations depend on nothing the consumer lacks.
 */

/** Normalized severity, the parser's `AlertSeverity`. */
export type ForwarderSeverity = 'critical' | 'warning' | 'info' | 'ok';

/** The alert fields the function filters, routes and logs on (a structural subset of the parser's `Alert`). */
export interface RoutableAlert {
  readonly id: string;
  readonly kind: string;
  readonly source: string;
  readonly product: string;
  readonly name: string;
  readonly status: string;
  readonly severity: ForwarderSeverity;
  readonly resourceId: string;
  readonly region?: string;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * The credentials Function Compute passes in the context (temporary STS credentials of the function role).
 * The function never logs them.
 *
 * @example
 * ```ts
 * const credentials: FcCredentials = { accessKeyId: 'STS.x', accessKeySecret: '…', securityToken: '…' };
 * ```
 */
export interface FcCredentials {
  readonly accessKeyId?: string;
  readonly accessKeySecret?: string;
  readonly securityToken?: string;
}

/**
 * The invocation context Function Compute passes to a Node.js handler (FC 3.0 and FC 2.0). Only
 * `requestId` is relied on; everything else is optional.
 *
 * @example
 * ```ts
 * const context: FcContext = {
 *   requestId: '1-64f6cd87-0001',
 *   function: { name: 'ecs-pulse-forwarder', handler: 'index.handler', memory: 128, timeout: 30 },
 *   region: 'cn-hangzhou',
 *   accountId: '1234567890123456',
 *   getRemainingTimeInMS: () => 29_000,
 * };
 * ```
 */
export interface FcContext {
  /** The request id of this invocation. */
  readonly requestId: string;
  /** The function's own settings. */
  readonly function?: {
    readonly name?: string;
    readonly handler?: string;
    readonly memory?: number;
    /** Function timeout in seconds. */
    readonly timeout?: number;
    readonly initializer?: string;
  };
  /** FC 2.0 only: the service the function belongs to. */
  readonly service?: {
    readonly name?: string;
    readonly logProject?: string;
    readonly logStore?: string;
    readonly qualifier?: string;
    readonly versionId?: string;
  };
  /** Temporary credentials of the function role (never logged). */
  readonly credentials?: FcCredentials;
  /** Region id, e.g. `cn-hangzhou`. */
  readonly region?: string;
  /** Account id. */
  readonly accountId?: string;
  /** Milliseconds left before FC kills the invocation, when the runtime provides it. */
  readonly getRemainingTimeInMS?: () => number;
  /** Anything else the runtime adds (logger, tracing...). */
  readonly [key: string]: unknown;
}

/**
 * What the FC 3.0 handler returns for an HTTP-trigger request. FC turns it into the HTTP response.
 *
 * @example
 * ```ts
 * const response: HttpResponse = { statusCode: 401, headers: { 'content-type': 'application/json' }, body: '{"error":"unauthorized"}' };
 * ```
 */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
}

/**
 * Per-outcome counts of one invocation.
 *
 * @example
 * ```ts
 * const summary: InvocationSummary = { alerts: 3, delivered: 2, filtered: 1, duplicates: 0, unrouted: 0, failed: 0, rejected: 0 };
 * ```
 */
export interface InvocationSummary {
  /** Alerts parsed from the input. */
  readonly alerts: number;
  /** Alerts posted to Slack in this invocation (counted once per route). */
  readonly delivered: number;
  /** Alerts dropped by the filters. */
  readonly filtered: number;
  /** Alerts skipped because they were already delivered by this warm instance. */
  readonly duplicates: number;
  /** Alerts that matched no route and had no default webhook. */
  readonly unrouted: number;
  /** Alerts that could not be delivered (counted once per route). */
  readonly failed: number;
  /** Elements of a batch that could not be parsed: each was logged (`input-dropped` with its `index`) and dropped. */
  readonly rejected: number;
}

/**
 * What the FC 3.0 handler resolves with for an event invocation (EventBridge or CloudMonitor event), and
 * what the FC 2.0 handler passes to its callback. `dropped` is set when the input could not be parsed (it
 * was logged and dropped, not retried).
 *
 * @example
 * ```ts
 * const result: EventResult = { ok: true, summary: { alerts: 1, delivered: 1, filtered: 0, duplicates: 0, unrouted: 0, failed: 0, rejected: 0 } };
 * ```
 */
export interface EventResult {
  readonly ok: boolean;
  readonly summary: InvocationSummary;
  /** The parse error code when the input was dropped. */
  readonly dropped?: string;
}

/**
 * The FC 2.0 callback.
 *
 * @example
 * ```ts
 * const callback: FcCallback = (error, result) => { if (error) console.error(error); };
 * ```
 */
export type FcCallback = (error: Error | null, result?: EventResult) => void;
