import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALERT_EVENT_TYPE, lifecycleKey, SlackThreads, SlackWebApi, type LifecycleAlert, type SlackThreadsOptions } from '../../src/index.js';
import { startSlackSink, type SlackSink } from '../../src/testing/index.js';

let sink: SlackSink;
const CHANNEL = 'C0THREADS1';
const apis: SlackWebApi[] = [];
const T0 = Date.parse('2026-12-04T10:00:00.000Z');

function threads(options: Partial<SlackThreadsOptions> = {}): SlackThreads {
  const api = new SlackWebApi(sink.api.token, { baseUrl: sink.api.url, backoffBaseMs: 10, random: () => 0 });
  apis.push(api);
  return new SlackThreads(api, { channel: CHANNEL, ...options });
}

let seq = 0;
function reboot(status: string, minutes: number, instance = 'i-bp1reboot00000001'): LifecycleAlert {
  seq++;
  return {
    id: `evt-${seq}`,
    kind: 'system-event',
    source: 'cloudmonitor',
    product: 'ECS',
    name: 'Instance:SystemMaintenance.Reboot',
    status,
    severity: status === 'Executed' ? 'ok' : 'critical',
    resourceId: instance,
    region: 'cn-hangzhou',
    accountId: '1234567890123456',
    time: new Date(T0 + minutes * 60_000).toISOString(),
    summary: `ECS instance ${instance}: system maintenance reboot ${status}`,
    details: {},
  };
}

const parents = () => sink.api.messages(CHANNEL).filter((m) => m.metadata?.event_type === ALERT_EVENT_TYPE);

beforeAll(async () => {
  sink = await startSlackSink();
});
afterAll(async () => {
  for (const api of apis) api.close();
  await sink.close();
});
beforeEach(() => sink.reset());

describe('lifecycleKey', () => {
  it('groups the states of one system event on one resource, and nothing else', () => {
    expect(lifecycleKey(reboot('Scheduled', 0))).toBe(lifecycleKey(reboot('Executed', 9)));
    expect(lifecycleKey(reboot('Scheduled', 0))).not.toBe(lifecycleKey(reboot('Scheduled', 0, 'i-bp1other000000001')));
    expect(lifecycleKey({ ...reboot('Scheduled', 0), region: 'cn-beijing' })).not.toBe(lifecycleKey(reboot('Scheduled', 0)));
    expect(lifecycleKey({ ...reboot('Scheduled', 0), name: 'Instance:SystemFailure.Reboot' })).not.toBe(lifecycleKey(reboot('Scheduled', 0)));
  });

  it('keys metric alarms by rule id + resource (ALERT and OK share it) and other products by resource + name', () => {
    const alarm = (status: string, ruleId: string, resourceId = 'i-1'): LifecycleAlert => ({ ...reboot(status, 0), kind: 'metric-alarm', name: 'Host.cpu.total', resourceId, details: { ruleId, alertName: 'HighCPU' } });
    expect(lifecycleKey(alarm('ALERT', 'r1'))).toBe(lifecycleKey(alarm('OK', 'r1')));
    expect(lifecycleKey(alarm('ALERT', 'r1'))).not.toBe(lifecycleKey(alarm('ALERT', 'r2')));
    expect(lifecycleKey(alarm('ALERT', 'r1'))).not.toBe(lifecycleKey(alarm('ALERT', 'r1', 'i-2')));
    const other = (resourceId: string): LifecycleAlert => ({ ...reboot('Normal', 0), kind: undefined, product: 'RDS', name: 'Instance:Failover', resourceId });
    expect(lifecycleKey(other('rm-1'))).toBe(lifecycleKey({ ...other('rm-1'), status: 'Done' }));
    expect(lifecycleKey(other('rm-1'))).not.toBe(lifecycleKey(other('rm-2')));
  });
});

