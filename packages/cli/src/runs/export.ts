import { figuresOf, type Figure } from './figures.js';
import type { RunRecord } from './record.js';

/**
 * Formats of `ecs-pulse runs export`.
 *
 * @example
 * ```ts
 * import type { ExportFormat } from '@ecs-pulse/cli';
 * const f: ExportFormat = 'pkb';
 * ```
 */
export type ExportFormat = 'pkb' | 'csv' | 'jsonl';

/** The export formats, for option checks. @internal */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['pkb', 'csv', 'jsonl'];

/**
 * One PerfKitBenchmarker sample (`perfkitbenchmarker/sample.py`'s namedtuple, plus the columns its
 * newline-delimited JSON publisher adds), so exported runs drop into PKB dashboards.
 *
 * @example
 * ```ts
 * import type { PkbSample } from '@ecs-pulse/cli';
 * const s: PkbSample = { metric: 'Throughput', value: 941.2, unit: 'Mbits/sec', metadata: {}, timestamp: 1764842100, run_uri: 'net-20261204T101500Z', sample_uri: 'net-20261204T101500Z-0', product_name: 'ecs-pulse', official: false, owner: 'ecs-pulse' };
 * ```
 */
export interface PkbSample {
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly metadata: Readonly<Record<string, string | number | boolean>>;
  /** Seconds since the epoch (the run's end). */
  readonly timestamp: number;
  readonly run_uri: string;
  readonly sample_uri: string;
  readonly product_name: string;
  readonly official: boolean;
  readonly owner: string;
}

/** PKB's metric name and unit for a figure (netperf/iperf/stress_ng benchmark spellings). */
function pkbName(f: Figure): { metric: string; unit: string; value: number } {
  const [group, who, what] = f.key.split('.');
  switch (f.unit) {
    case 'bit/s':
      return { metric: who === 'aggregate' ? 'Aggregate Throughput' : 'Throughput', unit: 'Mbits/sec', value: f.value / 1e6 };
    case 'pps':
      return { metric: who === 'server' ? 'Packet Rate Received' : 'Packet Rate Sent', unit: 'packets_per_second', value: f.value };
    case 'us': {
      const proto = String(f.metadata.protocol ?? 'udp').toUpperCase();
      const pct = String(f.metadata.percentile ?? what).replace('.', '');
      return { metric: `${proto}_RR_Latency_${pct}`, unit: 'us', value: f.value };
    }
    case '%':
      return { metric: group === 'pps' ? 'Packet Loss' : `${f.label.replace(/^bandwidth /, 'Throughput ')}`, unit: 'percent', value: f.value };
    default:
      // stress_ng_benchmark.py: Sample(<stressor>, value, 'bogus_ops_sec', metadata)
      return { metric: String(f.metadata.stressor ?? what), unit: f.unit === 'bogo-ops/s/vCPU' ? 'bogus_ops_sec_per_vcpu' : 'bogus_ops_sec', value: f.value };
  }
}

function runMetadata(record: RunRecord): Record<string, string | number | boolean> {
  const m: Record<string, string | number | boolean> = { ecs_pulse_run: record.id, kind: record.kind, region: record.region };
  if (record.stack) m.stack = record.stack;
  for (const h of record.hosts) {
    const n = h.role === 'client' ? `client_${record.hosts.filter((x) => x.role === 'client').indexOf(h) + 1}` : h.role;
    if (h.instanceType) m[`${n}_machine_type`] = h.instanceType;
    if (h.zone) m[`${n}_zone`] = h.zone;
  }
  for (const [tool, version] of Object.entries(record.tools)) m[`${tool}_version`] = version;
  for (const [k, v] of Object.entries(record.options)) m[`option_${k}`] = Array.isArray(v) ? v.join(',') : (v as string | number | boolean);
  return m;
}

/** The PKB samples of a run. @internal */
export function pkbSamples(record: RunRecord): PkbSample[] {
  const timestamp = Math.round(Date.parse(record.endedAt) / 1000);
  const base = runMetadata(record);
  return figuresOf(record).map((f, i) => {
    const { metric, unit, value } = pkbName(f);
    return {
      metric,
      value,
      unit,
      metadata: { ...base, ...f.metadata, ecs_pulse_key: f.key },
      timestamp,
      run_uri: record.id,
      sample_uri: `${record.id}-${i}`,
      product_name: 'ecs-pulse',
      official: false,
      owner: 'ecs-pulse',
    };
  });
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A run's figures in one format: `pkb` (PKB samples, one JSON per line), `csv` (a header and a row
 * per figure) or `jsonl` (one figure per line with its metadata).
 *
 * @example
 * ```ts
 * import { exportRun, type RunRecord } from '@ecs-pulse/cli';
 * declare const run: RunRecord;
 * process.stdout.write(exportRun(run, 'csv'));
 * ```
 */
export function exportRun(record: RunRecord, format: ExportFormat): string {
  if (format === 'pkb') return pkbSamples(record).map((s) => `${JSON.stringify(s)}\n`).join('');
  const figures = figuresOf(record);
  if (format === 'jsonl') {
    return figures.map((f) => `${JSON.stringify({ run: record.id, kind: record.kind, endedAt: record.endedAt, ...f })}\n`).join('');
  }
  const header = ['run', 'kind', 'ended_at', 'key', 'label', 'value', 'unit', 'better'];
  const rows = figures.map((f) => [record.id, record.kind, record.endedAt, f.key, f.label, f.value, f.unit, f.better]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
