import type { ForwarderJsonConfig } from '../function/config.js';

/**
 * An ECS event level as CloudMonitor and the ECS docs spell it.
 *
 * @example
 * ```ts
 * new SlackForwarder(stack, 'slack', { eventSource: { levels: ['CRITICAL', 'WARN'] satisfies EventLevel[] } });
 * ```
 */
export type EventLevel = 'CRITICAL' | 'WARN' | 'INFO';

/**
 * Which Alibaba Cloud system events reach the function.
 *
 * @example
 * ```ts
 * const eventSource: EventSourceProps = {
 *   products: ['ECS'],
 *   eventTypes: ['ecs:Instance:StateChange', 'ecs:Instance:PreemptibleInstanceInterruption'],
 *   levels: ['CRITICAL', 'WARN'],
 * };
 * ```
 */
export interface EventSourceProps {
  /**
   * Product codes whose events are forwarded (EventBridge source `acs.<product>`; CloudMonitor event-rule
   * product in FC 2.0 mode).
   * @default ['ECS']
   */
  readonly products?: readonly string[];
  /**
   * EventBridge event types, `<product>:<resource>:<event>` (e.g. `ecs:Instance:StateChange`). In FC 2.0 mode
   * they become the CloudMonitor rule's `name_list` without the product prefix (`Instance:StateChange`).
   * @default - ECS: its system events only (types `ecs:Instance:*`, `ecs:Disk:*`, `ecs:Snapshot:*`,
   * `ecs:NetworkInterface:*`); other products: every type of the product, less ActionTrail events
   */
  readonly eventTypes?: readonly string[];
  /**
   * Also forward ActionTrail events (`ecs:ActionTrail:ApiCall`: one event per ECS write API call, terraform's
   * own included, and `ecs:ActionTrail:AliyunServiceEvent`). FC 3.0 only: the trigger then matches
   * `ecs:ActionTrail:*` too, and the function keeps `:ActionTrail:` events (it drops them otherwise).
   * @default false
   */
  readonly actionTrail?: boolean;
  /**
   * Event levels to forward. FC 2.0: the CloudMonitor rule's `level_list`. FC 3.0: EventBridge CloudEvents
   * carry no level, so the function filters system events by severity instead (CRITICAL → critical,
   * WARN → warning, INFO → info); metric alarms are never dropped by this.
   * @default - every level
   */
  readonly levels?: readonly EventLevel[];
}

/**
 * Async invocation settings (FC 3.0 `alicloud_fcv3_async_invoke_config`). EventBridge invokes the function
 * asynchronously, so a Slack outage makes FC retry, then hand the event to `onFailureDestination`.
 *
 * @example
 * ```ts
 * const asyncInvoke: AsyncInvokeProps = {
 *   maxRetries: 2,
 *   onFailureDestination: 'acs:mns:cn-hangzhou:1234567890123456:/queues/alerts-dlq/messages',
 * };
 * ```
 */
export interface AsyncInvokeProps {
  /**
   * Retries after a failed async invocation (0–8).
   * @default 2
   */
  readonly maxRetries?: number;
  /**
   * How long FC keeps trying an event, in seconds (1–86400).
   * @default 3600
   */
  readonly maxEventAgeSeconds?: number;
  /**
   * ARN that receives events FC gave up on: an MNS queue or topic
   * (`acs:mns:<region>:<account>:/queues/<name>/messages`), another function (`acs:fc:...:functions/<name>`)
   * or an EventBridge bus (`acs:eventbridge:...:eventbus/<name>`). The function role gets only the one action
   * that destination needs.
   * @default - none (FC drops the event after the retries; it stays in the function logs)
   */
  readonly onFailureDestination?: string;
}

/**
 * The SLS project and logstore the function logs to.
 *
 * @example
 * ```ts
 * const logs: LogsProps = { projectName: 'acme-alerts-logs', retentionDays: 90 };
 * ```
 */
export interface LogsProps {
  /**
   * SLS project name (3–63 characters: lower-case letters, digits, hyphens; unique per region across Alibaba Cloud).
   * @default - `ecs-pulse-` followed by 8 random lower-case characters (`random_string`)
   */
  readonly projectName?: string;
  /**
   * Logstore name (2–63 characters: lower-case letters, digits, `_`, `-`).
   * @default 'function-logs'
   */
  readonly logstoreName?: string;
  /**
   * Log retention in days (1–3650).
   * @default 30
   */
  readonly retentionDays?: number;
}

/**
 * A CloudMonitor alarm on the forwarder's own errors, so a broken forwarder does not fail silently.
 *
 * @example
 * ```ts
 * const selfMonitoring: SelfMonitoringProps = { contactGroups: ['ops'], threshold: 1 };
 * ```
 */
export interface SelfMonitoringProps {
  /** CloudMonitor alarm contact groups to notify (at least one). */
  readonly contactGroups: readonly string[];
  /**
   * An extra webhook URL the alarm calls (not this forwarder's own callback: a failing function cannot report itself).
   * @default - none
   */
  readonly webhook?: string;
  /**
   * Metric of namespace `acs_fc` to watch.
   * @default 'FunctionErrors'
   */
  readonly metric?: string;
  /**
   * Statistic of the metric the threshold applies to; CloudMonitor accepts only the statistics the metric
   * offers (checked since 2024-08-15). `FunctionErrors` offers `Value`.
   * @default 'Value'
   */
  readonly statistics?: string;
  /**
   * Errors per period at or above which the alarm fires.
   * @default 1
   */
  readonly threshold?: number;
  /**
   * Period of the metric in seconds.
   * @default 60
   */
  readonly periodSeconds?: number;
}

