import { CmsAlarm } from '@ecs-pulse/alicloud-provider/cms-alarm';
import { CmsEventRule } from '@ecs-pulse/alicloud-provider/cms-event-rule';
import { DataAlicloudAccount } from '@ecs-pulse/alicloud-provider/data-alicloud-account';
import { DataAlicloudRegions } from '@ecs-pulse/alicloud-provider/data-alicloud-regions';
import { EventBridgeServiceLinkedRole } from '@ecs-pulse/alicloud-provider/event-bridge-service-linked-role';
import { FcFunction } from '@ecs-pulse/alicloud-provider/fc-function';
import { FcService } from '@ecs-pulse/alicloud-provider/fc-service';
import { Fcv3AsyncInvokeConfig } from '@ecs-pulse/alicloud-provider/fcv3-async-invoke-config';
import { Fcv3Function } from '@ecs-pulse/alicloud-provider/fcv3-function';
import { Fcv3Trigger } from '@ecs-pulse/alicloud-provider/fcv3-trigger';
import { LogProject } from '@ecs-pulse/alicloud-provider/log-project';
import { LogStore } from '@ecs-pulse/alicloud-provider/log-store';
import { RamPolicy } from '@ecs-pulse/alicloud-provider/ram-policy';
import { RamRole } from '@ecs-pulse/alicloud-provider/ram-role';
import { RamRolePolicyAttachment } from '@ecs-pulse/alicloud-provider/ram-role-policy-attachment';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import { Sleep } from '@cdktf/provider-time/lib/sleep/index.js';
import { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { StringResource } from '@cdktf/provider-random/lib/string-resource/index.js';
import { Annotations, AssetType, Fn, TerraformAsset, TerraformOutput, TerraformProvider, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { AlertMatcher, ForwarderJsonConfig } from '../function/config.js';
import { SlackForwarderPropsError } from '../errors.js';
import { functionArchivePath } from './asset.js';
import { eventRuleFilterPattern } from './event-pattern.js';
import { RAM_POLICY_NAME, RAM_ROLE_NAME, uniqueGlobalName } from './names.js';
import { botTokenEnvironment } from './bot-tokens.js';
import { SLACK_FORWARDER_OUTPUTS, type SlackForwarderOutputKey } from './outputs.js';
import type { SlackForwarderProps } from './props.js';
import { destinationAction, validateProps } from './validate.js';

/**
 * The account-wide service-linked role EventBridge uses to invoke Function Compute (ResourceManager service name
 * `sendevent-fc.eventbridge.aliyuncs.com`).
 *
 * @example
 * ```ts
 * import { EVENTBRIDGE_SEND_TO_FC_ROLE } from '@ecs-pulse/alicloud-fc-slack-forwarder';
 * console.log(EVENTBRIDGE_SEND_TO_FC_ROLE); // AliyunServiceRoleForEventBridgeSendToFC
 * ```
 */
export const EVENTBRIDGE_SEND_TO_FC_ROLE = 'AliyunServiceRoleForEventBridgeSendToFC';

/** Output prefixes already taken, per stack (two forwarders must not write the same output names). */
const usedOutputPrefixes = new WeakMap<TerraformStack, Set<string>>();

const LEVEL_TO_SEVERITY = { CRITICAL: 'critical', WARN: 'warning', INFO: 'info' } as const;

/** Turns a construct id into a Terraform-safe name fragment. */
const slug = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_');
/**
 * How long to wait after attaching the policy to the role before FC creates the function (FC writes to the
 * logstore as the role at creation, and RAM changes take a few seconds to reach every service; the provider's
 * own examples wait with `time_sleep`).
 */
const RAM_PROPAGATION = '15s';

/**
 * Forwards Alibaba Cloud alerts to Slack through a Function Compute function whose code is bundled into this
 * package at build time (no bundler runs at synth).
 *
 * - **FC 3.0** (default): `alicloud_fcv3_function` (nodejs20, handler `index.handler`), an EventBridge trigger
 *   (`alicloud_fcv3_trigger` of type `eventbridge` on the default bus; the service-linked role EventBridge
 *   needs), an HTTP trigger (anonymous, POST) protected by a `random_password` token, an async invoke config
 *   with bounded retries and an optional on-failure destination, an SLS project/logstore, and a RAM role
 *   that may only write to that logstore.
 * - **FC 2.0** (`fcVersion: 2`): the original environment — `alicloud_fc_service` `ECSMonitoringService`,
 *   `alicloud_fc_function` `ECSMonitoringFunction` (handler `index.legacyHandler`) and an
 *   `alicloud_cms_event_rule` with `fc_parameters`.
 *
 * The webhook URL is a secret: without `webhookUrl` a sensitive variable is declared; the callback URL (with
 * the token) is only available as a token and a sensitive output.
 *
 * @example
 * ```ts
 * import { App, TerraformStack } from 'cdktf';
 * import { AlicloudProvider, CmsAlarm } from '@ecs-pulse/alicloud-provider';
 * import { SlackForwarder } from '@ecs-pulse/alicloud-fc-slack-forwarder';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'alerts');
 * new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
 * const forwarder = new SlackForwarder(stack, 'slack', { eventSource: { products: ['ECS'], levels: ['CRITICAL', 'WARN'] } });
 * new CmsAlarm(stack, 'cpu', {
 *   name: 'high-cpu', project: 'acs_ecs_dashboard', metric: 'CPUUtilization', contactGroups: ['ops'],
 *   webhook: forwarder.callbackUrl,
 * });
 * app.synth();
 * ```
 */
export class SlackForwarder extends Construct {
  /** Function Compute generation in use. */
  readonly fcVersion: 3 | 2;
  /** The function: `Fcv3Function` (FC 3.0) or `FcFunction` (FC 2.0). */
  readonly function: Fcv3Function | FcFunction;
  /** The function name (a token once synthesized). */
  readonly functionName: string;
  /** FC 2.0 only: the service. */
  readonly service?: FcService;
  /** FC 3.0 only: the HTTP trigger (anonymous, POST, token-protected). */
  readonly httpTrigger?: Fcv3Trigger;
  /** FC 3.0 only: the EventBridge trigger. */
  readonly eventTrigger?: Fcv3Trigger;
  /** FC 3.0 with `manageServiceLinkedRole: true` only: the EventBridge service-linked role. */
  readonly serviceLinkedRole?: EventBridgeServiceLinkedRole;
  /** FC 2.0 only: the CloudMonitor event rules (one per product). */
  readonly eventRules: readonly CmsEventRule[];
  /** FC 3.0 only: retries and on-failure destination of async invocations. */
  readonly asyncInvokeConfig?: Fcv3AsyncInvokeConfig;
  /** FC 3.0 with HTTP trigger: the generated token (`random_password`, 32 characters, no specials). */
  readonly httpToken?: Password;
  /**
   * FC 3.0 with HTTP trigger: the URL CloudMonitor should call (`<trigger URL>?token=<token>`), as a token.
   * Put it in a `CmsAlarm`'s `webhook`. It contains the secret token: never log it.
   */
  readonly callbackUrl?: string;
  /** The sensitive output holding {@link SlackForwarder.callbackUrl} (`terraform output -raw <id>_callback_url`). */
  readonly callbackUrlOutput?: TerraformOutput;
  /** The sensitive variable declared for the webhook URL when `webhookUrl` was omitted. */
  readonly webhookUrlVariable?: TerraformVariable;
  /** The sensitive variables declared for bot-token routes, by `botTokenEnv` name (see `botTokenVariables`). */
  readonly botTokenVariables: Readonly<Record<string, TerraformVariable>>;
  /** The SLS project of the function's logs. */
  readonly logProject: LogProject;
  /** The SLS logstore of the function's logs. */
  readonly logStore: LogStore;
  /** The RAM role the function (FC 3.0) or service (FC 2.0) runs as. */
  readonly role: RamRole;
  /** The custom RAM policy attached to {@link SlackForwarder.role}. */
  readonly policy: RamPolicy;
  /** The attachment of {@link SlackForwarder.policy} to {@link SlackForwarder.role}. */
  readonly policyAttachment: RamRolePolicyAttachment;
  /** The `time_sleep` after the attachment that the function (FC 3.0) or service (FC 2.0) waits for (RAM propagation). */
  readonly ramPropagation: Sleep;
  /** The self-monitoring alarm, when `selfMonitoring` is set. */
  readonly errorAlarm?: CmsAlarm;
  /** The function code asset (`dist/function.zip`). */
  readonly asset: TerraformAsset;
  /** The region id the function runs in (the `region` prop, else a token of the provider's current region). */
  readonly region: string;
  /** The `alicloud_account` data source behind the account id output. */
  readonly account: DataAlicloudAccount;
  /**
   * The non-sensitive outputs the CLI reads, by their key in `SLACK_FORWARDER_OUTPUTS` (`serviceName` with FC 2.0
   * only). The sensitive callback URL is {@link SlackForwarder.callbackUrlOutput}.
   */
  readonly outputs: Readonly<Partial<Record<SlackForwarderOutputKey, TerraformOutput>>>;

  constructor(scope: Construct, id: string, props: SlackForwarderProps = {}) {
    super(scope, id);
    validateProps(props);
    this.fcVersion = props.fcVersion ?? 3;
    const fc2 = this.fcVersion === 2;
    const stack = TerraformStack.of(this);
    const outputPrefix = props.outputPrefix ?? '';
    const usedPrefixes = usedOutputPrefixes.get(stack) ?? new Set<string>();
    if (usedPrefixes.has(outputPrefix)) {
      throw new SlackForwarderPropsError(
        'outputPrefix',
        `"${outputPrefix}" is already used by another SlackForwarder in stack "${stack.node.id}"; give each forwarder its own outputPrefix (e.g. "${slug(id)}_") so the output names do not collide.`,
      );
    }
    usedPrefixes.add(outputPrefix);
    usedOutputPrefixes.set(stack, usedPrefixes);
    const tags = props.tags ? { ...props.tags } : undefined;

    // --- the webhook secret ---------------------------------------------------------------------------
    let webhookUrl = props.webhookUrl;
    if (webhookUrl === undefined) {
      const name = props.webhookUrlVariableName ?? 'slack_webhook_url';
      const existing = stack.node.findAll().find((c): c is TerraformVariable => c instanceof TerraformVariable && c.friendlyUniqueId === name);
      if (existing) {
        this.webhookUrlVariable = existing;
      } else {
        const variable = new TerraformVariable(this, 'webhook-url', {
          type: 'string',
          sensitive: true,
          nullable: false,
          description: 'Slack incoming-webhook URL the forwarder posts to (secret).',
        });
        variable.overrideLogicalId(name);
        this.webhookUrlVariable = variable;
      }
      webhookUrl = this.webhookUrlVariable.stringValue;
    } else if (!Token.isUnresolved(webhookUrl) && !webhookUrl.includes('${')) {
      Annotations.of(this).addWarning(
        'webhookUrl is a literal string: the Slack webhook URL (a secret) is written into the synthesized Terraform JSON. Pass a sensitive TerraformVariable instead.',
      );
    }
    for (const route of props.config?.routes ?? []) {
      if (route.webhookUrl !== undefined) {
        Annotations.of(this).addWarning(
          `config.routes "${route.name}" has a literal webhookUrl: it ends up in the synthesized JSON. Use webhookUrlEnv and pass the URL through environment as a sensitive variable.`,
        );
      }
    }

    // --- logs and the role that may write them ---------------------------------------------------------
    const suffix = props.logs?.projectName
      ? undefined
      : new StringResource(this, 'log-project-suffix', { length: 8, upper: false, special: false, numeric: true, lower: true });
    ensureRandomProvider(stack);
    this.logProject = new LogProject(this, 'log-project', {
      projectName: props.logs?.projectName ?? `ecs-pulse-${suffix!.result}`,
      description: 'Logs of the ecs-pulse Slack forwarder function.',
      ...(tags ? { tags } : {}),
    });
    this.logStore = new LogStore(this, 'log-store', {
      projectName: this.logProject.projectName,
      logstoreName: props.logs?.logstoreName ?? 'function-logs',
      retentionPeriod: props.logs?.retentionDays ?? 30,
      shardCount: 1,
      autoSplit: true,
      maxSplitShardCount: 4,
      appendMeta: true,
    });

    this.functionName = props.functionName ?? (fc2 ? 'ECSMonitoringFunction' : 'ecs-pulse-slack-forwarder');
    const serviceName = props.serviceName ?? 'ECSMonitoringService';
    // RAM names are account-wide: derive them from the stack and construct path so a second deployment in the
    // same account (another stack, or another forwarder) does not collide (issue 15 item 12).
    const roleName = uniqueGlobalName(this, 'role', RAM_ROLE_NAME);
    this.role = new RamRole(this, 'role', {
      roleName,
      description: 'Function Compute role of the ecs-pulse Slack forwarder: writes its logs, nothing else.',
      assumeRolePolicyDocument: JSON.stringify({
        Version: '1',
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }],
      }),
      force: true,
      ...(tags ? { tags } : {}),
    });
    const statements: { Effect: 'Allow'; Action: string[]; Resource: string[] }[] = [
      {
        Effect: 'Allow',
        Action: ['log:PostLogStoreLogs'],
        Resource: [`acs:log:*:*:project/${this.logProject.projectName}/logstore/${this.logStore.logstoreName}`],
      },
    ];
    const destination = props.asyncInvoke?.onFailureDestination;
    if (destination !== undefined) {
      const action = Token.isUnresolved(destination) || destination.includes('${') ? undefined : destinationAction(destination);
      if (action) statements.push({ Effect: 'Allow', Action: [action], Resource: [destination] });
      else {
        Annotations.of(this).addWarning(
          'asyncInvoke.onFailureDestination is a token: the function role was not granted access to it. Grant the one action the destination needs (mns:SendMessage, fc:InvokeFunction or eventbridge:PutEvents).',
        );
      }
    }
    this.policy = new RamPolicy(this, 'policy', {
      policyName: uniqueGlobalName(this, 'policy', RAM_POLICY_NAME),
      description: 'Least privilege for the ecs-pulse Slack forwarder function.',
      policyDocument: JSON.stringify({ Version: '1', Statement: statements }),
      force: true,
    });
    this.policyAttachment = new RamRolePolicyAttachment(this, 'policy-attachment', {
      roleName: this.role.roleName,
      policyName: this.policy.policyName,
      policyType: 'Custom',
    });
    // FC checks the log configuration by writing to the logstore as the role when the function (FC 3.0) or the
    // service (FC 2.0) is created: that needs the policy attached, not merely created, and RAM to have propagated
    // it. Depend on the attachment through a time_sleep (issue 15 item 10).
    ensureTimeProvider(stack);
    this.ramPropagation = new Sleep(this, 'ram-propagation', { createDuration: RAM_PROPAGATION, dependsOn: [this.policyAttachment] });

    // --- code and environment ---------------------------------------------------------------------------
    this.asset = new TerraformAsset(this, 'code', { path: functionArchivePath(), type: AssetType.FILE });
    // --- issue 19 hook: bot tokens of bot-token routes as sensitive variables (bot-tokens.ts) ---
    const botTokens = botTokenEnvironment(this, props);
    this.botTokenVariables = botTokens.variables;
    const environment: Record<string, string> = { ...(props.environment ?? {}), ...botTokens.environment, SLACK_WEBHOOK_URL: webhookUrl };
    const functionConfig = buildFunctionConfig(props);
    if (functionConfig !== undefined) environment.ECS_PULSE_CONFIG = JSON.stringify(functionConfig);
    const runtime = props.runtime ?? 'nodejs20';
    const memorySize = props.memorySize ?? 128;
    const timeout = props.timeout ?? 30;
    let region: string | undefined = props.region;
    const currentRegion = (): string => {
      if (region === undefined) region = Fn.element(new DataAlicloudRegions(this, 'region', { current: true }).ids, 0) as string;
      return region;
    };
    const eventSource = props.eventSource === false ? undefined : (props.eventSource ?? {});
    const products = eventSource ? [...(eventSource.products ?? ['ECS'])] : [];

    if (fc2) {
      // --- FC 2.0: exactly the original environment -------------------------------------------------------
      this.service = new FcService(this, 'service', {
        name: serviceName,
        description: 'ecs-pulse: CloudMonitor ECS events to Slack (FC 2.0).',
        role: this.role.arn,
        internetAccess: true,
        logConfig: { project: this.logProject.projectName, logstore: this.logStore.logstoreName, enableRequestMetrics: true, enableInstanceMetrics: true },
        dependsOn: [this.ramPropagation],
        ...(tags ? { tags } : {}),
      });
      const fn = new FcFunction(this, 'function', {
        service: this.service.name,
        name: this.functionName,
        description: 'Forwards CloudMonitor events to Slack (ecs-pulse).',
        runtime,
        handler: 'index.legacyHandler',
        filename: this.asset.path,
        memorySize,
        timeout,
        environmentVariables: environment,
      });
      this.function = fn;
      const service = this.service;
      const ruleBase = props.eventRuleName ?? 'ECSMonitoringRule';
      this.eventRules = products.map((product) => {
        const prefix = `${product.toLowerCase()}:`;
        const names = (eventSource?.eventTypes ?? []).filter((t) => t.toLowerCase().startsWith(prefix)).map((t) => t.slice(prefix.length));
        return new CmsEventRule(this, products.length === 1 ? 'event-rule' : `event-rule-${product.toLowerCase()}`, {
          ruleName: products.length === 1 ? ruleBase : `${ruleBase}-${product.toLowerCase()}`,
          description: `ecs-pulse: ${product} system events to the Slack forwarder function.`,
          status: 'ENABLED',
          // max_items = 1: an object, not an array.
          eventPattern: {
            product: product.toLowerCase(),
            ...(eventSource?.levels ? { levelList: [...eventSource.levels] } : {}),
            ...(names.length > 0 ? { nameList: names } : {}),
          },
          // The provider's own acceptance test sets fc_parameters_id; without it an empty id is sent and the
          // target diffs on every plan (issue 15 item 9). The id only names the target within this rule.
          fcParameters: [{ fcParametersId: 'ecs-pulse-forwarder', serviceName: service.name, functionName: fn.name, region: currentRegion() }],
        });
      });
    } else {
      // --- FC 3.0 ----------------------------------------------------------------------------------------
      const wantHttp = props.httpTrigger ?? true;
      if (wantHttp) {
        this.httpToken = new Password(this, 'http-token', { length: 32, special: false, upper: true, lower: true, numeric: true });
        environment.ECS_PULSE_HTTP_TOKEN = this.httpToken.result;
      }
      const fn = new Fcv3Function(this, 'function', {
        functionName: this.functionName,
        description: 'Forwards Alibaba Cloud alerts to Slack (ecs-pulse).',
        runtime,
        handler: 'index.handler',
        code: { zipFile: Fn.filebase64(this.asset.path) },
        memorySize,
        timeout,
        internetAccess: true,
        role: this.role.arn,
        environmentVariables: environment,
        logConfig: {
          project: this.logProject.projectName,
          logstore: this.logStore.logstoreName,
          enableRequestMetrics: true,
          enableInstanceMetrics: true,
          logBeginRule: 'DefaultRegex',
        },
        dependsOn: [this.ramPropagation],
        ...(tags ? { tags } : {}),
      });
      this.function = fn;
      this.eventRules = [];

      if (eventSource) {
        // Account-wide and shared by every EventBridge→FC route of the account: the provider's delete calls
        // DeleteServiceLinkedRole, so it is managed here only on request (`ecs-pulse deploy` creates it otherwise).
        if (props.manageServiceLinkedRole === true) {
          this.serviceLinkedRole = new EventBridgeServiceLinkedRole(this, 'eventbridge-slr', { productName: EVENTBRIDGE_SEND_TO_FC_ROLE });
        }
        this.eventTrigger = new Fcv3Trigger(this, 'event-trigger', {
          functionName: fn.functionName,
          qualifier: 'LATEST',
          triggerName: 'system-events',
          triggerType: 'eventbridge',
          description: 'ecs-pulse: system events from the default event bus.',
          triggerConfig: JSON.stringify({
            triggerEnable: true,
            // true = asynchronous. FC's pages disagree (the FC 2.0 API struct EventBridgeTriggerConfig of
            // fc-open 2021-04-06 says "true: invokes the function in asynchronous mode"; a 2026 rendering of the
            // 2023-03-30 struct says "true: synchronous call"). The strongest source is the official SDK model
            // generated from the FC 2023-03-30 API metadata, @alicloud/fc20230330 4.7.6
            // `EventBridgeTriggerConfig.asyncInvocationType`: "Whether to invoke the function in asynchronous
            // mode", which agrees with the 2021 struct and with the field's name. Async is also what the async
            // invoke config below (retries, on-failure destination) applies to. Pinned by a test (issue 15 item 13).
            asyncInvocationType: true,
            eventRuleFilterPattern: JSON.stringify(eventRuleFilterPattern(products, eventSource)),
            eventSourceConfig: { eventSourceType: 'Default' },
            eventSinkConfig: { deliveryOption: { eventSchema: 'CloudEvents' } },
          }),
          ...(this.serviceLinkedRole ? { dependsOn: [this.serviceLinkedRole] } : {}),
        });
      }

      if (wantHttp) {
        this.httpTrigger = new Fcv3Trigger(this, 'http-trigger', {
          functionName: fn.functionName,
          qualifier: 'LATEST',
          triggerName: 'http',
          triggerType: 'http',
          description: 'ecs-pulse: CloudMonitor metric-alarm callbacks and event webhooks (token required).',
          triggerConfig: JSON.stringify({ authType: 'anonymous', methods: ['POST'], disableURLInternet: false }),
        });
        this.callbackUrl = `${this.httpTrigger.httpTrigger.get(0).urlInternet}?token=${this.httpToken!.result}`;
        this.callbackUrlOutput = new TerraformOutput(this, 'callback-url', {
          value: this.callbackUrl,
          sensitive: true,
          description: 'URL for CloudMonitor alarm callbacks (contains the secret token).',
        });
        this.callbackUrlOutput.overrideLogicalId(`${slug(id)}_callback_url`);
      }

      const retries = props.asyncInvoke?.maxRetries ?? 2;
      this.asyncInvokeConfig = new Fcv3AsyncInvokeConfig(this, 'async-invoke', {
        functionName: fn.functionName,
        maxAsyncRetryAttempts: retries,
        maxAsyncEventAgeInSeconds: props.asyncInvoke?.maxEventAgeSeconds ?? 3600,
        ...(destination !== undefined ? { destinationConfig: { onFailure: { destination } } } : {}),
      });
    }

    // --- self-monitoring ------------------------------------------------------------------------------
    if (props.selfMonitoring) {
      const m = props.selfMonitoring;
      // Function-level dimensions of acs_fc: FC 3.0 {region, functionName}, FC 2.0 {region, serviceName,
      // functionName} (Function Compute "Monitoring data" pages of FC 3.0 and FC 2.0, CloudMonitor API).
      const dimensions: Record<string, string> = fc2
        ? { region: currentRegion(), serviceName: this.service!.name, functionName: (this.function as FcFunction).name }
        : { region: currentRegion(), functionName: (this.function as Fcv3Function).functionName };
      this.errorAlarm = new CmsAlarm(this, 'error-alarm', {
        name: `${Token.isUnresolved(this.functionName) ? 'ecs-pulse-forwarder' : this.functionName}-errors`,
        project: 'acs_fc',
        metric: m.metric ?? 'FunctionErrors',
        metricDimensions: JSON.stringify([dimensions]),
        period: m.periodSeconds ?? 60,
        contactGroups: [...m.contactGroups],
        enabled: true,
        // max_items = 1: an object, not an array.
        // CloudMonitor validates Statistics per metric since 2024-08-15: `FunctionErrors` of acs_fc offers `Value`
        // only (CloudMonitor metric list, namespace acs_fc; issue 15 item 7), so `Sum` is rejected at apply.
        escalationsCritical: { comparisonOperator: '>=', statistics: m.statistics ?? 'Value', threshold: String(m.threshold ?? 1), times: 1 },
        ...(m.webhook !== undefined ? { webhook: m.webhook } : {}),
        ...(tags ? { tags } : {}),
      });
    }

    // --- outputs the CLI reads (non-sensitive) ----------------------------------------------------------
    this.region = currentRegion();
    this.account = new DataAlicloudAccount(this, 'account', {});
    const outputs: Partial<Record<SlackForwarderOutputKey, TerraformOutput>> = {};
    const output = (key: SlackForwarderOutputKey, value: unknown, description: string): void => {
      const o = new TerraformOutput(this, `output-${SLACK_FORWARDER_OUTPUTS[key]}`, { value, description });
      o.overrideLogicalId(`${outputPrefix}${SLACK_FORWARDER_OUTPUTS[key]}`);
      outputs[key] = o;
    };
    output('fcVersion', this.fcVersion, 'Function Compute generation of the Slack forwarder (3 or 2).');
    if (fc2) {
      output('functionName', (this.function as FcFunction).name, 'FC 2.0 function name of the Slack forwarder.');
      output('serviceName', this.service!.name, 'FC 2.0 service name of the Slack forwarder.');
    } else {
      output('functionName', (this.function as Fcv3Function).functionName, 'FC 3.0 function name of the Slack forwarder.');
    }
    output('region', this.region, 'Region of the Slack forwarder function.');
    output('accountId', this.account.id, 'Account id of the Slack forwarder (FC endpoint <account>.<region>.fc.aliyuncs.com).');
    this.outputs = outputs;
  }
}

