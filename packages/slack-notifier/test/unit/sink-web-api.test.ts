import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackSink, type SlackSink } from '../../src/testing/index.js';

// The sink's Web API on the wire: what a client other than SlackWebApi sees.

const sinks: SlackSink[] = [];
afterEach(async () => {
  while (sinks.length) await sinks.pop()!.close();
});
async function sink(options?: Parameters<typeof startSlackSink>[0]): Promise<SlackSink> {
  const s = await startSlackSink(options);
  sinks.push(s);
  return s;
}

function call(s: SlackSink, method: string, body: string, contentType = 'application/json', token = s.api.token): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, any> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${s.api.url}/${method}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const json = (v: unknown): string => JSON.stringify(v);

describe('Slack sink: Web API', () => {
  it('enforces a per-method rate limit with 429 ratelimited and Retry-After, leaving other methods alone', async () => {
    const s = await sink({ api: { rateLimits: { 'chat.postMessage': { perMinute: 60, burst: 2 } } } });
    const post = () => call(s, 'chat.postMessage', json({ channel: 'C0SINK0001', text: 'x' }));
    const answers = [await post(), await post(), await post()];
    expect(answers.map((a) => [a.status, a.json.ok, a.json.error])).toEqual([
      [200, true, undefined],
      [200, true, undefined],
      [429, false, 'ratelimited'],
    ]);
    expect(answers[2]!.headers['retry-after']).toBe('1');
    const history = await call(s, 'conversations.history', 'channel=C0SINK0001', 'application/x-www-form-urlencoded');
    expect(history.json.messages).toHaveLength(2);
  });

  it('answers Slack errors for bad threads, metadata, JSON and methods', async () => {
    const s = await sink();
    const post = (args: object) => call(s, 'chat.postMessage', json({ channel: 'C0SINK0001', text: 'x', ...args }));
    expect((await post({ thread_ts: '123.000001' })).json).toEqual({ ok: false, error: 'thread_not_found' });
    expect((await post({ metadata: { event_type: 1 } })).json).toEqual({ ok: false, error: 'invalid_metadata_format' });
    expect((await post({ text: '' })).json).toEqual({ ok: false, error: 'no_text' });
    expect((await call(s, 'chat.postMessage', '{not json')).json).toEqual({ ok: false, error: 'invalid_json' });
    expect(await call(s, 'chat.nope', '{}')).toMatchObject({ status: 200, json: { ok: false, error: 'unknown_method' } });
    expect((await call(s, 'chat.postMessage', json({ channel: 'C0SINK0001', text: 'x' }), 'application/json', 'xoxb-wrong')).json.error).toBe('invalid_auth');
    expect(s.api.messages('C0SINK0001')).toHaveLength(0);
  });

  it('takes form bodies with JSON-encoded blocks and metadata, and returns metadata only with include_all_metadata', async () => {
    const s = await sink();
    const form = new URLSearchParams({ channel: 'C0SINK0001', text: 'x', metadata: json({ event_type: 'e', event_payload: { k: 'v' } }) });
    const posted = await call(s, 'chat.postMessage', form.toString(), 'application/x-www-form-urlencoded');
    expect(posted.json).toMatchObject({ ok: true, channel: 'C0SINK0001', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const without = await call(s, 'conversations.history', 'channel=C0SINK0001', 'application/x-www-form-urlencoded');
    expect(without.json.messages[0].metadata).toBeUndefined();
    const withMeta = await call(s, 'conversations.history', 'channel=C0SINK0001&include_all_metadata=true', 'application/x-www-form-urlencoded');
    expect(withMeta.json.messages[0].metadata).toEqual({ event_type: 'e', event_payload: { k: 'v' } });
    expect(s.api.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'conversations.history', 'conversations.history']);
  });
});
