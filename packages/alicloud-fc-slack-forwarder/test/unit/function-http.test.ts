import { sinkReply, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { coldStart, fc3Context, fixture, httpEvent, LogCapture, metricCallbackBodies, type FunctionModule, useSinkAndLogs } from '../helpers.js';

// The FC 3.0 HTTP trigger path of the BUILT bundle: CloudMonitor metric-alarm callbacks and event webhooks
// wrapped in the FC 3.0 request envelope, as a Buffer.

const TOKEN = 'Qw3rTy7uIo9pAs1dFg5hJk2lZx4cVb8n';
interface Response {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

let sink: SlackSink;
let fn: FunctionModule;
const logs = new LogCapture();

useSinkAndLogs(logs, (started) => (sink = started));
beforeEach(() => {
  fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN, ECS_PULSE_CONFIG: JSON.stringify({ slack: { maxAttempts: 2 } }) });
});

async function call(event: Buffer, module: FunctionModule = fn): Promise<Response & { json: Record<string, unknown> }> {
  const response = (await module.handler(event, fc3Context())) as Response;
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
}

describe('Method: handler (FC 3.0) — HTTP trigger', () => {
  it.each(metricCallbackBodies())('forwards the metric-alarm callback $name and answers 200', async ({ body }) => {
    const response = await call(httpEvent({ body, token: TOKEN }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json).toMatchObject({ ok: true, summary: { alerts: 1, delivered: 1 } });
    expect(sink.messages).toHaveLength(1);
    const alarmName = new URLSearchParams(body).get('alertName')!;
    expect(JSON.stringify(sink.messages[0])).toContain(alarmName.slice(0, 12));
    expect(logs.byMsg('invocation')[0]).toMatchObject({ kind: 'http', method: 'POST', statusCode: 200, outcome: 'ok', delivered: 1 });
  });

  it('forwards the constructed FC 3.0 envelope sample (token in the query) unchanged', async () => {
    const envelope = JSON.parse(fixture('fc3-http-trigger-event-wrapping-cms-metric-callback.CONSTRUCTED.json')) as { queryParameters: Record<string, string> };
    envelope.queryParameters.token = TOKEN;
    const response = await call(Buffer.from(JSON.stringify(envelope)));
    expect(response.statusCode).toBe(200);
    expect(sink.messages).toHaveLength(1);
    expect(JSON.stringify(sink.messages[0])).toContain('HighCPU');
  });

  it('accepts the token in the x-ecs-pulse-token header and a base64-encoded body', async () => {
    const body = metricCallbackBodies()[0]!.body;
    const response = await call(httpEvent({ body, token: TOKEN, tokenIn: 'header', base64: true }));
    expect(response.statusCode).toBe(200);
    expect(sink.messages).toHaveLength(1);
  });

  it('forwards a CloudMonitor event posted as JSON by an event-rule webhook', async () => {
    const response = await call(httpEvent({ body: fixture('cms-event-ecs-instance-statechange-stopped.json'), contentType: 'application/json', token: TOKEN }));
    expect(response.statusCode).toBe(200);
    expect(JSON.stringify(sink.messages[0])).toContain('Stopped');
  });

  it('answers a repeated callback (CloudMonitor retry) 200 without posting twice', async () => {
    const body = metricCallbackBodies()[1]!.body;
    expect((await call(httpEvent({ body, token: TOKEN }))).statusCode).toBe(200);
    const again = await call(httpEvent({ body, token: TOKEN }));
    expect(again.statusCode).toBe(200);
    expect(again.json).toMatchObject({ summary: { delivered: 0, duplicates: 1 } });
    expect(sink.messages).toHaveLength(1);
  });
});

describe('Behaviour: HTTP authentication', () => {
  const body = (): string => metricCallbackBodies()[0]!.body;

  it('answers 401 and posts nothing without a token', async () => {
    const response = await call(httpEvent({ body: body() }));
    expect(response.statusCode).toBe(401);
    expect(response.json).toEqual({ error: 'unauthorized', message: 'Missing or wrong token (query parameter "token" or header "x-ecs-pulse-token").' });
    expect(sink.requests).toHaveLength(0);
    expect(logs.byMsg('invocation')[0]).toMatchObject({ level: 'warn', statusCode: 401, outcome: 'unauthorized' });
  });

  it.each([
    ['a wrong token of the same length', 'Qw3rTy7uIo9pAs1dFg5hJk2lZx4cVb8N'],
    ['a prefix of the token', TOKEN.slice(0, 16)],
    ['the token with a suffix', `${TOKEN}x`],
    ['an empty token', ''],
  ])('answers 401 for %s, and the presented value is not logged', async (_label, token) => {
    const response = await call(httpEvent({ body: body(), token }));
    expect(response.statusCode).toBe(401);
    expect(sink.requests).toHaveLength(0);
    if (token.length > 4) expect(logs.text()).not.toContain(token);
  });

  it('answers 500 not_configured when ECS_PULSE_HTTP_TOKEN is not set, and posts nothing', async () => {
    const unconfigured = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const response = await call(httpEvent({ body: body(), token: TOKEN }), unconfigured);
    expect(response.statusCode).toBe(500);
    expect(response.json).toMatchObject({ error: 'not_configured' });
    expect(sink.requests).toHaveLength(0);
    expect(logs.byMsg('config-invalid').at(-1)!.issues).toEqual(['ECS_PULSE_HTTP_TOKEN: is not set; HTTP-trigger requests are refused with 500 until it is']);
  });

  it('answers 500 when the token is too short to be safe', async () => {
    const weak = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: 'short' });
    const response = await call(httpEvent({ body: body(), token: 'short' }), weak);
    expect(response.statusCode).toBe(500);
    expect(sink.requests).toHaveLength(0);
  });

  it('refuses a configured token with a trailing newline: warns at cold start naming the variable, answers 500', async () => {
    const padded = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: `${TOKEN}\n` });
    const warning = logs.byMsg('config-warning').at(-1)!;
    expect(JSON.stringify(warning.warnings)).toContain('ECS_PULSE_HTTP_TOKEN: has leading or trailing whitespace');
    for (const token of [TOKEN, `${TOKEN}\n`]) {
      const response = await call(httpEvent({ body: body(), token }), padded);
      expect(response.statusCode).toBe(500);
      expect(response.json).toMatchObject({ error: 'not_configured' });
    }
    expect(sink.requests).toHaveLength(0);
    expect(logs.text()).not.toContain(TOKEN);
  });

  it('an empty or whitespace x-ecs-pulse-token header does not shadow a correct ?token=', async () => {
    for (const header of ['', '   ']) {
      const envelope = JSON.parse(httpEvent({ body: body(), token: TOKEN }).toString()) as { headers: Record<string, string> };
      envelope.headers['X-Ecs-Pulse-Token'] = header;
      const response = await call(Buffer.from(JSON.stringify(envelope)));
      expect(response.statusCode, JSON.stringify(header)).toBe(200);
    }
    // The second request repeats the alert: authenticated, then deduplicated.
    expect(sink.messages).toHaveLength(1);
  });

  it('answers 500 and posts nothing when the whole configuration is invalid', async () => {
    const broken = coldStart({ SLACK_WEBHOOK_URL: 'not a url', ECS_PULSE_HTTP_TOKEN: TOKEN });
    const response = await call(httpEvent({ body: body(), token: TOKEN }), broken);
    expect(response.statusCode).toBe(500);
    expect(response.json).toEqual({ error: 'not_configured', message: 'The forwarder is not configured; see the function logs.' });
    expect(sink.requests).toHaveLength(0);
  });
});

