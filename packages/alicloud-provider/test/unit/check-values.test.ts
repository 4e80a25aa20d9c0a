import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkStack } from '../../src/testing/index.js';
import type { StackIssue, ValidatorsDocument } from '../../src/testing/index.js';
import { synthGoodStack } from '../helpers/stacks.js';

type Doc = Record<string, any>;
let good: Doc;

const FQPN = 'registry.terraform.io/aliyun/alicloud';
const vendored = (): ValidatorsDocument =>
  JSON.parse(readFileSync(new URL('../../schema/alicloud-provider-validators.json', import.meta.url), 'utf8')) as ValidatorsDocument;

/** The vendored validators with extra rules on alicloud_instance attributes (kinds the vendored types do not use). */
function withInstanceRules(extra: Record<string, unknown>): ValidatorsDocument {
  const doc = vendored() as any;
  const block = doc.provider_schemas[FQPN].resource_schemas.alicloud_instance.block;
  block.attributes = { ...block.attributes, ...extra };
  return doc as ValidatorsDocument;
}

beforeAll(() => {
  good = synthGoodStack();
});

function broken(mutate: (doc: Doc) => void): Doc {
  const doc = structuredClone(good);
  mutate(doc);
  return doc;
}

/** The single issue checkStack reports for the mutated stack (the good stack has none). */
function only(doc: Doc, validators?: ValidatorsDocument): StackIssue {
  const { issues } = checkStack(doc, validators ? { validators } : {});
  expect(issues).toHaveLength(1);
  return issues[0] as StackIssue;
}

