import { createRequire } from 'node:module';
import { isAbsolute } from 'node:path';
import { checkStack } from '@ecs-pulse/alicloud-provider/testing';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { STRESS_HOST_OUTPUTS, StressHost, StressHostError, renderCloudInit, type StressHostProps } from '../../src/index.js';
import { newStack, resources, synth, warnings } from '../helpers/synth.js';

const require = createRequire(import.meta.url);
const schema = require('@ecs-pulse/alicloud-provider/schema.json');
const alicloudSchema: Record<string, any> = (Object.values(schema.provider_schemas)[0] as any).resource_schemas;

const ALLOWED = ['203.0.113.0/24'];

/** Every (type, name, body) of the synthesized resources. */
function allResources(json: any): Array<[string, string, any]> {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName as Record<string, any>).map(([name, body]) => [type, name, body] as [string, string, any]),
  );
}

function invalidProps(props: unknown): StressHostError {
  const stack = newStack();
  try {
    new StressHost(stack, 'hosts', props as StressHostProps);
  } catch (err) {
    if (StressHostError.isStressHostError(err)) return err;
    throw err;
  }
  throw new Error('expected a StressHostError');
}

describe('Construct: StressHost, single host with defaults', () => {
  const stack = newStack();
  const host = new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED });
  const { text, json } = synth(stack);

  it('passes the provider schema checker', () => {
    expect(checkStack(json).issues).toEqual([]);
  });

  it('creates one server host in a created VPC, vSwitch and security group', () => {
    expect(Object.keys(resources(json, 'alicloud_instance'))).toHaveLength(1);
    expect(Object.keys(resources(json, 'alicloud_vpc'))).toHaveLength(1);
    expect(Object.keys(resources(json, 'alicloud_vswitch'))).toHaveLength(1);
    expect(Object.keys(resources(json, 'alicloud_security_group'))).toHaveLength(1);
    expect(host.clients).toEqual([]);
    expect(host.instances).toHaveLength(1);
    const [vswitch] = Object.values(resources(json, 'alicloud_vswitch'));
    expect(vswitch).toMatchObject({ cidr_block: '10.0.0.0/24', vpc_id: expect.stringMatching(/^\$\{alicloud_vpc\.[^.]+\.id\}$/) });
  });

  it('caps cost: auto_release_time comes from one time_offset of 6 hours, not a literal', () => {
    const offsets = Object.entries(resources(json, 'time_offset'));
    expect(offsets).toHaveLength(1);
    const [[offsetName, offset]] = offsets as [[string, any]];
    expect(offset).toEqual({ offset_hours: 6 });
    for (const instance of Object.values(resources(json, 'alicloud_instance'))) {
      expect(instance.auto_release_time).toBe(`\${time_offset.${offsetName}.rfc3339}`);
      expect(instance.instance_charge_type).toBe('PostPaid');
    }
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('opens only iperf3 and sockperf (TCP+UDP) from allowedCidrs and the VPC, ICMP from allowedCidrs, never 0.0.0.0/0', () => {
    const rules = Object.values(resources(json, 'alicloud_security_group_rule'));
    expect(rules.map((r) => [r.ip_protocol, r.port_range, r.cidr_ip, r.type, r.nic_type]).sort()).toEqual([
      ['icmp', '-1/-1', '203.0.113.0/24', 'ingress', 'intranet'],
      ['tcp', '11111/11111', '10.0.0.0/16', 'ingress', 'intranet'],
      ['tcp', '11111/11111', '203.0.113.0/24', 'ingress', 'intranet'],
      ['tcp', '5201/5201', '10.0.0.0/16', 'ingress', 'intranet'],
      ['tcp', '5201/5201', '203.0.113.0/24', 'ingress', 'intranet'],
      ['udp', '11111/11111', '10.0.0.0/16', 'ingress', 'intranet'],
      ['udp', '11111/11111', '203.0.113.0/24', 'ingress', 'intranet'],
      ['udp', '5201/5201', '10.0.0.0/16', 'ingress', 'intranet'],
      ['udp', '5201/5201', '203.0.113.0/24', 'ingress', 'intranet'],
    ]);
    expect(text).not.toContain('0.0.0.0/0');
    expect(text).not.toContain('"22/22"');
    expect(warnings(stack)).toEqual([]);
  });

  it('uses Ubuntu LTS and a c7 type from data sources by default', () => {
    const [image] = Object.values(json.data.alicloud_images) as any[];
    expect(image).toEqual({ most_recent: true, name_regex: '^ubuntu_24_04_x64.*alibase', os_type: 'linux', owners: 'system' });
    const [types] = Object.values(json.data.alicloud_instance_types) as any[];
    expect(types).toMatchObject({ instance_type_family: 'ecs.c7', cpu_core_count: 2, memory_size: 4 });
    const [instance] = Object.values(resources(json, 'alicloud_instance'));
    expect(instance.image_id).toMatch(/^\$\{data\.alicloud_images\.[^.]+\.images\[0\]\.id\}$/);
    expect(instance.instance_type).toMatch(/^\$\{data\.alicloud_instance_types\.[^.]+\.instance_types\[0\]\.id\}$/);
  });

  it('passes the cloud-init script as Base64 user data', () => {
    const [instance] = Object.values(resources(json, 'alicloud_instance'));
    const script = Buffer.from(instance.user_data, 'base64').toString('utf8');
    expect(script).toBe(renderCloudInit({ iperf3Port: 5201, iperf3Servers: 1 }));
    expect(host.userData).toBe(script);
  });

  it('has no SSH key, key pair, public IP or alarm by default', () => {
    for (const type of ['tls_private_key', 'local_sensitive_file', 'alicloud_ecs_key_pair', 'alicloud_cms_alarm']) {
      expect(resources(json, type)).toEqual({});
    }
    const [instance] = Object.values(resources(json, 'alicloud_instance'));
    expect(instance.key_name).toBeUndefined();
    expect(instance.internet_max_bandwidth_out).toBe(0);
    expect(instance.spot_strategy).toBe('NoSpot');
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(['alicloud', 'time']);
    expect(host.keyFilePath).toBeUndefined();
  });

  it('tags every resource whose schema has tags', () => {
    let tagged = 0;
    for (const [type, name, body] of allResources(json)) {
      if (!alicloudSchema[type]?.block.attributes.tags) continue;
      tagged++;
      expect(body.tags, `${type}.${name}`).toMatchObject({ 'managed-by': 'ecs-pulse', 'ecs-pulse-component': 'stress-host' });
    }
    expect(tagged).toBe(4); // vpc, vswitch, security group, instance
    const [instance] = Object.values(resources(json, 'alicloud_instance'));
    expect(instance.tags['ecs-pulse-role']).toBe('server');
    expect(instance.volume_tags).toEqual(instance.tags);
  });

  it('adds the documented outputs with stable names', () => {
    expect(Object.keys(json.output).sort()).toEqual(
      Object.values(STRESS_HOST_OUTPUTS).filter((n) => n !== 'ssh_private_key_path').sort(),
    );
    expect(json.output.server_instance_id.value).toMatch(/^\$\{alicloud_instance\.[^.]+\.id\}$/);
    expect(json.output.server_private_ip.value).toMatch(/^\$\{alicloud_instance\.[^.]+\.private_ip\}$/);
    expect(json.output.client_instance_ids.value).toEqual([]);
    expect(json.output.instance_ids.value).toEqual([json.output.server_instance_id.value]);
    expect(json.output.region.value).toMatch(/^\$\{element\(data\.alicloud_regions\.[^.]+\.ids, 0\)\}$/);
    expect(json.output.iperf3_port.value).toBe(5201);
    expect(json.output.iperf3_server_count.value).toBe(1);
    expect(json.output.alarm_rule_ids).toEqual({ value: [], description: expect.stringContaining('alarm rule ids') });
  });

  it('synthesizes deterministically', () => {
    const again = newStack();
    new StressHost(again, 'hosts', { allowedCidrs: ALLOWED });
    expect(synth(again).text).toBe(text);
  });
});

