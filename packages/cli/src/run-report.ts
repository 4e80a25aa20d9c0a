import path from 'node:path';
import { clientSettings } from './cloud/config.js';
import { fetchRunMetrics, type MetricsReport } from './cloud/metrics.js';
import { metricValue, table } from './format.js';
import type { Io } from './io.js';
import { postSummary } from './slack.js';
import { compareRuns, type RunComparison } from './runs/compare.js';
import type { RunRecord } from './runs/record.js';
import { finishRun, previousRun } from './runs/store.js';

// What `stress run` and `net run` do alike around their remote work: a run id, the optional
// CloudMonitor metrics of the run window, and the report (result.json, print, Slack summary).

/** @internal A sortable run id from the start time, e.g. `20261125T041500Z`. */
export function runId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
}

/** @internal CloudMonitor metrics of the hosts for the run window, when `--metrics` asked for them. */
export async function runMetrics(
  wanted: boolean | undefined,
  region: string,
  instanceIds: readonly string[],
  started: Date,
  ended: Date,
  io: Io,
): Promise<MetricsReport | undefined> {
  if (wanted !== true) return undefined;
  const cms = await clientSettings('cms', region, io.env);
  return fetchRunMetrics(cms, instanceIds, started, ended, io);
}

/** @internal The Slack summary of a run: a title, one line per test or stressor, and a context line. */
export interface RunSummary {
  readonly title: string;
  readonly lines: readonly string[];
  readonly context: string;
}

/**
 * @internal Keep the run: `<folder>/result.json` is the run record (validated against its schema), beside the
 * raw outputs; print the result (table or `--json`); post the Slack summary when a webhook was given, with
 * the comparison against the previous run of the same kind and stack in the results folder.
 */
export async function reportRun<R>(
  result: R,
  record: RunRecord,
  folder: string,
  io: Io,
  print: (result: R, io: Io) => void,
  slack: string | undefined,
  summary: () => RunSummary,
): Promise<void> {
  finishRun(folder, record);
  print(result, io);
  if (slack) {
    const { title, lines, context } = summary();
    const previous = previousRun(path.dirname(folder), record);
    const versus = previous === undefined ? [] : comparisonSummary(compareRuns(previous.record, record));
    await postSummary(slack, title, [...lines, ...versus], context);
    io.err(io.paint.dim('Slack summary posted.'));
  }
}

/** Slack lines of a comparison: the counts, then the figures that got worse (at most 8). @internal */
export function comparisonSummary(c: RunComparison): string[] {
  const count = (v: string) => c.rows.filter((r) => r.verdict === v).length;
  const lines = [`*vs previous run ${c.a}* (tolerance ${c.tolerancePercent} %): ${count('better')} better, ${count('worse')} worse, ${count('same')} same`];
  for (const d of c.differences.slice(0, 3)) lines.push(`_not like for like: ${d}_`);
  for (const r of c.rows.filter((x) => x.verdict === 'worse').slice(0, 8)) lines.push(`• ${r.label}: ${r.changePercent ?? '?'} %`);
  return lines;
}

/** @internal The metrics table under a run's own table. */
export function printMetrics(m: MetricsReport | undefined, io: Io): void {
  if (!m) return;
  const p = io.paint;
  io.out('');
  io.out(`${p.bold('CloudMonitor')} ${m.namespace} ${m.startTime} → ${m.endTime} (period ${m.period} s)`);
  const rows: string[][] = [['host', 'metric', 'avg', 'max', 'points']];
  for (const s of m.summaries) {
    rows.push([s.instanceId, s.metric, metricValue(s.average, s.unit), metricValue(s.maximum, s.unit), s.points === 0 ? p.dim('no data') : String(s.points)]);
  }
  io.out(table(rows, p.bold));
}
