import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { StackConfigError, StressTestStack, loadStackConfig, resolveConfig, type StackConfig } from '../src/stack.js';

type Json = Record<string, any>;
const EXAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function synth(config: StackConfig): { json: Json; text: string; stack: StressTestStack } {
  const stack = new StressTestStack(Testing.app(), config.stackName, config);
  const text = Testing.synth(stack, true);
  return { json: JSON.parse(text) as Json, text, stack };
}

const all = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {}) as Json[];
const warnings = (stack: StressTestStack): string[] =>
  stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));

/** No literal that looks like a Slack webhook, a token or an AccessKey anywhere in the synthesized JSON. */
function expectNoSecretLiterals(text: string): void {
  expect(text).not.toMatch(/hooks\.slack\.com/);
  expect(text).not.toMatch(/\?token=[A-Za-z0-9]/); // the token is always a ${random_password...} reference
  expect(text).not.toMatch(/LTAI[A-Za-z0-9]{8,}/);
}

describe('Stack: FC 3.0 (default configuration)', () => {
  const config = loadStackConfig({ file: false, env: {}, context: {} });
  const { json, text, stack } = synth(config);

  it('passes the provider schema checker with zero issues', () => {
    expect(checkStack(json).issues).toEqual([]);
  });

  it('creates one server host with a cost cap from time_offset', () => {
    const hosts = all(json, 'alicloud_instance');
    expect(hosts).toHaveLength(1);
    const [offsetName] = Object.keys(json.resource.time_offset);
    expect(json.resource.time_offset[offsetName!]).toEqual({ offset_hours: 6 });
    expect(hosts[0]!.auto_release_time).toBe(`\${time_offset.${offsetName}.rfc3339}`);
  });

  it('creates the FC 3.0 forwarder with EventBridge and HTTP triggers, webhook from the sensitive variable', () => {
    const [fn] = all(json, 'alicloud_fcv3_function');
    expect(fn).toMatchObject({ function_name: 'ecs-pulse-slack-forwarder', runtime: 'nodejs20', handler: 'index.handler' });
    expect(fn!.environment_variables.SLACK_WEBHOOK_URL).toBe('${var.slack_webhook_url}');
    expect(json.variable.slack_webhook_url).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(all(json, 'alicloud_fcv3_trigger').map((t) => t.trigger_type).sort()).toEqual(['eventbridge', 'http']);
    // the account-wide EventBridge service-linked role is not in the stack (ecs-pulse deploy creates it if missing)
    expect(all(json, 'alicloud_event_bridge_service_linked_role')).toHaveLength(0);
    expect(json.resource.alicloud_fc_function).toBeUndefined();
    expect(json.output.forwarder_callback_url.sensitive).toBe(true);
  });

  it('alarms CPU and network on the host, calling the forwarder callback URL by reference', () => {
    const alarms = all(json, 'alicloud_cms_alarm');
    expect(alarms.map((a) => a.metric).sort()).toEqual(['CPUUtilization', 'IntranetInRate', 'IntranetOutRate']);
    const [triggerName] = Object.entries(json.resource.alicloud_fcv3_trigger).find(([, t]) => (t as Json).trigger_type === 'http')!;
    const [tokenName] = Object.keys(json.resource.random_password);
    const [groupName] = Object.keys(json.resource.alicloud_cms_alarm_contact_group);
    for (const alarm of alarms) {
      expect(alarm.webhook).toBe(`\${alicloud_fcv3_trigger.${triggerName}.http_trigger[0].url_internet}?token=\${random_password.${tokenName}.result}`);
      expect(alarm.contact_groups).toEqual([`\${alicloud_cms_alarm_contact_group.${groupName}.alarm_contact_group_name}`]);
      expect(alarm.metric_dimensions).toContain('${alicloud_instance.');
    }
    expect(json.output.alarm_rule_ids.value).toHaveLength(3);
  });

  it('creates the alarm contact group the alarms notify, so none has to exist beforehand', () => {
    expect(all(json, 'alicloud_cms_alarm_contact_group')).toEqual([
      { alarm_contact_group_name: 'ecs-pulse-alarms', describe: 'ecs-pulse: CloudMonitor alarms of stack ecs-pulse (posted to Slack by the forwarder)' },
    ]);
    expect(config.alarmContactGroup).toEqual({ create: true, name: 'ecs-pulse-alarms' });
    expect(stack.alarmContactGroup).toBeDefined();
  });

  it('opens no ingress from 0.0.0.0/0 and no SSH by default', () => {
    const rules = all(json, 'alicloud_security_group_rule');
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.every((r) => r.cidr_ip === '10.0.0.0/16')).toBe(true);
    expect(text).not.toContain('0.0.0.0/0');
    expect(rules.some((r) => r.port_range === '22/22')).toBe(false);
    expect(json.resource.local_sensitive_file).toBeUndefined();
  });

  it('writes no secret literal and no warnings', () => {
    expectNoSecretLiterals(text);
    expect(warnings(stack)).toEqual([]);
  });

  it('exposes the outputs the CLI reads (StressHost and SlackForwarder names), each once', () => {
    expect(Object.keys(json.output).sort()).toEqual([
      'alarm_rule_ids',
      'auto_release_time',
      'client_instance_ids',
      'client_private_ips',
      'client_public_ips',
      'forwarder_account_id',
      'forwarder_callback_url',
      'forwarder_fc_version',
      'forwarder_function_name',
      'forwarder_region',
      'instance_ids',
      'iperf3_port',
      'iperf3_server_count',
      'region',
      'security_group_id',
      'server_instance_id',
      'server_private_ip',
      'server_public_ip',
    ]);
    expect(json.output.forwarder_fc_version.value).toBe(3);
    expect(json.output.forwarder_region.value).toBe('cn-hangzhou');
    expect(json.output.forwarder_function_name.value).toMatch(/^\$\{alicloud_fcv3_function\.[^.]+\.function_name\}$/);
    expect(json.output.forwarder_account_id.value).toMatch(/^\$\{data\.alicloud_account\.[^.]+\.id\}$/);
    expect(json.terraform.backend).toBeUndefined();
    expect(json.provider.alicloud).toEqual([{ region: 'cn-hangzhou' }]);
  });
});