describe('Method: checkStack value validators, one failing stack per kind', () => {
  it('starts from a stack with no issues and no warnings', () => {
    expect(checkStack(good)).toEqual({ ok: true, issues: [], warnings: [] });
  });

  it('enum: alicloud_zones.available_disk_category = "cloud_auto" (what StressHost used to emit)', () => {
    const issue = only(broken((d) => (d.data.alicloud_zones.zones.available_disk_category = 'cloud_auto')));
    expect(issue).toEqual({
      path: 'data.alicloud_zones.zones.available_disk_category',
      code: 'INVALID_VALUE',
      rule: 'enum',
      address: 'data.alicloud_zones.zones',
      attribute: 'available_disk_category',
      value: '"cloud_auto"',
      allowed: 'one of "all", "cloud", "ephemeral_ssd", "cloud_essd", "cloud_efficiency", "cloud_ssd", "local_disk" (case-sensitive)',
      message:
        'data.alicloud_zones.zones: available_disk_category = "cloud_auto": "cloud_auto" is not allowed; the provider allows one of "all", "cloud", "ephemeral_ssd", "cloud_essd", "cloud_efficiency", "cloud_ssd", "local_disk" (case-sensitive).',
    });
  });

  it('enum: case matters when the provider says so, in nested blocks too', () => {
    const issue = only(broken((d) => (d.resource.alicloud_instance.host.data_disks[0].category = 'Cloud_ESSD')));
    expect(issue).toMatchObject({ path: 'resource.alicloud_instance.host.data_disks[0].category', attribute: 'data_disks[0].category', rule: 'enum' });
    expect(issue.message).toContain('did you mean "cloud_essd"? case matters');
  });

  it('enum: ignore_case validators accept any case (provider.account_type)', () => {
    expect(checkStack(broken((d) => (d.provider.alicloud[0].account_type = 'domestic'))).issues).toEqual([]);
    expect(only(broken((d) => (d.provider.alicloud[0].account_type = 'Local')))).toMatchObject({
      path: 'provider.alicloud[0].account_type',
      address: 'provider.alicloud[0]',
      allowed: 'one of "Domestic", "International" (case-insensitive)',
    });
  });

  it('int_enum: alicloud_instance.auto_renew_period = 5', () => {
    expect(only(broken((d) => (d.resource.alicloud_instance.host.auto_renew_period = 5)))).toMatchObject({
      rule: 'int_enum',
      value: '5',
      allowed: 'one of 1, 2, 3, 6, 12',
    });
  });

  it('int_range: alicloud_fcv3_function.memory_size below 64, a fraction, and IntAtLeast disk_size', () => {
    expect(only(broken((d) => (d.resource.alicloud_fcv3_function.forwarder.memory_size = 32)))).toMatchObject({
      rule: 'int_range',
      attribute: 'memory_size',
      allowed: 'a whole number from 64 to 32768',
    });
    expect(only(broken((d) => (d.resource.alicloud_fcv3_function.forwarder.memory_size = '512.5'))).message).toContain('is not a whole number');
    expect(only(broken((d) => (d.resource.alicloud_fcv3_function.forwarder.disk_size = 256)))).toMatchObject({ allowed: 'a whole number of at least 512' });
    expect(checkStack(broken((d) => (d.resource.alicloud_fcv3_function.forwarder.memory_size = 64))).issues).toEqual([]);
  });

  it('float_range: alicloud_fcv3_function.cpu = 0.01', () => {
    expect(only(broken((d) => (d.resource.alicloud_fcv3_function.forwarder.cpu = 0.01)))).toMatchObject({
      rule: 'float_range',
      allowed: 'a number from 0.05 to 16',
    });
  });

  it('len: alicloud_instance.instance_name of 1 character, counted in UTF-8 bytes like Go', () => {
    expect(only(broken((d) => (d.resource.alicloud_instance.host.instance_name = 'a')))).toMatchObject({
      rule: 'len',
      allowed: 'a length from 2 to 128 characters',
    });
    const issue = only(broken((d) => (d.resource.alicloud_ecs_key_pair.pair.key_pair_name = 'é'.repeat(65))));
    expect(issue.message).toContain('is 130 UTF-8 bytes long');
  });

  it('regex: alicloud_fcv3_function.function_name with a space', () => {
    const issue = only(broken((d) => (d.resource.alicloud_fcv3_function.forwarder.function_name = 'my function')));
    expect(issue).toMatchObject({ rule: 'regex', value: '"my function"' });
    expect(issue.allowed).toContain('a string matching /^[0-9a-zA-Z_-]+$/');
  });

  it('not_regex: an alicloud_instance tag value starting with "aliyun" (element validators of a map)', () => {
    const issue = only(broken((d) => (d.resource.alicloud_instance.host.tags.owner = 'aliyun-team')));
    expect(issue).toMatchObject({ rule: 'not_regex', path: 'resource.alicloud_instance.host.tags.owner', value: '"aliyun-team"' });
    expect(issue.allowed).toContain('a string not matching');
  });

  it('json: alicloud_ram_policy.policy_document that is not JSON', () => {
    const issue = only(broken((d) => (d.resource.alicloud_ram_policy = { p: { policy_name: 'p', policy_document: '{"Version": "1",' } })));
    expect(issue).toMatchObject({ rule: 'json', address: 'alicloud_ram_policy.p', allowed: 'a JSON document' });
  });

  it('date: a value that does not parse with the Go layout', () => {
    const validators = withInstanceRules({ auto_release_time: { validators: [{ kind: 'date', layout: '2006-01-02T15:04:05Z07:00' }] } });
    expect(only(broken((d) => (d.resource.alicloud_instance.host.auto_release_time = '2026-02-30T10:00:00Z')), validators)).toMatchObject({ rule: 'date' });
    expect(only(broken((d) => (d.resource.alicloud_instance.host.auto_release_time = '2026/02/01 10:00')), validators)).toMatchObject({ rule: 'date' });
    expect(checkStack(broken((d) => (d.resource.alicloud_instance.host.auto_release_time = '2026-02-28T10:00:00+08:00')), { validators }).issues).toEqual([]);
    // the OSS lifecycle layout of the provider (validateOssBucketDateTimestamp): leap years count
    const ossLayout = withInstanceRules({ description: { validators: [{ kind: 'date', layout: '2006-01-02' }] } });
    expect(checkStack(broken((d) => (d.resource.alicloud_instance.host.description = '2024-02-29')), { validators: ossLayout }).issues).toEqual([]);
    expect(only(broken((d) => (d.resource.alicloud_instance.host.description = '2023-02-29')), ossLayout)).toMatchObject({ rule: 'date' });
    expect(only(broken((d) => (d.resource.alicloud_instance.host.description = '2024-2-9')), ossLayout)).toMatchObject({ rule: 'date' });
  });

  it('valid_regex: data.alicloud_images.name_regex that is not a regular expression, or uses lookahead (not RE2)', () => {
    expect(only(broken((d) => (d.data.alicloud_images.ubuntu.name_regex = '^ubuntu_(22')))).toMatchObject({ rule: 'valid_regex' });
    expect(only(broken((d) => (d.data.alicloud_images.ubuntu.name_regex = '^ubuntu(?=_22)'))).message).toContain('not supported by Go (RE2)');
  });

  it('any: alicloud_instance.period = 10 (neither 1-9 nor 12/24/36/48/60)', () => {
    expect(only(broken((d) => (d.resource.alicloud_instance.host.period = 10)))).toMatchObject({
      rule: 'any',
      allowed: 'a whole number from 1 to 9; or one of 12, 24, 36, 48, 60',
    });
    expect(checkStack(broken((d) => (d.resource.alicloud_instance.host.period = 24))).issues).toEqual([]);
  });

  it('items: alicloud_instance.ipv6_addresses with more than 10 addresses', () => {
    const addresses = Array.from({ length: 11 }, (_, i) => `2408:4000::${i + 1}`);
    expect(only(broken((d) => (d.resource.alicloud_instance.host.ipv6_addresses = addresses)))).toMatchObject({ rule: 'items', allowed: '0 to 10 items' });
  });

  it('removed attributes: alicloud_instance.io_optimized, with the removed_message', () => {
    const issue = only(broken((d) => (d.resource.alicloud_instance.host.io_optimized = 'optimized')));
    expect(issue).toMatchObject({ code: 'REMOVED_ATTRIBUTE', attribute: 'io_optimized' });
    expect(issue.message).toContain('has been removed from provider version 1.213.1');
  });

  it('conflicts_with: alicloud_ecs_key_pair with key_name and key_pair_name, reported once', () => {
    const result = checkStack(broken((d) => (d.resource.alicloud_ecs_key_pair.pair.key_name = 'old')));
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'CONFLICTING_ATTRIBUTES', address: 'alicloud_ecs_key_pair.pair', allowed: 'only one of "key_name", "key_pair_name"' }),
    ]);
    // key_name is deprecated too: a warning, not an issue
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'DEPRECATED_ATTRIBUTE', attribute: 'key_name' })]);
  });

  it('exactly_one_of: alicloud_log_store with both logstore_name and name, and with neither project attribute', () => {
    const { issues } = checkStack(broken((d) => (d.resource.alicloud_log_store = { s: { logstore_name: 'a', name: 'a' } })));
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['EXACTLY_ONE_OF', 'alicloud_log_store.s: only one of "logstore_name", "name" may be set, but "logstore_name", "name" are; keep one.'],
      ['EXACTLY_ONE_OF', 'alicloud_log_store.s: one of "project", "project_name" must be set; set exactly one.'],
    ]);
    // a reference counts as set later: no issue
    expect(checkStack(broken((d) => (d.resource.alicloud_log_store = { s: { logstore_name: 'a', project_name: '${alicloud_vpc.vpc.id}' } }))).issues).toEqual([]);
  });

  it('at_least_one_of: alicloud_security_group_rule without any source', () => {
    const issue = only(broken((d) => delete d.resource.alicloud_security_group_rule.iperf.cidr_ip));
    expect(issue).toMatchObject({ code: 'AT_LEAST_ONE_OF', allowed: 'at least one of "cidr_ip", "ipv6_cidr_ip", "prefix_list_id", "source_security_group_id"' });
  });

  it('required_with: an attribute set without its partners', () => {
    const validators = withInstanceRules({ spot_price_limit: { required_with: ['spot_strategy'] } });
    const issue = only(broken((d) => (d.resource.alicloud_instance.host.spot_price_limit = 0.5)), validators);
    expect(issue).toMatchObject({ code: 'REQUIRED_WITH', allowed: 'all of "spot_price_limit", "spot_strategy" together' });
    expect(
      checkStack(broken((d) => Object.assign(d.resource.alicloud_instance.host, { spot_price_limit: 0.5, spot_strategy: 'SpotWithPriceLimit' })), { validators }).issues,
    ).toEqual([]);
  });

  it('deprecation: attributes and resource types are warnings with the provider message, not issues', () => {
    const result = checkStack(
      broken((d) => {
        d.resource.alicloud_security_group.sg.name = 'legacy';
        d.resource.alicloud_fc_service = { svc: { name: 'ECSMonitoringService' } };
      }),
    );
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([]);
    expect(result.warnings.map((w) => [w.code, w.path])).toEqual([
      ['DEPRECATED_ATTRIBUTE', 'resource.alicloud_security_group.sg.name'],
      ['DEPRECATED_RESOURCE', 'resource.alicloud_fc_service.svc'],
    ]);
    expect(result.warnings[1]?.message).toContain("Please use 'alicloud_fcv3_function' instead.");
  });

  it('skips interpolations, as Terraform knows them only at apply', () => {
    const doc = broken((d) => {
      d.data.alicloud_zones.zones.available_disk_category = '${var.allowed_cidrs[0]}';
      d.resource.alicloud_fcv3_function.forwarder.memory_size = '${length(var.allowed_cidrs)}';
      d.resource.alicloud_instance.host.instance_name = 'x-%{ if true }y%{ endif }';
      d.resource.alicloud_instance.host.tags.owner = '${var.allowed_cidrs[0]}';
    });
    expect(checkStack(doc).issues).toEqual([]);
  });

  it('never shows the value of a sensitive attribute', () => {
    const validators = withInstanceRules({ password: { sensitive: true, validators: [{ kind: 'len', min: 8, max: 30 }] } });
    const issue = only(broken((d) => (d.resource.alicloud_instance.host.password = 'hunter2')), validators);
    expect(issue.value).toBeUndefined();
    expect(JSON.stringify(issue)).not.toContain('hunter2');
    expect(issue.message).toContain('password (sensitive, value not shown)');
  });

  it('never shows the value of an attribute the schema marks sensitive, even when the validators file does not', () => {
    // alicloud_fcv3_function.code.checksum is sensitive in the schema; its name does not look secret
    const validators = vendored() as any;
    validators.provider_schemas[FQPN].resource_schemas.alicloud_fcv3_function.block.block_types.code = {
      block: { attributes: { checksum: { validators: [{ kind: 'regex', pattern: '^[0-9]+$' }] } } },
    };
    const issue = only(broken((d) => (d.resource.alicloud_fcv3_function.forwarder.code.checksum = 'crc-s3cr3t')), validators);
    expect(issue).toMatchObject({ code: 'INVALID_VALUE', attribute: 'code.checksum', rule: 'regex' });
    expect(JSON.stringify(issue)).not.toContain('s3cr3t');
  });

  it('reports every problem of a stack, and validators: false checks the schema only', () => {
    const doc = broken((d) => {
      d.resource.alicloud_instance.host.system_disk_category = 'cloud_auto_x';
      d.resource.alicloud_fcv3_function.forwarder.runtime = 'nodejs22';
      d.resource.alicloud_security_group_rule.iperf.ip_protocol = 'TCP';
    });
    expect(checkStack(doc).issues.map((i) => i.attribute)).toEqual(['runtime', 'system_disk_category', 'ip_protocol']);
    expect(checkStack(doc, { validators: false })).toEqual({ ok: true, issues: [], warnings: [] });
  });
});
