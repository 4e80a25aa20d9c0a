// The network testbed bench: one server + three clients as network namespaces, the server's link capped
// with tc tbf, the ECS OpenAPI double running each Cloud Assistant script in its namespace, and the built
// `ecs-pulse` bin as a process. Figures: achieved/cap of the concurrent bandwidth aggregate (target >= 0.9)
// and the CLI's wall time on a 10-second test (target <= test time + 5 s with the double's polling).
// Needs root, iproute2, iperf3, sockperf; without them it records a skip (a failure with ECS_PULSE_REQUIRE_TOOLS=1).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloudEnv } from '../test/helpers/cloud-env.js';
import { OpenApiDouble } from '../test/helpers/openapi-double.js';
import { createTestbed, testbedEcs, testbedMissing } from '../test/helpers/testbed.js';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(pkg, 'bin', 'ecs-pulse.js');
const outDir = path.resolve(pkg, '../../bench-results');
const REGION = 'cn-hangzhou';
const CAP_MBIT = 400;
const POLL_MS = 200;
const LEAD_MS = 1000;

type Row = { figure: string; value: number | string; unit: string; target: string; verdict: 'pass' | 'fail' | 'info' | 'skip' };
const rows: Row[] = [];
const missing = testbedMissing();
if (missing) {
  rows.push({ figure: 'net testbed', value: 'skipped', unit: '', target: `needs ${missing}`, verdict: process.env.ECS_PULSE_REQUIRE_TOOLS === '1' ? 'fail' : 'skip' });
} else {
  const bed = createTestbed({ clients: 3, capMbit: CAP_MBIT });
  const double = new OpenApiDouble();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-pulse-net-bench-'));
  try {
    await double.start();
    const ecs = testbedEcs(double, bed, { region: REGION, instanceType: 'ecs.testbed.large' });
    const [server, ...clients] = bed.hosts;
    const base = ['net', 'run', '--server', server!.instanceId, ...clients.flatMap((c) => ['--client', c.instanceId]), '--region', REGION, '--json', '--out', dir];
    const env = cloudEnv(double.url, { ECS_PULSE_POLL_MS: String(POLL_MS), ECS_PULSE_START_LEAD_MS: String(LEAD_MS) });
    const run = async (args: string[]) => {
      const t0 = process.hrtime.bigint();
      const spawnedAt = Date.now();
      const before = ecs.invocations.length;
      // async spawn: the double runs in this process and must keep answering
      const { spawn } = await import('node:child_process');
      return new Promise<{ code: number; stdout: string; stderr: string; wallS: number; firstCommandS: number }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...base, ...args], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, wallS: Number(process.hrtime.bigint() - t0) / 1e9, firstCommandS: ((ecs.invocations[before]?.at ?? spawnedAt) - spawnedAt) / 1000 }));
      });
    };
    const bw = await run(['--tests', 'bandwidth', '--mode', 'concurrent', '--direction', 'both', '--parallel', '2', '--duration', '5']);
    if (bw.code !== 0) throw new Error(`net run (bandwidth) exited ${bw.code}: ${bw.stderr}`);
    const report = JSON.parse(bw.stdout);
    for (const d of ['up', 'down']) {
      const ratio = report.bandwidth.aggregate[d].bitsPerSecond / (CAP_MBIT * 1e6);
      rows.push({ figure: `concurrent bandwidth ${d}, 3 clients x 2 streams, achieved/cap (${CAP_MBIT} Mbit/s tbf)`, value: +ratio.toFixed(3), unit: 'ratio', target: '>= 0.9', verdict: ratio >= 0.9 ? 'pass' : 'fail' });
    }
    const ten = await run(['--tests', 'bandwidth', '--direction', 'up', '--duration', '10']);
    if (ten.code !== 0) throw new Error(`net run (10 s) exited ${ten.code}: ${ten.stderr}`);
    rows.push({ figure: `net run wall time, one 10-second bandwidth test (poll ${POLL_MS} ms, start lead ${LEAD_MS} ms)`, value: +ten.wallS.toFixed(2), unit: 's', target: '<= 15 s (test + 5 s)', verdict: ten.wallS <= 15 ? 'pass' : 'fail' });
    rows.push({ figure: 'of which: process start to the first RunCommand (node, SDK load, DescribeInstances)', value: +ten.firstCommandS.toFixed(2), unit: 's', target: 'info', verdict: 'info' });
    rows.push({ figure: 'net run overhead on a 10-second test', value: +(ten.wallS - 10).toFixed(2), unit: 's', target: '<= 5 s', verdict: ten.wallS - 10 <= 5 ? 'pass' : 'fail' });
  } finally {
    bed.destroy();
    await double.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log('ecs-pulse net testbed bench');
console.table(rows);
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'cli-net.json'), `${JSON.stringify(rows, null, 2)}\n`);

