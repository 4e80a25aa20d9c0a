import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFamily, parse, type Alert, type EventFamily } from '../../src/index.js';
import { FIXED_NOW, fixtureBuffer, fixtureJson, fixtureText, now, splitRawHttp } from '../helpers.js';

const ARN_I = 'acs:ecs:cn-hangzhou:1234567890123456:instance/i-bp1fake0instance0001';
const I = 'i-bp1fake0instance0001';
const ACCOUNT = '1234567890123456';

type Expected = Partial<Omit<Alert, 'details' | 'raw'>> & { details?: Record<string, unknown> };

interface Case {
  readonly file: string;
  readonly family: EventFamily | undefined;
  readonly expected: Expected;
}

const stateChange = (file: string, id: string, state: string, time: string, severity: Alert['severity']): Case => ({
  file,
  family: 'cloudmonitor-event',
  expected: {
    id,
    kind: 'system-event',
    source: 'cloudmonitor',
    product: 'ECS',
    name: 'Instance:StateChange',
    status: state,
    severity,
    resourceId: I,
    resourceArn: ARN_I,
    region: 'cn-hangzhou',
    accountId: ACCOUNT,
    time,
    summary: `ECS instance ${I} is ${state}`,
    details: { state, resourceType: 'ALIYUN::ECS::Instance', level: 'INFO', ver: '1.0' },
  },
});

