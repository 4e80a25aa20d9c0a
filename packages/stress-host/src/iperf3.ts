import { ResultParseError } from './errors.js';
import type { Iperf3DirectionSummary, Iperf3Interval, Iperf3Result, SafeParseResult } from './types.js';

type Json = Record<string, unknown>;

const RUN_WITH_JSON =
  'Run the client as `iperf3 -c <server> -J` (or --json) and pass its complete stdout; ' +
  'if the output came through Cloud Assistant, which keeps only 24 KB, write it with --logfile on the host and read that file.';

/**
 * Parse the JSON an iperf3 client prints with `-J` (iperf3 3.9 and later) into an {@link Iperf3Result}.
 *
 * - TCP: `sentBitsPerSecond`/`receivedBitsPerSecond` come from `end.sum_sent`/`end.sum_received`,
 *   `retransmits` from `end.sum_sent.retransmits`.
 * - UDP: from `end.sum_sent`/`end.sum_received` (3.11+), or from `end.sum` (3.9/3.10); `jitterMs`,
 *   `lostPackets` and `lostPercent` are the receiver's.
 * - A top-level `"error"` (iperf3 before 3.14 exits 0 when it fails with `-J`) becomes a
 *   {@link ResultParseError} with code `IPERF3_ERROR` whose `toolMessage` is iperf3's own text.
 *
 * @param json - the complete stdout of `iperf3 -c … -J`
 * @returns the normalized result
 * @throws {@link ResultParseError} for anything that is not a successful iperf3 client result
 *
 * @example
 * ```ts
 * import { parseIperf3 } from '@ecs-pulse/stress-host';
 *
 * const r = parseIperf3(stdout);
 * console.log(`${r.protocol}: ${(r.receivedBitsPerSecond / 1e6).toFixed(1)} Mbit/s, ${r.retransmits ?? 0} retransmits`);
 * ```
 */
export function parseIperf3(json: string): Iperf3Result {
  if (typeof json !== 'string') {
    throw new ResultParseError(
      'INVALID_INPUT',
      `parseIperf3 expects the iperf3 output as a string, got ${describeType(json)}. ` +
        'Decode the output first (for example Buffer.from(output, "base64").toString("utf8") for Cloud Assistant).',
    );
  }
  const text = json.trim();
  if (text === '') {
    throw new ResultParseError('INVALID_INPUT', `parseIperf3 got empty output: iperf3 printed nothing. ${RUN_WITH_JSON}`);
  }

  const doc = parseJsonText(text);
  if (!isObject(doc)) {
    throw new ResultParseError(
      'INVALID_IPERF3_RESULT',
      `The iperf3 output is JSON but not an object (got ${describeType(doc)}). ${RUN_WITH_JSON}`,
    );
  }

  if (doc['error'] !== undefined) {
    const toolMessage = typeof doc['error'] === 'string' ? doc['error'] : JSON.stringify(doc['error']);
    throw iperf3Failure(toolMessage);
  }

  const start = objectAt(doc, 'start', '');
  const testStart = objectAt(start, 'test_start', 'start');
  const protocol = testStart['protocol'];
  if (protocol !== 'TCP' && protocol !== 'UDP') {
    throw new ResultParseError(
      'INVALID_IPERF3_RESULT',
      `start.test_start.protocol is ${preview(protocol)}; parseIperf3 supports "TCP" and "UDP". ` +
        'Run iperf3 without --sctp.',
    );
  }
  const end = objectAt(doc, 'end', '');

  const reverse = flag(testStart, 'reverse', 'start.test_start');
  const bidirKeyPresent = ['sum_sent_bidir_reverse', 'sum_received_bidir_reverse', 'sum_bidir_reverse'].some(
    (k) => end[k] !== undefined,
  );
  const bidir = bidirKeyPresent || (testStart['bidir'] !== undefined && flag(testStart, 'bidir', 'start.test_start'));

  const main = directionSummary(end, protocol, '');
  const result: Mutable<Iperf3Result> = {
    protocol,
    streams: numberAt(testStart, 'num_streams', 'start.test_start'),
    reverse,
    bidir,
    durationSeconds: main.durationSeconds,
    requestedDurationSeconds: numberAt(testStart, 'duration', 'start.test_start'),
    targetBitsPerSecond: optionalNumber(testStart, 'target_bitrate', 'start.test_start') ?? 0,
    ...main.summary,
    intervals: parseIntervals(doc['intervals']),
  };

  if (typeof start['version'] === 'string') result.version = start['version'];
  if (isObject(start['timestamp'])) {
    const secs = optionalNumber(start['timestamp'], 'timesecs', 'start.timestamp');
    if (secs !== undefined) result.timestampSeconds = secs;
  }
  if (isObject(start['connecting_to'])) {
    const to = start['connecting_to'];
    if (typeof to['host'] === 'string' && typeof to['port'] === 'number') {
      result.connectedTo = { host: to['host'], port: to['port'] };
    }
  }
  if (isObject(end['cpu_utilization_percent'])) {
    const cpu = end['cpu_utilization_percent'];
    result.cpuUtilizationPercent = {
      hostTotal: numberAt(cpu, 'host_total', 'end.cpu_utilization_percent'),
      remoteTotal: numberAt(cpu, 'remote_total', 'end.cpu_utilization_percent'),
    };
  }
  if (bidirKeyPresent) {
    result.bidirReverse = directionSummary(end, protocol, '_bidir_reverse').summary;
  }
  return result;
}

