import { describe, expect, it } from 'vitest';
import { detectFamily, parse, safeParse, unwrapHttpTriggerEvent } from '../../src/index.js';
import { FIXED_NOW, fixtureBuffer, fixtureJson, fixtureText, now } from '../helpers.js';

const I = 'i-bp1fake0instance0001';
const ARN_I = `acs:ecs:cn-hangzhou:1234567890123456:instance/${I}`;

describe('Variants: CloudMonitor system events', () => {
  it('reads the 2023 shape (eventRealnameEn, curLevel, serviceType, empty groupId)', () => {
    const [alert] = parse(fixtureText('variants/cms-event-2023-shape.constructed.json'));
    expect(alert).toMatchObject({
      id: '22222222-3333-4444-8555-666666666601',
      product: 'ECS',
      name: 'Instance:PreemptibleInstanceInterruption',
      status: 'Normal',
      severity: 'warning',
      resourceId: 'i-2zefake0instance0002',
      resourceName: 'spot-batch-03',
      region: 'cn-beijing',
      time: '2023-06-01T07:30:09.123Z',
      summary: 'ECS spot instance spot-batch-03 (i-2zefake0instance0002) is interrupted and will be released in about 5 minutes',
    });
    expect(alert!.details).toMatchObject({
      serviceType: 'ECS',
      curLevel: 'WARN',
      eventType: 'StatusNotification',
      eventRealname: '抢占式实例中断通知',
      regionName: '华北2（北京）',
      groupId: '',
      ruleName: 'spot-auto-maintenance',
    });
  });

  it('JSON-parses content given as a string and derives the status from it', () => {
    const [alert] = parse(fixtureText('variants/cms-event-content-string.json'));
    expect(alert).toMatchObject({
      name: 'Instance:SystemFailure.Reboot',
      status: 'Executed',
      severity: 'ok',
      resourceId: I,
      summary: `ECS instance ${I}: system failure reboot was executed at 2025-03-11 19:30:12 UTC`,
    });
    expect(alert!.details).toMatchObject({ eventStatus: 'Executed', executeFinishTime: '2025-03-11T19:30:12Z' });
    expect(alert!.details).not.toHaveProperty('content');
  });

  it('keeps a content string that is not JSON verbatim in details.content', () => {
    const event = fixtureJson('events/cms-event-ecs-instance-statechange-running.json');
    event.content = 'state=Running (free text)';
    const [alert] = parse(event);
    expect(alert!.details.content).toBe('state=Running (free text)');
    expect(alert!.status).toBe('Normal');
    expect(alert!.resourceId).toBe(I);
  });

  it('gives any other product a generic but readable summary (CFW, status Exceeded, counters as strings)', () => {
    const [alert] = parse(fixtureBuffer('variants/cms-event-cfw-exceeded.constructed.json'));
    expect(alert).toMatchObject({
      product: 'cfw',
      name: 'IPS:TrafficExceeded',
      status: 'Exceeded',
      severity: 'warning',
      resourceId: 'cfw-fake0000001',
      resourceArn: 'acs:cfw:cn-hangzhou:1234567890123456:instance/cfw-fake0000001',
      time: '2020-12-15T02:15:10.000Z',
      summary: 'cfw IPS:TrafficExceeded: Exceeded on cfw-fake0000001',
    });
    expect(alert!.details).toMatchObject({ ExceedCount: '8', status: 'Exceeded', 'timeMetrics.event_time': 1608000910000 });
  });

  it('uses eventRealnameEn in the generic summary of an unknown product', () => {
    const [alert] = parse({
      product: 'RDS',
      name: 'Instance:FailoverStart',
      eventRealnameEn: 'Primary/secondary switchover started',
      level: 'CRITICAL',
      resourceId: 'acs:rds:cn-hangzhou:1234567890123456:dbinstance/rm-fake0001',
      eventTime: '20250310T120000.000+0800',
      content: { instanceName: 'orders-db' },
    });
    expect(alert).toMatchObject({
      severity: 'critical',
      resourceId: 'rm-fake0001',
      resourceName: 'orders-db',
      summary: 'RDS Primary/secondary switchover started (Instance:FailoverStart) on orders-db (rm-fake0001)',
    });
  });

  it('tolerates missing optional fields: no id, no time, no region, no userId, no content', () => {
    const input = { product: 'ECS', name: 'Instance:StateChange', resourceId: I };
    const [a] = parse(input, { now });
    const [b] = parse(JSON.stringify(input, null, 2), { now });
    expect(a).toMatchObject({ resourceId: I, status: 'Normal', severity: 'info', time: FIXED_NOW.toISOString() });
    expect(a!.region).toBeUndefined();
    expect(a!.accountId).toBeUndefined();
    expect(a!.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(b!.id).toBe(a!.id);
    expect(a!.details).toEqual({ timeSource: 'received' });
  });

  it('prefixes top-level keys that collide with content keys with "event."', () => {
    const [alert] = parse({
      product: 'ECS',
      name: 'Instance:StateChange',
      resourceId: ARN_I,
      status: 'Normal',
      content: { state: 'Running', status: 'content-status' },
    });
    expect(alert!.details).toMatchObject({ status: 'content-status', 'event.status': 'Normal', state: 'Running' });
  });

  it('summarizes the other documented ECS events', () => {
    const base = { ver: '1.0', product: 'ECS', resourceId: ARN_I, level: 'INFO', regionId: 'cn-hangzhou', eventTime: '20190409T121826.922+0800' };
    const one = (name: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      parse({ ...base, ...extra, name, content })[0]!;

    expect(one('Instance:BurstablePerformanceRestricted', { instanceId: I, intervalStart: '2019-11-11T11:00Z', intervalEnd: '2019-11-11T12:00Z' }))
      .toMatchObject({
        severity: 'warning',
        summary: `ECS burstable instance ${I} is limited to its baseline performance (CPU credits used up) from 2019-11-11 11:00:00 UTC to 2019-11-11 12:00:00 UTC`,
      });
    expect(one('Instance:PerformanceModeChange', { instanceId: I, creditSpecification: 'Unlimited', operator: 'System' })).toMatchObject({
      severity: 'info',
      summary: `ECS burstable instance ${I}: performance mode changed to Unlimited by System`,
    });
    const migration = { instanceId: I, sourceDedicatedHostId: 'dh-a', destinationDedicatedHostId: 'dh-b', startTime: '2018-06-08T01:25:37Z' };
    expect(one('Instance:LiveMigrationAcrossDDH', { ...migration, status: 'started' }, { instanceName: 'ddh-vm' })).toMatchObject({
      status: 'started',
      severity: 'info',
      summary: `ECS instance ddh-vm (${I}): live migration from dedicated host dh-a to dh-b started`,
    });
    expect(one('Instance:LiveMigrationAcrossDDH', { ...migration, status: 'failed' })).toMatchObject({ status: 'failed', severity: 'warning' });
    expect(
      one('Instance:SystemMaintenance.Redeploy:Inquiring', { eventStatus: 'Inquiring', notBefore: '2025-03-13T01:01:01Z' }, { level: 'CRITICAL' }),
    ).toMatchObject({
      name: 'Instance:SystemMaintenance.Redeploy',
      status: 'Inquiring',
      severity: 'critical',
      summary: `ECS instance ${I}: system maintenance redeploy awaits your authorization (inquiring), not before 2025-03-13 01:01:01 UTC`,
    });
    expect(one('Instance:SystemMaintenance.Reboot:Canceled', { eventStatus: 'Canceled' }, { level: 'CRITICAL' })).toMatchObject({
      severity: 'ok',
      summary: `ECS instance ${I}: system maintenance reboot was canceled`,
    });
    expect(one('Instance:SystemMaintenance.Reboot:Failed', { eventStatus: 'Failed' }, { level: 'CRITICAL' })).toMatchObject({
      severity: 'critical',
      summary: `ECS instance ${I}: system maintenance reboot failed`,
    });
    expect(one('Instance:SystemFailure.Delete:Executed', { eventStatus: 'Executed' }, { level: 'CRITICAL' })).toMatchObject({
      severity: 'critical',
    });
    expect(one('Instance:SystemMaintenance.Stop:Executed', { eventStatus: 'Executed' }, { level: 'CRITICAL' })).toMatchObject({
      severity: 'warning',
    });
    expect(one('Instance:Security.TpmAlert:Executing', { eventStatus: 'Executing' }, { level: 'WARN' })).toMatchObject({
      severity: 'warning',
      summary: `ECS instance ${I}: security tpm alert is executing`,
    });
    const disk = { ...base, resourceId: 'acs:ecs:cn-hangzhou:1234567890123456:disk/d-fake' };
    expect(
      parse({ ...disk, name: 'Disk:Stalled:Executing', level: 'CRITICAL', content: { eventStatus: 'Executed', eventType: 'SeverelyDegraded', device: '/dev/vdb', executeFinishTime: '2025-03-12T00:05:00Z' } })[0],
    ).toMatchObject({
      status: 'Executed',
      severity: 'ok',
      summary: 'ECS disk d-fake (/dev/vdb): I/O performance severely degraded ended at 2025-03-12 00:05:00 UTC',
    });
    expect(parse({ ...disk, name: 'Disk:ErrorDetected:Executing', level: 'CRITICAL', content: { ecsInstanceId: I } })[0]).toMatchObject({
      severity: 'critical',
      summary: `ECS disk d-fake on instance ${I}: local disk error detected`,
    });
    expect(parse({ ...disk, name: 'Disk:DiskOperationCompleted', level: 'WARN', content: { operation: 'DetachDisk', result: 'failed' } })[0]).toMatchObject({
      status: 'failed',
      severity: 'warning',
      summary: 'ECS disk d-fake: DetachDisk failed',
    });
    expect(parse({ ...disk, name: 'Disk:OverduePaymentRelease', level: 'CRITICAL', content: {} })[0]).toMatchObject({
      severity: 'critical',
      summary: 'ECS disk d-fake was released because of overdue payment',
    });
    expect(parse({ ...disk, name: 'Disk:ConvertToPostpaidCompleted', content: { result: 'accomplished' } })[0]).toMatchObject({
      summary: 'ECS disk d-fake: conversion to pay-as-you-go accomplished',
    });
  });
});

describe('Variants: DescribeSystemEventAttribute (PascalCase API shape)', () => {
  it('expands the response body into one alert per event', () => {
    const alerts = parse(fixtureText('variants/api-describe-system-event-attribute.INFERRED.json'));
    expect(detectFamily(fixtureText('variants/api-describe-system-event-attribute.INFERRED.json'))).toBe('cloudmonitor-api-event');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({
      id: '33333333-4444-4555-8666-777777777701',
      source: 'cloudmonitor',
      product: 'ECS',
      name: 'Instance:PreemptibleInstanceInterruption',
      severity: 'warning',
      resourceId: I,
      resourceArn: ARN_I,
      region: 'cn-hangzhou',
      accountId: '1234567890123456',
      time: '2025-03-12T04:18:26.922Z',
      summary: `ECS spot instance ${I} is interrupted and will be released in about 5 minutes`,
    });
    // InstanceName falls back to the id in the API: not a name.
    expect(alerts[0]!.resourceName).toBeUndefined();
    expect(alerts[0]!.details).toMatchObject({ level: 'WARN', status: 'Normal', groupId: '0', eventType: 'StatusNotification', action: 'delete' });
    expect(alerts[1]).toMatchObject({ status: 'Stopped', severity: 'warning', resourceName: 'web-prod-01', time: '2025-03-10T10:00:19.922Z' });
  });

  it('parses a single API event object, and the SDK model (camelCase, time in ms, content string)', () => {
    const body = fixtureJson<{ SystemEvents: { SystemEvent: Record<string, unknown>[] } }>(
      'variants/api-describe-system-event-attribute.INFERRED.json',
    );
    const event = body.SystemEvents.SystemEvent[1]!;
    expect(detectFamily(event)).toBe('cloudmonitor-api-event');
    expect(parse(event)[0]).toMatchObject({ id: '33333333-4444-4555-8666-777777777702', status: 'Stopped' });
    const sdkModel = Object.fromEntries(Object.entries(event).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]));
    expect(parse({ systemEvents: { systemEvent: [sdkModel] } })[0]).toMatchObject({
      id: '33333333-4444-4555-8666-777777777702',
      name: 'Instance:StateChange',
      status: 'Stopped',
      time: '2025-03-10T10:00:19.922Z',
      resourceName: 'web-prod-01',
    });
  });

  it('returns no alerts for an empty result page', () => {
    expect(parse({ Code: '200', SystemEvents: { SystemEvent: [] } })).toEqual([]);
  });
});