describe('Stack: FC 2.0 (the original environment, context fcVersion=2)', () => {
  const config = loadStackConfig({ file: false, env: {}, context: { fcVersion: '2' } });
  const { json, text, stack } = synth(config);

  it('passes the provider schema checker with zero issues', () => {
    expect(config.fcVersion).toBe(2);
    expect(checkStack(json).issues).toEqual([]);
  });

  it('creates ECSMonitoringService / ECSMonitoringFunction and a CloudMonitor event rule into it', () => {
    const [service] = all(json, 'alicloud_fc_service');
    const [fn] = all(json, 'alicloud_fc_function');
    expect(service).toMatchObject({ name: 'ECSMonitoringService' });
    expect(fn).toMatchObject({ name: 'ECSMonitoringFunction', handler: 'index.legacyHandler' });
    expect(fn!.environment_variables.SLACK_WEBHOOK_URL).toBe('${var.slack_webhook_url}');
    const [rule] = all(json, 'alicloud_cms_event_rule');
    expect(rule!.event_pattern).toMatchObject({ product: 'ecs' });
    expect(rule!.fc_parameters[0]).toMatchObject({ function_name: expect.stringContaining('alicloud_fc_function.'), region: 'cn-hangzhou' });
    expect(json.resource.alicloud_fcv3_function).toBeUndefined();
    expect(json.output.forwarder_service_name.value).toMatch(/^\$\{alicloud_fc_service\.[^.]+\.name\}$/);
    expect(json.output.forwarder_fc_version.value).toBe(2);
  });

  it('keeps the host and cost cap, skips metric alarms (no HTTP trigger) with a warning', () => {
    expect(all(json, 'alicloud_instance')).toHaveLength(1);
    expect(json.resource.alicloud_cms_alarm).toBeUndefined();
    expect(json.resource.alicloud_cms_alarm_contact_group).toBeUndefined();
    expect(json.output.alarm_rule_ids.value).toEqual([]);
    expect(warnings(stack)).toEqual([expect.stringContaining('FC 2.0 mode has no HTTP trigger')]);
    expectNoSecretLiterals(text);
  });
});

