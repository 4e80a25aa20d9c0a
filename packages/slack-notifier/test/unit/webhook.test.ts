import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackNotifierError, SlackWebhook, SlackWebhookError, type SlackWebhookOptions } from '../../src/index.js';
import { sinkReply, startSlackSink, type SlackSink } from '../../src/testing/index.js';
import { readFixture } from '../helpers/fixtures.js';

let sink: SlackSink;
const webhooks: SlackWebhook[] = [];
const message = { text: 'hello', blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*hello*' } }] };

/** A client with fast, deterministic backoff (random = 0 → exactly half the exponential delay). */
function client(options: SlackWebhookOptions = {}): SlackWebhook {
  const w = new SlackWebhook(sink.url, { backoffBaseMs: 40, random: () => 0, timeoutMs: 2000, ...options });
  webhooks.push(w);
  return w;
}

async function failure(promise: Promise<unknown>): Promise<SlackWebhookError> {
  try {
    await promise;
  } catch (error) {
    if (SlackWebhookError.isSlackWebhookError(error)) return error;
    throw error;
  }
  throw new Error('expected the send to fail');
}

const secretPath = (): string => new URL(sink.url).pathname;
function expectNoSecret(value: unknown): void {
  const secret = secretPath().split('/').pop()!;
  const renderings = [String(value), inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) renderings.push(value.stack ?? '', value.message, inspect(value.cause, { depth: 10 }));
  for (const r of renderings) {
    expect(r).not.toContain(secret);
    expect(r).not.toContain(secretPath());
  }
}

beforeAll(async () => {
  sink = await startSlackSink();
});
afterEach(() => {
  sink.reset();
  for (const w of webhooks.splice(0)) w.close();
});
afterAll(async () => {
  await sink.close();
});

describe('Class: SlackWebhook — success and Slack errors', () => {
  it('posts JSON once and reports one attempt', async () => {
    const result = await client().send(message);
    expect(result).toMatchObject({ attempts: 1, status: 200, rateLimited: 0 });
    expect(sink.messages).toEqual([message]);
    expect(sink.requests[0]).toMatchObject({ method: 'POST', path: secretPath(), status: 200 });
    expect(sink.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('accepts a JSON string as the message', async () => {
    await expect(client().send(JSON.stringify(message))).resolves.toMatchObject({ attempts: 1 });
    expect(sink.messages).toEqual([message]);
  });

  it.each([
    ['invalid_payload', sinkReply.invalidPayload(), 400],
    ['action_prohibited', sinkReply.actionProhibited(), 403],
    ['channel_not_found', sinkReply.channelNotFound(), 404],
    ['channel_is_archived', sinkReply.channelArchived(), 410],
  ])('fails at once on %s without retrying', async (code, reply, status) => {
    sink.script(reply);
    const error = await failure(client().send(message));
    expect(error).toMatchObject({ name: 'SlackWebhookError', code, status, attempts: 1, retryable: false });
    expect(error.message).toContain(`failed after 1 attempt: Slack rejected the message with ${status} ${code}`);
    expect(sink.requests).toHaveLength(1);
    expectNoSecret(error);
  });

  it('covers every documented status of the Slack error fact sheet', async () => {
    const facts = JSON.parse(readFixture('slack-incoming-webhook-errors.json')) as { status: number | null; body: string }[];
    for (const fact of facts.filter((f) => typeof f.status === 'number' && f.status >= 400 && f.status < 500 && f.status !== 429)) {
      sink.script({ status: fact.status!, body: fact.body });
      const error = await failure(client().send(message));
      expect({ status: error.status, code: error.code, attempts: error.attempts }).toEqual({ status: fact.status, code: fact.body, attempts: 1 });
    }
  });

  it('answers 400 invalid_payload for a message over the limits and records the violation', async () => {
    const error = await failure(client().send({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] }));
    expect(error).toMatchObject({ code: 'invalid_payload', status: 400, attempts: 1 });
    expect(sink.requests[0]?.violations).toEqual([expect.objectContaining({ rule: 'header_text_length', actual: 151 })]);
    expect(sink.messages).toEqual([]);
  });
});

describe('Class: SlackWebhook — retries', () => {
  it('waits Retry-After on 429, then succeeds', async () => {
    sink.script(sinkReply.rateLimited(0.3));
    const result = await client().send(message);
    expect(result).toMatchObject({ attempts: 2, rateLimited: 1, status: 200 });
    const gap = sink.requests[1]!.at - sink.requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(290);
    expect(gap).toBeLessThan(1500);
  });

  it('honours a whole-second Retry-After as Slack sends it', async () => {
    sink.script(sinkReply.rateLimited(1));
    const result = await client().send(message);
    expect(result.attempts).toBe(2);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(995);
  });

  it('floors the wait after a 429 at backoffBaseMs: Retry-After 0 does not make every attempt at once', async () => {
    sink.script(...Array.from({ length: 8 }, () => sinkReply.rateLimited(0)));
    const error = await failure(client({ backoffBaseMs: 60, maxAttempts: 8 }).send(message));
    expect(error).toMatchObject({ code: 'rate_limited', attempts: 8 });
    expect(sink.requests).toHaveLength(8);
    const gaps = sink.requests.slice(1).map((r, i) => r.at - sink.requests[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(55);
    expect(sink.requests.at(-1)!.at - sink.requests[0]!.at).toBeGreaterThanOrEqual(7 * 55);
  });

  it('floors an HTTP-date Retry-After in the past the same way (injected clock and sleep)', async () => {
    const sleeps: number[] = [];
    sink.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': new Date(0).toUTCString() } }, sinkReply.ok());
    const w = new SlackWebhook(sink.url, { backoffBaseMs: 500, timeoutMs: 2000, sleep: async (ms) => void sleeps.push(ms) });
    webhooks.push(w);
    await w.send(message);
    expect(sleeps).toEqual([500]);
  });

  it('gives up on repeated 429s with RATE_LIMITED after maxAttempts', async () => {
    sink.script(sinkReply.rateLimited(0.05), sinkReply.rateLimited(0.05), sinkReply.rateLimited(0.05));
    const error = await failure(client({ maxAttempts: 3 }).send(message));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, attempts: 3, retryable: true });
    expect(error.message).toContain('rate limited (429, Retry-After 0.05s); gave up after maxAttempts=3');
  });

  it('retries 429s up to maxRateLimitedAttempts without spending maxAttempts', async () => {
    sink.script(...Array.from({ length: 5 }, () => sinkReply.rateLimited(0)));
    const result = await client({ maxAttempts: 2, maxRateLimitedAttempts: 8 }).send(message);
    expect(result).toMatchObject({ attempts: 6, rateLimited: 5, status: 200 });
  });

  it('gives up on 429s after maxRateLimitedAttempts and says which bound it hit', async () => {
    sink.script(...Array.from({ length: 6 }, () => sinkReply.rateLimited(0)));
    const error = await failure(client({ maxAttempts: 2, maxRateLimitedAttempts: 4 }).send(message));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, attempts: 4, retryable: true });
    expect(error.message).toContain('rate limited (429, Retry-After 0s); gave up after maxRateLimitedAttempts=4');
    expect(sink.requests).toHaveLength(4);
  });

  it('still bounds other failures by maxAttempts, not counting the 429s between them', async () => {
    sink.script(sinkReply.rateLimited(0), sinkReply.serverError(503), sinkReply.rateLimited(0), sinkReply.serverError(500), sinkReply.serverError(503));
    const error = await failure(client({ maxAttempts: 2, maxRateLimitedAttempts: 8 }).send(message));
    expect(error).toMatchObject({ code: 'rollup_error', status: 500, attempts: 4, retryable: true });
    expect(error.message).toContain('gave up after maxAttempts=2');
    expect(sink.requests.map((r) => r.status)).toEqual([429, 503, 429, 500]);
  });

  it('makes no more than max(maxAttempts, maxRateLimitedAttempts) attempts in all', async () => {
    sink.script(sinkReply.rateLimited(0), sinkReply.rateLimited(0), sinkReply.serverError(503), sinkReply.serverError(503));
    const error = await failure(client({ maxAttempts: 3, maxRateLimitedAttempts: 3 }).send(message));
    expect(error).toMatchObject({ code: 'HTTP_503', attempts: 3 });
    expect(sink.requests).toHaveLength(3);
  });

  it('rejects a maxRateLimitedAttempts that is not an integer ≥ 1', () => {
    expect(() => new SlackWebhook(sink.url, { maxRateLimitedAttempts: 0.5 })).toThrow(
      expect.objectContaining({ name: 'SlackNotifierError', code: 'INVALID_OPTIONS', message: expect.stringContaining('maxRateLimitedAttempts: must be an integer ≥ 1') }),
    );
  });

  it('still stops 429 retries at the deadline', async () => {
    sink.script(...Array.from({ length: 6 }, () => sinkReply.rateLimited(0.3)));
    const error = await failure(client({ maxAttempts: 1, maxRateLimitedAttempts: 8, deadlineMs: 800 }).send(message));
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', status: 429, attempts: 3, retryable: true });
  });

  it('retries 500 and 503 with exponential backoff', async () => {
    sink.script(sinkReply.serverError(500), sinkReply.serverError(503));
    const result = await client({ backoffBaseMs: 100 }).send(message);
    expect(result.attempts).toBe(3);
    const [a, b, c] = sink.requests.map((r) => r.at);
    expect(b! - a!).toBeGreaterThanOrEqual(45); // 100 × 2^0 / 2 (random = 0)
    expect(c! - b!).toBeGreaterThanOrEqual(95); // 100 × 2^1 / 2
    expect(sink.requests.map((r) => r.status)).toEqual([500, 503, 200]);
  });

  it('reports the last 5xx code after maxAttempts', async () => {
    sink.script(sinkReply.serverError(500), sinkReply.serverError(500), sinkReply.serverError(503));
    const error = await failure(client({ maxAttempts: 3 }).send(message));
    expect(error).toMatchObject({ code: 'HTTP_503', status: 503, attempts: 3, retryable: true });
    expect(error.message).toContain('server error 503 HTTP_503; gave up after maxAttempts=3');
  });

  it('times out a slow response and retries', async () => {
    sink.script(sinkReply.slow(600));
    const result = await client({ timeoutMs: 150 }).send(message);
    expect(result.attempts).toBe(2);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(150);
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it('fails with TIMEOUT when the server hangs on every attempt', async () => {
    sink.script(sinkReply.hang(), sinkReply.hang());
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 120, maxAttempts: 2 }).send(message));
    expect(error).toMatchObject({ code: 'TIMEOUT', status: undefined, attempts: 2, retryable: true });
    expect(error.message).toContain('no response within timeoutMs=120; gave up after maxAttempts=2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(sink.requests.map((r) => r.outcome)).toEqual(['hung', 'hung']);
  });

  it('retries a dropped connection', async () => {
    sink.script(sinkReply.drop());
    const result = await client().send(message);
    expect(result.attempts).toBe(2);
    expect(sink.requests.map((r) => r.outcome)).toEqual(['dropped', 'answered']);
  });

  it('fails with CONNECTION_ERROR and the cause when every connection drops', async () => {
    sink.script(sinkReply.drop(), sinkReply.drop());
    const error = await failure(client({ maxAttempts: 2 }).send(message));
    expect(error).toMatchObject({ code: 'CONNECTION_ERROR', status: undefined, attempts: 2, retryable: true });
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toMatch(/connection failed \((ECONNRESET|socket hang up)\); gave up after maxAttempts=2/);
    expectNoSecret(error);
  });

  it('fails with CONNECTION_ERROR when nothing listens', async () => {
    const closed = await startSlackSink();
    const url = closed.url;
    await closed.close();
    const w = new SlackWebhook(url, { maxAttempts: 2, backoffBaseMs: 10 });
    webhooks.push(w);
    const error = await failure(w.send(message));
    expect(error).toMatchObject({ code: 'CONNECTION_ERROR', attempts: 2 });
    expect(error.message).toContain('ECONNREFUSED');
    expectNoSecret(error);
  });
});

describe('Class: SlackWebhook — deadline', () => {
  it('fails at once when Retry-After would cross the deadline', async () => {
    sink.script(sinkReply.rateLimited(5));
    const started = Date.now();
    const error = await failure(client({ deadlineMs: 1000 }).send(message));
    expect(Date.now() - started).toBeLessThan(500);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', status: 429, attempts: 1, retryable: true });
    expect(error.message).toContain('the next retry would start after 5000 ms, past deadlineMs=1000');
  });

  it('cuts a hanging attempt at the deadline', async () => {
    sink.script(sinkReply.hang());
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 5000, deadlineMs: 300 }).send(message));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', attempts: 1 });
    expect(error.message).toContain('no response before deadlineMs=300 ran out');
  });

  it('uses the injected clock and sleep (no real waiting)', async () => {
    let now = 1_000_000;
    const sleeps: number[] = [];
    sink.script(sinkReply.rateLimited(30), sinkReply.serverError(503));
    const w = client({
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => 1,
      backoffBaseMs: 1000,
      deadlineMs: 60_000,
    });
    const result = await w.send(message);
    expect(sleeps).toEqual([30_000, 2000]); // Retry-After 30 s; then backoff 1000 × 2^1 with full jitter
    expect(result).toMatchObject({ attempts: 3, rateLimited: 1, elapsedMs: 32_000 });
  });
});

