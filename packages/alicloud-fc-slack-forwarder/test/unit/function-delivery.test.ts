import { SEVERITY_STYLE } from '@ecs-pulse/slack-notifier';
import { sinkReply, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { App, TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { DeliveryMemory, deliveryKey } from '../../src/function/dedupe.js';
import { loadConfig } from '../../src/function/config.js';
import { SlackForwarder } from '../../src/index.js';
import { cloudEvent, coldStart, fc3Context, fixtureBuffer, httpEvent, LogCapture, useSinkAndLogs, type FakeContext } from '../helpers.js';

// Delivery of the BUILT bundle (issue 13, items 1, 2, 4, 5, 6): message options refused up front, dedupe per
// route + id + status, digests that never hide an alert, mixed route failures, dedupe memory vs batch size.

let sink: SlackSink;
const logs = new LogCapture();
const url = (name: string): string => `${sink.origin}/services/T0DELIVER/B0${name.toUpperCase()}/${name}-secret-path`;
const pathOf = (name: string): string => new URL(url(name)).pathname;
const accepted = (name?: string) => sink.requests.filter((r) => r.status === 200 && (name === undefined || r.path === pathOf(name)));
const TOKEN = 'delivery-test-token-0123456789abcdef';

useSinkAndLogs(logs, (started) => (sink = started));

/** `count` CloudEvents (Instance:StateChange, statuses cycling) with unique ids and resource ids. */
function batch(count: number, prefix = 'b'): Record<string, unknown>[] {
  const states = ['Stopped', 'Running', 'Deleted', 'Starting'];
  return Array.from({ length: count }, (_, i) =>
    cloudEvent(`${prefix}-${i}`, { resourceId: `i-${prefix}${String(i).padStart(6, '0')}`, resourceType: 'ALIYUN::ECS::Instance', state: states[i % 4] }),
  );
}
const buffer = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
/** A context whose remaining time starts at `ms`. */
const remaining = (ms: number): FakeContext => ({ ...fc3Context(), getRemainingTimeInMS: ((start) => () => ms - (Date.now() - start))(Date.now()) });
/** Every mrkdwn line of the accepted messages. */
const shownLines = (requests = accepted()): string[] =>
  requests.flatMap((r) => JSON.stringify(r.json).match(/• [^"\\]*(?:\\.[^"\\]*)*/g) ?? []).map((l) => JSON.parse(`"${l}"`) as string);
/** The line that shows `resourceId`, checked to carry severity, product and status too. */
function lineOf(lines: readonly string[], alert: Record<string, unknown>): string | undefined {
  const record = alert as { resourceId: string; severity: keyof typeof SEVERITY_STYLE; product: string; status: string };
  return lines.find((l) => l.includes(record.resourceId) && l.includes(SEVERITY_STYLE[record.severity].word) && l.includes(record.product) && l.includes(record.status));
}

describe('Item 1: message options are validated once, by the notifier, at cold start and at synth', () => {
  const bad = {
    message: { mentions: { critical: ['@here', '<!HERE>', '<@oncall>'] }, consoleBaseUrl: 'http://ecs.console.aliyun.com' },
    routes: [{ name: 'ops', webhookUrlEnv: 'HOOK_OPS', message: { mentions: { warning: 'here' }, consoleBaseUrl: 'https://ecs.console.aliyun.com/server' } }],
  };

  it('loadConfig refuses what the notifier would refuse at send time, with the path and a fix hint', () => {
    const result = loadConfig({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', HOOK_OPS: 'https://hooks.slack.com/services/T/B/Y', ECS_PULSE_CONFIG: JSON.stringify(bad) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([
      'ECS_PULSE_CONFIG.message.mentions.critical[0]: "@here" is not a Slack mention token; write <!here> (lower case, with <! and >)',
      'ECS_PULSE_CONFIG.message.mentions.critical[1]: "<!HERE>" is not a Slack mention token; write <!here> (lower case, with <! and >)',
      'ECS_PULSE_CONFIG.message.mentions.critical[2]: "<@oncall>" is not a Slack mention token; a user mention needs the member id, like <@U024BE7LH> (a user group: <!subteam^S123ABC>)',
      'ECS_PULSE_CONFIG.message.consoleBaseUrl: must be an https origin like https://ecs.console.aliyun.com (no path, query or fragment)',
      'ECS_PULSE_CONFIG.routes[0].message.mentions.warning: "here" is not a Slack mention token; write <!here> (lower case, with <! and >)',
      'ECS_PULSE_CONFIG.routes[0].message.consoleBaseUrl: must be an https origin like https://ecs.console.aliyun.com (no path, query or fragment)',
    ]);
    // Valid mentions still load.
    const good = loadConfig({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', ECS_PULSE_CONFIG: JSON.stringify({ message: { mentions: { critical: '<!here>', warning: ['<@U024BE7LH>', '<!subteam^S0ONCALL>'] } } }) });
    expect(good.ok).toBe(true);
  });

  it('the bundled function fails closed at cold start: nothing is posted, the issue names the option, not the webhook', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default'), ECS_PULSE_CONFIG: JSON.stringify({ routes: [{ name: 'ops', webhookUrl: url('ops'), message: { mentions: { warning: 'here' } } }] }) });
    const error = (await fn.handler(buffer(batch(1)[0]), fc3Context()).catch((e: unknown) => e)) as { code: string; issues: string[]; message: string };
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', issues: ['ECS_PULSE_CONFIG.routes[0].message.mentions.warning: "here" is not a Slack mention token; write <!here> (lower case, with <! and >)'] });
    expect(error.message).not.toMatch(/Slack did not accept/);
    expect(error.issues.join('\n')).not.toMatch(/webhook/i);
    expect(sink.requests).toHaveLength(0);
    expect(logs.byMsg('config-invalid')[0]).toMatchObject({ level: 'error' });
  });

  it('the construct refuses the same config at synth, with the path and the hint', () => {
    for (const [config, issue] of [
      [{ message: { mentions: { critical: '@here' } } }, 'config.message.mentions.critical: "@here" is not a Slack mention token; write <!here>'],
      [{ message: { mentions: { critical: ['<!HERE>'] } } }, 'config.message.mentions.critical[0]: "<!HERE>" is not a Slack mention token; write <!here>'],
      [{ message: { mentions: { critical: '<@oncall>' } } }, 'config.message.mentions.critical: "<@oncall>" is not a Slack mention token; a user mention needs the member id'],
      [{ message: { consoleBaseUrl: 'http://ecs.console.aliyun.com' } }, 'config.message.consoleBaseUrl: must be an https origin'],
      [{ routes: [{ name: 'ops', webhookUrlEnv: 'HOOK_OPS', message: { mentions: { warning: 'here' } } }] }, 'config.routes[0].message.mentions.warning: "here" is not a Slack mention token'],
    ] as const) {
      const stack = new TerraformStack(new App(), 'invalid');
      expect(() => new SlackForwarder(stack, 'alerts', { config: config as never, environment: { HOOK_OPS: 'https://hooks.slack.com/services/T/B/Z' } })).toThrow(
        expect.objectContaining({ name: 'SlackForwarderPropsError', prop: 'config', message: expect.stringContaining(issue) }),
      );
    }
  });
});

describe('Item 2: dedupe on route + alert id + status', () => {
  const reboot = (status: string) =>
    cloudEvent('reboot-1', { eventId: 'e-bp1reboot', instanceId: 'i-bp1reboot00000000001', eventType: 'SystemMaintenance.Reboot', eventStatus: status }, 'ecs:Instance:SystemMaintenance.Reboot');

  it('posts each lifecycle state of one event id once, and suppresses a real redelivery (same id and status)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default') });
    for (const status of ['Scheduled', 'Executing', 'Avoided']) await expect(fn.handler(buffer(reboot(status)), fc3Context())).resolves.toMatchObject({ summary: { delivered: 1 } });
    expect(sink.messages).toHaveLength(3);
    expect(sink.messages.map((m) => (m as { text: string }).text)).toEqual([expect.stringMatching(/scheduled/i), expect.stringMatching(/executing/i), expect.stringMatching(/avoided/i)]);
    await expect(fn.handler(buffer(reboot('Executing')), fc3Context())).resolves.toMatchObject({ summary: { delivered: 0, duplicates: 1 } });
    expect(sink.messages).toHaveLength(3);
    // In one batch too: two states post, the repeated one does not.
    await fn.handler(buffer([cloudEvent('reboot-2', reboot('Scheduled').data as never, 'ecs:Instance:SystemMaintenance.Reboot'), { ...reboot('Executing'), id: 'reboot-2' }, { ...reboot('Executing'), id: 'reboot-2' }]), fc3Context());
    expect(logs.byMsg('alert').filter((l) => l.id === 'reboot-2').map((l) => `${l.status} ${l.outcome}`).sort()).toEqual(['Executing delivered', 'Executing duplicate', 'Scheduled delivered']);
  });

  it('the CloudMonitor reboot samples (one id, three states) post three times', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default') });
    for (const name of ['scheduled.json', 'executing.constructed.json', 'avoided.doc-verbatim-shape.json']) await fn.handler(fixtureBuffer(`cms-event-ecs-systemmaintenance-reboot-${name}`), fc3Context());
    expect(sink.messages).toHaveLength(3);
  });
});

