import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsList, eventsReplay } from '../../src/commands/events.js';
import { main } from '../../src/cli.js';
import { cloudEnv } from '../helpers/cloud-env.js';
import { eventHistory } from '../helpers/events-fixture.js';
import { tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';
import { expectParams, OpenApiDouble } from '../helpers/openapi-double.js';

const REGION = 'cn-hangzhou';
const NOW = new Date('2026-11-24T12:00:00Z');
let double: OpenApiDouble;
let dir: string;

/** Serve the events, at most `cap` per page whatever PageSize asks for (the service may cap the page size). */
function serveEvents(all: ReturnType<typeof eventHistory>, cap = 100): void {
  double.on('2019-01-01', 'DescribeSystemEventAttribute', (call) => {
    expectParams(call, { StartTime: /^\d{13}$/, EndTime: /^\d{13}$/, PageNumber: /^\d+$/, PageSize: '100' });
    const page = Number(call.query.PageNumber);
    const items = all.slice((page - 1) * cap, page * cap);
    return { json: { RequestId: 'R-SEA', Code: '200', Success: 'true', SystemEvents: { SystemEvent: items } } };
  });
}

beforeEach(async () => {
  double = new OpenApiDouble();
  await double.start();
  dir = tempDir();
});
afterEach(async () => {
  await double.stop();
});

describe('Command: events list (CloudMonitor double)', () => {
  it('reads every page, parses the PascalCase events with JSON-string Content and prints a table', async () => {
    serveEvents(eventHistory(250));
    const io = testIo(cloudEnv(double.url), dir);
    const r = await eventsList({ ...io, region: REGION, since: '3h', now: () => NOW });
    expect(double.rejected).toEqual([]);
    // The response has no Total: the empty fourth page ends the listing.
    expect(double.callsOf('DescribeSystemEventAttribute').map((c) => c.query.PageNumber)).toEqual(['1', '2', '3', '4']);
    expect(double.callsOf('DescribeSystemEventAttribute')[0]?.query).toMatchObject({
      StartTime: String(NOW.getTime() - 3 * 3600_000),
      EndTime: String(NOW.getTime()),
    });
    expect(r.pages).toBe(4);
    expect(r.events).toHaveLength(250);
    expect(r.alerts).toHaveLength(250);
    expect(r.alerts[0]).toMatchObject({ product: 'ECS', name: 'Instance:StateChange', status: 'Stopped', resourceId: 'i-bp1fake0instance0001', severity: 'warning' });
    expect(r.alerts[1]).toMatchObject({ severity: 'critical', resourceId: 'i-bp1fake0instance0002' });
    expect(io.stdout.text()).toMatch(/time\s+severity\s+product\s+event\s+status\s+resource\s+summary/);
    expect(io.stdout.text()).toContain('i-bp1fake0instance0002');
  });

  it('keeps paging past a page shorter than PageSize when the service caps the page size (issue 15, defect 5)', async () => {
    serveEvents(eventHistory(130), 40);
    const r = await eventsList({ ...testIo(cloudEnv(double.url), dir), region: REGION, since: '3h', now: () => NOW, json: true });
    expect(double.rejected).toEqual([]);
    expect(r.events).toHaveLength(130);
    expect(new Set(r.events.map((e) => e.Id)).size).toBe(130);
    expect(r.pages).toBe(5);
  });

  it('passes one --level to the API and filters several locally; --product goes to the API', async () => {
    serveEvents(eventHistory(6));
    const one = await eventsList({ ...testIo(cloudEnv(double.url), dir), region: REGION, level: ['critical'], product: 'ECS', now: () => NOW });
    expect(double.callsOf('DescribeSystemEventAttribute')[0]?.query).toMatchObject({ Level: 'CRITICAL', Product: 'ECS' });
    expect(one.events).toHaveLength(6); // the double ignores Level; the API would filter
    const two = await eventsList({ ...testIo(cloudEnv(double.url), dir), region: REGION, level: ['CRITICAL', 'WARN'], now: () => NOW, json: true });
    const firstPages = double.callsOf('DescribeSystemEventAttribute').filter((c) => c.query.PageNumber === '1');
    expect(firstPages[1]?.query.Level).toBeUndefined();
    expect(two.events.map((e) => e.Level)).toEqual(['WARN', 'CRITICAL', 'WARN', 'CRITICAL']);
  });

  it('retries throttling on every page', async () => {
    serveEvents(eventHistory(3));
    double.throttle('DescribeSystemEventAttribute', 3);
    const r = await eventsList({ ...testIo(cloudEnv(double.url), dir), region: REGION, now: () => NOW });
    expect(r.events).toHaveLength(3);
    expect(double.callsOf('DescribeSystemEventAttribute')).toHaveLength(5); // 3 throttled, page 1, the empty page 2
  });

  it('rejects a bad --since and a missing region as usage errors', async () => {
    await expect(eventsList({ ...testIo(cloudEnv(double.url), dir), region: REGION, since: 'yesterday-ish' })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--since must be a duration') }),
    );
    await expect(eventsList({ ...testIo(cloudEnv(double.url), dir) })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('Pass --region') }),
    );
  });

  it('prints JSON through main()', async () => {
    serveEvents(eventHistory(2));
    const stdout = capture();
    const code = await main(['node', 'ecs-pulse', 'events', 'list', '--region', REGION, '--since', '1d', '--json'], {
      stdout,
      stderr: capture(),
      env: cloudEnv(double.url),
      cwd: dir,
    });
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout.text()) as { alerts: Array<{ raw?: unknown; name: string }> };
    expect(parsed.alerts).toHaveLength(2);
    expect(parsed.alerts[0]?.raw).toBeUndefined();
  });
});

