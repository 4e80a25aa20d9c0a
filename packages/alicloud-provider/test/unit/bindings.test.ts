import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Fn, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AlicloudProvider,
  CmsAlarm,
  CmsAlarmContactGroup,
  CmsEventRule,
  DataAlicloudImages,
  DataAlicloudZones,
  Fcv3Function,
  Fcv3Trigger,
  Instance,
  SecurityGroup,
  SecurityGroupRule,
  Vpc,
  Vswitch,
} from '../../src/gen/index.js';
import { Instance as InstanceFromSubpath } from '../../src/gen/instance.js';
import { CmsAlarmContactGroup as ContactGroupFromSubpath } from '../../src/gen/cms-alarm-contact-group.js';
import { checkStack } from '../../src/testing/index.js';

interface SynthJson {
  readonly terraform: { readonly required_providers: Record<string, { source: string; version: string }> };
  readonly provider: Record<string, Array<Record<string, unknown>>>;
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: Record<string, Record<string, Record<string, unknown>>>;
}

/** A stack that uses most of the bindings the ecs-pulse constructs need. */
function buildStack(stack: Construct): void {
  new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
  const zones = new DataAlicloudZones(stack, 'zones', { availableResourceCreation: 'VSwitch' });
  const images = new DataAlicloudImages(stack, 'ubuntu', { nameRegex: '^ubuntu_22_04', owners: 'system', mostRecent: true });
  const vpc = new Vpc(stack, 'vpc', { vpcName: 'ecs-pulse', cidrBlock: '172.16.0.0/16' });
  const vswitch = new Vswitch(stack, 'vswitch', {
    vpcId: vpc.id,
    cidrBlock: '172.16.0.0/24',
    zoneId: zones.zones.get(0).id,
  });
  const group = new SecurityGroup(stack, 'sg', { vpcId: vpc.id, securityGroupName: 'ecs-pulse' });
  new SecurityGroupRule(stack, 'iperf', {
    type: 'ingress',
    ipProtocol: 'tcp',
    portRange: '5201/5201',
    securityGroupId: group.id,
    cidrIp: '10.0.0.0/8',
  });
  const host = new Instance(stack, 'host', {
    instanceType: 'ecs.g7.large',
    imageId: images.images.get(0).id,
    securityGroups: [group.id],
    vswitchId: vswitch.id,
    dataDisks: [{ size: 40, category: 'cloud_essd' }],
  });
  const webhook = new TerraformVariable(stack, 'slack_webhook_url', { type: 'string', sensitive: true });
  const fn = new Fcv3Function(stack, 'forwarder', {
    functionName: 'ecs-pulse-forwarder',
    runtime: 'nodejs20',
    handler: 'index.handler',
    memorySize: 512,
    code: { zipFile: Fn.filebase64('/tmp/code.zip') },
    environmentVariables: { SLACK_WEBHOOK_URL: webhook.stringValue },
  });
  new Fcv3Trigger(stack, 'http', {
    functionName: fn.functionName,
    qualifier: 'LATEST',
    triggerName: 'http',
    triggerType: 'http',
    triggerConfig: JSON.stringify({ authType: 'anonymous', methods: ['POST'] }),
  });
  new CmsEventRule(stack, 'rule', {
    ruleName: 'ecs-pulse',
    eventPattern: { product: 'ecs', eventTypeList: ['StatusNotification'], levelList: ['CRITICAL', 'WARN'] },
  });
  new CmsAlarm(stack, 'cpu', {
    name: 'cpu-high',
    contactGroups: ['ops'],
    project: 'acs_ecs_dashboard',
    metric: 'CPUUtilization',
    metricDimensions: JSON.stringify([{ instanceId: host.id }]),
    escalationsCritical: { statistics: 'Average', comparisonOperator: '>=', threshold: '90', times: 3 },
    webhook: 'https://example.invalid/callback',
  });
}

