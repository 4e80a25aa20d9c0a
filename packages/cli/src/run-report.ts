import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientSettings } from './cloud/config.js';
import { fetchRunMetrics, type MetricsReport } from './cloud/metrics.js';
import { metricValue, table } from './format.js';
import type { Io } from './io.js';
import { postSummary } from './slack.js';

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
 * @internal Keep the result beside the raw outputs (`<rawDir>/result.json`), print it (table or `--json`),
 * and post the Slack summary when a webhook was given.
 */
export async function reportRun<R>(
  result: R,
  rawDir: string,
  io: Io,
  print: (result: R, io: Io) => void,
  slack: string | undefined,
  summary: () => RunSummary,
): Promise<void> {
  writeFileSync(path.join(rawDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  print(result, io);
  if (slack) {
    const { title, lines, context } = summary();
    await postSummary(slack, title, lines, context);
    io.err(io.paint.dim('Slack summary posted.'));
  }
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