describe('Construct: StressHost, server + 2 clients cross-zone with SSH and alarms', () => {
  const stack = newStack();
  const webhook = new TerraformVariable(stack, 'alarm_webhook', { type: 'string', sensitive: true });
  const host = new StressHost(stack, 'hosts', {
    allowedCidrs: ['203.0.113.7/32', '2001:db8::/32'],
    clients: 2,
    crossZone: true,
    ssh: true,
    publicBandwidthMbps: 10,
    alarms: { webhook: webhook.stringValue, contactGroups: ['ops'], level: 'critical' },
    tags: { project: 'demo' },
  });
  const { text, json } = synth(stack);
  const instances = resources(json, 'alicloud_instance');
  const byRole = (role: string) => Object.values(instances).filter((i) => i.tags['ecs-pulse-role'] === role);

  it('passes the provider schema checker', () => {
    expect(checkStack(json).issues).toEqual([]);
  });

  it('creates a server and two clients, each with a cost cap', () => {
    expect(byRole('server')).toHaveLength(1);
    expect(byRole('client')).toHaveLength(2);
    expect(host.clients).toHaveLength(2);
    for (const instance of Object.values(instances)) {
      expect(instance.auto_release_time).toMatch(/^\$\{time_offset\.[^.]+\.rfc3339\}$/);
      expect(instance.tags.project).toBe('demo');
    }
  });

  it('spreads the hosts over zones, one vSwitch each', () => {
    const vswitches = Object.values(resources(json, 'alicloud_vswitch'));
    expect(vswitches.map((v) => v.cidr_block)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    const zones = vswitches.map((v) => v.zone_id);
    expect(zones[0]).toMatch(/^\$\{data\.alicloud_zones\.[^.]+\.zones\[0\]\.id\}$/);
    expect(zones[1]).toMatch(/^\$\{element\(data\.alicloud_zones\.[^.]+\.ids, 1\)\}$/);
    expect(zones[2]).toMatch(/^\$\{element\(data\.alicloud_zones\.[^.]+\.ids, 2\)\}$/);
    expect(new Set(Object.values(instances).map((i) => i.vswitch_id)).size).toBe(3);
    const zonesForType = Object.values(json.data.alicloud_zones).find((z: any) => z.available_instance_type) as any;
    expect(zonesForType.available_instance_type).toMatch(/^\$\{data\.alicloud_instance_types\./);
  });

  it('runs one iperf3 server per client on the server, and opens that port range plus SSH', () => {
    const server = byRole('server')[0];
    expect(Buffer.from(server.user_data, 'base64').toString()).toContain('readonly IPERF3_SERVERS=2');
    const rules = Object.values(resources(json, 'alicloud_security_group_rule'));
    const v4 = rules.filter((r) => r.cidr_ip === '203.0.113.7/32').map((r) => `${r.ip_protocol} ${r.port_range}`).sort();
    expect(v4).toEqual(['icmp -1/-1', 'tcp 11111/11111', 'tcp 22/22', 'tcp 5201/5202', 'udp 11111/11111', 'udp 5201/5202']);
    const v6 = rules.filter((r) => r.ipv6_cidr_ip === '2001:db8::/32').map((r) => `${r.ip_protocol} ${r.port_range}`).sort();
    expect(v6).toEqual(['icmpv6 -1/-1', 'tcp 11111/11111', 'tcp 22/22', 'tcp 5201/5202', 'udp 11111/11111', 'udp 5201/5202']);
    // the clients reach exactly the test ports through the VPC CIDR; not ping, not SSH
    const vpc = rules.filter((r) => r.cidr_ip === '10.0.0.0/16').map((r) => `${r.ip_protocol} ${r.port_range}`).sort();
    expect(vpc).toEqual(['tcp 11111/11111', 'tcp 5201/5202', 'udp 11111/11111', 'udp 5201/5202']);
    expect(rules.every((r) => r.cidr_ip !== '0.0.0.0/0' && r.ipv6_cidr_ip !== '::/0')).toBe(true);
  });

  it('imports only the public key; the private key is never a literal', () => {
    const [keyPair] = Object.values(resources(json, 'alicloud_ecs_key_pair'));
    const [[keyName, key]] = Object.entries(resources(json, 'tls_private_key')) as [[string, any]];
    expect(key).toEqual({ algorithm: 'RSA', rsa_bits: 4096 });
    expect(keyPair.public_key).toBe(`\${tls_private_key.${keyName}.public_key_openssh}`);
    expect(keyPair.key_file).toBeUndefined();
    expect(keyPair.key_name_prefix).toBe('ecs-pulse-hosts-');
    for (const instance of Object.values(instances)) expect(instance.key_name).toMatch(/^\$\{alicloud_ecs_key_pair\.[^.]+\.key_pair_name\}$/);
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|ssh-rsa AAAA/);
  });

  it('writes the private key file with mode 0600 from the tls_private_key reference', () => {
    const [file] = Object.values(resources(json, 'local_sensitive_file'));
    expect(file).toEqual({
      filename: host.keyFilePath,
      content: expect.stringMatching(/^\$\{tls_private_key\.[^.]+\.private_key_openssh\}$/),
      file_permission: '0600',
      directory_permission: '0700',
    });
    expect(isAbsolute(host.keyFilePath as string)).toBe(true);
    expect(host.keyFilePath).toMatch(/\.ecs-pulse\/test-hosts\.pem$/);
    expect(json.output.ssh_private_key_path.value).toBe(host.keyFilePath);
  });

  it('gives every host a public IP when publicBandwidthMbps > 0', () => {
    for (const instance of Object.values(instances)) {
      expect(instance).toMatchObject({ internet_max_bandwidth_out: 10, internet_charge_type: 'PayByTraffic' });
    }
    expect(json.output.client_public_ips.value).toHaveLength(2);
  });

  it('adds CPU and network alarms per host whose webhook is the sensitive variable, not a literal', () => {
    const alarms = Object.values(resources(json, 'alicloud_cms_alarm'));
    expect(alarms).toHaveLength(9);
    expect(alarms.map((a) => a.metric).sort()).toEqual(
      ['CPUUtilization', 'IntranetInRate', 'IntranetOutRate'].flatMap((m) => [m, m, m]).sort(),
    );
    for (const alarm of alarms) {
      expect(alarm.webhook).toBe('${var.alarm_webhook}');
      expect(alarm.project).toBe('acs_ecs_dashboard');
      expect(alarm.contact_groups).toEqual(['ops']);
      expect(alarm.escalations_critical).toMatchObject({ statistics: 'Average', comparison_operator: '>=', times: 3 });
      expect(JSON.parse(alarm.metric_dimensions)).toEqual([{ instanceId: expect.stringMatching(/^\$\{alicloud_instance\.[^.]+\.id\}$/) }]);
    }
    expect(json.variable.alarm_webhook).toEqual({ type: 'string', sensitive: true });
    expect(text).not.toMatch(/https?:\/\//);
    expect(host.server.alarms).toHaveLength(3);
  });

  it('outputs every alarm rule id, server first, as alarm_rule_ids', () => {
    const alarms = resources(json, 'alicloud_cms_alarm');
    const ids: string[] = json.output.alarm_rule_ids.value;
    expect(ids).toHaveLength(9);
    const names = ids.map((ref) => {
      const match = /^\$\{alicloud_cms_alarm\.([^.]+)\.id\}$/.exec(ref);
      expect(match, ref).not.toBeNull();
      return alarms[match![1]!].name as string;
    });
    expect(names).toEqual(
      ['server', 'client-1', 'client-2'].flatMap((h) => ['cpu', 'net-in', 'net-out'].map((k) => `ecs-pulse-hosts-${h}-${k}`)),
    );
    expect(json.output.alarm_rule_ids.sensitive).toBeUndefined();
    expect(host.outputs.alarmRuleIds).toBeDefined();
  });

  it('tags every resource whose schema has tags', () => {
    for (const [type, name, body] of allResources(json)) {
      if (!alicloudSchema[type]?.block.attributes.tags) continue;
      expect(body.tags, `${type}.${name}`).toMatchObject({ 'managed-by': 'ecs-pulse', project: 'demo' });
    }
  });

  it('adds no warning annotation: the ranges are narrow and SSH has a public IP', () => {
    expect(warnings(stack)).toEqual([]);
  });
});

describe('Construct: StressHost options', () => {
  it('accepts 0.0.0.0/0 only when written explicitly, with a warning annotation', () => {
    const stack = newStack();
    new StressHost(stack, 'hosts', { allowedCidrs: ['0.0.0.0/0'] });
    const { json } = synth(stack);
    const rules = Object.values(resources(json, 'alicloud_security_group_rule'));
    expect(rules.every((r) => r.cidr_ip === '0.0.0.0/0')).toBe(true);
    expect(warnings(stack)).toEqual([expect.stringContaining('allowedCidrs includes 0.0.0.0/0: iperf3 and ping are open to the whole internet')]);
  });

  it('uses an existing vSwitch, VPC and security group without creating a network', () => {
    const stack = newStack();
    new StressHost(stack, 'hosts', {
      allowedCidrs: ALLOWED,
      vswitchIds: ['vsw-123'],
      securityGroupId: 'sg-456',
      clients: 1,
      instanceType: 'ecs.g7.large',
      imageId: 'ubuntu_24_04_x64_20G_alibase_20250101.vhd',
    });
    const { json } = synth(stack);
    expect(checkStack(json).issues).toEqual([]);
    for (const type of ['alicloud_vpc', 'alicloud_vswitch', 'alicloud_security_group']) expect(resources(json, type)).toEqual({});
    for (const instance of Object.values(resources(json, 'alicloud_instance'))) {
      expect(instance).toMatchObject({ vswitch_id: 'vsw-123', security_groups: ['sg-456'], instance_type: 'ecs.g7.large', image_id: 'ubuntu_24_04_x64_20G_alibase_20250101.vhd' });
    }
    for (const rule of Object.values(resources(json, 'alicloud_security_group_rule'))) expect(rule.security_group_id).toBe('sg-456');
    expect(json.data.alicloud_images).toBeUndefined();
    expect(json.data.alicloud_instance_types).toBeUndefined();
    expect(json.data.alicloud_zones).toBeUndefined();
  });

  it('creates the security group in the given VPC with vswitchIds + vpcId', () => {
    const stack = newStack();
    new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED, vswitchIds: ['vsw-1', 'vsw-2'], zoneIds: ['cn-hangzhou-h', 'cn-hangzhou-i'], vpcId: 'vpc-9', clients: 1 });
    const { json } = synth(stack);
    expect(Object.values(resources(json, 'alicloud_security_group'))[0].vpc_id).toBe('vpc-9');
    const instances = Object.values(resources(json, 'alicloud_instance'));
    expect(instances.find((i) => i.tags['ecs-pulse-role'] === 'server').vswitch_id).toBe('vsw-1');
    expect(instances.find((i) => i.tags['ecs-pulse-role'] === 'client').vswitch_id).toBe('vsw-2');
  });

  it('looks the instance type up in the zones the hosts use (issue 15, defect 11)', () => {
    // Prepare: two zones used by three hosts, no instanceType
    const stack = newStack();
    new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED, zoneIds: ['cn-hangzhou-h', 'cn-hangzhou-i'], clients: 2 });
    // Act
    const { json } = synth(stack);
    // Assess: one lookup per zone, and the type is the first that both sell
    expect(checkStack(json).issues).toEqual([]);
    const lookups = Object.entries(json.data.alicloud_instance_types as Record<string, Record<string, unknown>>);
    expect(lookups.map(([, d]) => d.availability_zone)).toEqual(['cn-hangzhou-h', 'cn-hangzhou-i']);
    const [first, second] = lookups.map(([name]) => name);
    const types = new Set(Object.values(resources(json, 'alicloud_instance')).map((i) => i.instance_type));
    expect([...types]).toEqual([`\${element(tolist(setintersection(data.alicloud_instance_types.${first}.ids, data.alicloud_instance_types.${second}.ids)), 0)}`]);
    expect(json.data.alicloud_zones).toBeUndefined(); // the region's first zone is not consulted
  });

  it('looks the instance type up region-wide without zoneIds, then picks zones that sell it', () => {
    const stack = newStack();
    new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED, clients: 1, crossZone: true });
    const { json } = synth(stack);
    expect(checkStack(json).issues).toEqual([]);
    const lookups = Object.values(json.data.alicloud_instance_types as Record<string, Record<string, unknown>>);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.availability_zone).toBeUndefined();
    const zones = Object.values(json.data.alicloud_zones as Record<string, Record<string, unknown>>);
    expect(zones).toHaveLength(1);
    expect(zones[0]!.available_instance_type).toMatch(/^\$\{data\.alicloud_instance_types\..+\.instance_types\[0\]\.id\}$/);
  });

  it('fails at synth when vswitchIds come without their zones and without an instance type', () => {
    expect(() => new StressHost(newStack(), 'hosts', { allowedCidrs: ALLOWED, vswitchIds: ['vsw-1'], vpcId: 'vpc-9' })).toThrow(
      /props\.zoneIds: required with vswitchIds when instanceType is not given/,
    );
    expect(() => new StressHost(newStack(), 'hosts', { allowedCidrs: ALLOWED, zoneIds: [] })).toThrow(/props\.zoneIds: must be a non-empty array/);
    expect(() => new StressHost(newStack(), 'hosts', { allowedCidrs: ALLOWED, vswitchIds: ['vsw-1'], vpcId: 'vpc-9', instanceType: 'ecs.c7.large' })).not.toThrow();
  });

  it('places hosts in explicit zoneIds', () => {
    const stack = newStack();
    new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED, zoneIds: ['cn-hangzhou-h', 'cn-hangzhou-i'], clients: 2, instanceType: 'ecs.c7.large' });
    const { json } = synth(stack);
    expect(Object.values(resources(json, 'alicloud_vswitch')).map((v) => v.zone_id)).toEqual(['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-h']);
    expect(json.data.alicloud_zones).toBeUndefined();
  });

  it('runs spot hosts, with a price limit when given, and a custom release time', () => {
    const stack = newStack();
    new StressHost(stack, 'a', { allowedCidrs: ALLOWED, spot: true, autoReleaseHours: 2, outputPrefix: 'a_' });
    new StressHost(stack, 'b', { allowedCidrs: ALLOWED, spotPriceLimit: 0.05, outputPrefix: 'b_' });
    const { json } = synth(stack);
    expect(checkStack(json).issues).toEqual([]);
    const byName = (prefix: string) => Object.entries(resources(json, 'alicloud_instance')).find(([n]) => n.startsWith(prefix))?.[1];
    expect(byName('a_')).toMatchObject({ spot_strategy: 'SpotAsPriceGo' });
    expect(byName('a_').spot_price_limit).toBeUndefined();
    expect(byName('b_')).toMatchObject({ spot_strategy: 'SpotWithPriceLimit', spot_price_limit: 0.05 });
    expect(Object.values(resources(json, 'time_offset')).map((o) => o.offset_hours).sort()).toEqual([2, 6]);
    expect(Object.keys(json.output)).toContain('a_server_instance_id');
    expect(Object.keys(json.output)).toContain('b_server_instance_id');
  });

  it('imports a given public key without generating or writing one', () => {
    const stack = newStack();
    const publicKey = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host';
    const host = new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED, sshPublicKey: publicKey, publicBandwidthMbps: 5 });
    const { json } = synth(stack);
    expect(Object.values(resources(json, 'alicloud_ecs_key_pair'))[0].public_key).toBe(publicKey);
    expect(resources(json, 'tls_private_key')).toEqual({});
    expect(resources(json, 'local_sensitive_file')).toEqual({});
    expect(json.output.ssh_private_key_path).toBeUndefined();
    expect(host.keyFilePath).toBeUndefined();
    expect(Object.values(resources(json, 'alicloud_security_group_rule')).some((r) => r.port_range === '22/22')).toBe(true);
  });

  it('warns when SSH is on without a public IP', () => {
    const stack = newStack();
    new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED, ssh: true, keyFilePath: '/tmp/ecs-pulse-test/key.pem' });
    const { json } = synth(stack);
    expect(Object.values(resources(json, 'local_sensitive_file'))[0].filename).toBe('/tmp/ecs-pulse-test/key.pem');
    expect(warnings(stack)).toEqual([expect.stringContaining('ssh is on but publicBandwidthMbps is 0')]);
  });

  it('adds an AlicloudProvider (with a warning) when the stack has none', () => {
    const stack = new TerraformStack(Testing.app(), 'bare');
    new StressHost(stack, 'hosts', { allowedCidrs: ALLOWED });
    const { json } = synth(stack);
    expect(json.provider.alicloud).toEqual([{}]);
    expect(warnings(stack)).toEqual([expect.stringContaining('the stack had no AlicloudProvider')]);
  });

  it('uses internet metrics for network alarms when asked', () => {
    const stack = newStack();
    new StressHost(stack, 'hosts', {
      allowedCidrs: ALLOWED,
      publicBandwidthMbps: 10,
      alarms: { webhook: 'https://hooks.example.com/cb', contactGroups: ['ops'], network: 'internet', cpuUtilizationPercent: 95, periodSeconds: 300, times: 1 },
    });
    const { json } = synth(stack);
    expect(checkStack(json).issues).toEqual([]);
    const alarms = Object.values(resources(json, 'alicloud_cms_alarm'));
    // VPC hosts report public traffic as VPC_PublicIP_* (dimensions instanceId, ip), not the classic InternetInRate (issue 15, defect 8)
    expect(alarms.map((a) => a.metric).sort()).toEqual(['CPUUtilization', 'VPC_PublicIP_InternetInRate', 'VPC_PublicIP_InternetOutRate']);
    const netIn = alarms.find((a) => a.metric === 'VPC_PublicIP_InternetInRate');
    expect(JSON.parse(netIn.metric_dimensions)).toEqual([{ instanceId: expect.stringMatching(/^\$\{alicloud_instance\..+\.id\}$/), ip: expect.stringMatching(/^\$\{alicloud_instance\..+\.public_ip\}$/) }]);
    expect(() => new StressHost(newStack(), 'hosts', { allowedCidrs: ALLOWED, alarms: { webhook: 'https://hooks.example.com/cb', contactGroups: ['ops'], network: 'internet' } })).toThrow(
      /props\.alarms\.network: "internet" watches the hosts' public IPs, but publicBandwidthMbps is 0/,
    );
    const cpu = alarms.find((a) => a.metric === 'CPUUtilization');
    expect(cpu).toMatchObject({ period: 300, escalations_warn: { threshold: '95', times: 1 } });
  });
});