describe('Class: SlackWebhook — secrets and validation', () => {
  it('never shows the secret path in toString, inspect or JSON', () => {
    const w = client();
    expect(String(w)).toBe(`SlackWebhook(${sink.origin}/…)`);
    expect(JSON.stringify(w)).toBe(JSON.stringify({ target: `${sink.origin}/…` }));
    expectNoSecret(w);
    expectNoSecret({ nested: w });
  });

  it.each([
    ['', 'it is empty'],
    ['not a url', 'it is not an absolute URL'],
    ['ftp://hooks.slack.com/services/T1/B1/SECRETXYZ', 'scheme "ftp:" is not https:'],
    ['http://hooks.slack.com/services/T1/B1/SECRETXYZ', 'http: is allowed only for loopback hosts'],
    ['https://hooks.slack.com', 'it has no path'],
    ['https://user:SECRETXYZ@hooks.slack.com/services/T1/B1/x', 'it must not contain user credentials'],
  ])('rejects %j with a message that does not echo it', (url, why) => {
    let caught: unknown;
    try {
      new SlackWebhook(url);
    } catch (error) {
      caught = error;
    }
    expect(SlackNotifierError.isSlackNotifierError(caught)).toBe(true);
    expect(caught).toMatchObject({ name: 'SlackNotifierError', code: 'INVALID_WEBHOOK_URL', message: expect.stringContaining(`Slack webhook URL is invalid: ${why}`) });
    expect(String((caught as Error).message)).not.toContain('SECRETXYZ');
  });

  it('rejects a non-string URL and bad options, listing all issues', () => {
    expect(() => new SlackWebhook(undefined as never)).toThrow(expect.objectContaining({ code: 'INVALID_WEBHOOK_URL', message: expect.stringContaining('expected a string, got undefined') }));
    expect(() => new SlackWebhook(sink.url, { maxAttempts: 0, timeoutMs: -1, retries: 3 } as never)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(/retries: unknown option[\s\S]*timeoutMs: must be a non-negative number of ms[\s\S]*maxAttempts: must be an integer ≥ 1/),
      }),
    );
  });

  it('rejects messages that are not JSON objects with INVALID_MESSAGE', async () => {
    const w = client();
    await expect(w.send('not json')).rejects.toMatchObject({ code: 'INVALID_MESSAGE', message: expect.stringContaining('a string that is not JSON') });
    await expect(w.send(null as never)).rejects.toMatchObject({ code: 'INVALID_MESSAGE', message: expect.stringContaining('got null') });
    expect(sink.requests).toHaveLength(0);
  });

  it('does not keep a process alive after a send (keep-alive sockets are unref’d)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notifier-'));
    const script = join(dir, 'child.mts');
    const src = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    writeFileSync(script, `import { SlackWebhook } from ${JSON.stringify(src)};\nconst r = await new SlackWebhook(process.argv[2]).send({ text: 'from child' });\nprocess.stdout.write('sent ' + r.attempts + ' ' + Date.now() + '\\n');\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', script, sink.url], { cwd: fileURLToPath(new URL('../..', import.meta.url)) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exitedAt = await new Promise<number>((resolve) => child.on('exit', () => resolve(Date.now())));
    const sentAt = Number(/sent 1 (\d+)/.exec(out)?.[1]);
    expect(out).toMatch(/sent 1 \d+/);
    expect(exitedAt - sentAt).toBeLessThan(1000); // the sink keeps idle connections 30 s; the client must not wait for that
    expect(sink.messages).toEqual([{ text: 'from child' }]);
  });
});
