import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../../src/errors.js';
import { compareRuns } from '../../src/runs/compare.js';
import { exportRun, pkbSamples } from '../../src/runs/export.js';
import { figuresOf } from '../../src/runs/figures.js';
import type { RunRecord } from '../../src/runs/record.js';
import { listRuns, loadRun, previousRun, resultsDir, runRecordIssues, writeRun } from '../../src/runs/store.js';
import { runsCompare, runsExport, runsList, runsShow } from '../../src/commands/runs.js';
import { testIo } from '../helpers/io.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'runs');
const load = (id: string): RunRecord => JSON.parse(readFileSync(path.join(FIXTURES, id, 'result.json'), 'utf8')) as RunRecord;
const BASE = 'net-20261201T100000Z';
const SLOWER = 'net-20261202T100000Z';
const OTHER_TYPE = 'net-20261203T100000Z';
const STRESS = 'stress-20261201T110000Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-pulse-runs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Schema: run record', () => {
  it('accepts every fixture run', () => {
    for (const id of [BASE, SLOWER, OTHER_TYPE, STRESS]) expect(runRecordIssues(load(id)), id).toEqual([]);
  });
  it('names each problem by path', () => {
    const bad = { ...load(BASE), kind: 'disk', hosts: [{ role: 'server' }] } as unknown;
    const issues = runRecordIssues(bad);
    expect(issues).toEqual(expect.arrayContaining([expect.stringMatching(/^kind: /), expect.stringMatching(/^hosts\.0: .*instanceId/)]));
  });
  it('refuses a newer schema version with an upgrade hint', () => {
    expect(runRecordIssues({ ...load(BASE), schemaVersion: 2 })).toEqual([expect.stringContaining('upgrade @ecs-pulse/cli')]);
  });
  it('refuses dates that are not dates', () => {
    expect(runRecordIssues({ ...load(BASE), startedAt: 'yesterday' })).toEqual(['startedAt: must be an ISO 8601 date-time']);
  });
});

describe('Method: store', () => {
  it('resolves the folder from --results, then ECS_PULSE_RESULTS, then the default', () => {
    expect(resultsDir('r', { ECS_PULSE_RESULTS: '/x' }, '/cwd')).toBe(path.resolve('/cwd/r'));
    expect(resultsDir(undefined, { ECS_PULSE_RESULTS: '/x' }, '/cwd')).toBe('/x');
    expect(resultsDir(undefined, {}, '/cwd')).toBe(path.resolve('/cwd/ecs-pulse-results'));
  });

  it('writes result.json and the raw files into a new folder and lists them', () => {
    const record = { ...load(BASE), raw: [] };
    const folder = writeRun(dir, record, [{ name: 'i-client0001-up.json', content: '{"end":{}}' }]);
    expect(folder).toBe(path.join(dir, BASE));
    const stored = JSON.parse(readFileSync(path.join(folder, 'result.json'), 'utf8')) as RunRecord;
    expect(stored.raw).toEqual(['i-client0001-up.json']);
    expect(readFileSync(path.join(folder, 'i-client0001-up.json'), 'utf8')).toBe('{"end":{}}');
    expect(listRuns(dir).runs.map((r) => r.record.id)).toEqual([BASE]);
  });

  it('never writes into an existing folder', () => {
    mkdirSync(path.join(dir, BASE));
    writeFileSync(path.join(dir, BASE, 'mine.txt'), 'keep');
    expect(() => writeRun(dir, load(BASE))).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('exists already') }));
    expect(readFileSync(path.join(dir, BASE, 'mine.txt'), 'utf8')).toBe('keep');
    expect(existsSync(path.join(dir, BASE, 'result.json'))).toBe(false);
  });

  it('refuses an invalid record and raw names with a path', () => {
    expect(() => writeRun(dir, { ...load(BASE), region: 3 } as unknown as RunRecord)).toThrow(/region: must be string/);
    expect(() => writeRun(dir, load(BASE), [{ name: '../x', content: '' }])).toThrow(/not a plain file name/);
  });

  it('finds runs by id, prefix, latest/previous, folder and file; lists skipped folders', () => {
    cpSync(FIXTURES, dir, { recursive: true });
    mkdirSync(path.join(dir, 'broken'));
    writeFileSync(path.join(dir, 'broken', 'result.json'), '{"schemaVersion":1}');
    const { runs, skipped } = listRuns(dir);
    expect(runs.map((r) => r.record.id)).toEqual([BASE, STRESS, SLOWER, OTHER_TYPE]);
    expect(skipped).toEqual([expect.objectContaining({ folder: path.join(dir, 'broken') })]);
    expect(loadRun(dir, SLOWER, '/').record.id).toBe(SLOWER);
    expect(loadRun(dir, 'stress-', '/').record.id).toBe(STRESS);
    expect(loadRun(dir, 'latest', '/').record.id).toBe(OTHER_TYPE);
    expect(loadRun(dir, 'previous', '/').record.id).toBe(SLOWER);
    expect(loadRun(dir, path.join(dir, BASE), '/').record.id).toBe(BASE);
    expect(loadRun(dir, path.join(dir, BASE, 'result.json'), '/').record.id).toBe(BASE);
    expect(() => loadRun(dir, 'net-', '/')).toThrow(/matches 3 runs/);
    expect(() => loadRun(dir, 'nope', '/')).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
    expect(previousRun(dir, load(OTHER_TYPE))?.record.id).toBe(SLOWER);
    expect(previousRun(dir, load(BASE))).toBeUndefined();
  });
});