/**
 * Like {@link parseIperf3}, but returns `{ success: false, error }` instead of throwing.
 *
 * @param json - the complete stdout of `iperf3 -c … -J`
 * @returns `{ success: true, data }` or `{ success: false, error }` with a {@link ResultParseError}
 *
 * @example
 * ```ts
 * const r = safeParseIperf3(stdout);
 * if (!r.success) console.error(r.error.code, r.error.toolMessage);
 * ```
 */
export function safeParseIperf3(json: string): SafeParseResult<Iperf3Result> {
  try {
    return { success: true, data: parseIperf3(json) };
  } catch (error) {
    if (ResultParseError.isResultParseError(error)) return { success: false, error };
    throw error;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const firstLine = text.split('\n', 1)[0] ?? '';
    let streamEvent = false;
    try {
      const first: unknown = JSON.parse(firstLine);
      streamEvent = isObject(first) && typeof first['event'] === 'string';
    } catch {
      // not a JSON line either
    }
    if (streamEvent) {
      throw new ResultParseError(
        'INVALID_JSON',
        'The iperf3 output is --json-stream output (one JSON event per line); parseIperf3 reads the single JSON ' +
          'document of -J. Run iperf3 with -J instead of --json-stream.',
        { cause },
      );
    }
    const textError = /^iperf3: error - (.+)$/m.exec(text);
    if (textError?.[1]) throw iperf3Failure(textError[1].trim());
    throw new ResultParseError(
      'INVALID_JSON',
      `The iperf3 output is not valid JSON (${(cause as Error).message}; ${text.length} characters, ` +
        `starting ${JSON.stringify(text.slice(0, 40))}). ${RUN_WITH_JSON}`,
      { cause },
    );
  }
}

function iperf3Failure(toolMessage: string): ResultParseError {
  let hint = 'Check the iperf3 server and the network path, then run the test again.';
  if (/connection refused/i.test(toolMessage)) {
    hint =
      'Nothing accepted the connection: check that `iperf3 -s` is running on the server (the stress host runs it as ' +
      'the iperf3 systemd service) on the port you used (-p), and that the security group allows it.';
  } else if (/busy/i.test(toolMessage)) {
    hint =
      'An iperf3 server runs one test at a time: wait for the running test to finish, or run one server per client on its own port.';
  } else if (/timed? ?out|no route|unreachable/i.test(toolMessage)) {
    hint =
      'The server could not be reached: check the address, that the security group allows your source range on the ' +
      'iperf3 port (TCP and UDP), and that the host is running.';
  }
  return new ResultParseError('IPERF3_ERROR', `iperf3 reported an error: "${toolMessage}". ${hint}`, {
    toolMessage,
  });
}

interface ParsedDirection {
  readonly summary: Iperf3DirectionSummary;
  readonly durationSeconds: number;
}

