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
export {
  CLOUD_INIT_LOG_PATH,
  DEFAULT_IPERF3_PORT,
  DEFAULT_SOCKPERF_PORT,
  MAX_USER_DATA_BYTES,
  READY_MARKER_PATH,
  renderCloudInit,
} from './cloud-init.js';
export type { CloudInitOptions } from './cloud-init.js';
export {
  DEFAULT_IMAGE_NAME_REGEX,
  DEFAULT_INSTANCE_TYPE_FAMILY,
  MAX_AUTO_RELEASE_HOURS,
  MAX_CLIENTS,
  STRESS_HOST_OUTPUTS,
  STRESS_HOST_SYSTEM_DISK_CATEGORIES,
  StressHost,
} from './stress-host.js';
export type { StressHostAlarmProps, StressHostInstance, StressHostProps } from './stress-host.js';