describe('Method: compareRuns', () => {
  it('flags a regression figure by figure; lower latency is better', () => {
    const c = compareRuns(load(BASE), load(SLOWER));
    const row = (key: string) => c.rows.find((r) => r.key === key);
    expect(row('bandwidth.aggregate.up')).toMatchObject({ verdict: 'worse' });
    expect(row('bandwidth.aggregate.up')?.changePercent).toBeCloseTo(-20, 0);
    expect(row('latency.client-1.p99')).toMatchObject({ verdict: 'worse' });
    expect((row('latency.client-1.p99')?.changePercent ?? 0) > 5).toBe(true);
    expect(row('pps.loss')).toMatchObject({ verdict: 'same', changePercent: 0 });
    expect(c.regressions).toBe(c.rows.filter((r) => r.verdict === 'worse').length);
    expect(c.regressions).toBeGreaterThan(10);
    expect(c.differences).toEqual([]);
    // the other way round the same figures are better
    const back = compareRuns(load(SLOWER), load(BASE));
    expect(back.rows.find((r) => r.key === 'latency.client-1.p99')?.verdict).toBe('better');
  });

  it('counts a change within the tolerance as same', () => {
    const c = compareRuns(load(BASE), load(SLOWER), { tolerancePercent: 50 });
    expect(c.regressions).toBe(0);
    expect(c.rows.every((r) => r.verdict === 'same')).toBe(true);
  });

  it('says when the runs are not like for like', () => {
    const c = compareRuns(load(BASE), load(OTHER_TYPE));
    expect(c.differences).toEqual(
      expect.arrayContaining([expect.stringMatching(/^instance types: .*ecs\.g7\.large.* vs .*ecs\.g8i\.large/), 'iperf3 version: 3.12 vs 3.16']),
    );
    const kinds = compareRuns(load(BASE), load(STRESS));
    expect(kinds.differences[0]).toBe('kind: net vs stress');
    expect(kinds.rows.some((r) => r.verdict === 'only-a') && kinds.rows.some((r) => r.verdict === 'only-b')).toBe(true);
  });

  it('names clients by position so runs on new instances compare', () => {
    const renamed = JSON.parse(JSON.stringify(load(BASE)).replace(/i-client0001/g, 'i-newclient1')) as RunRecord;
    const c = compareRuns(load(BASE), renamed);
    expect(c.rows.every((r) => r.verdict === 'same')).toBe(true);
  });
});

