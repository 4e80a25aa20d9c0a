import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { overlayChart, runCharts, type ChartSpec } from './charts.js';
import { compareRuns, type RunComparison } from './compare.js';
import { figuresOf, formatFigure } from './figures.js';
import { REPORT_CLIENT_SCRIPT, REPORT_STYLE } from './report-assets.js';
import type { RunRecord } from './record.js';

// `ecs-pulse report`: one self-contained HTML file. Chartist (SVG charts, no dependencies, ~38 KB)
// and its stylesheet are inlined with the data, so the page makes no network request when opened.

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a `<script>` element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

function chartist(): { js: string; css: string } {
  const require = createRequire(import.meta.url);
  return {
    js: readFileSync(require.resolve('chartist/dist/index.umd.js'), 'utf8'),
    css: readFileSync(require.resolve('chartist/dist/index.css'), 'utf8'),
  };
}

const formatValue = (value: number | undefined, unit: string): string => formatFigure(value, unit, '–');

function runSection(r: RunRecord, charts: readonly ChartSpec[]): string {
  const hosts = r.hosts
    .map((h) => `<tr><td>${esc(h.role)}</td><td>${esc(h.instanceId)}</td><td>${esc(h.instanceType ?? '?')}</td><td>${esc(h.zone ?? '?')}</td><td>${esc(h.privateIp ?? '')}</td></tr>`)
    .join('');
  const tools = Object.entries(r.tools).map(([k, v]) => `${esc(k)} ${esc(v)}`).join(', ') || 'unknown';
  const figures = figuresOf(r)
    .map((f) => `<tr><td>${esc(f.label)}</td><td class="num">${esc(formatValue(f.value, f.unit))}</td></tr>`)
    .join('');
  const warnings = (r.net?.warnings ?? []).map((w) => `<li>${esc(w)}</li>`).join('');
  return `<section class="run" id="run-${esc(r.id)}">
<h2>${esc(r.kind === 'net' ? 'Network run' : 'Stress run')} ${esc(r.id)}</h2>
<p class="meta">${esc(r.region)}${r.stack ? ` · stack ${esc(r.stack)}` : ''} · ${esc(r.startedAt)} → ${esc(r.endedAt)} · tools: ${tools}</p>
${warnings ? `<ul class="warnings" aria-label="warnings">${warnings}</ul>` : ''}
<table class="hosts"><thead><tr><th>role</th><th>instance</th><th>type</th><th>zone</th><th>private IP</th></tr></thead><tbody>${hosts}</tbody></table>
<div class="charts">${charts.map(chartFigure).join('\n')}</div>
<details><summary>All figures</summary><table class="figures"><tbody>${figures}</tbody></table></details>
</section>`;
}

function chartFigure(c: ChartSpec): string {
  return `<figure class="chart" id="${esc(c.id)}" data-chart="${esc(c.id)}" data-type="${c.type}" data-expected-points="${c.points}">
<figcaption>${esc(c.title)} <span class="axis">(${esc(c.yLabel)} by ${esc(c.xLabel)})</span></figcaption>
<div class="plot" role="img" aria-label="${esc(c.title)}"></div>
<ul class="legend"></ul>
<details><summary>Data</summary><div class="data-table"></div></details>
</figure>`;
}

function comparisonSection(c: RunComparison): string {
  const rows = c.rows
    .map(
      (r) =>
        `<tr class="v-${r.verdict}"><td>${esc(r.label)}</td><td class="num">${esc(formatValue(r.a, r.unit))}</td><td class="num">${esc(formatValue(r.b, r.unit))}</td><td class="num">${r.changePercent === undefined ? '–' : `${r.changePercent > 0 ? '+' : ''}${r.changePercent.toFixed(1)} %`}</td><td><span class="verdict">${esc(r.verdict)}</span></td></tr>`,
    )
    .join('');
  const diff = c.differences.length
    ? `<p class="differences"><strong>Not like for like:</strong> ${c.differences.map(esc).join('; ')}</p>`
    : '';
  return `<section class="comparison"><h2>${esc(c.a)} → ${esc(c.b)}</h2>${diff}
<details open><summary>Tolerance ${c.tolerancePercent} %; ${c.regressions} figure(s) worse</summary>
<table class="compare"><thead><tr><th>figure</th><th>${esc(c.a)}</th><th>${esc(c.b)}</th><th>change</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table></details></section>`;
}

/**
 * Options of {@link renderReport}.
 *
 * @example
 * ```ts
 * import type { ReportOptions } from '@ecs-pulse/cli';
 * const o: ReportOptions = { tolerancePercent: 3, title: 'g7 vs g8' };
 * ```
 */
export interface ReportOptions {
  /** Tolerance of the comparison tables, in %. @default 5 */
  readonly tolerancePercent?: number;
  /** Page title. @default - the run ids */
  readonly title?: string;
}

/**
 * One self-contained HTML report of one or more runs: charts (bandwidth over time with the aggregate
 * and the advertised bandwidth, latency percentiles, packet rates, server CPU, CloudMonitor series,
 * bogo-ops per vCPU), and with several runs the comparison tables and the runs overlaid. Scripts,
 * styles and data are inlined: the file opens without network access.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { renderReport, type RunRecord } from '@ecs-pulse/cli';
 * declare const before: RunRecord, after: RunRecord;
 * writeFileSync('report.html', renderReport([before, after]));
 * ```
 */
export function renderReport(records: readonly RunRecord[], options: ReportOptions = {}): string {
  const { js, css } = chartist();
  const sections = records.map((r, i) => ({ record: r, charts: runCharts(r, `run${i + 1}`) }));
  const overlay = overlayChart(records);
  // Each run is compared with the first run of its kind (net with net, stress with stress).
  const comparisons = records.flatMap((r) => {
    const first = records.find((x) => x.kind === r.kind) as RunRecord;
    return first === r ? [] : [compareRuns(first, r, options)];
  });
  const charts = [...sections.flatMap((s) => s.charts), ...(overlay ? [overlay] : [])];
  const title = options.title ?? `ecs-pulse report: ${records.map((r) => r.id).join(', ')}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<style>${css}</style>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p class="meta">Generated by ecs-pulse on ${esc(new Date().toISOString())} from ${records.length} run(s).</p></header>
<main>
${overlay ? `<section class="overlay"><h2>Runs overlaid</h2><div class="charts">${chartFigure(overlay)}</div></section>` : ''}
${comparisons.map(comparisonSection).join('\n')}
${sections.map((s) => runSection(s.record, s.charts)).join('\n')}
</main>
<script type="application/json" id="ecs-pulse-charts">${scriptJson(charts)}</script>
<script>${js}</script>
<script>${REPORT_CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
