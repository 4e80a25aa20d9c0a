import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseSockperf } from '../../src/parsers.js';
import { freePort, run } from '../helpers/tools.js';

// Own small skip check (the shared helper is being unified on another branch).
const missing = spawnSync('sockperf', ['--version'], { stdio: 'ignore' }).error !== undefined;
if (missing && process.env['ECS_PULSE_REQUIRE_TOOLS'] !== '1') {
  console.warn('[stress-host] skipping real sockperf tests: sockperf is not on PATH (install with: apt-get install -y sockperf).');
}

describe.runIf(!missing || process.env['ECS_PULSE_REQUIRE_TOOLS'] === '1')('Real sockperf on loopback', () => {
  it('has sockperf installed (required with ECS_PULSE_REQUIRE_TOOLS=1)', () => {
    expect(missing, 'install sockperf: apt-get install -y sockperf').toBe(false);
  });

  for (const tcp of [false, true]) {
    it(`ping-pong ${tcp ? 'TCP' : 'UDP'} parses with ordered percentiles`, async () => {
      const port = await freePort();
      const server = spawn('sockperf', ['server', '-i', '127.0.0.1', '-p', String(port), ...(tcp ? ['--tcp'] : [])], { stdio: 'ignore' });
      try {
        await new Promise((r) => setTimeout(r, 300));
        const out = await run('sockperf', ['ping-pong', '-i', '127.0.0.1', '-p', String(port), '-t', '1', ...(tcp ? ['--tcp'] : [])]);
        const r = parseSockperf(out.stdout + out.stderr);
        expect(r.protocol).toBe(tcp ? 'TCP' : 'UDP');
        expect(r.observations).toBeGreaterThan(10);
        expect(r.minUs).toBeLessThanOrEqual(r.p50Us);
        expect(r.p50Us).toBeLessThanOrEqual(r.p99Us);
        expect(r.p99Us).toBeLessThanOrEqual(r.maxUs);
      } finally {
        server.kill();
      }
    });
  }
});
