import { ResultParseError } from './errors.js';
import type { SafeParseResult, SockperfResult } from './types.js';

const RUN_PING_PONG = 'Run `sockperf ping-pong -i <server> -p <port> -t <seconds>` against a `sockperf server` and pass its output (stdout and stderr).';

// sockperf colours a few lines with ANSI escapes (`\x1b[2;35m`), even when not on a terminal.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const NUM = '([-+]?\\d+(?:\\.\\d+)?)';

function num(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Parse the summary that `sockperf ping-pong` (sockperf 3.x, UDP or `--tcp`) prints into a
 * {@link SockperfResult}: the percentiles of the valid-duration observations in microseconds.
 *
 * By default sockperf reports latency as half the round trip (`metric: 'latency'`, what Alibaba's ECS
 * method quotes); with `--full-rtt` the values are round trips (`metric: 'rtt'`). sockperf 3.7 exits 0
 * even when it could not connect or got no answer, so those outputs throw `SOCKPERF_ERROR` here.
 *
 * @param output - sockperf's output (stdout and stderr together; ANSI colours are fine)
 * @returns the normalized result
 * @throws {@link ResultParseError} with code `INVALID_INPUT`, `SOCKPERF_ERROR` or `INVALID_SOCKPERF_RESULT`
 *
 * @example
 * ```ts
 * import { parseSockperf } from '@ecs-pulse/stress-host/parsers';
 *
 * // sockperf ping-pong -i 10.0.0.10 -p 11111 -t 10 > out.txt 2>&1
 * const r = parseSockperf(readFileSync('out.txt', 'utf8'));
 * console.log(`p99 ${r.p99Us} µs over ${r.observations} observations`);
 * ```
 */
export function parseSockperf(output: string): SockperfResult {
  if (typeof output !== 'string') {
    throw new ResultParseError('INVALID_INPUT', `parseSockperf expects the output as a string, got ${output === null ? 'null' : typeof output}. ${RUN_PING_PONG}`);
  }
  const text = output.replace(ANSI, '').replace(/\r/g, '');
  if (text.trim() === '') throw new ResultParseError('INVALID_INPUT', `parseSockperf got empty input. ${RUN_PING_PONG}`);
  const error = /^sockperf: ERROR: (.*)$/m.exec(text)?.[1]?.trim();
  if (error !== undefined) {
    throw new ResultParseError('SOCKPERF_ERROR', `sockperf reported an error: ${error}. Check that \`sockperf server\` runs on that address and port and that the port is open.`, { toolMessage: error });
  }
  if (/No messages were received from the server/.test(text)) {
    const msg = 'No messages were received from the server. Is the server down?';
    throw new ResultParseError('SOCKPERF_ERROR', `sockperf: ${msg} Start \`sockperf server\` (UDP, or --tcp for TCP) on the same port and open it in the security group.`, { toolMessage: msg });
  }
  const observations = num(text, /Total (\d+) observations/);
  const max = num(text, new RegExp(`<MAX> observation =\\s*${NUM}`));
  const min = num(text, new RegExp(`<MIN> observation =\\s*${NUM}`));
  if (observations === undefined || max === undefined || min === undefined) {
    throw new ResultParseError('INVALID_SOCKPERF_RESULT', `parseSockperf: no observation summary (Total N observations, <MIN>, <MAX>) in the output. ${RUN_PING_PONG}`);
  }
  const percentiles: Record<string, number> = {};
  for (const m of text.matchAll(new RegExp(`percentile ${NUM} =\\s*${NUM}`, 'g'))) {
    percentiles[Number(m[1]).toFixed(3)] = Number(m[2]);
  }
  const pct = (p: string): number => {
    const v = percentiles[p];
    if (v === undefined) throw new ResultParseError('INVALID_SOCKPERF_RESULT', `parseSockperf: percentile ${p} is missing from the output. ${RUN_PING_PONG}`);
    return v;
  };
  const rtt = /avg-rtt=/.test(text) || /Round trip is/.test(text);
  const avg = num(text, new RegExp(`avg-(?:rtt|latency)=${NUM}`));
  const stdDev = num(text, new RegExp(`std-dev=${NUM}`));
  const valid = /\[Valid Duration\] RunTime=([\d.]+) sec; SentMessages=(\d+); ReceivedMessages=(\d+)/.exec(text);
  const version = /== version #([^\s=]+)/.exec(text)?.[1];
  const protocol = /# (UDP|TCP)\s*$/m.exec(text)?.[1] as 'UDP' | 'TCP' | undefined;
  const counts = /# dropped messages = (\d+); # duplicated messages = (\d+); # out-of-order messages = (\d+)/.exec(text);
  const result: SockperfResult = {
    metric: rtt ? 'rtt' : 'latency',
    ...(version === undefined ? {} : { version }),
    ...(protocol === undefined ? {} : { protocol }),
    observations,
    minUs: min,
    p25Us: pct('25.000'),
    p50Us: pct('50.000'),
    p75Us: pct('75.000'),
    p90Us: pct('90.000'),
    p99Us: pct('99.000'),
    p999Us: pct('99.900'),
    p9999Us: pct('99.990'),
    p99999Us: pct('99.999'),
    maxUs: max,
    ...(avg === undefined ? {} : { averageUs: avg }),
    ...(stdDev === undefined ? {} : { stdDevUs: stdDev }),
    ...(valid === null ? {} : { durationSeconds: Number(valid[1]), sentMessages: Number(valid[2]), receivedMessages: Number(valid[3]) }),
    ...(counts === null ? {} : { droppedMessages: Number(counts[1]), duplicatedMessages: Number(counts[2]), outOfOrderMessages: Number(counts[3]) }),
  };
  return result;
}

/**
 * {@link parseSockperf} without throwing for bad input: the result or the {@link ResultParseError}.
 *
 * @example
 * ```ts
 * const r = safeParseSockperf(text);
 * console.log(r.success ? r.data.p50Us : r.error.code);
 * ```
 */
export function safeParseSockperf(output: string): SafeParseResult<SockperfResult> {
  try {
    return { success: true, data: parseSockperf(output) };
  } catch (error) {
    if (ResultParseError.isResultParseError(error)) return { success: false, error };
    throw error;
  }
}
