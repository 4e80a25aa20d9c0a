import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SinkApiMessage, SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE, cloudEvent, coldStart, fc3Context, fixture, httpEvent, LogCapture, useSinkAndLogs } from '../helpers.js';

// Bot-token routes (issue 19) of the BUILT bundle against the sink's Slack Web API: one thread per alert
// lifecycle, the parent found through message metadata, never an alert lost.

let sink: SlackSink;
const logs = new LogCapture();
const CHANNEL = 'C0123ABCD';
const HTTP_TOKEN = 'Tk8sQ2xZ0pVb7nR4mW1cE6hJ9fA3dG5u';

useSinkAndLogs(logs, (started) => (sink = started));

const oncall = (extra: Record<string, unknown> = {}) => ({ name: 'oncall', botTokenEnv: 'SLACK_BOT_TOKEN', channel: CHANNEL, threads: true, ...extra });
function start(routeExtra: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  return coldStart({ SLACK_BOT_TOKEN: sink.api.token, SLACK_API_URL: sink.api.url, ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN, ECS_PULSE_CONFIG: JSON.stringify({ routes: [oncall(routeExtra)] }), ...env });
}

let n = 0;
/** A CloudMonitor system event of the reboot lifecycle (fixture shape), `minutes` after the first. */
function reboot(status: string, minutes: number, instance = 'i-bp1fake0instance0001'): Buffer {
  const event = JSON.parse(fixture('cms-event-ecs-systemmaintenance-reboot-scheduled.json')) as Record<string, unknown> & { content: Record<string, unknown> };
  const t = new Date(Date.parse('2025-03-13T01:00:00Z') + minutes * 60_000);
  const compact = t.toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '.$1+0000');
  n++;
  return Buffer.from(
    JSON.stringify({
      ...event,
      id: `11111111-2222-4333-8444-${String(n).padStart(12, '0')}`,
      name: `Instance:SystemMaintenance.Reboot:${status}`,
      resourceId: `acs:ecs:cn-hangzhou:1234567890123456:instance/${instance}`,
      eventTime: compact,
      content: { ...event.content, instanceId: instance, eventStatus: status },
    }),
  );
}

const parents = (): SinkApiMessage[] => sink.api.messages(CHANNEL).filter((m) => m.metadata?.event_type === 'ecs_pulse_alert');
const historyCalls = () => sink.api.calls.filter((c) => c.method === 'conversations.history');

