import { expectParams, type OpenApiDouble } from './openapi-double.js';

/**
 * Register DescribeMetricList (2019-01-01) answering datapoints per instance, paginated by `pageSize`. Like a VPC
 * host, it has values only for the metrics given: the classic `InternetInRate` of a VPC host has none.
 */
export function metricsDouble(
  double: OpenApiDouble,
  opts: { readonly region: string; readonly values: Record<string, Record<string, number[]>>; readonly pageSize?: number },
): void {
  double.on('2019-01-01', 'DescribeMetricList', (call) => {
    expectParams(call, {
      Namespace: 'acs_ecs_dashboard',
      MetricName: /^(CPUUtilization|InternetInRate|IntranetInRate|InternetOutRate|IntranetOutRate|VPC_PublicIP_InternetInRate|VPC_PublicIP_InternetOutRate|memory_usedutilization)$/,
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
        // The VPC public-IP metrics have a third dimension, the IP.
        ...(metric.startsWith('VPC_PublicIP_') ? { ip: '203.0.113.10' } : {}),
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

/** One alarm rule the double serves (the fields `alarms` reads). */
export interface DoubleRule {
  readonly RuleId: string;
  readonly RuleName: string;
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly AlertState?: string;
  readonly EnableState?: boolean;
}

/** One alert-history entry the double serves; `AlertTime` is epoch ms as a string, as the API sends it. */
export interface DoubleAlertLog {
  readonly AlertTime: string;
  readonly RuleId: string;
  readonly RuleName?: string;
  readonly InstanceId?: string;
  readonly Level?: string;
  readonly LevelChange?: string;
  readonly SendStatus?: string;
  readonly Message?: string;
}

const FIFTEEN_DAYS_MS = 15 * 86_400_000;

/**
 * Register DescribeMetricRuleList and DescribeAlertLogList (2019-01-01) with the service's limits: more than 20
 * `RuleIds` and a `StartTime`..`EndTime` span over 15 days are rejected (400, as documented in the SDK models;
 * the error codes here are the double's own), pages are capped at `maxPageSize` whatever PageSize asks for, and
 * the answer echoes the page size it used (`PageSize`) and the match count (`Total`).
 */
export function alarmsDouble(
  double: OpenApiDouble,
  opts: { readonly rules: readonly DoubleRule[]; readonly logs: readonly DoubleAlertLog[]; readonly maxPageSize?: number },
): void {
  const cap = (asked: string | undefined) => Math.min(Number(asked ?? 10) || 10, opts.maxPageSize ?? 100);
  double.on('2019-01-01', 'DescribeMetricRuleList', (call) => {
    const ids = call.query.RuleIds?.split(',').filter((s) => s !== '');
    if (ids !== undefined && ids.length > 20) {
      return { status: 400, json: { Code: 'InvalidParameter.RuleIds', Message: `RuleIds: at most 20 rule ids per call, got ${ids.length}.`, RequestId: 'R-MRL', Success: false } };
    }
    const matched = opts.rules.filter((r) => ids === undefined || ids.includes(r.RuleId));
    const size = cap(call.query.PageSize);
    const page = Number(call.query.Page ?? 1);
    const items = matched.slice((page - 1) * size, page * size);
    return { json: { RequestId: 'R-MRL', Success: true, Code: 200, Total: String(matched.length), Alarms: { Alarm: items } } };
  });
  double.on('2019-01-01', 'DescribeAlertLogList', (call) => {
    expectParams(call, { StartTime: /^\d{13}$/, EndTime: /^\d{13}$/, PageNumber: /^\d+$/ });
    const start = Number(call.query.StartTime);
    const end = Number(call.query.EndTime);
    if (end - start > FIFTEEN_DAYS_MS) {
      return { status: 400, json: { Code: 'InvalidParameter.TimeRange', Message: 'The interval between StartTime and EndTime must be less than or equal to 15 days.', RequestId: 'R-ALL', Success: false } };
    }
    const matched = opts.logs.filter((l) => Number(l.AlertTime) >= start && Number(l.AlertTime) <= end);
    const size = cap(call.query.PageSize);
    const page = Number(call.query.PageNumber);
    return { json: { RequestId: 'R-ALL', Success: true, PageNumber: page, PageSize: size, AlertLogList: matched.slice((page - 1) * size, page * size) } };
  });
}
