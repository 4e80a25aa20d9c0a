import { describe, expect, it } from 'vitest';
import { ResultParseError, parseSockperf, safeParseSockperf } from '../../src/parsers.js';
import { fixtureText } from '../helpers/fixtures.js';

describe('parseSockperf (real sockperf 3.7 outputs)', () => {
  it('reads the UDP ping-pong summary: percentiles in µs, observations, counts', () => {
    const r = parseSockperf(fixtureText('sockperf/sockperf-3.7-udp.txt'));
    const raw = fixtureText('sockperf/sockperf-3.7-udp.txt');
    expect(r.metric).toBe('latency');
    expect(r.protocol).toBe('UDP');
    expect(r.version).toBe('3.7-no.git');
    expect(r.observations).toBe(Number(/Total (\d+) observations/.exec(raw)?.[1]));
    expect(r.p50Us).toBe(Number(/percentile 50\.000 =\s*([\d.]+)/.exec(raw)?.[1]));
    expect(r.p999Us).toBe(Number(/percentile 99\.900 =\s*([\d.]+)/.exec(raw)?.[1]));
    expect(r.maxUs).toBe(Number(/<MAX> observation =\s*([\d.]+)/.exec(raw)?.[1]));
    expect(r.minUs).toBe(Number(/<MIN> observation =\s*([\d.]+)/.exec(raw)?.[1]));
    const ordered = [r.minUs, r.p25Us, r.p50Us, r.p75Us, r.p90Us, r.p99Us, r.p999Us, r.p9999Us, r.p99999Us, r.maxUs];
    expect([...ordered].sort((a, b) => a - b)).toEqual(ordered);
    expect(r.droppedMessages).toBe(0);
    expect(r.sentMessages).toBe(r.receivedMessages);
    expect(r.averageUs).toBeGreaterThan(0);
    expect(r.durationSeconds).toBeGreaterThan(1);
  });

  it('tells round trips (--full-rtt) from half-round-trip latency', () => {
    expect(parseSockperf(fixtureText('sockperf/sockperf-3.7-udp-full-rtt.txt')).metric).toBe('rtt');
  });

  it('reads a TCP run', () => {
    const r = parseSockperf(fixtureText('sockperf/sockperf-3.7-tcp.txt'));
    expect(r.protocol).toBe('TCP');
    expect(r.observations).toBeGreaterThan(100);
  });

  it('throws SOCKPERF_ERROR for a refused connection although sockperf exited 0', () => {
    const r = safeParseSockperf(fixtureText('sockperf/sockperf-3.7-tcp-refused.txt'));
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.code).toBe('SOCKPERF_ERROR');
    expect(r.error.toolMessage).toContain('Connection refused');
    expect(r.error.message).toMatch(/sockperf server/);
  });

  it('throws SOCKPERF_ERROR when no message came back (UDP, no server)', () => {
    expect(() => parseSockperf(fixtureText('sockperf/sockperf-3.7-udp-no-server.txt'))).toThrow(
      expect.objectContaining({ code: 'SOCKPERF_ERROR', message: expect.stringContaining('Is the server down?') }),
    );
  });

  it('rejects non-text, empty and other text with typed errors', () => {
    expect(() => parseSockperf(undefined as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseSockperf('  ')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseSockperf('hello')).toThrow(expect.objectContaining({ code: 'INVALID_SOCKPERF_RESULT' }));
    const cut = fixtureText('sockperf/sockperf-3.7-udp.txt').replace(/.*percentile 99\.900.*\n/, '');
    const e = safeParseSockperf(cut);
    expect(e.success === false && ResultParseError.isResultParseError(e.error) && e.error.message).toContain('percentile 99.900');
  });
});
