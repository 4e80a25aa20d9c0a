import { sinkReply, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cloudEvent, coldStart, fc2Context, fc3Context, fixture, fixtureBuffer, invokeLegacy, LogCapture, type FunctionModule, useSinkAndLogs } from '../helpers.js';

// These tests drive the BUILT bundle (dist/function.cjs) exactly as Function Compute does: Buffer events,
// FC-shaped contexts, a callback for FC 2.0, against a real local Slack-compatible sink.

const TOKEN = 'Tk8sQ2xZ0pVb7nR4mW1cE6hJ9fA3dG5u';
let sink: SlackSink;
const logs = new LogCapture();

useSinkAndLogs(logs, (started) => (sink = started));

const cmsEventFixtures = readdirSync(new URL('../fixtures/events/', import.meta.url)).filter((f) => f.startsWith('cms-event-') && f.endsWith('.json'));

function messageText(index = 0): string {
  return JSON.stringify(sink.messages[index]);
}

describe('Method: handler (FC 3.0) — EventBridge events', () => {
  it('posts one message for a single CloudEvent and logs one alert line and one invocation line', async () => {
    // Prepare
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN });
    // Act
    const result = await fn.handler(fixtureBuffer('eventbridge-ecs-statechange.INFERRED.json'), fc3Context());
    // Assess
    expect(result).toEqual({ ok: true, summary: { alerts: 1, delivered: 1, filtered: 0, duplicates: 0, unrouted: 0, failed: 0, rejected: 0 } });
    expect(sink.messages).toHaveLength(1);
    expect(messageText()).toContain('i-bp1fake0instance0001');
    expect(messageText()).toContain('Stopped');
    const alertLines = logs.byMsg('alert');
    expect(alertLines).toHaveLength(1);
    expect(alertLines[0]).toMatchObject({
      level: 'info',
      id: '11111111-2222-4333-8444-555555555560',
      name: 'Instance:StateChange',
      route: 'default',
      outcome: 'delivered',
      attempts: 1,
    });
    expect(typeof alertLines[0]!.ms).toBe('number');
    const invocation = logs.byMsg('invocation');
    expect(invocation).toHaveLength(1);
    expect(invocation[0]).toMatchObject({ kind: 'event', source: 'eventbridge', outcome: 'ok', delivered: 1 });
  });

  it('renders a batch (array) of CloudEvents as one digest message', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const batch = [
      cloudEvent('batch-1', { resourceId: 'i-bp1batch000000000001', resourceType: 'ALIYUN::ECS::Instance', state: 'Stopped' }),
      cloudEvent('batch-2', { resourceId: 'i-bp1batch000000000002', resourceType: 'ALIYUN::ECS::Instance', state: 'Running' }),
      cloudEvent('batch-3', { resourceId: 'i-bp1batch000000000003', resourceType: 'ALIYUN::ECS::Instance', state: 'Deleted' }),
    ];
    const result = await fn.handler(Buffer.from(JSON.stringify(batch)), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { alerts: 3, delivered: 3 } });
    expect(sink.messages).toHaveLength(1);
    for (const id of ['i-bp1batch000000000001', 'i-bp1batch000000000002', 'i-bp1batch000000000003']) expect(messageText()).toContain(id);
    expect(logs.byMsg('alert').map((l) => [l.id, l.outcome, l.digestOf]).sort()).toEqual([
      ['batch-1', 'delivered', 3],
      ['batch-2', 'delivered', 3],
      ['batch-3', 'delivered', 3],
    ]);
  });

  it('posts a redelivered event (same id) once per warm instance, and again after a cold start', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const event = Buffer.from(JSON.stringify(cloudEvent('redelivered-1')));
    await fn.handler(event, fc3Context());
    const second = await fn.handler(event, fc3Context());
    expect(second).toMatchObject({ ok: true, summary: { alerts: 1, delivered: 0, duplicates: 1 } });
    expect(sink.messages).toHaveLength(1);
    expect(logs.byMsg('alert').map((l) => l.outcome)).toEqual(['delivered', 'duplicate']);

    // The same id twice in ONE batch is posted once too.
    await fn.handler(Buffer.from(JSON.stringify([cloudEvent('twice-in-batch'), cloudEvent('twice-in-batch')])), fc3Context());
    expect(sink.messages).toHaveLength(2);

    const fresh = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    await fresh.handler(event, fc3Context());
    expect(sink.messages).toHaveLength(3);
  });

  it('handles every CloudMonitor event sample through the FC 3.0 entry point too', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    for (const name of cmsEventFixtures) {
      const result = await fn.handler(fixtureBuffer(name), fc3Context());
      expect(result, name).toMatchObject({ ok: true });
    }
    // The three SystemMaintenance.Reboot samples share one id (Scheduled → Executing → Avoided): each state posts.
    const ids = new Set(cmsEventFixtures.map((n) => (JSON.parse(fixture(n)) as { id?: string }).id ?? n));
    expect(sink.messages).toHaveLength(ids.size + 2);
  });
});