describe('Behaviour: bad HTTP requests', () => {
  it('answers 405 with Allow: POST for other methods', async () => {
    const response = await call(httpEvent({ body: '', method: 'GET', token: TOKEN }));
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });

  it('answers 413 for a body over 256 KiB', async () => {
    const response = await call(httpEvent({ body: `alertName=x&pad=${'a'.repeat(256 * 1024)}`, token: TOKEN }));
    expect(response.statusCode).toBe(413);
    expect(response.json.error).toBe('payload_too_large');
    expect(sink.requests).toHaveLength(0);
  });

  it('answers 415 for an unknown content type', async () => {
    const response = await call(httpEvent({ body: '<alarm/>', contentType: 'application/xml', token: TOKEN }));
    expect(response.statusCode).toBe(415);
    expect(response.json).toMatchObject({ error: 'UNSUPPORTED_CONTENT_TYPE' });
    expect(String(response.json.message)).toContain('application/xml');
  });

  it.each([
    ['an empty body', '', undefined, 'EMPTY_INPUT'],
    ['broken JSON', '{"product": "ECS",', 'application/json', 'INVALID_JSON'],
    ['JSON that is no alert', '{"hello":"world"}', 'application/json', 'UNKNOWN_FORMAT'],
  ])('answers 400 for %s and logs the dropped body', async (_label, body, contentType, code) => {
    const response = await call(httpEvent({ body, contentType: contentType ?? null, token: TOKEN }));
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toBe(code);
    expect(sink.requests).toHaveLength(0);
    const [dropped] = logs.byMsg('input-dropped');
    expect(dropped).toMatchObject({ errorCode: code, rawBytes: Buffer.byteLength(body) });
  });

  it('answers 400 for a body flagged base64 that is not base64', async () => {
    const envelope = JSON.parse(httpEvent({ body: 'x', token: TOKEN }).toString()) as Record<string, unknown>;
    envelope.isBase64Encoded = true;
    envelope.body = '%%% not base64 %%%';
    const response = await call(Buffer.from(JSON.stringify(envelope)));
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toBe('INVALID_BASE64');
  });

  it('answers 400 for a base64 body whose length is 4n+1 (no base64 has it), and posts nothing', async () => {
    const valid = Buffer.from(fixture('cms-event-ecs-instance-statechange-stopped.json')).toString('base64').replace(/=+$/, '');
    for (const text of [`${valid.slice(0, valid.length - (valid.length % 4))}A`, 'A', `${valid.slice(0, valid.length - (valid.length % 4))}A==`]) {
      const envelope = JSON.parse(httpEvent({ body: 'x', token: TOKEN, contentType: 'application/json' }).toString()) as Record<string, unknown>;
      envelope.isBase64Encoded = true;
      envelope.body = text;
      const response = await call(Buffer.from(JSON.stringify(envelope)));
      expect(response.statusCode).toBe(400);
      expect(response.json.error).toBe('INVALID_BASE64');
    }
    expect(sink.requests).toHaveLength(0);
  });
});

