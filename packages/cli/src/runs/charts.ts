import { clientPositions } from './figures.js';
import type { RunRecord, SeriesPoints } from './record.js';

// Chart specifications of a report, computed here so the page's script only draws them. Each spec
// says how many data points it draws, so a test can count them in the rendered DOM.

/** One series of a chart: `[x, y]` points (line) or one value per label (bar). @internal */
export interface ChartSeries {
  readonly name: string;
  readonly points?: SeriesPoints;
  readonly values?: readonly number[];
}

/** One chart of the report. @internal */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly type: 'line' | 'bar';
  /** Axis captions. */
  readonly xLabel: string;
  readonly yLabel: string;
  /** Bar labels (bar charts). */
  readonly labels?: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Points (line) or bars (bar) the chart draws. */
  readonly points: number;
}

function count(series: readonly ChartSeries[]): number {
  return series.reduce((n, s) => n + (s.points?.length ?? s.values?.length ?? 0), 0);
}

function chart(spec: Omit<ChartSpec, 'points'>): ChartSpec {
  return { ...spec, points: count(spec.series) };
}

/** Sum of the clients' series of one direction over their common interval window (by interval index). @internal */
export function aggregateSeries(series: ReadonlyArray<{ readonly points: SeriesPoints }>): Array<readonly [number, number]> {
  if (series.length === 0) return [];
  const n = Math.min(...series.map((s) => s.points.length));
  const out: Array<readonly [number, number]> = [];
  for (let i = 0; i < n; i++) {
    const t = Math.max(...series.map((s) => (s.points[i] as readonly [number, number])[0]));
    out.push([t, series.reduce((sum, s) => sum + (s.points[i] as readonly [number, number])[1], 0)]);
  }
  return out;
}

const mbps = (p: SeriesPoints): SeriesPoints => p.map(([t, v]) => [t, Math.round(v / 1e4) / 100] as const);