describe('Method: legacyHandler (FC 2.0) — CloudMonitor event rule', () => {
  it.each(cmsEventFixtures)('forwards %s and calls back (null, result)', async (name) => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const { error, result } = await invokeLegacy(fn, fixtureBuffer(name), fc2Context());
    expect(error).toBeNull();
    expect(result).toMatchObject({ ok: true, summary: { alerts: 1, delivered: 1 } });
    expect(sink.messages).toHaveLength(1);
    expect(logs.byMsg('invocation')[0]).toMatchObject({ handler: 'legacyHandler', kind: 'event', source: 'cloudmonitor', outcome: 'ok' });
  });

  it('calls back with a DeliveryError when Slack keeps failing (FC retries the async invocation)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_CONFIG: JSON.stringify({ slack: { maxAttempts: 2 } }) });
    sink.script(sinkReply.serverError(503), sinkReply.serverError(503));
    const { error, result } = await invokeLegacy(fn, fixtureBuffer('cms-event-ecs-instance-statechange-stopped.json'), fc2Context());
    expect(result).toBeUndefined();
    expect(error).toMatchObject({ name: 'DeliveryError', code: 'DELIVERY_FAILED', retryable: true });
    expect(error!.message).toContain('route default (HTTP_503, HTTP 503, 1 alert)');
    expect(sink.messages).toHaveLength(0);
  });

  it('survives a callback that throws: logs internal-error, no unhandled rejection, the instance keeps serving', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (const event of [fixtureBuffer('cms-event-ecs-instance-statechange-stopped.json'), Buffer.from('not an event')]) {
        let calls = 0;
        fn.legacyHandler(event, fc2Context(), () => {
          calls++;
          throw new Error('callback exploded');
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(calls).toBe(1);
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(logs.byMsg('internal-error')).toHaveLength(2);
      expect(logs.byMsg('internal-error')[0]).toMatchObject({ level: 'error', error: 'callback exploded' });
      const { error, result } = await invokeLegacy(fn, fixtureBuffer('cms-event-ecs-instance-statechange-running.json'), fc2Context());
      expect(error).toBeNull();
      expect(result).toMatchObject({ ok: true });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('logs and drops input that is not an event, calling back without an error (no retry loop)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const { error, result } = await invokeLegacy(fn, Buffer.from('this is not an event'), fc2Context());
    expect(error).toBeNull();
    expect(result).toMatchObject({ ok: false, summary: { alerts: 0 } });
    expect((result as { dropped?: string }).dropped).toMatch(/^[A-Z_]+$/);
    const dropped = logs.byMsg('input-dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ level: 'error', raw: 'this is not an event', rawBytes: 20, rawTruncated: false });
    expect(sink.requests).toHaveLength(0);
  });
});

describe('Behaviour: bad event input and secrets', () => {
  it('drops unparseable events with the raw input size-capped and secrets redacted, never throwing', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN });
    const secretish = JSON.stringify({ hello: 'world', leaked: sink.url, token: TOKEN, pad: 'x'.repeat(5000) });
    const result = await fn.handler(Buffer.from(secretish), fc3Context());
    expect(result).toMatchObject({ ok: false, dropped: 'UNKNOWN_FORMAT' });
    const [line] = logs.byMsg('input-dropped');
    expect(line).toMatchObject({ errorCode: 'UNKNOWN_FORMAT', rawTruncated: true, rawBytes: Buffer.byteLength(secretish) });
    expect((line!.raw as string).length).toBeLessThanOrEqual(2048);
    expect(logs.text()).not.toContain(new URL(sink.url).pathname);
    expect(logs.text()).not.toContain(TOKEN);
    expect(logs.text()).toContain('[REDACTED]');
    expect(sink.requests).toHaveLength(0);
  });

  it('redacts URL-encoded and base64 copies of the webhook URL, its path and the token in a dropped body', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN });
    const path = new URL(sink.url).pathname;
    const copies = {
      urlEncoded: encodeURIComponent(sink.url),
      base64: Buffer.from(sink.url).toString('base64'),
      pathEncoded: encodeURIComponent(path),
      pathBase64: Buffer.from(path).toString('base64'),
      tokenEncoded: encodeURIComponent(TOKEN),
      tokenBase64: Buffer.from(TOKEN).toString('base64'),
      tokenBase64Url: Buffer.from(TOKEN).toString('base64url'),
    };
    const result = await fn.handler(Buffer.from(JSON.stringify({ hello: 'world', ...copies })), fc3Context());
    expect(result).toMatchObject({ ok: false, dropped: 'UNKNOWN_FORMAT' });
    const [line] = logs.byMsg('input-dropped');
    expect(line!.raw).toBe(`{"hello":"world",${Object.keys(copies).map((k) => `"${k}":"[REDACTED]"`).join(',')}}`);
    const text = logs.text();
    for (const copy of [...Object.values(copies), path, TOKEN]) expect(text).not.toContain(copy);
  });

  it('redacts the webhook URL JSON-escaped (\\/) and a token URL-encoded twice in a dropped input', async () => {
    const token = 'Qw3r+Ty/7uIo9=pAs1dFg5hJk2lZx4c';
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: token });
    const path = new URL(sink.url).pathname;
    // JSON.stringify does not escape '/', so write the escaped forms by hand.
    const body = `{"hello":"world","hook":"${sink.url.replace(/\//g, '\\/')}","path":"${path.replace(/\//g, '\\/')}","cb":"${encodeURIComponent(encodeURIComponent(token))}"}`;
    expect(JSON.parse(body)).toMatchObject({ hook: sink.url });
    const result = await fn.handler(Buffer.from(body), fc3Context());
    expect(result).toMatchObject({ ok: false, dropped: 'UNKNOWN_FORMAT' });
    const [line] = logs.byMsg('input-dropped');
    expect(line!.raw).toBe('{"hello":"world","hook":"[REDACTED]","path":"[REDACTED]","cb":"[REDACTED]"}');
    const secretPart = path.split('/').pop()!;
    expect(logs.text()).not.toContain(secretPart);
    expect(logs.text()).not.toContain(encodeURIComponent(token));
    expect(logs.text()).not.toContain('pAs1dFg5');
  });

  it('never echoes a webhook URL pasted into webhookUrlEnv: not in the issue, the thrown ForwarderConfigError or the logs', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_CONFIG: JSON.stringify({ routes: [{ name: 'oncall', webhookUrlEnv: sink.url }] }) });
    const error = (await fn.handler(fixtureBuffer('eventbridge-ecs-statechange.INFERRED.json'), fc3Context()).catch((e: unknown) => e)) as Error & { issues: string[] };
    expect(error).toMatchObject({ name: 'ForwarderConfigError', code: 'INVALID_CONFIG' });
    expect(error.issues.join(' ')).toContain('routes[0].webhookUrlEnv: is not an environment variable name');
    const secretPart = new URL(sink.url).pathname.split('/').pop()!;
    for (const text of [error.message, JSON.stringify(error), error.issues.join(' '), logs.text()]) expect(text).not.toContain(secretPart);
    expect(logs.byMsg('config-invalid').length).toBeGreaterThan(0);
    expect(sink.requests).toHaveLength(0);
  });

  it('redacts a secret that straddles the size cap of the logged raw input', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN });
    const lead = `{"pad":"${'p'.repeat(2048 - 9 - 10)}`;
    const body = `${lead}${TOKEN}","more":"${'q'.repeat(100)}"}`;
    await fn.handler(Buffer.from(body), fc3Context());
    const [line] = logs.byMsg('input-dropped');
    expect(line).toMatchObject({ rawTruncated: true, rawBytes: Buffer.byteLength(body) });
    expect(line!.raw as string).not.toContain(TOKEN.slice(0, 10));
    expect((line!.raw as string).startsWith(lead)).toBe(true);
  });

  it('drops an empty event and a JSON value that is no event', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    expect(await fn.handler(Buffer.alloc(0), fc3Context())).toMatchObject({ ok: false, dropped: 'EMPTY_INPUT' });
    expect(await fn.handler(Buffer.from('42'), fc3Context())).toMatchObject({ ok: false });
    expect(sink.requests).toHaveLength(0);
  });

  it('never writes the webhook URL, the token or the FC credentials to the logs of a normal run', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN });
    const context = fc3Context();
    await fn.handler(fixtureBuffer('eventbridge-ecs-statechange.INFERRED.json'), context);
    sink.script(sinkReply.channelNotFound());
    await expect(fn.handler(Buffer.from(JSON.stringify(cloudEvent('secret-check'))), fc3Context())).rejects.toMatchObject({ code: 'DELIVERY_FAILED' });
    const text = logs.text();
    expect(text).not.toContain(new URL(sink.url).pathname);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(context.credentials.accessKeySecret);
    expect(text).not.toContain(context.credentials.securityToken);
    // Every line is one JSON object.
    expect(() => logs.records()).not.toThrow();
  });
});

