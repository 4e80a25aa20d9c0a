import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sinkReply, startSlackSink, type SinkReply, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { missingFrom, type ExpectedAlert } from './support/events.js';
import {
  CONTEXT_CREDENTIALS,
  coldStart,
  fc2Context,
  fc3Context,
  fcAsyncInvoke,
  httpEnvelope,
  invoke,
  invokeLegacy,
  OutputCapture,
  type FunctionModule,
  type HttpResponse,
  type Invocation,
} from './support/function.js';
import { eventBatch, metricCallback } from './support/payloads.js';
import { accessKeyEnv, ACCESS_KEY_ID, ACCESS_KEY_SECRET, HTTP_TOKEN, SecretScanner, secretWebhookUrl, WEBHOOK_LAST_SEGMENT, WEBHOOK_PATH } from './support/secrets.js';

// The REAL bundled function (dist/function.cjs) against the notifier's local Slack sink failing in every way
// Slack (or the network) can fail, and against its own deadline. Every invocation uses recognizable secrets
// (webhook URL, token, AccessKey in the environment as FC provides it, STS credentials in the context); the
// last test scans everything the function wrote and every error it raised for them.

const ONCALL_PATH = '/services/TSECRET1/BSECRET1/oNcAlLsEcReTpAtH456';
const scanner = new SecretScanner({
  webhookPath: WEBHOOK_PATH,
  webhookLastSegment: WEBHOOK_LAST_SEGMENT,
  oncallPath: ONCALL_PATH,
  token: HTTP_TOKEN,
  accessKeyId: ACCESS_KEY_ID,
  accessKeySecret: ACCESS_KEY_SECRET,
  stsKeyId: CONTEXT_CREDENTIALS.accessKeyId,
  stsSecret: CONTEXT_CREDENTIALS.accessKeySecret,
  stsToken: CONTEXT_CREDENTIALS.securityToken,
});

let sink: SlackSink;
let webhook: string;
const output = new OutputCapture();
const savedEnv = new Map<string, string | undefined>();

