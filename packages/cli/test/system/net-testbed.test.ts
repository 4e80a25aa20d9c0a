import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetReport } from '../../src/commands/net.js';
import { cloudEnv } from '../helpers/cloud-env.js';
import { tempDir } from '../helpers/fake-tools.js';
import { OpenApiDouble } from '../helpers/openapi-double.js';
import { runCharts } from '../../src/runs/charts.js';
import { listRuns } from '../../src/runs/store.js';
import { needTools } from '@ecs-pulse/test-tools';
import { createTestbed, testbedEcs, testbedMissing, type Testbed } from '../helpers/testbed.js';

// One server and three clients as network namespaces, the server's link capped at 400 Mbit/s both ways,
// the ECS OpenAPI double running each Cloud Assistant script inside its instance's namespace, and the
// real built `ecs-pulse` bin as a process.
const REGION = 'cn-hangzhou';
const CAP_MBIT = 400;
const TYPE = 'ecs.testbed.large';
const BIN = fileURLToPath(new URL('../../bin/ecs-pulse.js', import.meta.url));

// root and network namespaces, iproute2 (ip, tc), iperf3 and sockperf: skipped without them, failed under ECS_PULSE_REQUIRE_TOOLS=1
const testbed = needTools(['root', 'netns', 'ip', 'tc', 'iperf3', 'sockperf']);

function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string; wallMs: number }> {
  const t = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, wallMs: Date.now() - t }));
  });
}

