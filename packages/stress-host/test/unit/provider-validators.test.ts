import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
import { allowedValues } from '@ecs-pulse/alicloud-provider/validators';
import { describe, expect, it } from 'vitest';
import { STRESS_HOST_SYSTEM_DISK_CATEGORIES, StressHost, StressHostError, type StressHostProps } from '../../src/index.js';
import { newStack, synth } from '../helpers/synth.js';

const ALLOWED = ['203.0.113.0/24'];

function synthHosts(props: Partial<StressHostProps>): any {
  const stack = newStack();
  new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED, ...props });
  return synth(stack).json;
}

function invalid(props: Partial<StressHostProps>): StressHostError {
  try {
    new StressHost(newStack(), 'hosts', { allowedCidrs: ALLOWED, ...props } as StressHostProps);
  } catch (err) {
    if (StressHostError.isStressHostError(err)) return err;
    throw err;
  }
  throw new Error('expected a StressHostError');
}

describe('Construct: StressHost system disk categories come from the provider validators', () => {
  it('accepts the provider list of alicloud_instance.system_disk_category, without the non-categories', () => {
    expect(STRESS_HOST_SYSTEM_DISK_CATEGORIES).toEqual(
      allowedValues('alicloud_instance', 'system_disk_category')?.filter((c) => c !== 'all' && c !== 'local_disk'),
    );
    expect(STRESS_HOST_SYSTEM_DISK_CATEGORIES).toEqual(expect.arrayContaining(['cloud_essd', 'cloud_auto', 'cloud_essd_entry', 'cloud_efficiency', 'cloud_ssd']));
  });

  it.each(STRESS_HOST_SYSTEM_DISK_CATEGORIES.map((c) => [c]))('%s: the checker finds nothing, one host and cross-zone', (category) => {
    for (const props of [{ systemDiskCategory: category }, { systemDiskCategory: category, clients: 2, crossZone: true }]) {
      const json = synthHosts(props);
      expect(checkStack(json).issues).toEqual([]);
      const [instance] = Object.values(json.resource.alicloud_instance) as any[];
      expect(instance.system_disk_category).toBe(category);
    }
  });

  it('cloud_auto: the zone lookups do not filter on it (alicloud_zones rejects it); the instance type lookup does', () => {
    const json = synthHosts({ systemDiskCategory: 'cloud_auto', clients: 1, crossZone: true });
    const zones = Object.values(json.data.alicloud_zones) as any[];
    expect(zones.length).toBeGreaterThan(0);
    for (const z of zones) expect(z.available_disk_category).toBeUndefined();
    expect((Object.values(json.data.alicloud_instance_types) as any[])[0].system_disk_category).toBe('cloud_auto');
  });

  it('cloud_essd (the default): the zone lookups filter on it, as before', () => {
    const json = synthHosts({ clients: 1, crossZone: true });
    for (const z of Object.values(json.data.alicloud_zones) as any[]) expect(z.available_disk_category).toBe('cloud_essd');
    expect((Object.values(json.data.alicloud_instance_types) as any[])[0].system_disk_category).toBeUndefined();
  });

  it.each([['cloud_Essd'], ['all'], ['local_disk'], ['ssd']])('rejects %s at construction, with the prop name and the allowed list', (category) => {
    const err = invalid({ systemDiskCategory: category });
    expect(err.issues).toEqual([
      `props.systemDiskCategory: "${category}" is not a system disk category the alicloud provider accepts; use one of ${STRESS_HOST_SYSTEM_DISK_CATEGORIES.map((c) => `"${c}"`).join(', ')} (case-sensitive).`,
    ]);
  });
});

describe('Construct: StressHost names and tags pass the provider validators', () => {
  it('rejects a 100-character namePrefix with ssh: key_name_prefix would be 101 characters (the provider allows 100)', () => {
    const prefix = `h${'x'.repeat(99)}`;
    const err = invalid({ namePrefix: prefix, ssh: true });
    expect(err.issues).toEqual([
      expect.stringContaining(`props.namePrefix: gives alicloud_ecs_key_pair.key_name_prefix "${prefix}-", which the provider rejects`),
    ]);
    expect(err.issues[0]).toContain('it allows a length from 0 to 100 characters');
    // without ssh there is no key pair: the same prefix is fine
    expect(checkStack(synthHosts({ namePrefix: prefix })).issues).toEqual([]);
  });

  it('rejects an imageNameRegex that Go (RE2) cannot compile, as the provider would at plan', () => {
    expect(invalid({ imageNameRegex: '^ubuntu_(24' }).issues).toEqual([expect.stringMatching(/^props\.imageNameRegex: "\^ubuntu_\(24" is not a valid regular expression/)]);
    expect(invalid({ imageNameRegex: '^ubuntu(?!_22)' }).issues).toEqual([expect.stringContaining('lookahead/lookbehind groups are not supported by Go (RE2)')]);
    expect(checkStack(synthHosts({ imageNameRegex: '^aliyun_3_x64.*' })).issues).toEqual([]);
  });

  it('rejects tag values the provider rejects (starting with "aliyun" or "acs:")', () => {
    const err = invalid({ tags: { owner: 'acs:ram::123:role/x' } });
    expect(err.issues).toEqual([expect.stringContaining('props.tags["owner"]: the provider rejects this tag value')]);
  });
});
