import { sinkReply, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { describe, expect, it } from 'vitest';
import { cloudEvent, coldStart, fc3Context, fixtureBuffer, LogCapture, useSinkAndLogs } from '../helpers.js';

// Filters and routes of the BUILT bundle, configured through ECS_PULSE_CONFIG as a deployment would.

let sink: SlackSink;
const logs = new LogCapture();
const url = (name: string): string => `${sink.origin}/services/T0ROUTES/B0${name.toUpperCase()}/${name}-secret-path`;
const pathOf = (name: string): string => new URL(url(name)).pathname;
const postedTo = (): string[] => sink.messages.map((_, i) => sink.requests.filter((r) => r.status === 200)[i]!.path);

useSinkAndLogs(logs, (started) => (sink = started));

const critical = (id: string) =>
  cloudEvent(id, { eventId: 'e-bp1fake', instanceId: 'i-bp1critical000000001', eventType: 'SystemFailure.Reboot', eventStatus: 'Executing' }, 'ecs:Instance:SystemFailure.Reboot');
const stopped = (id: string) => cloudEvent(id, { resourceId: 'i-bp1stopped0000000001', resourceType: 'ALIYUN::ECS::Instance', state: 'Stopped' });
const running = (id: string) => cloudEvent(id, { resourceId: 'i-bp1running0000000001', resourceType: 'ALIYUN::ECS::Instance', state: 'Running' });

describe('Behaviour: filters', () => {
  it('drops alerts that match an exclude matcher and logs them as filtered', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL: url('default'),
      ECS_PULSE_CONFIG: JSON.stringify({ filters: { exclude: [{ names: ['Instance:StateChange'], statuses: ['Running'] }] } }),
    });
    const result = await fn.handler(Buffer.from(JSON.stringify([running('f-1'), stopped('f-2')])), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { alerts: 2, delivered: 1, filtered: 1 } });
    expect(sink.messages).toHaveLength(1);
    expect(JSON.stringify(sink.messages[0])).toContain('i-bp1stopped0000000001');
    expect(logs.byMsg('alert').map((l) => [l.id, l.outcome])).toEqual([
      ['f-1', 'filtered'],
      ['f-2', 'delivered'],
    ]);
  });

  it('keeps only alerts matching an include matcher (product, resource id glob)', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL: url('default'),
      ECS_PULSE_CONFIG: JSON.stringify({ filters: { include: [{ products: ['ecs'], resourceIds: ['i-bp1stopped*'] }] } }),
    });
    await fn.handler(Buffer.from(JSON.stringify([running('i-1'), stopped('i-2')])), fc3Context());
    expect(sink.messages).toHaveLength(1);
    expect(JSON.stringify(sink.messages[0])).toContain('i-bp1stopped0000000001');
    expect(JSON.stringify(sink.messages[0])).not.toContain('i-bp1running0000000001');
  });

  it('filters by severity (what eventSource.levels compiles to)', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL: url('default'),
      ECS_PULSE_CONFIG: JSON.stringify({ filters: { exclude: [{ kinds: ['system-event'], severities: ['info', 'warning'] }] } }),
    });
    const result = await fn.handler(Buffer.from(JSON.stringify([running('s-1'), stopped('s-2'), critical('s-3')])), fc3Context());
    expect(result).toMatchObject({ summary: { delivered: 1, filtered: 2 } });
    expect(logs.byMsg('alert').find((l) => l.outcome === 'delivered')).toMatchObject({ id: 's-3', severity: 'critical' });
  });
});

describe('Behaviour: ActionTrail events (issue 15, defect 6)', () => {
  const apiCall = (id: string) =>
    cloudEvent(id, { eventName: 'RunInstances', eventSource: 'ecs.aliyuncs.com', userIdentity: { type: 'ram-user' } }, 'ecs:ActionTrail:ApiCall');

  it('drops ActionTrail API-call events by default and logs them as filtered', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default') });
    const result = await fn.handler(Buffer.from(JSON.stringify([apiCall('a-1'), stopped('a-2')])), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { alerts: 2, delivered: 1, filtered: 1 } });
    expect(logs.byMsg('alert').map((l) => [l.id, l.outcome])).toEqual([
      ['a-1', 'filtered'],
      ['a-2', 'delivered'],
    ]);
  });

  it('keeps them when the configuration asks for them (actionTrail: true)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default'), ECS_PULSE_CONFIG: JSON.stringify({ actionTrail: true }) });
    const result = await fn.handler(Buffer.from(JSON.stringify([apiCall('b-1')])), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { alerts: 1, delivered: 1 } });
  });
});