describe('Behaviour: Slack failures (events)', () => {
  it('throws a DeliveryError when Slack is down after the notifier retries, so FC retries', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_CONFIG: JSON.stringify({ slack: { maxAttempts: 2 } }) });
    sink.script(sinkReply.serverError(500), sinkReply.serverError(500));
    const error = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('down-1'))), fc3Context()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'DeliveryError',
      code: 'DELIVERY_FAILED',
      retryable: true,
      failures: [{ route: 'default', code: 'rollup_error', status: 500, retryable: true, alertIds: ['down-1'] }],
    });
    expect(sink.requests.map((r) => r.status)).toEqual([500, 500]);
    const [line] = logs.byMsg('alert');
    expect(line).toMatchObject({ level: 'error', outcome: 'failed', attempts: 2, httpStatus: 500, errorCode: 'rollup_error' });
    expect(logs.byMsg('invocation')[0]).toMatchObject({ outcome: 'failed', errorCode: 'DELIVERY_FAILED', failed: 1 });

    // The failed alert was not remembered: FC's retry posts it once Slack is back.
    const retry = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('down-1'))), fc3Context());
    expect(retry).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(sink.messages).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After and succeeds on the next attempt', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    sink.script(sinkReply.rateLimited(1));
    const result = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('rate-limited-1'))), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(sink.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(logs.byMsg('alert')[0]).toMatchObject({ outcome: 'delivered', attempts: 2 });
    expect(logs.byMsg('alert')[0]!.ms as number).toBeGreaterThanOrEqual(900);
  });

  it('keeps waiting out 429s past slack.maxAttempts while the invocation has time', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    sink.script(...Array.from({ length: 5 }, () => sinkReply.rateLimited(0)));
    const result = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('rate-limited-5'))), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(sink.requests.map((r) => r.status)).toEqual([429, 429, 429, 429, 429, 200]);
    expect(logs.byMsg('alert')[0]).toMatchObject({ outcome: 'delivered', attempts: 6 });
  });

  it('gives up on 429s after 8 attempts even with time left, retryable so FC retries', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    sink.script(...Array.from({ length: 12 }, () => sinkReply.rateLimited(0)));
    const error = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('rate-limited-12'))), fc3Context()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DeliveryError', code: 'DELIVERY_FAILED', retryable: true, failures: [{ code: 'rate_limited', status: 429, retryable: true }] });
    expect(sink.requests).toHaveLength(8);
    // Retry-After: 0 is floored (500 ms): the 8 attempts used to land within ~14 ms.
    for (let i = 1; i < 8; i++) expect(sink.requests[i]!.at - sink.requests[i - 1]!.at).toBeGreaterThanOrEqual(490);
    expect(logs.byMsg('alert')[0]).toMatchObject({ outcome: 'failed', attempts: 8, httpStatus: 429 });
    expect(logs.byMsg('alert')[0]!.error).toContain('gave up after maxRateLimitedAttempts=8');
  });

  it('still gives up on 5xx after slack.maxAttempts failures, not counting the 429s between them', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_CONFIG: JSON.stringify({ slack: { maxAttempts: 2 } }) });
    sink.script(sinkReply.rateLimited(0), sinkReply.serverError(503), sinkReply.rateLimited(0), sinkReply.serverError(503), sinkReply.ok());
    const error = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('mixed-1'))), fc3Context()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', failures: [{ code: 'HTTP_503', status: 503, retryable: true }] });
    expect(sink.requests.map((r) => r.status)).toEqual([429, 503, 429, 503]);
  });

  it('stops within the invocation time left (remaining time minus the safety margin)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_CONFIG: JSON.stringify({ safetyMarginMs: 1000 }) });
    sink.script(sinkReply.hang(), sinkReply.hang(), sinkReply.hang());
    const context = { ...fc3Context(), getRemainingTimeInMS: () => 1800 };
    const started = Date.now();
    const error = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('deadline-1'))), context).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', failures: [{ code: 'DEADLINE_EXCEEDED', retryable: true }] });
    expect(elapsed).toBeLessThan(1800);
  });

  it('does not start a send when no time is left, and says so', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const context = { ...fc3Context(), getRemainingTimeInMS: () => 1000 };
    const error = await fn.handler(Buffer.from(JSON.stringify(cloudEvent('no-time-1'))), context).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', failures: [{ code: 'DEADLINE_EXCEEDED' }] });
    expect(logs.byMsg('alert')[0]!.error).toContain('the send was not started');
    expect(sink.requests).toHaveLength(0);
  });
});