describe('Variants: EventBridge batch and redelivery', () => {
  it('parses a batch into one alert per CloudEvent and keeps redelivered ids', () => {
    const text = fixtureText('variants/eventbridge-batch.json');
    expect(detectFamily(text)).toBe('eventbridge');
    const alerts = parse(text);
    expect(alerts.map((a) => a.id)).toEqual([
      '44444444-5555-4666-8777-888888888801',
      '44444444-5555-4666-8777-888888888802',
      '44444444-5555-4666-8777-888888888802',
    ]);
    expect(alerts[0]).toMatchObject({
      source: 'eventbridge',
      name: 'Instance:SystemMaintenance.Reboot',
      status: 'Scheduled',
      severity: 'critical',
      time: '2025-03-10T04:18:26.922Z',
      summary: `ECS instance ${I}: system maintenance reboot is scheduled, not before 2025-03-13 01:01:01 UTC`,
    });
    expect(alerts[1]).toMatchObject({ status: 'Stopping', severity: 'warning' });
    expect(alerts[2]!.raw).toEqual(JSON.parse(text)[2]);
  });

  it('reports the failing element of a batch with its index', () => {
    const batch = fixtureJson<Record<string, unknown>[]>('variants/eventbridge-batch.json');
    delete batch[1]!.type;
    const result = safeParse(batch);
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.code).toBe('MISSING_FIELD');
      expect(result.error.message).toMatch(/^Event \[1\] of the batch: The EventBridge CloudEvent has no "type"/);
      expect(result.error.details).toMatchObject({ path: '[1].type', family: 'eventbridge' });
    }
  });

  it('reads data given as a JSON string and data_base64', () => {
    const ce = fixtureJson('events/eventbridge-ecs-statechange.INFERRED.json');
    const data = ce.data;
    expect(parse({ ...ce, data: JSON.stringify(data) })[0]!.status).toBe('Stopped');
    const { data: _omit, ...rest } = ce;
    expect(parse({ ...rest, data_base64: Buffer.from(JSON.stringify(data)).toString('base64') })[0]!.status).toBe('Stopped');
  });

  it('takes the time from aliyunpublishtime (PRC = UTC+8) when time is absent', () => {
    const ce = fixtureJson('events/eventbridge-cloudevent-envelope.doc-example.json');
    delete ce.time;
    expect(parse(ce)[0]!.time).toBe('2020-11-19T13:04:42.179Z');
  });
});