describe('Stack: clients, cross-zone, SSH and OSS remote state', () => {
  const config = resolveConfig({
    stackName: 'team-perf',
    region: 'cn-shanghai',
    allowedCidrs: ['203.0.113.7/32'],
    clients: 2,
    crossZone: true,
    ssh: true,
    autoReleaseHours: 3,
    alarms: { contactGroups: ['ops'], cpuUtilizationPercent: 90, level: 'critical' },
    backend: { type: 'oss', bucket: 'acme-tf-state', tablestoreEndpoint: 'https://acme.cn-shanghai.ots.aliyuncs.com', tablestoreTable: 'tf_lock' },
  });
  const { json, text } = synth(config);

  it('passes the schema checker and configures the OSS backend with locking', () => {
    expect(checkStack(json).issues).toEqual([]);
    expect(json.terraform.backend.oss).toEqual({
      bucket: 'acme-tf-state',
      prefix: 'ecs-pulse',
      key: 'terraform.tfstate',
      region: 'cn-shanghai',
      encrypt: true,
      tablestore_endpoint: 'https://acme.cn-shanghai.ots.aliyuncs.com',
      tablestore_table: 'tf_lock',
    });
  });

  it('names its account-wide resources after the stack, so it does not collide with the default stack (issue 15, defect 12)', () => {
    const other = synth(resolveConfig({})).json;
    const names = (j: Json) => [
      all(j, 'alicloud_ram_role')[0]!.role_name,
      all(j, 'alicloud_ram_policy')[0]!.policy_name,
      all(j, 'alicloud_cms_alarm_contact_group')[0]!.alarm_contact_group_name,
    ];
    expect(names(json)).toEqual(['team-perf-forwarder-role', 'team-perf-forwarder-policy', 'team-perf-alarms']);
    expect(names(other)).toEqual(['ecs-pulse-forwarder-role', 'ecs-pulse-forwarder-policy', 'ecs-pulse-alarms']);
  });

  it('creates three hosts, nine alarms, SSH from the allowed range only, and a 0600 key file', () => {
    expect(all(json, 'alicloud_instance')).toHaveLength(3);
    expect(all(json, 'alicloud_cms_alarm')).toHaveLength(9);
    expect(all(json, 'alicloud_cms_alarm').every((a) => a.escalations_critical?.threshold !== undefined)).toBe(true);
    // the stack's own group first, then the extra existing group
    const [group] = all(json, 'alicloud_cms_alarm_contact_group');
    expect(group!.alarm_contact_group_name).toBe('team-perf-alarms');
    expect(all(json, 'alicloud_cms_alarm').every((a) => a.contact_groups.length === 2 && a.contact_groups[1] === 'ops')).toBe(true);
    const ssh = all(json, 'alicloud_security_group_rule').filter((r) => r.port_range === '22/22');
    expect(ssh.map((r) => r.cidr_ip)).toEqual(['203.0.113.7/32']);
    expect(all(json, 'local_sensitive_file')[0]).toMatchObject({ file_permission: '0600' });
    expect(json.output.ssh_private_key_path).toBeDefined();
    expect(text).not.toContain('0.0.0.0/0');
    expectNoSecretLiterals(text);
  });
});

