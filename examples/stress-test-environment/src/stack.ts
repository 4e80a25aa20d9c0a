import { AlicloudProvider } from '@ecs-pulse/alicloud-provider/provider';
import { DataAlicloudAccount } from '@ecs-pulse/alicloud-provider/data-alicloud-account';
import { SlackForwarder } from '@ecs-pulse/alicloud-fc-slack-forwarder';
import { StressHost } from '@ecs-pulse/stress-host';
import { Annotations, OssBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { StackConfig } from './config.js';

export { CONFIG_FILE, StackConfigError, loadStackConfig, resolveConfig } from './config.js';
export type { AlarmsConfig, ConfigSources, EventLevel, EventsConfig, OssBackendSettings, StackConfig } from './config.js';

/**
 * The whole original environment and more: stress/network hosts (`StressHost`), the Slack forwarder
 * (`SlackForwarder`, FC 3.0 by default or the original FC 2.0 service), EventBridge (or CloudMonitor
 * event-rule) delivery of ECS events, and CloudMonitor metric alarms on the hosts that call the
 * forwarder's token-protected HTTP trigger.
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
            contactGroups: [...alarms.contactGroups],
            cpuUtilizationPercent: alarms.cpuUtilizationPercent,
            networkInBitsPerSecond: alarms.networkInBitsPerSecond,
            networkOutBitsPerSecond: alarms.networkOutBitsPerSecond,
            level: alarms.level,
          },
        }),
      tags,
    });

    // Outputs the CLI reads (send-test-event, ssh, stress/net run) besides the StressHost ones.
    new TerraformOutput(this, 'function_name', { value: this.forwarder.functionName, description: 'The forwarder function.' });
    if (this.forwarder.service) {
      new TerraformOutput(this, 'service_name', { value: this.forwarder.service.name, description: 'FC 2.0 service of the forwarder.' });
    }
    new TerraformOutput(this, 'fc_version', { value: config.fcVersion, description: 'Function Compute generation (3 or 2).' });
    new TerraformOutput(this, 'account_id', { value: new DataAlicloudAccount(this, 'account', {}).id, description: 'Account id (FC endpoint).' });
    // alarm_rule_ids comes from StressHost (STRESS_HOST_OUTPUTS.alarmRuleIds).
  }
}