/** The charts of one run. @internal */
export function runCharts(record: RunRecord, prefix: string): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const pos = clientPositions(record);
  const name = (id: string): string => (pos.has(id) ? `client ${pos.get(id)} (${id})` : id);
  // bar labels sit side by side: the position only (the legend and the hosts table name the instance)
  const short = (id: string): string => (pos.has(id) ? `client ${pos.get(id)}` : id);
  const bw = record.series?.bandwidth ?? [];
  if (bw.length > 0) {
    const series: ChartSeries[] = bw.map((s) => ({ name: `${name(s.client)} ${s.direction}`, points: mbps(s.points) }));
    for (const dir of ['up', 'down'] as const) {
      const own = bw.filter((s) => s.direction === dir);
      if (own.length > 1) series.push({ name: `aggregate ${dir}`, points: mbps(aggregateSeries(own)) });
    }
    const adv = record.net?.advertised;
    const cap = adv?.bandwidthRxBitsPerSecond ?? adv?.bandwidthTxBitsPerSecond;
    const end = Math.max(...bw.flatMap((s) => s.points.map(([t]) => t)));
    if (cap !== undefined && Number.isFinite(end)) {
      series.push({ name: 'advertised', points: mbps([[0, cap], [end, cap]]) });
    }
    charts.push(chart({ id: `${prefix}-bandwidth`, title: 'Bandwidth over time', type: 'line', xLabel: 's', yLabel: 'Mbit/s', series }));
  } else if (record.net?.bandwidth) {
    const r = record.net.bandwidth.results;
    charts.push(chart({
      id: `${prefix}-bandwidth`,
      title: 'Bandwidth per client',
      type: 'bar',
      xLabel: 'client and direction',
      yLabel: 'Mbit/s',
      labels: r.map((x) => `${short(x.client)} ${x.direction}`),
      series: [{ name: 'bandwidth', values: r.map((x) => Math.round(x.bitsPerSecond / 1e4) / 100) }],
    }));
  }
  const lat = record.net?.latency ?? [];
  if (lat.length > 0) {
    charts.push(chart({
      id: `${prefix}-latency`,
      title: 'Latency percentiles per client',
      type: 'bar',
      xLabel: 'percentile',
      yLabel: 'µs',
      labels: ['min', 'p50', 'p90', 'p99', 'p99.9', 'max'],
      series: lat.map((l) => ({ name: `${name(l.client)} ${l.protocol.toUpperCase()}`, values: [l.minUs, l.p50Us, l.p90Us, l.p99Us, l.p999Us, l.maxUs] })),
    }));
  }
  const hist = record.series?.latencyHistogram ?? [];
  if (hist.length > 0) {
    charts.push(chart({
      id: `${prefix}-latency-distribution`,
      title: 'Latency distribution',
      type: 'line',
      xLabel: 'µs',
      yLabel: 'observations',
      series: hist.map((h) => ({ name: name(h.client), points: h.points })),
    }));
  }
  const pps = record.net?.pps;
  if (pps) {
    charts.push(chart({
      id: `${prefix}-pps`,
      title: 'Packet rate: sent per client, received by the server',
      type: 'bar',
      xLabel: 'host',
      yLabel: 'packets/s',
      labels: [...pps.results.map((r) => `${short(r.client)} sent`), ...(pps.serverRxPps === undefined ? [] : ['server received'])],
      series: [{ name: 'packets/s', values: [...pps.results.map((r) => r.sentPps), ...(pps.serverRxPps === undefined ? [] : [pps.serverRxPps])] }],
    }));
  }
  const cpu = record.net?.serverCpuPercent;
  const cpuTests = cpu ? (['bandwidth', 'pps', 'latency'] as const).filter((t) => cpu[t] !== undefined) : [];
  if (cpu && cpuTests.length > 0) {
    charts.push(chart({
      id: `${prefix}-server-cpu`,
      title: 'Server CPU during each test',
      type: 'bar',
      xLabel: 'test',
      yLabel: '%',
      labels: [...cpuTests],
      series: [{ name: 'server CPU %', values: cpuTests.map((t) => cpu[t] as number) }],
    }));
  }
  const cpuSeries = record.series?.cpu ?? [];
  if (cpuSeries.length > 0) {
    charts.push(chart({
      id: `${prefix}-cpu-series`,
      title: 'Host CPU over time',
      type: 'line',
      xLabel: 's',
      yLabel: '%',
      series: cpuSeries.map((s) => ({ name: `${s.instanceId} ${s.test}`, points: s.points })),
    }));
  }
  const stress = record.stress?.hosts ?? [];
  if (stress.length > 0) {
    const stressors = [...new Set(stress.flatMap((h) => h.stressors.map((s) => s.stressor)))];
    const perVcpu = stress.every((h) => h.stressors.every((s) => s.bogoOpsPerSecondPerVcpu !== undefined));
    charts.push(chart({
      id: `${prefix}-stress`,
      title: perVcpu ? 'Bogo-ops per second per vCPU' : 'Bogo-ops per second',
      type: 'bar',
      xLabel: 'stressor',
      yLabel: perVcpu ? 'bogo-ops/s/vCPU' : 'bogo-ops/s',
      labels: stressors,
      series: stress.map((h) => ({
        name: h.instanceId,
        values: stressors.map((st) => {
          const s = h.stressors.find((x) => x.stressor === st);
          return s === undefined ? 0 : Math.round((perVcpu ? (s.bogoOpsPerSecondPerVcpu as number) : s.bogoOpsPerSecond) * 100) / 100;
        }),
      })),
    }));
  }
  const byMetric = new Map<string, ChartSeries[]>();
  for (const m of record.series?.cloudMonitor ?? []) {
    const list = byMetric.get(`${m.metric} (${m.unit})`) ?? [];
    list.push({ name: m.instanceId, points: m.points });
    byMetric.set(`${m.metric} (${m.unit})`, list);
  }
  let i = 0;
  for (const [metric, series] of byMetric) {
    charts.push(chart({ id: `${prefix}-cms-${i++}`, title: `CloudMonitor ${metric}`, type: 'line', xLabel: 's', yLabel: metric, series }));
  }
  return charts;
}

/** Several runs' aggregate bandwidth over time, overlaid (one series per run and direction). @internal */
export function overlayChart(records: readonly RunRecord[]): ChartSpec | undefined {
  const series: ChartSeries[] = [];
  for (const r of records) {
    for (const dir of ['up', 'down'] as const) {
      const own = (r.series?.bandwidth ?? []).filter((s) => s.direction === dir);
      if (own.length > 0) series.push({ name: `${r.id} ${dir}`, points: mbps(aggregateSeries(own)) });
    }
  }
  if (series.length < 2) return undefined;
  return chart({ id: 'overlay-bandwidth', title: 'Aggregate bandwidth over time, runs overlaid', type: 'line', xLabel: 's', yLabel: 'Mbit/s', series });
}
