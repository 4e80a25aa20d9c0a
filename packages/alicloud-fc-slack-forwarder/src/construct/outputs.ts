/**
 * The names of the non-sensitive `TerraformOutput`s a `SlackForwarder` adds, without `outputPrefix`. The CLI reads
 * them with `terraform output -json` to reach the deployed function (`ecs-pulse send-test-event`).
 *
 * @example
 * ```ts
 * const outputs = JSON.parse(execSync('terraform output -json', { cwd }).toString());
 * const functionName = outputs[SLACK_FORWARDER_OUTPUTS.functionName].value as string;
 * const region = outputs[SLACK_FORWARDER_OUTPUTS.region].value as string;
 * ```
 */
export const SLACK_FORWARDER_OUTPUTS = {
  /** Function Compute generation, the number `3` or `2`. */
  fcVersion: 'forwarder_fc_version',
  /** The function name (FC 3.0 and FC 2.0), a string. */
  functionName: 'forwarder_function_name',
  /** The FC 2.0 service name, a string; only with `fcVersion: 2`. */
  serviceName: 'forwarder_service_name',
  /** The function's region id (e.g. `cn-hangzhou`): the `region` prop, else the provider's current region. */
  region: 'forwarder_region',
  /** The account id (`alicloud_account` data source), a string; the FC endpoint is `<account>.<region>.fc.aliyuncs.com`. */
  accountId: 'forwarder_account_id',
} as const;

/**
 * The keys of {@link SLACK_FORWARDER_OUTPUTS}.
 *
 * @example
 * ```ts
 * const key: SlackForwarderOutputKey = 'functionName';
 * ```
 */
export type SlackForwarderOutputKey = keyof typeof SLACK_FORWARDER_OUTPUTS;
