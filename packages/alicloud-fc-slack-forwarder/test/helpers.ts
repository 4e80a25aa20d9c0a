import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, afterEach, beforeAll, beforeEach, vi, type MockInstance } from 'vitest';

const require = createRequire(import.meta.url);

/** The BUILT bundle, exactly the file FC loads (as index.js). */
export const BUNDLE = fileURLToPath(new URL('../dist/function.cjs', import.meta.url));

/** The bundle's exports, as FC sees them. */
export interface FunctionModule {
  handler(event: Buffer, context: FakeContext): Promise<unknown>;
  legacyHandler(event: Buffer, context: FakeContext, callback: (error: Error | null, result?: unknown) => void): void;
}

/** An FC-shaped context (FC 3.0 / FC 2.0 Node.js runtimes). */
export interface FakeContext {
  readonly requestId: string;
  readonly function: { readonly name: string; readonly handler: string; readonly memory: number; readonly timeout: number };
  readonly service?: { readonly name: string; readonly logProject: string; readonly logStore: string; readonly qualifier: string; readonly versionId: string };
  readonly credentials: { readonly accessKeyId: string; readonly accessKeySecret: string; readonly securityToken: string };
  readonly region: string;
  readonly accountId: string;
  readonly getRemainingTimeInMS?: () => number;
}

let counter = 0;

/** A fresh FC 3.0 context whose remaining time counts down from `timeoutS`. */
export function fc3Context(timeoutS = 30): FakeContext {
  const started = Date.now();
  counter++;
  return {
    requestId: `1-6760f2a1-test${String(counter).padStart(12, '0')}`,
    function: { name: 'ecs-pulse-slack-forwarder', handler: 'index.handler', memory: 128, timeout: timeoutS },
    credentials: { accessKeyId: 'STS.FAKEACCESSKEYID', accessKeySecret: 'FAKE-ACCESS-KEY-SECRET-0000', securityToken: 'FAKE-SECURITY-TOKEN-0000' },
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    getRemainingTimeInMS: () => timeoutS * 1000 - (Date.now() - started),
  };
}

/** An FC 2.0 context (has `service`, no `getRemainingTimeInMS`). */
export function fc2Context(timeoutS = 30): FakeContext {
  counter++;
  return {
    requestId: `fc2-req-${String(counter).padStart(8, '0')}`,
    function: { name: 'ECSMonitoringFunction', handler: 'index.legacyHandler', memory: 128, timeout: timeoutS },
    service: { name: 'ECSMonitoringService', logProject: 'ecs-pulse-logs', logStore: 'function-logs', qualifier: 'LATEST', versionId: '' },
    credentials: { accessKeyId: 'STS.FAKEACCESSKEYID', accessKeySecret: 'FAKE-ACCESS-KEY-SECRET-0000', securityToken: 'FAKE-SECURITY-TOKEN-0000' },
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
  };
}

const CONFIG_VARS = ['SLACK_WEBHOOK_URL', 'ECS_PULSE_HTTP_TOKEN', 'ECS_PULSE_CONFIG'];

/**
 * Loads a FRESH instance of the bundle (a cold start) with `env` as its environment, the way FC starts a new
 * instance: module state (config, dedupe cache) is per load.
 */