testbed.describe('System: net run on a namespace testbed (tbf-capped server link)', () => {
  let bed: Testbed | undefined;
  let double: OpenApiDouble;
  let dir: string;
  const cap = CAP_MBIT * 1e6;

  beforeAll(async () => {
    const missing = testbedMissing(); // python3 too: the hosts reduce iperf3 JSON with it
    expect(missing, `the testbed needs ${missing}`).toBeUndefined();
    bed = createTestbed({ clients: 3, capMbit: CAP_MBIT });
    double = new OpenApiDouble();
    await double.start();
    testbedEcs(double, bed, { region: REGION, instanceType: TYPE });
    dir = tempDir();
  });
  afterAll(async () => {
    const prefix = bed?.prefix;
    bed?.destroy();
    await double?.stop();
    if (prefix) {
      const { execFileSync } = await import('node:child_process');
      expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(prefix);
    }
  });

  const args = () => {
    const [server, ...clients] = bed!.hosts;
    return ['net', 'run', '--server', server!.instanceId, ...clients.flatMap((c) => ['--client', c.instanceId]), '--region', REGION, '--json', '--out', dir];
  };
  const env = () => cloudEnv(double.url, { ECS_PULSE_POLL_MS: '200', ECS_PULSE_START_LEAD_MS: '1500' });

  // Real traffic on a shared 2-core machine: a measurement test gets one retry (a second run of the same
  // test, not a looser bound); each try keeps its own run in the store.
  it('concurrent: bandwidth both ways within 85-102 % of the cap, pps counted on the server, latency < 1 ms', { retry: 1, timeout: 120_000 }, async () => {
    const r = await runCli([...args(), '--tests', 'bandwidth,pps,latency', '--mode', 'concurrent', '--direction', 'both', '--parallel', '2', '--pps-streams', '2', '--duration', '4'], env(), dir);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as NetReport;
    expect(Object.keys(report).sort()).toEqual(['bandwidth', 'clients', 'latency', 'pps', 'region', 'run', 'server', 'serverCpuPercent', 'warnings']);
    expect(report.server).toMatchObject({ instanceId: bed!.hosts[0]!.instanceId, instanceType: TYPE, privateIp: '10.77.0.10', advertised: { bandwidthRxBitsPerSecond: cap, bandwidthTxBitsPerSecond: cap } });
    expect(report.clients.map((c) => c.privateIp)).toEqual(['10.77.0.11', '10.77.0.12', '10.77.0.13']);
    // bandwidth: three clients on their own ports at once; the sum over the common window is the cap
    const bw = report.bandwidth!;
    expect(bw.mode).toBe('concurrent');
    // the aggregate came from a window all three clients measured, not a fallback
    expect(report.warnings.filter((w) => /overlap|without intervals/.test(w))).toEqual([]);
    expect(bw.results).toHaveLength(6);
    for (const dir of ['up', 'down'] as const) {
      const agg = bw.aggregate[dir]!;
      expect(agg.bitsPerSecond / cap, `${dir} ${agg.bitsPerSecond}`).toBeGreaterThanOrEqual(0.85);
      expect(agg.bitsPerSecond / cap, `${dir} ${agg.bitsPerSecond}`).toBeLessThanOrEqual(1.02);
      expect(agg.percentOfAdvertised).toBeCloseTo((agg.bitsPerSecond / cap) * 100, 0);
      const each = bw.results.filter((x) => x.direction === dir);
      expect(each.reduce((a, x) => a + x.bitsPerSecond, 0)).toBeCloseTo(agg.bitsPerSecond, -3);
      for (const x of each) expect(x.bitsPerSecond).toBeGreaterThan(0);
    }
    // pps: the server's interface saw packets, not more than the senders sent. The two rates come from
    // different windows: the server's counters over the planned test window (steady state), each sender's
    // average over its own run (its start included), so the server's figure can exceed the senders' sum by a
    // hair: one CI run measured 287,461 received vs 287,112 sent (+0.12 %). 1 % covers that window edge; a
    // receiver that counted more than it was sent would be far outside it.
    const pps = report.pps!;
    expect(pps.results).toHaveLength(3);
    const sent = pps.results.reduce((a, x) => a + x.sentPps, 0);
    expect(pps.serverRxPps).toBeGreaterThan(0);
    expect(pps.serverRxPps!).toBeLessThanOrEqual(sent * 1.01);
    expect(pps.lossPercent).toBeGreaterThanOrEqual(0);
    expect(pps.percentOfAdvertised).toBeCloseTo((pps.serverRxPps! / 300_000) * 100, 0);
    // latency: one client at a time, ordered percentiles, below 1 ms on veth
    expect(report.latency!.map((l) => l.client)).toEqual(report.clients.map((c) => c.instanceId));
    for (const l of report.latency!) {
      expect(l.protocol).toBe('udp');
      expect(l.observations).toBeGreaterThan(100);
      expect(l.minUs).toBeLessThanOrEqual(l.p50Us);
      expect(l.p50Us).toBeLessThanOrEqual(l.p90Us);
      expect(l.p90Us).toBeLessThanOrEqual(l.p99Us);
      expect(l.p99Us).toBeLessThanOrEqual(l.p999Us);
      expect(l.p999Us).toBeLessThanOrEqual(l.maxUs);
      expect(l.p99Us).toBeLessThan(1000);
    }
    for (const k of ['bandwidth', 'pps', 'latency'] as const) {
      expect(report.serverCpuPercent[k]).toBeGreaterThanOrEqual(0);
      expect(report.serverCpuPercent[k]).toBeLessThanOrEqual(100);
    }
    // the run store kept it: a valid record with the real iperf3 intervals as series, which the report draws
    const stored = listRuns(dir).runs.find((x) => x.record.id.startsWith(`net-${report.run}`));
    expect(stored?.record.net?.bandwidth).toEqual(report.bandwidth);
    expect(stored?.record.tools).toMatchObject({ iperf3: expect.stringMatching(/^\d/), sockperf: expect.stringMatching(/^\d/) });
    expect(stored?.record.hosts.map((h) => h.role)).toEqual(['server', 'client', 'client', 'client']);
    const series = stored?.record.series?.bandwidth ?? [];
    expect(series.map((x) => x.direction).sort()).toEqual(['down', 'down', 'down', 'up', 'up', 'up']);
    for (const x of series) expect(x.points.length).toBeGreaterThanOrEqual(3);
    const charts = runCharts(stored!.record, 'r');
    expect(charts.map((c) => c.id)).toEqual(['r-bandwidth', 'r-latency', 'r-pps', 'r-server-cpu']);
    // six client series, two aggregates, the advertised line
    expect(charts[0]?.series).toHaveLength(9);
  });

  it('the testbed removes everything it made when building fails half-way', async () => {
    const { execFileSync } = await import('node:child_process');
    const prefix = `epx${process.pid % 10000}`;
    // a cap tc refuses: the namespaces are already made when the qdisc fails
    expect(() => createTestbed({ clients: 1, capMbit: 0, prefix })).toThrow();
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(prefix);
  });

  it('serial: each client alone reaches at least 85 % of the cap', { retry: 1, timeout: 90_000 }, async () => {
    const r = await runCli([...args(), '--tests', 'bandwidth', '--mode', 'serial', '--direction', 'up', '--duration', '3'], env(), dir);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as NetReport;
    expect(Object.keys(report)).not.toContain('pps');
    expect(Object.keys(report)).not.toContain('latency');
    expect(report.bandwidth!.mode).toBe('serial');
    expect(report.bandwidth!.results).toHaveLength(3);
    for (const x of report.bandwidth!.results) {
      expect(x.bitsPerSecond / cap, `${x.client} ${x.bitsPerSecond}`).toBeGreaterThanOrEqual(0.85);
      expect(x.bitsPerSecond / cap).toBeLessThanOrEqual(1.02);
    }
  });
});
