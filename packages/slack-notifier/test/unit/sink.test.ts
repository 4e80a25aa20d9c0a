import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sinkReply, startSlackSink, type SlackSink } from '../../src/testing/index.js';

const sinks: SlackSink[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
});

async function sink(options?: Parameters<typeof startSlackSink>[0]): Promise<SlackSink> {
  const s = await startSlackSink(options);
  sinks.push(s);
  return s;
}

/** A raw HTTP call (no retries) so the sink's own answers are visible. */
function post(url: string, body: string, options: { method?: string; contentType?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: { 'content-type': options.contentType ?? 'application/json' }, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Function: startSlackSink', () => {
  it('listens on 127.0.0.1 with a random /services/… path and records accepted messages', async () => {
    const s = await sink();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/services\/T[0-9A-F]{8}\/B[0-9A-F]{8}\/[0-9a-f]{24}$/);
    const res = await post(s.url, JSON.stringify({ text: 'hi' }));
    expect(res).toMatchObject({ status: 200, body: 'ok' });
    expect(s.messages).toEqual([{ text: 'hi' }]);
    expect(s.requests[0]).toMatchObject({ method: 'POST', status: 200, outcome: 'answered', violations: [] });
  });

  it('accepts the form-encoded payload= variant', async () => {
    const s = await sink();
    const res = await post(s.url, `payload=${encodeURIComponent(JSON.stringify({ text: 'form' }))}`, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(200);
    expect(s.messages).toEqual([{ text: 'form' }]);
  });

  it('answers 400 invalid_payload for bad JSON and for limit violations, recording why', async () => {
    const s = await sink();
    expect(await post(s.url, '{nope')).toMatchObject({ status: 400, body: 'invalid_payload' });
    expect(await post(s.url, JSON.stringify({ blocks: [] }))).toMatchObject({ status: 400, body: 'invalid_payload' });
    expect(s.requests.map((r) => r.violations.map((v) => v.rule))).toEqual([['json'], ['text_required']]);
    expect(s.messages).toEqual([]);
  });

  it('skips validation when validate is false', async () => {
    const s = await sink({ validate: false });
    expect(await post(s.url, JSON.stringify({ blocks: [] }))).toMatchObject({ status: 200 });
  });

  it('answers 404 no_service off /services/ and /api/, and 405 for other methods', async () => {
    const s = await sink();
    expect(await post(`${s.origin}/hooks/chat.postMessage`, '{}')).toMatchObject({ status: 404, body: 'no_service' });
    // /api/ is the sink's Web API now: without a token it answers like Slack does.
    expect(await post(`${s.origin}/api/chat.postMessage`, '{}')).toMatchObject({ status: 200, body: '{"ok":false,"error":"not_authed"}' });
    expect(await post(s.url, '', { method: 'GET' })).toMatchObject({ status: 405, body: 'invalid_method' });
  });

  it('plays a queue of scripted replies, then returns to normal', async () => {
    const s = await sink();
    s.script(sinkReply.rateLimited(7), sinkReply.channelNotFound(), sinkReply.serverError(503));
    const a = await post(s.url, '{"text":"x"}');
    const b = await post(s.url, '{"text":"x"}');
    const c = await post(s.url, '{"text":"x"}');
    const d = await post(s.url, '{"text":"x"}');
    expect([a, b, c, d].map((r) => [r.status, r.body])).toEqual([
      [429, '{"ok":false,"error":"rate_limited"}'],
      [404, 'channel_not_found'],
      [503, ''],
      [200, 'ok'],
    ]);
    expect(a.headers['retry-after']).toBe('7');
    expect(s.messages).toHaveLength(1);
  });

  it('runs a script function per request index', async () => {
    const s = await sink();
    s.script((req, i) => (i % 2 === 0 ? sinkReply.channelArchived() : undefined));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(s.url, `{"text":"${i}"}`)).status);
    expect(statuses).toEqual([410, 200, 410, 200]);
    expect(s.messages).toEqual([{ text: '1' }, { text: '3' }]);
  });

  it('delays slow replies and drops connections on request', async () => {
    const s = await sink();
    s.script(sinkReply.slow(200), sinkReply.drop());
    const started = Date.now();
    expect((await post(s.url, '{"text":"slow"}')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    await expect(post(s.url, '{"text":"drop"}')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET/) });
    expect(s.requests.map((r) => r.outcome)).toEqual(['answered', 'dropped']);
  });

  it('enforces a rate limit with a burst, answering 429 with Retry-After', async () => {
    const s = await sink({ rateLimit: { perSecond: 1, burst: 2 } });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await post(s.url, '{"text":"x"}'));
    expect(results.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(results[2]?.headers['retry-after']).toBe('1');
    expect(s.messages).toHaveLength(2);
  });

  it('ends hung requests when closed', async () => {
    const s = await startSlackSink();
    s.script(sinkReply.hang());
    const pending = post(s.url, '{"text":"x"}');
    await new Promise((r) => setTimeout(r, 50));
    await s.close();
    await expect(pending).rejects.toBeInstanceOf(Error);
    expect(s.requests[0]?.outcome).toBe('hung');
  });

  it('reset() clears messages, requests and the script', async () => {
    const s = await sink();
    s.script(sinkReply.serverError());
    s.reset();
    expect((await post(s.url, '{"text":"x"}')).status).toBe(200);
    s.reset();
    expect([s.messages.length, s.requests.length]).toEqual([0, 0]);
  });
});
