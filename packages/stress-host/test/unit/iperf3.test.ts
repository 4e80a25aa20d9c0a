import { describe, expect, it } from 'vitest';
import { ResultParseError, parseIperf3, safeParseIperf3 } from '../../src/index.js';
import { fixtureJson, fixtureText } from '../helpers/fixtures.js';

function parseError(fn: () => unknown): ResultParseError {
  try {
    fn();
  } catch (err) {
    if (ResultParseError.isResultParseError(err)) return err;
    throw new Error(`expected a ResultParseError, got ${String(err)}`);
  }
  throw new Error('expected a ResultParseError, nothing was thrown');
}

describe('Method: parseIperf3', () => {
  it('parses a single-stream TCP result (iperf3 3.12)', () => {
    // Prepare
    const text = fixtureText('iperf3/iperf3-3.12-tcp.json');
    const raw = JSON.parse(text);

    // Act
    const r = parseIperf3(text);

    // Assess
    expect(r).toMatchObject({
      protocol: 'TCP',
      streams: 1,
      reverse: false,
      bidir: false,
      version: 'iperf 3.12',
      requestedDurationSeconds: 2,
      targetBitsPerSecond: 0,
      durationSeconds: 2.000156,
      sentBytes: 8569356288,
      receivedBytes: 8569356288,
      sentBitsPerSecond: 34274751721.365734,
      receivedBitsPerSecond: 34264216296.617657,
      retransmits: 1,
      timestampSeconds: 1795544580,
      connectedTo: { host: '127.0.0.1', port: 5299 },
      cpuUtilizationPercent: { hostTotal: raw.end.cpu_utilization_percent.host_total, remoteTotal: 74.037338419347236 },
    });
    expect(r.jitterMs).toBeUndefined();
    expect(r.lostPercent).toBeUndefined();
    expect(r.bidirReverse).toBeUndefined();
    expect(r.intervals).toEqual([
      { start: 0, end: 1.000027, seconds: 1.0000269412994385, bytes: 4630642688, bitsPerSecond: 37044143486.637886, retransmits: 1, omitted: false },
      { start: 1.000027, end: 2.000156, seconds: 1.0001289844512939, bytes: 3938713600, bitsPerSecond: 31505645061.659061, retransmits: 0, omitted: false },
    ]);
  });

  it('sums parallel streams (-P 2) from end.sum_sent / end.sum_received', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp-P2.json');
    const r = parseIperf3(JSON.stringify(raw));
    expect(r.streams).toBe(2);
    expect(r.sentBitsPerSecond).toBe(raw.end.sum_sent.bits_per_second);
    expect(r.receivedBitsPerSecond).toBe(raw.end.sum_received.bits_per_second);
    expect(r.retransmits).toBe(0);
    expect(r.intervals.map((i) => i.bytes)).toEqual(raw.intervals.map((i: any) => i.sum.bytes));
  });

  it('marks a reverse (-R) run and keeps the sender totals as sent', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp-reverse.json');
    const r = parseIperf3(JSON.stringify(raw));
    expect(r.reverse).toBe(true);
    expect(r.sentBitsPerSecond).toBe(raw.end.sum_sent.bits_per_second);
    expect(r.receivedBitsPerSecond).toBe(raw.end.sum_received.bits_per_second);
    expect(r.retransmits).toBe(raw.end.sum_sent.retransmits);
    // the client is the receiver: its interval sums carry no retransmits
    expect(r.intervals[0]?.retransmits).toBeUndefined();
  });

  it('reads both channels of a --bidir run', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp-bidir.json');
    const r = parseIperf3(JSON.stringify(raw));
    expect(r.bidir).toBe(true);
    expect(r.receivedBitsPerSecond).toBe(raw.end.sum_received.bits_per_second);
    expect(r.bidirReverse).toEqual({
      sentBytes: raw.end.sum_sent_bidir_reverse.bytes,
      receivedBytes: raw.end.sum_received_bidir_reverse.bytes,
      sentBitsPerSecond: raw.end.sum_sent_bidir_reverse.bits_per_second,
      receivedBitsPerSecond: raw.end.sum_received_bidir_reverse.bits_per_second,
      retransmits: raw.end.sum_sent_bidir_reverse.retransmits,
    });
  });

  it('parses UDP from sum_sent / sum_received (3.11+): jitter and loss are the receiver values', () => {
    const r = parseIperf3(fixtureText('iperf3/iperf3-3.12-udp.json'));
    expect(r).toMatchObject({
      protocol: 'UDP',
      targetBitsPerSecond: 50000000,
      sentBitsPerSecond: 50066224.66228462,
      receivedBitsPerSecond: 50064197.19509732,
      jitterMs: 0.00933808470397062,
      lostPackets: 0,
      packets: 382,
      lostPercent: 0,
      durationSeconds: 2.000131,
    });
    expect(r.retransmits).toBeUndefined();
    expect(r.intervals[0]).toEqual({
      start: 0, end: 1.000143, seconds: 1.0001430511474609, bytes: 6258688, bitsPerSecond: 50062342.5244573, packets: 191, omitted: false,
    });
  });

  it('parses a reverse UDP run whose intervals carry the receiver jitter and loss', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-udp-reverse.json');
    const r = parseIperf3(JSON.stringify(raw));
    expect(r.reverse).toBe(true);
    expect(r.jitterMs).toBe(raw.end.sum_received.jitter_ms);
    expect(r.intervals[0]).toMatchObject({
      jitterMs: raw.intervals[0].sum.jitter_ms,
      lostPackets: raw.intervals[0].sum.lost_packets,
      lostPercent: raw.intervals[0].sum.lost_percent,
    });
  });

  it('parses the iperf3 3.9/3.10 UDP shape that has only end.sum', () => {
    // Prepare: 3.9 and 3.10 write only `end.sum` for UDP (iperf_api.c at those tags)
    const raw = fixtureJson('iperf3/iperf3-3.12-udp.json');
    delete raw.end.sum_sent;
    delete raw.end.sum_received;
    raw.start.version = 'iperf 3.9';
    raw.end.sum.lost_packets = 38;
    raw.end.sum.lost_percent = (100 * 38) / 382;

    // Act
    const r = parseIperf3(JSON.stringify(raw));

    // Assess
    expect(r.sentBitsPerSecond).toBe(raw.end.sum.bits_per_second);
    expect(r.receivedBitsPerSecond).toBeCloseTo(raw.end.sum.bits_per_second * (344 / 382), 3);
    expect(r.receivedBytes).toBe(Math.round(raw.end.sum.bytes * (344 / 382)));
    expect(r.lostPackets).toBe(38);
    expect(r.lostPercent).toBeCloseTo(9.947643979, 6);
    expect(r.jitterMs).toBe(raw.end.sum.jitter_ms);
    expect(r.durationSeconds).toBe(raw.end.sum.seconds);
  });

  it('accepts surrounding whitespace and reads intervals from streams[0] when sum is absent (-P 1, old versions)', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp.json');
    for (const i of raw.intervals) delete i.sum;
    const r = parseIperf3(`\n  ${JSON.stringify(raw)}\n`);
    expect(r.intervals[1]?.bitsPerSecond).toBe(raw.intervals[1].streams[0].bits_per_second);
  });

  it('returns an empty interval list with -i 0', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp.json');
    raw.intervals = [];
    expect(parseIperf3(JSON.stringify(raw)).intervals).toEqual([]);
  });
});