describe('Variants: FC 3.0 HTTP-trigger envelope', () => {
  const file = 'variants/fc3-http-trigger-base64-cloudevent-batch.constructed.json';

  it('base64-decodes the body and parses it by its content type', () => {
    const input = fixtureBuffer(file);
    expect(detectFamily(input)).toBe('http-trigger');
    const alerts = parse(input);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ source: 'eventbridge', status: 'Stopped', id: '11111111-2222-4333-8444-555555555560' });
  });

  it('unwraps method, path, lower-cased headers, query and decoded body', () => {
    const request = unwrapHttpTriggerEvent(fixtureBuffer(file));
    expect(request).toMatchObject({
      method: 'POST',
      path: '/events',
      rawPath: '/events',
      contentType: 'application/cloudevents-batch+json; charset=utf-8',
      sourceIp: '198.51.100.7',
      requestId: '1-64f6cd87-fake0000000000000000002',
    });
    expect(request.headers['x-forwarded-proto']).toBe('https');
    expect(request.query.token).toBe('FAKE-SHARED-SECRET');
    expect(Object.getPrototypeOf(request.query)).toBeNull();
    expect((request.query as Record<string, unknown>).constructor).toBeUndefined();
    expect(JSON.parse(request.body)[0].type).toBe('ecs:Instance:StateChange');
  });

  it('unwraps the metric-callback envelope without base64', () => {
    const request = unwrapHttpTriggerEvent(fixtureJson('events/fc3-http-trigger-event-wrapping-cms-metric-callback.CONSTRUCTED.json'));
    expect(request.contentType).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    expect(request.body).toBe(fixtureText('events/cms-metric-alarm-callback-ecs-cpu.form.txt').trim());
    expect(request.query).toEqual(Object.assign(Object.create(null), { token: 'FAKE-SHARED-SECRET' }));
  });

  it('parses a form body whose envelope lost its content type by sniffing', () => {
    const env = fixtureJson<Record<string, unknown>>('events/fc3-http-trigger-event-wrapping-cms-metric-callback.CONSTRUCTED.json');
    env.headers = {};
    expect(parse(env)[0]!.kind).toBe('metric-alarm');
  });
});

