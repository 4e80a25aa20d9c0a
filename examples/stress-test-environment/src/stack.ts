import { AlicloudProvider } from '@ecs-pulse/alicloud-provider/provider';
import { CmsAlarmContactGroup } from '@ecs-pulse/alicloud-provider/cms-alarm-contact-group';
import { SlackForwarder } from '@ecs-pulse/alicloud-fc-slack-forwarder';
import { StressHost } from '@ecs-pulse/stress-host';
import { Annotations, OssBackend, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { StackConfig } from './config.js';

export { CONFIG_FILE, StackConfigError, loadStackConfig, resolveConfig } from './config.js';
export type { AlarmContactGroupConfig, AlarmsConfig, ConfigSources, EventLevel, EventsConfig, OssBackendSettings, StackConfig } from './config.js';

/**
 * The whole original environment and more: stress/network hosts (`StressHost`), the Slack forwarder
 * (`SlackForwarder`, FC 3.0 by default or the original FC 2.0 service), EventBridge (or CloudMonitor
 * event-rule) delivery of ECS events, and CloudMonitor metric alarms on the hosts that call the
 * forwarder's token-protected HTTP trigger and notify an alarm contact group the stack creates.
 *
 * @example
 * ```ts
 * const app = new App();
 * const config = loadStackConfig({ context: app.node.getAllContext() });
 * new StressTestStack(app, config.stackName, config);
 * app.synth();
 * ```
 */
export class StressTestStack extends TerraformStack {
  /** The resolved configuration the stack was built from. */
  readonly config: StackConfig;
  /** The stress/network hosts. */
  readonly hosts: StressHost;
  /** The Slack forwarder. */
  readonly forwarder: SlackForwarder;
  /** The sensitive variable holding the Slack webhook URL (`TF_VAR_slack_webhook_url`). */
  readonly webhookUrl: TerraformVariable;
  /** The CloudMonitor alarm contact group of the alarms, when the stack has alarms and `alarmContactGroup.create` is true. */
  readonly alarmContactGroup?: CmsAlarmContactGroup;

  constructor(scope: Construct, id: string, config: StackConfig) {
    super(scope, id);
    this.config = config;
    const tags = { project: 'ecs-pulse', ...config.tags };

    new AlicloudProvider(this, 'alicloud', { region: config.region });
    if (config.backend) {
      const b = config.backend;
      new OssBackend(this, {
        bucket: b.bucket,
        prefix: b.prefix,
        key: b.key,
        region: b.region ?? config.region,
        encrypt: b.encrypt,
        ...(b.tablestoreEndpoint !== undefined && { tablestoreEndpoint: b.tablestoreEndpoint }),
        ...(b.tablestoreTable !== undefined && { tablestoreTable: b.tablestoreTable }),
      });
    }

    // The webhook URL is a secret: a sensitive variable (TF_VAR_slack_webhook_url), never a literal.
    this.webhookUrl = new TerraformVariable(this, 'slack_webhook_url', {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: 'Slack incoming-webhook URL (secret). Set TF_VAR_slack_webhook_url before plan/deploy.',
    });

    this.forwarder = new SlackForwarder(this, 'forwarder', {
      fcVersion: config.fcVersion,
      webhookUrl: this.webhookUrl.stringValue,
      region: config.region,
      eventSource: {
        products: [...config.events.products],
        levels: [...config.events.levels],
        ...(config.events.eventTypes.length > 0 && { eventTypes: [...config.events.eventTypes] }),
      },
      tags,
    });

    const alarms = config.alarms;
    const callbackUrl = this.forwarder.callbackUrl;
    if (alarms !== false && callbackUrl === undefined) {
      Annotations.of(this).addWarning(
        'Metric alarms were not created: FC 2.0 mode has no HTTP trigger for CloudMonitor callbacks. Use fcVersion 3 for alarms into Slack, or set "alarms": false to silence this.',
      );
    }
    // Every CloudMonitor alarm needs a contact group: the stack brings its own, so none has to exist beforehand.
    // The alarms name it by reference, so Terraform creates the group first and deletes it last.
    let contactGroups: string[] = alarms === false ? [] : [...alarms.contactGroups];
    if (alarms !== false && callbackUrl !== undefined && config.alarmContactGroup.create) {
      const group = new CmsAlarmContactGroup(this, 'alarm-contact-group', {
        alarmContactGroupName: config.alarmContactGroup.name,
        describe: `ecs-pulse: CloudMonitor alarms of stack ${id} (posted to Slack by the forwarder)`,
      });
      this.alarmContactGroup = group;
      contactGroups = [group.alarmContactGroupName, ...contactGroups.filter((g) => g !== config.alarmContactGroup.name)];
    }
    this.hosts = new StressHost(this, 'hosts', {
      allowedCidrs: [...config.allowedCidrs],
      clients: config.clients,
      crossZone: config.crossZone,
      ssh: config.ssh,
      autoReleaseHours: config.autoReleaseHours,
      publicBandwidthMbps: config.publicBandwidthMbps,
      ...(config.instanceType !== undefined && { instanceType: config.instanceType }),
      ...(alarms !== false &&
        callbackUrl !== undefined && {
          alarms: {
            webhook: callbackUrl,
            contactGroups,
            cpuUtilizationPercent: alarms.cpuUtilizationPercent,
            networkInBitsPerSecond: alarms.networkInBitsPerSecond,
            networkOutBitsPerSecond: alarms.networkOutBitsPerSecond,
            level: alarms.level,
          },
        }),
      tags,
    });

    // The outputs the CLI reads come from the constructs: STRESS_HOST_OUTPUTS (hosts, region, alarm_rule_ids)
    // and SLACK_FORWARDER_OUTPUTS (forwarder_fc_version, forwarder_function_name, forwarder_service_name,
    // forwarder_region, forwarder_account_id).
  }
}