describe('Method: exports', () => {
  it('writes PKB samples, one JSON per line', () => {
    const text = exportRun(load(BASE), 'pkb');
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(figuresOf(load(BASE)).length);
    for (const s of lines) expect(Object.keys(s).sort()).toEqual(['metadata', 'metric', 'official', 'owner', 'product_name', 'run_uri', 'sample_uri', 'timestamp', 'unit', 'value']);
    const thr = lines.find((s) => s.metric === 'Aggregate Throughput' && (s.metadata as { direction: string }).direction === 'up');
    expect(thr).toMatchObject({ unit: 'Mbits/sec', run_uri: BASE, timestamp: Date.parse('2026-12-01T10:01:10Z') / 1000 });
    expect(thr?.metadata).toMatchObject({ server_machine_type: 'ecs.g7.large', iperf3_version: '3.12', region: 'cn-hangzhou' });
    expect(lines.find((s) => s.metric === 'UDP_RR_Latency_p99')).toMatchObject({ unit: 'us', value: 61.7 });
    expect(pkbSamples(load(STRESS)).map((s) => [s.metric, s.unit])).toEqual([['cpu', 'bogus_ops_sec_per_vcpu'], ['vm', 'bogus_ops_sec_per_vcpu']]);
  });

  it('writes CSV with a header and quoted cells, and JSON lines', () => {
    const csv = exportRun(load(BASE), 'csv').trimEnd().split('\n');
    expect(csv[0]).toBe('run,kind,ended_at,key,label,value,unit,better');
    expect(csv).toHaveLength(figuresOf(load(BASE)).length + 1);
    const comma = { ...load(STRESS), stress: { hosts: [{ instanceId: 'i-1', stressors: [{ stressor: 'a,"b"', bogoOps: 1, bogoOpsPerSecond: 2 }] }] } } as RunRecord;
    expect(exportRun(comma, 'csv')).toContain('"stress host 0 a,""b"""');
    const jsonl = exportRun(load(BASE), 'jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as { key: string; run: string });
    expect(jsonl[0]).toMatchObject({ run: BASE, key: 'bandwidth.client-1.up' });
  });
});

describe('Commands: runs list/show/compare/export', () => {
  beforeEach(() => cpSync(FIXTURES, dir, { recursive: true }));

  it('lists runs as a table and as JSON', async () => {
    const io = testIo({}, dir);
    await runsList({ ...io, results: dir });
    expect(io.stdout.text()).toMatch(/net-20261201T100000Z\s+net\s+ecs-pulse\s+cn-hangzhou/);
    const j = testIo({ ECS_PULSE_RESULTS: dir }, '/');
    const entries = await runsList({ ...j, json: true });
    expect(JSON.parse(j.stdout.text())).toEqual(JSON.parse(JSON.stringify(entries)));
    expect(entries.map((e) => e.id)).toHaveLength(4);
  });

  it('shows one run', async () => {
    const io = testIo({}, dir);
    await runsShow({ ...io, results: dir, run: BASE });
    expect(io.stdout.text()).toContain('bandwidth aggregate up');
    expect(io.stdout.text()).toContain('warning: server CPU was 93.2 %');
  });

  it('prints the comparison and fails on regression only when asked', async () => {
    const io = testIo({}, dir);
    const c = await runsCompare({ ...io, results: dir, a: BASE, b: SLOWER });
    expect(c.regressions).toBeGreaterThan(0);
    expect(io.stdout.text()).toMatch(/bandwidth aggregate up\s+\S+ Mbit\/s\s+\S+ Mbit\/s\s+-20\.\d %\s+▼ worse/);
    const err = await runsCompare({ ...testIo({}, dir), results: dir, a: BASE, b: SLOWER, failOnRegression: true }).catch((e: unknown) => e);
    expect(CliError.isCliError(err) && err.exitCode).toBe(1);
    await expect(runsCompare({ ...testIo({}, dir), results: dir, a: BASE, b: BASE, failOnRegression: true })).resolves.toMatchObject({ regressions: 0 });
    await expect(runsCompare({ ...testIo({}, dir), results: dir, a: BASE, b: SLOWER, tolerancePercent: -1 })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('prints the header for a mismatched comparison', async () => {
    const io = testIo({}, dir);
    await runsCompare({ ...io, results: dir, a: BASE, b: OTHER_TYPE });
    expect(io.stdout.text()).toContain('not like for like: instance types:');
  });

  it('exports to stdout or a new file, never over an existing one', async () => {
    const io = testIo({}, dir);
    await runsExport({ ...io, results: dir, run: BASE, format: 'csv' });
    expect(io.stdout.text().split('\n')[0]).toBe('run,kind,ended_at,key,label,value,unit,better');
    const out = path.join(dir, 'samples.json');
    await runsExport({ ...testIo({}, dir), results: dir, run: BASE, out: 'samples.json' });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('"product_name":"ecs-pulse"');
    await expect(runsExport({ ...testIo({}, dir), results: dir, run: BASE, out: 'samples.json' })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(runsExport({ ...testIo({}, dir), results: dir, run: BASE, format: 'xml' })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('Schema file', () => {
  it('ships schemas/run-record-v1.json equal to RUN_RECORD_JSON_SCHEMA', async () => {
    const { RUN_RECORD_JSON_SCHEMA } = await import('../../src/runs/record.js');
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'run-record-v1.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(RUN_RECORD_JSON_SCHEMA)));
  });
});