describe('Config: loading and validation', () => {
  it('layers file < environment < context', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-config-'));
    writeFileSync(path.join(dir, 'ecs-pulse.config.json'), JSON.stringify({ region: 'cn-beijing', clients: 1, allowedCidrs: ['198.51.100.0/24'] }));
    const config = loadStackConfig({
      cwd: dir,
      env: { ECS_PULSE_REGION: 'ap-southeast-1', ECS_PULSE_ALLOWED_CIDRS: '203.0.113.7/32, 198.51.100.0/24', ECS_PULSE_SSH: 'true' },
      context: { clients: '2' },
    });
    expect(config).toMatchObject({ region: 'ap-southeast-1', clients: 2, ssh: true, allowedCidrs: ['203.0.113.7/32', '198.51.100.0/24'], fcVersion: 3 });
  });

  it('reads ECS_PULSE_CONFIG_FILE relative to the app folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-config-'));
    mkdirSync(path.join(dir, 'conf'));
    writeFileSync(path.join(dir, 'conf', 'prod.json'), JSON.stringify({ fcVersion: 2, alarms: false }));
    expect(loadStackConfig({ cwd: dir, env: { ECS_PULSE_CONFIG_FILE: 'conf/prod.json' } })).toMatchObject({ fcVersion: 2, alarms: false });
  });

  it('reports every problem at once, as path: message', () => {
    // Act
    let error: unknown;
    try {
      resolveConfig({
        regoin: 'cn-hangzhou',
        allowedCidrs: ['10.0.0.1', '0.0.0.0/0'],
        clients: 40,
        fcVersion: 4,
        events: { levels: ['LOUD'] },
        alarms: { contactGroups: [] },
        alarmContactGroup: { create: false },
        backend: { bucket: 'Bad_Bucket', tablestoreTable: 'lock' },
      });
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(StackConfigError);
    const e = error as StackConfigError;
    expect(e).toMatchObject({ name: 'StackConfigError', code: 'INVALID_CONFIG' });
    expect(e.issues).toEqual([
      expect.stringMatching(/^regoin: unknown key \(allowed: stackName, region, /),
      'allowedCidrs[0]: "10.0.0.1" is not a CIDR (write 203.0.113.7/32 for one address)',
      'clients: must be a whole number from 0 to 20 (got 40)',
      'fcVersion: must be 3 (Function Compute 3.0) or 2 (the original FC 2.0 service) (got 4)',
      'events.levels[0]: must be one of CRITICAL, WARN, INFO (got "LOUD")',
      'alarms.contactGroups: must name at least one existing contact group when alarmContactGroup.create is false (every CloudMonitor alarm needs one)',
      expect.stringContaining('backend.bucket: must be an OSS bucket name'),
      'backend: tablestoreEndpoint and tablestoreTable go together (state locking needs both)',
    ]);
    expect(e.message).toContain('Invalid ecs-pulse configuration (configuration):');
  });

  it('alarmContactGroup: a custom name, or existing groups only with create: false', () => {
    // Prepare + Act: a named group that is also listed in contactGroups is named once
    const named = resolveConfig({ alarmContactGroup: { name: 'perf oncall' }, alarms: { contactGroups: ['perf oncall', 'ops'] } });
    const { json: namedJson } = synth(named);
    // Assess
    expect(all(namedJson, 'alicloud_cms_alarm_contact_group').map((g) => g.alarm_contact_group_name)).toEqual(['perf oncall']);
    expect(all(namedJson, 'alicloud_cms_alarm')[0]!.contact_groups).toEqual([expect.stringContaining('alicloud_cms_alarm_contact_group.'), 'ops']);

    const existing = resolveConfig({ alarmContactGroup: { create: false }, alarms: { contactGroups: ['ops'] } });
    const { json: existingJson, stack } = synth(existing);
    expect(existingJson.resource.alicloud_cms_alarm_contact_group).toBeUndefined();
    expect(stack.alarmContactGroup).toBeUndefined();
    expect(all(existingJson, 'alicloud_cms_alarm').every((a) => JSON.stringify(a.contact_groups) === '["ops"]')).toBe(true);
    expect(checkStack(existingJson).issues).toEqual([]);

    // alarms off: nothing to notify, no group
    const { json: off } = synth(resolveConfig({ alarms: false }));
    expect(off.resource.alicloud_cms_alarm_contact_group).toBeUndefined();
    expect(off.output.alarm_rule_ids.value).toEqual([]);

    expect(() => resolveConfig({ alarmContactGroup: { create: 'yes', name: 'a,b', contacts: ['x'] } })).toThrow(
      expect.objectContaining({
        issues: [
          'alarmContactGroup.contacts: unknown key (allowed: create, name)',
          'alarmContactGroup.create: must be true or false (got "yes")',
          'alarmContactGroup.name: must be a contact group name of up to 100 characters without commas (got "a,b")',
        ],
      }),
    );
    expect(() => resolveConfig({ alarmContactGroup: 'ops' })).toThrow(
      expect.objectContaining({ issues: ['alarmContactGroup: must be an object like {"create": true, "name": "ops-alarms"}'] }),
    );
  });

  it('names the file and the environment in the error, and rejects bad env values', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-config-'));
    writeFileSync(path.join(dir, 'ecs-pulse.config.json'), '{ "region": ');
    expect(() => loadStackConfig({ cwd: dir, env: { ECS_PULSE_SSH: 'maybe', ECS_PULSE_CLIENTS: 'two' } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        issues: [
          expect.stringMatching(/ecs-pulse\.config\.json: is not valid JSON/),
          'clients: must be a whole number from 0 to 20 (got null)',
          'ssh: must be true or false (got "maybe")',
        ],
        message: expect.stringContaining(`${path.join(dir, 'ecs-pulse.config.json')} + environment`),
      }),
    );
  });

  it('rejects crossZone without clients and a missing config file', () => {
    expect(() => resolveConfig({ crossZone: true })).toThrow(expect.objectContaining({ issues: ['crossZone: needs clients >= 1 (one host cannot span zones)'] }));
    expect(() => loadStackConfig({ cwd: tmpdir(), file: 'nope.json', env: {} })).toThrow(
      expect.objectContaining({ issues: [expect.stringMatching(/nope\.json: cannot be read \(ENOENT\)/)] }),
    );
  });

  it('the committed example config file is valid', () => {
    const example = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'ecs-pulse.config.example.json'), 'utf8')) as Record<string, unknown>;
    expect(resolveConfig(example)).toMatchObject({ fcVersion: 3, clients: 1 });
  });
});

