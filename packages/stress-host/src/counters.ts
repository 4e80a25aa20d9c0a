import { ResultParseError } from './errors.js';
import type { CpuTimes, HostRates, HostSnapshot, InterfaceRates, NetDevCounters } from './types.js';

/**
 * A bash snippet that prints one host snapshot in the format {@link parseHostSnapshot} reads: a
 * `ecs-pulse-snapshot time=<epoch seconds>` line, `/proc/net/dev`, the aggregate `cpu` line of
 * `/proc/stat`, and `MemTotal`/`MemAvailable` of `/proc/meminfo` (about 1 KB, well inside Cloud
 * Assistant's 24 KB output limit). Needs only coreutils and grep.
 *
 * @example
 * ```ts
 * const script = `${HOST_SNAPSHOT_COMMAND} > /var/tmp/before.txt; sleep 10; ${HOST_SNAPSHOT_COMMAND}`;
 * ```
 */
export const HOST_SNAPSHOT_COMMAND =
  "{ echo \"ecs-pulse-snapshot time=$(date +%s.%N)\"; cat /proc/net/dev; grep '^cpu ' /proc/stat; grep -E '^(MemTotal|MemAvailable):' /proc/meminfo; }";

const NET_DEV_LINE = /^\s*([^\s:]+):\s*((?:\d+\s+){15}\d+)\s*$/;

function invalid(message: string): ResultParseError {
  return new ResultParseError('INVALID_COUNTERS', message);
}

function requireText(name: string, text: unknown): string {
  if (typeof text !== 'string') throw new ResultParseError('INVALID_INPUT', `${name} expects text, got ${text === null ? 'null' : typeof text}.`);
  return text;
}

/**
 * Parse the interface lines of `/proc/net/dev` (headers and other lines are ignored).
 *
 * @param text - the content of `/proc/net/dev` (or a {@link HOST_SNAPSHOT_COMMAND} output)
 * @returns one entry per interface, in file order
 * @throws {@link ResultParseError} `INVALID_INPUT` for a non-string, `INVALID_COUNTERS` when no interface line is found
 *
 * @example
 * ```ts
 * const eth0 = parseNetDev(readFileSync('/proc/net/dev', 'utf8')).find((i) => i.interface === 'eth0');
 * ```
 */
export function parseNetDev(text: string): NetDevCounters[] {
  const out: NetDevCounters[] = [];
  for (const line of requireText('parseNetDev', text).split('\n')) {
    const m = NET_DEV_LINE.exec(line);
    if (!m) continue;
    const f = (m[2] ?? '').trim().split(/\s+/).map(Number);
    out.push({
      interface: m[1] ?? '',
      rxBytes: f[0] ?? 0,
      rxPackets: f[1] ?? 0,
      rxErrors: f[2] ?? 0,
      rxDropped: f[3] ?? 0,
      txBytes: f[8] ?? 0,
      txPackets: f[9] ?? 0,
      txErrors: f[10] ?? 0,
      txDropped: f[11] ?? 0,
    });
  }
  if (out.length === 0) throw invalid('parseNetDev: no interface lines (`eth0: <16 counters>`); pass the content of /proc/net/dev.');
  return out;
}

/**
 * Parse the aggregate `cpu` line of `/proc/stat` (ticks since boot, summed over all CPUs).
 *
 * @param text - the content of `/proc/stat` (or a {@link HOST_SNAPSHOT_COMMAND} output)
 * @returns the CPU times in ticks
 * @throws {@link ResultParseError} `INVALID_INPUT` for a non-string, `INVALID_COUNTERS` without a `cpu ` line
 *
 * @example
 * ```ts
 * const t = parseProcStat(readFileSync('/proc/stat', 'utf8'));
 * console.log(t.totalTicks - t.idleTicks, 'busy ticks since boot');
 * ```
 */
export function parseProcStat(text: string): CpuTimes {
  const m = /^cpu\s+(\d+(?:\s+\d+){3,9})\s*$/m.exec(requireText('parseProcStat', text));
  if (!m) throw invalid('parseProcStat: no aggregate `cpu ` line; pass the content of /proc/stat.');
  const f = (m[1] ?? '').split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  // guest and guest_nice (fields 9 and 10) are already included in user and nice.
  const totalTicks = user + nice + system + idle + iowait + irq + softirq + steal;
  return { user, nice, system, idle, iowait, irq, softirq, steal, totalTicks, idleTicks: idle + iowait };
}

/**
 * Parse one snapshot printed by {@link HOST_SNAPSHOT_COMMAND}.
 *
 * @param text - the snapshot text
 * @returns the time, interface counters, CPU times and memory
 * @throws {@link ResultParseError} `INVALID_COUNTERS` when the time line or the interface lines are missing
 *
 * @example
 * ```ts
 * const before = parseHostSnapshot(first);
 * const after = parseHostSnapshot(second);
 * console.log(hostRates(before, after).cpuPercent);
 * ```
 */
