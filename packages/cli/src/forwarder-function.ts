// The bundled forwarder function, loaded and invoked the way Function Compute does it, for `ecs-pulse demo`
// and `ecs-pulse events replay`: one child process per cold start, with exactly the environment a deployed
// function would have, so the CLI's own `process.env` and `console` are never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { CliError } from './errors.js';
import { M } from './messages.js';

/** The package subpath of the bundled function (one self-contained CommonJS file). */
const FUNCTION_SPECIFIER = '@ecs-pulse/alicloud-fc-slack-forwarder/function';

/** Which handler gets the payload: the FC 3.0 `handler` or the FC 2.0 `legacyHandler` (callback style). @internal */
export type FcHandlerKind = 'fc3-event' | 'fc2-event';

/** Context values an invocation may set; the rest is a realistic FC context. @internal */
export interface FcContextOverrides {
  /** @default - `1-<hex time>-demo<n>` */
  readonly requestId?: string;
  /** @default 'cn-hangzhou' */
  readonly region?: string;
  /** What `getRemainingTimeInMS()` counts down from (FC 3.0). @default 30000 */
  readonly timeoutMs?: number;
}

/** What one invocation returned, with the function's own log lines. @internal */
export interface ForwarderReply {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { readonly name?: string; readonly code?: string; readonly message: string };
  readonly logs: readonly string[];
  readonly ms: number;
}

/**
 * Absolute path of the bundled function.
 * @throws CliError `SUBPROCESS_FAILED` when the forwarder package (or its build) is missing.
 * @internal
 */
export function resolveForwarderBundle(): string {
  try {
    return createRequire(import.meta.url).resolve(FUNCTION_SPECIFIER);
  } catch (cause) {
    throw new CliError('SUBPROCESS_FAILED', M.forwarderMissing(cause instanceof Error ? cause.message : String(cause)), { cause });
  }
}

/**
 * The child: loads the bundle once (a cold start, with the environment of a deployed function), then
 * invokes a handler per message exactly as the FC Node.js runtimes do: the payload as a Buffer and an
 * FC-shaped context. The function's own log lines (console) are captured and sent back, not printed.
 */
const RUNNER = String.raw`
'use strict';
const logs = [];
for (const m of ['log', 'info', 'warn', 'error', 'debug']) console[m] = (...a) => { logs.push(a.map(String).join(' ')); };
let fn;
try { fn = require(process.argv[1]); } catch (e) { process.send({ type: 'load-error', message: String(e && e.message || e) }); process.exit(1); }
let n = 0;
function context(via, o) {
  n++;
  const started = Date.now();
  const timeoutMs = o.timeoutMs || 30000;
  const requestId = o.requestId || '1-' + started.toString(16) + '-demo' + String(n).padStart(8, '0');
  const base = {
    requestId,
    credentials: { accessKeyId: 'STS.DEMOACCESSKEYID', accessKeySecret: 'demo-access-key-secret', securityToken: 'demo-security-token' },
    region: o.region || 'cn-hangzhou',
    accountId: '1234567890123456',
  };
  if (via === 'fc2-event') return { ...base, function: { name: 'ECSMonitoringFunction', handler: 'index.legacyHandler', memory: 128, timeout: 30 }, service: { name: 'ECSMonitoringService', logProject: '', logStore: '', qualifier: 'LATEST', versionId: '' } };
  return { ...base, function: { name: 'ecs-pulse-slack-forwarder', handler: 'index.handler', memory: 128, timeout: Math.ceil(timeoutMs / 1000) }, getRemainingTimeInMS: () => timeoutMs - (Date.now() - started) };
}
process.on('message', async (msg) => {
  if (msg.type === 'exit') { process.disconnect(); return; }
  logs.length = 0;
  const event = Buffer.from(msg.payload, 'base64');
  const ctx = context(msg.via, msg.context || {});
  const started = Date.now();
  const reply = (body) => process.send({ type: 'result', id: msg.id, ms: Date.now() - started, logs: logs.slice(), ...body });
  try {
    const result = msg.via === 'fc2-event'
      ? await new Promise((resolve, reject) => fn.legacyHandler(event, ctx, (error, value) => (error ? reject(error) : resolve(value))))
      : await fn.handler(event, ctx);
    reply({ ok: true, result });
  } catch (e) {
    reply({ ok: false, error: { name: e && e.name, code: e && e.code, message: String(e && e.message || e) } });
  }
});
process.send({ type: 'ready', logs: logs.slice() });
`;

