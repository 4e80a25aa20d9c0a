import { resolve } from 'node:path';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key/index.js';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider/index.js';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file/index.js';
import { LocalProvider } from '@cdktf/provider-local/lib/provider/index.js';
import { Offset } from '@cdktf/provider-time/lib/offset/index.js';
import { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
import { CmsAlarm } from '@ecs-pulse/alicloud-provider/cms-alarm';
import { DataAlicloudImages } from '@ecs-pulse/alicloud-provider/data-alicloud-images';
import { DataAlicloudInstanceTypes } from '@ecs-pulse/alicloud-provider/data-alicloud-instance-types';
import { DataAlicloudRegions } from '@ecs-pulse/alicloud-provider/data-alicloud-regions';
import { DataAlicloudZones } from '@ecs-pulse/alicloud-provider/data-alicloud-zones';
import { EcsKeyPair } from '@ecs-pulse/alicloud-provider/ecs-key-pair';
import { Instance } from '@ecs-pulse/alicloud-provider/instance';
import { AlicloudProvider } from '@ecs-pulse/alicloud-provider/provider';
import { SecurityGroup } from '@ecs-pulse/alicloud-provider/security-group';
import { SecurityGroupRule } from '@ecs-pulse/alicloud-provider/security-group-rule';
import { Vpc } from '@ecs-pulse/alicloud-provider/vpc';
import { Vswitch } from '@ecs-pulse/alicloud-provider/vswitch';
import { allowedValues, checkValue } from '@ecs-pulse/alicloud-provider/validators';
import { Annotations, Fn, TerraformOutput, TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { checkCidr, ipv4Subnet } from './cidr.js';
import { DEFAULT_IPERF3_PORT, DEFAULT_SOCKPERF_PORT, renderCloudInit, resolveCloudInitOptions } from './cloud-init.js';
import { StressHostError } from './errors.js';

/**
 * The default image: the newest Ubuntu 24.04 LTS x86_64 public image built by Alibaba Cloud.
 * @example
 * ```ts
 * new StressHost(stack, 'hosts', { allowedCidrs, imageNameRegex: DEFAULT_IMAGE_NAME_REGEX });
 * ```
 */
export const DEFAULT_IMAGE_NAME_REGEX = '^ubuntu_24_04_x64.*alibase';

/**
 * The default instance type family (compute optimized, non-burstable: stress numbers stay honest).
 * @example
 * ```ts
 * new StressHost(stack, 'hosts', { allowedCidrs, instanceTypeFamily: DEFAULT_INSTANCE_TYPE_FAMILY, cpuCores: 4, memoryGiB: 8 });
 * ```
 */
export const DEFAULT_INSTANCE_TYPE_FAMILY = 'ecs.c7';

/**
 * The largest `autoReleaseHours`: ECS requires the release time to be less than 3 years ahead.
 * @example
 * ```ts
 * const hours = Math.min(requestedHours, MAX_AUTO_RELEASE_HOURS);
 * ```
 */
export const MAX_AUTO_RELEASE_HOURS = 3 * 365 * 24 - 1;

/**
 * The largest `clients` value (a cost guard; several runs are cheaper than a fleet).
 * @example
 * ```ts
 * new StressHost(stack, 'hosts', { allowedCidrs, clients: Math.min(wanted, MAX_CLIENTS) });
 * ```
 */
export const MAX_CLIENTS = 20;

/** Values of the provider's `system_disk_category` enum that are not system disk categories (a filter value, local disks). */
const NOT_SYSTEM_DISKS = new Set(['all', 'local_disk']);

/**
 * The `systemDiskCategory` values a {@link StressHost} accepts: the alicloud provider's own list for
 * `alicloud_instance.system_disk_category` (from `@ecs-pulse/alicloud-provider/validators`), without
 * `all` (a filter value) and `local_disk` (local disks cannot hold the system disk).
 *
 * @example
 * ```ts
 * if (!STRESS_HOST_SYSTEM_DISK_CATEGORIES.includes(category)) throw new Error(`unsupported disk ${category}`);
 * ```
 */
export const STRESS_HOST_SYSTEM_DISK_CATEGORIES: readonly string[] = Object.freeze(
  (allowedValues('alicloud_instance', 'system_disk_category') ?? []).filter((c) => !NOT_SYSTEM_DISKS.has(c)),
);

/**
 * The disk-category filters of the lookups: `alicloud_zones.available_disk_category` accepts fewer
 * categories than instances do (not `cloud_auto` or `cloud_essd_entry`; the provider rejects them at plan),
 * so for those the instance type lookup filters on `system_disk_category` instead.
 */
function diskFilters(category: string): { zones: { availableDiskCategory?: string }; instanceTypes: { systemDiskCategory?: string } } {
  if (Token.isUnresolved(category)) return { zones: {}, instanceTypes: {} };
  if (allowedValues('data.alicloud_zones', 'available_disk_category')?.includes(category)) {
    return { zones: { availableDiskCategory: category }, instanceTypes: {} };
  }
  const byType = allowedValues('data.alicloud_instance_types', 'system_disk_category')?.includes(category);
  return { zones: {}, instanceTypes: byType ? { systemDiskCategory: category } : {} };
}

/**
 * The names of the `TerraformOutput`s a {@link StressHost} adds, without `outputPrefix`. The CLI reads them
 * with `terraform output -json`.
 *
 * @example
 * ```ts
 * const outputs = JSON.parse(execSync('terraform output -json', { cwd }).toString());
 * const serverId = outputs[STRESS_HOST_OUTPUTS.serverInstanceId].value as string;
 * ```
 */
export const STRESS_HOST_OUTPUTS = {
  /** The server's instance id (`i-…`), a string. */
  serverInstanceId: 'server_instance_id',
  /** The clients' instance ids, a list of strings (empty with `clients: 0`). */
  clientInstanceIds: 'client_instance_ids',
  /** Every instance id, server first, a list of strings. */
  instanceIds: 'instance_ids',
  /** The server's private IP, a string. */
  serverPrivateIp: 'server_private_ip',
  /** The clients' private IPs, a list of strings. */
  clientPrivateIps: 'client_private_ips',
  /** The server's public IP, a string (empty when `publicBandwidthMbps` is 0). */
  serverPublicIp: 'server_public_ip',
  /** The clients' public IPs, a list of strings (empty strings when `publicBandwidthMbps` is 0). */
  clientPublicIps: 'client_public_ips',
  /** The region id (e.g. `cn-hangzhou`), from the provider's current region. */
  region: 'region',
  /** The first iperf3 server port on the server host, a number. */
  iperf3Port: 'iperf3_port',
  /** How many iperf3 servers run on the server host (ports `iperf3_port` … + count − 1), a number. */
  iperf3ServerCount: 'iperf3_server_count',
  /** The release time of every host (ISO 8601 UTC), a string. */
  autoReleaseTime: 'auto_release_time',
  /** The security group id, a string. */
  securityGroupId: 'security_group_id',
  /** Absolute path of the generated SSH private key; only with `ssh: true` and no `sshPublicKey`. */
  sshPrivateKeyPath: 'ssh_private_key_path',
  /**
   * The ids of the CloudMonitor alarm rules (`alicloud_cms_alarm`) on every host, server first, a list of strings
   * (empty without `alarms`). The CLI's `alarms` command lists exactly these rules.
   */
  alarmRuleIds: 'alarm_rule_ids',
} as const;

/**
 * CloudMonitor metric alarms on every host (`alicloud_cms_alarm`, project `acs_ecs_dashboard`). Alarms
 * call `webhook` (for example the forwarder's HTTP trigger URL) and notify `contactGroups`.
 *
 * @example
 * ```ts
 * const alarms: StressHostAlarmProps = {
 *   webhook: forwarder.callbackUrl, // a token; never a literal secret in code
 *   contactGroups: ['ops'],
 *   cpuUtilizationPercent: 80,
 * };
 * ```
 */
export interface StressHostAlarmProps {
  /**
   * URL CloudMonitor calls when an alarm fires or recovers. May carry a secret token: pass a token (a
   * sensitive `TerraformVariable`, or another construct's attribute) rather than a literal.
   */
  readonly webhook: string;
  /** CloudMonitor alarm contact groups to notify (CloudMonitor requires at least one). */
  readonly contactGroups: readonly string[];
  /**
   * CPU alarm threshold in percent (`CPUUtilization`, average over `periodSeconds`).
   * @default 80
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Inbound network alarm threshold in bits per second.
   * @default 100000000 (100 Mbit/s)
   */
  readonly networkInBitsPerSecond?: number;
  /**
   * Outbound network alarm threshold in bits per second.
   * @default 100000000 (100 Mbit/s)
   */
  readonly networkOutBitsPerSecond?: number;
  /**
   * Which traffic the network alarms watch: `intranet` (`IntranetInRate`/`IntranetOutRate`) or `internet` (the
   * public IP's `VPC_PublicIP_InternetInRate`/`VPC_PublicIP_InternetOutRate`, dimensions instanceId and ip; needs
   * `publicBandwidthMbps` > 0).
   * @default 'intranet'
   */
  readonly network?: 'intranet' | 'internet';
  /**
   * Metric period in seconds.
   * @default 60
   */
  readonly periodSeconds?: number;
  /**
   * Consecutive periods over the threshold before the alarm fires.
   * @default 3
   */
  readonly times?: number;
  /**
   * Alarm level.
   * @default 'warn'
   */
  readonly level?: 'critical' | 'warn' | 'info';
}

/**
 * Props of {@link StressHost}. Only `allowedCidrs` is required.
 *
 * @example
 * ```ts
 * const props: StressHostProps = { allowedCidrs: ['203.0.113.0/24'], clients: 2, crossZone: true };
 * ```
 */
export interface StressHostProps {
  /**
   * Source ranges allowed to reach iperf3 and sockperf (TCP and UDP), ICMP and, with `ssh`, port 22. IPv4
   * or IPv6 CIDRs. The created VPC's CIDR may reach the iperf3 and sockperf ports too (the clients); with
   * `vswitchIds`, add the VPC's CIDR here for that. `0.0.0.0/0` (or `::/0`) is accepted only when written here explicitly, and adds a warning.
   */
  readonly allowedCidrs: readonly string[];
  /**
   * Existing vSwitch ids to place the hosts in (host `i` goes to `vswitchIds[i % length]`). With them,
   * no VPC or vSwitch is created and `crossZone` is ignored; give `vpcId` too unless `securityGroupId` is given,
   * and `zoneIds` (the vSwitches' zones, same order) unless `instanceType` is given.
   * @default - a VPC and vSwitch(es) are created
   */
  readonly vswitchIds?: readonly string[];
  /**
   * The VPC of `vswitchIds`, needed to create the security group.
   * @default - the created VPC
   */
  readonly vpcId?: string;
  /**
   * An existing security group to use; the iperf3/ICMP/SSH ingress rules are added to it.
   * @default - a security group is created
   */
  readonly securityGroupId?: string;
  /**
   * CIDR of the created VPC (prefix /8 to /24). vSwitches get consecutive /24 subnets (or /prefix+4).
   * @default '10.0.0.0/16'
   */
  readonly vpcCidr?: string;
  /**
   * Zones to use, in order: host `i` (0 = server) goes to `zoneIds[i % length]`. The instance type (when not
   * given) is looked up in every zone a host uses: the first type all of them sell.
   * @default - from the `alicloud_zones` data source, among the zones that sell the instance type: the first
   * zone, or one zone per host with `crossZone`
   */
  readonly zoneIds?: readonly string[];
  /**
   * Number of client hosts beside the server.
   * @default 0
   */
  readonly clients?: number;
  /**
   * Spread the hosts over zones (host `i` in the `i`-th zone that offers the instance type, wrapping around).
   * @default false
   */
  readonly crossZone?: boolean;
  /**
   * Instance type of every host, e.g. `ecs.c7.large`.
   * @default - the first type of `instanceTypeFamily` with `cpuCores` cores and `memoryGiB` GiB sold in every zone of
   * `zoneIds` the hosts use (region-wide without `zoneIds`)
   */
  readonly instanceType?: string;
  /**
   * Family searched when `instanceType` is not given.
   * @default 'ecs.c7'
   */
  readonly instanceTypeFamily?: string;
  /**
   * vCPU count searched when `instanceType` is not given.
   * @default 2
   */
  readonly cpuCores?: number;
  /**
   * Memory (GiB) searched when `instanceType` is not given.
   * @default 4
   */
  readonly memoryGiB?: number;
  /**
   * Image id of every host.
   * @default - the newest public image matching `imageNameRegex`
   */
  readonly imageId?: string;
  /**
   * Name regex for the image lookup (e.g. `^aliyun_3_x64.*` for Alibaba Cloud Linux 3).
   * @default '^ubuntu_24_04_x64.*alibase'
   */
  readonly imageNameRegex?: string;
  /**
   * Cost cap: every host is released by ECS this many hours after apply (`auto_release_time`, computed
   * once by a `time_offset`, so plans stay stable). 1 to 26279.
   * @default 6
   */
  readonly autoReleaseHours?: number;
  /**
   * Run the hosts as spot instances (`SpotAsPriceGo`, or `SpotWithPriceLimit` with `spotPriceLimit`).
   * @default false
   */
  readonly spot?: boolean;
  /**
   * Highest hourly price for spot hosts (implies `spot`).
   * @default - no limit (`SpotAsPriceGo`)
   */
  readonly spotPriceLimit?: number;
  /**
   * Public bandwidth in Mbit/s (0 to 100). Above 0 each host gets a public IP.
   * @default 0
   */
  readonly publicBandwidthMbps?: number;
  /**
   * How public traffic is billed.
   * @default 'PayByTraffic'
   */
  readonly internetChargeType?: 'PayByTraffic' | 'PayByBandwidth';
  /**
   * System disk category: one of {@link STRESS_HOST_SYSTEM_DISK_CATEGORIES} (the provider's list), e.g.
   * `cloud_essd`, `cloud_auto`, `cloud_essd_entry`, `cloud_efficiency`, `cloud_ssd`.
   * @default 'cloud_essd'
   */
  readonly systemDiskCategory?: string;
  /**
   * System disk size in GiB (20 to 500).
   * @default 40
   */
  readonly systemDiskSizeGiB?: number;
  /**
   * Allow SSH (port 22 from `allowedCidrs`) with a key pair. Cloud Assistant needs neither.
   * @default false
   */
  readonly ssh?: boolean;
  /**
   * An OpenSSH public key (`ssh-rsa …`/`ecdsa-…`) to import instead of generating one; implies `ssh`.
   * @default - a 4096-bit RSA key from `tls_private_key`, written to `keyFilePath`
   */
  readonly sshPublicKey?: string;
  /**
   * Where the generated private key is written (mode 0600; removed by `terraform destroy`).
   * @default - `<cwd>/.ecs-pulse/<stack>-<id>.pem`, resolved at synth time
   */
  readonly keyFilePath?: string;
  /**
   * First iperf3 server port.
   * @default 5201
   */
  readonly iperf3Port?: number;
  /**
   * iperf3 servers on the server host (consecutive ports); iperf3 serves one test at a time.
   * @default - max(1, clients)
   */
  readonly iperf3Servers?: number;
  /**
   * Port of the sockperf servers (UDP and TCP) on every host, for latency tests.
   * @default 11111
   */
  readonly sockperfPort?: number;
  /**
   * Allow ICMP (ping) from `allowedCidrs`.
   * @default true
   */
  readonly allowPing?: boolean;
  /**
   * Bash appended to the user-data script on every host.
   * @default - nothing
   */
  readonly userDataExtraScript?: string;
  /**
   * CloudMonitor CPU and network alarms on every host.
   * @default - no alarms
   */
  readonly alarms?: StressHostAlarmProps;
  /**
   * Prefix of resource names (instances `<prefix>-server`, `<prefix>-client-1`, …).
   * @default - `ecs-pulse-<id>`
   */
  readonly namePrefix?: string;
  /**
   * Tags added to every taggable resource, beside `managed-by=ecs-pulse`, `ecs-pulse-component=stress-host`
   * and `ecs-pulse-role`.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Prefix of the output names (see {@link STRESS_HOST_OUTPUTS}); needed when a stack has two StressHosts.
   * @default ''
   */
  readonly outputPrefix?: string;
}

/**
 * One host of a {@link StressHost}.
 * @example
 * ```ts
 * const host: StressHostInstance = stressHost.server;
 * new TerraformOutput(stack, 'server_ip', { value: host.privateIp });
 * ```
 */
export interface StressHostInstance {
  /** `server` or `client`. */
  readonly role: 'server' | 'client';
  /** The `alicloud_instance`. */
  readonly instance: Instance;
  /** The instance id (token). */
  readonly instanceId: string;
  /** The private IP (token). */
  readonly privateIp: string;
  /** The public IP (token; empty when `publicBandwidthMbps` is 0). */
  readonly publicIp: string;
  /** The CloudMonitor alarms of this host (empty without `alarms`). */
  readonly alarms: readonly CmsAlarm[];
}

const usedOutputPrefixes = new WeakMap<TerraformStack, Set<string>>();

const TAG_KEY_FORBIDDEN = /^(aliyun|acs:)|https?:\/\//i;

/**
 * ECS hosts for stress and network tests: one iperf3 server host plus optional clients, with iperf3 and
 * stress-ng installed by cloud-init, `iperf3 -s` running as a systemd service, ingress only from
 * `allowedCidrs`, and a cost cap (`auto_release_time`) on every host.
 *
 * @example
 * ```ts
 * import { App, TerraformStack } from 'cdktf';
 * import { AlicloudProvider } from '@ecs-pulse/alicloud-provider';
 * import { StressHost } from '@ecs-pulse/stress-host';
 *
 * const app = new App();
 * const stack = new TerraformStack(app, 'stress');
 * new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
 * const hosts = new StressHost(stack, 'hosts', {
 *   allowedCidrs: ['203.0.113.0/24'],
 *   clients: 2,
 *   crossZone: true,
 * });
 * app.synth();
 * ```
 */
export class StressHost extends Construct {
  /** The iperf3 server host. */
  public readonly server: StressHostInstance;
  /** The client hosts (empty with `clients: 0`). */
  public readonly clients: readonly StressHostInstance[];
  /** Every host, server first. */
  public readonly instances: readonly StressHostInstance[];
  /** Every instance id, server first (tokens). */
  public readonly instanceIds: readonly string[];
  /** Every private IP, server first (tokens). */
  public readonly privateIps: readonly string[];
  /** Every public IP, server first (tokens; empty strings when `publicBandwidthMbps` is 0). */
  public readonly publicIps: readonly string[];
  /** The created security group, or `undefined` when `securityGroupId` was given. */
  public readonly securityGroup: SecurityGroup | undefined;
  /** The security group id in use (created or given). */
  public readonly securityGroupId: string;
  /** The ingress rules added to the security group. */
  public readonly securityGroupRules: readonly SecurityGroupRule[];
  /** The created VPC, or `undefined` when `vswitchIds` was given. */
  public readonly vpc: Vpc | undefined;
  /** The created vSwitches (empty when `vswitchIds` was given). */
  public readonly vswitches: readonly Vswitch[];
  /** The key pair, with `ssh`. */
  public readonly keyPair: EcsKeyPair | undefined;
  /** The generated private key (`tls_private_key`), with `ssh` and no `sshPublicKey`. */
  public readonly privateKey: PrivateKey | undefined;
  /** The private key file (`local_sensitive_file`, mode 0600), with `ssh` and no `sshPublicKey`. */
  public readonly keyFile: SensitiveFile | undefined;
  /** Absolute path of the private key file, with `ssh` and no `sshPublicKey`. */
  public readonly keyFilePath: string | undefined;
  /** The `time_offset` whose `rfc3339` is every host's `auto_release_time`. */
  public readonly releaseTime: Offset;
  /** The release time of every host (token, ISO 8601 UTC). */
  public readonly autoReleaseTime: string;
  /** The first iperf3 port. */
  public readonly iperf3Port: number;
  /** How many iperf3 servers run on the server host. */
  public readonly iperf3Servers: number;
  /** The user-data script (plain text) every host runs. */
  public readonly userData: string;
  /** The outputs, by their key in {@link STRESS_HOST_OUTPUTS}. */
  public readonly outputs: Readonly<Partial<Record<keyof typeof STRESS_HOST_OUTPUTS, TerraformOutput>>>;

  /**
   * @param scope - the parent construct (a `TerraformStack` or a construct inside one)
   * @param id - the construct id
   * @param props - see {@link StressHostProps}; `allowedCidrs` is required
   * @throws {@link StressHostError} with code `INVALID_PROPS` listing every invalid prop
   */
  public constructor(scope: Construct, id: string, props: StressHostProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const p = validateProps(this, id, props);

    ensureProviders(this, stack, p.ssh && p.sshPublicKey === undefined);

    const commonTags: Record<string, string> = {
      'managed-by': 'ecs-pulse',
      'ecs-pulse-component': 'stress-host',
      ...p.tags,
    };
    const hostCount = 1 + p.clients;

    // --- release time: computed once at create and kept in state -------------------------------------
    this.releaseTime = new Offset(this, 'release-time', { offsetHours: p.autoReleaseHours });
    this.autoReleaseTime = this.releaseTime.rfc3339;

    // --- image, instance type and zones ---------------------------------------------------------------
    const spotFilter = p.spotStrategy === 'NoSpot' ? {} : { spotStrategy: p.spotStrategy };
    const disk = diskFilters(p.systemDiskCategory);
    let imageId = p.imageId;
    if (imageId === undefined) {
      const images = new DataAlicloudImages(this, 'image', {
        owners: 'system',
        nameRegex: p.imageNameRegex,
        mostRecent: true,
        osType: 'linux',
      });
      imageId = images.images.get(0).id;
    }
    let instanceType = p.instanceType;
    if (instanceType === undefined) {
      // Look the type up where the hosts run (issue 15 item 11): in each zone of `zoneIds` that a host uses, the
      // type is the first one all of them sell; without zoneIds the lookup is region-wide and the zones are then
      // chosen among those offering the type (below). A single zone's first type is no longer assumed to exist
      // elsewhere, and the region's first zone (which may not sell the family) is no longer consulted.
      const lookup = (id: string, zone: string | undefined) =>
        new DataAlicloudInstanceTypes(this, id, {
          ...(zone === undefined ? {} : { availabilityZone: zone }),
          instanceTypeFamily: p.instanceTypeFamily,
          cpuCoreCount: p.cpuCores,
          memorySize: p.memoryGiB,
          imageId,
          instanceChargeType: 'PostPaid',
          ...disk.instanceTypes,
          ...spotFilter,
        });
      const zones = hostZones(p.zoneIds, hostCount);
      if (zones.length <= 1) instanceType = lookup('instance-type', zones[0]).instanceTypes.get(0).id;
      else {
        const perZone = zones.map((zone, i) => lookup(`instance-type-${i}`, zone).ids);
        instanceType = Fn.element(Fn.tolist(Fn.setintersection(perZone[0] as string[], perZone.slice(1))), 0) as string;
      }
    }
    let zoneFor: (i: number) => string;
    if (p.zoneIds !== undefined) {
      const ids = p.zoneIds;
      zoneFor = (i) => ids[i % ids.length] as string;
    } else {
      // zones that offer the chosen type, looked up only when vSwitches are created;
      // `element` wraps around when there are fewer zones than hosts
      let zonesForType: DataAlicloudZones | undefined;
      const type = instanceType;
      zoneFor = (i) => {
        zonesForType ??= new DataAlicloudZones(this, 'zones-for-type', {
          availableResourceCreation: 'VSwitch',
          availableInstanceType: type,
          ...disk.zones,
          ...spotFilter,
        });
        return i === 0 || !p.crossZone ? zonesForType.zones.get(0).id : Fn.element(zonesForType.ids, i);
      };
    }

    // --- network --------------------------------------------------------------------------------------
    let vpcId = p.vpcId;
    const vswitches: Vswitch[] = [];
    let vswitchFor: (i: number) => string;
    if (p.vswitchIds !== undefined) {
      const ids = p.vswitchIds;
      this.vpc = undefined;
      vswitchFor = (i) => ids[i % ids.length] as string;
    } else {
      this.vpc = new Vpc(this, 'vpc', {
        vpcName: `${p.namePrefix}-vpc`,
        cidrBlock: p.vpcCidr,
        description: 'ecs-pulse stress host network',
        tags: commonTags,
      });
      vpcId = this.vpc.id;
      const vpcPrefix = Number(p.vpcCidr.split('/')[1]);
      const vswitchPrefix = vpcPrefix <= 20 ? 24 : vpcPrefix + 4;
      const switchCount = p.crossZone || p.zoneIds !== undefined ? hostCount : 1;
      for (let i = 0; i < switchCount; i++) {
        vswitches.push(
          new Vswitch(this, `vswitch-${i}`, {
            vswitchName: `${p.namePrefix}-vsw-${i}`,
            vpcId: this.vpc.id,
            cidrBlock: ipv4Subnet(p.vpcCidr, vswitchPrefix, i),
            zoneId: zoneFor(i),
            tags: commonTags,
          }),
        );
      }
      vswitchFor = (i) => (vswitches[i] ?? vswitches[0] as Vswitch).id;
    }
    this.vswitches = vswitches;

    if (p.securityGroupId !== undefined) {
      this.securityGroup = undefined;
      this.securityGroupId = p.securityGroupId;
    } else {
      this.securityGroup = new SecurityGroup(this, 'security-group', {
        securityGroupName: `${p.namePrefix}-sg`,
        description: 'ecs-pulse stress host: iperf3/ICMP/SSH from allowedCidrs only',
        vpcId: vpcId as string,
        innerAccessPolicy: 'Accept',
        tags: commonTags,
      });
      this.securityGroupId = this.securityGroup.id;
    }
    this.securityGroupRules = this.addIngressRules(p);

    // --- SSH key --------------------------------------------------------------------------------------
    this.privateKey = undefined;
    this.keyFile = undefined;
    this.keyFilePath = undefined;
    this.keyPair = undefined;
    if (p.ssh) {
      let publicKey = p.sshPublicKey;
      if (publicKey === undefined) {
        this.privateKey = new PrivateKey(this, 'ssh-key', { algorithm: 'RSA', rsaBits: 4096 });
        publicKey = this.privateKey.publicKeyOpenssh;
        this.keyFilePath = p.keyFilePath ?? resolve(process.cwd(), '.ecs-pulse', `${sanitize(stack.node.id)}-${sanitize(id)}.pem`);
        this.keyFile = new SensitiveFile(this, 'ssh-key-file', {
          filename: this.keyFilePath,
          content: this.privateKey.privateKeyOpenssh,
          filePermission: '0600',
          directoryPermission: '0700',
        });
      }
      this.keyPair = new EcsKeyPair(this, 'key-pair', {
        keyNamePrefix: `${p.namePrefix}-`,
        publicKey,
        tags: commonTags,
      });
    }

    // --- hosts ----------------------------------------------------------------------------------------
    this.iperf3Port = p.iperf3Port;
    this.iperf3Servers = p.iperf3Servers;
    const serverUserData = renderCloudInit({
      iperf3Port: p.iperf3Port,
      iperf3Servers: p.iperf3Servers,
      sockperfPort: p.sockperfPort,
      startIperf3Servers: true,
      ...(p.userDataExtraScript === undefined ? {} : { extraScript: p.userDataExtraScript }),
    });
    const clientUserData = renderCloudInit({
      iperf3Port: p.iperf3Port,
      iperf3Servers: 1,
      sockperfPort: p.sockperfPort,
      // clients also run a server so that tests can go in either direction between any pair of hosts
      startIperf3Servers: true,
      ...(p.userDataExtraScript === undefined ? {} : { extraScript: p.userDataExtraScript }),
    });
    this.userData = serverUserData;

    const hosts: StressHostInstance[] = [];
    for (let i = 0; i < hostCount; i++) {
      const role = i === 0 ? 'server' : 'client';
      const name = i === 0 ? `${p.namePrefix}-server` : `${p.namePrefix}-client-${i}`;
      const tags = { ...commonTags, 'ecs-pulse-role': role };
      const instance = new Instance(this, i === 0 ? 'server' : `client-${i}`, {
        instanceName: name,
        hostName: hostName(name),
        description: `ecs-pulse stress host (${role})`,
        imageId,
        instanceType,
        vswitchId: vswitchFor(i),
        securityGroups: [this.securityGroupId],
        instanceChargeType: 'PostPaid',
        autoReleaseTime: this.autoReleaseTime,
        spotStrategy: p.spotStrategy,
        ...(p.spotPriceLimit === undefined ? {} : { spotPriceLimit: p.spotPriceLimit }),
        internetMaxBandwidthOut: p.publicBandwidthMbps,
        ...(p.publicBandwidthMbps > 0 ? { internetChargeType: p.internetChargeType } : {}),
        systemDiskCategory: p.systemDiskCategory,
        systemDiskSize: p.systemDiskSizeGiB,
        userData: Buffer.from(i === 0 ? serverUserData : clientUserData, 'utf8').toString('base64'),
        ...(this.keyPair === undefined ? {} : { keyName: this.keyPair.keyPairName }),
        tags,
        volumeTags: tags,
      });
      const alarms = p.alarms === undefined ? [] : this.addAlarms(instance, `${name}`, i === 0 ? 'server' : `client-${i}`, p.alarms, tags);
      hosts.push({
        role,
        instance,
        instanceId: instance.id,
        privateIp: instance.privateIp,
        publicIp: instance.publicIp,
        alarms,
      });
    }
    this.server = hosts[0] as StressHostInstance;
    this.clients = hosts.slice(1);
    this.instances = hosts;
    this.instanceIds = hosts.map((h) => h.instanceId);
    this.privateIps = hosts.map((h) => h.privateIp);
    this.publicIps = hosts.map((h) => h.publicIp);

    this.outputs = this.addOutputs(p);
  }

  private addIngressRules(p: ResolvedProps): SecurityGroupRule[] {
    type Service = { name: string; protocol: string; portRange: string; description: string };
    const rules: SecurityGroupRule[] = [];
    const lastPort = p.iperf3Port + p.iperf3Servers - 1;
    // Test traffic (iperf3 on one port per client, sockperf), TCP and UDP: from allowedCidrs and, when the
    // construct creates the VPC, from the VPC CIDR (the clients); ping and SSH from allowedCidrs only.
    const test: Service[] = [
      { name: 'iperf3-tcp', protocol: 'tcp', portRange: `${p.iperf3Port}/${lastPort}`, description: 'iperf3 (TCP)' },
      { name: 'iperf3-udp', protocol: 'udp', portRange: `${p.iperf3Port}/${lastPort}`, description: 'iperf3 (UDP)' },
      { name: 'sockperf-tcp', protocol: 'tcp', portRange: `${p.sockperfPort}/${p.sockperfPort}`, description: 'sockperf (TCP)' },
      { name: 'sockperf-udp', protocol: 'udp', portRange: `${p.sockperfPort}/${p.sockperfPort}`, description: 'sockperf (UDP)' },
    ];
    const services: Service[] = [...test];
    if (p.allowPing) services.push({ name: 'icmp', protocol: 'icmp', portRange: '-1/-1', description: 'ping' });
    if (p.ssh) services.push({ name: 'ssh', protocol: 'tcp', portRange: '22/22', description: 'SSH' });
    const sources: Array<{ cidr: string; key: string; services: Service[] }> = p.allowedCidrs.map((cidr, index) => ({ cidr, key: String(index), services }));
    if (this.vpc !== undefined && !p.allowedCidrs.includes(p.vpcCidr) && !p.allowedCidrs.includes('0.0.0.0/0')) sources.push({ cidr: p.vpcCidr, key: 'vpc', services: test });
    sources.forEach(({ cidr, key: index, services: allowed }) => {
      const ipv6 = !Token.isUnresolved(cidr) && cidr.includes(':');
      for (const s of allowed) {
        const protocol = ipv6 && s.protocol === 'icmp' ? 'icmpv6' : s.protocol;
        rules.push(
          new SecurityGroupRule(this, `ingress-${s.name}-${index}`, {
            securityGroupId: this.securityGroupId,
            type: 'ingress',
            ipProtocol: protocol,
            portRange: s.portRange,
            nicType: 'intranet',
            policy: 'accept',
            priority: 1,
            ...(ipv6 ? { ipv6CidrIp: cidr } : { cidrIp: cidr }),
            description: `ecs-pulse stress host: ${s.description}`,
          }),
        );
      }
    });
    return rules;
  }

  private addAlarms(
    instance: Instance,
    name: string,
    idPrefix: string,
    a: Required<Omit<StressHostAlarmProps, 'contactGroups'>> & { contactGroups: string[] },
    tags: Record<string, string>,
  ): CmsAlarm[] {
    // The hosts are VPC instances: their public traffic is `VPC_PublicIP_InternetInRate`/`OutRate` (dimensions
    // userId, instanceId, ip); `InternetInRate`/`InternetOutRate` are the classic-network metrics, which a VPC
    // instance does not report (CloudMonitor metric list of ECS, acs_ecs_dashboard; issue 15 item 8).
    const internet = a.network === 'internet';
    const [inMetric, outMetric] = internet ? ['VPC_PublicIP_InternetInRate', 'VPC_PublicIP_InternetOutRate'] : ['IntranetInRate', 'IntranetOutRate'];
    const netDimensions = JSON.stringify([internet ? { instanceId: instance.id, ip: instance.publicIp } : { instanceId: instance.id }]);
    const specs = [
      { key: 'cpu', metric: 'CPUUtilization', threshold: a.cpuUtilizationPercent, dimensions: JSON.stringify([{ instanceId: instance.id }]) },
      { key: 'net-in', metric: inMetric, threshold: a.networkInBitsPerSecond, dimensions: netDimensions },
      { key: 'net-out', metric: outMetric, threshold: a.networkOutBitsPerSecond, dimensions: netDimensions },
    ];
    return specs.map((s) => {
      const escalation = { statistics: 'Average', comparisonOperator: '>=', threshold: String(s.threshold), times: a.times };
      return new CmsAlarm(this, `${idPrefix}-alarm-${s.key}`, {
        name: `${name}-${s.key}`,
        project: 'acs_ecs_dashboard',
        metric: s.metric,
        metricDimensions: s.dimensions,
        period: a.periodSeconds,
        contactGroups: a.contactGroups,
        webhook: a.webhook,
        enabled: true,
        tags,
        ...(a.level === 'critical'
          ? { escalationsCritical: escalation }
          : a.level === 'info'
            ? { escalationsInfo: escalation }
            : { escalationsWarn: escalation }),
      });
    });
  }

  private addOutputs(p: ResolvedProps): Partial<Record<keyof typeof STRESS_HOST_OUTPUTS, TerraformOutput>> {
    const region = new DataAlicloudRegions(this, 'region', { current: true });
    const outputs: Partial<Record<keyof typeof STRESS_HOST_OUTPUTS, TerraformOutput>> = {};
    const add = (key: keyof typeof STRESS_HOST_OUTPUTS, value: unknown, description: string): void => {
      const output = new TerraformOutput(this, `output-${STRESS_HOST_OUTPUTS[key]}`, { value, description });
      output.overrideLogicalId(`${p.outputPrefix}${STRESS_HOST_OUTPUTS[key]}`);
      outputs[key] = output;
    };
    add('serverInstanceId', this.server.instanceId, 'Instance id of the iperf3 server host');
    add('clientInstanceIds', this.clients.map((c) => c.instanceId), 'Instance ids of the client hosts');
    add('instanceIds', this.instanceIds, 'Instance ids of every host, server first');
    add('serverPrivateIp', this.server.privateIp, 'Private IP of the server host');
    add('clientPrivateIps', this.clients.map((c) => c.privateIp), 'Private IPs of the client hosts');
    add('serverPublicIp', this.server.publicIp, 'Public IP of the server host (empty without public bandwidth)');
    add('clientPublicIps', this.clients.map((c) => c.publicIp), 'Public IPs of the client hosts');
    add('region', Fn.element(region.ids, 0), 'Region of the hosts');
    add('iperf3Port', this.iperf3Port, 'First iperf3 server port on the server host');
    add('iperf3ServerCount', this.iperf3Servers, 'Number of iperf3 servers (consecutive ports) on the server host');
    add('autoReleaseTime', this.autoReleaseTime, 'Time (UTC) at which ECS releases every host');
    add('securityGroupId', this.securityGroupId, 'Security group of the hosts');
    add('alarmRuleIds', this.instances.flatMap((h) => h.alarms.map((a) => a.id)), 'CloudMonitor alarm rule ids of every host (empty without alarms)');
    if (this.keyFilePath !== undefined) {
      add('sshPrivateKeyPath', this.keyFilePath, 'Absolute path of the SSH private key (mode 0600, removed on destroy)');
    }
    return outputs;
  }
}

interface ResolvedProps {
  readonly allowedCidrs: readonly string[];
  readonly vswitchIds: readonly string[] | undefined;
  readonly vpcId: string | undefined;
  readonly securityGroupId: string | undefined;
  readonly vpcCidr: string;
  readonly zoneIds: readonly string[] | undefined;
  readonly clients: number;
  readonly crossZone: boolean;
  readonly instanceType: string | undefined;
  readonly instanceTypeFamily: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  readonly imageId: string | undefined;
  readonly imageNameRegex: string;
  readonly autoReleaseHours: number;
  readonly spotStrategy: 'NoSpot' | 'SpotAsPriceGo' | 'SpotWithPriceLimit';
  readonly spotPriceLimit: number | undefined;
  readonly publicBandwidthMbps: number;
  readonly internetChargeType: 'PayByTraffic' | 'PayByBandwidth';
  readonly systemDiskCategory: string;
  readonly systemDiskSizeGiB: number;
  readonly ssh: boolean;
  readonly sshPublicKey: string | undefined;
  readonly keyFilePath: string | undefined;
  readonly iperf3Port: number;
  readonly iperf3Servers: number;
  readonly sockperfPort: number;
  readonly allowPing: boolean;
  readonly userDataExtraScript: string | undefined;
  readonly alarms: (Required<Omit<StressHostAlarmProps, 'contactGroups'>> & { contactGroups: string[] }) | undefined;
  readonly namePrefix: string;
  readonly tags: Record<string, string>;
  readonly outputPrefix: string;
}

const KNOWN_PROPS = new Set<string>([
  'allowedCidrs', 'vswitchIds', 'vpcId', 'securityGroupId', 'vpcCidr', 'zoneIds', 'clients', 'crossZone',
  'instanceType', 'instanceTypeFamily', 'cpuCores', 'memoryGiB', 'imageId', 'imageNameRegex', 'autoReleaseHours',
  'spot', 'spotPriceLimit', 'publicBandwidthMbps', 'internetChargeType', 'systemDiskCategory', 'systemDiskSizeGiB',
  'ssh', 'sshPublicKey', 'keyFilePath', 'iperf3Port', 'iperf3Servers', 'sockperfPort', 'allowPing', 'userDataExtraScript', 'alarms',
  'namePrefix', 'tags', 'outputPrefix',
]);

const KNOWN_ALARM_PROPS = new Set<string>([
  'webhook', 'contactGroups', 'cpuUtilizationPercent', 'networkInBitsPerSecond', 'networkOutBitsPerSecond',
  'network', 'periodSeconds', 'times', 'level',
]);

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'host';
}

function hostName(name: string): string {
  return sanitize(name).toLowerCase().slice(0, 63).replace(/-+$/, '');
}

function validateProps(scope: Construct, id: string, props: StressHostProps): ResolvedProps {
  const issues: string[] = [];
  const where = `StressHost "${scope.node.path}"`;
  if (props === null || typeof props !== 'object') {
    throw new StressHostError(
      'INVALID_PROPS',
      `${where}: props are missing. Pass at least { allowedCidrs: ['<your IP>/32'] }.`,
      { issues: ['props: missing'] },
    );
  }
  for (const key of Object.keys(props)) {
    if (!KNOWN_PROPS.has(key)) issues.push(`props.${key}: unknown prop; check the spelling against StressHostProps.`);
  }

  // allowedCidrs
  const allowedCidrs = props.allowedCidrs;
  const openToWorld: string[] = [];
  if (allowedCidrs === undefined) {
    issues.push(
      "props.allowedCidrs: required. Give the source ranges that may reach iperf3 (and SSH), e.g. ['203.0.113.7/32'] " +
        "for your own IP; ['0.0.0.0/0'] opens the hosts to everyone and must be written explicitly.",
    );
  } else if (!Array.isArray(allowedCidrs) || allowedCidrs.length === 0) {
    issues.push("props.allowedCidrs: must be a non-empty array of CIDRs, e.g. ['203.0.113.7/32'].");
  } else {
    allowedCidrs.forEach((cidr: unknown, i) => {
      if (typeof cidr !== 'string') {
        issues.push(`props.allowedCidrs[${i}]: must be a string CIDR such as "203.0.113.0/24".`);
        return;
      }
      if (Token.isUnresolved(cidr)) return;
      const check = checkCidr(cidr);
      if (!check.ok) issues.push(`props.allowedCidrs[${i}]: ${check.problem}`);
      else if (check.cidr.everywhere) openToWorld.push(cidr);
    });
    if (new Set(allowedCidrs).size !== allowedCidrs.length) {
      issues.push('props.allowedCidrs: contains duplicates; list each range once.');
    }
    if (allowedCidrs.length > 50) issues.push('props.allowedCidrs: at most 50 ranges (each adds security group rules).');
  }

  // network
  const vswitchIds = props.vswitchIds;
  if (vswitchIds !== undefined && (!Array.isArray(vswitchIds) || vswitchIds.length === 0 || vswitchIds.some((v) => typeof v !== 'string' || v === ''))) {
    issues.push('props.vswitchIds: must be a non-empty array of vSwitch ids (vsw-…), or omitted to create the network.');
  }
  if (vswitchIds !== undefined && props.vpcId === undefined && props.securityGroupId === undefined) {
    issues.push('props.vpcId: required with vswitchIds to create the security group; pass the VPC of the vSwitches, or securityGroupId.');
  }
  if (vswitchIds !== undefined && props.zoneIds === undefined && props.instanceType === undefined) {
    issues.push(
      'props.zoneIds: required with vswitchIds when instanceType is not given, so the instance type is looked up in the zones the hosts run in; ' +
        'list the zones of the vSwitches in the same order (e.g. ["cn-hangzhou-h", "cn-hangzhou-i"]), or give instanceType.',
    );
  }
  if (vswitchIds !== undefined && props.vpcCidr !== undefined) {
    issues.push('props.vpcCidr: only used when the VPC is created; remove it when passing vswitchIds.');
  }
  if (vswitchIds === undefined && props.vpcId !== undefined) {
    issues.push('props.vpcId: only used with vswitchIds; pass vswitchIds too, or remove vpcId to create the network.');
  }
  const vpcCidr = props.vpcCidr ?? '10.0.0.0/16';
  if (typeof vpcCidr !== 'string') {
    issues.push('props.vpcCidr: must be a string such as "10.0.0.0/16".');
  } else {
    const check = checkCidr(vpcCidr);
    if (!check.ok) issues.push(`props.vpcCidr: ${check.problem}`);
    else if (check.cidr.family !== 4 || check.cidr.prefix < 8 || check.cidr.prefix > 24) {
      issues.push(`props.vpcCidr: "${vpcCidr}" must be an IPv4 CIDR with a prefix from /8 to /24, e.g. "10.0.0.0/16".`);
    }
  }
  const zoneIds = props.zoneIds;
  if (zoneIds !== undefined && (!Array.isArray(zoneIds) || zoneIds.length === 0 || zoneIds.some((z) => typeof z !== 'string' || z === ''))) {
    issues.push('props.zoneIds: must be a non-empty array of zone ids (e.g. ["cn-hangzhou-h", "cn-hangzhou-i"]), or omitted.');
  }

  // hosts
  const clients = props.clients ?? 0;
  if (!isInt(clients, 0, MAX_CLIENTS)) issues.push(`props.clients: ${String(clients)} is not allowed; use an integer from 0 to ${MAX_CLIENTS}.`);
  const crossZone = props.crossZone ?? false;
  if (typeof crossZone !== 'boolean') issues.push('props.crossZone: must be true or false.');
  if (crossZone && clients === 0) issues.push('props.crossZone: needs at least one client (clients >= 1): a single host has nothing to cross zones to.');
  if (crossZone && vswitchIds !== undefined) {
    Annotations.of(scope).addWarning('StressHost: crossZone is ignored with vswitchIds; the zones are those of the vSwitches.');
  }
  if (typeof vpcCidr === 'string' && isInt(clients, 0, MAX_CLIENTS) && (crossZone || zoneIds !== undefined) && vswitchIds === undefined) {
    const check = checkCidr(vpcCidr);
    if (check.ok && check.cidr.family === 4 && check.cidr.prefix >= 8 && check.cidr.prefix <= 24) {
      const vswPrefix = check.cidr.prefix <= 20 ? 24 : check.cidr.prefix + 4;
      if (clients + 1 > 2 ** (vswPrefix - check.cidr.prefix)) {
        issues.push(`props.vpcCidr: "${vpcCidr}" has room for ${2 ** (vswPrefix - check.cidr.prefix)} vSwitches, but ${clients + 1} hosts need one each; use a larger VPC (e.g. /16).`);
      }
    }
  }
  const instanceType = props.instanceType;
  if (instanceType !== undefined && (typeof instanceType !== 'string' || (!Token.isUnresolved(instanceType) && !/^ecs\.[\w.-]+$/.test(instanceType)))) {
    issues.push(`props.instanceType: "${String(instanceType)}" is not an ECS instance type; it looks like "ecs.c7.large".`);
  }
  const instanceTypeFamily = props.instanceTypeFamily ?? DEFAULT_INSTANCE_TYPE_FAMILY;
  if (typeof instanceTypeFamily !== 'string' || (!Token.isUnresolved(instanceTypeFamily) && !/^ecs\.[\w-]+$/.test(instanceTypeFamily))) {
    issues.push(`props.instanceTypeFamily: "${String(instanceTypeFamily)}" is not a family; it looks like "ecs.c7".`);
  }
  const cpuCores = props.cpuCores ?? 2;
  if (!isInt(cpuCores, 1, 256)) issues.push(`props.cpuCores: ${String(cpuCores)} is not allowed; use an integer from 1 to 256.`);
  const memoryGiB = props.memoryGiB ?? 4;
  if (typeof memoryGiB !== 'number' || !(memoryGiB > 0) || memoryGiB > 4096) issues.push(`props.memoryGiB: ${String(memoryGiB)} is not allowed; use a number of GiB above 0.`);
  const imageNameRegex = props.imageNameRegex ?? DEFAULT_IMAGE_NAME_REGEX;
  if (typeof imageNameRegex !== 'string' || imageNameRegex === '') issues.push('props.imageNameRegex: must be a non-empty regular expression string.');
  else {
    for (const problem of checkValue('data.alicloud_images', 'name_regex', imageNameRegex)) {
      issues.push(`props.imageNameRegex: ${problem.message}; the provider expects ${problem.allowed}.`);
    }
  }
  if (props.imageId !== undefined && props.imageNameRegex !== undefined) {
    issues.push('props.imageNameRegex: ignored when imageId is given; pass only one of them.');
  }

  // cost
  const autoReleaseHours = props.autoReleaseHours ?? 6;
  if (!isInt(autoReleaseHours, 1, MAX_AUTO_RELEASE_HOURS)) {
    issues.push(
      `props.autoReleaseHours: ${String(autoReleaseHours)} is not allowed; use whole hours from 1 (ECS needs the release ` +
        `time at least 30 minutes ahead) to ${MAX_AUTO_RELEASE_HOURS} (under 3 years). It is the cost cap and cannot be turned off.`,
    );
  }
  const spotPriceLimit = props.spotPriceLimit;
  if (spotPriceLimit !== undefined && (typeof spotPriceLimit !== 'number' || !(spotPriceLimit > 0))) {
    issues.push(`props.spotPriceLimit: ${String(spotPriceLimit)} must be a positive hourly price.`);
  }
  if (props.spot === false && spotPriceLimit !== undefined) {
    issues.push('props.spotPriceLimit: given with spot: false; remove one of them.');
  }
  const spot = props.spot ?? spotPriceLimit !== undefined;
  const publicBandwidthMbps = props.publicBandwidthMbps ?? 0;
  if (!isInt(publicBandwidthMbps, 0, 100)) issues.push(`props.publicBandwidthMbps: ${String(publicBandwidthMbps)} is not allowed; use an integer from 0 to 100 (Mbit/s).`);
  const internetChargeType = props.internetChargeType ?? 'PayByTraffic';
  if (internetChargeType !== 'PayByTraffic' && internetChargeType !== 'PayByBandwidth') {
    issues.push(`props.internetChargeType: "${String(internetChargeType)}" must be "PayByTraffic" or "PayByBandwidth".`);
  }
  const systemDiskCategory = props.systemDiskCategory ?? 'cloud_essd';
  if (typeof systemDiskCategory !== 'string' || (!Token.isUnresolved(systemDiskCategory) && !STRESS_HOST_SYSTEM_DISK_CATEGORIES.includes(systemDiskCategory))) {
    issues.push(
      `props.systemDiskCategory: ${JSON.stringify(systemDiskCategory)} is not a system disk category the alicloud provider accepts; ` +
        `use one of ${STRESS_HOST_SYSTEM_DISK_CATEGORIES.map((c) => `"${c}"`).join(', ')} (case-sensitive).`,
    );
  }
  const systemDiskSizeGiB = props.systemDiskSizeGiB ?? 40;
  if (!isInt(systemDiskSizeGiB, 20, 500)) issues.push(`props.systemDiskSizeGiB: ${String(systemDiskSizeGiB)} is not allowed; use an integer from 20 to 500.`);

  // ssh
  const sshPublicKey = props.sshPublicKey;
  if (sshPublicKey !== undefined && (typeof sshPublicKey !== 'string' || (!Token.isUnresolved(sshPublicKey) && !/^(ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+/.test(sshPublicKey.trim())))) {
    issues.push('props.sshPublicKey: must be an OpenSSH public key starting with "ssh-rsa", "ssh-dss" or "ecdsa-sha2-…" (ECS cannot import ed25519 keys).');
  }
  if (props.ssh === false && sshPublicKey !== undefined) issues.push('props.sshPublicKey: given with ssh: false; remove one of them.');
  const ssh = props.ssh ?? sshPublicKey !== undefined;
  if (props.keyFilePath !== undefined && (!ssh || sshPublicKey !== undefined)) {
    issues.push('props.keyFilePath: only used when the construct generates the key (ssh: true without sshPublicKey).');
  }
  if (props.keyFilePath !== undefined && (typeof props.keyFilePath !== 'string' || props.keyFilePath.trim() === '')) {
    issues.push('props.keyFilePath: must be a non-empty file path.');
  }
  if (ssh && publicBandwidthMbps === 0) {
    Annotations.of(scope).addWarning(
      'StressHost: ssh is on but publicBandwidthMbps is 0, so the hosts have no public IP; SSH works only from inside the VPC (or use Cloud Assistant).',
    );
  }

  // iperf3
  let iperf3Port = DEFAULT_IPERF3_PORT;
  let iperf3Servers = 1;
  let sockperfPort = DEFAULT_SOCKPERF_PORT;
  try {
    const resolved = resolveCloudInitOptions({
      ...(props.sockperfPort === undefined ? {} : { sockperfPort: props.sockperfPort }),
      iperf3Port: props.iperf3Port ?? DEFAULT_IPERF3_PORT,
      iperf3Servers: props.iperf3Servers ?? Math.max(1, isInt(clients, 0, MAX_CLIENTS) ? clients : 1),
    });
    iperf3Port = resolved.iperf3Port;
    iperf3Servers = resolved.iperf3Servers;
    sockperfPort = resolved.sockperfPort;
  } catch (err) {
    if (!StressHostError.isStressHostError(err)) throw err;
    for (const issue of err.issues) issues.push(`props.${issue}`);
  }
  const allowPing = props.allowPing ?? true;
  if (typeof allowPing !== 'boolean') issues.push('props.allowPing: must be true or false.');
  if (props.userDataExtraScript !== undefined && typeof props.userDataExtraScript !== 'string') {
    issues.push('props.userDataExtraScript: must be a string of bash.');
  }

  // alarms
  let alarms: ResolvedProps['alarms'];
  if (props.alarms !== undefined) {
    const a = props.alarms;
    if (a === null || typeof a !== 'object') {
      issues.push('props.alarms: must be an object like { webhook, contactGroups }.');
    } else {
      for (const key of Object.keys(a)) {
        if (!KNOWN_ALARM_PROPS.has(key)) issues.push(`props.alarms.${key}: unknown prop; check the spelling against StressHostAlarmProps.`);
      }
      // The webhook may carry a secret: never echo its value.
      if (typeof a.webhook !== 'string' || a.webhook === '') {
        issues.push('props.alarms.webhook: required; pass the callback URL (preferably a sensitive TerraformVariable or a construct attribute).');
      } else if (!Token.isUnresolved(a.webhook) && !/^https?:\/\/[^\s/]+/.test(a.webhook)) {
        issues.push('props.alarms.webhook: is not an http(s) URL (value not shown because it may hold a secret).');
      }
      if (!Array.isArray(a.contactGroups) || a.contactGroups.length === 0 || a.contactGroups.some((g) => typeof g !== 'string' || g === '')) {
        issues.push(
          'props.alarms.contactGroups: CloudMonitor requires at least one alarm contact group name; create one in the ' +
            'CloudMonitor console (or with alicloud_cms_alarm_contact_group) and list it here.',
        );
      }
      const cpu = a.cpuUtilizationPercent ?? 80;
      if (typeof cpu !== 'number' || !(cpu > 0 && cpu <= 100)) issues.push(`props.alarms.cpuUtilizationPercent: ${String(cpu)} must be above 0 and at most 100.`);
      const netIn = a.networkInBitsPerSecond ?? 100_000_000;
      if (typeof netIn !== 'number' || !(netIn > 0)) issues.push(`props.alarms.networkInBitsPerSecond: ${String(netIn)} must be a positive number of bits per second.`);
      const netOut = a.networkOutBitsPerSecond ?? 100_000_000;
      if (typeof netOut !== 'number' || !(netOut > 0)) issues.push(`props.alarms.networkOutBitsPerSecond: ${String(netOut)} must be a positive number of bits per second.`);
      const network = a.network ?? 'intranet';
      if (network !== 'intranet' && network !== 'internet') issues.push(`props.alarms.network: "${String(network)}" must be "intranet" or "internet".`);
      if (network === 'internet' && (props.publicBandwidthMbps ?? 0) === 0) {
        issues.push('props.alarms.network: "internet" watches the hosts\' public IPs, but publicBandwidthMbps is 0 (no public IP); set publicBandwidthMbps or use "intranet".');
      }
      const periodSeconds = a.periodSeconds ?? 60;
      if (!isInt(periodSeconds, 60, 86400) || periodSeconds % 60 !== 0) issues.push(`props.alarms.periodSeconds: ${String(periodSeconds)} must be a multiple of 60 from 60 to 86400.`);
      const times = a.times ?? 3;
      if (!isInt(times, 1, 100)) issues.push(`props.alarms.times: ${String(times)} must be an integer from 1 to 100.`);
      const level = a.level ?? 'warn';
      if (level !== 'critical' && level !== 'warn' && level !== 'info') issues.push(`props.alarms.level: "${String(level)}" must be "critical", "warn" or "info".`);
      alarms = {
        webhook: a.webhook,
        contactGroups: Array.isArray(a.contactGroups) ? [...a.contactGroups] : [],
        cpuUtilizationPercent: cpu,
        networkInBitsPerSecond: netIn,
        networkOutBitsPerSecond: netOut,
        network,
        periodSeconds,
        times,
        level,
      };
    }
  }

  // names and tags
  const namePrefix = props.namePrefix ?? `ecs-pulse-${sanitize(id)}`;
  if (typeof namePrefix !== 'string' || !/^[A-Za-z][A-Za-z0-9._-]{1,99}$/.test(namePrefix)) {
    issues.push(`props.namePrefix: "${String(namePrefix)}" must start with a letter and hold 2 to 100 letters, digits, ".", "_" or "-".`);
  } else {
    // the names built from the prefix must pass the provider's own validators
    const derived: Array<readonly [string, string, string]> = [['alicloud_instance', 'instance_name', `${namePrefix}-client-${String(clients)}`]];
    if (props.ssh === true || props.sshPublicKey !== undefined) derived.push(['alicloud_ecs_key_pair', 'key_name_prefix', `${namePrefix}-`]);
    for (const [type, attribute, value] of derived) {
      for (const problem of checkValue(type, attribute, value)) {
        issues.push(`props.namePrefix: gives ${type}.${attribute} ${JSON.stringify(value)}, which the provider rejects (${problem.message}); it allows ${problem.allowed}.`);
      }
    }
  }
  const tags = props.tags ?? {};
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    issues.push('props.tags: must be an object of string keys and values.');
  } else {
    const entries = Object.entries(tags);
    if (entries.length > 17) issues.push(`props.tags: ${entries.length} tags; ECS allows 20 per resource and the construct adds 3, so give at most 17.`);
    for (const [key, value] of entries) {
      if (key === '' || key.length > 128 || TAG_KEY_FORBIDDEN.test(key)) {
        issues.push(`props.tags["${key}"]: tag keys hold 1 to 128 characters and cannot start with "aliyun" or "acs:" or contain "http://"/"https://".`);
      }
      if (typeof value !== 'string' || value.length > 128 || /https?:\/\//i.test(value)) {
        issues.push(`props.tags["${key}"]: tag values are strings of up to 128 characters without "http://"/"https://".`);
      }
      if (['managed-by', 'ecs-pulse-component', 'ecs-pulse-role'].includes(key)) {
        issues.push(`props.tags["${key}"]: reserved for the construct; pick another key.`);
      }
      for (const problem of typeof value === 'string' ? checkValue('alicloud_instance', 'tags', { [key]: value }) : []) {
        issues.push(`props.tags["${key}"]: the provider rejects this tag value (${problem.message}); it allows ${problem.allowed}.`);
      }
    }
  }
  const outputPrefix = props.outputPrefix ?? '';
  if (typeof outputPrefix !== 'string' || !/^([A-Za-z][A-Za-z0-9_-]*)?$/.test(outputPrefix)) {
    issues.push(`props.outputPrefix: "${String(outputPrefix)}" must be empty or start with a letter and hold letters, digits, "_" or "-".`);
  } else {
    const stack = TerraformStack.of(scope);
    const used = usedOutputPrefixes.get(stack) ?? new Set<string>();
    if (used.has(outputPrefix)) {
      issues.push(
        `props.outputPrefix: "${outputPrefix}" is already used by another StressHost in stack "${stack.node.id}"; ` +
          `give each StressHost its own outputPrefix (e.g. "${sanitize(id).replace(/-/g, '_')}_") so the output names do not collide.`,
      );
    } else if (issues.length === 0) {
      used.add(outputPrefix);
      usedOutputPrefixes.set(stack, used);
    }
  }

  if (issues.length > 0) {
    throw new StressHostError('INVALID_PROPS', `${where} has invalid props:\n  ${issues.join('\n  ')}`, { issues });
  }

  if (openToWorld.length > 0) {
    Annotations.of(scope).addWarning(
      `StressHost: allowedCidrs includes ${openToWorld.join(', ')}: iperf3${ssh ? ', SSH' : ''} and ping are open to the whole internet. ` +
        'Narrow it to your own ranges unless this is intended.',
    );
  }

  return {
    allowedCidrs: allowedCidrs as readonly string[],
    vswitchIds,
    vpcId: props.vpcId,
    securityGroupId: props.securityGroupId,
    vpcCidr,
    zoneIds,
    clients,
    crossZone,
    instanceType,
    instanceTypeFamily,
    cpuCores,
    memoryGiB,
    imageId: props.imageId,
    imageNameRegex,
    autoReleaseHours,
    spotStrategy: spot ? (spotPriceLimit === undefined ? 'SpotAsPriceGo' : 'SpotWithPriceLimit') : 'NoSpot',
    spotPriceLimit,
    publicBandwidthMbps,
    internetChargeType,
    systemDiskCategory,
    systemDiskSizeGiB,
    ssh,
    sshPublicKey,
    keyFilePath: props.keyFilePath === undefined ? undefined : resolve(props.keyFilePath),
    iperf3Port,
    iperf3Servers,
    sockperfPort,
    allowPing,
    userDataExtraScript: props.userDataExtraScript,
    alarms,
    namePrefix,
    tags: { ...(tags as Record<string, string>) },
    outputPrefix,
  };
}

/** Add the providers the construct needs when the stack has none of that type. */
/** The distinct zones of `zoneIds` that the hosts use (host `i` in `zoneIds[i % length]`), in host order. */
function hostZones(zoneIds: readonly string[] | undefined, hostCount: number): string[] {
  if (zoneIds === undefined || zoneIds.length === 0) return [];
  const used: string[] = [];
  for (let i = 0; i < hostCount; i++) {
    const zone = zoneIds[i % zoneIds.length] as string;
    if (!used.includes(zone)) used.push(zone);
  }
  return used;
}

function ensureProviders(scope: Construct, stack: TerraformStack, keyFile: boolean): void {
  const present = new Set(
    stack.node
      .findAll()
      .filter((c) => TerraformProvider.isTerraformProvider(c))
      .map((c) => (c as TerraformProvider).terraformResourceType),
  );
  if (!present.has(AlicloudProvider.tfResourceType)) {
    new AlicloudProvider(stack, 'ecs-pulse-alicloud-provider', {});
    Annotations.of(scope).addWarning(
      'StressHost: the stack had no AlicloudProvider, so one without settings was added (region and credentials come from ' +
        'ALICLOUD_REGION / ALICLOUD_ACCESS_KEY / profiles). Add new AlicloudProvider(stack, ...) to choose the region.',
    );
  }
  if (!present.has(TimeProvider.tfResourceType)) new TimeProvider(stack, 'ecs-pulse-time-provider', {});
  if (keyFile && !present.has(TlsProvider.tfResourceType)) new TlsProvider(stack, 'ecs-pulse-tls-provider', {});
  if (keyFile && !present.has(LocalProvider.tfResourceType)) new LocalProvider(stack, 'ecs-pulse-local-provider', {});
}