beforeAll(async () => {
  sink = await startSlackSink();
  webhook = secretWebhookUrl(sink.origin);
  // FC puts the function role's credentials in the environment of every instance.
  for (const [k, v] of Object.entries(accessKeyEnv())) {
    savedEnv.set(k, process.env[k]);
    process.env[k] = v;
  }
});
afterAll(async () => {
  await sink.close();
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
beforeEach(() => {
  sink.reset();
  output.start();
});
afterEach((ctx) => {
  output.stop();
  scanner.add(`logs of "${ctx.task.name}"`, output.text());
  output.lines.length = 0;
});

/** A cold start with the secrets and optional function config (`ECS_PULSE_CONFIG`). */
function fresh(config?: Record<string, unknown>, extraEnv: Record<string, string> = {}): FunctionModule {
  return coldStart({
    SLACK_WEBHOOK_URL: webhook,
    ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN,
    ECS_PULSE_CONFIG: config === undefined ? undefined : JSON.stringify(config),
    ...extraEnv,
  });
}

/** Records an outcome's value or error for the secret scan and returns it. */
function seen<T extends Invocation>(outcome: T): T {
  scanner.add('invocation outcome', outcome.ok ? outcome.value : outcome.error);
  return outcome;
}

const FAST = { slack: { timeoutMs: 300 } };
const accepted = (): unknown[] => sink.messages;
const statuses = (): (number | undefined)[] => sink.requests.map((r) => r.status);
const outcomes = (): string[] => sink.requests.map((r) => (r.outcome === 'answered' ? String(r.status) : r.outcome));

function expectAllDelivered(expected: readonly ExpectedAlert[]): void {
  expect(missingFrom(accepted(), expected)).toEqual([]);
}

function expectDeliveryError(outcome: Invocation, failure: { code: string; status?: number; retryable: boolean }): Record<string, any> {
  expect(outcome.ok).toBe(false);
  const error = (outcome as { error: Record<string, any> }).error;
  expect(error).toMatchObject({ name: 'DeliveryError', code: 'DELIVERY_FAILED', retryable: failure.retryable });
  expect(error.message).toContain('Slack did not accept the message on route default');
  expect(error.message).toContain(failure.code);
  expect(error.failures).toEqual([
    expect.objectContaining({ route: 'default', code: failure.code, retryable: failure.retryable, ...(failure.status !== undefined && { status: failure.status }) }),
  ]);
  return error;
}

function httpResult(outcome: Invocation): HttpResponse & { json: Record<string, any> } {
  expect(outcome.ok).toBe(true);
  const response = (outcome as { value: HttpResponse }).value;
  return { ...response, json: JSON.parse(response.body ?? '{}') as Record<string, any> };
}

const always = (reply: SinkReply) => () => reply;

describe('Faults the sink recovers from within the budget: no alert is lost', () => {
  it('429 with Retry-After: 1 once — the same invocation waits the Retry-After and delivers', async () => {
    // Prepare
    const fn = fresh();
    const { payload, expected } = eventBatch(3);
    sink.script(sinkReply.rateLimited(1));
    // Act
    const outcome = seen(await invoke(fn, payload, fc3Context()));
    // Assess
    expect(outcome).toMatchObject({ ok: true, value: { ok: true, summary: { alerts: 3, delivered: 3, failed: 0 } } });
    expect(statuses()).toEqual([429, 200]);
    const gap = sink.requests[1]!.at - sink.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
    expectAllDelivered(expected);
    expect(output.records().filter((r) => r.msg === 'alert').map((r) => [r.outcome, r.attempts])).toEqual([
      ['delivered', 2],
      ['delivered', 2],
      ['delivered', 2],
    ]);
  });

  it('429 three times in a row — the function waits Retry-After within its budget and delivers in the same invocation', async () => {
    const fn = fresh();
    const { payload, expected } = eventBatch(3);
    sink.script(sinkReply.rateLimited(0.2), sinkReply.rateLimited(0.2), sinkReply.rateLimited(0.2));
    const attempts = await fcAsyncInvoke(fn, payload, { retryDelayMs: 100 });
    attempts.forEach((a) => seen(a.outcome));
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.outcome).toMatchObject({ ok: true, value: { ok: true, summary: { delivered: 3 } } });
    expect(statuses()).toEqual([429, 429, 429, 200]);
    expectAllDelivered(expected);
  });

  it('429 past the rate-limit attempt cap — the invocation throws a retryable DeliveryError and the FC retry delivers', async () => {
    const fn = fresh();
    const { payload, expected } = eventBatch(3);
    sink.script(...Array.from({ length: 8 }, () => sinkReply.rateLimited(0.05)));
    const attempts = await fcAsyncInvoke(fn, payload, { retryDelayMs: 100 });
    attempts.forEach((a) => seen(a.outcome));
    expect(attempts).toHaveLength(2);
    expectDeliveryError(attempts[0]!.outcome, { code: 'rate_limited', status: 429, retryable: true }); // Slack's JSON body code
    expect(attempts[1]!.outcome).toMatchObject({ ok: true, value: { ok: true, summary: { delivered: 3 } } });
    expect(statuses()).toEqual([...Array.from({ length: 8 }, () => 429), 200]);
    expectAllDelivered(expected);
  });

  it('a 5xx burst (500, 502, 503, 504) — retried with backoff, then by FC; every alert delivered once', async () => {
    const fn = fresh();
    const { payload, expected } = eventBatch(4);
    sink.script(sinkReply.serverError(500), sinkReply.serverError(502), sinkReply.serverError(503), sinkReply.serverError(504));
    const attempts = await fcAsyncInvoke(fn, payload, { retryDelayMs: 100 });
    attempts.forEach((a) => seen(a.outcome));
    expectDeliveryError(attempts[0]!.outcome, { code: 'HTTP_503', status: 503, retryable: true });
    expect(attempts.at(-1)!.outcome.ok).toBe(true);
    expect(statuses()).toEqual([500, 502, 503, 504, 200]);
    expect(accepted()).toHaveLength(1);
    expectAllDelivered(expected);
  });

  it('a hang (no answer, slower than the per-attempt timeout) — the attempt is cut and retried', async () => {
    const fn = fresh(FAST);
    const { payload, expected } = eventBatch(2);
    sink.script(sinkReply.hang());
    const outcome = seen(await invoke(fn, payload, fc3Context()));
    expect(outcome).toMatchObject({ ok: true, value: { ok: true, summary: { delivered: 2 } } });
    expect(outcomes()).toEqual(['hung', '200']);
    expect(outcome.ms).toBeLessThan(3000);
    expectAllDelivered(expected);
  });

  it('a slow answer past the timeout — delivered at least once (Slack may have processed the timed-out post)', async () => {
    const fn = fresh(FAST);
    const { payload, expected } = eventBatch(2);
    sink.script(sinkReply.slow(1500));
    const outcome = seen(await invoke(fn, payload, fc3Context()));
    expect(outcome).toMatchObject({ ok: true, value: { ok: true } });
    expectAllDelivered(expected);
    // The timed-out post was recorded by the sink too: at-least-once, at most one extra copy.
    expect(accepted().length).toBeGreaterThanOrEqual(1);
    expect(accepted().length).toBeLessThanOrEqual(2);
  });

  it('connection resets — retried, delivered', async () => {
    const fn = fresh();
    const { payload, expected } = eventBatch(2);
    sink.script(sinkReply.drop(), sinkReply.drop());
    const outcome = seen(await invoke(fn, payload, fc3Context()));
    expect(outcome).toMatchObject({ ok: true, value: { ok: true, summary: { delivered: 2 } } });
    expect(outcomes()).toEqual(['dropped', 'dropped', '200']);
    expectAllDelivered(expected);
  });

  it('every transient fault in turn (503, reset, hang, 429) — the FC retries deliver every alert', async () => {
    const fn = fresh(FAST);
    const { payload, expected } = eventBatch(5);
    sink.script(sinkReply.serverError(503), sinkReply.drop(), sinkReply.hang(), sinkReply.rateLimited(1));
    const attempts = await fcAsyncInvoke(fn, payload, { retryDelayMs: 100 });
    attempts.forEach((a) => seen(a.outcome));
    expect(attempts.length).toBe(2);
    expect(attempts[0]!.outcome.ok).toBe(false);
    expect(attempts[1]!.outcome.ok).toBe(true);
    expect(outcomes()).toEqual(['503', 'dropped', 'hung', '429', '200']);
    expectAllDelivered(expected);
  });

  it('a partial failure over two routes — the FC retry re-posts only the failed route, nothing twice', async () => {
    const oncall = `${sink.origin}${ONCALL_PATH}`;
    const fn = fresh(
      { routing: 'all-matches', routes: [{ name: 'oncall', webhookUrlEnv: 'SLACK_WEBHOOK_URL_ONCALL', match: { severities: ['critical'] } }] },
      { SLACK_WEBHOOK_URL_ONCALL: oncall },
    );
    const { payload, expected } = eventBatch(15); // the samples include critical, warning, info and ok events
    let oncallFailures = 0;
    sink.script((req) => (req.path === ONCALL_PATH && oncallFailures++ < 3 ? sinkReply.serverError(503) : undefined));
    const attempts = await fcAsyncInvoke(fn, payload, { retryDelayMs: 100 });
    attempts.forEach((a) => seen(a.outcome));
    expect(attempts).toHaveLength(2);
    const error = (attempts[0]!.outcome as { error: Record<string, any> }).error;
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', retryable: true, failures: [expect.objectContaining({ route: 'oncall', code: 'HTTP_503' })] });
    const defaultMessages = sink.requests.filter((r) => r.path === WEBHOOK_PATH && r.status === 200);
    const oncallMessages = sink.requests.filter((r) => r.path === ONCALL_PATH && r.status === 200);
    expect(defaultMessages).toHaveLength(1); // not re-posted by the retry
    expect(oncallMessages).toHaveLength(1);
    // Critical alerts match the oncall route; the rest match no route and go to the default one.
    const critical = error.failures[0].alertIds as string[];
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.length).toBeLessThan(expected.length);
    expect(missingFrom(defaultMessages.map((r) => r.json), expected.filter((a) => !critical.includes(a.id)))).toEqual([]);
    expect(missingFrom(oncallMessages.map((r) => r.json), expected.filter((a) => critical.includes(a.id)))).toEqual([]);
    expectAllDelivered(expected);
    expect(attempts[1]!.outcome).toMatchObject({ ok: true, value: { summary: { delivered: critical.length, duplicates: expected.length - critical.length } } });
  });

  it('HTTP trigger: 429 once, then a reset — still answered 200 within the callback budget', async () => {
    const fn = fresh();
    const { body, expected } = metricCallback();
    sink.script(sinkReply.rateLimited(1), sinkReply.drop());
    const outcome = seen(await invoke(fn, httpEnvelope({ body, token: HTTP_TOKEN }), fc3Context()));
    const response = httpResult(outcome);
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(outcome.ms).toBeLessThan(4000);
    expectAllDelivered(expected);
  });

  it('HTTP trigger: Slack down for longer than the 4 s callback budget — 503 + Retry-After, then the CloudMonitor retry is delivered', async () => {
    const fn = fresh(); // default per-attempt timeout (5 s) is longer than the HTTP budget
    const { body, expected } = metricCallback();
    sink.script(always(sinkReply.hang()));
    const envelope = httpEnvelope({ body, token: HTTP_TOKEN, tokenIn: 'header' });
    const first = seen(await invoke(fn, envelope, fc3Context({ timeoutS: 30 })));
    const response = httpResult(first);
    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('30');
    expect(response.json).toMatchObject({ error: 'delivery_failed', summary: { failed: 1, delivered: 0 } });
    expect(first.ms).toBeGreaterThanOrEqual(3500);
    expect(first.ms).toBeLessThan(5000); // CloudMonitor waits 5 s for a callback
    sink.reset(); // Slack is back
    const retry = httpResult(seen(await invoke(fn, envelope, fc3Context())));
    expect(retry.statusCode).toBe(200);
    expectAllDelivered(expected);
  });
});

