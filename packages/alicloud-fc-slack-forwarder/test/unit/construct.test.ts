import { AlicloudProvider } from '@ecs-pulse/alicloud-provider';
import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SLACK_FORWARDER_OUTPUTS, SlackForwarder, SlackForwarderError, functionArchivePath, type SlackForwarderProps } from '../../src/index.js';

type Json = Record<string, any>;

function synth(props?: SlackForwarderProps, setup?: (stack: TerraformStack) => void): { json: Json; text: string; forwarder: SlackForwarder; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
  setup?.(stack);
  const forwarder = new SlackForwarder(stack, 'alerts', props);
  const text = Testing.synth(stack, true);
  return { json: JSON.parse(text) as Json, text, forwarder, stack };
}

const one = (json: Json, type: string): Json => {
  const all = Object.values(json.resource?.[type] ?? {}) as Json[];
  expect(all, type).toHaveLength(1);
  return all[0]!;
};

describe('Construct: SlackForwarder (FC 3.0, default)', () => {
  const { json, text, forwarder } = synth();

  it('passes the provider schema check', () => {
    expect(checkStack(json).issues).toEqual([]);
  });

  it('creates the FC 3.0 function from the bundled archive with an absolute asset path', () => {
    const fn = one(json, 'alicloud_fcv3_function');
    expect(fn).toMatchObject({
      function_name: 'ecs-pulse-slack-forwarder',
      runtime: 'nodejs20',
      handler: 'index.handler',
      memory_size: 128,
      timeout: 30,
      internet_access: true,
    });
    expect(fn.code.zip_file).toMatch(/^\$\{filebase64\("assets\/[^"]+\/function\.zip"\)\}$/);
    expect(fn.log_config).toMatchObject({ project: expect.stringContaining('alicloud_log_project'), logstore: expect.stringContaining('alicloud_log_store') });
    expect(fn.role).toMatch(/^\$\{alicloud_ram_role\.[^.]+\.arn\}$/);
    expect(isAbsolute(functionArchivePath())).toBe(true);
    expect(existsSync(functionArchivePath())).toBe(true);
  });

  it('takes the webhook from a sensitive variable and the token from random_password', () => {
    expect(json.variable.slack_webhook_url).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    const env = one(json, 'alicloud_fcv3_function').environment_variables;
    expect(env.SLACK_WEBHOOK_URL).toBe('${var.slack_webhook_url}');
    expect(env.ECS_PULSE_HTTP_TOKEN).toMatch(/^\$\{random_password\.[^.]+\.result\}$/);
    expect(env.ECS_PULSE_CONFIG).toBeUndefined();
    expect(one(json, 'random_password')).toMatchObject({ length: 32, special: false });
    expect(json.terraform.required_providers.random).toBeDefined();
  });

  it('routes ECS system events (not ActionTrail) with an EventBridge trigger on the default bus, without managing the service-linked role', () => {
    const triggers = Object.values(json.resource.alicloud_fcv3_trigger) as Json[];
    const events = triggers.find((t) => t.trigger_type === 'eventbridge')!;
    expect(events).toMatchObject({ qualifier: 'LATEST', trigger_name: 'system-events' });
    const config = JSON.parse(events.trigger_config as string) as Json;
    expect(config).toEqual({
      triggerEnable: true,
      asyncInvocationType: true,
      eventRuleFilterPattern: JSON.stringify({
        source: ['acs.ecs'],
        type: [{ prefix: 'ecs:Instance:' }, { prefix: 'ecs:Disk:' }, { prefix: 'ecs:Snapshot:' }, { prefix: 'ecs:NetworkInterface:' }],
      }),
      eventSourceConfig: { eventSourceType: 'Default' },
      eventSinkConfig: { deliveryOption: { eventSchema: 'CloudEvents' } },
    });
    expect(json.resource.alicloud_event_bridge_service_linked_role).toBeUndefined();
    expect(events.depends_on).toBeUndefined();
  });

  it('creates an anonymous POST HTTP trigger and a sensitive callback URL output with the token', () => {
    const http = (Object.values(json.resource.alicloud_fcv3_trigger) as Json[]).find((t) => t.trigger_type === 'http')!;
    expect(JSON.parse(http.trigger_config as string)).toEqual({ authType: 'anonymous', methods: ['POST'], disableURLInternet: false });
    expect(http.qualifier).toBe('LATEST');
    const output = json.output.alerts_callback_url;
    expect(output.sensitive).toBe(true);
    expect(output.value).toMatch(/^\$\{alicloud_fcv3_trigger\.[^.]+\.http_trigger\[0\]\.url_internet\}\?token=\$\{random_password\.[^.]+\.result\}$/);
    expect(forwarder.callbackUrl).toContain('${TfToken[');
  });

  it('bounds async retries and writes logs to its own logstore with a least-privilege role', () => {
    expect(one(json, 'alicloud_fcv3_async_invoke_config')).toMatchObject({ max_async_retry_attempts: 2, max_async_event_age_in_seconds: 3600 });
    expect(one(json, 'alicloud_fcv3_async_invoke_config').destination_config).toBeUndefined();
    expect(one(json, 'alicloud_log_store')).toMatchObject({ logstore_name: 'function-logs', retention_period: 30 });
    expect(one(json, 'alicloud_log_project').project_name).toMatch(/^ecs-pulse-\$\{random_string\.[^.]+\.result\}$/);
    const trust = JSON.parse(one(json, 'alicloud_ram_role').assume_role_policy_document as string) as Json;
    expect(trust.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['fc.aliyuncs.com'] } }]);
    const policy = JSON.parse(one(json, 'alicloud_ram_policy').policy_document as string) as Json;
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toEqual(['log:PostLogStoreLogs']);
    expect(policy.Statement[0].Resource).toEqual([
      expect.stringMatching(/^acs:log:\*:\*:project\/\$\{alicloud_log_project\.[^.]+\.project_name\}\/logstore\/\$\{alicloud_log_store\.[^.]+\.logstore_name\}$/),
    ]);
    expect(JSON.stringify(policy)).not.toMatch(/"\*"|"log:\*"/);
    expect(one(json, 'alicloud_ram_role_policy_attachment')).toMatchObject({ policy_type: 'Custom' });
  });

  it('writes no webhook URL or token literal into the synthesized JSON', () => {
    expect(text).not.toMatch(/hooks\.slack\.com/);
    expect(text).not.toMatch(/token=[A-Za-z0-9]{8,}/);
    expect(Object.keys(json.resource)).not.toContain('alicloud_fc_function');
  });

  it('adds the documented non-sensitive outputs the CLI reads (function, region, account, FC version)', () => {
    // Assess: exactly the documented names (no service name with FC 3.0) beside the sensitive callback URL
    expect(Object.keys(json.output).sort()).toEqual(
      ['alerts_callback_url', ...Object.values(SLACK_FORWARDER_OUTPUTS).filter((n) => n !== 'forwarder_service_name')].sort(),
    );
    expect(json.output.forwarder_fc_version).toEqual({ value: 3, description: expect.stringContaining('(3 or 2)') });
    expect(json.output.forwarder_function_name.value).toMatch(/^\$\{alicloud_fcv3_function\.[^.]+\.function_name\}$/);
    expect(json.output.forwarder_region.value).toMatch(/^\$\{element\(data\.alicloud_regions\.[^.]+\.ids, 0\)\}$/);
    expect(Object.values(json.data.alicloud_regions)).toEqual([{ current: true }]);
    expect(json.output.forwarder_account_id.value).toMatch(/^\$\{data\.alicloud_account\.[^.]+\.id\}$/);
    for (const name of Object.values(SLACK_FORWARDER_OUTPUTS).filter((n) => n !== 'forwarder_service_name')) {
      expect(json.output[name].sensitive, name).toBeUndefined();
    }
    expect(Object.keys(forwarder.outputs).sort()).toEqual(['accountId', 'fcVersion', 'functionName', 'region']);
    expect(forwarder.region).toContain('${TfToken[');
  });
});