export function parseHostSnapshot(text: string): HostSnapshot {
  const t = /^ecs-pulse-snapshot time=(\d+(?:\.\d+)?)\s*$/m.exec(requireText('parseHostSnapshot', text));
  if (!t) throw invalid(`parseHostSnapshot: no "ecs-pulse-snapshot time=<epoch>" line; print the snapshot with HOST_SNAPSHOT_COMMAND.`);
  const total = /^MemTotal:\s+(\d+) kB/m.exec(text);
  const available = /^MemAvailable:\s+(\d+) kB/m.exec(text);
  return {
    timeSeconds: Number(t[1]),
    interfaces: parseNetDev(text),
    ...(/^cpu\s/m.test(text) ? { cpu: parseProcStat(text) } : {}),
    ...(total && available ? { memory: { totalKiB: Number(total[1]), availableKiB: Number(available[1]) } } : {}),
  };
}

/**
 * CPU utilisation in percent (0–100) between two `/proc/stat` readings: busy ticks / all ticks.
 *
 * @param before - the earlier reading
 * @param after - the later reading
 * @returns the utilisation over all CPUs (100 = every CPU busy all the time)
 * @throws {@link ResultParseError} `INVALID_COUNTERS` when `after` is not later than `before`
 *
 * @example
 * ```ts
 * const busy = cpuUtilisation(parseProcStat(a), parseProcStat(b));
 * if (busy > 90) console.warn('the test measured the CPU');
 * ```
 */
export function cpuUtilisation(before: CpuTimes, after: CpuTimes): number {
  const total = after.totalTicks - before.totalTicks;
  const idle = after.idleTicks - before.idleTicks;
  const fields = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
  const back = fields.find((f) => after[f] < before[f]);
  if (back !== undefined) throw invalid(`cpuUtilisation: ${back} went backwards (${before[back]} → ${after[back]}); the readings are not from one boot of one host, in order.`);
  if (total <= 0 || idle < 0) throw invalid('cpuUtilisation: the second /proc/stat reading is not later than the first (same reading, or a reboot between them).');
  return ((total - idle) / total) * 100;
}

/**
 * Packet and bit rates of every interface present in both snapshots, the CPU utilisation and memory
 * use between them. `busiest` is the non-loopback interface that received the most packets: on a
 * server under test, the one the traffic arrived on.
 *
 * @param before - the earlier snapshot
 * @param after - the later snapshot
 * @returns rates over `after.timeSeconds − before.timeSeconds`
 * @throws {@link ResultParseError} `INVALID_COUNTERS` when the window is not positive or a counter went backwards
 *
 * @example
 * ```ts
 * const r = hostRates(parseHostSnapshot(a), parseHostSnapshot(b));
 * console.log(`${r.busiest?.interface}: ${r.busiest?.rxPps.toFixed(0)} pps received`);
 * ```
 */
export function hostRates(before: HostSnapshot, after: HostSnapshot): HostRates {
  const seconds = after.timeSeconds - before.timeSeconds;
  if (!(seconds > 0)) throw invalid(`hostRates: the window is ${seconds} s; the second snapshot must be taken after the first.`);
  const interfaces: InterfaceRates[] = [];
  for (const b of before.interfaces) {
    const a = after.interfaces.find((i) => i.interface === b.interface);
    if (a === undefined) continue;
    const d = (k: 'rxPackets' | 'txPackets' | 'rxBytes' | 'txBytes' | 'rxDropped'): number => {
      const v = a[k] - b[k];
      if (v < 0) throw invalid(`hostRates: ${b.interface} ${k} went backwards (${b[k]} → ${a[k]}); the interface was reset between the snapshots.`);
      return v;
    };
    interfaces.push({
      interface: b.interface,
      seconds,
      rxPackets: d('rxPackets'),
      txPackets: d('txPackets'),
      rxDropped: d('rxDropped'),
      rxPps: d('rxPackets') / seconds,
      txPps: d('txPackets') / seconds,
      rxBitsPerSecond: (d('rxBytes') * 8) / seconds,
      txBitsPerSecond: (d('txBytes') * 8) / seconds,
    });
  }
  const candidates = interfaces.filter((i) => i.interface !== 'lo');
  const busiest = candidates.reduce<InterfaceRates | undefined>((best, i) => (best === undefined || i.rxPackets > best.rxPackets ? i : best), undefined);
  const mem = after.memory;
  return {
    seconds,
    interfaces,
    ...(busiest === undefined ? {} : { busiest }),
    ...(before.cpu && after.cpu ? { cpuPercent: cpuUtilisation(before.cpu, after.cpu) } : {}),
    ...(mem && mem.totalKiB > 0 ? { memoryUsedPercent: ((mem.totalKiB - mem.availableKiB) / mem.totalKiB) * 100 } : {}),
  };
}
