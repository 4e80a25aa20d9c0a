import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { table } from '../format.js';
import { resolveIo, type CommonOptions, type Io } from '../io.js';
import { compareRuns, DEFAULT_TOLERANCE_PERCENT, type ComparisonRow, type RunComparison } from '../runs/compare.js';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from '../runs/export.js';
import { figuresOf, formatFigure } from '../runs/figures.js';
import type { RunRecord } from '../runs/record.js';
import { renderReport } from '../runs/report.js';
import { listRuns, loadRun, resultsDir } from '../runs/store.js';

/**
 * Options every `runs` command and `report` accept.
 *
 * @example
 * ```ts
 * import type { RunsOptions } from '@ecs-pulse/cli';
 * const o: RunsOptions = { results: './perf-results' };
 * ```
 */
export interface RunsOptions extends CommonOptions {
  /** The results folder. @default - ECS_PULSE_RESULTS, else ./ecs-pulse-results */
  readonly results?: string;
}

function dirOf(options: RunsOptions, io: Io): string {
  return resultsDir(options.results, io.env, io.cwd);
}

const fmt = (value: number | undefined, unit: string): string => formatFigure(value, unit);

/**
 * One line of `ecs-pulse runs list`.
 *
 * @example
 * ```ts
 * import type { RunListEntry } from '@ecs-pulse/cli';
 * const label = (e: RunListEntry) => `${e.id} (${e.kind})`;
 * ```
 */
export interface RunListEntry {
  readonly id: string;
  readonly kind: RunRecord['kind'];
  readonly stack?: string;
  readonly region: string;
  readonly startedAt: string;
  readonly instanceTypes: readonly string[];
  readonly folder: string;
}

/**
 * List the stored runs, oldest first (`ecs-pulse runs list [--json]`).
 *
 * @example
 * ```ts
 * import { runsList } from '@ecs-pulse/cli';
 * const runs = await runsList({ results: 'ecs-pulse-results', json: true });
 * console.log(runs.length);
 * ```
 */
export async function runsList(options: RunsOptions = {}): Promise<RunListEntry[]> {
  const io = resolveIo(options);
  const dir = dirOf(options, io);
  const { runs, skipped } = listRuns(dir);
  const entries = runs.map(({ record: r, folder }): RunListEntry => ({
    id: r.id,
    kind: r.kind,
    ...(r.stack !== undefined ? { stack: r.stack } : {}),
    region: r.region,
    startedAt: r.startedAt,
    instanceTypes: [...new Set(r.hosts.map((h) => h.instanceType ?? '?'))],
    folder,
  }));
  for (const s of skipped) io.err(io.paint.yellow(`skipped ${s.folder}: ${s.reason}`));
  if (io.json) {
    io.out(JSON.stringify(entries, null, 2));
  } else if (entries.length === 0) {
    io.out(`No runs in ${dir}. Run "ecs-pulse net run" or "ecs-pulse stress run" first, or pass --results <dir>.`);
  } else {
    const rows = [['run', 'kind', 'stack', 'region', 'started', 'instance types'], ...entries.map((e) => [e.id, e.kind, e.stack ?? '-', e.region, e.startedAt, e.instanceTypes.join(', ')])];
    io.out(table(rows, io.paint.bold));
  }
  return entries;
}

/**
 * Print one run's set-up and figures (`ecs-pulse runs show <run> [--json]`). `<run>` is an id, a
 * unique prefix, `latest`, `previous`, a run folder or a `result.json`.
 *
 * @example
 * ```ts
 * import { runsShow } from '@ecs-pulse/cli';
 * const run = await runsShow({ run: 'latest' });
 * console.log(run.kind, run.region);
 * ```
 */