/**
 * Merges `eventSource.levels` (FC 3.0) into the function config as an exclude filter on system events, and
 * `eventSource.actionTrail` (or an ActionTrail type in `eventSource.eventTypes`) as `actionTrail: true`.
 */
function buildFunctionConfig(props: SlackForwarderProps): ForwarderJsonConfig | undefined {
  const source = props.fcVersion !== 2 && props.eventSource ? props.eventSource : undefined;
  const keepActionTrail = source?.actionTrail === true || (source?.eventTypes ?? []).some((t) => /:ActionTrail:/i.test(t));
  const config: ForwarderJsonConfig | undefined = keepActionTrail ? { ...(props.config ?? {}), actionTrail: true } : props.config;
  const levels = source?.levels;
  if (levels === undefined || levels.length === 3) return config;
  const keep = new Set(levels.map((l) => LEVEL_TO_SEVERITY[l]));
  const dropped = (['critical', 'warning', 'info'] as const).filter((s) => !keep.has(s));
  const levelFilter: AlertMatcher = { kinds: ['system-event'], severities: dropped };
  return {
    ...(config ?? {}),
    filters: { ...(config?.filters ?? {}), exclude: [...(config?.filters?.exclude ?? []), levelFilter] },
  };
}

/** Adds a `time` provider to the stack unless one is there already. */
function ensureTimeProvider(stack: TerraformStack): void {
  const has = stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === 'time');
  if (!has) new TimeProvider(stack, 'ecs-pulse-time');
}

/** Adds a `random` provider to the stack unless one is there already. */
function ensureRandomProvider(stack: TerraformStack): void {
  const has = stack.node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === 'random');
  if (!has) new RandomProvider(stack, 'ecs-pulse-random');
}