describe('Method: parseIperf3 errors', () => {
  it('turns iperf3\'s own "error" into IPERF3_ERROR carrying its message', () => {
    const err = parseError(() => parseIperf3(fixtureText('iperf3/iperf3-3.12-connect-refused.json')));
    expect(err).toMatchObject({
      name: 'ResultParseError',
      code: 'IPERF3_ERROR',
      toolMessage: 'unable to connect to server: Connection refused',
    });
    expect(err.message).toContain('iperf3 reported an error: "unable to connect to server: Connection refused"');
    expect(err.message).toContain('check that `iperf3 -s` is running on the server');
  });

  it('reports an error key even when a partial result is present', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp.json');
    raw.error = 'the server is busy running a test. try again later';
    const err = parseError(() => parseIperf3(JSON.stringify(raw)));
    expect(err.code).toBe('IPERF3_ERROR');
    expect(err.message).toContain('runs one test at a time');
  });

  it('recognizes iperf3 text-mode errors', () => {
    const err = parseError(() => parseIperf3('iperf3: error - unable to connect to server: No route to host\n'));
    expect(err).toMatchObject({ code: 'IPERF3_ERROR', toolMessage: 'unable to connect to server: No route to host' });
    expect(err.message).toContain('security group allows your source range');
  });

  it('rejects non-strings with INVALID_INPUT', () => {
    const err = parseError(() => parseIperf3(Buffer.from('{}') as unknown as string));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('expects the iperf3 output as a string, got an object');
    expect(parseError(() => parseIperf3(undefined as unknown as string)).message).toContain('got undefined');
  });

  it('rejects empty output with INVALID_INPUT', () => {
    const err = parseError(() => parseIperf3('  \n'));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('iperf3 printed nothing');
  });

  it('rejects truncated JSON with INVALID_JSON and says how to get the full output', () => {
    const text = fixtureText('iperf3/iperf3-3.12-tcp.json').slice(0, 1000);
    const err = parseError(() => parseIperf3(text));
    expect(err.code).toBe('INVALID_JSON');
    expect(err.message).toContain('not valid JSON');
    expect(err.message).toContain('--logfile');
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it('explains --json-stream output', () => {
    const err = parseError(() => parseIperf3('{"event":"start","data":{}}\n{"event":"interval","data":{}}\n'));
    expect(err.code).toBe('INVALID_JSON');
    expect(err.message).toContain('--json-stream');
  });

  it.each([
    ['[]', 'JSON but not an object (got an array)'],
    ['{}', 'start is missing'],
    ['{"start":{}}', 'start.test_start is missing'],
  ])('rejects %s with INVALID_IPERF3_RESULT', (input, text) => {
    const err = parseError(() => parseIperf3(input));
    expect(err.code).toBe('INVALID_IPERF3_RESULT');
    expect(err.message).toContain(text);
  });

  it('names the missing field', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp.json');
    delete raw.end.sum_received;
    const err = parseError(() => parseIperf3(JSON.stringify(raw)));
    expect(err.message).toContain('end.sum_received is missing');
  });

  it('names a field of the wrong type', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp.json');
    raw.end.sum_sent.bits_per_second = 'fast';
    const err = parseError(() => parseIperf3(JSON.stringify(raw)));
    expect(err.code).toBe('INVALID_IPERF3_RESULT');
    expect(err.message).toContain('end.sum_sent.bits_per_second is "fast"; expected a finite number');
  });

  it('rejects SCTP', () => {
    const raw = fixtureJson('iperf3/iperf3-3.12-tcp.json');
    raw.start.test_start.protocol = 'SCTP';
    const err = parseError(() => parseIperf3(JSON.stringify(raw)));
    expect(err.message).toContain('start.test_start.protocol is "SCTP"; parseIperf3 supports "TCP" and "UDP"');
  });
});

describe('Method: safeParseIperf3', () => {
  it('returns data on success', () => {
    const r = safeParseIperf3(fixtureText('iperf3/iperf3-3.12-tcp.json'));
    expect(r.success && r.data.protocol).toBe('TCP');
  });

  it('returns the error instead of throwing', () => {
    const r = safeParseIperf3(fixtureText('iperf3/iperf3-3.12-connect-refused.json'));
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.toolMessage).toBe('unable to connect to server: Connection refused');
  });
});