describe('Behaviour: configuration fails closed', () => {
  it('logs the problem at cold start and on every invocation; events throw, nothing is posted', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/T/B/plain-http', ECS_PULSE_CONFIG: '{"routes": [' });
    const cold = logs.byMsg('config-invalid');
    expect(cold).toHaveLength(1);
    expect(JSON.stringify(cold[0]!.issues)).toContain('SLACK_WEBHOOK_URL: must be an https: URL');
    expect(JSON.stringify(cold[0]!.issues)).toContain('ECS_PULSE_CONFIG: is not valid JSON');
    expect(logs.text()).not.toContain('plain-http');

    const error = await fn.handler(fixtureBuffer('eventbridge-ecs-statechange.INFERRED.json'), fc3Context()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ForwarderConfigError', code: 'INVALID_CONFIG' });
    expect((error as Error).message).toContain('nothing is posted until then');
    expect(logs.byMsg('config-invalid')).toHaveLength(2);

    const legacy = await invokeLegacy(fn, fixtureBuffer('cms-event-ecs-instance-statechange-stopped.json'), fc2Context());
    expect(legacy.error).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(sink.requests).toHaveLength(0);
  });

  it('fails closed when no webhook is configured at all', async () => {
    const fn = coldStart({});
    await expect(fn.handler(fixtureBuffer('eventbridge-ecs-statechange.INFERRED.json'), fc3Context())).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      issues: ['SLACK_WEBHOOK_URL: is not set and ECS_PULSE_CONFIG has no routes; set the Slack incoming-webhook URL'],
    });
  });
});

