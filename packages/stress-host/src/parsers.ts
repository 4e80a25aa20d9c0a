/**
 * `@ecs-pulse/stress-host/parsers`: the iperf3, stress-ng, sockperf and host-counter parsers alone, without the construct,
 * so that a CLI can load them without cdktf.
 *
 * @example
 * ```ts
 * import { parseIperf3, parseStressNg } from '@ecs-pulse/stress-host/parsers';
 * ```
 * @packageDocumentation
 */
export { parseIperf3, safeParseIperf3 } from './iperf3.js';
export { parseStressNg, safeParseStressNg } from './stress-ng.js';
export { parseSockperf, safeParseSockperf } from './sockperf.js';
export { HOST_SNAPSHOT_COMMAND, cpuUtilisation, hostRates, parseHostSnapshot, parseNetDev, parseProcStat } from './counters.js';
export { ResultParseError, StressHostError } from './errors.js';
export type {
  ResultParseErrorCode,
  ResultParseErrorOptions,
  StressHostErrorCode,
  StressHostErrorOptions,
} from './errors.js';
export type {
  CpuTimes,
  HostRates,
  HostSnapshot,
  InterfaceRates,
  NetDevCounters,
  SockperfResult,
  Iperf3DirectionSummary,
  Iperf3Interval,
  Iperf3Result,
  SafeParseResult,
  StressNgMetric,
  StressNgResult,
  StressNgTimes,
} from './types.js';