export async function runsShow(options: RunsOptions & { readonly run: string }): Promise<RunRecord> {
  const io = resolveIo(options);
  const { record: r, folder } = loadRun(dirOf(options, io), options.run, io.cwd);
  if (io.json) {
    io.out(JSON.stringify(r, null, 2));
    return r;
  }
  const p = io.paint;
  io.out(`${p.bold(`${r.kind} run ${r.id}`)} · ${r.region}${r.stack ? ` · stack ${r.stack}` : ''} · ${r.startedAt} → ${r.endedAt}`);
  io.out(table([['role', 'instance', 'type', 'zone'], ...r.hosts.map((h) => [h.role, h.instanceId, h.instanceType ?? '?', h.zone ?? '?'])], p.bold));
  io.out('');
  io.out(table([['figure', 'value'], ...figuresOf(r).map((f) => [f.label, fmt(f.value, f.unit)])], p.bold));
  for (const w of r.net?.warnings ?? []) io.out(p.yellow(`warning: ${w}`));
  io.out(p.dim(`folder ${folder}`));
  return r;
}

/**
 * Options of {@link runsCompare}.
 *
 * @example
 * ```ts
 * import type { RunsCompareOptions } from '@ecs-pulse/cli';
 * const o: RunsCompareOptions = { a: 'previous', b: 'latest', tolerancePercent: 3, failOnRegression: true };
 * ```
 */
export interface RunsCompareOptions extends RunsOptions {
  readonly a: string;
  readonly b: string;
  /** Changes within this many % are `same`. @default 5 */
  readonly tolerancePercent?: number;
  /** Exit 1 when any figure is worse beyond the tolerance (for CI pipelines). @default false */
  readonly failOnRegression?: boolean;
}

const VERDICT_MARK: Record<ComparisonRow['verdict'], string> = {
  better: '▲ better',
  worse: '▼ worse',
  same: '= same',
  'only-a': 'only in A',
  'only-b': 'only in B',
  incomparable: 'not comparable',
};

/** The comparison as terminal lines (used by `runs compare` and the Slack summary). @internal */
export function comparisonLines(c: RunComparison, io: Io): string[] {
  const p = io.paint;
  const lines = [`${p.bold('A')} ${c.a}  →  ${p.bold('B')} ${c.b}  (tolerance ${c.tolerancePercent} %)`];
  for (const d of c.differences) lines.push(p.yellow(`not like for like: ${d}`));
  const rows = [
    ['figure', 'A', 'B', 'change', 'verdict'],
    ...c.rows.map((r) => {
      const mark = VERDICT_MARK[r.verdict];
      return [
        r.label,
        fmt(r.a, r.unit),
        fmt(r.b, r.unit),
        r.changePercent === undefined ? '-' : `${r.changePercent > 0 ? '+' : ''}${r.changePercent.toFixed(1)} %`,
        r.verdict === 'worse' ? p.red(mark) : r.verdict === 'better' ? p.green(mark) : mark,
      ];
    }),
  ];
  lines.push(table(rows, p.bold));
  lines.push(`${c.regressions} figure(s) worse beyond ${c.tolerancePercent} %.`);
  return lines;
}

function tolerance(v: number | undefined): number {
  const t = v ?? DEFAULT_TOLERANCE_PERCENT;
  if (!Number.isFinite(t) || t < 0 || t > 1000) throw new CliError('USAGE', `--tolerance must be a percentage from 0 to 1000 (got ${JSON.stringify(v)}).`);
  return t;
}

/**
 * Compare two runs figure by figure (`ecs-pulse runs compare <a> <b> [--tolerance 5]
 * [--fail-on-regression] [--json]`). With `failOnRegression`, throws a {@link CliError} with exit
 * code 1 after printing when any figure is worse beyond the tolerance.
 *
 * @example
 * ```ts
 * import { runsCompare } from '@ecs-pulse/cli';
 * const c = await runsCompare({ a: 'previous', b: 'latest', json: true });
 * console.log(c.regressions);
 * ```
 */
