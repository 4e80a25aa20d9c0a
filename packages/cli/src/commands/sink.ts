import type { SinkApiCall, SinkRequest } from '@ecs-pulse/slack-notifier/testing';
import { CliError } from '../errors.js';
import { colorEnabled, resolveIo, type CommonOptions, type Io } from '../io.js';

/**
 * Options of {@link sink}.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * setTimeout(() => stop.abort(), 60_000);
 * await sink({ port: 8765, signal: stop.signal });
 * ```
 */
export interface SinkOptions extends CommonOptions {
  /** Port on 127.0.0.1. @default 0 (any free port) */
  readonly port?: number;
  /** Stops the sink when aborted (the CLI aborts it on SIGINT/SIGTERM). @default - runs until the process ends */
  readonly signal?: AbortSignal;
  /** How often new requests are printed, in ms. @default 50 */
  readonly pollMs?: number;
}

/**
 * Result of {@link sink}, once it stopped.
 *
 * @example
 * ```ts
 * const { accepted, rejected } = await sink({ signal });
 * ```
 */
export interface SinkResult {
  /** The webhook URL it listened on. */
  readonly url: string;
  /** Its Slack Web API base URL (`SLACK_API_URL` of a bot-token route), `<origin>/api`. */
  readonly apiUrl: string;
  /** Web API calls it answered (`chat.postMessage`, `chat.update`, `conversations.history`, …). */
  readonly apiCalls: number;
  /** Messages it accepted (answered 200 `ok`). */
  readonly accepted: number;
  /** Requests it refused (a message breaking Slack's limits gets 400 `invalid_payload`; another path 404). */
  readonly rejected: number;
}

const T = {
  listening: (url: string) => `Local Slack sink listening. Webhook URL:\n${url}`,
  hint: (url: string) =>
    `Try: ecs-pulse send-test-event --webhook ${url}\nor point a route's webhook at it (http://127.0.0.1 is allowed for test sinks). Ctrl-C stops it.`,
  accepted: (n: number, status: number) => `── message ${n} · ${status} ok ──`,
  rejected: (n: number, status: number | undefined, body: string) => `── request ${n} · ${status ?? '-'} ${body} ──`,
  stopped: (accepted: number, rejected: number, api: number) => `Sink stopped: ${accepted} message(s) accepted, ${rejected} refused. ${api} Web API call(s).`,
  api: (url: string) =>
    `Slack Web API for bot-token routes (threads): SLACK_API_URL=${url}\n  it accepts only its own test bot token, printed with --json as "botToken" (a new one each start).`,
  badPort: (port: number) => `--port ${port} must be a whole number from 0 to 65535.`,
};

/**
 * `ecs-pulse sink`: the notifier's local Slack-compatible incoming webhook
 * (`@ecs-pulse/slack-notifier/testing`) as a command. Prints its URL, then every message it receives
 * rendered for the terminal as `ecs-pulse preview` does (or, with `json`, one JSON line per request),
 * and refuses messages that break Slack's limits with 400 `invalid_payload` as Slack does. Resolves when
 * `signal` aborts.
 *
 * @throws CliError `USAGE` when the port is out of range or taken.
 *
 * @example
 * ```ts
 * import { sink } from '@ecs-pulse/cli';
 * const stop = new AbortController();
 * process.once('SIGINT', () => stop.abort());
 * await sink({ signal: stop.signal });
 * ```
 */
