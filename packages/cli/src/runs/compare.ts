import { figuresOf, type Figure } from './figures.js';
import type { RunRecord } from './record.js';

/**
 * How a figure changed from run A to run B.
 *
 * @example
 * ```ts
 * import type { Verdict } from '@ecs-pulse/cli';
 * const bad = (v: Verdict) => v === 'worse';
 * ```
 */
export type Verdict = 'better' | 'worse' | 'same' | 'only-a' | 'only-b' | 'incomparable';

/**
 * One row of a comparison.
 *
 * @example
 * ```ts
 * import type { ComparisonRow } from '@ecs-pulse/cli';
 * const line = (r: ComparisonRow) => `${r.label}: ${r.a} -> ${r.b} (${r.changePercent} %) ${r.verdict}`;
 * ```
 */
export interface ComparisonRow {
  readonly key: string;
  readonly label: string;
  readonly unit: Figure['unit'];
  readonly better: Figure['better'];
  /** @default - absent from run A */
  readonly a?: number;
  /** @default - absent from run B */
  readonly b?: number;
  /** (b - a) / a in %, rounded to 0.1. @default - not computable (absent, or a = 0) */
  readonly changePercent?: number;
  readonly verdict: Verdict;
}

/**
 * The comparison of two runs (`ecs-pulse runs compare a b --json`).
 *
 * @example
 * ```ts
 * import type { RunComparison } from '@ecs-pulse/cli';
 * const failed = (c: RunComparison) => c.regressions > 0;
 * ```
 */
export interface RunComparison {
  readonly a: string;
  readonly b: string;
  readonly tolerancePercent: number;
  /** What differs between the two runs' set-ups (instance types, zones, tool versions, kind, options). */
  readonly differences: readonly string[];
  readonly rows: readonly ComparisonRow[];
  /** Rows with verdict `worse`. */
  readonly regressions: number;
}

/** The default tolerance within which a change counts as `same`, in %. @internal */
export const DEFAULT_TOLERANCE_PERCENT = 5;

function describeHosts(r: RunRecord, pick: (h: RunRecord['hosts'][number]) => string | undefined): string {
  return r.hosts.map((h) => `${h.role} ${pick(h) ?? '?'}`).join(', ');
}

/** What differs between two runs' set-ups, one sentence each. @internal */
export function setupDifferences(a: RunRecord, b: RunRecord): string[] {
  const out: string[] = [];
  if (a.kind !== b.kind) out.push(`kind: ${a.kind} vs ${b.kind}`);
  if (a.region !== b.region) out.push(`region: ${a.region} vs ${b.region}`);
  const types = [describeHosts(a, (h) => h.instanceType), describeHosts(b, (h) => h.instanceType)];
  if (types[0] !== types[1]) out.push(`instance types: ${types[0]} vs ${types[1]}`);
  const zones = [describeHosts(a, (h) => h.zone), describeHosts(b, (h) => h.zone)];
  if (zones[0] !== zones[1]) out.push(`zones: ${zones[0]} vs ${zones[1]}`);
  for (const tool of [...new Set([...Object.keys(a.tools), ...Object.keys(b.tools)])].sort()) {
    if (a.tools[tool] !== b.tools[tool]) out.push(`${tool} version: ${a.tools[tool] ?? 'none'} vs ${b.tools[tool] ?? 'none'}`);
  }
  for (const opt of [...new Set([...Object.keys(a.options), ...Object.keys(b.options)])].sort()) {
    const [x, y] = [JSON.stringify(a.options[opt]), JSON.stringify(b.options[opt])];
    if (x !== y) out.push(`option ${opt}: ${x ?? 'unset'} vs ${y ?? 'unset'}`);
  }
  return out;
}

function verdictOf(f: Figure, change: number, tolerance: number): Verdict {
  if (Math.abs(change) <= tolerance) return 'same';
  const up = change > 0;
  return up === (f.better === 'higher') ? 'better' : 'worse';
}

/**
 * Compare every figure of run B with run A: the two values, the change in % and a verdict
 * (`same` within `tolerancePercent`; for latency and loss lower is better).
 *
 * @example
 * ```ts
 * import { compareRuns, type RunRecord } from '@ecs-pulse/cli';
 * declare const before: RunRecord, after: RunRecord;
 * const c = compareRuns(before, after, { tolerancePercent: 3 });
 * if (c.regressions > 0) process.exitCode = 1;
 * ```
 */
export function compareRuns(a: RunRecord, b: RunRecord, options: { readonly tolerancePercent?: number } = {}): RunComparison {
  const tolerance = options.tolerancePercent ?? DEFAULT_TOLERANCE_PERCENT;
  const fa = new Map(figuresOf(a).map((f) => [f.key, f]));
  const fb = new Map(figuresOf(b).map((f) => [f.key, f]));
  const keys = [...fa.keys(), ...[...fb.keys()].filter((k) => !fa.has(k))];
  const rows = keys.map((key): ComparisonRow => {
    const x = fa.get(key);
    const y = fb.get(key);
    const f = (x ?? y) as Figure;
    const base = { key, label: f.label, unit: f.unit, better: f.better };
    if (x === undefined) return { ...base, b: y?.value, verdict: 'only-b' };
    if (y === undefined) return { ...base, a: x.value, verdict: 'only-a' };
    if (x.unit !== y.unit) return { ...base, a: x.value, b: y.value, verdict: 'incomparable' };
    if (x.value === 0) return { ...base, a: 0, b: y.value, verdict: y.value === 0 ? 'same' : 'incomparable' };
    const change = Math.round(((y.value - x.value) / Math.abs(x.value)) * 1000) / 10;
    return { ...base, a: x.value, b: y.value, changePercent: change, verdict: verdictOf(f, change, tolerance) };
  });
  return {
    a: a.id,
    b: b.id,
    tolerancePercent: tolerance,
    differences: setupDifferences(a, b),
    rows,
    regressions: rows.filter((r) => r.verdict === 'worse').length,
  };
}