/**
 * Props of {@link SlackForwarder}. Every prop is optional; unknown props are rejected.
 *
 * @example
 * ```ts
 * const props: SlackForwarderProps = {
 *   fcVersion: 3,
 *   eventSource: { products: ['ECS'], levels: ['CRITICAL', 'WARN'] },
 *   asyncInvoke: { maxRetries: 2 },
 *   config: { routing: 'first-match', message: { environment: 'prod' } },
 * };
 * ```
 */
export interface SlackForwarderProps {
  /**
   * Function Compute generation. `3`: `alicloud_fcv3_function` with an EventBridge trigger and an HTTP trigger.
   * `2`: the original environment — service `ECSMonitoringService`, function `ECSMonitoringFunction` and a
   * CloudMonitor event rule with `fc_parameters` (FC 2.0 resources are deprecated in the provider; opt-in).
   * @default 3
   */
  readonly fcVersion?: 3 | 2;
  /**
   * The Slack incoming-webhook URL. A secret: pass a token (a sensitive variable, a secret store lookup).
   * A literal string works but is written into the synthesized JSON; the construct warns about it.
   * @default - a sensitive `TerraformVariable` named by `webhookUrlVariableName`
   */
  readonly webhookUrl?: string;
  /**
   * Name of the sensitive variable declared when `webhookUrl` is omitted (reused when the stack already has it).
   * @default 'slack_webhook_url'
   */
  readonly webhookUrlVariableName?: string;
  /**
   * Function name (1–64 characters: letters, digits, `_`, `-`; starts with a letter or `_`).
   * @default 'ecs-pulse-slack-forwarder' (FC 3.0), 'ECSMonitoringFunction' (FC 2.0)
   */
  readonly functionName?: string;
  /**
   * FC 2.0 only: the service name.
   * @default 'ECSMonitoringService'
   */
  readonly serviceName?: string;
  /**
   * FC 2.0 only: the CloudMonitor event rule name (suffixed with `-<product>` when several products are set).
   * @default 'ECSMonitoringRule'
   */
  readonly eventRuleName?: string;
  /**
   * Node.js runtime.
   * @default 'nodejs20'
   */
  readonly runtime?: 'nodejs20' | 'nodejs18';
  /**
   * Memory in MB (128–32768, a multiple of 64).
   * @default 128
   */
  readonly memorySize?: number;
  /**
   * Function timeout in seconds (3–600). Slack sends stop 1.5 s before it.
   * @default 30
   */
  readonly timeout?: number;
  /**
   * Region of the function (FC 2.0 `fc_parameters.region`, self-monitoring dimensions).
   * @default - the provider's region (data source `alicloud_regions` with `current = true`)
   */
  readonly region?: string;
  /**
   * Which system events reach the function; `false` creates no event route (HTTP trigger only).
   * @default { products: ['ECS'] }
   */
  readonly eventSource?: EventSourceProps | false;
  /**
   * FC 3.0 only: manage the service-linked role `AliyunServiceRoleForEventBridgeSendToFC`, which EventBridge
   * needs to invoke the function, with `alicloud_event_bridge_service_linked_role`. **The role is account-wide:
   * every EventBridge→FC route of the account uses it, and `terraform destroy` of this stack deletes it
   * (`DeleteServiceLinkedRole`), breaking those routes.** Leave it off and let `ecs-pulse deploy` create the
   * role once when the account lacks it (or create it in the console).
   * @default false
   */
  readonly manageServiceLinkedRole?: boolean;
  /**
   * FC 3.0 only: create the HTTP trigger (anonymous, POST) guarded by a generated token, for CloudMonitor
   * metric-alarm callbacks and event webhooks.
   * @default true (FC 3.0); FC 2.0 has no HTTP trigger
   */
  readonly httpTrigger?: boolean;
  /**
   * FC 3.0 only: async invocation retries and on-failure destination.
   * @default { maxRetries: 2, maxEventAgeSeconds: 3600 }
   */
  readonly asyncInvoke?: AsyncInvokeProps;
  /**
   * SLS project/logstore for the function's logs.
   * @default - a new project and logstore, 30 days retention
   */
  readonly logs?: LogsProps;
  /**
   * Function filters, routes and message options, written to `ECS_PULSE_CONFIG` and validated at synth.
   * Routes should name their webhook with `webhookUrlEnv` and pass it through `environment`.
   * @default - no filters; every alert goes to `webhookUrl`
   */
  readonly config?: ForwarderJsonConfig;
  /**
   * Extra environment variables of the function, e.g. route webhooks (`SLACK_WEBHOOK_URL_ONCALL`). The names
   * `SLACK_WEBHOOK_URL`, `ECS_PULSE_HTTP_TOKEN` and `ECS_PULSE_CONFIG` are reserved.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Bot-token routes (`config.routes[].botTokenEnv`, Slack Web API, threads): the name of the sensitive
   * `TerraformVariable` declared for each token variable that `environment` does not provide, by the
   * `botTokenEnv` name (reused when the stack already has a variable of that name).
   * @default - one sensitive variable per `botTokenEnv`, named after it in lower case (`SLACK_BOT_TOKEN` → `slack_bot_token`)
   */
  readonly botTokenVariables?: Readonly<Record<string, string>>;
  /**
   * A CloudMonitor alarm on the function's own errors.
   * @default - none
   */
  readonly selfMonitoring?: SelfMonitoringProps;
  /**
   * Tags for the function, log project and role.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Prefix of the output names (see `SLACK_FORWARDER_OUTPUTS`); needed when a stack has two forwarders. Empty, or a
   * letter followed by letters, digits, `_` and `-`.
   * @default ''
   */
  readonly outputPrefix?: string;
}