describe('SlackThreads', () => {
  it('a lifecycle of 3 states: 1 parent with metadata, 2 replies, the parent edited twice to the current state and duration', async () => {
    const t = threads({ broadcastRecovery: true });
    const r1 = await t.deliver([reboot('Scheduled', 0)]);
    const r2 = await t.deliver([reboot('Executing', 3)]);
    const r3 = await t.deliver([reboot('Executed', 10)]);
    expect([r1, r2, r3].map((r) => r.deliveries.map((d) => [d.kind, d.ok]))).toEqual([[['parent', true]], [['reply', true]], [['reply', true]]]);
    expect([r1.updates, r2.updates, r3.updates]).toEqual([0, 1, 1]);

    expect(parents()).toHaveLength(1);
    const [parent] = parents();
    expect(parent!.replies).toHaveLength(2);
    expect(parent!.edits).toBe(2);
    expect(parent!.text).toContain('Executing → Executed in 7 min');
    expect(JSON.stringify(parent!.blocks)).toContain('Executing → Executed in 7 min');
    expect(parent!.metadata).toEqual({ event_type: ALERT_EVENT_TYPE, event_payload: { key: lifecycleKey(reboot('Scheduled', 0)), state: 'Executed', firstSeen: new Date(T0).toISOString(), stateSince: new Date(T0 + 10 * 60_000).toISOString() } });
    // Only the recovery (ok) is broadcast to the channel.
    expect(parent!.replies.map((r) => r.reply_broadcast)).toEqual([false, true]);
    expect(sink.api.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(1);
  });

  it('a cold instance finds the parent through history and keeps the thread', async () => {
    await threads().deliver([reboot('Scheduled', 0)]);
    sink.api.calls.length = 0;
    const cold = threads();
    const report = await cold.deliver([reboot('Executing', 7), reboot('Executing', 7, 'i-bp1fresh000000001')]);
    expect(report.lookups).toBe(1);
    expect(parents()).toHaveLength(2); // the old one, and one for the new instance's lifecycle
    expect(parents()[0]!.replies).toHaveLength(1);
    expect(parents()[0]!.text).toContain('Scheduled → Executing in 7 min');
    // Warm now: no second lookup for either key.
    await cold.deliver([reboot('Executed', 9), reboot('Executed', 9, 'i-bp1fresh000000001')]);
    expect(sink.api.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(1);
    expect(parents().map((p) => p.replies.length)).toEqual([2, 1]);
  });

  it('a lookup reads only the window and pages through it', async () => {
    const key = lifecycleKey(reboot('Scheduled', 0));
    sink.api.seed(CHANNEL, { text: 'old parent', at: Date.now() - 25 * 3_600_000, metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { key, state: 'Scheduled', firstSeen: '' } } });
    const t = threads({ lookupPageSize: 1, lookupPages: 3 });
    const seeded = threads();
    for (let i = 0; i < 2; i++) await seeded.deliver([reboot('Scheduled', 0, `i-bp1filler00000${i}`)]);
    sink.api.calls.length = 0;
    const report = await t.deliver([reboot('Executing', 5)]);
    expect(report.lookups).toBe(2); // two pages of one message; the 25 h old parent is outside the window
    const history = sink.api.calls.filter((c) => c.method === 'conversations.history');
    expect(Number(history[0]!.args.oldest)).toBeCloseTo(Date.now() / 1000 - 86_400, -1);
    expect(history[0]!.args.include_all_metadata).toBe('true');
    expect(parents().filter((p) => p.metadata!.event_payload.key === key)).toHaveLength(2);
  });

  it.each([
    ['rate limited', { error: 'ratelimited', retryAfterSeconds: 60 }],
    ['failing', { status: 500 }],
  ])('a %s lookup posts a new parent and still delivers, without waiting', async (_name, reply) => {
    await threads().deliver([reboot('Scheduled', 0)]);
    sink.api.calls.length = 0;
    sink.api.script('conversations.history', reply);
    const started = Date.now();
    const report = await threads().deliver([reboot('Executing', 2)]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.deliveries.map((d) => [d.kind, d.ok])).toEqual([['parent', true]]);
    expect(report.notes).toEqual([expect.objectContaining({ step: 'lookup', detail: expect.stringContaining('lookup failed') })]);
    expect(sink.api.calls.filter((c) => c.method === 'conversations.history')).toHaveLength(1);
    expect(parents()).toHaveLength(2);
  });

  it('a warm instance does not look up again within lookupIntervalMs: a new key gets a new parent', async () => {
    const t = threads();
    await t.deliver([reboot('Scheduled', 0)]);
    const report = await t.deliver([reboot('Scheduled', 0, 'i-bp1second00000001')]);
    expect(report.lookups).toBe(0);
    expect(report.notes[0]).toMatchObject({ step: 'lookup', detail: expect.stringContaining('skipped') });
    expect(parents()).toHaveLength(2);
  });

  it('two keys interleaved stay in their own threads', async () => {
    const t = threads();
    const a = (s: string, m: number) => reboot(s, m, 'i-bp1aaaa000000001');
    const b = (s: string, m: number) => reboot(s, m, 'i-bp1bbbb000000001');
    await t.deliver([a('Scheduled', 0), b('Scheduled', 1)]);
    await t.deliver([b('Executing', 2)]);
    await t.deliver([a('Executing', 3), b('Executed', 4)]);
    await t.deliver([a('Executed', 5)]);
    const [pa, pb] = parents();
    expect(pa!.replies.map((r) => r.text)).toEqual([expect.stringContaining('Executing'), expect.stringContaining('Executed')]);
    expect(pb!.replies.map((r) => r.text)).toEqual([expect.stringContaining('Executing'), expect.stringContaining('Executed')]);
    for (const [p, id] of [[pa, 'i-bp1aaaa000000001'], [pb, 'i-bp1bbbb000000001']] as const) {
      for (const r of p!.replies) expect(JSON.stringify(r.blocks) + JSON.stringify(r.attachments)).toContain(id);
    }
    expect([pa!.text, pb!.text]).toEqual([expect.stringContaining('Executing → Executed in 2 min'), expect.stringContaining('Executing → Executed in 2 min')]);
  });

  it('not_in_channel fails every alert of the batch after one request, with its hint', async () => {
    sink.api.channel(CHANNEL).member = false;
    const report = await threads().deliver([reboot('Scheduled', 0), reboot('Scheduled', 0, 'i-bp1other000000001'), reboot('Executing', 1)]);
    expect(report.deliveries.every((d) => !d.ok && d.error?.code === 'not_in_channel')).toBe(true);
    expect(report.deliveries.flatMap((d) => d.alertIds).sort()).toHaveLength(3);
    expect(sink.api.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(report.deliveries[0]!.error).toMatchObject({ retryable: false, hint: expect.stringContaining('/invite') });
  });

  it('a deleted parent starts a new thread instead of losing the reply', async () => {
    const t = threads();
    await t.deliver([reboot('Scheduled', 0)]);
    sink.api.channel(CHANNEL).messages.length = 0; // someone deleted the parent
    const report = await t.deliver([reboot('Executing', 1)]);
    expect(report.deliveries.map((d) => [d.kind, d.ok])).toEqual([['parent', true]]);
    expect(parents()).toHaveLength(1);
  });

  it('concurrent batches of one instance never post two parents for a key', async () => {
    const t = threads();
    await Promise.all([t.deliver([reboot('Scheduled', 0)]), t.deliver([reboot('Executing', 1)]), t.deliver([reboot('Executed', 2)])]);
    expect(parents()).toHaveLength(1);
    expect(parents()[0]!.replies).toHaveLength(2);
  });

  it('a 1,000-alert storm over 20 keys: bounded messages, one parent per key at most, every alert in exactly one accepted message', async () => {
    const t = threads();
    const keys = Array.from({ length: 20 }, (_, k) => `i-bp1storm${String(k).padStart(8, '0')}`);
    const all: LifecycleAlert[] = [];
    for (let i = 0; i < 1000; i++) all.push(reboot(['Scheduled', 'Executing', 'Executed'][i % 3]!, i, keys[i % 20]));
    const delivered = new Map<string, string>();
    let posts = 0;
    for (let batch = 0; batch < 10; batch++) {
      const report = await t.deliver(all.slice(batch * 100, batch * 100 + 100));
      for (const d of report.deliveries) {
        expect(d.ok).toBe(true);
        posts++;
        for (const id of d.alertIds) {
          expect(delivered.has(id)).toBe(false);
          delivered.set(id, d.ts!);
        }
      }
    }
    expect(delivered.size).toBe(1000);
    const accepted = new Set(sink.api.allMessages(CHANNEL).map((m) => m.ts));
    for (const ts of delivered.values()) expect(accepted.has(ts)).toBe(true);
    // 10 batches × 20 keys at most one reply each, plus 20 parents and the first batch's digests.
    expect(posts).toBeLessThanOrEqual(20 + 10 * 20 + 4);
    expect(sink.api.allMessages(CHANNEL).length).toBe(posts);
    const parentKeys = parents().map((p) => p.metadata!.event_payload.key);
    expect(new Set(parentKeys).size).toBe(parentKeys.length);
    expect(parentKeys).toHaveLength(20);
  });

  it('threads: false posts plain digests', async () => {
    const report = await threads({ threads: false }).deliver([reboot('Scheduled', 0), reboot('Executing', 1)]);
    expect(report.deliveries.map((d) => [d.kind, d.alertIds.length])).toEqual([['message', 2]]);
    expect(parents()).toHaveLength(0);
    expect(sink.api.calls.some((c) => c.method === 'conversations.history')).toBe(false);
  });

  it('rejects bad options, listing every issue', () => {
    const api = new SlackWebApi(`xoxb-1-${'a'.repeat(10)}`);
    expect(() => new SlackThreads(api, { channel: '#alerts', maxParentsPerBatch: 0, colour: 1 } as never)).toThrow(/colour: unknown option[\s\S]*channel: must be[\s\S]*maxParentsPerBatch/);
  });
});
