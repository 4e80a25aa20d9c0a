import { readFileSync } from 'node:fs';
import { TerraformStack, Testing } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AlicloudProviderError,
  StackSchemaError,
  assertValidStack,
  checkStack,
  isAlicloudProviderError,
} from '../../src/testing/index.js';
import type { ProviderSchemaDocument, StackIssue } from '../../src/testing/index.js';
import { buildGoodStack, synthGoodStack } from '../helpers/stacks.js';

type Doc = Record<string, any>;
let good: Doc;

beforeAll(() => {
  good = synthGoodStack();
});

/** A fresh copy of the good stack, changed by `mutate`. */
function broken(mutate: (doc: Doc) => void): Doc {
  const doc = structuredClone(good);
  mutate(doc);
  return doc;
}

function only(issues: readonly StackIssue[]): StackIssue {
  expect(issues).toHaveLength(1);
  return issues[0] as StackIssue;
}

describe('Method: checkStack on good stacks', () => {
  it('accepts a full cdk.tf.json with metadata, count, for_each, functions and other providers', () => {
    const result = checkStack(good);
    expect(result).toEqual({ ok: true, issues: [], warnings: [] });
  });

  it('accepts the JSON string of Testing.synth', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    buildGoodStack(stack);
    expect(checkStack(Testing.synth(stack))).toEqual({ ok: true, issues: [], warnings: [] });
  });

  it('accepts Terraform conversions, tokens for any type, dynamic blocks and $${ escapes', () => {
    const doc = broken((d) => {
      const fn = d.resource.alicloud_fcv3_function.forwarder;
      fn.memory_size = '512'; // numeric string: Terraform converts it
      fn.timeout = '${var.allowed_cidrs == null ? 60 : 30}';
      fn.description = 'literal $${not.a_reference} text';
      fn.environment_variables.LIST = '${join(",", [for c in var.allowed_cidrs : c])}';
      fn.environment_variables.NESTED = '${format("%s", "${alicloud_vpc.vpc.id}")}';
      d.resource.alicloud_instance.host.data_disks = undefined;
      d.resource.alicloud_instance.host.dynamic = {
        data_disks: { for_each: '${var.allowed_cidrs}', iterator: 'disk', content: { size: 40, name: '${disk.value}' } },
      };
      d.resource.alicloud_instance.host.lifecycle = { ignore_changes: ['tags'] };
      d.resource.alicloud_instance.host.depends_on = ['alicloud_vpc.vpc'];
    });
    expect(checkStack(doc).issues).toEqual([]);
  });
});

