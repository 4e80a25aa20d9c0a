import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTools, findOnPath, HOST_TOOLS, toolsRequired } from '../index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const vitestBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/** A PATH holding only the named executables (symlinks to the real ones, or fake scripts). */
function pathWith(names: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-tools-'));
  for (const name of names) {
    const real = findOnPath(name);
    if (real) symlinkSync(real, path.join(dir, name));
    else {
      writeFileSync(path.join(dir, name), '#!/bin/sh\nexit 0\n');
      chmodSync(path.join(dir, name), 0o755);
    }
  }
  return dir;
}

describe('checkTools', () => {
  it('finds a tool on PATH and names a missing one with its Debian package', () => {
    const env = { PATH: pathWith(['iperf3']) };
    expect(checkTools(['iperf3'], { env })).toMatchObject({ available: true, required: false, missing: [], message: '' });
    const r = checkTools(['iperf3', 'sar', 'mpstat', 'ss'], { env });
    expect(r.available).toBe(false);
    expect(r.missing.map((m) => [m.tool, m.debian])).toEqual([
      ['sar', 'sysstat'],
      ['mpstat', 'sysstat'],
      ['ss', 'iproute2'],
    ]);
    expect(r.message).toBe(
      'skipped: needs sar (not on PATH), mpstat (not on PATH), ss (not on PATH); install with: apt-get install -y sysstat iproute2 (ECS_PULSE_REQUIRE_TOOLS=1 makes this a failure)',
    );
  });

  it('does not take a directory or a non-executable file for a tool', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-tools-'));
    mkdirSync(path.join(dir, 'iperf3'));
    writeFileSync(path.join(dir, 'stress-ng'), 'not executable');
    expect(checkTools(['iperf3', 'stress-ng'], { env: { PATH: dir } }).missing.map((m) => m.tool)).toEqual(['iperf3', 'stress-ng']);
  });

  it('maps every tool the tests use to the Debian package .ci/run installs', () => {
    expect(HOST_TOOLS['chromium'].debian).toBe('chromium');
    expect(HOST_TOOLS['sockperf'].debian).toBe('sockperf');
    expect(HOST_TOOLS['tc'].debian).toBe('iproute2');
    expect(HOST_TOOLS['stress-ng'].debian).toBe('stress-ng');
    expect(HOST_TOOLS['shellcheck'].debian).toBe('shellcheck');
  });

  it('reads ECS_PULSE_REQUIRE_TOOLS=1 (or true) as required and says so in the message', () => {
    expect(toolsRequired({ ECS_PULSE_REQUIRE_TOOLS: '1' })).toBe(true);
    expect(toolsRequired({ ECS_PULSE_REQUIRE_TOOLS: 'true' })).toBe(true);
    expect(toolsRequired({ ECS_PULSE_REQUIRE_TOOLS: '0' })).toBe(false);
    expect(toolsRequired({})).toBe(false);
    const r = checkTools(['sockperf'], { env: { PATH: pathWith([]), ECS_PULSE_REQUIRE_TOOLS: '1' } });
    expect(r).toMatchObject({ available: false, required: true });
    expect(r.message).toContain('needs sockperf (not on PATH); install with: apt-get install -y sockperf');
  });
});

describe('needTools in a real vitest run (child process, PATH without iperf3 and sockperf)', () => {
  const runFixture = (extraEnv: Record<string, string>) =>
    spawnSync(process.execPath, [vitestBin, 'run', '--config', 'test/fixtures/vitest.fixture.config.ts'], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { PATH: pathWith(['bash']), HOME: process.env['HOME'] ?? '/tmp', NO_COLOR: '1', ...extraEnv },
      timeout: 60_000,
    });

  it('skips the gated tests with the tool and the package to install, runs the others, exits 0', () => {
    const r = runFixture({});
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).toContain('needs iperf3 (not on PATH), sockperf (not on PATH); install with: apt-get install -y iperf3 sockperf');
    expect(out).toMatch(/1 passed \| 1 skipped|1 skipped \| 1 passed|1 passed.*1 skipped/);
  });

  it('fails the run with the same reason when ECS_PULSE_REQUIRE_TOOLS=1', () => {
    const r = runFixture({ ECS_PULSE_REQUIRE_TOOLS: '1' });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(1);
    expect(out).toContain('a suite that runs iperf3: needs iperf3 (not on PATH), sockperf (not on PATH); install with: apt-get install -y iperf3 sockperf');
    expect(out).toMatch(/1 failed/);
  });
});