const CASES: Case[] = [
  stateChange(
    'cms-event-ecs-instance-statechange-starting.json',
    '11111111-2222-4333-8444-555555555500',
    'Starting',
    '2025-03-10T01:14:55.101Z',
    'info',
  ),
  stateChange(
    'cms-event-ecs-instance-statechange-running.json',
    '11111111-2222-4333-8444-555555555501',
    'Running',
    '2025-03-10T01:15:12.377Z',
    'info',
  ),
  stateChange(
    'cms-event-ecs-instance-statechange-stopping.json',
    '11111111-2222-4333-8444-555555555502',
    'Stopping',
    '2025-03-10T10:00:01.058Z',
    'warning',
  ),
  stateChange(
    'cms-event-ecs-instance-statechange-stopped.json',
    '11111111-2222-4333-8444-555555555503',
    'Stopped',
    '2025-03-10T10:00:19.922Z',
    'warning',
  ),
  stateChange(
    'cms-event-ecs-instance-statechange-deleted.json',
    '11111111-2222-4333-8444-555555555504',
    'Deleted',
    '2025-03-11T02:02:45.610Z',
    'warning',
  ),
  {
    file: 'cms-event-ecs-instance-statechange-stopped.fc-observed-shape.json',
    family: 'cloudmonitor-event',
    expected: {
      id: '11111111-2222-4333-8444-555555555590',
      name: 'Instance:StateChange',
      status: 'Stopped',
      severity: 'warning',
      resourceId: I,
      resourceArn: ARN_I,
      resourceName: 'web-prod-01',
      time: '2025-03-10T10:00:19.922Z',
      summary: `ECS instance web-prod-01 (${I}) is Stopped`,
      details: {
        traceId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee-0',
        ruleName: 'ECSEvents',
        status: 'Normal',
        publicIpAddress: '203.0.113.10',
        privateIpAddress: '192.168.0.10',
        'timeMetrics.ingestion_in_time': 1741600819947,
        'timeMetrics.engine_out_time': 0,
      },
    },
  },
  {
    file: 'cms-event-ecs-systemmaintenance-reboot-scheduled.json',
    family: 'cloudmonitor-event',
    expected: {
      id: '11111111-2222-4333-8444-555555555510',
      name: 'Instance:SystemMaintenance.Reboot',
      status: 'Scheduled',
      severity: 'critical',
      resourceId: I,
      time: '2025-03-10T04:18:26.922Z',
      summary: `ECS instance ${I}: system maintenance reboot is scheduled, not before 2025-03-13 01:01:01 UTC`,
      details: { eventId: 'e-bp1fake0event0000001', notBefore: '2025-03-13T01:01:01Z', level: 'CRITICAL' },
    },
  },
  {
    file: 'cms-event-ecs-systemmaintenance-reboot-avoided.doc-verbatim-shape.json',
    family: 'cloudmonitor-event',
    expected: {
      name: 'Instance:SystemMaintenance.Reboot',
      // The name still says ":Scheduled"; content.eventStatus wins and the suffix is kept as nameStatus.
      status: 'Avoided',
      severity: 'ok',
      time: '2025-03-11T08:01:01.922Z',
      summary: `ECS instance ${I}: system maintenance reboot was avoided`,
      details: { nameStatus: 'Scheduled', eventStatus: 'Avoided' },
    },
  },
  {
    file: 'cms-event-ecs-systemmaintenance-reboot-executing.constructed.json',
    family: 'cloudmonitor-event',
    expected: {
      status: 'Executing',
      severity: 'critical',
      time: '2025-03-13T01:01:01.500Z',
      summary: `ECS instance ${I}: system maintenance reboot is executing since 2025-03-13 01:01:01 UTC`,
    },
  },
  {
    file: 'cms-event-ecs-systemfailure-reboot-executing.constructed.json',
    family: 'cloudmonitor-event',
    expected: {
      id: '11111111-2222-4333-8444-555555555511',
      name: 'Instance:SystemFailure.Reboot',
      status: 'Executing',
      severity: 'critical',
      time: '2025-03-11T19:14:07.210Z',
      summary: `ECS instance ${I}: system failure reboot is executing since 2025-03-11 19:14:07 UTC`,
    },
  },
  {
    file: 'cms-event-ecs-disk-stalled-executing.json',
    family: 'cloudmonitor-event',
    expected: {
      name: 'Disk:Stalled',
      status: 'Executing',
      severity: 'critical',
      resourceId: 'd-bp1fake0disk0000000a',
      resourceArn: 'acs:ecs:cn-hangzhou:1234567890123456:disk/d-bp1fake0disk0000000a',
      time: '2025-03-12T00:01:01.922Z',
      summary:
        'ECS disk d-bp1fake0disk0000000a (/dev/xvdb) on instance web-prod-01 (i-bp1fake0instance0001): I/O stalled since 2025-03-12 00:01:01 UTC',
      details: { device: '/dev/xvdb', ecsInstanceId: I, ecsInstanceName: 'web-prod-01' },
    },
  },
  {
    file: 'cms-event-ecs-disk-diskoperationcompleted.json',
    family: 'cloudmonitor-event',
    expected: {
      name: 'Disk:DiskOperationCompleted',
      status: 'accomplished',
      severity: 'info',
      resourceId: 'd-bp1fake0disk0000000a',
      summary: 'ECS disk d-bp1fake0disk0000000a: AttachDisk accomplished',
    },
  },
  {
    file: 'cms-event-ecs-snapshot-createsnapshotcompleted.json',
    family: 'cloudmonitor-event',
    expected: {
      name: 'Snapshot:CreateSnapshotCompleted',
      status: 'accomplished',
      severity: 'info',
      resourceId: 's-bp1fake0snap00000001',
      resourceArn: 'acs:ecs:cn-hangzhou:1234567890123456:snapshot/s-bp1fake0snap00000001',
      resourceName: 'nightly-web-prod-01',
      time: '2025-03-12T08:37:11.500Z',
      summary:
        'ECS snapshot nightly-web-prod-01 (s-bp1fake0snap00000001) of disk d-bp1fake0disk0000000a: creation accomplished (user snapshot)',
      details: { snapshotType: 'user', diskId: 'd-bp1fake0disk0000000a' },
    },
  },
  {
    file: 'cms-event-ecs-preemptible-interruption.json',
    family: 'cloudmonitor-event',
    expected: {
      id: '11111111-2222-4333-8444-555555555540',
      name: 'Instance:PreemptibleInstanceInterruption',
      status: 'Normal',
      // level INFO in the doc sample; a spot release is at least a warning.
      severity: 'warning',
      resourceId: I,
      summary: `ECS spot instance ${I} is interrupted and will be released in about 5 minutes`,
      details: { action: 'delete', level: 'INFO' },
    },
  },
  {
    file: 'cms-event-ecs-preemptible-interruption.console-test.json',
    family: 'cloudmonitor-event',
    expected: {
      // No id, eventTime, userId: hash id, parse time, account from the ARN.
      id: 'sha256:375648a2693b62fd5e76214eb13d13da',
      status: 'Normal',
      severity: 'warning',
      resourceId: I,
      resourceName: 'spot-worker-07',
      region: 'cn-shanghai',
      accountId: ACCOUNT,
      time: FIXED_NOW.toISOString(),
      summary: `ECS spot instance spot-worker-07 (${I}) is interrupted and will be released in about 5 minutes`,
      details: { groupId: '0', status: 'Normal', level: 'WARN', timeSource: 'received' },
    },
  },
  {
    file: 'eventbridge-ecs-statechange.INFERRED.json',
    family: 'eventbridge',
    expected: {
      id: '11111111-2222-4333-8444-555555555560',
      kind: 'system-event',
      source: 'eventbridge',
      product: 'ECS',
      name: 'Instance:StateChange',
      status: 'Stopped',
      severity: 'warning',
      resourceId: I,
      resourceArn: ARN_I,
      region: 'cn-hangzhou',
      accountId: ACCOUNT,
      time: '2025-03-10T10:00:19.922Z',
      summary: `ECS instance ${I} is Stopped`,
      details: { source: 'acs.ecs', aliyuneventbusname: 'default', state: 'Stopped' },
    },
  },
  {
    file: 'eventbridge-cloudevent-envelope.doc-example.json',
    family: 'eventbridge',
    expected: {
      id: '45ef4dewdwe1-7c35-447a-bd93-fab****',
      source: 'eventbridge',
      product: 'ALIYUNCVC',
      name: 'MeetingEvent:MemberOperate',
      status: 'Normal',
      severity: 'info',
      resourceId: '215672',
      region: 'cn-hangzhou',
      accountId: '123456789098****',
      time: '2020-11-19T13:04:41.000Z',
      summary: 'ALIYUNCVC MeetingEvent:MemberOperate on 215672',
      details: { action: 'camera_off', meetingName: 'swqd', aliyunpublishtime: '2020-11-19T21:04:42.179PRC' },
    },
  },
  {
    file: 'cms-metric-alarm-callback-ecs-cpu.form.txt',
    family: 'metric-alarm',
    expected: {
      kind: 'metric-alarm',
      source: 'cloudmonitor',
      product: 'ECS',
      name: 'Host.cpu.total',
      status: 'ALERT',
      severity: 'info',
      resourceId: I,
      resourceName: 'web-prod-01/203.0.113.10',
      region: 'cn-hangzhou',
      accountId: ACCOUNT,
      time: '2025-03-10T01:21:15.474Z',
      summary: `HighCPU: Host.cpu.total 93.48% (>= 80%) on web-prod-01/203.0.113.10 (${I})`,
      details: {
        alertName: 'HighCPU',
        curValue: '93.48',
        expression: '$Average>=80',
        lastTime: '0 minute',
        'dimensions.instanceId': I,
        'dimensions.userId': ACCOUNT,
      },
    },
  },
  {
    file: 'cms-metric-alarm-callback-ecs-cpu.decoded.json',
    family: 'metric-alarm',
    expected: {
      // Same alarm as the form body: the same hash id, whatever the encoding.
      id: 'sha256:df919c8014821d055751a64cf961e205',
      name: 'Host.cpu.total',
      status: 'ALERT',
      summary: `HighCPU: Host.cpu.total 93.48% (>= 80%) on web-prod-01/203.0.113.10 (${I})`,
    },
  },
  {
    file: 'cms-metric-alarm-callback-apigateway-alert.form.txt',
    family: 'metric-alarm',
    expected: {
      id: 'aaaaaaaa-0000-11ee-b07f-000000000001',
      product: 'ApiGateway',
      name: 'code5XX_stage',
      status: 'ALERT',
      severity: 'info',
      resourceId: '00000000000000000000000000000001',
      region: 'cn-shenzhen',
      accountId: ACCOUNT,
      time: '2025-03-10T22:35:49.981Z',
      summary: 'API网关_返回码5XX个数: code5XX_stage 9 (>= 5) on 00000000000000000000000000000001',
      details: { lastTime: '0分钟', unit: '个', productGroupName: 'shop-prod', 'dimensions.apiStageName': 'RELEASE' },
    },
  },
  {
    file: 'fc3-http-trigger-event-wrapping-cms-metric-callback.CONSTRUCTED.json',
    family: 'http-trigger',
    expected: {
      id: 'sha256:df919c8014821d055751a64cf961e205',
      kind: 'metric-alarm',
      name: 'Host.cpu.total',
      resourceId: I,
      summary: `HighCPU: Host.cpu.total 93.48% (>= 80%) on web-prod-01/203.0.113.10 (${I})`,
    },
  },
];