describe('Bot-token route: lifecycle threads', () => {
  it('a lifecycle of 3 states → 1 parent + 2 replies, the parent updated twice (state and duration)', async () => {
    const fn = start();
    for (const [status, minutes] of [['Scheduled', 0], ['Executing', 2], ['Executed', 9]] as const) {
      expect(await fn.handler(reboot(status, minutes), fc3Context())).toMatchObject({ ok: true, summary: { delivered: 1, failed: 0 } });
    }
    expect(parents()).toHaveLength(1);
    const [parent] = parents();
    expect(parent!.replies).toHaveLength(2);
    expect(parent!.edits).toBe(2);
    expect(parent!.text).toContain('Executing → Executed in 7 min');
    expect(parent!.metadata!.event_payload).toMatchObject({ key: 'event|1234567890123456|cn-hangzhou|i-bp1fake0instance0001|Instance:SystemMaintenance.Reboot', state: 'Executed', firstSeen: '2025-03-13T01:00:00.000Z' });
    expect(sink.api.calls.every((c) => c.args !== undefined && c.status === 200)).toBe(true);
    expect(sink.requests.filter((r) => r.path.startsWith('/services/'))).toHaveLength(0);
    expect(logs.byMsg('alert').map((l) => [l.route, l.outcome, l.thread])).toEqual([
      ['oncall', 'delivered', 'parent'],
      ['oncall', 'delivered', 'reply'],
      ['oncall', 'delivered', 'reply'],
    ]);
    // Bearer auth on every call, and the token in no log line.
    expect(logs.text()).not.toContain(sink.api.token);
  });

  it('a cold instance finds the parent through history (include_all_metadata, 24 h window) and replies to it', async () => {
    await start().handler(reboot('Scheduled', 0), fc3Context());
    sink.api.calls.length = 0;
    const cold = start();
    await cold.handler(reboot('Executing', 3), fc3Context());
    expect(historyCalls()).toHaveLength(1);
    expect(historyCalls()[0]!.args).toMatchObject({ channel: CHANNEL, include_all_metadata: 'true' });
    expect(Number(historyCalls()[0]!.args.oldest)).toBeCloseTo(Date.now() / 1000 - 86_400, -1);
    expect(parents()).toHaveLength(1);
    expect(parents()[0]!.replies).toHaveLength(1);
    expect(parents()[0]!.text).toContain('Scheduled → Executing in 3 min');
  });

  it.each([
    ['rate-limited', { error: 'ratelimited', retryAfterSeconds: 60 }, 'ratelimited'],
    ['failing', { status: 500 }, 'HTTP_500'],
  ])('a %s lookup posts a new parent and still delivers', async (_name, reply, code) => {
    await start().handler(reboot('Scheduled', 0), fc3Context());
    sink.api.script('conversations.history', reply);
    const started = Date.now();
    const result = await start().handler(reboot('Executing', 1), fc3Context());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ ok: true, summary: { delivered: 1, failed: 0 } });
    expect(parents()).toHaveLength(2);
    expect(logs.byMsg('thread-note')).toEqual([expect.objectContaining({ level: 'warn', route: 'oncall', step: 'lookup', errorCode: code })]);
    expect(logs.byMsg('alert').at(-1)).toMatchObject({ outcome: 'delivered', thread: 'parent' });
  });

  it('not_in_channel is a non-retryable route failure with its hint', async () => {
    sink.api.channel(CHANNEL).member = false;
    const error = (await start().handler(reboot('Scheduled', 0), fc3Context()).catch((e: unknown) => e)) as Error & Record<string, unknown>;
    expect(error).toMatchObject({ name: 'DeliveryError', code: 'DELIVERY_FAILED', retryable: false, failures: [{ route: 'oncall', code: 'not_in_channel', retryable: false }] });
    expect(error.message).toContain('/invite the app');
    const line = logs.byMsg('alert').at(-1)!;
    expect(line).toMatchObject({ level: 'error', outcome: 'failed', errorCode: 'not_in_channel', route: 'oncall' });
    expect(String(line.error)).toContain('/invite the app');
    expect(logs.byMsg('invocation').at(-1)).toMatchObject({ outcome: 'failed', errorCode: 'DELIVERY_FAILED' });

    // Over HTTP the same failure answers 502 (not retryable), not 503.
    const http = await start().handler(httpEvent({ body: reboot('Scheduled', 0).toString(), contentType: 'application/json', token: HTTP_TOKEN }), fc3Context());
    expect(http).toMatchObject({ statusCode: 502 });
  });

  it('two keys interleaved stay in their own threads', async () => {
    const fn = start();
    const a = 'i-bp1aaaa0instance001';
    const b = 'i-bp1bbbb0instance001';
    await fn.handler(reboot('Scheduled', 0, a), fc3Context());
    await fn.handler(reboot('Scheduled', 1, b), fc3Context());
    await fn.handler(reboot('Executing', 2, a), fc3Context());
    await fn.handler(reboot('Executing', 3, b), fc3Context());
    await fn.handler(reboot('Executed', 4, b), fc3Context());
    await fn.handler(reboot('Executed', 6, a), fc3Context());
    const byInstance = Object.fromEntries(parents().map((p) => [String(p.metadata!.event_payload.key).split('|')[3], p]));
    expect(Object.keys(byInstance).sort()).toEqual([a, b]);
    for (const id of [a, b]) {
      const p = byInstance[id]!;
      expect(p.replies).toHaveLength(2);
      for (const r of p.replies) expect(JSON.stringify([r.text, r.blocks, r.attachments])).toContain(id);
      expect(JSON.stringify([p.text, p.blocks, p.attachments])).not.toContain(id === a ? b : a);
    }
    expect(byInstance[a]!.text).toContain('Executing → Executed in 4 min');
    expect(byInstance[b]!.text).toContain('Executing → Executed in 1 min');
  });

  it('a metric alarm (HTTP callback) and its OK recovery share a thread by rule id + resource; the recovery is broadcast', async () => {
    const fn = start({ broadcastRecovery: true });
    const alert = fixture('cms-metric-alarm-callback-ecs-cpu.form.txt').trim();
    const ok = alert.replace('alertState=ALERT', 'alertState=OK').replace('curValue=93.48', 'curValue=12.5').replace('timestamp=1741569675474', 'timestamp=1741570275474');
    const otherRule = alert.replace('ruleId=putNewAlarm_user_aaaaaaaa', 'ruleId=putNewAlarm_user_bbbbbbbb');
    for (const body of [alert, otherRule, ok]) {
      expect(await fn.handler(httpEvent({ body, token: HTTP_TOKEN }), fc3Context())).toMatchObject({ statusCode: 200 });
    }
    const byRule = parents().map((p) => [String(p.metadata!.event_payload.key), p.replies.map((r) => r.reply_broadcast)]);
    expect(byRule).toEqual([
      ['alarm|putNewAlarm_user_aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee|i-bp1fake0instance0001', [true]],
      ['alarm|putNewAlarm_user_bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee|i-bp1fake0instance0001', []],
    ]);
    expect(parents()[0]!.text).toContain('ALERT → OK in 10 min');
    // The broadcast recovery shows in the channel too.
    expect(sink.api.messages(CHANNEL)).toHaveLength(3);
  });

  it('a 1,000-alert storm over 20 keys → bounded messages and no lost alert', async () => {
    const fn = start();
    const instances = Array.from({ length: 20 }, (_, k) => `i-bp1storm${String(k).padStart(11, '0')}`);
    const states = ['Stopping', 'Stopped', 'Starting', 'Running'];
    let delivered = 0;
    for (let batch = 0; batch < 10; batch++) {
      const events = Array.from({ length: 100 }, (_, i) => {
        const k = batch * 100 + i;
        return cloudEvent(`storm-${k}`, { resourceId: instances[k % 20], resourceType: 'ALIYUN::ECS::Instance', state: states[Math.floor(k / 20) % 4] });
      });
      const result = (await fn.handler(Buffer.from(JSON.stringify(events)), fc3Context())) as { summary: { delivered: number; failed: number } };
      expect(result.summary.failed).toBe(0);
      delivered += result.summary.delivered;
    }
    expect(delivered).toBe(1000);
    const lines = logs.byMsg('alert').filter((l) => l.outcome === 'delivered');
    expect(new Set(lines.map((l) => l.id)).size).toBe(1000);
    // Every alert is in a message Slack accepted.
    const accepted = new Set(sink.api.allMessages(CHANNEL).map((m) => m.ts));
    for (const l of lines) expect(accepted.has(String(l.ts))).toBe(true);
    // One parent per lifecycle at most, and far fewer messages than alerts.
    const keys = parents().map((p) => p.metadata!.event_payload.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeLessThanOrEqual(20);
    const posts = sink.api.calls.filter((c) => c.method === 'chat.postMessage').length;
    expect(posts).toBeLessThanOrEqual(20 + 10 * 20 + 4);
    expect(sink.api.calls.filter((c) => c.method === 'chat.update').length).toBeLessThanOrEqual(10 * 20);
    expect(historyCalls()).toHaveLength(1);
  });
});