describe('Method: checkStack issue kinds', () => {
  it('UNKNOWN_ARGUMENT: an attribute the schema does not have, with a suggestion', () => {
    const issue = only(checkStack(broken((d) => (d.resource.alicloud_instance.host.instance_typ = 'x'))).issues);
    expect(issue).toEqual({
      path: 'resource.alicloud_instance.host.instance_typ',
      code: 'UNKNOWN_ARGUMENT',
      message: expect.stringContaining('alicloud_instance has no attribute or block "instance_typ" (did you mean "instance_type"?)'),
    });
  });

  it('UNKNOWN_ARGUMENT: inside a nested block', () => {
    const issue = only(checkStack(broken((d) => (d.resource.alicloud_instance.host.data_disks[0].sise = 40))).issues);
    expect(issue.code).toBe('UNKNOWN_ARGUMENT');
    expect(issue.path).toBe('resource.alicloud_instance.host.data_disks[0].sise');
    expect(issue.message).toContain('alicloud_instance.data_disks has no attribute or block "sise" (did you mean "size"?)');
  });

  it('MISSING_REQUIRED_ATTRIBUTE: a required attribute is absent', () => {
    const issue = only(checkStack(broken((d) => delete d.resource.alicloud_cms_event_rule.rule.rule_name)).issues);
    expect(issue).toEqual({
      path: 'resource.alicloud_cms_event_rule.rule.rule_name',
      code: 'MISSING_REQUIRED_ATTRIBUTE',
      message: 'alicloud_cms_event_rule requires the attribute "rule_name"; set it.',
    });
  });

  it('MISSING_REQUIRED_ATTRIBUTE: in a nested block', () => {
    const issue = only(checkStack(broken((d) => delete d.resource.alicloud_cms_event_rule.rule.event_pattern.product)).issues);
    expect(issue.code).toBe('MISSING_REQUIRED_ATTRIBUTE');
    expect(issue.path).toBe('resource.alicloud_cms_event_rule.rule.event_pattern.product');
  });

  it('MISSING_REQUIRED_BLOCK: a block with min_items = 1 is absent', () => {
    const issue = only(checkStack(broken((d) => delete d.resource.alicloud_cms_event_rule.rule.event_pattern)).issues);
    expect(issue).toEqual({
      path: 'resource.alicloud_cms_event_rule.rule.event_pattern',
      code: 'MISSING_REQUIRED_BLOCK',
      message: 'alicloud_cms_event_rule requires the block "event_pattern"; add it.',
    });
  });

  it('optional blocks may be absent (min_items is only given for required blocks)', () => {
    expect(checkStack(broken((d) => delete d.resource.alicloud_instance.host.data_disks)).issues).toEqual([]);
  });

  it('COMPUTED_ATTRIBUTE_SET: a computed-only attribute is set', () => {
    const issue = only(checkStack(broken((d) => (d.resource.alicloud_instance.host.public_ip = '1.2.3.4'))).issues);
    expect(issue).toEqual({
      path: 'resource.alicloud_instance.host.public_ip',
      code: 'COMPUTED_ATTRIBUTE_SET',
      message: 'alicloud_instance.public_ip is computed by the provider (read-only); remove it from the configuration.',
    });
  });

  it.each([
    ['number', 'memory_size', 'lots', 'must be number, got the string "lots"'],
    ['string', 'handler', { file: 'index' }, 'must be string, got an object'],
    ['map', 'environment_variables', ['A=1'], 'must be map(string), got an array'],
  ])('WRONG_TYPE: %s attribute', (_kind, attribute, value, text) => {
    const issue = only(checkStack(broken((d) => (d.resource.alicloud_fcv3_function.forwarder[attribute] = value))).issues);
    expect(issue.code).toBe('WRONG_TYPE');
    expect(issue.path).toBe(`resource.alicloud_fcv3_function.forwarder.${attribute}`);
    expect(issue.message).toContain(`alicloud_fcv3_function.${attribute} ${text}`);
  });

  it('WRONG_TYPE: bool, list elements and set', () => {
    const { issues } = checkStack(
      broken((d) => {
        d.data.alicloud_images.ubuntu.most_recent = 'yes';
        d.resource.alicloud_instance.host.security_groups = ['sg-1', ['nested']];
      }),
    );
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['WRONG_TYPE', 'resource.alicloud_instance.host.security_groups[1]'],
      ['WRONG_TYPE', 'data.alicloud_images.ubuntu.most_recent'],
    ]);
    expect(issues[1]?.message).toContain('must be bool');
  });

  it('TOO_MANY_BLOCKS: more items than max_items', () => {
    const issue = only(
      checkStack(broken((d) => (d.resource.alicloud_cms_event_rule.rule.event_pattern = [{ product: 'ecs' }, { product: 'rds' }]))).issues,
    );
    expect(issue).toEqual({
      path: 'resource.alicloud_cms_event_rule.rule.event_pattern',
      code: 'TOO_MANY_BLOCKS',
      message: 'alicloud_cms_event_rule.event_pattern allows at most 1 block, got 2; remove the extra items.',
    });
  });

  it('WRONG_BLOCK_SHAPE: a block given as a string', () => {
    const issue = only(checkStack(broken((d) => (d.resource.alicloud_cms_event_rule.rule.event_pattern = 'ecs'))).issues);
    expect(issue.code).toBe('WRONG_BLOCK_SHAPE');
    expect(issue.path).toBe('resource.alicloud_cms_event_rule.rule.event_pattern');
    expect(issue.message).toContain('alicloud_cms_event_rule.event_pattern is a block: give an object');
  });

  it('WRONG_BLOCK_SHAPE: block items that are not objects', () => {
    const issue = only(checkStack(broken((d) => (d.resource.alicloud_instance.host.data_disks = [40]))).issues);
    expect(issue.code).toBe('WRONG_BLOCK_SHAPE');
    expect(issue.path).toBe('resource.alicloud_instance.host.data_disks[0]');
  });

  it('UNKNOWN_RESOURCE_TYPE: an alicloud type the schema does not have', () => {
    const issue = only(checkStack(broken((d) => (d.resource.alicloud_instanse = { x: { instance_type: 'a' } }))).issues);
    expect(issue.code).toBe('UNKNOWN_RESOURCE_TYPE');
    expect(issue.path).toBe('resource.alicloud_instanse');
    expect(issue.message).toContain('(did you mean "alicloud_instance"?)');
    expect(issue.message).toContain('scripts/vendor-schema.mjs');
  });

  it('UNDECLARED_REFERENCE: a resource that does not exist, also inside function calls', () => {
    const { issues } = checkStack(
      broken((d) => {
        d.resource.alicloud_vswitch.vswitch.vpc_id = '${alicloud_vpc.other.id}';
        d.resource.alicloud_fcv3_function.forwarder.environment_variables.TOKEN = '${base64encode(random_password.missing.result)}';
      }),
    );
    expect(issues).toEqual([
      {
        path: 'resource.alicloud_fcv3_function.forwarder.environment_variables.TOKEN',
        code: 'UNDECLARED_REFERENCE',
        message: expect.stringContaining('${random_password.missing.result} refers to the resource random_password.missing'),
      },
      {
        path: 'resource.alicloud_vswitch.vswitch.vpc_id',
        code: 'UNDECLARED_REFERENCE',
        message: expect.stringContaining('${alicloud_vpc.other.id} refers to the resource alicloud_vpc.other, which the stack does not declare'),
      },
    ]);
  });

  it('UNDECLARED_REFERENCE: data sources, variables and locals', () => {
    const { issues } = checkStack(
      broken((d) => {
        d.resource.alicloud_vswitch.vswitch.zone_id = '${data.alicloud_zones.nope.zones[0].id}';
        d.resource.alicloud_vswitch.vswitch.description = '${var.slack_webhook} ${local.name}';
      }),
    );
    expect(issues).toEqual([
      {
        path: 'resource.alicloud_vswitch.vswitch.zone_id',
        code: 'UNDECLARED_REFERENCE',
        message: expect.stringContaining('${data.alicloud_zones.nope.zones[0].id} refers to the data source alicloud_zones.nope'),
      },
      {
        path: 'resource.alicloud_vswitch.vswitch.description',
        code: 'UNDECLARED_REFERENCE',
        message: expect.stringContaining('${var.slack_webhook} refers to the variable "slack_webhook", which the stack does not declare (did you mean "slack_webhook_url"?)'),
      },
      {
        path: 'resource.alicloud_vswitch.vswitch.description',
        code: 'UNDECLARED_REFERENCE',
        message: expect.stringContaining('${local.name} refers to the local value "name"'),
      },
    ]);
  });

  it('UNKNOWN_REFERENCE_ATTRIBUTE: resource, nested data source attribute and other providers', () => {
    const { issues } = checkStack(
      broken((d) => {
        d.output.first_host_ip.value = '${alicloud_instance.host[0].public_ipv4}';
        d.resource.alicloud_vswitch.vswitch.zone_id = '${data.alicloud_zones.zones.zones[0].zone_id}';
        d.resource.alicloud_ecs_key_pair.pair.public_key = '${tls_private_key.ssh.public_key}';
      }),
    );
    expect(issues).toEqual([
      {
        path: 'output.first_host_ip.value',
        code: 'UNKNOWN_REFERENCE_ATTRIBUTE',
        message: expect.stringContaining('alicloud_instance has no attribute "public_ipv4"'),
      },
      {
        path: 'resource.alicloud_ecs_key_pair.pair.public_key',
        code: 'UNKNOWN_REFERENCE_ATTRIBUTE',
        message: expect.stringContaining('tls_private_key has no attribute "public_key"'),
      },
      {
        path: 'resource.alicloud_vswitch.vswitch.zone_id',
        code: 'UNKNOWN_REFERENCE_ATTRIBUTE',
        message: expect.stringContaining('alicloud_zones.zones has no attribute "zone_id"'),
      },
    ]);
  });

  it('REQUIRED_PROVIDER_MISSING: alicloud resources without required_providers.alicloud', () => {
    const issue = only(checkStack(broken((d) => delete d.terraform.required_providers.alicloud)).issues);
    expect(issue).toEqual({
      path: 'terraform.required_providers.alicloud',
      code: 'REQUIRED_PROVIDER_MISSING',
      message: expect.stringContaining('declare it with source "aliyun/alicloud"'),
    });
  });

  it('INVALID_STACK_SHAPE: a section that is not an object', () => {
    const issue = only(checkStack({ resource: ['alicloud_instance'] }).issues);
    expect(issue.code).toBe('INVALID_STACK_SHAPE');
    expect(issue.path).toBe('resource');
  });

  it('checks the provider configuration block', () => {
    const issue = only(checkStack(broken((d) => (d.provider.alicloud[0].regoin = 'cn-hangzhou'))).issues);
    expect(issue.code).toBe('UNKNOWN_ARGUMENT');
    expect(issue.path).toBe('provider.alicloud[0].regoin');
  });
});

