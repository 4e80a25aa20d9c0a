import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { alarms } from '../../src/commands/alarms.js';
import { cloudEnv } from '../helpers/cloud-env.js';
import { deployedStack } from '../helpers/deployed-stack.js';
import { tempDir } from '../helpers/fake-tools.js';
import { testIo } from '../helpers/io.js';
import { expectParams, OpenApiDouble } from '../helpers/openapi-double.js';
import { alarmsDouble } from '../helpers/cms-double.js';

let double: OpenApiDouble;
let dir: string;
const NOW = new Date('2026-11-24T12:00:00Z');

beforeEach(async () => {
  double = new OpenApiDouble();
  await double.start();
  dir = tempDir();
  double.on('2019-01-01', 'DescribeMetricRuleList', (call) => {
    expectParams(call, { Page: /^\d+$/, PageSize: '100', RuleName: 'ecs-pulse' });
    return {
      json: {
        RequestId: 'R-MRL', Success: true, Code: 200, Total: '2',
        Alarms: {
          Alarm: [
            { RuleId: 'r-cpu', RuleName: 'ecs-pulse-cpu-high', MetricName: 'CPUUtilization', Namespace: 'acs_ecs_dashboard', AlertState: 'ALARM', EnableState: true, Webhook: 'https://x.fcapp.run/?token=SECRETTOKEN123' },
            { RuleId: 'r-net', RuleName: 'ecs-pulse-net-in', MetricName: 'IntranetInRate', Namespace: 'acs_ecs_dashboard', AlertState: 'OK', EnableState: true },
          ],
        },
      },
    };
  });
  double.on('2019-01-01', 'DescribeAlertLogList', (call) => {
    expectParams(call, { StartTime: String(NOW.getTime() - 86_400_000), EndTime: String(NOW.getTime()), PageNumber: /^\d+$/ });
    return {
      json: {
        RequestId: 'R-ALL', Success: true, PageNumber: 1, PageSize: 100,
        AlertLogList: [
          { AlertTime: String(NOW.getTime() - 600_000), RuleId: 'r-cpu', RuleName: 'ecs-pulse-cpu-high', InstanceId: 'i-bp1fake0instance0001', Level: 'CRITICAL', LevelChange: 'OK->CRITICAL', SendStatus: '0', Message: 'CPU 97%' },
          { AlertTime: String(NOW.getTime() - 500_000), RuleId: 'r-other', RuleName: 'someone-else', InstanceId: 'i-x', Level: 'WARN', LevelChange: 'OK->WARN', SendStatus: '0', Message: '' },
        ],
      },
    };
  });
});
afterEach(async () => {
  await double.stop();
});

describe('Command: alarms', () => {
  it('lists the rules and their alert history, keeping only the listed rules and hiding webhook URLs', async () => {
    const io = testIo(cloudEnv(double.url), dir);
    const r = await alarms({ ...io, region: 'cn-hangzhou', name: 'ecs-pulse', now: () => NOW });
    expect(double.rejected).toEqual([]);
    expect(r.rules).toEqual([
      { ruleId: 'r-cpu', ruleName: 'ecs-pulse-cpu-high', metric: 'CPUUtilization', namespace: 'acs_ecs_dashboard', state: 'ALARM', enabled: true, hasWebhook: true },
      { ruleId: 'r-net', ruleName: 'ecs-pulse-net-in', metric: 'IntranetInRate', namespace: 'acs_ecs_dashboard', state: 'OK', enabled: true, hasWebhook: false },
    ]);
    expect(r.history).toHaveLength(1);
    expect(r.history[0]).toMatchObject({ ruleId: 'r-cpu', levelChange: 'OK->CRITICAL', time: '2026-11-24T11:50:00.000Z' });
    expect(io.stdout.text()).toMatch(/ecs-pulse-cpu-high\s+CPUUtilization\s+ALARM\s+yes\s+yes/);
    expect(io.stdout.text()).not.toContain('SECRETTOKEN123');
  });

  it('retries throttled history pages and fails clearly on an unknown region code', async () => {
    double.throttle('DescribeAlertLogList', 1);
    const r = await alarms({ ...testIo(cloudEnv(double.url), dir), region: 'cn-hangzhou', name: 'ecs-pulse', now: () => NOW, json: true });
    expect(r.history).toHaveLength(1);
    double.fail('DescribeMetricRuleList', { status: 400, json: { Code: 'InvalidRegionId', Message: 'bad region', RequestId: 'R' } });
    await expect(alarms({ ...testIo(cloudEnv(double.url), dir), region: 'xx-nowhere-1', name: 'ecs-pulse' })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_REGION' }),
    );
  });

  it("lists exactly the stack's alarm_rule_ids rules (RuleIds, no namespace scan) and only their history", async () => {
    // Prepare
    const stack = await deployedStack({ region: 'cn-hangzhou', alarm_rule_ids: ['r-cpu', 'r-net'] });
    double.on('2019-01-01', 'DescribeMetricRuleList', (call) => {
      expectParams(call, { RuleIds: 'r-cpu,r-net' });
      if (call.query.Namespace !== undefined || call.query.RuleName !== undefined) throw new Error('the stack rules must be asked for by id only');
      return {
        json: {
          RequestId: 'R-MRL', Success: true, Code: 200, Total: '1',
          Alarms: { Alarm: [{ RuleId: 'r-cpu', RuleName: 'ecs-pulse-hosts-server-cpu', MetricName: 'CPUUtilization', Namespace: 'acs_ecs_dashboard', AlertState: 'OK', EnableState: true, Webhook: 'https://x.fcapp.run/?token=T' }] },
        },
      };
    });
    const io = testIo(cloudEnv(double.url, stack.env), stack.root);
    // Act
    const r = await alarms({ ...io, app: stack.app, now: () => NOW });
    // Assess
    expect(double.rejected).toEqual([]);
    expect(r.region).toBe('cn-hangzhou');
    expect(r.rules.map((x) => x.ruleId)).toEqual(['r-cpu']);
    expect(r.history.map((h) => h.ruleId)).toEqual(['r-cpu']); // r-other is someone else's
    expect(io.stderr.text()).not.toContain('no alarm_rule_ids output');
  });

  it('reads nothing when the stack says it has no alarms (empty alarm_rule_ids)', async () => {
    const stack = await deployedStack({ region: 'cn-hangzhou', alarm_rule_ids: [] });
    const io = testIo(cloudEnv(double.url, stack.env), stack.root);
    const r = await alarms({ ...io, app: stack.app, now: () => NOW });
    expect(r).toEqual({ region: 'cn-hangzhou', rules: [], history: [] });
    expect(double.calls).toEqual([]);
    expect(io.stdout.text()).toContain('The stack has no CloudMonitor alarm rules (its alarm_rule_ids output is empty: alarms are off).');
  });

  it('falls back to every acs_ecs_dashboard rule only for a stack without the output, and says so', async () => {
    const stack = await deployedStack({ region: 'cn-hangzhou', server_instance_id: 'i-1' });
    double.on('2019-01-01', 'DescribeMetricRuleList', (call) => {
      expectParams(call, { Namespace: 'acs_ecs_dashboard' });
      return { json: { RequestId: 'R', Success: true, Code: 200, Total: '0', Alarms: { Alarm: [] } } };
    });
    const io = testIo(cloudEnv(double.url, stack.env), stack.root);
    const r = await alarms({ ...io, app: stack.app, now: () => NOW });
    expect(double.rejected).toEqual([]);
    expect(r.rules).toEqual([]);
    expect(io.stderr.text()).toContain('The stack has no alarm_rule_ids output (deployed with an older ecs-pulse?)');
  });
});

