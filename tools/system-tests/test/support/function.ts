/**
 * Drives the REAL bundled forwarder function (`@ecs-pulse/alicloud-fc-slack-forwarder/function`, the
 * dist/function.cjs that FC loads as index.js) exactly as Function Compute invokes it: the payload as a
 * Buffer and an FC-shaped context. Shared by the vitest suites and the benchmarks (no vitest import here).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Absolute path of the built bundle, resolved through the package's `./function` export. */
export const BUNDLE: string = require.resolve('@ecs-pulse/alicloud-fc-slack-forwarder/function');

/** An FC-shaped invocation context. */
export interface FcContext {
  readonly requestId: string;
  readonly function: { readonly name: string; readonly handler: string; readonly memory: number; readonly timeout: number };
  readonly credentials: { readonly accessKeyId: string; readonly accessKeySecret: string; readonly securityToken: string };
  readonly region: string;
  readonly accountId: string;
  readonly getRemainingTimeInMS?: () => number;
  readonly service?: Readonly<Record<string, string>>;
}

/** What an FC 3.0 HTTP invocation resolves with. */
export interface HttpResponse {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The bundle's exports. */
export interface FunctionModule {
  handler(event: Buffer, context: FcContext): Promise<unknown>;
  legacyHandler(event: Buffer, context: FcContext, callback: (error: Error | null, result?: unknown) => void): void;
}

/** The FC context's temporary credentials (recognizable, so the hygiene scan can look for them). */
export const CONTEXT_CREDENTIALS = Object.freeze({
  accessKeyId: 'STS.NSECRETCTXKEYID0001',
  accessKeySecret: 'CtXsEcReTaCcEsSkEy0000000000001',
  securityToken: 'CAIStOkEnSeCrEtSecurityToken0001',
});

let counter = 0;

/**
 * A fresh FC 3.0 context. `remainingMs` is what `getRemainingTimeInMS()` returns at the start; it counts
 * down in real time (FC kills the invocation when it reaches 0).
 */
export function fc3Context(options: { readonly timeoutS?: number; readonly remainingMs?: number } = {}): FcContext {
  const timeoutS = options.timeoutS ?? 30;
  const remaining = options.remainingMs ?? timeoutS * 1000;
  const started = Date.now();
  counter++;
  return {
    requestId: `1-6760f2a1-system${String(counter).padStart(10, '0')}`,
    function: { name: 'ecs-pulse-slack-forwarder', handler: 'index.handler', memory: 128, timeout: timeoutS },
    credentials: CONTEXT_CREDENTIALS,
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    getRemainingTimeInMS: () => remaining - (Date.now() - started),
  };
}

/** An FC 2.0 context (no `getRemainingTimeInMS`; the function falls back to `function.timeout`). */
export function fc2Context(timeoutS = 30): FcContext {
  counter++;
  return {
    requestId: `fc2-system-${String(counter).padStart(8, '0')}`,
    function: { name: 'ECSMonitoringFunction', handler: 'index.legacyHandler', memory: 128, timeout: timeoutS },
    service: { name: 'ECSMonitoringService', logProject: 'ecs-pulse-logs', logStore: 'function-logs', qualifier: 'LATEST', versionId: '' },
    credentials: CONTEXT_CREDENTIALS,
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
  };
}

const CONFIG_VARS = ['SLACK_WEBHOOK_URL', 'ECS_PULSE_HTTP_TOKEN', 'ECS_PULSE_CONFIG'];

/**
 * Loads a FRESH instance of the bundle with `env` as its environment (a cold start: the function reads its
 * configuration once, at load). The previous process environment is restored afterwards.
 */
export function coldStart(env: Readonly<Record<string, string | undefined>>): FunctionModule {
  const saved = new Map<string, string | undefined>();
  for (const key of new Set([...CONFIG_VARS, ...Object.keys(env)])) {
    saved.set(key, process.env[key]);
    const value = env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    delete require.cache[BUNDLE];
    return require(BUNDLE) as FunctionModule;
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** The result of one invocation: resolved value or the rejection, and how long it took. */
export type Invocation = { readonly ok: true; readonly value: unknown; readonly ms: number } | { readonly ok: false; readonly error: unknown; readonly ms: number };

/** Invokes the FC 3.0 handler and never rejects: the outcome is returned. */
export async function invoke(fn: FunctionModule, payload: Buffer, context: FcContext = fc3Context()): Promise<Invocation> {
  const started = Date.now();
  try {
    const value = await fn.handler(payload, context);
    return { ok: true, value, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, error, ms: Date.now() - started };
  }
}

/** Invokes the FC 2.0 handler; resolves with what it passed to its callback. */
export function invokeLegacy(fn: FunctionModule, payload: Buffer, context: FcContext = fc2Context()): Promise<Invocation> {
  const started = Date.now();
  return new Promise((resolve) => {
    fn.legacyHandler(payload, context, (error, value) =>
      resolve(error ? { ok: false, error, ms: Date.now() - started } : { ok: true, value, ms: Date.now() - started }),
    );
  });
}

/** One attempt of an FC asynchronous invocation (the first one, or a retry). */
export interface AsyncAttempt {
  readonly attempt: number;
  readonly outcome: Invocation;
}

/**
 * Simulates Function Compute's asynchronous invocation of an event: the handler is invoked; when it throws,
 * FC retries the SAME payload up to `maxRetries` times (the construct's default async-invoke config is
 * 2 retries) after `retryDelayMs`, each time with a fresh context. Returns every attempt; the event is
 * delivered when the last attempt resolved, otherwise FC would hand it to the on-failure destination.
 */
export async function fcAsyncInvoke(
  fn: FunctionModule,
  payload: Buffer,
  options: { readonly maxRetries?: number; readonly retryDelayMs?: number; readonly context?: () => FcContext } = {},
): Promise<AsyncAttempt[]> {
  const maxRetries = options.maxRetries ?? 2;
  const attempts: AsyncAttempt[] = [];
  for (let attempt = 1; attempt <= maxRetries + 1; attempt++) {
    const outcome = await invoke(fn, payload, options.context ? options.context() : fc3Context());
    attempts.push({ attempt, outcome });
    if (outcome.ok) break;
    if (attempt <= maxRetries) await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 0));
  }
  return attempts;
}

/** Builds an FC 3.0 HTTP-trigger request envelope (as the runtime passes it: a JSON Buffer). */
export function httpEnvelope(options: {
  readonly body: string | Buffer;
  readonly method?: string;
  readonly contentType?: string | null;
  readonly token?: string;
  readonly tokenIn?: 'query' | 'header';
  readonly base64?: boolean;
}): Buffer {
  const raw = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
  const base64 = options.base64 ?? false;
  const headers: Record<string, string> = { 'User-Agent': 'CloudMonitor-Callback', 'X-Forwarded-Proto': 'https' };
  if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? 'application/x-www-form-urlencoded; charset=UTF-8';
  const queryParameters: Record<string, string> = {};
  if (options.token !== undefined) {
    if (options.tokenIn === 'header') headers['X-Ecs-Pulse-Token'] = options.token;
    else queryParameters.token = options.token;
  }
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: '/',
      body: base64 ? raw.toString('base64') : raw.toString('utf8'),
      isBase64Encoded: base64,
      headers,
      queryParameters,
      requestContext: {
        accountId: '1234567890123456',
        domainName: 'systemtest.cn-hangzhou.fcapp.run',
        domainPrefix: 'systemtest',
        http: { method: options.method ?? 'POST', path: '/', protocol: 'HTTP/1.1', sourceIp: '47.74.206.10', userAgent: 'CloudMonitor-Callback' },
        requestId: '1-64f6cd87-system00000000000000001',
        time: '2025-03-10T06:41:11Z',
        timeEpoch: '1741588871895',
      },
    }),
    'utf8',
  );
}

/**
 * Captures everything the function writes: console methods and direct process.stdout/stderr writes. Works
 * outside vitest (the benchmarks use it to keep the function's JSON log lines off the table).
 */
export class OutputCapture {
  readonly lines: string[] = [];
  #restore: (() => void)[] = [];

  start(): this {
    if (this.#restore.length > 0) return this;
    const c = console as unknown as Record<string, (...args: unknown[]) => void>;
    for (const method of ['log', 'error', 'warn', 'info', 'debug', 'trace']) {
      const original = c[method]!;
      c[method] = (...args: unknown[]) => {
        this.lines.push(args.map((a) => (typeof a === 'string' ? a : safeString(a))).join(' '));
      };
      this.#restore.push(() => {
        c[method] = original;
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }) as typeof stream.write;
      this.#restore.push(() => {
        stream.write = original;
      });
    }
    return this;
  }

  stop(): void {
    for (const restore of this.#restore.reverse()) restore();
    this.#restore = [];
  }

  /** The lines that are JSON records (the function writes only those). */
  records(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        const v: unknown = JSON.parse(line);
        return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  }

  text(): string {
    return this.lines.join('\n');
  }
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}