describe('Method: checkStack input and options', () => {
  it('throws INVALID_SYNTH_JSON for text that is not JSON', () => {
    expect(() => checkStack('{ not json')).toThrow(
      expect.objectContaining({
        name: 'AlicloudProviderError',
        code: 'INVALID_SYNTH_JSON',
        message: expect.stringContaining('checkStack: the input string is not JSON'),
        cause: expect.any(SyntaxError),
      }),
    );
  });

  it('throws INVALID_SYNTH_JSON for JSON that is not an object', () => {
    expect(() => checkStack('[1, 2]')).toThrow(
      expect.objectContaining({ code: 'INVALID_SYNTH_JSON', message: expect.stringContaining('expected a Terraform JSON object, got an array') }),
    );
  });

  it('uses a schema passed in options instead of the vendored one', () => {
    const schema: ProviderSchemaDocument = {
      provider_schemas: {
        'registry.terraform.io/example/demo': {
          resource_schemas: { demo_thing: { block: { attributes: { size: { type: 'number', required: true } } } } },
        },
      },
    };
    const doc = {
      terraform: { required_providers: { demo: { source: 'example/demo' } } },
      resource: { demo_thing: { a: {} }, alicloud_instance: { b: { nonsense: true } } },
    };
    const { issues } = checkStack(doc, { schema });
    expect(issues.map((i) => [i.code, i.path])).toEqual([['MISSING_REQUIRED_ATTRIBUTE', 'resource.demo_thing.a.size']]);
  });

  it('the vendored schema on disk is what the checker uses', () => {
    const vendored = JSON.parse(
      readFileSync(new URL('../../schema/alicloud-provider-subset.json', import.meta.url), 'utf8'),
    ) as ProviderSchemaDocument;
    const doc = broken((d) => (d.resource.alicloud_instance.host.instance_typ = 'x'));
    expect(checkStack(doc, { schema: vendored })).toEqual(checkStack(doc));
  });
});

