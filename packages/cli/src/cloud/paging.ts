/**
 * Limits of CloudMonitor list calls, and helpers that keep every call within them.
 *
 * - `DescribeMetricRuleList.RuleIds`: "You can query up to 20 alert rules at a time" (`@alicloud/cms20190101`
 *   model `DescribeMetricRuleListRequest.ruleIds`).
 * - `DescribeAlertLogList`: "The interval between the start time (StartTime) and end time (EndTime) must be less
 *   than or equal to 15 days" (`@alicloud/cms20190101` model `DescribeAlertLogListRequest.startTime`).
 * @internal
 */
export const CMS_LIMITS = { ruleIdsPerCall: 20, alertLogWindowMs: 15 * 86_400_000 } as const;

/** Split a list into consecutive batches of at most `size` items. @internal */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Split [from, to] (epoch ms, both inclusive) into consecutive windows whose span (end - start) is at most
 * `maxSpanMs`, newest first; the windows do not overlap (the next one ends 1 ms before this one starts).
 * @internal
 */
export function timeWindows(from: number, to: number, maxSpanMs: number): Array<{ start: number; end: number }> {
  if (!(maxSpanMs > 0)) throw new RangeError(`window span must be positive, got ${maxSpanMs}`);
  const out: Array<{ start: number; end: number }> = [];
  for (let end = to; end >= from; end -= maxSpanMs + 1) out.push({ start: Math.max(from, end - maxSpanMs), end });
  return out;
}