describe('Item 4: a digest never hides alerts', () => {
  it('posts 500 alerts as paced parts that show each alert (severity, product, status, resource on one line)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default') });
    const events = batch(500);
    const result = await fn.handler(buffer(events), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { alerts: 500, delivered: 500, failed: 0 } });
    expect(sink.messages.length).toBeGreaterThan(3);
    expect(sink.requests.every((r) => r.status === 200 && r.violations.length === 0)).toBe(true);
    const lines = shownLines();
    const delivered = logs.byMsg('alert').filter((l) => l.outcome === 'delivered');
    expect(delivered).toHaveLength(500);
    for (const alert of delivered) expect(lineOf(lines, { ...alert, resourceId: `i-b${String(Number(String(alert.id).slice(2))).padStart(6, '0')}` }), String(alert.id)).toBeDefined();
    // Paced: three back to back, then about one per second.
    const at = sink.requests.map((r) => r.at);
    expect(at[2]! - at[0]!).toBeLessThan(500);
    for (let i = 3; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(950);
  });

  it('fails retryably for exactly the alerts that did not fit the time budget, and the retry posts only those', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default') });
    const events = batch(1000, 'c');
    // 3.5 s left minus the 1.5 s safety margin: the burst of 3 parts and one or two paced ones fit, not all ~10.
    const error = (await fn.handler(buffer(events), remaining(3500)).catch((e: unknown) => e)) as { code: string; retryable: boolean; failures: { alertIds: string[]; code: string }[] };
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', retryable: true, failures: [{ route: 'default', code: 'DEADLINE_EXCEEDED', retryable: true }] });
    const firstLines = shownLines();
    const shown = new Set(events.filter((e) => firstLines.some((l) => l.includes((e.data as { resourceId: string }).resourceId))).map((e) => e.id));
    const failed = new Set(error.failures[0]!.alertIds);
    expect(shown.size).toBeGreaterThan(0);
    expect(shown.size + failed.size).toBe(1000);
    for (const id of failed) expect(shown.has(id)).toBe(false);
    const records = logs.byMsg('alert');
    expect(new Set(records.filter((l) => l.outcome === 'delivered').map((l) => l.id))).toEqual(shown);
    expect(new Set(records.filter((l) => l.outcome === 'failed').map((l) => l.id))).toEqual(failed);
    expect(logs.byMsg('invocation')[0]).toMatchObject({ outcome: 'partial', delivered: shown.size, failed: failed.size });

    // FC retries the invocation with a fresh budget: only the alerts not shown yet are posted.
    const before = sink.requests.length;
    const retry = await fn.handler(buffer(events), fc3Context(60));
    expect(retry).toMatchObject({ ok: true, summary: { delivered: failed.size, duplicates: shown.size } });
    const retryLines = shownLines(sink.requests.slice(before));
    for (const e of events) {
      const resource = (e.data as { resourceId: string }).resourceId;
      expect(retryLines.some((l) => l.includes(resource)), resource).toBe(!shown.has(e.id as string));
    }
  }, 60_000);

  it('answers 200 to a 400-event HTTP body under 256 KiB only once all 400 are shown', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default'), ECS_PULSE_HTTP_TOKEN: TOKEN });
    const events = batch(400, 'h');
    const body = JSON.stringify(events);
    expect(Buffer.byteLength(body)).toBeLessThan(256 * 1024);
    const response = (await fn.handler(httpEvent({ body, contentType: 'application/json', token: TOKEN }), fc3Context())) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, summary: { alerts: 400, delivered: 400 } });
    const lines = shownLines();
    for (const e of events) expect(lines.some((l) => l.includes((e.data as { resourceId: string }).resourceId))).toBe(true);
  });
});

