import { SlackWebApi } from '@ecs-pulse/slack-notifier';
import { describe, expect, it } from 'vitest';
import { sink } from '../../src/commands/sink.js';
import { capture } from '../helpers/io.js';

const until = async (predicate: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!predicate()) throw new Error(`timed out waiting for ${what}`);
};

describe('Command: sink (Slack Web API for bot-token routes)', () => {
  it('prints SLACK_API_URL, then each Web API call with its thread and the message; the token only with --json', async () => {
    // Prepare: the terminal form, then the --json form that hands out the sink's own token
    const stop = new AbortController();
    const stdout = capture();
    const stderr = capture();
    const running = sink({ stdout, stderr, env: { NO_COLOR: '1' }, signal: stop.signal, pollMs: 10 });
    await until(() => stdout.text().includes('SLACK_API_URL='), 'the API URL');
    expect(stdout.text()).toMatch(/SLACK_API_URL=http:\/\/127\.0\.0\.1:\d+\/api\n/);
    expect(stdout.text()).not.toMatch(/xox[bp]-/);
    stop.abort();
    await running;

    const stopJson = new AbortController();
    const out = capture();
    const result = sink({ stdout: out, stderr: capture(), env: {}, json: true, signal: stopJson.signal, pollMs: 10 });
    await until(() => out.text().includes('\n'), 'the JSON line');
    const { apiUrl, botToken } = JSON.parse(out.text().split('\n')[0] as string) as { apiUrl: string; botToken: string };
    expect(botToken).toMatch(/^xoxb-/);
    // Act: a parent, a reply in its thread, an edit of the parent, and a call with a wrong token
    const api = new SlackWebApi(botToken, { baseUrl: apiUrl });
    const { ts } = await api.postMessage({ channel: 'C0123ABCD', text: 'Executing', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Executing* i-bp1abc' } }] });
    await api.postMessage({ channel: 'C0123ABCD', text: 'Executed', thread_ts: ts });
    await api.update({ channel: 'C0123ABCD', ts, text: 'Executing → Executed in 7 min' });
    await expect(new SlackWebApi('xoxb-000000000-wrong', { baseUrl: apiUrl, maxAttempts: 1 }).postMessage({ channel: 'C0123ABCD', text: 'x' })).rejects.toMatchObject({ code: 'invalid_auth' });
    await until(() => out.text().split('\n').filter((l) => l.includes('"api"')).length >= 4, 'four API lines');
    stopJson.abort();
    const r = await result;
    // Assess
    const calls = out.text().trim().split('\n').slice(1).map((l) => JSON.parse(l) as { api: string; status: number; error?: string; args: Record<string, unknown> });
    expect(calls.map((c) => [c.api, c.error ?? 'ok'])).toEqual([
      ['chat.postMessage', 'ok'],
      ['chat.postMessage', 'ok'],
      ['chat.update', 'ok'],
      ['chat.postMessage', 'invalid_auth'],
    ]);
    expect(calls[1]?.args.thread_ts).toBe(ts);
    expect(r).toMatchObject({ apiUrl, apiCalls: 4, accepted: 0 });
  });

  it('shows each Web API call on the terminal, a refused one with its error', async () => {
    const stop = new AbortController();
    const stdout = capture();
    const running = sink({ stdout, stderr: capture(), env: { NO_COLOR: '1' }, signal: stop.signal, pollMs: 10 });
    await until(() => stdout.text().includes('SLACK_API_URL='), 'the API URL');
    // the token is not on the terminal (the --json test above uses it); a wrong token shows a refused call
    const apiUrl = /SLACK_API_URL=(\S+)/.exec(stdout.text())?.[1] as string;
    await new SlackWebApi('xoxb-000000000-wrong', { baseUrl: apiUrl, maxAttempts: 1 }).postMessage({ channel: 'C0123ABCD', text: 'x' }).catch(() => undefined);
    await until(() => stdout.text().includes('── api chat.postMessage'), 'the API line');
    stop.abort();
    await running;
    expect(stdout.text()).toContain('── api chat.postMessage · C0123ABCD · invalid_auth ──');
  });
});