describe('Command: events replay', () => {
  it('replays the history through the bundled forwarder into the local sink, exactly as the function sends it', async () => {
    // Prepare
    serveEvents(eventHistory(3));
    const io = testIo(cloudEnv(double.url), dir);
    // Act
    const r = await eventsReplay({ ...io, region: REGION, since: '1d', now: () => NOW });
    // Assess: the function's own summary and messages
    expect(r.events).toBe(3);
    expect(r.summary).toMatchObject({ alerts: 3, failed: 0 });
    expect(r.messages.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.messages)).toContain('i-bp1fake0instance0002');
    expect(io.stdout.text()).toContain('── Slack message 1/');
    expect(io.stdout.text()).toContain('Replayed 3 event(s) through the forwarder: 3 alert(s)');
    // Same messages as invoking the bundled function directly (FC 3.0 style) against another sink.
    const sink = await startSlackSink();
    const require = createRequire(import.meta.url);
    const id = require.resolve('@ecs-pulse/alicloud-fc-slack-forwarder/function');
    process.env.SLACK_WEBHOOK_URL = sink.url;
    delete require.cache[id];
    const fn = require(id) as { handler: (e: Buffer, c: object) => Promise<unknown> };
    const log = console.log;
    console.log = () => undefined;
    try {
      await fn.handler(Buffer.from(JSON.stringify({ SystemEvents: { SystemEvent: eventHistory(3) } })), { requestId: 'direct', getRemainingTimeInMS: () => 60_000 });
    } finally {
      console.log = log;
      delete process.env.SLACK_WEBHOOK_URL;
      delete require.cache[id];
      await sink.close();
    }
    const strip = (m: unknown) => JSON.stringify(m).replace(/ecs-pulse-replay-\d+|direct/g, 'REQ');
    expect(r.messages.map(strip)).toEqual(sink.messages.map(strip));
  });

  it('applies the forwarder configuration (filters) from --config', async () => {
    serveEvents(eventHistory(3));
    writeFileSync(path.join(dir, 'forwarder.json'), JSON.stringify({ filters: { include: [{ severities: ['critical'] }] } }));
    const r = await eventsReplay({ ...testIo(cloudEnv(double.url), dir), region: REGION, config: 'forwarder.json', now: () => NOW, json: true });
    expect(r.summary).toMatchObject({ alerts: 3, filtered: 2, delivered: 1, failed: 0 });
    expect(JSON.stringify(r.messages)).toContain('i-bp1fake0instance0002');
    expect(JSON.stringify(r.messages)).not.toContain('i-bp1fake0instance0001');
  });

  it('posts to a real webhook URL with --webhook and never prints it', async () => {
    serveEvents(eventHistory(2));
    const sink = await startSlackSink();
    const io = testIo(cloudEnv(double.url), dir);
    try {
      const r = await eventsReplay({ ...io, region: REGION, webhook: sink.url, now: () => NOW });
      expect(r.messages).toEqual([]); // not captured in webhook mode
      expect(sink.messages.length).toBeGreaterThan(0);
      expect(io.stdout.text() + io.stderr.text()).not.toContain(new URL(sink.url).pathname);
    } finally {
      await sink.close();
    }
  });

  it('fails with SLACK_FAILED when the function rejects its configuration, with its log lines on stderr', async () => {
    // Prepare: a config the function's own loader refuses (it fails closed)
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ routing: 'sometimes' }));
    const sink = await startSlackSink();
    const io = testIo(cloudEnv(double.url), dir);
    try {
      // Act
      const error = await eventsReplay({ ...io, events: eventHistory(1), webhook: sink.url, config: 'bad.json' }).catch((e: unknown) => e);
      // Assess
      expect(error).toMatchObject({ code: 'SLACK_FAILED', message: expect.stringContaining('The forwarder function rejected the replay (configuration or delivery).') });
      expect(io.stderr.text()).toContain('"msg":"config-invalid"');
      expect(io.stdout.text()).toBe('');
      expect(sink.messages).toEqual([]);
      expect(double.calls).toEqual([]); // the events were given, CloudMonitor was not asked
    } finally {
      await sink.close();
    }
  });
});
