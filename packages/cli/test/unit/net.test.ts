import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { netRun } from '../../src/commands/net.js';
import { main } from '../../src/cli.js';
import { bashRunner, ecsDouble, type Runner } from '../helpers/ecs-double.js';
import { cloudEnv, freePort, startIperf3Server } from '../helpers/cloud-env.js';
import { tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';
import { OpenApiDouble } from '../helpers/openapi-double.js';
import { needTools } from '@ecs-pulse/test-tools';

const REGION = 'cn-hangzhou';
const SERVER = 'i-bp1server00001';
const CLIENT = 'i-bp1client00001';

// The double runs each Cloud Assistant script with bash on this machine: real iperf3, server readiness by `ss`.
const tools = needTools(['iperf3', 'ss']);

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
  // Undefined when iperf3 is absent or its start failed: the failure is beforeAll's, not a second one here.
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

const base = () => ({ ...testIo(cloudEnv(double.url), dir), server: SERVER, client: [CLIENT], region: REGION, port });

describe('Command: net run (Cloud Assistant against the OpenAPI double, real iperf3)', () => {
  tools.it('checks the server, runs the client both ways and parses the real iperf3 JSON', async () => {
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
    expect(runs).toHaveLength(2);
    expect(runs[0]?.query).toMatchObject({ 'InstanceId.1': SERVER, Type: 'RunShellScript', ContentEncoding: 'Base64', RegionId: REGION });
    expect(runs[1]?.query).toMatchObject({ 'InstanceId.1': CLIENT, Timeout: String(2 * (1 + 30) + 30) });
    expect(runs[0]?.version).toBe('2014-05-26');
    expect(ecs.invocations[1]?.script).toContain(`iperf3 -c 127.0.0.1 -p ${port} -t 1 -P 2 -J -R`);
    // Results
    expect(r.tests.map((t) => [t.client, t.direction, t.error])).toEqual([
      [CLIENT, 'up', undefined],
      [CLIENT, 'down', undefined],
    ]);
    expect(r.tests[0]?.result).toMatchObject({ protocol: 'TCP', streams: 2, reverse: false });
    expect(r.tests[1]?.result).toMatchObject({ reverse: true });
    expect(r.tests[0]?.result?.receivedBitsPerSecond).toBeGreaterThan(1e6);
    expect(r.server.privateIp).toBe('127.0.0.1');
    // Raw output kept, reduced JSON has no per-stream arrays
    const raw = readFileSync(r.tests[0]?.rawFile ?? '', 'utf8');
    expect(JSON.parse(raw).end.streams).toBeUndefined();
    expect(existsSync(path.join(r.rawDir, 'result.json'))).toBe(true);
    expect(opts.stdout.text()).toMatch(/client\s+dir\s+proto\s+streams/);
    expect(opts.stdout.text()).toMatch(new RegExp(`${CLIENT}\\s+down\\s+TCP\\s+2`));
  });

  tools.it('retries Throttling answers with back-off and then succeeds', async () => {
    setup();
    double.throttle('RunCommand', 2);
    const opts = base();
    const r = await netRun({ ...opts, direction: 'up', duration: 1 });
    expect(r.tests[0]?.result?.protocol).toBe('TCP');
    expect(double.callsOf('RunCommand')).toHaveLength(4); // 2 throttled + server + client
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
    const io = testIo(cloudEnv(double.url, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret-value' }), dir);
    const error = await netRun({ ...io, server: SERVER, client: [CLIENT], region: REGION }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLOUD_API', exitCode: 4 });
    expect((error as Error).message).toContain('AccessKey was rejected (SignatureDoesNotMatch)');
    expect((error as Error).message).not.toContain('wrong-secret-value');
    expect(double.rejected[0]?.reason).toMatch(/^SignatureDoesNotMatch/);
  });

  tools.it('fails the run (exit 5) with the iperf3 error when nothing listens on the port', async () => {
    // The server script is answered as if the server were up; the client runs for real against a closed port.
    setup(async (script, id) => (script.includes('iperf3 -c') ? bashRunner(script, id) : { output: 'iperf3 server already listening', exitCode: 0 }));
    const closed = await freePort();
    const opts = base();
    const error = await netRun({ ...opts, port: closed, direction: 'up', duration: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_COMMAND_FAILED', exitCode: 5 });
    expect(opts.stdout.text()).toMatch(new RegExp(`${CLIENT}\\s+up\\s+failed`));
    expect(opts.stdout.text()).toContain('Connection refused');
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
    expect((error as Error).message).toContain('1 of 1 iperf3 test(s) failed');
  });

  it('rejects bad option values before any API call', async () => {
    setup();
    await expect(netRun({ ...base(), direction: 'sideways' as 'up' })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--direction must be one of up, down, both') }),
    );
    await expect(netRun({ ...base(), bandwidth: '1G; rm -rf /' })).rejects.toThrow(expect.objectContaining({ code: 'USAGE' }));
    await expect(netRun({ ...base(), parallel: 0 })).rejects.toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(double.calls).toEqual([]);
  });

  tools.it('runs through main() with --json and exit code 0', async () => {
    setup();
    const stdout = capture();
    const code = await main(
      ['node', 'ecs-pulse', 'net', 'run', '--server', SERVER, '--client', CLIENT, '--region', REGION, '--port', String(port), '--direction', 'up', '--duration', '1s', '--json', '--out', dir],
      { stdout, stderr: capture(), env: cloudEnv(double.url), cwd: dir },
    );
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout.text()) as { tests: Array<{ direction: string; result: { protocol: string } }> };
    expect(parsed.tests).toHaveLength(1);
    expect(parsed.tests[0]?.result.protocol).toBe('TCP');
  });

  it('needs an action: "net" alone is a usage error', async () => {
    const stderr = capture();
    expect(await main(['node', 'ecs-pulse', 'net'], { stdout: capture(), stderr, env: {} })).toBe(2);
    expect(stderr.text()).toContain('"ecs-pulse net" needs one of: run');
  });
});