describe('Variants: prototype keys as values (found by the fuzz test)', () => {
  it('a level, triggerLevel, namespace or eventType of "__proto__"/"constructor" is just an unknown value', () => {
    const [alarm] = parse('alertName=!&alertState=ALERT&triggerLevel=__proto__&namespace=__proto__');
    expect(alarm).toMatchObject({ severity: 'warning', product: '__PROTO__' });
    const [event] = parse({
      product: 'ECS',
      name: 'Disk:Stalled:Executing',
      level: 'constructor',
      resourceId: 'acs:ecs:cn-hangzhou:1:disk/d-x',
      content: { eventType: '__proto__' },
    });
    expect(event).toMatchObject({ severity: 'critical', summary: 'ECS disk d-x: I/O performance impaired' });
    const [other] = parse({ product: 'ECS', name: 'Instance:SystemMaintenance.Reboot:Scheduled', level: 'toString', content: {} });
    expect(other!.severity).toBe('critical');
  });

  it('a metric dimension holding an ARN gives the bare id and the ARN', () => {
    const [alarm] = parse('alertName=a&alertState=ALERT&metricName=m&dimensions=%7BresourceId%3Dacs%3Aecs%3Acn-hangzhou%3A1%3Ainstance%2Fi-arn%7D');
    expect(alarm).toMatchObject({ resourceId: 'i-arn', resourceArn: 'acs:ecs:cn-hangzhou:1:instance/i-arn' });
  });
});

