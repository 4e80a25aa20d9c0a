import { isMap, isSeq, parseDocument } from 'yaml';
import { ResultParseError } from './errors.js';
import type { SafeParseResult, StressNgMetric, StressNgResult, StressNgTimes } from './types.js';

type Strings = Record<string, unknown>;

const RUN_WITH_YAML =
  'Run stress-ng with --metrics-brief (or --metrics) and --yaml <file>, then pass the content of that file.';

/** Known metric keys; everything else in a metrics entry goes to `extra`. */
const METRIC_KEYS = new Set([
  'stressor',
  'bogo-ops',
  'bogo-ops-per-second-real-time',
  'bogo-ops-per-second-usr-sys-time',
  'wall-clock-time',
  'user-time',
  'system-time',
  'cpu-usage-per-instance',
  'max-rss',
]);

/** A number as stress-ng prints it: `%f`, `%e` (with --sn), an integer, or C's `nan`/`inf`. */
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Parse the file stress-ng writes with `--yaml <file>` (stress-ng 0.15–0.17, with `--metrics-brief` or
 * `--metrics`) into a {@link StressNgResult}.
 *
 * The YAML is read with the failsafe schema, so every scalar starts as text: `date-yyyy-mm-dd: 2026:11:24`
 * stays `"2026:11:24"` (a YAML 1.1 reader would turn it into the number 7294284), the version stays
 * `"0.15.06"`, and numbers are converted field by field. C's `nan`/`inf` become `NaN`/`Infinity`.
 *
 * @param yaml - the content of the `--yaml` file
 * @returns the normalized result
 * @throws {@link ResultParseError} with code `INVALID_INPUT`, `INVALID_YAML`, `MISSING_METRICS` or
 *   `INVALID_STRESS_NG_RESULT`
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { parseStressNg } from '@ecs-pulse/stress-host';
 *
 * // stress-ng --cpu 1 --vm 1 --vm-bytes 32M -t 60 --metrics-brief --yaml out.yaml
 * const r = parseStressNg(readFileSync('out.yaml', 'utf8'));
 * for (const m of r.metrics) console.log(m.stressor, m.bogoOpsPerSecondReal.toFixed(1));
 * ```
 */
export function parseStressNg(yaml: string): StressNgResult {
  if (typeof yaml !== 'string') {
    throw new ResultParseError(
      'INVALID_INPUT',
      `parseStressNg expects the YAML as a string, got ${yaml === null ? 'null' : typeof yaml}. ` +
        'Read the --yaml file as UTF-8 text first.',
    );
  }
  if (yaml.trim() === '') {
    throw new ResultParseError('INVALID_INPUT', `parseStressNg got empty input: the YAML file is empty. ${RUN_WITH_YAML}`);
  }
  if (/^stress-ng: (?:info|metrc|warn|fail|error|debug):/m.test(yaml)) {
    throw new ResultParseError(
      'INVALID_YAML',
      "This is stress-ng's text output (lines starting with \"stress-ng: info:\"), not its YAML. " + RUN_WITH_YAML,
    );
  }

  const root = readYaml(yaml);
  const systemInfo = root['system-info'] === undefined ? {} : stringMap(root['system-info'], 'system-info');
  const metricsValue = root['metrics'];
  if (metricsValue === undefined) {
    throw new ResultParseError(
      'MISSING_METRICS',
      `The stress-ng YAML has no "metrics" section: stress-ng writes it only with --metrics-brief or --metrics. ${RUN_WITH_YAML}`,
    );
  }
  if (metricsValue === '' || (Array.isArray(metricsValue) && metricsValue.length === 0)) {
    throw new ResultParseError(
      'MISSING_METRICS',
      'The stress-ng YAML has an empty "metrics" section: no stressor completed any bogo operation. ' +
        'Check the stress-ng exit code and its log (2 = a stressor failed, 3 = not enough resources), then run it again.',
    );
  }
  if (!Array.isArray(metricsValue)) {
    throw new ResultParseError(
      'INVALID_STRESS_NG_RESULT',
      `metrics is not a list. ${RUN_WITH_YAML}`,
    );
  }

  const result: Mutable<StressNgResult> = {
    systemInfo,
    metrics: metricsValue.map((entry, index) => parseMetric(entry, `metrics[${index}]`)),
  };
  const text = (key: string): string | undefined => (systemInfo[key] === '' ? undefined : systemInfo[key]);
  const version = text('stress-ng-version');
  if (version !== undefined) result.version = version;
  const hostname = text('hostname');
  if (hostname !== undefined) result.hostname = hostname;
  const date = text('date-yyyy-mm-dd');
  if (date !== undefined) result.date = date;
  const time = text('time-hh-mm-ss');
  if (time !== undefined) result.time = time;
  const epoch = optionalNumber(systemInfo, 'epoch-secs', 'system-info');
  if (epoch !== undefined) result.epochSeconds = epoch;
  const cpus = optionalNumber(systemInfo, 'cpus', 'system-info');
  if (cpus !== undefined) result.cpus = cpus;
  const cpusOnline = optionalNumber(systemInfo, 'cpus-online', 'system-info');
  if (cpusOnline !== undefined) result.cpusOnline = cpusOnline;

  if (root['times'] !== undefined && root['times'] !== '') {
    result.times = parseTimes(stringMap(root['times'], 'times'));
  }
  return result;
}

/**
 * Like {@link parseStressNg}, but returns `{ success: false, error }` instead of throwing.
 *
 * @param yaml - the content of the `--yaml` file
 * @returns `{ success: true, data }` or `{ success: false, error }` with a {@link ResultParseError}
 *
 * @example
 * ```ts
 * const r = safeParseStressNg(text);
 * if (r.success) console.table(r.data.metrics);
 * else console.error(r.error.code, r.error.message);
 * ```
 */
export function safeParseStressNg(yaml: string): SafeParseResult<StressNgResult> {
  try {
    return { success: true, data: parseStressNg(yaml) };
  } catch (error) {
    if (ResultParseError.isResultParseError(error)) return { success: false, error };
    throw error;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readYaml(yaml: string): Strings {
  let doc: ReturnType<typeof parseDocument>;
  let root: unknown;
  try {
    doc = parseDocument(yaml, { schema: 'failsafe', uniqueKeys: false });
    root = doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw new ResultParseError(
      'INVALID_YAML',
      `The stress-ng output could not be read as YAML (${firstLine(cause)}). ${RUN_WITH_YAML}`,
      { cause },
    );
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new ResultParseError(
      'INVALID_YAML',
      `The stress-ng output is not valid YAML: ${firstLine(first)}. ${RUN_WITH_YAML}`,
      { cause: first },
    );
  }
  if (!isMap(doc.contents) || typeof root !== 'object' || root === null) {
    throw new ResultParseError(
      'INVALID_STRESS_NG_RESULT',
      `The YAML document is ${isSeq(doc.contents) ? 'a list' : 'not a mapping'}; stress-ng --yaml writes a mapping ` +
        `with system-info and metrics. ${RUN_WITH_YAML}`,
    );
  }
  return root as Strings;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? 'unknown error';
}

function parseMetric(entry: unknown, path: string): StressNgMetric {
  const m = stringMap(entry, path);
  const stressor = m['stressor'];
  if (stressor === undefined || stressor === '') {
    throw new ResultParseError('INVALID_STRESS_NG_RESULT', `${path}.stressor is missing. ${RUN_WITH_YAML}`);
  }
  const metric: Mutable<StressNgMetric> = {
    stressor,
    bogoOps: requiredNumber(m, 'bogo-ops', path),
    bogoOpsPerSecondReal: requiredNumber(m, 'bogo-ops-per-second-real-time', path),
    bogoOpsPerSecondUsrSys: requiredNumber(m, 'bogo-ops-per-second-usr-sys-time', path),
    wallClockSeconds: requiredNumber(m, 'wall-clock-time', path),
    userTimeSeconds: requiredNumber(m, 'user-time', path),
    systemTimeSeconds: requiredNumber(m, 'system-time', path),
    extra: {},
  };
  const cpu = optionalNumber(m, 'cpu-usage-per-instance', path);
  if (cpu !== undefined) metric.cpuUsagePerInstancePercent = cpu;
  const rss = optionalNumber(m, 'max-rss', path);
  if (rss !== undefined) metric.maxRssKiB = rss;
  const extra: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(m)) {
    if (METRIC_KEYS.has(key)) continue;
    const n = toNumber(value);
    extra[key] = n ?? value;
  }
  metric.extra = extra;
  return metric;
}

function parseTimes(t: Record<string, string>): StressNgTimes {
  const times: Mutable<StressNgTimes> = {
    runTimeSeconds: requiredNumber(t, 'run-time', 'times'),
    availableCpuTimeSeconds: requiredNumber(t, 'available-cpu-time', 'times'),
    userTimeSeconds: requiredNumber(t, 'user-time', 'times'),
    systemTimeSeconds: requiredNumber(t, 'system-time', 'times'),
    totalTimeSeconds: requiredNumber(t, 'total-time', 'times'),
    userTimePercent: requiredNumber(t, 'user-time-percent', 'times'),
    systemTimePercent: requiredNumber(t, 'system-time-percent', 'times'),
    totalTimePercent: requiredNumber(t, 'total-time-percent', 'times'),
  };
  const l1 = optionalNumber(t, 'load-average-1-minute', 'times');
  if (l1 !== undefined) times.loadAverage1m = l1;
  const l5 = optionalNumber(t, 'load-average-5-minute', 'times');
  if (l5 !== undefined) times.loadAverage5m = l5;
  const l15 = optionalNumber(t, 'load-average-15-minute', 'times');
  if (l15 !== undefined) times.loadAverage15m = l15;
  return times;
}

/** A mapping whose values are all scalars (strings under the failsafe schema). */
function stringMap(value: unknown, path: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map) {
    throw new ResultParseError(
      'INVALID_STRESS_NG_RESULT',
      `${path} is ${value === undefined ? 'missing' : Array.isArray(value) ? 'a list' : `"${String(value).slice(0, 40)}"`}, ` +
        `expected a mapping. ${RUN_WITH_YAML}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Strings)) {
    if (typeof v !== 'string') {
      throw new ResultParseError(
        'INVALID_STRESS_NG_RESULT',
        `${path}.${key} is ${Array.isArray(v) ? 'a list' : 'a mapping'}, expected a single value. ${RUN_WITH_YAML}`,
      );
    }
    out[key] = v;
  }
  return out;
}

function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t);
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '-nan' || lower === '+nan') return Number.NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  return undefined;
}

function optionalNumber(map: Record<string, string>, key: string, path: string): number | undefined {
  const raw = map[key];
  if (raw === undefined || raw === '') return undefined;
  const n = toNumber(raw);
  if (n === undefined) {
    throw new ResultParseError(
      'INVALID_STRESS_NG_RESULT',
      `${path}.${key} is "${raw.slice(0, 40)}", expected a number. ${RUN_WITH_YAML}`,
    );
  }
  return n;
}

function requiredNumber(map: Record<string, string>, key: string, path: string): number {
  const n = optionalNumber(map, key, path);
  if (n === undefined) {
    throw new ResultParseError(
      'INVALID_STRESS_NG_RESULT',
      `${path}.${key} is missing; stress-ng 0.15–0.17 writes it for every stressor. ${RUN_WITH_YAML}`,
    );
  }
  return n;
}