describe('Bindings: synthesized Terraform JSON', () => {
  it('carries required_providers for aliyun/alicloud ~> 1.289', () => {
    // Prepare
    const stack = new TerraformStack(Testing.app(), 'stack');
    buildStack(stack);
    // Act
    const json = JSON.parse(Testing.synth(stack)) as SynthJson;
    // Assess
    expect(json.terraform.required_providers).toEqual({ alicloud: { source: 'aliyun/alicloud', version: '~> 1.289' } });
    expect(json.provider['alicloud']).toEqual([{ region: 'cn-hangzhou' }]);
  });

  it('emits snake_case resource types and attribute names', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    buildStack(stack);
    const json = JSON.parse(Testing.synth(stack)) as SynthJson;

    expect(Object.keys(json.resource).sort()).toEqual([
      'alicloud_cms_alarm',
      'alicloud_cms_event_rule',
      'alicloud_fcv3_function',
      'alicloud_fcv3_trigger',
      'alicloud_instance',
      'alicloud_security_group',
      'alicloud_security_group_rule',
      'alicloud_vpc',
      'alicloud_vswitch',
    ]);
    expect(Object.keys(json.data).sort()).toEqual(['alicloud_images', 'alicloud_zones']);
    expect(json.resource['alicloud_fcv3_function']?.['forwarder']).toMatchObject({
      function_name: 'ecs-pulse-forwarder',
      memory_size: 512,
      code: { zip_file: '${filebase64("/tmp/code.zip")}' },
      environment_variables: { SLACK_WEBHOOK_URL: '${var.slack_webhook_url}' },
    });
    expect(json.resource['alicloud_instance']?.['host']).toMatchObject({
      instance_type: 'ecs.g7.large',
      image_id: '${data.alicloud_images.ubuntu.images[0].id}',
      security_groups: ['${alicloud_security_group.sg.id}'],
      data_disks: [{ size: 40, category: 'cloud_essd' }],
    });
    expect(json.resource['alicloud_vswitch']?.['vswitch']).toMatchObject({
      zone_id: '${data.alicloud_zones.zones.zones[0].id}',
    });
  });

  it('renders max_items = 1 blocks as objects, repeatable blocks as arrays', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    buildStack(stack);
    const json = JSON.parse(Testing.synth(stack)) as SynthJson;

    expect(json.resource['alicloud_cms_event_rule']?.['rule']?.['event_pattern']).toEqual({
      product: 'ecs',
      event_type_list: ['StatusNotification'],
      level_list: ['CRITICAL', 'WARN'],
    });
    expect(json.resource['alicloud_cms_alarm']?.['cpu']?.['escalations_critical']).toEqual({
      statistics: 'Average',
      comparison_operator: '>=',
      threshold: '90',
      times: 3,
    });
    expect(Array.isArray(json.resource['alicloud_instance']?.['host']?.['data_disks'])).toBe(true);
  });

  it('writes cdk.tf.json through an App with an outdir', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'alicloud-provider-synth-'));
    try {
      const app = new App({ outdir });
      buildStack(new TerraformStack(app, 'demo'));
      app.synth();
      const json = JSON.parse(readFileSync(join(outdir, 'stacks/demo/cdk.tf.json'), 'utf8')) as SynthJson;
      expect(json.terraform.required_providers['alicloud']?.version).toBe('~> 1.289');
      expect(Object.keys(json.resource['alicloud_instance'] ?? {})).toEqual(['host']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('Bindings: alicloud_cms_alarm_contact_group', () => {
  it('creates a contact group that an alarm names, and the schema checker knows the type', () => {
    // Prepare
    const stack = new TerraformStack(Testing.app(), 'stack');
    new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
    const group = new CmsAlarmContactGroup(stack, 'group', { alarmContactGroupName: 'ecs-pulse', describe: 'ecs-pulse alarms', enableSubscribed: true });
    new CmsAlarm(stack, 'cpu', {
      name: 'cpu-high',
      contactGroups: [group.alarmContactGroupName],
      project: 'acs_ecs_dashboard',
      metric: 'CPUUtilization',
      escalationsCritical: { statistics: 'Average', comparisonOperator: '>=', threshold: '90', times: 3 },
    });
    // Act
    const json = JSON.parse(Testing.synth(stack)) as SynthJson;
    // Assess
    expect(json.resource['alicloud_cms_alarm_contact_group']?.['group']).toEqual({
      alarm_contact_group_name: 'ecs-pulse',
      describe: 'ecs-pulse alarms',
      enable_subscribed: true,
    });
    expect(json.resource['alicloud_cms_alarm']?.['cpu']?.['contact_groups']).toEqual(['${alicloud_cms_alarm_contact_group.group.alarm_contact_group_name}']);
    expect(checkStack(json).issues).toEqual([]);
    expect(ContactGroupFromSubpath).toBe(CmsAlarmContactGroup);
    expect(CmsAlarmContactGroup.tfResourceType).toBe('alicloud_cms_alarm_contact_group');
  });

  it('is checked against its schema: the group name is required', () => {
    const json = {
      terraform: { required_providers: { alicloud: { source: 'aliyun/alicloud', version: '~> 1.289' } } },
      resource: { alicloud_cms_alarm_contact_group: { group: { describe: 'no name', contact: ['x'] } } },
    };
    expect(checkStack(json).issues.map((i) => [i.path, i.code])).toEqual([
      ['resource.alicloud_cms_alarm_contact_group.group.contact', 'UNKNOWN_ARGUMENT'],
      ['resource.alicloud_cms_alarm_contact_group.group.alarm_contact_group_name', 'MISSING_REQUIRED_ATTRIBUTE'],
    ]);
  });
});

describe('Bindings: module surface', () => {
  it('exposes the same class from the root and from its subpath module', () => {
    expect(InstanceFromSubpath).toBe(Instance);
    expect(Instance.tfResourceType).toBe('alicloud_instance');
    expect(DataAlicloudZones.tfResourceType).toBe('alicloud_zones');
    expect(AlicloudProvider.tfResourceType).toBe('alicloud');
  });
});
