import type { Iperf3Result } from '@ecs-pulse/stress-host/parsers';
import { describe, expect, it } from 'vitest';
import { commonWindowRates, percentOf } from '../../src/net-aggregate.js';

/** An iperf3 result with 1-second intervals of the given bytes. */
function result(bytesPerSecond: number[], received = 1): Iperf3Result {
  return {
    intervals: bytesPerSecond.map((bytes, i) => ({ start: i, end: i + 1, seconds: 1, bytes, bitsPerSecond: bytes * 8, omitted: false })),
    receivedBitsPerSecond: received,
  } as unknown as Iperf3Result;
}

describe('net run arithmetic', () => {
  it('sums the clients over the window they all measured, without the first (slow-start) interval', () => {
    const w = commonWindowRates([
      { client: 'a', startedAt: 100, result: result([50, 10, 10, 10]) },
      { client: 'b', startedAt: 100, result: result([50, 20, 20, 20]) },
    ]);
    expect(w.window).toEqual({ start: 101, end: 104 });
    expect(w.rates.get('a')).toBeCloseTo(80);
    expect(w.rates.get('b')).toBeCloseTo(160);
  });

  it('aligns clients that started at different times and pro-rates straddling intervals', () => {
    // b starts half a second later: the common window is [101.5, 104]
    const w = commonWindowRates([
      { client: 'a', startedAt: 100, result: result([0, 10, 10, 10]) },
      { client: 'b', startedAt: 100.5, result: result([0, 10, 10, 10]) },
    ]);
    expect(w.window?.start).toBeCloseTo(101.5);
    expect(w.window?.end).toBeCloseTo(104);
    // both steady at 10 B/s: 80 bit/s each over the 2.5 s window
    expect(w.rates.get('a')).toBeCloseTo(80);
    expect(w.rates.get('b')).toBeCloseTo(80);
  });

  it('falls back to whole-test rates (and says why) when the clients did not overlap or intervals are missing', () => {
    const apart = commonWindowRates([
      { client: 'a', startedAt: 100, result: result([1, 1, 1], 5) },
      { client: 'b', startedAt: 200, result: result([1, 1, 1], 7) },
    ]);
    expect(apart.window).toBeUndefined();
    expect(apart.fallback).toMatch(/did not run at the same time/);
    expect([...apart.rates.values()]).toEqual([5, 7]);
    const bare = commonWindowRates([{ client: 'a', startedAt: 1, result: result([], 9) }]);
    expect(bare.fallback).toMatch(/without intervals/);
    expect(bare.rates.get('a')).toBe(9);
  });

  it('percentOf rounds to 0.1 and is absent without a promise', () => {
    expect(percentOf(383e6, 400e6)).toBe(95.8);
    expect(percentOf(1, undefined)).toBeUndefined();
    expect(percentOf(1, 0)).toBeUndefined();
  });
});
