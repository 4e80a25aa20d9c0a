import { expectParams, type OpenApiDouble } from './openapi-double.js';

/** Register DescribeMetricList (2019-01-01) answering datapoints per instance, paginated by `pageSize`. */
export function metricsDouble(
  double: OpenApiDouble,
  opts: { readonly region: string; readonly values: Record<string, Record<string, number[]>>; readonly pageSize?: number },
): void {
  double.on('2019-01-01', 'DescribeMetricList', (call) => {
    expectParams(call, {
      Namespace: 'acs_ecs_dashboard',
      MetricName: /^(CPUUtilization|InternetInRate|IntranetInRate|InternetOutRate|IntranetOutRate|memory_usedutilization)$/,
      Period: '60',
      StartTime: /^\d{13}$/,
      EndTime: /^\d{13}$/,
      Dimensions: /^\[\{"instanceId":"i-/,
    });
    const metric = call.query.MetricName ?? '';
    const ids = (JSON.parse(call.query.Dimensions ?? '[]') as Array<{ instanceId: string }>).map((d) => d.instanceId);
    const start = Number(call.query.StartTime);
    const points = ids.flatMap((instanceId) =>
      (opts.values[metric]?.[instanceId] ?? []).map((v, i) => ({
        timestamp: start + i * 60_000,
        userId: '1234567890123456',
        instanceId,
        Average: v,
        Maximum: v + 1,
        Minimum: v - 1,
      })),
    );
    const size = opts.pageSize ?? 1000;
    const from = Number(call.query.NextToken ?? 0);
    const next = from + size < points.length ? String(from + size) : undefined;
    return {
      json: {
        RequestId: 'R-DML',
        Code: '200',
        Success: true,
        Period: '60',
        Datapoints: JSON.stringify(points.slice(from, from + size)),
        ...(next ? { NextToken: next } : {}),
      },
    };
  });
}