describe('Behaviour: an EventBridge batch with bad elements', () => {
  const withoutType = (id: string): Record<string, unknown> => {
    const { type: _type, ...rest } = cloudEvent(id);
    return rest;
  };
  const badBase64 = (id: string): Record<string, unknown> => {
    const { data: _data, ...rest } = cloudEvent(id);
    return { ...rest, data_base64: '%%% not base64 %%%' };
  };
  const bads: [string, unknown, string][] = [
    ['no type', withoutType('bad-1'), 'MISSING_FIELD'],
    ['null', null, 'UNKNOWN_FORMAT'],
    ['a numeric type', { ...cloudEvent('bad-3'), type: 42 }, 'INVALID_FIELD'],
    ['bad data_base64', badBase64('bad-4'), 'INVALID_BASE64'],
  ];
  const goodEvents = (n: number): Record<string, unknown>[] =>
    Array.from({ length: n }, (_, i) => cloudEvent(`good-${i}`, { resourceId: `i-bp1good${String(i).padStart(4, '0')}`, resourceType: 'ALIYUN::ECS::Instance', state: 'Stopped' }));

  it.each(bads)('delivers the 100 good CloudEvents when one element has %s; logs the bad one by index and counts it', async (_label, bad, code) => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN });
    const good = goodEvents(100);
    const batch = [...good.slice(0, 37), bad, ...good.slice(37)];
    const result = await fn.handler(Buffer.from(JSON.stringify(batch)), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { alerts: 100, delivered: 100, failed: 0, rejected: 1 } });
    const posted = JSON.stringify(sink.messages);
    for (let i = 0; i < 100; i++) expect(posted).toContain(`i-bp1good${String(i).padStart(4, '0')}`);
    const dropped = logs.byMsg('input-dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ level: 'error', index: 37, errorCode: code, raw: JSON.stringify(bad), rawTruncated: false });
    expect(String(dropped[0]!.error)).toContain('Event [37] of the batch');
    expect(logs.byMsg('invocation').at(-1)).toMatchObject({ level: 'warn', outcome: 'ok', alerts: 100, delivered: 100, rejected: 1 });
    expect(logs.byMsg('alert').filter((r) => r.outcome === 'delivered')).toHaveLength(100);
  });

  it('drops a batch whose every element is bad, logging each by index (nothing posted, no retry)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const result = await fn.handler(Buffer.from(JSON.stringify(bads.map(([, bad]) => bad))), fc3Context());
    expect(result).toMatchObject({ ok: false, summary: { alerts: 0, rejected: 4 }, dropped: expect.stringMatching(/^[A-Z0-9_]+$/) });
    expect(logs.byMsg('input-dropped').map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(logs.byMsg('invocation').at(-1)).toMatchObject({ outcome: 'dropped', rejected: 4 });
    expect(sink.requests).toHaveLength(0);
  });

  it('logs a bad element size-capped and redacted', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: TOKEN });
    const bad = { ...withoutType('bad-secret'), leaked: sink.url, token: TOKEN, pad: 'x'.repeat(10_000) };
    const result = await fn.handler(Buffer.from(JSON.stringify([cloudEvent('good-a'), bad])), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { delivered: 1, rejected: 1 } });
    const [line] = logs.byMsg('input-dropped');
    expect(line).toMatchObject({ index: 1, rawTruncated: true, rawBytes: Buffer.byteLength(JSON.stringify(bad)) });
    expect((line!.raw as string).length).toBeLessThanOrEqual(2048);
    expect(logs.text()).not.toContain(new URL(sink.url).pathname);
    expect(logs.text()).not.toContain(TOKEN);
  });

  it('the FC 2.0 handler keeps the good elements of a batch the same way', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url });
    const { error, result } = await invokeLegacy(fn, Buffer.from(JSON.stringify([cloudEvent('l-1'), null, cloudEvent('l-2')])), fc2Context());
    expect(error).toBeNull();
    expect(result).toMatchObject({ ok: true, summary: { delivered: 2, rejected: 1 } });
  });
});
