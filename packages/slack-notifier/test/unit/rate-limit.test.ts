import { afterEach, describe, expect, it } from 'vitest';
import {
  AlertDigestQueue,
  RateLimitedSender,
  SlackNotifierError,
  SlackWebhook,
  SlackWebhookError,
  type SlackMessage,
  type SlackSendResult,
  type SlackTransport,
} from '../../src/index.js';
import { sinkReply, startSlackSink, type SlackSink } from '../../src/testing/index.js';
import { makeAlerts } from '../helpers/fixtures.js';

/** A transport that records when each message "went out" on a fake clock. */
function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function recordingTransport(clock: { now: () => number }, results: (SlackSendResult | Error)[] = []) {
  const sentAt: number[] = [];
  const bodies: (SlackMessage | string)[] = [];
  const transport: SlackTransport = {
    async send(message) {
      sentAt.push(clock.now());
      bodies.push(message);
      const next = results.shift();
      if (next instanceof Error) throw next;
      return next ?? { attempts: 1, status: 200, rateLimited: 0, elapsedMs: 0 };
    },
  };
  return { transport, sentAt, bodies };
}

const sinks: SlackSink[] = [];
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close();
});

describe('Class: RateLimitedSender', () => {
  it('lets a burst through, then spaces messages at the rate', async () => {
    // Prepare
    const clock = fakeClock();
    const { transport, sentAt } = recordingTransport(clock);
    const sender = new RateLimitedSender(transport, { ratePerSecond: 1, burst: 3, now: clock.now, sleep: clock.sleep });
    // Act
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => sender.send({ text: `m${i}` })));
    // Assess
    expect(sentAt).toEqual([0, 0, 0, 1000, 2000, 3000]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(outcomes.map((o) => o.waitedMs)).toEqual([0, 0, 0, 1000, 1000, 1000]);
    expect(sender.stats).toEqual({ sent: 6, failed: 0, rateLimited: 0, queued: 0 });
  });

  it('refills tokens while idle, up to the burst', async () => {
    const clock = fakeClock();
    const { transport, sentAt } = recordingTransport(clock);
    const sender = new RateLimitedSender(transport, { ratePerSecond: 2, burst: 2, now: clock.now, sleep: clock.sleep });
    await Promise.all([sender.send({ text: 'a' }), sender.send({ text: 'b' })]);
    clock.advance(10_000);
    await Promise.all([sender.send({ text: 'c' }), sender.send({ text: 'd' }), sender.send({ text: 'e' })]);
    expect(sentAt).toEqual([0, 0, 10_000, 10_000, 10_500]);
  });

  it('empties the bucket after the transport reports 429s', async () => {
    const clock = fakeClock();
    const { transport, sentAt } = recordingTransport(clock, [{ attempts: 2, status: 200, rateLimited: 1, elapsedMs: 1000 }]);
    const sender = new RateLimitedSender(transport, { ratePerSecond: 1, burst: 3, now: clock.now, sleep: clock.sleep });
    await Promise.all([sender.send({ text: 'a' }), sender.send({ text: 'b' })]);
    expect(sentAt).toEqual([0, 1000]);
    expect(sender.stats.rateLimited).toBe(1);
  });

  it('reports failures as outcomes instead of throwing, and keeps going', async () => {
    const clock = fakeClock();
    const failure = new SlackWebhookError({ code: 'channel_not_found', status: 404, attempts: 1, retryable: false, webhook: 'https://hooks.slack.com/…' }, 'gone');
    const { transport } = recordingTransport(clock, [failure, new TypeError('boom')]);
    const sender = new RateLimitedSender(transport, { now: clock.now, sleep: clock.sleep });
    const [a, b, c] = await Promise.all([sender.send({ text: 'a' }), sender.send({ text: 'b' }), sender.send({ text: 'c' })]);
    expect(a).toMatchObject({ ok: false, error: { code: 'channel_not_found', status: 404 } });
    expect(b).toMatchObject({ ok: false, error: { code: 'SEND_FAILED', message: expect.stringContaining('cause: TypeError: boom') } });
    expect(c).toMatchObject({ ok: true });
    expect(sender.stats).toMatchObject({ sent: 1, failed: 2 });
  });

  it('builds a lazily given message only when its turn comes', async () => {
    const clock = fakeClock();
    const { transport, bodies } = recordingTransport(clock);
    const sender = new RateLimitedSender(transport, { burst: 1, now: clock.now, sleep: clock.sleep });
    let built = 0;
    const first = sender.send({ text: 'first' });
    const second = sender.send(() => ({ text: `built at ${clock.now()} (#${++built})` }));
    expect(built).toBe(0);
    await Promise.all([first, second]);
    expect(bodies).toEqual([{ text: 'first' }, { text: 'built at 1000 (#1)' }]);
  });

  it('rejects bad options, listing every issue', () => {
    expect(() => new RateLimitedSender({} as never, { ratePerSecond: 0, burst: 1.5, speed: 1 } as never)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(/transport: must have a send\(message\) method[\s\S]*speed: unknown option[\s\S]*ratePerSecond: must be a positive number[\s\S]*burst: must be an integer ≥ 1/),
      }),
    );
  });

  it('keeps a real webhook under the sink’s rate limit (no 429s)', async () => {
    const sink = await startSlackSink({ rateLimit: { perSecond: 10, burst: 2 } });
    sinks.push(sink);
    const webhook = new SlackWebhook(sink.url);
    const sender = new RateLimitedSender(webhook, { ratePerSecond: 5, burst: 2 }); // half the sink's rate: arrival jitter must not matter
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => sender.send({ text: `m${i}` })));
    webhook.close();
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(sink.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(sink.messages).toHaveLength(6);
  });
});