describe('Behaviour: Slack failures (HTTP)', () => {
  const body = (): string => metricCallbackBodies()[0]!.body;

  it('answers 503 with Retry-After when Slack is down, so CloudMonitor retries', async () => {
    sink.script(sinkReply.serverError(502), sinkReply.serverError(502));
    const response = await call(httpEvent({ body: body(), token: TOKEN }));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.json).toMatchObject({ error: 'delivery_failed', summary: { failed: 1, delivered: 0 } });
    expect(logs.byMsg('invocation')[0]).toMatchObject({ level: 'error', statusCode: 503, outcome: 'failed' });
  });

  it('answers 502 when Slack rejects the message for good (channel_not_found)', async () => {
    sink.script(sinkReply.channelNotFound());
    const response = await call(httpEvent({ body: body(), token: TOKEN }));
    expect(response.statusCode).toBe(502);
    expect(sink.requests.map((r) => r.status)).toEqual([404]);
  });

  it('waits out more 429s than slack.maxAttempts and answers 200', async () => {
    sink.script(sinkReply.rateLimited(0), sinkReply.rateLimited(0), sinkReply.rateLimited(0));
    const response = await call(httpEvent({ body: body(), token: TOKEN }));
    expect(response.statusCode).toBe(200);
    expect(sink.requests.map((r) => r.status)).toEqual([429, 429, 429, 200]);
  });

  it('keeps retrying 429s only within its 4 s cap, then answers 503 so CloudMonitor retries', async () => {
    sink.script(...Array.from({ length: 10 }, () => sinkReply.rateLimited(1)));
    const started = Date.now();
    const response = await call(httpEvent({ body: body(), token: TOKEN }));
    const elapsed = Date.now() - started;
    expect(response.statusCode).toBe(503);
    expect(response.json).toMatchObject({ error: 'delivery_failed' });
    // Retry-After 1 s: attempts at about 0, 1, 2 and 3 s; the next would start at 4 s, past the cap.
    expect(sink.requests).toHaveLength(4);
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(4000);
    expect(logs.byMsg('alert')[0]).toMatchObject({ outcome: 'failed', attempts: 4, errorCode: 'DEADLINE_EXCEEDED' });
  });

  it('recovers from a 429 and answers 200', async () => {
    sink.script(sinkReply.rateLimited(1));
    const response = await call(httpEvent({ body: body(), token: TOKEN }));
    expect(response.statusCode).toBe(200);
    expect(sink.requests.map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('Behaviour: envelope-shaped input never bypasses the token check', () => {
  // A payload shaped like an FC 3.0 HTTP-trigger request but without requestContext.http used to take the
  // event path, where the parser unwrapped it and posted its body with no token check.
  const event = (): string => fixture('cms-event-ecs-instance-statechange-stopped.json');
  const forged = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    requestContext: {},
    headers: { 'content-type': 'application/json' },
    body: event(),
    isBase64Encoded: false,
    ...over,
  });

  it.each([
    ['requestContext without http', forged()],
    ['requestContext.http that is not an object', forged({ requestContext: { http: 'POST' } })],
    ['a base64 body and no headers', { requestContext: {}, isBase64Encoded: true, body: Buffer.from(event()).toString('base64') }],
    ['rawPath and body without requestContext', { rawPath: '/', body: event() }],
    ['headers and body without requestContext', { headers: { 'content-type': 'application/json' }, body: event() }],
  ])('takes the HTTP path for %s: refused, nothing posted', async (_label, envelope) => {
    const result = (await fn.handler(Buffer.from(JSON.stringify(envelope)), fc3Context())) as Response;
    expect(result.statusCode).toBe(405);
    expect(JSON.parse(result.body)).toEqual({ error: 'method_not_allowed', message: 'Use POST.' });
    expect(sink.requests).toHaveLength(0);
    expect(logs.byMsg('invocation')[0]).toMatchObject({ kind: 'http', statusCode: 405, outcome: 'rejected' });
  });

  it('still checks the token of a forged envelope that names the method', async () => {
    const envelope = forged({ requestContext: { http: { method: 'POST' } } });
    const result = (await fn.handler(Buffer.from(JSON.stringify(envelope)), fc3Context())) as Response;
    expect(result.statusCode).toBe(401);
    expect(sink.requests).toHaveLength(0);
  });

  it('drops an envelope that reaches the event path encoded twice (a JSON string), posting nothing', async () => {
    const twice = Buffer.from(JSON.stringify(JSON.stringify(forged())));
    const result = await fn.handler(twice, fc3Context());
    expect(result).toEqual({ ok: false, summary: { alerts: 0, delivered: 0, filtered: 0, duplicates: 0, unrouted: 0, failed: 0, rejected: 0 }, dropped: 'HTTP_ENVELOPE_ON_EVENT_PATH' });
    expect(sink.requests).toHaveLength(0);
    const [dropped] = logs.byMsg('input-dropped');
    expect(dropped).toMatchObject({ level: 'error', errorCode: 'HTTP_ENVELOPE_ON_EVENT_PATH' });
    expect(String(dropped!.error)).toContain('HTTP-trigger envelope');
  });

  it('never posts an envelope inside an event batch (all envelopes: dropped; mixed: the envelope element dropped, the real event delivered)', async () => {
    const all = await fn.handler(Buffer.from(JSON.stringify([forged(), forged()])), fc3Context());
    expect(all).toMatchObject({ ok: false, dropped: 'HTTP_ENVELOPE_ON_EVENT_PATH' });
    expect(sink.requests).toHaveLength(0);
    // Mixed: the envelope element is dropped by index (its body is never posted); the real event is delivered.
    const running = fixture('cms-event-ecs-instance-statechange-running.json');
    const mixed = await fn.handler(Buffer.from(JSON.stringify([JSON.parse(event()), forged({ body: running })])), fc3Context());
    expect(mixed).toMatchObject({ ok: true, summary: { alerts: 1, delivered: 1, rejected: 1 } });
    expect(logs.byMsg('input-dropped').at(-1)).toMatchObject({ index: 1, errorCode: 'UNKNOWN_FORMAT' });
    expect(sink.messages).toHaveLength(1);
    const posted = JSON.stringify(sink.messages);
    expect(posted).toContain('Stopped');
    expect(posted).not.toContain('Running');
  });

  it('drops an envelope given to the FC 2.0 handler (no HTTP path there), posting nothing', async () => {
    const outcome = await new Promise<{ error: Error | null; result?: unknown }>((resolve) => {
      fn.legacyHandler(Buffer.from(JSON.stringify(forged())), fc3Context(), (error, result) => resolve({ error, result }));
    });
    expect(outcome.error).toBeNull();
    expect(outcome.result).toMatchObject({ ok: false, dropped: 'HTTP_ENVELOPE_ON_EVENT_PATH' });
    expect(sink.requests).toHaveLength(0);
  });

  it('still forwards EventBridge and CloudMonitor events on the event path', async () => {
    const result = await fn.handler(Buffer.from(event()), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(sink.messages).toHaveLength(1);
  });
});

describe('Behaviour: envelope fields of the wrong type', () => {
  const body = (): string => metricCallbackBodies()[0]!.body;
  const envelope = (mutate: (e: Record<string, any>) => void): Buffer => {
    const e = JSON.parse(httpEvent({ body: body(), token: TOKEN }).toString()) as Record<string, any>;
    mutate(e);
    return Buffer.from(JSON.stringify(e));
  };

  it.each([
    ['an object with a non-callable toString', { toString: 0 }],
    ['a number', 42],
    ['an array', ['POST']],
    ['null', null],
  ])('answers 405 (not 500) for a method that is %s', async (_label, method) => {
    const response = await call(envelope((e) => (e.requestContext.http.method = method)));
    expect(response.statusCode).toBe(405);
    expect(response.json).toEqual({ error: 'method_not_allowed', message: 'Use POST.' });
    expect(logs.byMsg('internal-error')).toHaveLength(0);
    expect(logs.byMsg('invocation')[0]).toMatchObject({ statusCode: 405, method: null });
    expect(sink.requests).toHaveLength(0);
  });

  it.each([
    ['path is not a string', (e: Record<string, any>) => (e.requestContext.http.path = { toString: 0 }), 'requestContext.http.path'],
    ['rawPath is not a string', (e: Record<string, any>) => (e.rawPath = 7), 'rawPath'],
    ['a header value is an object', (e: Record<string, any>) => (e.headers['Content-Type'] = { toString: 0 }), 'headers'],
    ['headers is an array', (e: Record<string, any>) => (e.headers = ['x']), 'headers'],
    ['a query value is a number', (e: Record<string, any>) => (e.queryParameters.page = 2), 'queryParameters'],
    [
      'queryParameters is a string',
      (e: Record<string, any>) => {
        e.queryParameters = 'page=1';
        e.headers['X-Ecs-Pulse-Token'] = TOKEN;
      },
      'queryParameters',
    ],
    ['isBase64Encoded is a string', (e: Record<string, any>) => (e.isBase64Encoded = 'true'), 'isBase64Encoded'],
    ['body is an object', (e: Record<string, any>) => (e.body = { alertName: 'x' }), 'body'],
    ['sourceIp is an object', (e: Record<string, any>) => (e.requestContext.http.sourceIp = { toString: 0 }), 'requestContext.http.sourceIp'],
  ])('answers 400 invalid_request when %s', async (_label, mutate, field) => {
    const response = await call(envelope(mutate));
    expect(response.statusCode).toBe(400);
    expect(response.json.error).toBe('invalid_request');
    expect(String(response.json.message)).toContain(field);
    expect(String(response.json.message)).not.toContain(TOKEN);
    expect(logs.byMsg('internal-error')).toHaveLength(0);
    expect(logs.byMsg('invocation')[0]).toMatchObject({ statusCode: 400, outcome: 'bad-request', errorCode: 'INVALID_REQUEST' });
    expect(sink.requests).toHaveLength(0);
  });

  it('answers 401 to a malformed envelope without the token: nothing is checked or revealed before it', async () => {
    const response = await call(
      envelope((e) => {
        delete e.queryParameters.token;
        e.body = { alertName: 'x' };
        e.headers['Content-Type'] = { toString: 0 };
      }),
    );
    expect(response.statusCode).toBe(401);
    expect(response.json.error).toBe('unauthorized');
  });

  it('accepts null body and headers given as arrays of strings', async () => {
    const response = await call(
      envelope((e) => {
        e.headers['X-Forwarded-For'] = ['1.2.3.4', '5.6.7.8'];
        e.queryParameters.extra = ['a', 'b'];
      }),
    );
    expect(response.statusCode).toBe(200);
    const empty = await call(envelope((e) => (e.body = null)));
    expect(empty.statusCode).toBe(400);
    expect(empty.json.error).toBe('EMPTY_INPUT');
  });
});