export async function runsCompare(options: RunsCompareOptions): Promise<RunComparison> {
  const io = resolveIo(options);
  const dir = dirOf(options, io);
  const tol = tolerance(options.tolerancePercent);
  const a = loadRun(dir, options.a, io.cwd).record;
  const b = loadRun(dir, options.b, io.cwd).record;
  const c = compareRuns(a, b, { tolerancePercent: tol });
  if (io.json) io.out(JSON.stringify(c, null, 2));
  else for (const line of comparisonLines(c, io)) io.out(line);
  if (options.failOnRegression === true && c.regressions > 0) {
    throw new CliError('REGRESSION', `${c.regressions} figure(s) of ${c.b} are worse than ${c.a} beyond ${tol} %.`);
  }
  return c;
}

/**
 * Print a run's figures as PKB samples, CSV or JSON lines (`ecs-pulse runs export <run> --format
 * pkb|csv|jsonl [--out file]`).
 *
 * @example
 * ```ts
 * import { runsExport } from '@ecs-pulse/cli';
 * await runsExport({ run: 'latest', format: 'pkb', out: 'perfkitbenchmarker_results.json' });
 * ```
 */
export async function runsExport(options: RunsOptions & { readonly run: string; readonly format?: string; readonly out?: string }): Promise<string> {
  const io = resolveIo(options);
  const format = (options.format ?? 'pkb') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new CliError('USAGE', `--format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(options.format)}).`);
  const { record } = loadRun(dirOf(options, io), options.run, io.cwd);
  const text = exportRun(record, format);
  if (options.out) {
    const file = path.resolve(io.cwd, options.out);
    if (existsSync(file)) throw new CliError('USAGE', `${file} exists; ecs-pulse does not overwrite files. Choose another --out.`);
    writeFileSync(file, text);
    io.err(`wrote ${path.relative(io.cwd, file) || file}`);
  } else {
    io.stdout.write(text);
  }
  return text;
}

/**
 * Options of {@link report}.
 *
 * @example
 * ```ts
 * import type { ReportCommandOptions } from '@ecs-pulse/cli';
 * const o: ReportCommandOptions = { runs: ['previous', 'latest'], out: 'report.html' };
 * ```
 */
export interface ReportCommandOptions extends RunsOptions {
  /** Run references (ids, prefixes, `latest`, folders). */
  readonly runs: readonly string[];
  /** The HTML file to write; refused when it exists unless `force`. @default 'report.html' */
  readonly out?: string;
  /** Overwrite `out` when it exists. @default false */
  readonly force?: boolean;
  /** Tolerance of the comparison tables, in %. @default 5 */
  readonly tolerancePercent?: number;
}

/**
 * Write one self-contained HTML report of one or more runs (`ecs-pulse report <run> [<run>…]
 * --out report.html`): charts, and with several runs the comparison and the runs overlaid.
 *
 * @example
 * ```ts
 * import { report } from '@ecs-pulse/cli';
 * const file = await report({ runs: ['previous', 'latest'], out: 'report.html' });
 * console.log(file);
 * ```
 */
export async function report(options: ReportCommandOptions): Promise<string> {
  const io = resolveIo(options);
  if (options.runs.length === 0) throw new CliError('USAGE', 'ecs-pulse report needs at least one run: ecs-pulse report latest --out report.html');
  const dir = dirOf(options, io);
  const records = options.runs.map((r) => loadRun(dir, r, io.cwd).record);
  const file = path.resolve(io.cwd, options.out ?? 'report.html');
  if (existsSync(file) && options.force !== true) {
    throw new CliError('USAGE', `${file} exists; pass --force to overwrite it or choose another --out.`);
  }
  writeFileSync(file, renderReport(records, { tolerancePercent: tolerance(options.tolerancePercent) }));
  if (io.json) io.out(JSON.stringify({ file, runs: records.map((r) => r.id) }));
  else io.out(`wrote ${path.relative(io.cwd, file) || file} (${records.length} run(s))`);
  return file;
}
