import type { Io } from '../io.js';
import { callApi } from './call.js';
import { ecsClient } from './clients.js';
import type { ClientSettings } from './config.js';

/**
 * What an instance type promises (ECS `DescribeInstanceTypes`). Bandwidth in bits per second (the API
 * answers Kbit/s), PPS in packets per second.
 *
 * @example
 * ```ts
 * import type { InstanceTypeInfo } from '@ecs-pulse/cli';
 * ```
 */
export interface InstanceTypeInfo {
  readonly instanceType: string;
  readonly vcpus?: number;
  readonly memoryGiB?: number;
  readonly bandwidthRxBitsPerSecond?: number;
  readonly bandwidthTxBitsPerSecond?: number;
  readonly ppsRx?: number;
  readonly ppsTx?: number;
}

const positive = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/**
 * The instance type of each instance (`DescribeInstances`) and what each type promises
 * (`DescribeInstanceTypes`). Never throws for the cloud's answers: a failed lookup comes back as a
 * warning, so a test still runs without the promised figures.
 * @internal
 */
export async function describeHostTypes(
  settings: ClientSettings,
  instanceIds: readonly string[],
  io: Io,
): Promise<{ types: Map<string, InstanceTypeInfo>; byInstance: Map<string, string>; warnings: string[] }> {
  const warnings: string[] = [];
  const byInstance = new Map<string, string>();
  const types = new Map<string, InstanceTypeInfo>();
  const region = settings.regionId;
  try {
    const { client, models } = await ecsClient(settings);
    const res = await callApi(
      { product: 'ECS', action: 'DescribeInstances', region },
      () => client.describeInstances(new models.DescribeInstancesRequest({ regionId: region, instanceIds: JSON.stringify(instanceIds), pageSize: 100 })),
      io.env,
    );
    for (const i of res.body?.instances?.instance ?? []) {
      if (i.instanceId && i.instanceType) byInstance.set(i.instanceId, i.instanceType);
    }
    const wanted = [...new Set(byInstance.values())];
    if (wanted.length > 0) {
      const t = await callApi(
        { product: 'ECS', action: 'DescribeInstanceTypes', region },
        () => client.describeInstanceTypes(new models.DescribeInstanceTypesRequest({ instanceTypes: wanted })),
        io.env,
      );
      for (const x of t.body?.instanceTypes?.instanceType ?? []) {
        if (!x.instanceTypeId) continue;
        types.set(x.instanceTypeId, {
          instanceType: x.instanceTypeId,
          ...(positive(x.cpuCoreCount) ? { vcpus: x.cpuCoreCount } : {}),
          ...(positive(x.memorySize) ? { memoryGiB: x.memorySize } : {}),
          ...(positive(x.instanceBandwidthRx) ? { bandwidthRxBitsPerSecond: x.instanceBandwidthRx * 1000 } : {}),
          ...(positive(x.instanceBandwidthTx) ? { bandwidthTxBitsPerSecond: x.instanceBandwidthTx * 1000 } : {}),
          ...(positive(x.instancePpsRx) ? { ppsRx: x.instancePpsRx } : {}),
          ...(positive(x.instancePpsTx) ? { ppsTx: x.instancePpsTx } : {}),
        });
      }
    }
    for (const id of instanceIds) {
      const type = byInstance.get(id);
      if (type === undefined) warnings.push(`The instance type of ${id} is unknown (DescribeInstances did not say); no advertised figures for it.`);
      else if (!types.has(type)) warnings.push(`DescribeInstanceTypes did not describe ${type}; no advertised figures for ${id}.`);
    }
  } catch (error) {
    warnings.push(`Could not look up the instance types (${error instanceof Error ? error.message : String(error)}); results are shown without the advertised figures.`);
  }
  return { types, byInstance, warnings };
}