describe('Item 5: mixed route failures keep the retry signal', () => {
  const config = (routing = 'all-matches') =>
    JSON.stringify({ routing, slack: { maxAttempts: 1 }, routes: ['gone', 'down', 'fine'].map((name) => ({ name, webhookUrl: url(name) })) });
  const failing = () => sink.script((request) => (request.path === pathOf('gone') ? sinkReply.channelNotFound() : request.path === pathOf('down') ? sinkReply.serverError(503) : undefined));

  it('HTTP: route a 404 and route b 503 answer 503 with Retry-After (CloudMonitor retries)', async () => {
    const fn = coldStart({ ECS_PULSE_CONFIG: config(), ECS_PULSE_HTTP_TOKEN: TOKEN });
    failing();
    const response = (await fn.handler(httpEvent({ body: JSON.stringify(batch(2)), contentType: 'application/json', token: TOKEN }), fc3Context())) as { statusCode: number; headers: Record<string, string> };
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
  });

  it('events: rejects retryably, and the retry re-posts only the failed routes', async () => {
    const fn = coldStart({ ECS_PULSE_CONFIG: config() });
    failing();
    const event = buffer(batch(2, 'm'));
    const error = await fn.handler(event, fc3Context()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DELIVERY_FAILED',
      retryable: true,
      failures: expect.arrayContaining([expect.objectContaining({ route: 'gone', retryable: false, status: 404 }), expect.objectContaining({ route: 'down', retryable: true, status: 503 })]),
    });
    expect(accepted('fine')).toHaveLength(1);
    sink.reset();
    await expect(fn.handler(event, fc3Context())).resolves.toMatchObject({ ok: true, summary: { delivered: 4 } });
    expect(sink.requests.map((r) => r.path).sort()).toEqual([pathOf('down'), pathOf('gone')]);
  });

  it('still answers 502 when every failure is permanent', async () => {
    const fn = coldStart({ ECS_PULSE_CONFIG: JSON.stringify({ routes: [{ name: 'gone', webhookUrl: url('gone') }] }), ECS_PULSE_HTTP_TOKEN: TOKEN });
    sink.script(sinkReply.channelNotFound());
    const response = (await fn.handler(httpEvent({ body: JSON.stringify(batch(1)[0]), contentType: 'application/json', token: TOKEN }), fc3Context())) as { statusCode: number; headers: Record<string, string> };
    expect(response.statusCode).toBe(502);
    expect(response.headers['retry-after']).toBeUndefined();
  });
});

