import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `runs` and `report` as a user runs them: the built bin in a new process.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.join(HERE, '..', '..', 'bin', 'ecs-pulse.js');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-pulse-runs-bin-'));
  cpSync(path.join(HERE, '..', 'fixtures', 'runs'), path.join(dir, 'ecs-pulse-results'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ECS_PULSE_RESULTS: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('ecs-pulse runs / report (process)', () => {
  it('lists the runs of ./ecs-pulse-results as JSON', () => {
    const r = run('runs', 'list', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Array<{ id: string }>).map((e) => e.id)).toEqual([
      'net-20261201T100000Z',
      'stress-20261201T110000Z',
      'net-20261202T100000Z',
      'net-20261203T100000Z',
    ]);
  });

  it('exits 1 with --fail-on-regression when a figure is worse, 0 without it', () => {
    expect(run('runs', 'compare', 'net-20261201', 'net-20261202').code).toBe(0);
    const r = run('runs', 'compare', 'net-20261201', 'net-20261202', '--fail-on-regression');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/latency client 1 p99\s+61\.7 µs\s+80\.2 µs\s+\+30\.0 %\s+▼ worse/);
    expect(r.err).toMatch(/figure\(s\) of net-20261202T100000Z are worse than net-20261201T100000Z beyond 5 %/);
    expect(run('runs', 'compare', 'net-20261201', 'net-20261202', '--fail-on-regression', '--tolerance', '40').code).toBe(0);
  });

  it('prints the comparison as JSON', () => {
    const r = run('runs', 'compare', 'net-20261201', 'net-20261203', '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out) as { differences: string[]; regressions: number };
    expect(c.differences).toContain('iperf3 version: 3.12 vs 3.16');
    expect(c.regressions).toBe(0);
  });

  it('is a usage error (exit 2) to give the wrong number of runs or an unknown action', () => {
    expect(run('runs', 'show').code).toBe(2);
    expect(run('runs', 'compare', 'latest').code).toBe(2);
    expect(run('runs', 'delete', 'latest').code).toBe(2);
    expect(run('runs', 'export', 'latest', '--format', 'xml').code).toBe(2);
  });

  it('exports PKB samples and writes a report', () => {
    const pkb = run('runs', 'export', 'stress-', '--format', 'pkb');
    expect(pkb.code).toBe(0);
    expect(pkb.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as { metric: string }).metric)).toEqual(['cpu', 'vm']);
    const rep = run('report', 'previous', 'latest', '--out', 'report.html');
    expect(rep.code).toBe(0);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('net-20261202T100000Z → net-20261203T100000Z');
    expect(run('report', 'latest', '--out', 'report.html').code).toBe(2);
  });
});