describe('Construct: SlackForwarder options (FC 3.0)', () => {
  it('filters EventBridge sources/types and compiles levels into the function config', () => {
    const { json } = synth({
      eventSource: { products: ['ECS', 'Rds'], eventTypes: ['ecs:Instance:StateChange', 'rds:Instance:Failover'], levels: ['CRITICAL', 'WARN'] },
      config: { message: { environment: 'prod' } },
    });
    expect(checkStack(json).issues).toEqual([]);
    const trigger = (Object.values(json.resource.alicloud_fcv3_trigger) as Json[]).find((t) => t.trigger_type === 'eventbridge')!;
    expect(JSON.parse(JSON.parse(trigger.trigger_config).eventRuleFilterPattern)).toEqual({
      source: ['acs.ecs', 'acs.rds'],
      type: ['ecs:Instance:StateChange', 'rds:Instance:Failover'],
    });
    const config = JSON.parse(one(json, 'alicloud_fcv3_function').environment_variables.ECS_PULSE_CONFIG) as Json;
    expect(config).toEqual({ message: { environment: 'prod' }, filters: { exclude: [{ kinds: ['system-event'], severities: ['info'] }] } });
  });

  it('uses a given webhook token, routes, names, memory, on-failure destination and self-monitoring', () => {
    const { json, text, forwarder } = synth(
      {
        functionName: 'acme_alerts',
        memorySize: 256,
        timeout: 60,
        region: 'cn-shanghai',
        asyncInvoke: { maxRetries: 1, maxEventAgeSeconds: 600, onFailureDestination: 'acs:mns:cn-shanghai:1234567890123456:/queues/dlq/messages' },
        logs: { projectName: 'acme-alerts-logs', logstoreName: 'fc', retentionDays: 7 },
        environment: { SLACK_WEBHOOK_URL_ONCALL: '${var.oncall}' }, // a raw Terraform expression is a token too
        config: { routes: [{ name: 'oncall', webhookUrlEnv: 'SLACK_WEBHOOK_URL_ONCALL', match: { severities: ['critical'] } }] },
        selfMonitoring: { contactGroups: ['ops'], threshold: 3 },
        tags: { team: 'sre' },
      },
      (stack) => new TerraformVariable(stack, 'oncall', { type: 'string', sensitive: true }),
    );
    expect(checkStack(json).issues).toEqual([]);
    expect(json.resource.alicloud_event_bridge_service_linked_role).toBeUndefined();
    expect(one(json, 'alicloud_fcv3_function')).toMatchObject({ function_name: 'acme_alerts', memory_size: 256, timeout: 60, tags: { team: 'sre' } });
    expect(one(json, 'alicloud_ram_role').role_name).toBe('test-alerts-role');
    expect(one(json, 'alicloud_fcv3_async_invoke_config')).toMatchObject({
      max_async_retry_attempts: 1,
      max_async_event_age_in_seconds: 600,
      destination_config: { on_failure: { destination: 'acs:mns:cn-shanghai:1234567890123456:/queues/dlq/messages' } },
    });
    const policy = JSON.parse(one(json, 'alicloud_ram_policy').policy_document as string) as Json;
    expect(policy.Statement[1]).toEqual({ Effect: 'Allow', Action: ['mns:SendMessage'], Resource: ['acs:mns:cn-shanghai:1234567890123456:/queues/dlq/messages'] });
    expect(one(json, 'alicloud_log_project').project_name).toBe('acme-alerts-logs');
    expect(json.resource.random_string).toBeUndefined();
    const alarm = one(json, 'alicloud_cms_alarm');
    expect(alarm).toMatchObject({
      project: 'acs_fc',
      metric: 'FunctionErrors',
      contact_groups: ['ops'],
      escalations_critical: { comparison_operator: '>=', statistics: 'Value', threshold: '3', times: 1 },
    });
    expect(JSON.parse(alarm.metric_dimensions as string)).toEqual([{ region: 'cn-shanghai', functionName: expect.stringContaining('alicloud_fcv3_function.') }]);
    expect(forwarder.errorAlarm).toBeDefined();
    expect(one(json, 'alicloud_fcv3_function').environment_variables.SLACK_WEBHOOK_URL_ONCALL).toBe('${var.oncall}');
    expect(text).not.toMatch(/hooks\.slack\.com/);
  });

  it('can skip the HTTP trigger and the event route', () => {
    const { json, forwarder } = synth({ httpTrigger: false, eventSource: false });
    expect(checkStack(json).issues).toEqual([]);
    expect(json.resource.alicloud_fcv3_trigger).toBeUndefined();
    expect(json.resource.random_password).toBeUndefined();
    expect(Object.keys(json.output).sort()).toEqual(['forwarder_account_id', 'forwarder_fc_version', 'forwarder_function_name', 'forwarder_region']);
    expect(forwarder.callbackUrl).toBeUndefined();
    expect(forwarder.callbackUrlOutput).toBeUndefined();
  });

  it('warns about (but accepts) a literal webhook URL', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'literal');
    new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
    const forwarder = new SlackForwarder(stack, 'alerts', { webhookUrl: 'https://hooks.slack.com/services/T0/B0/literal' });
    const warnings = forwarder.node.metadata.filter((m) => m.type === '@cdktf/warn');
    expect(warnings.map((w) => String(w.data))).toEqual([expect.stringContaining('webhookUrl is a literal string')]);
    expect(JSON.parse(Testing.synth(stack)).variable).toBeUndefined();
  });

  it('reuses an existing slack_webhook_url variable for a second forwarder', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'two');
    new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
    const a = new SlackForwarder(stack, 'a', { functionName: 'fwd-a' });
    const b = new SlackForwarder(stack, 'b', { functionName: 'fwd-b', outputPrefix: 'b_' });
    expect(b.webhookUrlVariable).toBe(a.webhookUrlVariable);
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(Object.keys(json.variable)).toEqual(['slack_webhook_url']);
    expect(Object.keys(json.output).filter((k) => k.endsWith('_callback_url')).sort()).toEqual(['a_callback_url', 'b_callback_url']);
    expect(json.output.forwarder_function_name.value).toMatch(/^\$\{alicloud_fcv3_function\.[^.]+\.function_name\}$/);
    expect(json.output.b_forwarder_function_name.value).not.toBe(json.output.forwarder_function_name.value);
    expect(Object.keys(json.provider.random)).toHaveLength(1);
    expect(checkStack(json).issues).toEqual([]);
  });
});