describe('Construct: StressHost props validation', () => {
  it.each<[string, unknown, string]>([
    ['missing allowedCidrs', {}, "props.allowedCidrs: required. Give the source ranges that may reach iperf3 (and SSH), e.g. ['203.0.113.7/32']"],
    ['empty allowedCidrs', { allowedCidrs: [] }, 'props.allowedCidrs: must be a non-empty array of CIDRs'],
    ['not a CIDR', { allowedCidrs: ['my-office'] }, 'props.allowedCidrs[0]: "my-office" is not a CIDR; write it like "203.0.113.0/24"'],
    ['host bits', { allowedCidrs: ['10.1.2.3/16'] }, 'props.allowedCidrs[0]: "10.1.2.3/16" has host bits set; did you mean "10.1.0.0/16"?'],
    ['bare address', { allowedCidrs: ['198.51.100.7'] }, 'props.allowedCidrs[0]: "198.51.100.7" has no prefix length; for one address write "198.51.100.7/32".'],
    ['prefix too long', { allowedCidrs: ['10.0.0.0/33'] }, 'props.allowedCidrs[0]: "10.0.0.0/33" has an invalid prefix length "/33"; use /0 to /32.'],
    ['bad octet', { allowedCidrs: ['10.0.0.256/32'] }, '"10.0.0.256" is not an IP address'],
    ['duplicates', { allowedCidrs: ['10.0.0.0/8', '10.0.0.0/8'] }, 'props.allowedCidrs: contains duplicates'],
    ['too many clients', { allowedCidrs: ALLOWED, clients: 21 }, 'props.clients: 21 is not allowed; use an integer from 0 to 20.'],
    ['fractional clients', { allowedCidrs: ALLOWED, clients: 1.5 }, 'props.clients: 1.5 is not allowed'],
    ['crossZone alone', { allowedCidrs: ALLOWED, crossZone: true }, 'props.crossZone: needs at least one client'],
    ['no cost cap', { allowedCidrs: ALLOWED, autoReleaseHours: 0 }, 'props.autoReleaseHours: 0 is not allowed; use whole hours from 1 (ECS needs the release time at least 30 minutes ahead)'],
    ['release too far', { allowedCidrs: ALLOWED, autoReleaseHours: 30_000 }, 'to 26279 (under 3 years)'],
    ['bandwidth', { allowedCidrs: ALLOWED, publicBandwidthMbps: 200 }, 'props.publicBandwidthMbps: 200 is not allowed; use an integer from 0 to 100'],
    ['unknown prop', { allowedCidrs: ALLOWED, allowedCidr: ['1.2.3.4/32'] }, 'props.allowedCidr: unknown prop'],
    ['iperf3 on 22', { allowedCidrs: ALLOWED, iperf3Port: 22 }, 'props.iperf3Port: 22 is the SSH port'],
    ['vswitchIds without vpc', { allowedCidrs: ALLOWED, vswitchIds: ['vsw-1'] }, 'props.vpcId: required with vswitchIds to create the security group'],
    ['small VPC', { allowedCidrs: ALLOWED, vpcCidr: '10.0.0.0/24', clients: 20, crossZone: true }, 'props.vpcCidr: "10.0.0.0/24" has room for 16 vSwitches, but 21 hosts need one each'],
    ['ed25519 key', { allowedCidrs: ALLOWED, sshPublicKey: 'ssh-ed25519 AAAAC3Nza' }, 'props.sshPublicKey: must be an OpenSSH public key starting with "ssh-rsa"'],
    ['reserved tag', { allowedCidrs: ALLOWED, tags: { 'managed-by': 'me' } }, 'props.tags["managed-by"]: reserved for the construct'],
    ['aliyun tag', { allowedCidrs: ALLOWED, tags: { 'aliyun-x': 'y' } }, 'cannot start with "aliyun" or "acs:"'],
    ['bad instance type', { allowedCidrs: ALLOWED, instanceType: 'c7.large' }, 'props.instanceType: "c7.large" is not an ECS instance type'],
    ['alarms without contact groups', { allowedCidrs: ALLOWED, alarms: { webhook: 'https://x.example/cb' } }, 'props.alarms.contactGroups: CloudMonitor requires at least one alarm contact group name'],
    ['alarm period', { allowedCidrs: ALLOWED, alarms: { webhook: 'https://x.example/cb', contactGroups: ['ops'], periodSeconds: 90 } }, 'props.alarms.periodSeconds: 90 must be a multiple of 60'],
  ])('%s', (_name, props, message) => {
    const err = invalidProps(props);
    expect(err).toMatchObject({ name: 'StressHostError', code: 'INVALID_PROPS' });
    expect(err.message).toContain('StressHost "test/hosts" has invalid props:');
    expect(err.message).toContain(message);
    expect(err.issues.some((i) => message.includes(i) || i.includes(message) || err.message.includes(message))).toBe(true);
  });

  it('never echoes a malformed webhook (it may hold a secret)', () => {
    const err = invalidProps({ allowedCidrs: ALLOWED, alarms: { webhook: 'token=s3cr3t-value', contactGroups: ['ops'] } });
    expect(err.message).toContain('props.alarms.webhook: is not an http(s) URL (value not shown because it may hold a secret).');
    expect(err.message).not.toContain('s3cr3t');
  });

  it('reports every problem at once', () => {
    const err = invalidProps({ allowedCidrs: ['nope'], clients: -1, autoReleaseHours: 0.5 });
    expect(err.issues).toHaveLength(3);
    expect(err.issues.map((i) => i.split(':')[0])).toEqual(['props.allowedCidrs[0]', 'props.clients', 'props.autoReleaseHours']);
  });

  it('refuses a second StressHost with the same output names', () => {
    const stack = newStack();
    new StressHost(stack, 'one', { allowedCidrs: ALLOWED });
    expect(() => new StressHost(stack, 'two', { allowedCidrs: ALLOWED })).toThrow(
      expect.objectContaining({
        code: 'INVALID_PROPS',
        message: expect.stringContaining('props.outputPrefix: "" is already used by another StressHost in stack "test"; give each StressHost its own outputPrefix (e.g. "two_")'),
      }),
    );
  });

  it('rejects missing props', () => {
    expect(() => new StressHost(newStack(), 'hosts', undefined as unknown as StressHostProps)).toThrow(
      expect.objectContaining({ code: 'INVALID_PROPS', message: expect.stringContaining("Pass at least { allowedCidrs: ['<your IP>/32'] }") }),
    );
  });
});
