import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { CliError } from '../errors.js';
import { RUN_RECORD_JSON_SCHEMA, RUN_SCHEMA_VERSION, type RunRecord } from './record.js';

// The run store: one folder per run under the results folder (`--results` / ECS_PULSE_RESULTS,
// default ./ecs-pulse-results), each with result.json and the raw tool outputs it names.

/** The file every run folder has. @internal */
export const RESULT_FILE = 'result.json';

/** The results folder: `--results`, else ECS_PULSE_RESULTS, else `ecs-pulse-results` under cwd. @internal */
export function resultsDir(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const dir = option ?? (env.ECS_PULSE_RESULTS ? env.ECS_PULSE_RESULTS : undefined) ?? 'ecs-pulse-results';
  return path.resolve(cwd, dir);
}

let validator: ((value: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null } | undefined;

/** Check a parsed `result.json` against the schema; returns `path: message` issues (empty when valid). @internal */
export function runRecordIssues(value: unknown): string[] {
  if (validator === undefined) {
    // `format` keywords are annotations here (no ajv-formats): the dates are checked below.
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    validator = ajv.compile(RUN_RECORD_JSON_SCHEMA);
  }
  const issues: string[] = [];
  if (typeof value === 'object' && value !== null && 'schemaVersion' in value) {
    const v = (value as { schemaVersion: unknown }).schemaVersion;
    if (typeof v === 'number' && v > RUN_SCHEMA_VERSION) {
      return [`schemaVersion: ${v} is newer than this ecs-pulse reads (${RUN_SCHEMA_VERSION}); upgrade @ecs-pulse/cli`];
    }
  }
  if (!validator(value)) {
    for (const e of validator.errors ?? []) issues.push(`${e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)'}: ${e.message ?? 'invalid'}`);
  }
  if (issues.length === 0) {
    const r = value as RunRecord;
    for (const key of ['startedAt', 'endedAt'] as const) {
      if (Number.isNaN(Date.parse(r[key]))) issues.push(`${key}: must be an ISO 8601 date-time`);
    }
  }
  return issues;
}

/** A raw tool output to keep beside `result.json`. @internal */
export interface RawFile {
  readonly name: string;
  readonly content: string;
}

/**
 * Create the folder of a new run, `<dir>/<id>/` (`<id>-2`, `-3`… when a run of the same second has it):
 * never a folder that exists already. Returns the folder; its name is the run's id. @internal
 */
export function createRunFolder(dir: string, id: string): string {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n < 100; n++) {
    const folder = path.join(dir, n === 1 ? id : `${id}-${n}`);
    try {
      mkdirSync(folder); // not recursive: fails when it exists
      return folder;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new CliError('USAGE', `${path.join(dir, id)} and 98 more like it exist already; choose another --results folder.`);
}

/** Write `result.json` into a run's folder, naming every raw file in it; the record is checked first. @internal */
export function finishRun(folder: string, record: RunRecord): void {
  const issues = runRecordIssues(record);
  if (issues.length > 0) throw new CliError('RESULT_PARSE_FAILED', `The run record is not valid (a bug in ecs-pulse): ${issues.join('; ')}`);
  const names = [...new Set([...record.raw, ...readdirSync(folder).filter((f) => f !== RESULT_FILE)])].sort();
  writeFileSync(path.join(folder, RESULT_FILE), `${JSON.stringify({ ...record, raw: names }, null, 2)}\n`);
}

/**
 * Write a run into `<dir>/<record.id>/`: the raw files and `result.json` ({@link createRunFolder},
 * {@link finishRun}). @internal
 */
export function writeRun(dir: string, record: RunRecord, raw: readonly RawFile[] = []): string {
  const issues = runRecordIssues(record);
  if (issues.length > 0) throw new CliError('RESULT_PARSE_FAILED', `The run record is not valid (a bug in ecs-pulse): ${issues.join('; ')}`);
  for (const f of raw) {
    if (f.name !== path.basename(f.name) || f.name === RESULT_FILE) throw new CliError('USAGE', `Raw file name ${JSON.stringify(f.name)} is not a plain file name.`);
  }
  if (existsSync(path.join(dir, record.id))) {
    throw new CliError('USAGE', `${path.join(dir, record.id)} exists already; ecs-pulse writes each run into a new folder. Choose another --results folder or remove it.`);
  }
  const folder = createRunFolder(dir, record.id);
  for (const f of raw) writeFileSync(path.join(folder, f.name), f.content);
  finishRun(folder, record);
  return folder;
}

/** A stored run and where it lives. @internal */
export interface StoredRun {
  readonly folder: string;
  readonly record: RunRecord;
}

function readRecord(file: string): RunRecord {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError('RESULT_PARSE_FAILED', `${file} is not readable JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const issues = runRecordIssues(value);
  if (issues.length > 0) throw new CliError('RESULT_PARSE_FAILED', `${file} is not an ecs-pulse run record: ${issues.slice(0, 5).join('; ')}`);
  return value as RunRecord;
}

/**
 * Every run in the results folder, oldest first (by start time). Folders without a valid
 * `result.json` are reported through `skipped`, not thrown.
 * @internal
 */
export function listRuns(dir: string): { runs: StoredRun[]; skipped: Array<{ folder: string; reason: string }> } {
  const runs: StoredRun[] = [];
  const skipped: Array<{ folder: string; reason: string }> = [];
  if (!existsSync(dir)) return { runs, skipped };
  for (const name of readdirSync(dir).sort()) {
    const folder = path.join(dir, name);
    const file = path.join(folder, RESULT_FILE);
    if (!statSync(folder).isDirectory() || !existsSync(file)) continue;
    try {
      runs.push({ folder, record: readRecord(file) });
    } catch (e) {
      skipped.push({ folder, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  runs.sort((a, b) => a.record.startedAt.localeCompare(b.record.startedAt) || a.record.id.localeCompare(b.record.id));
  return { runs, skipped };
}

/**
 * Find one run: a run id, a unique prefix of one, `latest`/`previous`, a run folder or a
 * `result.json` path.
 * @internal
 */
export function loadRun(dir: string, ref: string, cwd: string): StoredRun {
  const asPath = path.resolve(cwd, ref);
  if (existsSync(asPath)) {
    const file = statSync(asPath).isDirectory() ? path.join(asPath, RESULT_FILE) : asPath;
    if (!existsSync(file)) throw new CliError('FILE_NOT_FOUND', `${ref} has no ${RESULT_FILE}.`);
    return { folder: path.dirname(file), record: readRecord(file) };
  }
  const { runs } = listRuns(dir);
  if (ref === 'latest' || ref === 'previous') {
    const run = runs[runs.length - (ref === 'latest' ? 1 : 2)];
    if (run === undefined) throw new CliError('FILE_NOT_FOUND', `No ${ref} run in ${dir}: it holds ${runs.length} run(s).`);
    return run;
  }
  const exact = runs.find((r) => r.record.id === ref);
  if (exact) return exact;
  const matches = runs.filter((r) => r.record.id.startsWith(ref));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) {
    throw new CliError('USAGE', `${ref} matches ${matches.length} runs (${matches.map((m) => m.record.id).join(', ')}); give more of the id.`);
  }
  throw new CliError('FILE_NOT_FOUND', `No run ${JSON.stringify(ref)} in ${dir}. List them with: ecs-pulse runs list`);
}

/** The latest run before `record` of the same kind and stack, for "compared with the previous run". @internal */
export function previousRun(dir: string, record: RunRecord): StoredRun | undefined {
  const earlier = listRuns(dir).runs.filter(
    (r) => r.record.id !== record.id && r.record.kind === record.kind && r.record.stack === record.stack && r.record.startedAt < record.startedAt,
  );
  return earlier[earlier.length - 1];
}
