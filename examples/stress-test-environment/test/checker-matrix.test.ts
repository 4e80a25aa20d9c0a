/**
 * The offline model must be as strict as Alibaba Cloud: the example stack (both FC modes) and a matrix of
 * non-default props of the constructs pass `checkStack`, which checks the provider schema AND the provider's
 * own value validators (enums, ranges, lengths, patterns, JSON, groups). Each case synthesizes a real stack.
 */
import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
import { AlicloudProvider } from '@ecs-pulse/alicloud-provider/provider';
import { SlackForwarder, type SlackForwarderProps } from '@ecs-pulse/alicloud-fc-slack-forwarder';
import { STRESS_HOST_SYSTEM_DISK_CATEGORIES, StressHost, type StressHostAlarmProps, type StressHostProps } from '@ecs-pulse/stress-host';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { StressTestStack, loadStackConfig } from '../src/stack.js';

type Json = Record<string, any>;

const SSH_PUBLIC_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDcheckermatrixkeyonlyforsynthxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx ops@example';

function exampleStack(context: Record<string, unknown>): Json {
  const config = loadStackConfig({ file: false, env: {}, context });
  return JSON.parse(Testing.synth(new StressTestStack(Testing.app(), config.stackName, config), true)) as Json;
}

/** StressHost props of a case; `alarmOptions` are merged into the alarms that call the forwarder. */
type HostCase = Partial<StressHostProps> & { readonly alarmOptions?: Partial<StressHostAlarmProps> };

/** A stack with a provider, a forwarder and stress hosts whose alarms call the forwarder. */
function matrixStack(forwarder: SlackForwarderProps, { alarmOptions, ...hosts }: HostCase): Json {
  const stack = new TerraformStack(Testing.app(), 'matrix');
  new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
  const webhook = new TerraformVariable(stack, 'slack_webhook_url', { type: 'string', sensitive: true });
  const alerts = new SlackForwarder(stack, 'forwarder', { webhookUrl: webhook.stringValue, ...forwarder });
  new StressHost(stack, 'hosts', {
    allowedCidrs: ['203.0.113.0/24'],
    ...(alerts.callbackUrl !== undefined && { alarms: { webhook: alerts.callbackUrl, contactGroups: ['ops'], ...alarmOptions } }),
    ...hosts,
  });
  return JSON.parse(Testing.synth(stack, true)) as Json;
}

const codes = (issues: readonly { code: string }[]) => [...new Set(issues.map((i) => i.code))];

