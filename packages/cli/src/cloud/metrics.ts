import type { Io } from '../io.js';
import { callApi } from './call.js';
import { cmsClient } from './clients.js';
import type { ClientSettings } from './config.js';

/**
 * The CloudMonitor metrics fetched beside a test run (namespace `acs_ecs_dashboard`). Public traffic is read as
 * `VPC_PublicIP_InternetInRate`/`OutRate` (dimensions userId, instanceId, ip): the hosts are VPC instances, and
 * `InternetInRate`/`InternetOutRate` are the classic-network metrics, which VPC instances do not report
 * (CloudMonitor metric list of ECS, acs_ecs_dashboard; issue 15 item 8). Queried by instanceId, the datapoints
 * of every public IP of the instance come back and are summarised together.
 */
export const RUN_METRICS = [
  'CPUUtilization',
  'VPC_PublicIP_InternetInRate',
  'IntranetInRate',
  'VPC_PublicIP_InternetOutRate',
  'IntranetOutRate',
  'memory_usedutilization',
] as const;

/**
 * Summary of one metric of one instance over a time window.
 *
 * @example
 * ```ts
 * import type { MetricSummary } from '@ecs-pulse/cli';
 * ```
 */
export interface MetricSummary {
  readonly metric: string;
  readonly instanceId: string;
  /** Number of datapoints CloudMonitor returned (0: the metric is not reported, e.g. memory without the agent). */
  readonly points: number;
  readonly average?: number;
  readonly maximum?: number;
  readonly minimum?: number;
  /** Unit as CloudMonitor reports it (`%`, `bit/s`). */
  readonly unit: string;
  /** The datapoints: `[epoch ms, Average]`, oldest first. @default - none */
  readonly series?: ReadonlyArray<readonly [number, number]>;
}

/**
 * Metrics of a run's time window.
 *
 * @example
 * ```ts
 * import type { MetricsReport } from '@ecs-pulse/cli';
 * ```
 */
export interface MetricsReport {
  readonly namespace: 'acs_ecs_dashboard';
  readonly startTime: string;
  readonly endTime: string;
  readonly period: number;
  readonly summaries: readonly MetricSummary[];
}

const UNITS: Record<string, string> = {
  CPUUtilization: '%',
  memory_usedutilization: '%',
  VPC_PublicIP_InternetInRate: 'bit/s',
  IntranetInRate: 'bit/s',
  VPC_PublicIP_InternetOutRate: 'bit/s',
  IntranetOutRate: 'bit/s',
};

interface Datapoint {
  instanceId?: string;
  Average?: number;
  Maximum?: number;
  Minimum?: number;
  timestamp?: number;
}

/**
 * Fetch `DescribeMetricList` for each metric and instance over [start, end] (60 s period,
 * paginated with NextToken) and summarise avg/max/min.
 * @internal
 */
export async function fetchRunMetrics(
  settings: ClientSettings,
  instanceIds: readonly string[],
  start: Date,
  end: Date,
  io: Io,
): Promise<MetricsReport> {
  const { client, models } = await cmsClient(settings);
  const region = settings.regionId;
  const period = 60;
  // CloudMonitor aggregates by minute: widen the window to whole minutes around the run.
  const from = new Date(Math.floor(start.getTime() / 60_000) * 60_000 - 60_000);
  const to = new Date(Math.ceil(end.getTime() / 60_000) * 60_000 + 60_000);
  const summaries: MetricSummary[] = [];
  const progress = io.progress(`CloudMonitor: fetching ${RUN_METRICS.length} metrics for ${instanceIds.length} host(s)`);
  try {
    for (const metric of RUN_METRICS) {
      const points: Datapoint[] = [];
      let nextToken: string | undefined;
      do {
        const res = await callApi(
          { product: 'CloudMonitor', action: 'DescribeMetricList', region },
          () =>
            client.describeMetricList(
              new models.DescribeMetricListRequest({
                namespace: 'acs_ecs_dashboard',
                metricName: metric,
                period: String(period),
                startTime: String(from.getTime()),
                endTime: String(to.getTime()),
                dimensions: JSON.stringify(instanceIds.map((instanceId) => ({ instanceId }))),
                length: '1000',
                regionId: region,
                ...(nextToken ? { nextToken } : {}),
              }),
            ),
          io.env,
          { onRetry: (a, d, c) => progress.update(`CloudMonitor: throttled (${c}); retry ${a} in ${(d / 1000).toFixed(1)} s`) },
        );
        const body = res.body;
        if (body?.datapoints) points.push(...(JSON.parse(body.datapoints) as Datapoint[]));
        nextToken = body?.nextToken || undefined;
      } while (nextToken);
      for (const instanceId of instanceIds) {
        const mine = points.filter((p) => p.instanceId === instanceId);
        const avg = mine.map((p) => p.Average).filter((v): v is number => typeof v === 'number');
        const max = mine.map((p) => p.Maximum ?? p.Average).filter((v): v is number => typeof v === 'number');
        const min = mine.map((p) => p.Minimum ?? p.Average).filter((v): v is number => typeof v === 'number');
        summaries.push({
          metric,
          instanceId,
          points: mine.length,
          ...(avg.length ? { average: avg.reduce((a, b) => a + b, 0) / avg.length } : {}),
          ...(max.length ? { maximum: Math.max(...max) } : {}),
          ...(min.length ? { minimum: Math.min(...min) } : {}),
          unit: UNITS[metric] ?? '',
          ...(mine.some((p) => typeof p.timestamp === 'number' && typeof p.Average === 'number')
            ? { series: mine.filter((p) => typeof p.timestamp === 'number' && typeof p.Average === 'number').map((p) => [p.timestamp as number, p.Average as number] as const).sort((a, b) => a[0] - b[0]) }
            : {}),
        });
      }
    }
    progress.succeed(`CloudMonitor: ${summaries.filter((s) => s.points > 0).length} metric series found`);
  } catch (e) {
    progress.fail('CloudMonitor: metrics could not be fetched');
    throw e;
  }
  return { namespace: 'acs_ecs_dashboard', startTime: from.toISOString(), endTime: to.toISOString(), period, summaries };
}