describe('App: main.ts as cdktf.json runs it (the path of `ecs-pulse synth`)', () => {
  it('synthesizes into CDKTF_OUTDIR with context, and exits 2 with the issues on bad config', () => {
    const cdktf = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'cdktf.json'), 'utf8')) as { app: string; language: string };
    expect(cdktf.language).toBe('typescript');
    const outdir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-out-'));
    const [cmd, ...args] = cdktf.app.split(' ');
    execFileSync(cmd!, args, {
      cwd: EXAMPLE_DIR,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, CDKTF_CONTEXT_JSON: JSON.stringify({ fcVersion: '2' }) },
      stdio: 'pipe',
    });
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as Json;
    expect(Object.keys(manifest.stacks)).toEqual(['ecs-pulse']);
    const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', 'ecs-pulse', 'cdk.tf.json'), 'utf8')) as Json;
    expect(checkStack(json).issues).toEqual([]);
    expect(json.resource.alicloud_fc_function).toBeDefined();

    let failure: any;
    try {
      execFileSync(cmd!, args, { cwd: EXAMPLE_DIR, env: { PATH: process.env.PATH, CDKTF_OUTDIR: outdir, ECS_PULSE_REGION: 'Hangzhou' }, stdio: 'pipe' });
    } catch (e) {
      failure = e;
    }
    expect(failure?.status).toBe(2);
    expect(String(failure?.stderr)).toContain('region: must be a region id like cn-hangzhou (got "Hangzhou")');
  });
});