describe('Fixtures: every sample of the research folder', () => {
  it.each(CASES)('$file', ({ file, family, expected }) => {
    // Prepare
    const input = fixtureBuffer(`events/${file}`);
    // Act
    const alerts = parse(input, { now });
    // Assess
    expect(detectFamily(input)).toBe(family);
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    const { details, ...fields } = expected;
    expect(alert).toMatchObject(fields);
    if (details) expect(alert.details).toMatchObject(details);
    expect(alert.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(alert.resourceId).not.toMatch(/^acs:/);
  });

  it('keeps the event object as raw, and the mapped fields out of details', () => {
    const alert = parse(fixtureText('events/cms-event-ecs-instance-statechange-stopped.json'))[0]!;
    expect(alert.raw).toEqual(fixtureJson('events/cms-event-ecs-instance-statechange-stopped.json'));
    for (const key of ['id', 'product', 'name', 'eventTime', 'regionId', 'userId', 'content']) {
      expect(alert.details).not.toHaveProperty(key);
    }
  });

  it('parses the documentation example callback (unencoded body, stray ")" in dimensions, 10-digit timestamp)', () => {
    const { contentType, body } = splitRawHttp(fixtureText('events/cms-metric-alarm-callback.doc-example.raw.txt'));
    expect(contentType).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    const [alert] = parse(body, { contentType });
    expect(alert).toMatchObject({
      kind: 'metric-alarm',
      product: 'ECS',
      name: 'Host.mem.usedutilization',
      status: 'ALERT',
      severity: 'warning',
      resourceId: 'i-12****',
      resourceName: 'instance-name-****',
      accountId: '12****',
      time: '2017-10-16T06:52:40.000Z',
      summary: 'Basic monitoring-ECS-memory usage: Host.mem.usedutilization 97.39% (>= 95%) on instance-name-**** (i-12****)',
    });
    expect(alert!.details).toMatchObject({ preTriggerLevel: 'WARN', 'dimensions.userId': '12****)' });
    expect(alert!.region).toBeUndefined();
  });

  it('rejects the plain-text body of the FC doc example with UNKNOWN_FORMAT, after unwrapping it', () => {
    const input = fixtureText('events/fc3-http-trigger-event.doc-example.json');
    expect(detectFamily(input)).toBe('http-trigger');
    expect(() => parse(input)).toThrow(
      expect.objectContaining({
        name: 'EventParseError',
        code: 'UNKNOWN_FORMAT',
        message: expect.stringContaining('HTTP-trigger body is neither JSON nor a form-urlencoded body'),
      }),
    );
  });

  it('rejects the Slack error table (not an event) with UNKNOWN_FORMAT naming the batch element', () => {
    const input = fixtureText('events/slack-incoming-webhook-errors.json');
    expect(detectFamily(input)).toBeUndefined();
    expect(() => parse(input)).toThrow(
      expect.objectContaining({
        code: 'UNKNOWN_FORMAT',
        message: expect.stringMatching(/^Event \[0\] of the batch: .*top-level keys are status, body, meaning, grounding/),
        details: expect.objectContaining({ path: '[0]' }),
      }),
    );
  });

  it('covers every sample file copied from the research folder', () => {
    const dir = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
    const files = readdirSync(dir).filter((f) => f !== 'SOURCES.md');
    const covered = new Set([
      ...CASES.map((c) => c.file),
      'cms-metric-alarm-callback.doc-example.raw.txt',
      'fc3-http-trigger-event.doc-example.json',
      'slack-incoming-webhook-errors.json',
    ]);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
    expect(files).toHaveLength(24);
  });
});