describe('Variants: metric-alarm callbacks', () => {
  it('maps an OK recovery with a 10-digit timestamp to severity ok', () => {
    const text = fixtureText('variants/cms-metric-alarm-callback-ok-recovery.form.txt');
    expect(detectFamily(text, { contentType: 'application/x-www-form-urlencoded' })).toBe('metric-alarm');
    const [alert] = parse(text, { contentType: 'application/x-www-form-urlencoded' });
    expect(alert).toMatchObject({
      kind: 'metric-alarm',
      product: 'ECS',
      name: 'CPUUtilization',
      status: 'OK',
      severity: 'ok',
      resourceId: I,
      resourceName: 'web-prod-01',
      time: '2025-03-10T01:31:15.000Z',
      summary: `HighCPU recovered: CPUUtilization 12.5% (alerts at >= 80%) on web-prod-01 (${I})`,
    });
    expect(alert!.details).toMatchObject({ lastTime: '2分钟', triggerLevel: 'OK', preTriggerLevel: 'INFO' });
  });

  it('drops "null" strings and decodes the body exactly once (a literal %25 stays %)', () => {
    const body = 'alertName=Disk+%25+full&alertState=ALERT&metricName=diskusage_utilization&curValue=91&expression=%24Maximum%3E%3D90&instanceName=null&regionId=null&triggerLevel=CRITICAL&dimensions=%7BinstanceId%3Di-x%2C+device%3D%2Fdev%2Fvda1%7D&timestamp=1741569675474';
    const [alert] = parse(body);
    expect(alert).toMatchObject({
      severity: 'critical',
      resourceId: 'i-x',
      summary: 'Disk % full: diskusage_utilization 91% (>= 90%) on i-x',
    });
    expect(alert!.resourceName).toBeUndefined();
    expect(alert!.region).toBeUndefined();
    expect(alert!.details).toMatchObject({ 'dimensions.device': '/dev/vda1' });
    expect(alert!.details).not.toHaveProperty('instanceName');
  });

  it('summarizes INSUFFICIENT_DATA as a warning about missing data', () => {
    const [alert] = parse('alertName=NoHeartbeat&alertState=INSUFFICIENT_DATA&metricName=Host.heartbeat&dimensions=%7BinstanceId%3Di-x%7D');
    expect(alert).toMatchObject({ severity: 'warning', summary: 'NoHeartbeat: no data for Host.heartbeat on i-x' });
  });
});
