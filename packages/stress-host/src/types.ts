import type { ResultParseError } from './errors.js';

/**
 * One reporting interval of an iperf3 run (`intervals[].sum` of the JSON), summed over all streams,
 * as seen by the side that ran the client (the sender normally, the receiver with `-R`).
 *
 * @example
 * ```ts
 * const { intervals } = parseIperf3(json);
 * for (const i of intervals) console.log(i.end, i.bitsPerSecond);
 * ```
 */
export interface Iperf3Interval {
  /** Seconds since the test started when the interval began (`start`). */
  readonly start: number;
  /** Seconds since the test started when the interval ended (`end`). */
  readonly end: number;
  /** Length of the interval in seconds (`seconds`). */
  readonly seconds: number;
  /** Bytes moved in the interval (`bytes`). */
  readonly bytes: number;
  /** Throughput in bits per second (`bits_per_second`). */
  readonly bitsPerSecond: number;
  /** TCP retransmits in the interval; only when the reporting side is the sender and has TCP_INFO. */
  readonly retransmits?: number;
  /** UDP packets in the interval. */
  readonly packets?: number;
  /** UDP jitter in milliseconds; only on the receiving side. */
  readonly jitterMs?: number;
  /** UDP packets lost in the interval; only on the receiving side. */
  readonly lostPackets?: number;
  /** UDP loss in percent (0–100); only on the receiving side. */
  readonly lostPercent?: number;
  /** Whether the interval fell in the `-O` omit period. */
  readonly omitted: boolean;
}

/**
 * Sender and receiver totals of one direction of an iperf3 test (`end.sum_sent` / `end.sum_received`,
 * or `end.sum` for UDP on iperf3 3.9/3.10).
 *
 * @example
 * ```ts
 * const r = parseIperf3(json);
 * if (r.bidirReverse) console.log('reverse channel', r.bidirReverse.receivedBitsPerSecond);
 * ```
 */
export interface Iperf3DirectionSummary {
  /** Bytes the sender sent. */
  readonly sentBytes: number;
  /** Bytes the receiver received. */
  readonly receivedBytes: number;
  /** Sender throughput in bits per second (`sum_sent.bits_per_second`). */
  readonly sentBitsPerSecond: number;
  /**
   * Receiver throughput (goodput) in bits per second (`sum_received.bits_per_second`). For UDP on
   * iperf3 3.9/3.10, which report only `end.sum`, it is `sent × (1 − lost_packets / packets)`.
   */
  readonly receivedBitsPerSecond: number;
  /** TCP retransmits of the sender (`sum_sent.retransmits`); absent for UDP or without TCP_INFO. */
  readonly retransmits?: number;
  /** UDP jitter in milliseconds measured by the receiver. */
  readonly jitterMs?: number;
  /** UDP packets lost. */
  readonly lostPackets?: number;
  /** UDP packets sent. */
  readonly packets?: number;
  /** UDP loss in percent (0–100). */
  readonly lostPercent?: number;
}

/**
 * An iperf3 client result (`iperf3 -c … -J`), normalized. Bits per second are bits, not bytes;
 * durations are seconds; percentages are 0–100.
 *
 * @example
 * ```ts
 * const r: Iperf3Result = parseIperf3(json);
 * console.log(`${r.protocol} x${r.streams}: ${(r.receivedBitsPerSecond / 1e9).toFixed(2)} Gbit/s`);
 * ```
 */