export function coldStart(env: Record<string, string | undefined>): FunctionModule {
  const saved = new Map<string, string | undefined>();
  const keys = new Set([...CONFIG_VARS, ...Object.keys(env)]);
  for (const key of keys) {
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

/** Invokes the FC 2.0 handler and resolves with what it passed to its callback. */
export function invokeLegacy(fn: FunctionModule, event: Buffer, context: FakeContext): Promise<{ error: Error | null; result?: unknown }> {
  return new Promise((resolve) => {
    fn.legacyHandler(event, context, (error, result) => resolve({ error, result }));
  });
}

/** Captures the structured log lines written through console.log / console.error. */
export class LogCapture {
  readonly lines: string[] = [];
  private readonly spies: MockInstance[] = [];

  start(): this {
    this.lines.length = 0;
    for (const method of ['log', 'error', 'warn', 'info'] as const) {
      this.spies.push(
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          this.lines.push(args.map(String).join(' '));
        }),
      );
    }
    return this;
  }

  stop(): void {
    for (const spy of this.spies) spy.mockRestore();
    this.spies.length = 0;
  }

  /** Every line parsed as JSON (a non-JSON line fails the test). */
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  byMsg(msg: string): Record<string, unknown>[] {
    return this.records().filter((r) => r.msg === msg);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** Reads a fixture from test/fixtures/events. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/events/${name}`, import.meta.url), 'utf8');
}

/** A fixture as FC passes it: a Buffer. */
export function fixtureBuffer(name: string): Buffer {
  return Buffer.from(fixture(name), 'utf8');
}

/** Builds an FC 3.0 HTTP-trigger request envelope (as a Buffer) around a body. */
export function httpEvent(options: {
  body: string | Buffer;
  method?: string;
  contentType?: string | null;
  token?: string;
  tokenIn?: 'query' | 'header';
  base64?: boolean;
  path?: string;
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
  const envelope = {
    version: 'v1',
    rawPath: options.path ?? '/',
    body: base64 ? raw.toString('base64') : raw.toString('utf8'),
    isBase64Encoded: base64,
    headers,
    queryParameters,
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'fakeTriggerId.cn-hangzhou.fcapp.run',
      domainPrefix: 'fakeTriggerId',
      http: { method: options.method ?? 'POST', path: options.path ?? '/', protocol: 'HTTP/1.1', sourceIp: '47.74.206.10', userAgent: 'CloudMonitor-Callback' },
      requestId: '1-64f6cd87-fake0000000000000000001',
      time: '2025-03-10T06:41:11Z',
      timeEpoch: '1741588871895',
    },
  };
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/** The metric-alarm callback bodies among the fixtures (form-encoded). */
export function metricCallbackBodies(): { name: string; body: string }[] {
  const doc = fixture('cms-metric-alarm-callback.doc-example.raw.txt');
  // The doc sample starts with its header line and a blank line; the body is what follows.
  const docBody = doc.split(/\r?\n\r?\n/).slice(1).join('\n\n').trim();
  return [
    { name: 'cms-metric-alarm-callback-ecs-cpu.form.txt', body: fixture('cms-metric-alarm-callback-ecs-cpu.form.txt').trim() },
    { name: 'cms-metric-alarm-callback-apigateway-alert.form.txt', body: fixture('cms-metric-alarm-callback-apigateway-alert.form.txt').trim() },
    { name: 'cms-metric-alarm-callback.doc-example.raw.txt', body: docBody },
  ];
}

/** A CloudEvent for ECS with a given id and data. */
export function cloudEvent(id: string, data: Record<string, unknown> = { resourceId: 'i-bp1fake0instance0001', resourceType: 'ALIYUN::ECS::Instance', state: 'Stopped' }, type = 'ecs:Instance:StateChange'): Record<string, unknown> {
  const base = JSON.parse(fixture('eventbridge-ecs-statechange.INFERRED.json')) as Record<string, unknown>;
  const resource = typeof data.resourceId === 'string' ? data.resourceId : typeof data.instanceId === 'string' ? data.instanceId : undefined;
  const subject = resource === undefined ? base.subject : `acs:ecs:cn-hangzhou:1234567890123456:instance/${resource}`;
  return { ...base, id, type, subject, data };
}

/**
 * Registers the hooks every function test file needs: one local Slack sink for the file (reset before each
 * test) and the function's log lines captured per test. `onSink` receives the sink once it listens.
 */
export function useSinkAndLogs(logs: LogCapture, onSink: (sink: SlackSink) => void): void {
  let sink: SlackSink | undefined;
  beforeAll(async () => {
    sink = await startSlackSink();
    onSink(sink);
  });
  afterAll(async () => {
    await sink?.close();
  });
  beforeEach(() => {
    sink?.reset();
    logs.start();
  });
  afterEach(() => {
    logs.stop();
  });
}