describe('Checker: the example stack reports 0 problems', () => {
  it('FC 3.0 (default configuration): no issues, no deprecation warnings', () => {
    const result = checkStack(exampleStack({}));
    expect(result.issues).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('FC 2.0 (the original environment): no issues; the FC 2.0 types are deprecation warnings only', () => {
    const result = checkStack(exampleStack({ fcVersion: '2' }));
    expect(result.issues).toEqual([]);
    expect(codes(result.warnings)).toEqual(['DEPRECATED_RESOURCE']);
    expect(result.warnings.map((w) => w.address?.split('.')[0]).sort()).toEqual(['alicloud_fc_function', 'alicloud_fc_service']);
  });

  it('with clients, cross-zone, SSH, public bandwidth and alarms', () => {
    const json = exampleStack({ clients: '3', crossZone: 'true', ssh: 'true', publicBandwidthMbps: '10', allowedCidrs: '203.0.113.0/24' });
    expect(checkStack(json).issues).toEqual([]);
  });
});

describe('Checker: a matrix of non-default props reports 0 problems', () => {
  /** name, forwarder props, host props, and a probe that the props did reach the synthesized JSON. */
  const cases: Array<[string, SlackForwarderProps, HostCase, ((json: Json) => void)?]> = [
    [
      'routes, self-monitoring and an on-failure destination',
      {
        environment: { SLACK_WEBHOOK_URL_ONCALL: '${var.slack_webhook_url}' },
        config: { routes: [{ name: 'oncall', webhookUrlEnv: 'SLACK_WEBHOOK_URL_ONCALL', match: { severities: ['critical'] } }], routing: 'all-matches' },
        selfMonitoring: { contactGroups: ['ops'], threshold: 3 },
        asyncInvoke: { maxRetries: 2, maxEventAgeSeconds: 3600, onFailureDestination: 'acs:mns:cn-hangzhou:1234567890123456:/queues/ecs-pulse-dlq/messages' },
        memorySize: 256,
        timeout: 30,
      },
      {},
      (json) => {
        expect(Object.keys(json.resource.alicloud_cms_alarm ?? {}).length).toBeGreaterThan(3); // host alarms + self-monitoring
        expect(Object.values(json.resource.alicloud_fcv3_async_invoke_config)).toHaveLength(1);
      },
    ],
    ['an on-failure destination that is another function', { asyncInvoke: { onFailureDestination: 'acs:fc:cn-hangzhou:1234567890123456:functions/dlq' } }, {}],
    [
      'spot hosts with a price limit',
      {},
      { spot: true, spotPriceLimit: 0.25, clients: 1 },
      (json) => expect(Object.values(json.resource.alicloud_instance).map((i: any) => [i.spot_strategy, i.spot_price_limit])).toEqual([
        ['SpotWithPriceLimit', 0.25],
        ['SpotWithPriceLimit', 0.25],
      ]),
    ],
    ['spot hosts without a limit', {}, { spot: true }],
    ['cross-zone with 7 clients', {}, { clients: 7, crossZone: true }, (json) => expect(Object.keys(json.resource.alicloud_vswitch)).toHaveLength(8)],
    ['explicit zones', {}, { clients: 2, zoneIds: ['cn-hangzhou-h', 'cn-hangzhou-i'] }],
    [
      'an existing VPC and vSwitches',
      {},
      { clients: 2, vpcId: 'vpc-bp1existing', vswitchIds: ['vsw-bp1aaaa', 'vsw-bp1bbbb'], zoneIds: ['cn-hangzhou-h', 'cn-hangzhou-i'] },
      (json) => expect(json.resource.alicloud_vpc).toBeUndefined(),
    ],
    ['an existing security group', {}, { vswitchIds: ['vsw-bp1aaaa'], zoneIds: ['cn-hangzhou-h'], securityGroupId: 'sg-bp1existing' }],
    [
      'an own SSH key with public bandwidth',
      {},
      { sshPublicKey: SSH_PUBLIC_KEY, publicBandwidthMbps: 20, internetChargeType: 'PayByBandwidth' },
      (json) => expect((Object.values(json.resource.alicloud_ecs_key_pair)[0] as any).public_key).toBe(SSH_PUBLIC_KEY),
    ],
    ['a generated SSH key', {}, { ssh: true, publicBandwidthMbps: 5 }],
    [
      'IPv6 CIDRs',
      {},
      { allowedCidrs: ['2001:db8::/32', '203.0.113.0/24'], clients: 1 },
      (json) => {
        const rules = Object.values(json.resource.alicloud_security_group_rule) as any[];
        // ping, and the iperf3 port of the one client and the sockperf port, each TCP and UDP
        const v6 = rules.filter((r) => r.ipv6_cidr_ip === '2001:db8::/32');
        expect(v6.map((r) => `${r.ip_protocol} ${r.port_range}`).sort()).toEqual(['icmpv6 -1/-1', 'tcp 11111/11111', 'tcp 5201/5201', 'udp 11111/11111', 'udp 5201/5201']);
      },
    ],
    ['a fixed instance type and image', {}, { instanceType: 'ecs.c7.xlarge', imageId: 'ubuntu_24_04_x64_20G_alibase_20240812.vhd', systemDiskSizeGiB: 100 }],
    ['tags, a name prefix and several iperf3 servers', { tags: { team: 'sre' } }, { tags: { team: 'sre', env: 'test' }, namePrefix: 'perf-lab', clients: 3, iperf3Servers: 4 }],
    [
      'internet network alarms at critical level',
      {},
      { publicBandwidthMbps: 10, alarmOptions: { network: 'internet', level: 'critical', periodSeconds: 300, times: 2 } },
      (json) => expect(Object.values(json.resource.alicloud_cms_alarm).some((a: any) => a.escalations_critical !== undefined)).toBe(true),
    ],
    ['FC 2.0 with custom names and two products', { fcVersion: 2, serviceName: 'Svc', functionName: 'Fn', eventRuleName: 'Rule', eventSource: { products: ['ECS', 'RDS'] } }, {}],
    ['FC 3.0 without an event route (the service-linked role is not managed by default)', { eventSource: false }, {}],
    ['FC 3.0 managing the service-linked role (opt-in)', { manageServiceLinkedRole: true }, {}],
    ...STRESS_HOST_SYSTEM_DISK_CATEGORIES.map((category): [string, SlackForwarderProps, HostCase, (json: Json) => void] => [
      `system disk ${category}, cross-zone`,
      {},
      { systemDiskCategory: category, clients: 1, crossZone: true },
      (json) => expect(Object.values(json.resource.alicloud_instance).map((i: any) => i.system_disk_category)).toEqual([category, category]),
    ]),
  ];

  it.each(cases)('%s', (_name, forwarder, hosts, probe) => {
    const json = matrixStack(forwarder, hosts);
    probe?.(json);
    const result = checkStack(json);
    expect(result.issues).toEqual([]);
    // FC 2.0 types are the only deprecations the constructs use
    for (const warning of result.warnings) expect(warning.code, warning.message).toBe('DEPRECATED_RESOURCE');
  });

  it('the matrix covers every system disk category StressHost accepts', () => {
    expect(cases.filter(([name]) => name.startsWith('system disk ')).length).toBe(STRESS_HOST_SYSTEM_DISK_CATEGORIES.length);
    expect(STRESS_HOST_SYSTEM_DISK_CATEGORIES.length).toBeGreaterThanOrEqual(5);
  });
});
