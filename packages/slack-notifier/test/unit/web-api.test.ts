import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_API_URL, SlackApiError, SlackNotifierError, SlackWebApi, type SlackWebApiOptions } from '../../src/index.js';
import { startSlackSink, type SlackSink } from '../../src/testing/index.js';

let sink: SlackSink;
const CHANNEL = 'C0123ABCD';
const apis: SlackWebApi[] = [];

function client(options: SlackWebApiOptions = {}, token = sink.api.token): SlackWebApi {
  const api = new SlackWebApi(token, { baseUrl: sink.api.url, backoffBaseMs: 20, random: () => 0, timeoutMs: 2000, ...options });
  apis.push(api);
  return api;
}

async function failure(promise: Promise<unknown>): Promise<SlackApiError> {
  try {
    await promise;
  } catch (error) {
    if (SlackApiError.isSlackApiError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function expectNoToken(value: unknown, token: string): void {
  const renderings = [String(value), inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) renderings.push(value.stack ?? '', value.message, inspect(value.cause, { depth: 10 }));
  for (const r of renderings) expect(r).not.toContain(token);
}

beforeAll(async () => {
  sink = await startSlackSink({ api: { rateLimits: { 'conversations.history': { perMinute: 1 } } } });
});
afterAll(async () => {
  for (const api of apis) api.close();
  await sink.close();
});
beforeEach(() => sink.reset());

describe('SlackWebApi: posting, threads, metadata, edits, history', () => {
  it('posts with Bearer auth, replies in the thread (reply_broadcast), edits the parent and reads it back with its metadata', async () => {
    const api = client();
    const metadata = { event_type: 'ecs_pulse_alert', event_payload: { key: 'k1', state: 'Executing', firstSeen: '2026-12-04T10:00:00.000Z' } };
    const parent = await api.postMessage({ channel: CHANNEL, text: 'Executing', metadata });
    const reply = await api.postMessage({ channel: CHANNEL, text: 'Executed', thread_ts: parent.ts, reply_broadcast: true });
    await api.update({ channel: CHANNEL, ts: parent.ts, text: 'Executing → Executed in 7 min', metadata: { ...metadata, event_payload: { ...metadata.event_payload, state: 'Executed' } } });

    const [stored] = sink.api.messages(CHANNEL);
    expect(stored).toMatchObject({ ts: parent.ts, text: 'Executing → Executed in 7 min', edits: 1, metadata: { event_payload: { state: 'Executed' } } });
    expect(stored!.replies.map((r) => [r.ts, r.thread_ts, r.reply_broadcast])).toEqual([[reply.ts, parent.ts, true]]);
    expect(sink.api.calls.every((c) => c.status === 200)).toBe(true);

    const page = await api.history({ channel: CHANNEL, include_all_metadata: true, oldest: String(Date.now() / 1000 - 3600) });
    // Newest first: the broadcast reply, then the parent (with metadata only because include_all_metadata was set).
    expect(page.messages.map((m) => m.ts)).toEqual([reply.ts, parent.ts]);
    expect(page.messages[1]!.metadata).toMatchObject({ event_type: 'ecs_pulse_alert', event_payload: { key: 'k1', state: 'Executed' } });
    expect(sink.api.calls.at(-1)!.args).toMatchObject({ channel: CHANNEL, include_all_metadata: 'true' });
  });

  it('pages history with cursors and respects oldest', async () => {
    const api = client();
    sink.api.seed(CHANNEL, { text: 'too old', at: Date.now() - 2 * 86_400_000 });
    for (let i = 0; i < 5; i++) await api.postMessage({ channel: CHANNEL, text: `m${i}` });
    const oldest = String(Date.now() / 1000 - 86_400);
    const first = await api.history({ channel: CHANNEL, oldest, limit: 3 });
    expect(first.messages.map((m) => m.text)).toEqual(['m4', 'm3', 'm2']);
    expect(first.nextCursor).toBeTypeOf('string');
    // The sink allows one history call per minute: the second page is rate limited and the wait does not fit.
    const limited = await failure(api.history({ channel: CHANNEL, oldest, limit: 3, cursor: first.nextCursor }, { deadlineMs: 500 }));
    expect(limited).toMatchObject({ code: 'ratelimited', retryable: true, status: 429, method: 'conversations.history' });
  });
});

describe('SlackWebApi: errors by name', () => {
  it.each([
    ['not_in_channel', '/invite'],
    ['channel_not_found', 'channel ID'],
    ['is_archived', 'unarchive'],
  ])('%s is a non-retryable SlackApiError with a fix hint', async (code, hintPart) => {
    const api = client();
    if (code === 'not_in_channel') sink.api.channel(CHANNEL).member = false;
    if (code === 'is_archived') sink.api.channel(CHANNEL).archived = true;
    const error = await failure(api.postMessage({ channel: code === 'channel_not_found' ? '#general' : CHANNEL, text: 'x' }));
    expect(error).toMatchObject({ code, retryable: false, attempts: 1, method: 'chat.postMessage', status: 200 });
    expect(error.hint).toContain(hintPart);
    expect(error.message).toContain(hintPart);
    expect(SlackNotifierError.isSlackNotifierError(error)).toBe(true);
  });

  it('invalid_auth, not_authed and token_revoked are permanent and never show the token', async () => {
    const wrong = `xoxb-1234-${'f'.repeat(24)}`;
    const e1 = await failure(client({}, wrong).postMessage({ channel: CHANNEL, text: 'x' }));
    expect(e1).toMatchObject({ code: 'invalid_auth', retryable: false });
    expect(e1.hint).toContain('xoxb-');
    expectNoToken(e1, wrong);
    sink.api.revokeToken();
    const api = client();
    const e2 = await failure(api.postMessage({ channel: CHANNEL, text: 'x' }));
    expect(e2).toMatchObject({ code: 'token_revoked', retryable: false });
    expect(e2.hint).toContain('reinstall');
    for (const value of [e2, api]) expectNoToken(value, sink.api.token);
    expect(String(api)).toBe(`SlackWebApi(${sink.api.url})`);
  });

  it('msg_too_long and invalid_blocks come from the sink checks and are not retried', async () => {
    const api = client();
    expect(await failure(api.postMessage({ channel: CHANNEL, text: 'x'.repeat(40_001) }))).toMatchObject({ code: 'msg_too_long', retryable: false, attempts: 1 });
    const blocks = [{ type: 'header' as const, text: { type: 'plain_text' as const, text: 'h'.repeat(151) } }];
    expect(await failure(api.postMessage({ channel: CHANNEL, text: 'x', blocks }))).toMatchObject({ code: 'invalid_blocks', retryable: false });
    expect(await failure(api.update({ channel: CHANNEL, ts: '1.000001', text: 'x' }))).toMatchObject({ code: 'message_not_found', retryable: false });
    expect(sink.api.messages(CHANNEL)).toHaveLength(0);
  });

  it('retries a transient error and a 5xx, then succeeds', async () => {
    const api = client();
    sink.api.script('chat.postMessage', { error: 'internal_error' }, { status: 503 });
    const { ts } = await api.postMessage({ channel: CHANNEL, text: 'x' });
    expect(sink.api.calls.map((c) => c.status)).toEqual([200, 503, 200]);
    expect(sink.api.messages(CHANNEL).map((m) => m.ts)).toEqual([ts]);
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    const api = client({ maxAttempts: 2 });
    sink.api.script('chat.postMessage', { status: 500 }, { status: 502 });
    expect(await failure(api.postMessage({ channel: CHANNEL, text: 'x' }))).toMatchObject({ code: 'HTTP_502', retryable: true, attempts: 2 });
  });
});

describe('SlackWebApi: 429 Retry-After per method', () => {
  it('waits Retry-After, retries, and makes the next call of the same method wait, not other methods', async () => {
    const waits: number[] = [];
    let clock = Date.now();
    const api = client({ now: () => clock, sleep: async (ms) => void waits.push(ms), deadlineMs: 120_000 });
    sink.api.script('chat.postMessage', { error: 'ratelimited', retryAfterSeconds: 30 });
    await api.postMessage({ channel: CHANNEL, text: 'first' });
    expect(waits).toEqual([30_000]);
    expect(sink.api.calls.map((c) => [c.method, c.status])).toEqual([
      ['chat.postMessage', 429],
      ['chat.postMessage', 200],
    ]);
    // The fake sleep did not advance the clock: the method is still blocked, another method is not.
    await api.update({ channel: CHANNEL, ts: sink.api.messages(CHANNEL)[0]!.ts, text: 'edited' });
    expect(waits).toEqual([30_000]);
    await api.postMessage({ channel: CHANNEL, text: 'second' });
    expect(waits).toEqual([30_000, 30_000]);
    clock += 31_000;
    await api.postMessage({ channel: CHANNEL, text: 'third' });
    expect(waits).toHaveLength(2);
  });

  it('fails at once, without a request, when the announced wait does not fit the deadline', async () => {
    const api = client();
    sink.api.script('conversations.history', { error: 'ratelimited', retryAfterSeconds: 60 });
    expect(await failure(api.history({ channel: CHANNEL }, { deadlineMs: 1000 }))).toMatchObject({ code: 'ratelimited', attempts: 1 });
    const calls = sink.api.calls.length;
    const error = await failure(api.history({ channel: CHANNEL }, { deadlineMs: 1000 }));
    expect(error).toMatchObject({ code: 'ratelimited', attempts: 0, retryable: true });
    expect(sink.api.calls).toHaveLength(calls);
  });
});

describe('SlackWebApi: configuration', () => {
  it('rejects a malformed token without echoing it, bad base URLs and unknown options', () => {
    const bad = 'not-a-token-secret-value';
    try {
      new SlackWebApi(bad);
      throw new Error('expected a throw');
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_TOKEN' });
      expect(String((error as Error).message)).not.toContain(bad);
    }
    const token = 'xoxb-1234-abcdefabcdef';
    expect(() => new SlackWebApi(token, { baseUrl: 'http://slack.example.com/api' })).toThrow(expect.objectContaining({ code: 'INVALID_API_URL' }));
    expect(() => new SlackWebApi(token, { baseUrl: 'ftp://127.0.0.1/api' })).toThrow(expect.objectContaining({ code: 'INVALID_API_URL' }));
    expect(() => new SlackWebApi(token, { retries: 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('defaults to https://slack.com/api and honours SLACK_API_URL', () => {
    const token = 'xoxb-1234-abcdefabcdef';
    const saved = process.env.SLACK_API_URL;
    try {
      delete process.env.SLACK_API_URL;
      expect(new SlackWebApi(token).target).toBe(SLACK_API_URL);
      process.env.SLACK_API_URL = 'http://127.0.0.1:9/api';
      expect(new SlackWebApi(token).target).toBe('http://127.0.0.1:9/api');
      process.env.SLACK_API_URL = 'http://10.0.0.1/api';
      expect(() => new SlackWebApi(token)).toThrow(expect.objectContaining({ code: 'INVALID_API_URL' }));
    } finally {
      if (saved === undefined) delete process.env.SLACK_API_URL;
      else process.env.SLACK_API_URL = saved;
    }
  });
});