describe('Permanent failures surface instead of being swallowed', () => {
  const permanent: Array<[string, SinkReply, string, number]> = [
    ['404 channel_not_found', sinkReply.channelNotFound(), 'channel_not_found', 404],
    ['410 channel_is_archived', sinkReply.channelArchived(), 'channel_is_archived', 410],
    ['400 invalid_payload', sinkReply.invalidPayload(), 'invalid_payload', 400],
    ['403 action_prohibited', sinkReply.actionProhibited(), 'action_prohibited', 403],
  ];

  it.each(permanent)('%s: the event invocation rejects at once (no retry), the HTTP request gets 502, FC 2.0 calls back with the error', async (_name, reply, code, status) => {
    const fn = fresh();
    sink.script(always(reply));
    // FC 3.0 event
    const { payload, expected } = eventBatch(2);
    const event = seen(await invoke(fn, payload, fc3Context()));
    const error = expectDeliveryError(event, { code, status, retryable: false });
    expect(error.message).toContain(`HTTP ${status}`);
    // (in digest order: by severity, then event type)
    expect([...error.failures[0].alertIds].sort()).toEqual(expected.map((a) => a.id).sort());
    expect(sink.requests).toHaveLength(1); // a 4xx is not retried
    const failedLines = output.records().filter((r) => r.msg === 'alert' && r.outcome === 'failed');
    expect(failedLines.map((r) => [r.id, r.httpStatus, r.errorCode]).sort()).toEqual(expected.map((a) => [a.id, status, code]).sort());
    // FC 3.0 HTTP trigger
    const { body } = metricCallback();
    const http = httpResult(seen(await invoke(fn, httpEnvelope({ body, token: HTTP_TOKEN }), fc3Context())));
    expect(http.statusCode).toBe(502);
    expect(http.headers?.['retry-after']).toBeUndefined();
    expect(http.json).toMatchObject({ error: 'delivery_failed', summary: { failed: 1 } });
    // FC 2.0 legacy handler
    const legacy = seen(await invokeLegacy(fn, eventBatch(1).payload, fc2Context()));
    expectDeliveryError(legacy, { code, status, retryable: false });
    expect(accepted()).toEqual([]);
  });

  it('5xx that never ends: every FC attempt rejects (3 HTTP attempts each), so FC hands the event to the on-failure destination', async () => {
    const fn = fresh();
    sink.script(always(sinkReply.serverError(500)));
    const { payload } = eventBatch(2);
    const attempts = await fcAsyncInvoke(fn, payload, { retryDelayMs: 0 });
    attempts.forEach((a) => seen(a.outcome));
    expect(attempts).toHaveLength(3);
    for (const a of attempts) expectDeliveryError(a.outcome, { code: 'rollup_error', status: 500, retryable: true });
    expect(statuses()).toEqual(Array(9).fill(500));
    const http = httpResult(seen(await invoke(fn, httpEnvelope({ body: metricCallback().body, token: HTTP_TOKEN }), fc3Context())));
    expect(http.statusCode).toBe(503);
    expect(http.headers?.['retry-after']).toBe('30');
  });

  it('a webhook host that refuses connections: CONNECTION_ERROR, retryable, rejected', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const p = (server.address() as AddressInfo).port;
        server.close(() => resolve(p));
      });
    });
    const fn = coldStart({ SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN, ECS_PULSE_CONFIG: undefined });
    const outcome = seen(await invoke(fn, eventBatch(1).payload, fc3Context()));
    expectDeliveryError(outcome, { code: 'CONNECTION_ERROR', retryable: true });
  });

  it('a hang that never ends: the event rejects with TIMEOUT after the bounded attempts', async () => {
    const fn = fresh(FAST);
    sink.script(always(sinkReply.hang()));
    const outcome = seen(await invoke(fn, eventBatch(1).payload, fc3Context()));
    expectDeliveryError(outcome, { code: 'TIMEOUT', retryable: true });
    expect(outcomes()).toEqual(['hung', 'hung', 'hung']);
    expect(outcome.ms).toBeLessThan(4000);
  });
});