describe('Construct: SlackForwarder (FC 2.0, the original environment)', () => {
  const { json, text } = synth({ fcVersion: 2, eventSource: { levels: ['CRITICAL', 'WARN'], eventTypes: ['ecs:Instance:StateChange'] } });

  it('passes the provider schema check', () => {
    expect(checkStack(json).issues).toEqual([]);
  });

  it('creates ECSMonitoringService / ECSMonitoringFunction from the bundled archive', () => {
    expect(one(json, 'alicloud_fc_service')).toMatchObject({
      name: 'ECSMonitoringService',
      internet_access: true,
      log_config: { project: expect.stringContaining('alicloud_log_project'), logstore: expect.stringContaining('alicloud_log_store') },
    });
    const fn = one(json, 'alicloud_fc_function');
    expect(fn).toMatchObject({ name: 'ECSMonitoringFunction', handler: 'index.legacyHandler', runtime: 'nodejs20' });
    expect(fn.service).toMatch(/^\$\{alicloud_fc_service\.[^.]+\.name\}$/);
    expect(fn.filename).toMatch(/^assets\/[^"]+\/function\.zip$/);
    expect(fn.environment_variables).toEqual({ SLACK_WEBHOOK_URL: '${var.slack_webhook_url}' });
  });

  it('wires an alicloud_cms_event_rule with fc_parameters for ECS events (event_pattern as one block)', () => {
    const rule = one(json, 'alicloud_cms_event_rule');
    expect(rule).toMatchObject({ rule_name: 'ECSMonitoringRule', status: 'ENABLED' });
    expect(rule.event_pattern).toEqual({ product: 'ecs', level_list: ['CRITICAL', 'WARN'], name_list: ['Instance:StateChange'] });
    expect(rule.fc_parameters).toEqual([
      {
        fc_parameters_id: 'ecs-pulse-forwarder',
        service_name: expect.stringMatching(/^\$\{alicloud_fc_service\..+\.name\}$/),
        function_name: expect.stringMatching(/^\$\{alicloud_fc_function\..+\.name\}$/),
        region: expect.stringContaining('data.alicloud_regions.'),
      },
    ]);
  });

  it('outputs the FC 2.0 service and function names, the region and the account id', () => {
    expect(Object.keys(json.output).sort()).toEqual(Object.values(SLACK_FORWARDER_OUTPUTS).sort());
    expect(json.output.forwarder_fc_version.value).toBe(2);
    expect(json.output.forwarder_service_name.value).toMatch(/^\$\{alicloud_fc_service\.[^.]+\.name\}$/);
    expect(json.output.forwarder_function_name.value).toMatch(/^\$\{alicloud_fc_function\.[^.]+\.name\}$/);
    // the region of the outputs is the one data source the event rule uses too
    expect(Object.keys(json.data.alicloud_regions)).toHaveLength(1);
    expect(json.output.forwarder_region.value).toBe(one(json, 'alicloud_cms_event_rule').fc_parameters[0].region);
    expect(json.output.forwarder_account_id.value).toMatch(/^\$\{data\.alicloud_account\.[^.]+\.id\}$/);
  });

  it('creates no FC 3.0 resources, no HTTP trigger and no token', () => {
    for (const type of ['alicloud_fcv3_function', 'alicloud_fcv3_trigger', 'alicloud_fcv3_async_invoke_config', 'random_password', 'alicloud_event_bridge_service_linked_role']) {
      expect(json.resource[type], type).toBeUndefined();
    }
    expect(text).not.toMatch(/hooks\.slack\.com/);
  });

  it('overrides names and creates one rule per product', () => {
    const { json: custom } = synth({ fcVersion: 2, serviceName: 'Svc', functionName: 'Fn', eventRuleName: 'Rule', region: 'cn-beijing', eventSource: { products: ['ECS', 'RDS'] } });
    expect(checkStack(custom).issues).toEqual([]);
    expect(one(custom, 'alicloud_fc_service').name).toBe('Svc');
    expect(one(custom, 'alicloud_fc_function').name).toBe('Fn');
    const rules = Object.values(custom.resource.alicloud_cms_event_rule) as Json[];
    expect(rules.map((r) => [r.rule_name, r.event_pattern.product, r.fc_parameters[0].region])).toEqual([
      ['Rule-ecs', 'ecs', 'cn-beijing'],
      ['Rule-rds', 'rds', 'cn-beijing'],
    ]);
    // a given region is output as it is, without a regions data source
    expect(custom.output.forwarder_region.value).toBe('cn-beijing');
    expect(custom.data.alicloud_regions).toBeUndefined();
  });
});

describe('Construct: props validation', () => {
  const cases: [string, SlackForwarderProps, string, string][] = [
    ['a bad fcVersion', { fcVersion: 4 as never }, 'fcVersion', 'must be 3 (FC 3.0, the default) or 2'],
    ['an unknown prop', { functionname: 'x' } as never, 'props.functionname', 'is not a known prop'],
    ['a function name with spaces', { functionName: 'has spaces' }, 'functionName', 'must be 1-64 characters'],
    ['a too long function name', { functionName: 'f'.repeat(65) }, 'functionName', 'must be 1-64 characters'],
    ['empty products', { eventSource: { products: [] } }, 'eventSource.products', 'is empty; give at least one product'],
    ['an event type of another product', { eventSource: { eventTypes: ['rds:Instance:Failover'] } }, 'eventSource.eventTypes[0]', 'belongs to none of the products'],
    ['a bad level', { eventSource: { levels: ['FATAL' as never] } }, 'eventSource.levels[0]', 'must be one of CRITICAL, WARN, INFO'],
    ['memory not a multiple of 64', { memorySize: 200 }, 'memorySize', 'must be a multiple of 64 MB'],
    ['a timeout out of range', { timeout: 1000 }, 'timeout', 'must be an integer from 3 to 600'],
    // the memory and event-age ranges are the alicloud provider's own (@ecs-pulse/alicloud-provider/validators)
    ['memory above the provider maximum', { memorySize: 32768 + 64 }, 'memorySize', 'must be an integer from 128 to 32768'],
    ['FC 2.0 memory below the provider minimum', { fcVersion: 2, memorySize: 64 }, 'memorySize', 'must be an integer from 128 to 32768'],
    ['an event age above the provider maximum', { asyncInvoke: { maxEventAgeSeconds: 86401 } }, 'asyncInvoke.maxEventAgeSeconds', 'must be an integer from 1 to 86400'],
    ['too many retries', { asyncInvoke: { maxRetries: 9 } }, 'asyncInvoke.maxRetries', 'must be an integer from 0 to 8'],
    ['a bad destination', { asyncInvoke: { onFailureDestination: 'arn:aws:sqs:x' } }, 'asyncInvoke.onFailureDestination', 'must be the ARN of an MNS queue'],
    ['an http webhook', { webhookUrl: 'http://hooks.slack.com/services/x' }, 'webhookUrl', 'must be an https: URL'],
    ['a reserved env name', { environment: { SLACK_WEBHOOK_URL: 'x' } }, 'environment.SLACK_WEBHOOK_URL', 'is reserved; use webhookUrl instead'],
    ['a bad log project name', { logs: { projectName: 'Has_Upper' } }, 'logs.projectName', '3-63 characters of lower-case letters'],
    ['a config route without its env var', { config: { routes: [{ name: 'oncall', webhookUrlEnv: 'ONCALL' }] } }, 'config', 'config.routes[0].webhookUrlEnv: environment variable ONCALL is not set'],
    ['a bad config key', { config: { routing: 'sometimes' as never } }, 'config', 'config.routing: must be "first-match" or "all-matches"'],
    ['self-monitoring without contact groups', { selfMonitoring: { contactGroups: [] } }, 'selfMonitoring.contactGroups', 'at least one CloudMonitor alarm contact group'],
    ['serviceName with FC 3.0', { serviceName: 'X' }, 'serviceName', 'applies to FC 2.0 only'],
    ['an HTTP trigger with FC 2.0', { fcVersion: 2, httpTrigger: true }, 'httpTrigger', 'is not available with fcVersion: 2'],
    ['no event source with FC 2.0', { fcVersion: 2, eventSource: false }, 'eventSource', 'cannot be false with fcVersion: 2'],
    ['async config with FC 2.0', { fcVersion: 2, asyncInvoke: {} }, 'asyncInvoke', 'applies to FC 3.0 only'],
    ['an output prefix with a dot', { outputPrefix: 'a.b_' }, 'outputPrefix', 'must be empty, or a letter followed by letters, digits, _ and -'],
    ['an output prefix starting with a digit', { outputPrefix: '1_' }, 'outputPrefix', 'must be empty, or a letter'],
  ];

  it.each([
    ['a route webhookUrlEnv', { config: { routes: [{ name: 'oncall', webhookUrlEnv: 'https://hooks.slack.com/services/T0SECRET/B0SECRET/PastedSecretValue1' }] } }, 'config'],
    ['an environment key', { environment: { 'https://hooks.slack.com/services/T0SECRET/B0SECRET/PastedSecretValue1': 'x' } }, 'environment'],
  ] as [string, SlackForwarderProps, string][])('never echoes a webhook URL pasted into %s in the SlackForwarderPropsError', (_label, props, prop) => {
    let caught: unknown;
    try {
      new SlackForwarder(new TerraformStack(new App(), 'pasted'), 'alerts', props);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'SlackForwarderPropsError', code: 'INVALID_PROPS', prop });
    const text = `${(caught as Error).message} ${JSON.stringify(caught)} ${String((caught as Error).stack)}`;
    for (const piece of ['PastedSecretValue1', 'T0SECRET', 'hooks.slack.com']) expect(text).not.toContain(piece);
  });

  it.each(cases)('rejects %s with an error naming the prop', (_label, props, prop, message) => {
    const stack = new TerraformStack(new App(), 'invalid');
    let caught: unknown;
    try {
      new SlackForwarder(stack, 'alerts', props);
    } catch (error) {
      caught = error;
    }
    expect(SlackForwarderError.isSlackForwarderError(caught)).toBe(true);
    expect(caught).toMatchObject({ name: 'SlackForwarderPropsError', code: 'INVALID_PROPS', prop });
    expect((caught as Error).message).toContain(`SlackForwarder prop "${prop}"`);
    expect((caught as Error).message).toContain(message);
  });

  it('prefixes the output names with outputPrefix and rejects a prefix another forwarder already uses', () => {
    // Prepare
    const app = Testing.app();
    const stack = new TerraformStack(app, 'prefixed');
    new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
    new SlackForwarder(stack, 'ops', { outputPrefix: 'ops_', functionName: 'fwd-ops' });
    // Act
    let caught: unknown;
    try {
      new SlackForwarder(stack, 'dev', { outputPrefix: 'ops_', functionName: 'fwd-dev' });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toMatchObject({ name: 'SlackForwarderPropsError', code: 'INVALID_PROPS', prop: 'outputPrefix' });
    expect((caught as Error).message).toBe(
      'SlackForwarder prop "outputPrefix" "ops_" is already used by another SlackForwarder in stack "prefixed"; give each forwarder its own outputPrefix (e.g. "dev_") so the output names do not collide.',
    );
    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(Object.keys(json.output).sort()).toEqual(['ops_callback_url', 'ops_forwarder_account_id', 'ops_forwarder_fc_version', 'ops_forwarder_function_name', 'ops_forwarder_region']);
  });

  it('never echoes a literal webhook URL in an error', () => {
    const stack = new TerraformStack(new App(), 'invalid');
    expect(() => new SlackForwarder(stack, 'alerts', { webhookUrl: 'http://hooks.slack.com/services/T/B/very-secret' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('very-secret') }),
    );
  });
});

describe('Artifact: the built library finds its function archive from ESM and CJS', () => {
  it.each([
    ['ESM', ['--input-type=module', '-e', `import(${JSON.stringify(new URL('../../dist/index.js', import.meta.url).href)}).then((m) => console.log(m.functionArchivePath()))`]],
    ['CJS', ['-e', `console.log(require(${JSON.stringify(fileURLToPath(new URL('../../dist/index.cjs', import.meta.url)))}).functionArchivePath())`]],
  ])('%s build: an absolute path to dist/function.zip, whatever the current directory', (_format, args) => {
    const out = execFileSync(process.execPath, args, { cwd: tmpdir(), encoding: 'utf8' }).trim();
    expect(isAbsolute(out)).toBe(true);
    expect(out).toBe(fileURLToPath(new URL('../../dist/function.zip', import.meta.url)));
  });
});

describe('Construct: the cloud contract (issue 15)', () => {
  const pattern = (json: Json): Json => {
    const trigger = (Object.values(json.resource.alicloud_fcv3_trigger) as Json[]).find((t) => t.trigger_type === 'eventbridge')!;
    return JSON.parse(JSON.parse(trigger.trigger_config as string).eventRuleFilterPattern as string) as Json;
  };
  const fnConfig = (json: Json): Json | undefined => {
    const raw = one(json, 'alicloud_fcv3_function').environment_variables.ECS_PULSE_CONFIG as string | undefined;
    return raw === undefined ? undefined : (JSON.parse(raw) as Json);
  };

  it('4: manages the account-wide EventBridge service-linked role only when asked to, and then depends on it', () => {
    const { json } = synth({ manageServiceLinkedRole: true });
    expect(checkStack(json).issues).toEqual([]);
    expect(one(json, 'alicloud_event_bridge_service_linked_role')).toEqual({ product_name: 'AliyunServiceRoleForEventBridgeSendToFC' });
    const trigger = (Object.values(json.resource.alicloud_fcv3_trigger) as Json[]).find((t) => t.trigger_type === 'eventbridge')!;
    expect(trigger.depends_on).toEqual([expect.stringContaining('alicloud_event_bridge_service_linked_role.')]);
    expect(() => synth({ fcVersion: 2, manageServiceLinkedRole: false })).toThrow(/"manageServiceLinkedRole".*applies to FC 3\.0 only/);
  });

  it('6: ActionTrail events are an explicit opt-in, in the trigger pattern and in the function config', () => {
    const off = synth().json;
    expect(JSON.stringify(pattern(off).type)).not.toContain('ActionTrail');
    expect(fnConfig(off)).toBeUndefined(); // the function's default drops :ActionTrail: events
    const on = synth({ eventSource: { actionTrail: true } }).json;
    expect(checkStack(on).issues).toEqual([]);
    expect(pattern(on).type).toContainEqual({ prefix: 'ecs:ActionTrail:' });
    expect(fnConfig(on)).toEqual({ actionTrail: true });
    // a listed ActionTrail type is kept by the function too; other products match by their type prefix
    const typed = synth({ eventSource: { products: ['ECS', 'RDS'], eventTypes: ['ecs:ActionTrail:ApiCall'] } }).json;
    expect(fnConfig(typed)).toEqual({ actionTrail: true });
    expect(pattern(synth({ eventSource: { products: ['ECS', 'RDS'] } }).json).type).toContainEqual({ prefix: 'rds:' });
    expect(() => synth({ fcVersion: 2, eventSource: { actionTrail: true } })).toThrow(/"eventSource\.actionTrail".*applies to FC 3\.0 only/);
  });

  it('7: the self-monitoring alarm watches acs_fc FunctionErrors with the statistic CloudMonitor offers for it (Value)', () => {
    for (const fcVersion of [3, 2] as const) {
      const { json } = synth({ fcVersion, selfMonitoring: { contactGroups: ['ops'] } });
      expect(checkStack(json).issues).toEqual([]);
      const alarm = one(json, 'alicloud_cms_alarm');
      expect(alarm).toMatchObject({ project: 'acs_fc', metric: 'FunctionErrors' });
      expect(alarm.escalations_critical.statistics).toBe('Value');
    }
    expect(() => synth({ selfMonitoring: { contactGroups: ['ops'], statistics: 'Sum Total' } })).toThrow(/selfMonitoring\.statistics/);
  });

  it('9: the FC 2.0 event rule target has an fc_parameters_id', () => {
    const { json } = synth({ fcVersion: 2 });
    expect(one(json, 'alicloud_cms_event_rule').fc_parameters[0].fc_parameters_id).toBe('ecs-pulse-forwarder');
  });

  it('10: the function (FC 3.0) and the service (FC 2.0) wait for the policy attachment and RAM propagation', () => {
    for (const [fcVersion, type] of [[3, 'alicloud_fcv3_function'], [2, 'alicloud_fc_service']] as const) {
      const { json } = synth({ fcVersion });
      expect(checkStack(json).issues).toEqual([]);
      const [sleepId, sleep] = Object.entries(json.resource.time_sleep as Json)[0]!;
      expect(sleep).toMatchObject({ create_duration: '15s' });
      expect(sleep.depends_on).toEqual([expect.stringMatching(/^alicloud_ram_role_policy_attachment\./)]);
      expect(one(json, type).depends_on).toEqual([`time_sleep.${sleepId}`]);
      expect(json.terraform.required_providers.time).toBeDefined();
    }
  });

  it('12: RAM role and policy names come from the stack and construct path, within RAM length and charset', () => {
    const names = (stackId: string, id: string) => {
      const app = Testing.app();
      const stack = new TerraformStack(app, stackId);
      new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
      new SlackForwarder(stack, id, {});
      const json = JSON.parse(Testing.synth(stack)) as Json;
      return [one(json, 'alicloud_ram_role').role_name as string, one(json, 'alicloud_ram_policy').policy_name as string];
    };
    expect(names('prod', 'alerts')).toEqual(['prod-alerts-role', 'prod-alerts-policy']);
    expect(names('staging', 'alerts')).toEqual(['staging-alerts-role', 'staging-alerts-policy']);
    const [role, policy] = names(`stack_${'x'.repeat(80)}`, 'Alerts.Forwarder');
    const [role2] = names(`stack_${'x'.repeat(80)}`, 'Alerts.Other');
    expect(role).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
    expect(role).toMatch(/-[0-9a-f]{8}-role$/);
    expect(policy).toMatch(/^[A-Za-z0-9-]{1,128}$/);
    expect(role2).not.toBe(role); // the hash keeps truncated names apart
  });

  it('13: the EventBridge trigger invokes the function asynchronously (asyncInvocationType true = async, per the FC 2023-03-30 SDK model)', () => {
    const { json } = synth();
    const trigger = (Object.values(json.resource.alicloud_fcv3_trigger) as Json[]).find((t) => t.trigger_type === 'eventbridge')!;
    expect(JSON.parse(trigger.trigger_config as string).asyncInvocationType).toBe(true);
    // the async invoke config (retries, on-failure destination) only applies to asynchronous invocations
    expect(one(json, 'alicloud_fcv3_async_invoke_config').max_async_retry_attempts).toBe(2);
  });
});
