/**
 * The arithmetic of `net run`: the common interval window of concurrent iperf3 clients and percentages
 * of what the instance type promises. Pure functions, unit-tested.
 * @internal
 */
import type { Iperf3Result } from '@ecs-pulse/stress-host/parsers';

/** One client's iperf3 result and when (epoch seconds, host clock) it really started. */
export interface TimedResult {
  readonly client: string;
  readonly startedAt: number;
  readonly result: Iperf3Result;
}

/** Per-client rates over the common window, and the window. */
export interface WindowRates {
  /** Absolute window, epoch seconds; absent when the intervals could not be used. */
  readonly window?: { readonly start: number; readonly end: number };
  /** client → bits per second over the window (or the whole test without intervals). */
  readonly rates: Map<string, number>;
  /** Why the window could not be used, when it could not. */
  readonly fallback?: string;
}

/**
 * The window in which every client was measuring: from the latest start of a client's second interval
 * (the first holds TCP slow start and the filling of socket buffers; it is kept when a test has fewer than
 * three intervals) to the earliest end of a client's last interval, in absolute time. Each client's bytes
 * in it (intervals pro-rated where they straddle an edge) give its rate; the aggregate is their sum.
 */
export function commonWindowRates(results: readonly TimedResult[]): WindowRates {
  const rates = new Map<string, number>();
  const usable = results.every((r) => r.result.intervals.length > 0);
  if (results.length === 0) return { rates };
  if (!usable) {
    for (const r of results) rates.set(r.client, r.result.receivedBitsPerSecond);
    return { rates, fallback: 'an iperf3 result came without intervals (output budget); the aggregate is the sum of the whole-test rates' };
  }
  const skip = (r: TimedResult) => (r.result.intervals.length >= 3 ? 1 : 0);
  const start = Math.max(...results.map((r) => r.startedAt + (r.result.intervals[skip(r)]?.start ?? 0)));
  const end = Math.min(...results.map((r) => r.startedAt + (r.result.intervals[r.result.intervals.length - 1]?.end ?? 0)));
  if (!(end - start > 0.5)) {
    for (const r of results) rates.set(r.client, r.result.receivedBitsPerSecond);
    return { rates, fallback: `the clients' measurements overlap for ${Math.max(0, end - start).toFixed(2)} s only (they did not run at the same time); the aggregate is the sum of the whole-test rates` };
  }
  for (const r of results) {
    let bytes = 0;
    for (const i of r.result.intervals) {
      const a = r.startedAt + i.start;
      const b = r.startedAt + i.end;
      const overlap = Math.min(b, end) - Math.max(a, start);
      if (overlap > 0 && b > a) bytes += i.bytes * (overlap / (b - a));
    }
    rates.set(r.client, (bytes * 8) / (end - start));
  }
  return { window: { start, end }, rates };
}

/** `value / promised × 100`, rounded to 0.1; absent when the promise is unknown. */
export function percentOf(value: number, promised: number | undefined): number | undefined {
  if (promised === undefined || !(promised > 0)) return undefined;
  return Math.round((value / promised) * 1000) / 10;
}
