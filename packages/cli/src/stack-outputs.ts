import type { TerraformOutput } from './terraform.js';

/**
 * One host of the stack.
 *
 * @example
 * ```ts
 * import type { HostInfo } from '@ecs-pulse/cli';
 * ```
 */
export interface HostInfo {
  /** ECS instance id (`i-...`). */
  readonly instanceId: string;
  /** Private (VPC) IP. @default - unknown */
  readonly privateIp?: string;
  /** Public IP, when the host has one. @default - none */
  readonly publicIp?: string;
}

/**
 * What the CLI needs from a deployed stack's outputs.
 *
 * @example
 * ```ts
 * import type { StackInfo } from '@ecs-pulse/cli';
 * ```
 */
export interface StackInfo {
  /** Region id (`region` output). @default - unknown */
  readonly region?: string;
  /** The iperf3 server / main host. @default - none in the outputs */
  readonly server?: HostInfo;
  /** The server's public IP even when no instance id output exists (SSH-only stacks). @default - none */
  readonly serverPublicIp?: string;
  /** Client hosts. */
  readonly clients: readonly HostInfo[];
  /** Private key file written by the stack. @default - none */
  readonly keyFile?: string;
  /** SSH login user. @default - none (the CLI uses root) */
  readonly sshUser?: string;
  /** Function Compute generation of the forwarder (`forwarder_fc_version`). @default - unknown */
  readonly fcVersion?: 2 | 3;
  /** Forwarder function name (`forwarder_function_name`). @default - none */
  readonly functionName?: string;
  /** FC 2.0 service name (`forwarder_service_name`). @default - none */
  readonly serviceName?: string;
  /** Region of the forwarder function (`forwarder_region`). @default - none (use `region`) */
  readonly functionRegion?: string;
  /** Account id, for the FC endpoint (`forwarder_account_id`). @default - none */
  readonly accountId?: string;
  /**
   * CloudMonitor alarm rule ids (`alarm_rule_ids`): an empty list when the stack has that output but no alarms.
   * @default - undefined when the stack has no alarm rule ids output
   */
  readonly alarmRuleIds?: readonly string[];
}

type Flat = Array<{ readonly key: string; readonly value: unknown }>;

function norm(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function flatten(outputs: Record<string, TerraformOutput>): Flat {
  const out: Array<{ key: string; value: unknown }> = [];
  const walk = (prefix: string, value: unknown): void => {
    out.push({ key: norm(prefix), value });
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(`${prefix}.${k}`, v);
    }
  };
  for (const [name, o] of Object.entries(outputs)) {
    if (o.sensitive === true) continue;
    walk(name, o.value);
  }
  return out;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return [];
}

/** The first value under a matching key, or undefined when no key matches (an empty list counts as found). */
function findPresent(flat: Flat, test: (key: string) => boolean): string[] | undefined {
  for (const { key, value } of flat) if (test(key)) return strings(value);
  return undefined;
}

function fcVersionOf(flat: Flat): 2 | 3 | undefined {
  for (const { key, value } of flat) {
    if (!key.endsWith('fcversion')) continue;
    const n = Number(value);
    if (n === 2 || n === 3) return n;
  }
  return undefined;
}

function find(flat: Flat, test: (key: string) => boolean): string[] {
  for (const { key, value } of flat) {
    if (test(key)) {
      const found = strings(value);
      if (found.length > 0) return found;
    }
  }
  return [];
}

const has =
  (...parts: string[]) =>
  (key: string): boolean =>
    parts.every((p) => key.includes(p));
const hasNot =
  (test: (k: string) => boolean, ...not: string[]) =>
  (key: string): boolean =>
    test(key) && not.every((p) => !key.includes(p));

/**
 * Read hosts, region, key file, the forwarder's function and the alarm rule ids from `terraform output -json`
 * of a stack built with `StressHost` (`STRESS_HOST_OUTPUTS`) and `SlackForwarder` (`SLACK_FORWARDER_OUTPUTS`).
 * Output names are matched loosely (`server_instance_id`, `serverInstanceId`,
 * `stress-host_server-instance-id_1A2B3C4D`, an `outputPrefix` all work), sensitive outputs are ignored.
 * @internal
 */
export function stackInfoFromOutputs(outputs: Record<string, TerraformOutput>): StackInfo {
  const flat = flatten(outputs);
  const first = (test: (key: string) => boolean): string | undefined => find(flat, test)[0];
  const serverId =
    first(has('server', 'instanceid')) ?? first(hasNot(has('instanceid'), 'client', 'ids'));
  const clientIds = find(flat, has('client', 'instanceid'));
  const clientPrivate = find(flat, has('client', 'privateip'));
  const clientPublic = find(flat, has('client', 'publicip'));
  const serverPrivate = first(has('server', 'privateip')) ?? first(hasNot(has('privateip'), 'client'));
  const serverPublic = first(has('server', 'publicip')) ?? first(hasNot(has('publicip'), 'client'));
  const server: HostInfo | undefined =
    serverId === undefined
      ? undefined
      : {
          instanceId: serverId,
          ...(serverPrivate === undefined ? {} : { privateIp: serverPrivate }),
          ...(serverPublic === undefined ? {} : { publicIp: serverPublic }),
        };
  const clients: HostInfo[] = clientIds.map((instanceId, i) => ({
    instanceId,
    ...(clientPrivate[i] === undefined ? {} : { privateIp: clientPrivate[i] }),
    ...(clientPublic[i] === undefined ? {} : { publicIp: clientPublic[i] }),
  }));
  const opt = <K extends string>(k: K, v: string | undefined): { [P in K]?: string } =>
    (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
  const functionRegion = first((k) => k.endsWith('forwarderregion') || k.endsWith('functionregion'));
  const fcVersion = fcVersionOf(flat);
  // StressHost's `alarm_rule_ids` by its documented name first (present even when empty), then any alarm id output.
  const alarmRuleIds =
    findPresent(flat, (k) => k.endsWith('alarmruleids')) ??
    findPresent(flat, (k) => k.includes('alarm') && (k.includes('ids') || k.endsWith('id')));
  return {
    ...opt(
      'region',
      first((k) => (k.endsWith('region') || k.endsWith('regionid')) && !k.endsWith('forwarderregion') && !k.endsWith('functionregion')) ??
        functionRegion,
    ),
    ...(server === undefined ? {} : { server }),
    ...opt('serverPublicIp', serverPublic),
    clients,
    ...opt(
      'keyFile',
      first((k) => ['keyfile', 'privatekeypath', 'keypath', 'pemfile', 'privatekeyfile', 'sshkeyfile'].some((p) => k.includes(p))),
    ),
    ...opt('sshUser', first((k) => ['sshuser', 'loginuser', 'sshusername'].some((p) => k.includes(p)))),
    ...(fcVersion === undefined ? {} : { fcVersion }),
    ...opt('functionName', first(has('functionname'))),
    ...opt('serviceName', first(has('servicename'))),
    ...opt('functionRegion', functionRegion),
    ...opt('accountId', first(has('accountid'))),
    ...(alarmRuleIds === undefined ? {} : { alarmRuleIds }),
  };
}
