import { sinkReply, startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingFrom, stormEvents } from './support/events.js';
import { coldStart, fc3Context, fcAsyncInvoke, OutputCapture } from './support/function.js';

// Issue 13 item 6 as it happens in production: the REAL bundled function, one warm instance, an FC asynchronous
// invocation of a 1,500-event EventBridge batch over two routes (all-matches) where route b fails once. FC retries
// the batch; the retry must re-post only what route b did not get, nothing on route a (the old shared 1,000-entry
// LRU re-posted 500 alerts there). The sink enforces Slack's rate (1 message/s, burst 3) on each webhook path.

let sink: SlackSink;
const output = new OutputCapture();
const path = (route: string): string => `/services/T0SYSTEM/B0${route.toUpperCase()}/${route}-route-secret`;

beforeAll(async () => {
  sink = await startSlackSink();
});
afterAll(async () => {
  await sink.close();
});

describe('Dedupe memory vs batch size (FC retry of a 1,500-event batch)', () => {
  it('the retry re-posts only what was not delivered on each route', async () => {
    const fn = coldStart({
      ROUTE_A: `${sink.origin}${path('a')}`,
      ROUTE_B: `${sink.origin}${path('b')}`,
      ECS_PULSE_CONFIG: JSON.stringify({
        routing: 'all-matches',
        slack: { maxAttempts: 1 },
        routes: [
          { name: 'a', webhookUrlEnv: 'ROUTE_A' },
          { name: 'b', webhookUrlEnv: 'ROUTE_B' },
        ],
      }),
    });
    const { events, expected } = stormEvents(1500, 'lru');
    let bFailed = false;
    sink.script((request) => {
      if (request.path === path('b') && !bFailed) {
        bFailed = true;
        return sinkReply.serverError(503);
      }
      return undefined;
    });
    output.start();
    let attempts;
    try {
      attempts = await fcAsyncInvoke(fn, Buffer.from(JSON.stringify(events), 'utf8'), { maxRetries: 2, context: () => fc3Context({ timeoutS: 60 }) });
    } finally {
      output.stop();
    }
    expect(attempts.map((a) => a.outcome.ok)).toEqual([false, true]);
    const onPath = (p: string) => sink.requests.filter((r) => r.path === p && r.status === 200).map((r) => r.json);
    // Route a: every alert in the first invocation only; route b: every alert, in the retry.
    expect(missingFrom(onPath(path('a')), expected)).toEqual([]);
    expect(missingFrom(onPath(path('b')), expected)).toEqual([]);
    const delivered = output.records().filter((r) => r.msg === 'alert' && r.outcome === 'delivered');
    expect(delivered.filter((r) => r.route === 'a')).toHaveLength(1500);
    expect(delivered.filter((r) => r.route === 'b')).toHaveLength(1500);
    const retryAt = sink.requests.find((r) => r.path === path('b') && r.status === 200)!.at;
    expect(sink.requests.filter((r) => r.path === path('a') && r.at >= retryAt)).toEqual([]);
    const invocations = output.records().filter((r) => r.msg === 'invocation');
    expect(invocations.at(-1)).toMatchObject({ outcome: 'ok', delivered: 1500, duplicates: 0 });
  }, 90_000);
});