/**
 * The bundled forwarder function running in a child process (see the module comment).
 *
 * @example
 * ```ts
 * const { fn } = await ForwarderProcess.start(resolveForwarderBundle(), { SLACK_WEBHOOK_URL: sink.url });
 * try {
 *   const reply = await fn.invoke('fc3-event', Buffer.from(JSON.stringify(event)));
 * } finally {
 *   await fn.stop();
 * }
 * ```
 * @internal
 */
export class ForwarderProcess {
  private readonly child: ChildProcess;
  private readonly invokeTimeoutMs: number;
  private stderr = '';
  private waiting: { resolve: (r: ForwarderReply) => void; reject: (e: Error) => void; id: number } | undefined;
  private nextId = 1;
  private exited: string | undefined;

  private constructor(child: ChildProcess, invokeTimeoutMs: number) {
    this.child = child;
    this.invokeTimeoutMs = invokeTimeoutMs;
    child.stderr?.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString('utf8')).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = `exit code ${code ?? '-'}${signal ? `, signal ${signal}` : ''}${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      this.waiting?.reject(new CliError('SUBPROCESS_FAILED', M.forwarderCrashed(this.exited)));
      this.waiting = undefined;
    });
    child.on('message', (msg: { type?: string; id?: number } & ForwarderReply) => {
      if (msg.type === 'result' && this.waiting && msg.id === this.waiting.id) {
        const w = this.waiting;
        this.waiting = undefined;
        w.resolve(msg);
      }
    });
  }

  /**
   * Cold-start the function in a child process with exactly `env` (nothing inherited).
   * @returns the process and the log lines of the cold start
   * @throws CliError `SUBPROCESS_FAILED` when the bundle does not load or the process ends first
   */
  static start(
    bundle: string,
    env: Readonly<Record<string, string>>,
    options: { readonly invokeTimeoutMs?: number } = {},
  ): Promise<{ fn: ForwarderProcess; logs: readonly string[] }> {
    const child = spawn(process.execPath, ['-e', RUNNER, bundle], { env: { ...env }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const fn = new ForwarderProcess(child, options.invokeTimeoutMs ?? 20_000);
    return new Promise((resolve, reject) => {
      const onMessage = (msg: { type?: string; message?: string; logs?: string[] }): void => {
        if (msg.type === 'ready') {
          child.off('message', onMessage);
          resolve({ fn, logs: msg.logs ?? [] });
        } else if (msg.type === 'load-error') reject(new CliError('SUBPROCESS_FAILED', M.forwarderMissing(msg.message ?? 'load failed')));
      };
      child.on('message', onMessage);
      child.once('exit', () => reject(new CliError('SUBPROCESS_FAILED', M.forwarderCrashed(fn.exited ?? 'exited before it was ready'))));
      child.once('error', (error) => reject(new CliError('SUBPROCESS_FAILED', M.forwarderCrashed(error.message), { cause: error })));
    });
  }

  /**
   * Invoke one handler with the payload as a Buffer and an FC context.
   * @throws CliError `SUBPROCESS_FAILED` when the process ended or did not answer in time
   */
  invoke(kind: FcHandlerKind, payload: Buffer, context: FcContextOverrides = {}): Promise<ForwarderReply> {
    if (this.exited !== undefined) return Promise.reject(new CliError('SUBPROCESS_FAILED', M.forwarderCrashed(this.exited)));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new CliError('SUBPROCESS_FAILED', M.forwarderCrashed(`no answer within ${this.invokeTimeoutMs / 1000} s`)));
      }, this.invokeTimeoutMs);
      this.waiting = {
        id,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.child.send({ type: 'invoke', id, via: kind, payload: payload.toString('base64'), context });
    });
  }

  /** End the process (politely, then SIGKILL after 2 s). */
  async stop(): Promise<void> {
    if (this.exited !== undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 2000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.child.connected) this.child.send({ type: 'exit' });
      else this.child.kill();
    });
  }
}