describe('Bot-token route: configuration, webhooks beside it, secrets', () => {
  it('routes beside webhook routes: critical alerts to the bot route, the rest to the default webhook', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL: sink.url,
      SLACK_BOT_TOKEN: sink.api.token,
      SLACK_API_URL: sink.api.url,
      ECS_PULSE_CONFIG: JSON.stringify({ routes: [oncall({ match: { severities: ['critical'] } })] }),
    });
    const stopped = cloudEvent('w-1', { resourceId: 'i-bp1webhook00000001', resourceType: 'ALIYUN::ECS::Instance', state: 'Stopped' });
    const critical = JSON.parse(reboot('Scheduled', 0).toString());
    expect(await fn.handler(Buffer.from(JSON.stringify(stopped)), fc3Context())).toMatchObject({ summary: { delivered: 1 } });
    expect(await fn.handler(Buffer.from(JSON.stringify(critical)), fc3Context())).toMatchObject({ summary: { delivered: 1 } });
    expect(sink.messages).toHaveLength(1);
    expect(JSON.stringify(sink.messages[0])).toContain('i-bp1webhook00000001');
    expect(parents()).toHaveLength(1);
    expect(logs.byMsg('alert').map((l) => l.route)).toEqual(['default', 'oncall']);
  });

  it('threads: false posts plain messages through the Web API', async () => {
    const fn = start({ threads: false });
    await fn.handler(reboot('Scheduled', 0), fc3Context());
    await fn.handler(reboot('Executing', 1), fc3Context());
    expect(sink.api.messages(CHANNEL)).toHaveLength(2);
    expect(parents()).toHaveLength(0);
  });

  it('validates the route and SLACK_API_URL, listing every issue without the token', async () => {
    const secret = 'xoxb-NOT-A-REAL-TOKEN-value-0001';
    const badToken = 'not-a-token-but-secret-0002';
    const cases: [Record<string, unknown>, Record<string, string>, string[]][] = [
      [{ channel: '#alerts', threads: 'yes' }, { SLACK_BOT_TOKEN: secret }, [
        'ECS_PULSE_CONFIG.routes[0].channel: must be a channel ID like "C0123ABCD" (channel details → bottom of the About tab), not a #name',
        'ECS_PULSE_CONFIG.routes[0].threads: must be true or false',
      ]],
      [{}, {}, ['ECS_PULSE_CONFIG.routes[0].botTokenEnv: environment variable SLACK_BOT_TOKEN is not set']],
      [{}, { SLACK_BOT_TOKEN: badToken }, ['ECS_PULSE_CONFIG.routes[0].botTokenEnv: SLACK_BOT_TOKEN does not hold a Slack bot token (expected xoxb-…; the value is not shown)']],
      [{ webhookUrlEnv: 'SLACK_WEBHOOK_URL', lookupWindowHours: 0 }, { SLACK_BOT_TOKEN: secret }, [
        'ECS_PULSE_CONFIG.routes[0]: give webhookUrlEnv (a webhook route) or botTokenEnv + channel (a bot-token route), not both',
        'ECS_PULSE_CONFIG.routes[0].lookupWindowHours: must be a number of hours above 0 and at most 720',
      ]],
      [{ botTokenEnv: undefined, channel: undefined, webhookUrlEnv: 'SLACK_WEBHOOK_URL' }, { SLACK_BOT_TOKEN: secret, SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x' }, [
        // `threads` on a webhook route makes it a bot-token route missing its token and channel, not a silently ignored key.
        'ECS_PULSE_CONFIG.routes[0]: give webhookUrlEnv (a webhook route) or botTokenEnv + channel (a bot-token route), not both',
        'ECS_PULSE_CONFIG.routes[0].botTokenEnv: must name the environment variable that holds the bot token, e.g. "SLACK_BOT_TOKEN"',
        'ECS_PULSE_CONFIG.routes[0].channel: must be a channel ID like "C0123ABCD" (channel details → bottom of the About tab), not a #name',
      ]],
      [{}, { SLACK_BOT_TOKEN: secret, SLACK_API_URL: 'http://slack.example.com/api' }, ['SLACK_API_URL: must be an https: URL (got http:); http: is allowed for loopback test sinks only (the Web API of bot-token route ECS_PULSE_CONFIG.routes[0])']],
    ];
    for (const [route, env, issues] of cases) {
      const fn = coldStart({ SLACK_BOT_TOKEN: undefined, SLACK_API_URL: undefined, ...env, ECS_PULSE_CONFIG: JSON.stringify({ routes: [{ ...oncall(), ...route }] }) });
      await expect(fn.handler(reboot('Scheduled', 0), fc3Context())).rejects.toMatchObject({ code: 'INVALID_CONFIG', issues });
    }
    expect(logs.text()).not.toContain(secret);
    expect(logs.text()).not.toContain(badToken);
    expect(sink.api.calls).toHaveLength(0);
  });

  it('redacts the bot token in every form a webhook URL is redacted in, and any xoxb-/xoxp- token', async () => {
    const token = sink.api.token;
    const other = 'xoxp-2222-3333-abcdefabcdef';
    const forms = [token, encodeURIComponent(token), Buffer.from(token).toString('base64'), Buffer.from(`xx${token}`).toString('base64url'), `Bearer ${other}`];
    // Bad input is logged (size-capped, redacted) when dropped: put every form in it.
    const result = await start().handler(Buffer.from(JSON.stringify({ unknown: forms.join(' ') })), fc3Context());
    expect(result).toMatchObject({ ok: false });
    const text = logs.text();
    expect(text).toContain('[REDACTED]');
    for (const form of [token, encodeURIComponent(token), Buffer.from(token).toString('base64').replace(/=+$/, ''), other]) expect(text).not.toContain(form);
    expect(text).not.toContain(Buffer.from(`xx${token}`).toString('base64url').slice(4, -2));
  });
});