describe('Item 6: dedupe memory per route and per batch; in-flight dedupe', () => {
  it('a retry re-posts nothing on a route that delivered, even when the batch is larger than dedupeCapacity', async () => {
    const fn = coldStart({ ECS_PULSE_CONFIG: JSON.stringify({ routing: 'all-matches', dedupeCapacity: 10, slack: { maxAttempts: 1 }, routes: [{ name: 'a', webhookUrl: url('a') }, { name: 'b', webhookUrl: url('b') }] }) });
    const event = buffer(batch(60, 'd'));
    sink.script((request, index) => (request.path === pathOf('b') && index < 2 ? sinkReply.serverError(503) : undefined));
    await expect(fn.handler(event, fc3Context())).rejects.toMatchObject({ code: 'DELIVERY_FAILED', failures: [{ route: 'b', alertIds: expect.any(Array) }] });
    expect(accepted('a')).toHaveLength(1);
    sink.reset();
    await expect(fn.handler(event, fc3Context())).resolves.toMatchObject({ summary: { delivered: 60, duplicates: 0 } });
    expect(sink.requests.map((r) => r.path)).toEqual([pathOf('b')]);
    // Another batch as large in between does not evict the first one's keys either.
    await fn.handler(buffer(batch(60, 'e')), fc3Context());
    sink.reset();
    await expect(fn.handler(event, fc3Context())).resolves.toMatchObject({ summary: { delivered: 0, duplicates: 60 } });
    expect(sink.requests).toHaveLength(0);
  });

  it('two concurrent invocations of one event in one instance post it once', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default') });
    sink.script(sinkReply.slow(300));
    const event = buffer(batch(3, 'f'));
    const [first, second] = await Promise.all([fn.handler(event, fc3Context()), fn.handler(event, fc3Context())]);
    expect(sink.requests).toHaveLength(1);
    expect([first, second]).toEqual(expect.arrayContaining([expect.objectContaining({ summary: expect.objectContaining({ delivered: 3 }) }), expect.objectContaining({ summary: expect.objectContaining({ delivered: 0, duplicates: 3 }) })]));
  });

  it('when the invocation in flight fails, the concurrent one posts the alert itself', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default'), ECS_PULSE_CONFIG: JSON.stringify({ slack: { maxAttempts: 1 } }) });
    sink.script({ status: 503, body: '', delayMs: 200 });
    const event = buffer(batch(1, 'g')[0]);
    const outcomes = await Promise.allSettled([fn.handler(event, fc3Context()), fn.handler(event, fc3Context())]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(sink.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it('DeliveryMemory: keys per route hold at least twice the largest batch; claims resolve waiters', async () => {
    const memory = new DeliveryMemory(2);
    memory.reserve('a', 3);
    for (const id of ['1', '2', '3', '4', '5', '6']) memory.add(deliveryKey('a', id, 'OK'));
    expect(['1', '2', '3', '4', '5', '6'].every((id) => memory.has(deliveryKey('a', id, 'OK')))).toBe(true);
    memory.add(deliveryKey('b', '1', 'OK'));
    memory.add(deliveryKey('b', '2', 'OK'));
    memory.add(deliveryKey('b', '3', 'OK'));
    expect(memory.has(deliveryKey('b', '1', 'OK'))).toBe(false);
    const key = deliveryKey('a', 'x', 'ALERT');
    const settle = memory.claim([key]);
    const waiting = memory.pending(key);
    expect(waiting).toBeInstanceOf(Promise);
    settle(key, true);
    await expect(waiting).resolves.toBe(true);
    expect(memory.pending(key)).toBeUndefined();
    expect(memory.has(key)).toBe(true);
  });
});
