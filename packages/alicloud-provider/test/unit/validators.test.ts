import { readFileSync } from 'node:fs';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  ALICLOUD_PROVIDER_FQPN,
  allowedValues,
  attributeRules,
  checkValue,
  numberRange,
  vendoredValidators,
} from '../../src/validators/index.js';
import type { ValidatorBlock } from '../../src/validators/index.js';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../schema/${file}`, import.meta.url), 'utf8'));

describe('Subpath: @ecs-pulse/alicloud-provider/validators', () => {
  it('reads the rules of an attribute, through nested blocks, of resources, data sources and the provider', () => {
    expect(attributeRules('alicloud_ecs_key_pair', 'key_pair_name')).toMatchObject({ conflicts_with: ['key_name'] });
    expect(attributeRules('alicloud_instance', 'data_disks.category')?.validators?.[0]?.kind).toBe('enum');
    expect(attributeRules('data.alicloud_zones', 'available_disk_category')?.validators?.[0]?.kind).toBe('enum');
    expect(attributeRules('provider', 'protocol')?.validators?.[0]?.values).toEqual(['HTTP', 'HTTPS']);
    expect(attributeRules('alicloud_instance', 'no_such_attribute')).toBeUndefined();
    expect(attributeRules('alicloud_no_such_type', 'x')).toBeUndefined();
  });

  it('lists enum values and number ranges as the provider declares them', () => {
    expect(allowedValues('data.alicloud_zones', 'available_disk_category')).not.toContain('cloud_auto');
    expect(allowedValues('alicloud_instance', 'system_disk_category')).toContain('cloud_auto');
    expect(allowedValues('alicloud_fcv3_function', 'memory_size')).toBeUndefined();
    expect(numberRange('alicloud_fcv3_function', 'memory_size')).toEqual({ min: 64, max: 32768, integer: true });
    expect(numberRange('alicloud_fc_function', 'memory_size')).toEqual({ min: 128, max: 32768, integer: true });
    expect(numberRange('alicloud_fcv3_function', 'cpu')).toEqual({ min: 0.05, max: 16, integer: false });
    expect(numberRange('alicloud_fcv3_function', 'disk_size')).toEqual({ min: 512, integer: true });
  });

  it('checks literal values and lets tokens and expressions through', () => {
    expect(checkValue('data.alicloud_zones', 'available_disk_category', 'cloud_auto')).toEqual([
      {
        message: '"cloud_auto" is not allowed',
        allowed: 'one of "all", "cloud", "ephemeral_ssd", "cloud_essd", "cloud_efficiency", "cloud_ssd", "local_disk" (case-sensitive)',
      },
    ]);
    expect(checkValue('data.alicloud_zones', 'available_disk_category', 'cloud_essd')).toEqual([]);
    expect(checkValue('alicloud_fcv3_function', 'memory_size', 32768 * 2)).toHaveLength(1);
    const stack = new TerraformStack(Testing.app(), 'tokens');
    const variable = new TerraformVariable(stack, 'memory', { type: 'number' });
    expect(checkValue('alicloud_fcv3_function', 'memory_size', variable.numberValue)).toEqual([]);
    expect(checkValue('alicloud_fcv3_function', 'function_name', variable.stringValue)).toEqual([]);
    expect(checkValue('alicloud_fcv3_function', 'function_name', '${var.name}')).toEqual([]);
    expect(checkValue('alicloud_fcv3_function', 'function_name', undefined)).toEqual([]);
    // lists and maps: each element against the element validators (tag values)
    expect(checkValue('alicloud_instance', 'tags', { team: 'sre', owner: 'acs:ram' })).toHaveLength(1);
    expect(checkValue('alicloud_instance', 'tags', { team: 'sre', owner: variable.stringValue })).toEqual([]);
  });

  it('vendors the types of the vendored schema subset only, and only attributes the schema has', () => {
    const schema = read('alicloud-provider-subset.json').provider_schemas[ALICLOUD_PROVIDER_FQPN];
    const validators = vendoredValidators();
    expect(validators).toEqual(read('alicloud-provider-validators.json'));
    expect(validators.provider_versions?.[ALICLOUD_PROVIDER_FQPN]).toBe(read('alicloud-provider-subset.json').provider_versions[ALICLOUD_PROVIDER_FQPN]);
    const entry = validators.provider_schemas[ALICLOUD_PROVIDER_FQPN]!;
    const strays: string[] = [];
    const walk = (rules: ValidatorBlock, block: any, where: string): void => {
      for (const name of Object.keys(rules.attributes ?? {})) if (!block?.attributes?.[name]) strays.push(`${where}.${name}`);
      for (const [name, nested] of Object.entries(rules.block_types ?? {})) {
        if (!block?.block_types?.[name]) strays.push(`${where}.${name}`);
        else if (nested.block) walk(nested.block, block.block_types[name].block, `${where}.${name}`);
      }
    };
    for (const [type, { block }] of Object.entries(entry.resource_schemas ?? {})) {
      expect(schema.resource_schemas[type], type).toBeDefined();
      walk(block, schema.resource_schemas[type]?.block, type);
    }
    for (const [type, { block }] of Object.entries(entry.data_source_schemas ?? {})) {
      expect(schema.data_source_schemas[type], type).toBeDefined();
      walk(block, schema.data_source_schemas[type]?.block, `data.${type}`);
    }
    walk(entry.provider!.block, schema.provider.block, 'provider');
    expect(strays).toEqual([]);
  });
});