describe("The function's own deadline (context.getRemainingTimeInMS)", () => {
  it('less time left than the safety margin: nothing is sent, the event rejects at once as retryable', async () => {
    const fn = fresh();
    const outcome = seen(await invoke(fn, eventBatch(2).payload, fc3Context({ remainingMs: 1600 })));
    const error = expectDeliveryError(outcome, { code: 'DEADLINE_EXCEEDED', retryable: true });
    expect(error.message).toContain('DEADLINE_EXCEEDED');
    expect(sink.requests).toEqual([]);
    expect(outcome.ms).toBeLessThan(500);
  });

  it('Slack hangs with 3 s left: the invocation gives up before FC would kill it (remaining − margin)', async () => {
    const fn = fresh(); // per-attempt timeout 5 s > the time left
    sink.script(always(sinkReply.hang()));
    const outcome = seen(await invoke(fn, eventBatch(1).payload, fc3Context({ remainingMs: 3000 })));
    expectDeliveryError(outcome, { code: 'DEADLINE_EXCEEDED', retryable: true });
    expect(outcome.ms).toBeGreaterThanOrEqual(1300);
    expect(outcome.ms).toBeLessThan(3000 - 500); // before FC's kill at 3 s, with most of the 1.5 s margin kept
  });

  it('a Retry-After longer than the time left: fails at once instead of sleeping past the deadline; the FC retry delivers', async () => {
    const fn = fresh();
    const { payload, expected } = eventBatch(2);
    sink.script({ ...sinkReply.rateLimited(5) });
    let first = true;
    const attempts = await fcAsyncInvoke(fn, payload, {
      retryDelayMs: 50,
      context: () => {
        const ctx = fc3Context({ remainingMs: first ? 3000 : 30_000 });
        first = false;
        return ctx;
      },
    });
    attempts.forEach((a) => seen(a.outcome));
    expect(attempts).toHaveLength(2);
    expectDeliveryError(attempts[0]!.outcome, { code: 'DEADLINE_EXCEEDED', status: 429, retryable: true });
    expect(attempts[0]!.outcome.ms).toBeLessThan(1000);
    expect(attempts[1]!.outcome.ok).toBe(true);
    expectAllDelivered(expected);
  });

  it('HTTP trigger with 2.5 s left: 503 within the time left, not after it', async () => {
    const fn = fresh();
    sink.script(always(sinkReply.hang()));
    const outcome = seen(await invoke(fn, httpEnvelope({ body: metricCallback().body, token: HTTP_TOKEN }), fc3Context({ remainingMs: 2500 })));
    const response = httpResult(outcome);
    expect(response.statusCode).toBe(503);
    expect(outcome.ms).toBeLessThan(2400); // FC kills the invocation at 2.5 s
  });

  it('FC 2.0 (no getRemainingTimeInMS, timeout 3 s): the budget comes from function.timeout and the callback gets the error in time', async () => {
    const fn = fresh();
    sink.script(always(sinkReply.hang()));
    const outcome = seen(await invokeLegacy(fn, eventBatch(1).payload, fc2Context(3)));
    expectDeliveryError(outcome, { code: 'DEADLINE_EXCEEDED', retryable: true });
    expect(outcome.ms).toBeLessThan(2500);
  });
});

describe('Secret hygiene of the fault suites', () => {
  it('no log line, result or error of any invocation above contains the webhook URL or path, the token, the AccessKey or the STS credentials', () => {
    // Prepare: the scanner must see real material, or this test could pass vacuously.
    expect(scanner.size).toBeGreaterThan(40);
    expect(scanner.chars).toBeGreaterThan(20_000);
    // Assess
    expect(scanner.hits()).toEqual([]);
  });

  it('the scanner finds a secret when one leaks (self-check, plain and base64)', () => {
    const probe = new SecretScanner({ token: HTTP_TOKEN, webhookLastSegment: WEBHOOK_LAST_SEGMENT });
    probe.add('plain', `GET /?token=${HTTP_TOKEN}`);
    probe.add('base64', Buffer.from(`xx${WEBHOOK_LAST_SEGMENT}yy`).toString('base64'));
    probe.add('error', new Error('outer', { cause: new Error(`inner ${HTTP_TOKEN}`) }));
    expect(probe.hits().map((h) => `${h.where}:${h.secret}`)).toEqual(['plain:token', 'base64:webhookLastSegment', 'error:token']);
  });
});