export async function sink(options: SinkOptions = {}): Promise<SinkResult> {
  const io = resolveIo(options);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('USAGE', T.badPort(port));
  const { startSlackSink } = await import('@ecs-pulse/slack-notifier/testing');
  const { formatMessageAsText } = await import('@ecs-pulse/slack-notifier');
  let server;
  try {
    server = await startSlackSink({ port });
  } catch (cause) {
    throw new CliError('USAGE', `The sink could not listen on 127.0.0.1:${port} (is the port taken?). Pick another with --port, or leave it out.`, { cause });
  }
  const color = colorEnabled(io.stdout, io.env);
  const timeZone = io.env.TZ !== undefined && io.env.TZ !== '' ? io.env.TZ : 'UTC';
  const api = server.api;
  // The sink's own throwaway token (random per start, accepted by nothing else): given only to --json
  // callers that wire a test function to it, never on the terminal.
  if (io.json) io.out(JSON.stringify({ url: server.url, apiUrl: api.url, botToken: api.token }));
  else {
    io.out(T.listening(server.url));
    io.out(T.api(api.url));
    io.err(io.paint.dim(T.hint(server.url)));
  }
  let printed = 0;
  let accepted = 0;
  let rejected = 0;
  let apiPrinted = 0;
  const flush = (): void => {
    while (apiPrinted < api.calls.length) {
      const call = api.calls[apiPrinted] as SinkApiCall;
      apiPrinted++;
      printApiCall(io, call, (m) => formatMessageAsText(m as never, { color, timeZone }));
    }
    while (printed < server.requests.length) {
      const request = server.requests[printed] as SinkRequest;
      printed++;
      const ok = request.status !== undefined && request.status >= 200 && request.status < 300;
      if (ok) accepted++;
      else rejected++;
      print(io, request, ok ? accepted : printed, ok, (m) => formatMessageAsText(m as never, { color, timeZone }));
    }
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(flush, options.pollMs ?? 50);
    const stop = (): void => {
      clearInterval(timer);
      resolve();
    };
    if (options.signal?.aborted === true) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
  flush();
  await server.close();
  if (!io.json) io.err(T.stopped(accepted, rejected, api.calls.length));
  return { url: server.url, apiUrl: api.url, accepted, rejected, apiCalls: api.calls.length };
}

function print(io: Io, request: SinkRequest, n: number, ok: boolean, render: (m: unknown) => string): void {
  if (io.json) {
    io.out(
      JSON.stringify({
        at: new Date(request.at).toISOString(),
        status: request.status ?? null,
        accepted: ok,
        ...(request.violations.length > 0 && { violations: request.violations.map((v) => `${v.path}: ${v.message}`) }),
        message: request.json ?? null,
      }),
    );
    return;
  }
  const answer = ok ? 'ok' : request.status === 400 ? 'invalid_payload' : request.status === 404 ? 'no_service' : 'refused';
  io.out(io.paint.dim(ok ? T.accepted(n, request.status ?? 200) : T.rejected(n, request.status, answer)));
  if (ok) io.out(render(request.json));
  else for (const v of request.violations) io.out(io.paint.red(`  ${v.path || '(message)'}: ${v.message}`));
  io.out();
}

/** One Web API call: the method, channel, thread and answer, then the message as `preview` renders it. */
function printApiCall(io: Io, call: SinkApiCall, render: (m: unknown) => string): void {
  const a = call.args;
  if (io.json) {
    io.out(JSON.stringify({ at: new Date(call.at).toISOString(), api: call.method, status: call.status, ...(call.error ? { error: call.error } : {}), args: a }));
    return;
  }
  const where = [a.channel, a.thread_ts ? `thread ${String(a.thread_ts)}` : '', a.ts ? `ts ${String(a.ts)}` : ''].filter(Boolean).join(' · ');
  io.out(io.paint.dim(`── api ${call.method}${where ? ` · ${where}` : ''} · ${call.error ?? 'ok'} ──`));
  if (call.error === undefined && (call.method === 'chat.postMessage' || call.method === 'chat.update') && (a.blocks !== undefined || a.text !== undefined)) {
    const blocks = typeof a.blocks === 'string' ? (JSON.parse(a.blocks) as unknown) : a.blocks;
    io.out(render({ text: a.text, ...(blocks !== undefined ? { blocks } : {}) }));
  }
  io.out();
}