describe('Method: assertValidStack', () => {
  it('returns quietly for a good stack', () => {
    expect(() => assertValidStack(good)).not.toThrow();
  });

  it('throws a StackSchemaError listing every issue as path: message', () => {
    const doc = broken((d) => {
      d.resource.alicloud_instance.host.instance_typ = 'x';
      delete d.resource.alicloud_cms_event_rule.rule.rule_name;
    });
    let caught: unknown;
    try {
      assertValidStack(doc);
    } catch (error) {
      caught = error;
    }
    expect(StackSchemaError.isStackSchemaError(caught)).toBe(true);
    expect(isAlicloudProviderError(caught)).toBe(true);
    expect(AlicloudProviderError.isAlicloudProviderError(new Error('plain'))).toBe(false);
    const error = caught as StackSchemaError;
    expect(error.name).toBe('StackSchemaError');
    expect(error.code).toBe('STACK_SCHEMA_INVALID');
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain('The synthesized stack has 2 schema issues');
    expect(error.message).toContain('  resource.alicloud_cms_event_rule.rule.rule_name: alicloud_cms_event_rule requires the attribute "rule_name"; set it. [MISSING_REQUIRED_ATTRIBUTE]');
    expect(error.message).toContain('  resource.alicloud_instance.host.instance_typ: alicloud_instance has no attribute or block "instance_typ"');
  });
});