describe('Class: AlertDigestQueue', () => {
  it('turns a storm into digests and delivers every alert', async () => {
    // Prepare
    const clock = fakeClock();
    const { transport, bodies } = recordingTransport(clock);
    const sender = new RateLimitedSender(transport, { ratePerSecond: 1, burst: 2, now: clock.now, sleep: clock.sleep });
    const queue = new AlertDigestQueue(sender, { maxAlertsPerMessage: 40 });
    const alerts = makeAlerts(201);
    // Act
    queue.push(alerts[0]!);
    queue.push(alerts.slice(1));
    const report = await queue.drain();
    // Assess
    expect(report).toMatchObject({ alertsQueued: 201, alertsDelivered: 201, alertsFailed: 0, alertsPending: 0, messagesSent: 6, messagesFailed: 0 });
    expect(report.deliveries.map((d) => d.alertIds.length)).toEqual([40, 40, 40, 40, 40, 1]);
    const named = new Set(bodies.flatMap((b) => JSON.stringify(b).match(/i-storm\d{5}/g) ?? []));
    expect(named.size).toBe(201);
  });

  it('folds alerts that arrive while tokens are exhausted into the next digest', async () => {
    const clock = fakeClock();
    const { transport: inner, bodies } = recordingTransport(clock);
    let firstArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    const transport: SlackTransport = {
      send: async (m) => {
        const r = await inner.send(m);
        firstArrived();
        return r;
      },
    };
    const sender = new RateLimitedSender(transport, { ratePerSecond: 1, burst: 1, now: clock.now, sleep: clock.sleep });
    const queue = new AlertDigestQueue(sender);
    const [a, b, c] = makeAlerts(3);
    queue.push(a!);
    await arrived; // the first message went out and used the only token
    queue.push(b!);
    queue.push(c!);
    const report = await queue.drain();
    expect(report.deliveries.map((d) => d.alertIds)).toEqual([['evt-0'], ['evt-1', 'evt-2']]);
    expect((bodies[1] as SlackMessage).text).toMatch(/^2 alerts \(1 warning, 1 info\)/);
  });

  it('reports the alerts of failed messages instead of losing them', async () => {
    const clock = fakeClock();
    const gone = new SlackWebhookError({ code: 'channel_is_archived', status: 410, attempts: 1, retryable: false, webhook: 'x' }, 'archived');
    const { transport } = recordingTransport(clock, [gone]);
    const queue = new AlertDigestQueue(new RateLimitedSender(transport, { burst: 1, now: clock.now, sleep: clock.sleep }), { maxAlertsPerMessage: 2 });
    queue.push(makeAlerts(3));
    const report = await queue.drain();
    expect(report).toMatchObject({ alertsDelivered: 1, alertsFailed: 2, messagesSent: 1, messagesFailed: 1 });
    expect(report.failedAlerts.map((x) => x.id)).toEqual(['evt-0', 'evt-1']);
    expect(report.deliveries[0]?.outcome).toMatchObject({ ok: false, error: { code: 'channel_is_archived' } });
  });

  it('delivers a storm through a real webhook into a rate-limited sink without losing alerts', async () => {
    const sink = await startSlackSink({ rateLimit: { perSecond: 10, burst: 2 } });
    sinks.push(sink);
    sink.script(sinkReply.rateLimited(0.2));
    const webhook = new SlackWebhook(sink.url);
    const queue = new AlertDigestQueue(new RateLimitedSender(webhook, { ratePerSecond: 4, burst: 2 }), { render: { environment: 'test' } });
    queue.push(makeAlerts(120));
    const report = await queue.drain();
    webhook.close();
    expect(report).toMatchObject({ alertsDelivered: 120, alertsFailed: 0, messagesSent: 3 });
    const named = new Set(sink.messages.flatMap((m) => JSON.stringify(m).match(/i-storm\d{5}/g) ?? []));
    expect(named.size).toBe(120);
    expect(sink.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('validates its options and the render options up front', () => {
    const sender = new RateLimitedSender({ send: async () => ({ attempts: 1, status: 200, rateLimited: 0, elapsedMs: 0 }) });
    expect(() => new AlertDigestQueue(sender, { maxAlertsPerMessage: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('maxAlertsPerMessage: must be an integer ≥ 1') }));
    let caught: unknown;
    try {
      new AlertDigestQueue(sender, { render: { mentions: { critical: 'here' } } });
    } catch (error) {
      caught = error;
    }
    expect(SlackNotifierError.isSlackNotifierError(caught) && caught.code).toBe('INVALID_OPTIONS');
  });
});
