import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { netRun, type NetReport } from '../../src/commands/net.js';
import { main } from '../../src/cli.js';
import { bashRunner, ecsDouble, type Runner } from '../helpers/ecs-double.js';
import { cloudEnv, freePort, startIperf3Server } from '../helpers/cloud-env.js';
import { tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';
import { OpenApiDouble } from '../helpers/openapi-double.js';
import { needTools } from '@ecs-pulse/test-tools';
import type { RunRecord } from '../../src/runs/record.js';
import { runRecordIssues } from '../../src/runs/store.js';

const REGION = 'cn-hangzhou';
// The scripts run for real (bash + iperf3, ss); the pps/latency test also needs sockperf.
const tools = needTools(['iperf3', 'ss']);
const withSockperf = needTools(['iperf3', 'ss', 'sockperf']);
const SERVER = 'i-bp1server00001';
const CLIENT = 'i-bp1client00001';

let port: number;
let iperf: ChildProcess | undefined;
let double: OpenApiDouble;
let ecs: ReturnType<typeof ecsDouble>;
let dir: string;

beforeAll(async () => {
  port = await freePort();
  if (tools.available) iperf = await startIperf3Server(port);
});
afterAll(() => {
  iperf?.kill();
});

function setup(runner: Runner = bashRunner): void {
  ecs = ecsDouble(double, {
    region: REGION,
    instances: { [SERVER]: { privateIp: '127.0.0.1' }, [CLIENT]: { privateIp: '127.0.0.2' } },
    runner,
  });
}

beforeEach(async () => {
  double = new OpenApiDouble();
  await double.start();
  dir = tempDir();
});
afterEach(async () => {
  await double.stop();
});

const env = (extra: NodeJS.ProcessEnv = {}) => cloudEnv(double.url, { ECS_PULSE_START_LEAD_MS: '300', ...extra });
const base = () => ({ ...testIo(env(), dir), server: SERVER, client: [CLIENT], region: REGION, port, tests: ['bandwidth' as const] });

tools.describe('Command: net run (Cloud Assistant against the OpenAPI double, real iperf3)', () => {
  it('checks the server, runs the client both ways at its start time and parses the real iperf3 JSON', async () => {
    // Prepare
    setup();
    const opts = base();
    // Act
    const r = await netRun({ ...opts, direction: 'both', parallel: 2, duration: 1 });
    // Assess: API calls (signed, verified by the double)
    expect(double.rejected).toEqual([]);
    expect(double.calls.map((c) => c.action)).toEqual(
      expect.arrayContaining(['DescribeInstances', 'RunCommand', 'DescribeInvocationResults']),
    );
    const runs = double.callsOf('RunCommand');
    expect(runs).toHaveLength(3); // servers ready, server sampling, the client
    expect(runs.map((c) => c.query['InstanceId.1']).sort()).toEqual([CLIENT, SERVER, SERVER].sort());
    for (const c of runs) expect(c.query).toMatchObject({ Type: 'RunShellScript', ContentEncoding: 'Base64', RegionId: REGION, Timeout: expect.stringMatching(/^\d+$/) });
    const client = ecs.invocations.find((i) => i.instanceIds[0] === CLIENT);
    expect(client?.script).toContain(`iperf3 -c 127.0.0.1 -p ${port} -t 1 -P 2 -J -R`);
    expect(client?.script).toMatch(/wait_until \d{19}\n/);
    // Results: the report shape
    const rep = r.report;
    expect(rep.bandwidth?.mode).toBe('concurrent');
    expect(rep.bandwidth?.results.map((t) => [t.client, t.direction])).toEqual([
      [CLIENT, 'up'],
      [CLIENT, 'down'],
    ]);
    expect(rep.bandwidth?.results[0]?.bitsPerSecond).toBeGreaterThan(1e6);
    expect(rep.bandwidth?.aggregate.up?.bitsPerSecond).toBe(rep.bandwidth?.results[0]?.bitsPerSecond);
    expect(rep.bandwidth?.aggregate.up?.percentOfAdvertised).toBeUndefined(); // this double names no instance type
    expect(rep.warnings.some((w) => w.includes('instance type'))).toBe(true);
    expect(rep.server).toMatchObject({ instanceId: SERVER, privateIp: '127.0.0.1', advertised: {} });
    expect(rep.serverCpuPercent.bandwidth).toBeGreaterThanOrEqual(0);
    expect(rep.pps).toBeUndefined();
    expect(rep.latency).toBeUndefined();
    // Raw output kept, reduced JSON has no per-stream arrays
    const raw = readFileSync(path.join(r.rawDir, `${CLIENT}-bw-up.json`), 'utf8');
    expect(JSON.parse(raw).end.streams).toBeUndefined();
    expect(JSON.parse(raw).intervals.length).toBeGreaterThan(0);
    // the run record: the report's figures, the iperf3 intervals as series, the tool version
    const record = JSON.parse(readFileSync(path.join(r.rawDir, 'result.json'), 'utf8')) as RunRecord;
    expect(runRecordIssues(record)).toEqual([]);
    expect(record).toMatchObject({ kind: 'net', id: path.basename(r.rawDir), region: REGION, net: { bandwidth: rep.bandwidth, warnings: rep.warnings } });
    expect(record.hosts.map((h) => h.role)).toEqual(['server', 'client']);
    expect(record.tools.iperf3).toMatch(/^\d+\.\d+/);
    expect(record.series?.bandwidth?.map((b) => b.direction)).toEqual(['up', 'down']);
    expect(record.series?.bandwidth?.[0]?.points.length).toBeGreaterThan(0);
    expect(record.options).toMatchObject({ tests: ['bandwidth'], parallel: 2, duration: 1 });
    expect(opts.stdout.text()).toMatch(/test\s+client\s+dir\s+result/);
    expect(opts.stdout.text()).toMatch(new RegExp(`bandwidth \\(concurrent\\)\\s+${CLIENT}\\s+down`));
  });

  withSockperf.it('pps and latency on loopback: server-side packet rate, ordered sockperf percentiles, advertised %', async () => {
    // Prepare: real sockperf servers (UDP and TCP) on a free port, the double describing the instance type
    const sp = await freePort();
    const servers = ['', '--tcp'].map((flag) => spawn('sockperf', ['server', '-i', '127.0.0.1', '-p', String(sp), ...(flag ? [flag] : [])], { stdio: 'ignore' }));
    try {
      setup();
      double.on('2014-05-26', 'DescribeInstances', () => ({ json: { RequestId: 'R', Instances: { Instance: [SERVER, CLIENT].map((id, i) => ({ InstanceId: id, InstanceType: 'ecs.g7.large', VpcAttributes: { PrivateIpAddress: { IpAddress: [`127.0.0.${i + 1}`] } } })) } } }));
      double.on('2014-05-26', 'DescribeInstanceTypes', () => ({ json: { RequestId: 'R', InstanceTypes: { InstanceType: [{ InstanceTypeId: 'ecs.g7.large', CpuCoreCount: 2, MemorySize: 8, InstanceBandwidthRx: 2_000_000, InstanceBandwidthTx: 2_000_000, InstancePpsRx: 900_000, InstancePpsTx: 900_000 }] } } }));
      await new Promise((r) => setTimeout(r, 300));
      // Act
      const r = await netRun({ ...base(), tests: ['pps', 'latency'], tcp: true, sockperfPort: sp, ppsStreams: 2, duration: 1 });
      // Assess
      const rep = r.report;
      expect(rep.server).toMatchObject({ instanceType: 'ecs.g7.large', advertised: { bandwidthRxBitsPerSecond: 2e9, bandwidthTxBitsPerSecond: 2e9, ppsRx: 900_000, ppsTx: 900_000 } });
      expect(rep.bandwidth).toBeUndefined();
      expect(rep.pps?.results).toEqual([{ client: CLIENT, sentPps: expect.any(Number) }]);
      expect(rep.pps?.serverRxPps).toBeGreaterThan(0);
      expect(rep.pps?.percentOfAdvertised).toBeCloseTo(((rep.pps?.serverRxPps ?? 0) / 900_000) * 100, 0);
      expect(rep.pps?.lossPercent).toBeGreaterThanOrEqual(0);
      const client = ecs.invocations.filter((i) => i.instanceIds[0] === CLIENT).map((i) => i.script).join('\n');
      expect(client).toContain(`iperf3 -c 127.0.0.1 -p ${port} -u -b 0 -l 64 -P 2 -t 1 -J`);
      expect(client).toContain(`sockperf ping-pong -i 127.0.0.1 -p ${sp} -t 1 --tcp`);
      const [lat] = rep.latency ?? [];
      expect(lat).toMatchObject({ client: CLIENT, protocol: 'tcp' });
      expect(lat!.observations).toBeGreaterThan(10);
      expect(lat!.minUs).toBeLessThanOrEqual(lat!.p50Us);
      expect(lat!.p50Us).toBeLessThanOrEqual(lat!.p99Us);
      expect(lat!.p99Us).toBeLessThanOrEqual(lat!.maxUs);
      expect(Object.keys(rep.serverCpuPercent).sort()).toEqual(['latency', 'pps']);
    } finally {
      for (const s of servers) s.kill();
    }
  }, 60_000);

  it('names a client that Cloud Assistant delivered after the common start time (the barrier was missed)', async () => {
    // the client's script arrives 1.5 s late; the start time was only 0.3 s ahead
    setup(async (script, id) => {
      if (id === CLIENT) await new Promise((r) => setTimeout(r, 1500));
      return bashRunner(script, id);
    });
    const r = await netRun({ ...base(), direction: 'up', duration: 1 });
    expect(r.report.warnings).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^bw-up on ${CLIENT} started 1\\.\\d s after its start time .*ECS_PULSE_START_LEAD_MS`))]));
    expect(r.report.bandwidth?.results).toHaveLength(1);
  });

  it('retries Throttling answers with back-off and then succeeds', async () => {
    setup();
    double.throttle('RunCommand', 2);
    const opts = base();
    const r = await netRun({ ...opts, direction: 'up', duration: 1 });
    expect(r.report.bandwidth?.results).toHaveLength(1);
    expect(double.callsOf('RunCommand')).toHaveLength(5); // 2 throttled + servers ready + sampling + client
    expect(opts.stderr.text()).toContain('throttled (Throttling.User); retry 1');
  });

  it('gives up with THROTTLED (exit 4) when throttling persists', async () => {
    setup();
    double.throttle('DescribeInstances', 99);
    await expect(netRun({ ...base(), direction: 'up', duration: 1 })).rejects.toThrow(
      expect.objectContaining({ code: 'THROTTLED', exitCode: 4, message: expect.stringContaining('after 4 retries') }),
    );
    expect(double.callsOf('DescribeInstances')).toHaveLength(5);
  });

  it('turns InvalidRegionId into INVALID_REGION', async () => {
    setup();
    double.fail('DescribeInstances', { status: 400, json: { Code: 'InvalidRegionId.NotFound', Message: 'The specified RegionId does not exist.', RequestId: 'R1' } });
    await expect(netRun({ ...base(), region: 'cn-nowhere', direction: 'up' })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_REGION', exitCode: 4, message: expect.stringContaining('rejected region "cn-nowhere"') }),
    );
  });

  it('reports a wrong AccessKey secret (the double verifies the ACS3 signature) without printing it', async () => {
    setup();
    const io = testIo(env({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-value' }), dir);
    const error = await netRun({ ...io, server: SERVER, client: [CLIENT], region: REGION }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLOUD_API', exitCode: 4 });
    expect((error as Error).message).toContain('AccessKey was rejected (SignatureDoesNotMatch)');
    expect((error as Error).message).not.toContain('wrong-secret-value');
    expect(double.rejected[0]?.reason).toMatch(/^SignatureDoesNotMatch/);
  });

  it('fails the run (exit 5) with the iperf3 error when nothing listens on the port', async () => {
    // The server script is answered as if the server were up; the client runs for real against a closed port.
    setup(async (script, id) => (script.includes('iperf3 -c') ? bashRunner(script, id) : { output: 'iperf3 server already listening', exitCode: 0 }));
    const closed = await freePort();
    const opts = base();
    const error = await netRun({ ...opts, port: closed, direction: 'up', duration: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_COMMAND_FAILED', exitCode: 5 });
    expect(opts.stdout.text()).toMatch(new RegExp(`bw-up on ${CLIENT} failed: .*Connection refused`));
  });

  it('reports a missing iperf3 on the server (exit code 127)', async () => {
    setup(async () => ({ output: 'ecs-pulse: iperf3 is not installed on this host', exitCode: 127 }));
    await expect(netRun({ ...base(), direction: 'up' })).rejects.toThrow(
      expect.objectContaining({ code: 'REMOTE_COMMAND_FAILED', message: expect.stringContaining(`iperf3 is not installed on ${SERVER}`) }),
    );
  });

  it('says the output was truncated when Cloud Assistant dropped bytes', async () => {
    setup(async (script) =>
      script.includes('iperf3 -c') ? { output: '{"start":{}, "intervals":[', exitCode: 0, dropped: 20480 } : { output: 'iperf3 server already listening', exitCode: 0 },
    );
    const error = await netRun({ ...base(), direction: 'up', duration: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_COMMAND_FAILED', exitCode: 5 });
    expect((error as Error).message).toContain('1 network test(s) failed');
  });

  it('rejects bad option values before any API call', async () => {
    setup();
    await expect(netRun({ ...base(), direction: 'sideways' as 'up' })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--direction must be one of up, down, both') }),
    );
    await expect(netRun({ ...base(), bandwidth: '1G; rm -rf /' })).rejects.toThrow(expect.objectContaining({ code: 'USAGE' }));
    await expect(netRun({ ...base(), parallel: 0 })).rejects.toThrow(expect.objectContaining({ code: 'USAGE' }));
    await expect(netRun({ ...base(), tests: ['bandwidth', 'jitter' as 'pps'] })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--tests must be one of bandwidth, pps, latency') }),
    );
    await expect(netRun({ ...base(), mode: 'parallel' as 'serial' })).rejects.toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--mode') }));
    await expect(netRun({ ...base(), ppsStreams: 0 })).rejects.toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(double.calls).toEqual([]);
  });

  it('runs through main() with --json and exit code 0', async () => {
    setup();
    const stdout = capture();
    const code = await main(
      ['node', 'ecs-pulse', 'net', 'run', '--server', SERVER, '--client', CLIENT, '--region', REGION, '--port', String(port), '--tests', 'bandwidth', '--mode', 'serial', '--direction', 'up', '--duration', '1s', '--json', '--out', dir],
      { stdout, stderr: capture(), env: env(), cwd: dir },
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout.text()) as NetReport;
    expect(Object.keys(parsed).sort()).toEqual(['bandwidth', 'clients', 'region', 'run', 'server', 'serverCpuPercent', 'warnings']);
    expect(parsed.bandwidth?.mode).toBe('serial');
    expect(parsed.bandwidth?.results).toHaveLength(1);
    expect(Object.keys(parsed.bandwidth?.aggregate ?? {})).toEqual(['up']);
  });

  it('needs an action: "net" alone is a usage error', async () => {
    const stderr = capture();
    expect(await main(['node', 'ecs-pulse', 'net'], { stdout: capture(), stderr, env: {} })).toBe(2);
    expect(stderr.text()).toContain('"ecs-pulse net" needs one of: run');
  });
});
