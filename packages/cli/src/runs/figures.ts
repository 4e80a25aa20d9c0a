import type { RunRecord } from './record.js';

// The comparable figures of a run. Clients are named by position (`client 1`, `client 2`...), not
// by instance id, so a run on a new deployment compares with one on the old.

/** One comparable figure of a run. @internal */
export interface Figure {
  /** Stable key across runs, e.g. `bandwidth.client-1.up`. */
  readonly key: string;
  /** Human label, e.g. `bandwidth client 1 up`. */
  readonly label: string;
  readonly unit: 'bit/s' | 'pps' | 'us' | '%' | 'bogo-ops/s/vCPU' | 'bogo-ops/s';
  readonly value: number;
  /** Which way is better. */
  readonly better: 'higher' | 'lower';
  /** Metadata for exports (the client's instance id, direction, percentile...). */
  readonly metadata: Readonly<Record<string, string | number>>;
}

/** `client N` positions of a run's clients, by instance id. @internal */
export function clientPositions(record: RunRecord): Map<string, number> {
  const map = new Map<string, number>();
  for (const h of record.hosts) if (h.role === 'client' && !map.has(h.instanceId)) map.set(h.instanceId, map.size + 1);
  return map;
}

const PERCENTILES = [
  ['minUs', 'min'],
  ['p50Us', 'p50'],
  ['p90Us', 'p90'],
  ['p99Us', 'p99'],
  ['p999Us', 'p99.9'],
  ['maxUs', 'max'],
] as const;

/** Every comparable figure of a run, in report order. @internal */
export function figuresOf(record: RunRecord): Figure[] {
  const out: Figure[] = [];
  const positions = clientPositions(record);
  const clientKey = (id: string): { key: string; label: string } => {
    const n = positions.get(id);
    return n === undefined ? { key: id, label: id } : { key: `client-${n}`, label: `client ${n}` };
  };
  const net = record.net;
  if (net?.bandwidth) {
    for (const r of net.bandwidth.results) {
      const c = clientKey(r.client);
      out.push({
        key: `bandwidth.${c.key}.${r.direction}`,
        label: `bandwidth ${c.label} ${r.direction}`,
        unit: 'bit/s',
        value: r.bitsPerSecond,
        better: 'higher',
        metadata: { client: r.client, direction: r.direction, mode: net.bandwidth.mode },
      });
    }
    for (const dir of ['up', 'down'] as const) {
      const a = net.bandwidth.aggregate[dir];
      if (a === undefined) continue;
      out.push({ key: `bandwidth.aggregate.${dir}`, label: `bandwidth aggregate ${dir}`, unit: 'bit/s', value: a.bitsPerSecond, better: 'higher', metadata: { direction: dir, mode: net.bandwidth.mode } });
      if (a.percentOfAdvertised !== undefined) {
        out.push({ key: `bandwidth.aggregate.${dir}.advertised`, label: `bandwidth aggregate ${dir} of advertised`, unit: '%', value: a.percentOfAdvertised, better: 'higher', metadata: { direction: dir } });
      }
    }
  }
  if (net?.pps) {
    for (const r of net.pps.results) {
      const c = clientKey(r.client);
      out.push({ key: `pps.${c.key}.sent`, label: `pps ${c.label} sent`, unit: 'pps', value: r.sentPps, better: 'higher', metadata: { client: r.client } });
    }
    if (net.pps.serverRxPps !== undefined) {
      out.push({ key: 'pps.server.received', label: 'pps server received', unit: 'pps', value: net.pps.serverRxPps, better: 'higher', metadata: {} });
    }
    if (net.pps.lossPercent !== undefined) {
      out.push({ key: 'pps.loss', label: 'pps loss', unit: '%', value: net.pps.lossPercent, better: 'lower', metadata: {} });
    }
  }
  for (const l of net?.latency ?? []) {
    const c = clientKey(l.client);
    for (const [field, name] of PERCENTILES) {
      out.push({
        key: `latency.${c.key}.${name}`,
        label: `latency ${c.label} ${name}`,
        unit: 'us',
        value: l[field],
        better: 'lower',
        metadata: { client: l.client, protocol: l.protocol, percentile: name, observations: l.observations },
      });
    }
  }
  const hostPositions = new Map(record.hosts.filter((h) => h.role === 'host' || h.role === 'server').map((h, i) => [h.instanceId, i + 1]));
  for (const h of record.stress?.hosts ?? []) {
    const n = hostPositions.get(h.instanceId) ?? 0;
    for (const s of h.stressors) {
      const perVcpu = s.bogoOpsPerSecondPerVcpu !== undefined;
      out.push({
        key: `stress.host-${n}.${s.stressor}`,
        label: `stress host ${n} ${s.stressor}${perVcpu ? ' per vCPU' : ''}`,
        unit: perVcpu ? 'bogo-ops/s/vCPU' : 'bogo-ops/s',
        value: perVcpu ? (s.bogoOpsPerSecondPerVcpu as number) : s.bogoOpsPerSecond,
        better: 'higher',
        metadata: { host: h.instanceId, stressor: s.stressor, ...(h.vcpus !== undefined ? { vcpus: h.vcpus } : {}) },
      });
    }
  }
  return out;
}

/** A figure's value with its unit for people: `941.2 Mbit/s`, `61.7 µs`, `97.0 %`, `310000 pps`. @internal */
export function formatFigure(value: number | undefined, unit: string, missing = '-'): string {
  if (value === undefined) return missing;
  if (unit === 'bit/s') return `${(value / 1e6).toFixed(1)} Mbit/s`;
  if (unit === 'us') return `${value.toFixed(1)} µs`;
  if (unit === '%') return `${value.toFixed(1)} %`;
  if (unit === 'pps') return `${Math.round(value)} pps`;
  return `${Math.round(value * 100) / 100} ${unit}`;
}