describe('Behaviour: routes', () => {
  const routes = () => [
    { name: 'oncall', webhookUrlEnv: 'SLACK_WEBHOOK_URL_ONCALL', match: { severities: ['critical'] } },
    { name: 'ecs', webhookUrlEnv: 'SLACK_WEBHOOK_URL_ECS', match: { products: ['ECS'] } },
  ];

  it('first-match (default): each alert goes to the first matching route; one digest per route', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL_ONCALL: url('oncall'),
      SLACK_WEBHOOK_URL_ECS: url('ecs'),
      ECS_PULSE_CONFIG: JSON.stringify({ routes: routes() }),
    });
    const result = await fn.handler(Buffer.from(JSON.stringify([critical('r-1'), stopped('r-2'), running('r-3')])), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { alerts: 3, delivered: 3 } });
    expect(postedTo().sort()).toEqual([pathOf('ecs'), pathOf('oncall')].sort());
    const byRoute = Object.fromEntries(logs.byMsg('alert').map((l) => [l.id, l.route]));
    expect(byRoute).toEqual({ 'r-1': 'oncall', 'r-2': 'ecs', 'r-3': 'ecs' });
  });

  it('all-matches: an alert goes to every matching route', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL_ONCALL: url('oncall'),
      SLACK_WEBHOOK_URL_ECS: url('ecs'),
      ECS_PULSE_CONFIG: JSON.stringify({ routes: routes(), routing: 'all-matches' }),
    });
    const result = await fn.handler(Buffer.from(JSON.stringify(critical('a-1'))), fc3Context());
    expect(result).toMatchObject({ summary: { alerts: 1, delivered: 2 } });
    expect(postedTo().sort()).toEqual([pathOf('ecs'), pathOf('oncall')].sort());
  });

  it('falls back to SLACK_WEBHOOK_URL when no route matches, and logs unrouted alerts when there is none', async () => {
    const onlyOncall = [routes()[0]!];
    const withDefault = coldStart({ SLACK_WEBHOOK_URL: url('default'), SLACK_WEBHOOK_URL_ONCALL: url('oncall'), ECS_PULSE_CONFIG: JSON.stringify({ routes: onlyOncall }) });
    await withDefault.handler(Buffer.from(JSON.stringify(stopped('d-1'))), fc3Context());
    expect(postedTo()).toEqual([pathOf('default')]);

    sink.reset();
    const noDefault = coldStart({ SLACK_WEBHOOK_URL_ONCALL: url('oncall'), ECS_PULSE_CONFIG: JSON.stringify({ routes: onlyOncall }) });
    expect(logs.byMsg('config-warning').at(-1)!.warnings).toContain('SLACK_WEBHOOK_URL is not set: alerts that match no route are logged as "unrouted" and dropped');
    const result = await noDefault.handler(Buffer.from(JSON.stringify(stopped('d-2'))), fc3Context());
    expect(result).toMatchObject({ ok: true, summary: { unrouted: 1, delivered: 0 } });
    expect(sink.requests).toHaveLength(0);
    expect(logs.byMsg('alert').at(-1)).toMatchObject({ id: 'd-2', outcome: 'unrouted', level: 'warn' });
  });

  it('applies per-route message options (title prefix)', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL: url('default'),
      ECS_PULSE_CONFIG: JSON.stringify({ message: { titlePrefix: '[prod]' } }),
    });
    await fn.handler(fixtureBuffer('eventbridge-ecs-statechange.INFERRED.json'), fc3Context());
    expect((sink.messages[0] as { text: string }).text.startsWith('[prod]')).toBe(true);
  });

  it('partial failure: throws, remembers the route that delivered, and re-posts only the failed route on retry', async () => {
    const fn = coldStart({
      SLACK_WEBHOOK_URL_ONCALL: url('oncall'),
      SLACK_WEBHOOK_URL_ECS: url('ecs'),
      ECS_PULSE_CONFIG: JSON.stringify({ routes: routes(), routing: 'all-matches', slack: { maxAttempts: 1 } }),
    });
    sink.script((request) => (request.path === pathOf('oncall') ? sinkReply.serverError(503) : undefined));
    const event = Buffer.from(JSON.stringify(critical('p-1')));
    const error = await fn.handler(event, fc3Context()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DELIVERY_FAILED', failures: [{ route: 'oncall', alertIds: ['p-1'], retryable: true }] });
    expect(postedTo()).toEqual([pathOf('ecs')]);
    expect(logs.byMsg('invocation').at(-1)).toMatchObject({ outcome: 'partial', delivered: 1, failed: 1 });

    sink.reset();
    const retry = await fn.handler(event, fc3Context());
    expect(retry).toMatchObject({ ok: true, summary: { delivered: 1 } });
    expect(postedTo()).toEqual([pathOf('oncall')]);
    expect(logs.byMsg('alert').filter((l) => l.outcome === 'duplicate').map((l) => l.route)).toEqual(['ecs']);
  });

  it('rejects a route whose webhook variable is missing (fails closed)', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL: url('default'), ECS_PULSE_CONFIG: JSON.stringify({ routes: routes() }) });
    await expect(fn.handler(Buffer.from(JSON.stringify(stopped('m-1'))), fc3Context())).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      issues: [
        'ECS_PULSE_CONFIG.routes[0].webhookUrlEnv: environment variable SLACK_WEBHOOK_URL_ONCALL is not set',
        'ECS_PULSE_CONFIG.routes[1].webhookUrlEnv: environment variable SLACK_WEBHOOK_URL_ECS is not set',
      ],
    });
    expect(sink.requests).toHaveLength(0);
  });

  it('keeps route webhook URLs out of the logs', async () => {
    const fn = coldStart({ SLACK_WEBHOOK_URL_ONCALL: url('oncall'), SLACK_WEBHOOK_URL_ECS: url('ecs'), ECS_PULSE_CONFIG: JSON.stringify({ routes: routes() }) });
    sink.script(sinkReply.invalidPayload());
    await fn.handler(Buffer.from(JSON.stringify([critical('l-1'), stopped('l-2')])), fc3Context()).catch(() => undefined);
    expect(logs.text()).not.toContain('secret-path');
  });
});