export interface Iperf3Result extends Iperf3DirectionSummary {
  /** `TCP` or `UDP` (`start.test_start.protocol`). */
  readonly protocol: 'TCP' | 'UDP';
  /** Number of parallel streams (`-P`, `start.test_start.num_streams`). */
  readonly streams: number;
  /** Whether the server sent and the client received (`-R`). */
  readonly reverse: boolean;
  /** Whether both directions ran at once (`--bidir`, iperf3 3.7+). */
  readonly bidir: boolean;
  /** The measured length of the test in seconds (the sender's `seconds`). */
  readonly durationSeconds: number;
  /** The requested length in seconds (`-t`, `start.test_start.duration`); 0 when `-n`/`-k` was used. */
  readonly requestedDurationSeconds: number;
  /** The requested bitrate in bits per second (`-b`); 0 means unlimited. */
  readonly targetBitsPerSecond: number;
  /** The iperf3 version string, e.g. `iperf 3.12`. */
  readonly version?: string;
  /** Start time as Unix seconds (`start.timestamp.timesecs`). */
  readonly timestampSeconds?: number;
  /** Server host and port the client connected to (`start.connecting_to`). */
  readonly connectedTo?: { readonly host: string; readonly port: number };
  /** CPU use in percent (`end.cpu_utilization_percent`): `host` is the client, `remote` the server. */
  readonly cpuUtilizationPercent?: { readonly hostTotal: number; readonly remoteTotal: number };
  /** The reverse channel's totals when `bidir` is true (`end.sum_*_bidir_reverse`). */
  readonly bidirReverse?: Iperf3DirectionSummary;
  /** Per-interval sums (`intervals[].sum`), in time order; empty with `-i 0`. */
  readonly intervals: readonly Iperf3Interval[];
}

/**
 * One stressor's metrics from stress-ng `--yaml` (`metrics[]`). Times are seconds.
 *
 * @example
 * ```ts
 * for (const m of parseStressNg(yaml).metrics) console.log(m.stressor, m.bogoOpsPerSecondReal);
 * ```
 */
export interface StressNgMetric {
  /** Stressor name (`stressor`), e.g. `cpu`, `vm`. */
  readonly stressor: string;
  /** Bogo operations completed (`bogo-ops`). */
  readonly bogoOps: number;
  /** Bogo-ops per second of wall-clock time (`bogo-ops-per-second-real-time`). */
  readonly bogoOpsPerSecondReal: number;
  /** Bogo-ops per second of user+system CPU time (`bogo-ops-per-second-usr-sys-time`). */
  readonly bogoOpsPerSecondUsrSys: number;
  /** Wall-clock seconds (`wall-clock-time`). */
  readonly wallClockSeconds: number;
  /** User CPU seconds (`user-time`). */
  readonly userTimeSeconds: number;
  /** System CPU seconds (`system-time`). */
  readonly systemTimeSeconds: number;
  /** CPU use per stressor instance in percent (`cpu-usage-per-instance`). */
  readonly cpuUsagePerInstancePercent?: number;
  /** Peak resident set size in KiB (`max-rss`). */
  readonly maxRssKiB?: number;
  /** Stressor-specific extra metrics (other keys), numbers where numeric, else the raw text. */
  readonly extra: Readonly<Record<string, number | string>>;
}

/**
 * The `times` section of stress-ng `--yaml` (present with `--times`). Times are seconds.
 *
 * @example
 * ```ts
 * const t = parseStressNg(yaml).times;
 * if (t) console.log(`${t.totalTimePercent}% of available CPU used`);
 * ```
 */
export interface StressNgTimes {
  /** `run-time`. */
  readonly runTimeSeconds: number;
  /** `available-cpu-time`. */
  readonly availableCpuTimeSeconds: number;
  /** `user-time`. */
  readonly userTimeSeconds: number;
  /** `system-time`. */
  readonly systemTimeSeconds: number;
  /** `total-time`. */
  readonly totalTimeSeconds: number;
  /** `user-time-percent`. */
  readonly userTimePercent: number;
  /** `system-time-percent`. */
  readonly systemTimePercent: number;
  /** `total-time-percent`. */
  readonly totalTimePercent: number;
  /** `load-average-1-minute`. */
  readonly loadAverage1m?: number;
  /** `load-average-5-minute`. */
  readonly loadAverage5m?: number;
  /** `load-average-15-minute`. */
  readonly loadAverage15m?: number;
}

