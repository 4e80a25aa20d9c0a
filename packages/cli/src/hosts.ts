import { callApi } from './cloud/call.js';
import { ecsClient } from './cloud/clients.js';
import { clientSettings, resolveRegion, type ClientSettings } from './cloud/config.js';
import { CliError } from './errors.js';
import type { Io } from './io.js';
import { M } from './messages.js';
import { loadStackInfo, type StackRef } from './stack.js';
import type { HostInfo } from './stack-outputs.js';

/**
 * Where the test hosts come from.
 *
 * @example
 * ```ts
 * import type { HostOptions } from '@ecs-pulse/cli';
 * ```
 */
export interface HostOptions extends StackRef {
  /** Server instance id. @default - the stack's server */
  readonly server?: string;
  /** Client instance ids. @default - the stack's clients */
  readonly client?: readonly string[];
  /** Region id. @default - the stack's region, else ALIBABA_CLOUD_REGION_ID */
  readonly region?: string;
}

/** Resolved hosts and ECS client settings. @internal */
export interface Targets {
  readonly region: string;
  readonly settings: ClientSettings;
  readonly server: HostInfo;
  readonly clients: readonly HostInfo[];
}

const INSTANCE_ID = /^i-[a-z0-9]{6,40}$/i;

/**
 * Resolve the server and clients: `--server`/`--client` (+ `--region`) or the deployed stack's outputs.
 * Private IPs missing from the outputs are looked up with ECS `DescribeInstances`.
 * @internal
 */
export async function resolveTargets(o: HostOptions, io: Io, needClients: boolean): Promise<Targets> {
  const explicit = o.server !== undefined || (o.client?.length ?? 0) > 0;
  const info = explicit && (o.server === undefined || o.region !== undefined || io.env.ALIBABA_CLOUD_REGION_ID)
    ? undefined
    : await loadStackInfo(o, io);
  const region = resolveRegion(o.region, info?.region, io.env);
  for (const id of [o.server, ...(o.client ?? [])]) {
    if (id !== undefined && !INSTANCE_ID.test(id)) throw new CliError('USAGE', M.badInstanceId(id));
  }
  let server: HostInfo | undefined = o.server !== undefined ? { instanceId: o.server } : info?.server;
  let clients: HostInfo[] = o.client?.length ? o.client.map((instanceId) => ({ instanceId })) : [...(info?.clients ?? [])];
  if (server === undefined) throw new CliError('USAGE', M.noServer());
  if (needClients && clients.length === 0) throw new CliError('USAGE', M.noClients());
  const settings = await clientSettings('ecs', region, io.env);
  const missing = [server, ...(needClients ? clients : [])].filter((h) => h.privateIp === undefined);
  if (missing.length > 0) {
    const found = await describePrivateIps(settings, missing.map((h) => h.instanceId), io);
    const fill = (h: HostInfo): HostInfo => {
      const f = found.get(h.instanceId);
      return f === undefined ? h : { ...f, ...h, privateIp: h.privateIp ?? f.privateIp };
    };
    server = fill(server);
    clients = clients.map(fill);
    for (const h of [server, ...(needClients ? clients : [])]) {
      if (!found.has(h.instanceId) && h.privateIp === undefined) throw new CliError('USAGE', M.instanceNotFound(h.instanceId, region));
    }
  }
  return { region, settings, server, clients };
}

async function describePrivateIps(settings: ClientSettings, ids: readonly string[], io: Io): Promise<Map<string, HostInfo>> {
  const { client, models } = await ecsClient(settings);
  const res = await callApi(
    { product: 'ECS', action: 'DescribeInstances', region: settings.regionId },
    () =>
      client.describeInstances(
        new models.DescribeInstancesRequest({ regionId: settings.regionId, instanceIds: JSON.stringify(ids), pageSize: 100 }),
      ),
    io.env,
  );
  const out = new Map<string, HostInfo>();
  for (const i of res.body?.instances?.instance ?? []) {
    if (!i.instanceId) continue;
    const privateIp = i.vpcAttributes?.privateIpAddress?.ipAddress?.[0] ?? i.innerIpAddress?.ipAddress?.[0];
    const publicIp = i.publicIpAddress?.ipAddress?.[0] ?? i.eipAddress?.ipAddress;
    out.set(i.instanceId, {
      instanceId: i.instanceId,
      ...(privateIp ? { privateIp } : {}),
      ...(publicIp ? { publicIp } : {}),
    });
  }
  return out;
}
