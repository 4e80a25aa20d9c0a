import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NetReport } from '../commands/net.js';
import type { StressRunResult } from '../commands/stress.js';
import type { MetricsReport } from '../cloud/metrics.js';
import { RESULT_FILE } from './store.js';
import { RUN_SCHEMA_VERSION, type RunHost, type RunRecord, type RunSeries } from './record.js';

// `net run` and `stress run` results → the stored run record. The time series come from the raw tool
// outputs the run kept in its folder (iperf3 intervals), so what the report draws is what the tools said.

type Parsers = typeof import('@ecs-pulse/stress-host/parsers');
type Options = RunRecord['options'];

/** Keep only option values the record can hold (strings, numbers, booleans, string lists). */
function cleanOptions(options: Record<string, unknown>): Options {
  const out: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
  }
  return out;
}

function rawFiles(folder: string): string[] {
  try {
    return readdirSync(folder).filter((f) => f !== RESULT_FILE).sort();
  } catch {
    return [];
  }
}

/** CloudMonitor series of the run window, seconds since the run's start. */
function cloudMonitorSeries(metrics: MetricsReport | undefined, startedAt: string): RunSeries['cloudMonitor'] {
  if (!metrics) return undefined;
  const t0 = Date.parse(startedAt);
  const out = metrics.summaries
    .filter((s) => (s.series?.length ?? 0) > 0)
    .map((s) => ({ instanceId: s.instanceId, metric: s.metric, unit: s.unit, points: (s.series ?? []).map(([t, v]) => [Math.round((t - t0) / 1000), v] as const) }));
  return out.length > 0 ? out : undefined;
}

/**
 * The run record of a `net run`: its report, the iperf3 intervals of each client and direction (read
 * back from the raw JSON kept in `folder`), and the tool versions the outputs name.
 * @internal
 */
export function netRunRecord(
  input: { readonly report: NetReport; readonly folder: string; readonly startedAt: string; readonly endedAt: string; readonly stack?: string; readonly options: Record<string, unknown> },
  parsers: Parsers,
): RunRecord {
  const { report, folder } = input;
  const raw = rawFiles(folder);
  const tools: Record<string, string> = {};
  const bandwidth: Array<{ client: string; direction: 'up' | 'down'; points: Array<readonly [number, number]> }> = [];
  for (const client of report.clients) {
    for (const direction of ['up', 'down'] as const) {
      const file = `${client.instanceId}-bw-${direction}.json`;
      if (!raw.includes(file)) continue;
      try {
        const r = parsers.parseIperf3(readFileSync(path.join(folder, file), 'utf8'));
        if (r.version) tools.iperf3 ??= r.version.replace(/^iperf\s*/, '');
        const points = r.intervals.filter((i) => !i.omitted).map((i) => [Math.round(i.end * 100) / 100, Math.round(i.bitsPerSecond)] as const);
        if (points.length > 0) bandwidth.push({ client: client.instanceId, direction, points });
      } catch {
        // the report already names the failed test
      }
    }
  }
  for (const file of raw.filter((f) => f.endsWith('-latency.txt'))) {
    try {
      const version = parsers.parseSockperf(readFileSync(path.join(folder, file), 'utf8')).version;
      if (version) tools.sockperf ??= version;
    } catch {
      // the report already names the failed test
    }
  }
  const host = (role: RunHost['role'], h: { instanceId: string; instanceType?: string; privateIp?: string }): RunHost => ({
    role,
    instanceId: h.instanceId,
    ...(h.instanceType ? { instanceType: h.instanceType } : {}),
    ...(h.privateIp ? { privateIp: h.privateIp } : {}),
  });
  const { advertised } = report.server;
  const cm = cloudMonitorSeries(report.metrics, input.startedAt);
  const series: RunSeries = { ...(bandwidth.length > 0 ? { bandwidth } : {}), ...(cm ? { cloudMonitor: cm } : {}) };
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: path.basename(folder),
    kind: 'net',
    ...(input.stack !== undefined ? { stack: input.stack } : {}),
    region: report.region,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    hosts: [host('server', report.server), ...report.clients.map((c) => host('client', c))],
    tools,
    options: cleanOptions(input.options),
    net: {
      ...(report.bandwidth ? { bandwidth: report.bandwidth } : {}),
      ...(report.pps ? { pps: report.pps } : {}),
      ...(report.latency ? { latency: report.latency } : {}),
      serverCpuPercent: report.serverCpuPercent,
      ...(Object.keys(advertised).length > 0 ? { advertised } : {}),
      warnings: report.warnings,
    },
    ...(Object.keys(series).length > 0 ? { series } : {}),
    raw,
  };
}

/**
 * The run record of a `stress run`: bogo-ops per stressor and per vCPU for each host, the host's CPU and
 * memory samples, the instance types and the stress-ng version.
 * @internal
 */
export function stressRunRecord(result: StressRunResult, input: { readonly stack?: string; readonly options: Record<string, unknown> }): RunRecord {
  const tools: Record<string, string> = {};
  for (const h of result.hosts) if (h.result?.version) tools['stress-ng'] ??= h.result.version;
  const cm = cloudMonitorSeries(result.metrics, result.startedAt);
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    id: path.basename(result.rawDir),
    kind: 'stress',
    ...(input.stack !== undefined ? { stack: input.stack } : {}),
    region: result.region,
    startedAt: result.startedAt,
    endedAt: result.endedAt,
    hosts: result.hosts.map((h) => ({
      role: 'host' as const,
      instanceId: h.instanceId,
      ...(h.instanceType ? { instanceType: h.instanceType } : {}),
      ...(h.vcpus ? { vcpus: h.vcpus } : {}),
      ...(h.memoryGiB ? { memoryMiB: Math.round(h.memoryGiB * 1024) } : {}),
    })),
    tools,
    options: cleanOptions({ ...input.options, timeout: result.timeoutSeconds, stressors: result.stressors.map(([n, c]) => `${n}:${c}`) }),
    stress: {
      hosts: result.hosts
        .filter((h) => h.result !== undefined)
        .map((h) => ({
          instanceId: h.instanceId,
          ...(h.vcpus ? { vcpus: h.vcpus } : {}),
          stressors: (h.result?.metrics ?? []).map((m) => ({
            stressor: m.stressor,
            bogoOps: m.bogoOps,
            bogoOpsPerSecond: m.bogoOpsPerSecondReal,
            ...(h.bogoOpsPerSecondPerVcpu?.[m.stressor] !== undefined ? { bogoOpsPerSecondPerVcpu: h.bogoOpsPerSecondPerVcpu[m.stressor] as number } : {}),
          })),
          ...(h.cpuPercent !== undefined ? { cpuPercent: { average: h.cpuPercent, max: h.cpuPercent } } : {}),
          ...(h.memoryUsedPercent !== undefined ? { memoryPercent: { average: h.memoryUsedPercent, max: h.memoryUsedPercent } } : {}),
        })),
    },
    ...(cm ? { series: { cloudMonitor: cm } } : {}),
    raw: rawFiles(result.rawDir),
  };
}