describe('Command: alarms within the CloudMonitor limits (issue 15, defects 2 and 3)', () => {
  const rule = (i: number) => ({ RuleId: `r-${String(i).padStart(3, '0')}`, RuleName: `ecs-pulse-rule-${i}`, MetricName: 'CPUUtilization', Namespace: 'acs_ecs_dashboard', AlertState: 'OK', EnableState: true });
  const ids = Array.from({ length: 45 }, (_, i) => rule(i).RuleId);

  it('asks for the stack rules 20 ids at a time (the service rejects more)', async () => {
    // Prepare: 45 rules; the service caps pages at 10 entries.
    const stack = await deployedStack({ region: 'cn-hangzhou', alarm_rule_ids: ids });
    alarmsDouble(double, { rules: ids.map((_, i) => rule(i)), logs: [], maxPageSize: 10 });
    // Act
    const r = await alarms({ ...testIo(cloudEnv(double.url, stack.env), stack.root), app: stack.app, now: () => NOW, json: true });
    // Assess
    expect(double.rejected).toEqual([]);
    expect(r.rules.map((x) => x.ruleId)).toEqual(ids);
    const asked = double.callsOf('DescribeMetricRuleList').map((c) => (c.query.RuleIds ?? '').split(',').length);
    expect(Math.max(...asked)).toBe(20);
    expect(new Set(double.callsOf('DescribeMetricRuleList').flatMap((c) => (c.query.RuleIds ?? '').split(','))).size).toBe(45);
  });

  it('reads a --since longer than 15 days in windows of at most 15 days, every entry once', async () => {
    // Prepare: one alert a day for 40 days; pages capped at 10 entries.
    const logs = Array.from({ length: 40 }, (_, d) => ({ AlertTime: String(NOW.getTime() - d * 86_400_000 - 1000), RuleId: 'r-000', RuleName: 'ecs-pulse-rule-0', InstanceId: 'i-x', Level: 'WARN', LevelChange: 'OK->WARN', SendStatus: '0', Message: '' }));
    alarmsDouble(double, { rules: [rule(0)], logs, maxPageSize: 10 });
    // Act
    const r = await alarms({ ...testIo(cloudEnv(double.url), dir), region: 'cn-hangzhou', name: 'ecs-pulse', since: '40d', now: () => NOW, json: true });
    // Assess
    expect(double.rejected).toEqual([]);
    const calls = double.callsOf('DescribeAlertLogList');
    for (const c of calls) expect(Number(c.query.EndTime) - Number(c.query.StartTime)).toBeLessThanOrEqual(15 * 86_400_000);
    expect(Math.min(...calls.map((c) => Number(c.query.StartTime)))).toBe(NOW.getTime() - 40 * 86_400_000);
    expect(r.history.map((h) => h.time).sort()).toEqual(logs.map((l) => new Date(Number(l.AlertTime)).toISOString()).sort());
  });
});