describe('Bot-token routes in the deployed layout: index.js + function-threads.cjs (the zip), a new Node process', () => {
  const THREAD_CHUNK = fileURLToPath(new URL('../../dist/function-threads.cjs', import.meta.url));
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs one FC 3.0 event invocation of `index.js` in a folder holding the zip's files (or only index.js), in a new
   * process with only `env`; resolves with the outcome and the base names of the modules Node loaded.
   */
  async function invokeDeployed(env: Record<string, string>, event: Buffer, withChunk = true) {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-pulse-fn-threads-'));
    dirs.push(dir);
    copyFileSync(BUNDLE, join(dir, 'index.js'));
    if (withChunk) copyFileSync(THREAD_CHUNK, join(dir, 'function-threads.cjs'));
    writeFileSync(join(dir, 'event.json'), event);
    writeFileSync(
      join(dir, 'run.js'),
      [
        "const { readFileSync, writeFileSync } = require('node:fs');",
        "const { basename } = require('node:path');",
        "const m = require('./index.js');",
        "const loadedAtStart = Object.keys(require.cache).map((f) => basename(f));",
        "const context = { requestId: 'r-1', function: { name: 'f', handler: 'index.handler', memory: 128, timeout: 30 }, getRemainingTimeInMS: () => 20000 };",
        "m.handler(readFileSync('./event.json'), context).then((r) => ({ resolved: r }), (e) => ({ rejected: { code: e.code, retryable: e.retryable } })).then((out) =>",
        "  writeFileSync('./out.json', JSON.stringify({ ...out, loadedAtStart, loaded: Object.keys(require.cache).map((f) => basename(f)) })));",
      ].join('\n'),
    );
    const run = await promisify(execFile)(process.execPath, ['run.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    const lines = `${run.stdout}${run.stderr}`.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    return { ...(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { resolved?: unknown; rejected?: { code: string; retryable: boolean }; loadedAtStart: string[]; loaded: string[] }), lines };
  }

  const event = () => Buffer.from(JSON.stringify(cloudEvent('e-deployed-1')));

  it('a webhook-only deployment never loads function-threads.cjs (neither at cold start nor when it posts)', async () => {
    const out = await invokeDeployed({ SLACK_WEBHOOK_URL: `${sink.origin}/services/T0DEPLOY/B0DEPLOY/deploy-secret-path` }, event());
    expect(out.resolved).toMatchObject({ ok: true, summary: { delivered: 1, failed: 0 } });
    expect(out.loaded).toContain('index.js');
    expect(out.loaded).not.toContain('function-threads.cjs');
    expect(sink.requests.filter((r) => r.path.startsWith('/services/'))).toHaveLength(1);
  });

  it('a bot-token route loads function-threads.cjs at cold start (its validation is there) and posts the thread parent', async () => {
    const env = { SLACK_BOT_TOKEN: sink.api.token, SLACK_API_URL: sink.api.url, ECS_PULSE_CONFIG: JSON.stringify({ routes: [oncall()] }) };
    const out = await invokeDeployed(env, reboot('Scheduled', 0));
    expect(out.resolved).toMatchObject({ ok: true, summary: { delivered: 1, failed: 0 } });
    expect(out.loadedAtStart).toContain('function-threads.cjs');
    expect(parents()).toHaveLength(1);
    expect(out.lines.filter((l) => l.msg === 'alert').map((l) => [l.route, l.outcome, l.thread])).toEqual([['oncall', 'delivered', 'parent']]);
  });

  it('without function-threads.cjs (an incomplete upload) a bot-token configuration fails closed at cold start with the fix, and the function does not crash', async () => {
    const env = { SLACK_BOT_TOKEN: sink.api.token, SLACK_API_URL: sink.api.url, ECS_PULSE_CONFIG: JSON.stringify({ routes: [oncall()] }) };
    const out = await invokeDeployed(env, reboot('Scheduled', 0), false);
    expect(out.rejected).toEqual({ code: 'INVALID_CONFIG', retryable: undefined });
    const issue = 'ECS_PULSE_CONFIG.routes[0]: bot-token routes need function-threads.cjs next to index.js and it could not be loaded; deploy the complete dist/function.zip';
    expect(out.lines.filter((l) => l.msg === 'config-invalid').map((l) => l.issues)).toEqual([[issue], [issue]]);
    expect(sink.api.calls).toHaveLength(0);
    expect(JSON.stringify(out.lines)).not.toContain(sink.api.token);
  });

  it('without function-threads.cjs a webhook-only configuration still works (it never needs the chunk)', async () => {
    const out = await invokeDeployed({ SLACK_WEBHOOK_URL: `${sink.origin}/services/T0DEPLOY/B0DEPLOY/deploy-secret-path` }, event(), false);
    expect(out.resolved).toMatchObject({ ok: true, summary: { delivered: 1, failed: 0 } });
  });
});