function directionSummary(end: Json, protocol: 'TCP' | 'UDP', suffix: string): ParsedDirection {
  const sentKey = `sum_sent${suffix}`;
  const receivedKey = `sum_received${suffix}`;
  if (protocol === 'UDP' && end[sentKey] === undefined && end[`sum${suffix}`] !== undefined) {
    // iperf3 3.9/3.10: UDP has only `end.sum` (bytes/bits_per_second of the sender, loss/jitter of the receiver).
    const path = `end.sum${suffix}`;
    const sum = objectAt(end, `sum${suffix}`, 'end');
    const sentBitsPerSecond = numberAt(sum, 'bits_per_second', path);
    const sentBytes = numberAt(sum, 'bytes', path);
    const packets = numberAt(sum, 'packets', path);
    const lostPackets = numberAt(sum, 'lost_packets', path);
    const delivered = packets > 0 ? (packets - lostPackets) / packets : 0;
    return {
      durationSeconds: numberAt(sum, 'seconds', path),
      summary: {
        sentBytes,
        receivedBytes: Math.round(sentBytes * delivered),
        sentBitsPerSecond,
        receivedBitsPerSecond: sentBitsPerSecond * delivered,
        jitterMs: numberAt(sum, 'jitter_ms', path),
        lostPackets,
        packets,
        lostPercent: numberAt(sum, 'lost_percent', path),
      },
    };
  }
  const sent = objectAt(end, sentKey, 'end');
  const received = objectAt(end, receivedKey, 'end');
  const sentPath = `end.${sentKey}`;
  const receivedPath = `end.${receivedKey}`;
  const summary: Mutable<Iperf3DirectionSummary> = {
    sentBytes: numberAt(sent, 'bytes', sentPath),
    receivedBytes: numberAt(received, 'bytes', receivedPath),
    sentBitsPerSecond: numberAt(sent, 'bits_per_second', sentPath),
    receivedBitsPerSecond: numberAt(received, 'bits_per_second', receivedPath),
  };
  if (protocol === 'TCP') {
    const retransmits = optionalNumber(sent, 'retransmits', sentPath);
    if (retransmits !== undefined) summary.retransmits = retransmits;
  } else {
    summary.jitterMs = numberAt(received, 'jitter_ms', receivedPath);
    summary.lostPackets = numberAt(received, 'lost_packets', receivedPath);
    summary.packets = optionalNumber(sent, 'packets', sentPath) ?? numberAt(received, 'packets', receivedPath);
    summary.lostPercent = numberAt(received, 'lost_percent', receivedPath);
  }
  return { summary, durationSeconds: numberAt(sent, 'seconds', sentPath) };
}

function parseIntervals(value: unknown): Iperf3Interval[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new ResultParseError(
      'INVALID_IPERF3_RESULT',
      `intervals is ${describeType(value)}, expected an array. ${RUN_WITH_JSON}`,
    );
  }
  return value.map((item: unknown, index) => {
    const path = `intervals[${index}]`;
    if (!isObject(item)) {
      throw new ResultParseError('INVALID_IPERF3_RESULT', `${path} is ${describeType(item)}, expected an object. ${RUN_WITH_JSON}`);
    }
    let sum: Json;
    let sumPath = `${path}.sum`;
    if (isObject(item['sum'])) {
      sum = item['sum'];
    } else if (Array.isArray(item['streams']) && item['streams'].length === 1 && isObject(item['streams'][0])) {
      sum = item['streams'][0];
      sumPath = `${path}.streams[0]`;
    } else {
      throw new ResultParseError('INVALID_IPERF3_RESULT', `${path}.sum is missing. ${RUN_WITH_JSON}`);
    }
    const interval: Mutable<Iperf3Interval> = {
      start: numberAt(sum, 'start', sumPath),
      end: numberAt(sum, 'end', sumPath),
      seconds: numberAt(sum, 'seconds', sumPath),
      bytes: numberAt(sum, 'bytes', sumPath),
      bitsPerSecond: numberAt(sum, 'bits_per_second', sumPath),
      omitted: sum['omitted'] === true,
    };
    const optional: ReadonlyArray<readonly [keyof Iperf3Interval, string]> = [
      ['retransmits', 'retransmits'],
      ['packets', 'packets'],
      ['jitterMs', 'jitter_ms'],
      ['lostPackets', 'lost_packets'],
      ['lostPercent', 'lost_percent'],
    ];
    for (const [field, key] of optional) {
      const v = optionalNumber(sum, key, sumPath);
      if (v !== undefined) (interval as Record<string, unknown>)[field] = v;
    }
    return interval;
  });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function join(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function objectAt(parent: Json, key: string, parentPath: string): Json {
  const value = parent[key];
  if (!isObject(value)) {
    throw new ResultParseError(
      'INVALID_IPERF3_RESULT',
      `${join(parentPath, key)} is ${value === undefined ? 'missing' : describeType(value)}; ` +
        `this is not the JSON of a finished iperf3 client run. ${RUN_WITH_JSON}`,
    );
  }
  return value;
}

function numberAt(parent: Json, key: string, parentPath: string): number {
  const value = optionalNumber(parent, key, parentPath);
  if (value === undefined) {
    throw new ResultParseError(
      'INVALID_IPERF3_RESULT',
      `${join(parentPath, key)} is missing; expected a number in iperf3 -J output. ${RUN_WITH_JSON}`,
    );
  }
  return value;
}

function optionalNumber(parent: Json, key: string, parentPath: string): number | undefined {
  const value = parent[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResultParseError(
      'INVALID_IPERF3_RESULT',
      `${join(parentPath, key)} is ${preview(value)}; expected a finite number. ${RUN_WITH_JSON}`,
    );
  }
  return value;
}

function flag(parent: Json, key: string, parentPath: string): boolean {
  const value = parent[key];
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  throw new ResultParseError(
    'INVALID_IPERF3_RESULT',
    `${join(parentPath, key)} is ${value === undefined ? 'missing' : preview(value)}; expected 0 or 1. ${RUN_WITH_JSON}`,
  );
}