/**
 * A stress-ng `--yaml` result (0.15–0.17), normalized. The YAML dates stay strings exactly as written
 * (`date-yyyy-mm-dd: 2026:11:24` is `"2026:11:24"`, never a sexagesimal number).
 *
 * @example
 * ```ts
 * const r: StressNgResult = parseStressNg(yaml);
 * console.log(r.version, r.metrics.map((m) => m.stressor));
 * ```
 */
export interface StressNgResult {
  /** `system-info.stress-ng-version`, e.g. `0.15.06`. */
  readonly version?: string;
  /** `system-info.hostname`. */
  readonly hostname?: string;
  /** `system-info.date-yyyy-mm-dd`, verbatim (`2026:11:24`). */
  readonly date?: string;
  /** `system-info.time-hh-mm-ss`, verbatim (`18:23:38`). */
  readonly time?: string;
  /** `system-info.epoch-secs`: the start time as Unix seconds (use this, not `date`/`time`). */
  readonly epochSeconds?: number;
  /** `system-info.cpus`. */
  readonly cpus?: number;
  /** `system-info.cpus-online`. */
  readonly cpusOnline?: number;
  /** Every `system-info` entry verbatim, as strings. */
  readonly systemInfo: Readonly<Record<string, string>>;
  /** One entry per stressor, in file order. */
  readonly metrics: readonly StressNgMetric[];
  /** The `times` section (with `--times`). */
  readonly times?: StressNgTimes;
}

/**
 * The result of a `safeParse*` function: the data, or the {@link ResultParseError} that `parse*` would throw.
 *
 * @example
 * ```ts
 * const r: SafeParseResult<Iperf3Result> = safeParseIperf3(text);
 * console.log(r.success ? r.data.receivedBitsPerSecond : r.error.code);
 * ```
 */
export type SafeParseResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: ResultParseError };

/**
 * A `sockperf ping-pong` summary, normalized. All times are microseconds over the valid-duration
 * observations (sockperf drops the warm-up).
 *
 * @example
 * ```ts
 * const r: SockperfResult = parseSockperf(text);
 * console.log(r.metric, r.p50Us, r.p99Us, r.observations);
 * ```
 */
export interface SockperfResult {
  /** `latency` = half the round trip (sockperf's default), `rtt` = the full round trip (`--full-rtt`). */
  readonly metric: 'latency' | 'rtt';
  /** sockperf version, e.g. `3.7-no.git`. */
  readonly version?: string;
  /** The protocol of the test (`# UDP` / `# TCP` in the output). */
  readonly protocol?: 'UDP' | 'TCP';
  /** Number of observations the percentiles are computed from (`Total N observations`). */
  readonly observations: number;
  /** `<MIN> observation`. */
  readonly minUs: number;
  /** `percentile 25.000`. */
  readonly p25Us: number;
  /** `percentile 50.000`. */
  readonly p50Us: number;
  /** `percentile 75.000`. */
  readonly p75Us: number;
  /** `percentile 90.000`. */
  readonly p90Us: number;
  /** `percentile 99.000`. */
  readonly p99Us: number;
  /** `percentile 99.900`. */
  readonly p999Us: number;
  /** `percentile 99.990`. */
  readonly p9999Us: number;
  /** `percentile 99.999`. */
  readonly p99999Us: number;
  /** `<MAX> observation`. */
  readonly maxUs: number;
  /** `avg-latency` / `avg-rtt`. */
  readonly averageUs?: number;
  /** `std-dev`. */
  readonly stdDevUs?: number;
  /** Length of the valid (measured) part of the run in seconds. */
  readonly durationSeconds?: number;
  /** Messages sent in the valid part. */
  readonly sentMessages?: number;
  /** Messages received in the valid part. */
  readonly receivedMessages?: number;
  /** `# dropped messages`. */
  readonly droppedMessages?: number;
  /** `# duplicated messages`. */
  readonly duplicatedMessages?: number;
  /** `# out-of-order messages`. */
  readonly outOfOrderMessages?: number;
}

/**
 * The counters of one interface in `/proc/net/dev` (since boot or since the interface appeared).
 *
 * @example
 * ```ts
 * const eth0: NetDevCounters | undefined = parseNetDev(text).find((i) => i.interface === 'eth0');
 * ```
 */
export interface NetDevCounters {
  /** Interface name, e.g. `eth0`. */
  readonly interface: string;
  /** Received bytes. */
  readonly rxBytes: number;
  /** Received packets. */
  readonly rxPackets: number;
  /** Receive errors. */
  readonly rxErrors: number;
  /** Received packets dropped by the kernel. */
  readonly rxDropped: number;
  /** Transmitted bytes. */
  readonly txBytes: number;
  /** Transmitted packets. */
  readonly txPackets: number;
  /** Transmit errors. */
  readonly txErrors: number;
  /** Transmit drops. */
  readonly txDropped: number;
}

/**
 * The aggregate `cpu` line of `/proc/stat`, in clock ticks (USER_HZ) since boot.
 *
 * @example
 * ```ts
 * const t: CpuTimes = parseProcStat(text);
 * ```
 */
export interface CpuTimes {
  /** `user`. */
  readonly user: number;
  /** `nice`. */
  readonly nice: number;
  /** `system`. */
  readonly system: number;
  /** `idle`. */
  readonly idle: number;
  /** `iowait`. */
  readonly iowait: number;
  /** `irq`. */
  readonly irq: number;
  /** `softirq`. */
  readonly softirq: number;
  /** `steal` (time the hypervisor gave to others). */
  readonly steal: number;
  /** Sum of the fields above (guest time is already part of user/nice). */
  readonly totalTicks: number;
  /** `idle + iowait`. */
  readonly idleTicks: number;
}

/**
 * One host snapshot (see `HOST_SNAPSHOT_COMMAND`).
 *
 * @example
 * ```ts
 * const s: HostSnapshot = parseHostSnapshot(text);
 * ```
 */
export interface HostSnapshot {
  /** When it was taken, Unix seconds with fractions. */
  readonly timeSeconds: number;
  /** `/proc/net/dev`. */
  readonly interfaces: readonly NetDevCounters[];
  /** `/proc/stat` `cpu` line. */
  readonly cpu?: CpuTimes;
  /** `/proc/meminfo` `MemTotal` and `MemAvailable`. */
  readonly memory?: { readonly totalKiB: number; readonly availableKiB: number };
}

/**
 * Rates of one interface between two snapshots.
 *
 * @example
 * ```ts
 * const r: InterfaceRates | undefined = hostRates(a, b).busiest;
 * ```
 */
export interface InterfaceRates {
  /** Interface name. */
  readonly interface: string;
  /** Window length in seconds. */
  readonly seconds: number;
  /** Packets received in the window. */
  readonly rxPackets: number;
  /** Packets sent in the window. */
  readonly txPackets: number;
  /** Received packets the kernel dropped in the window. */
  readonly rxDropped: number;
  /** Received packets per second. */
  readonly rxPps: number;
  /** Sent packets per second. */
  readonly txPps: number;
  /** Received bits per second. */
  readonly rxBitsPerSecond: number;
  /** Sent bits per second. */
  readonly txBitsPerSecond: number;
}

/**
 * What happened on a host between two snapshots.
 *
 * @example
 * ```ts
 * const r: HostRates = hostRates(before, after);
 * console.log(r.cpuPercent, r.busiest?.rxPps);
 * ```
 */
export interface HostRates {
  /** Window length in seconds. */
  readonly seconds: number;
  /** Every interface present in both snapshots. */
  readonly interfaces: readonly InterfaceRates[];
  /** The non-loopback interface that received the most packets. */
  readonly busiest?: InterfaceRates;
  /** CPU utilisation over all CPUs, 0–100. */
  readonly cpuPercent?: number;
  /** Memory in use at the second snapshot (`1 − MemAvailable / MemTotal`), 0–100. */
  readonly memoryUsedPercent?: number;
}
