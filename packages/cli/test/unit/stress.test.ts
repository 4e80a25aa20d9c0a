import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import type { RunRecord } from '../../src/runs/record.js';
import { listRuns, runRecordIssues } from '../../src/runs/store.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stressRun, stressorList } from '../../src/commands/stress.js';
import { synth } from '../../src/commands/lifecycle.js';
import { bashRunner, ecsDouble, type Runner } from '../helpers/ecs-double.js';
import { metricsDouble } from '../helpers/cms-double.js';
import { cloudEnv } from '../helpers/cloud-env.js';
import { fakeApp, fakeExecutable, pathWith, tempDir } from '../helpers/fake-tools.js';
import { testIo } from '../helpers/io.js';
import { OpenApiDouble } from '../helpers/openapi-double.js';
import { needTools } from '@ecs-pulse/test-tools';

// The double runs the Cloud Assistant script with bash on this machine, so that test needs a real stress-ng.
const stressNg = needTools(['stress-ng']);

const REGION = 'ap-southeast-1';
const SERVER = 'i-t4nserver00001';
const CLIENT = 'i-t4nclient00001';

let double: OpenApiDouble;
let root: string;
let env: NodeJS.ProcessEnv;
let sink: SlackSink | undefined;

beforeEach(async () => {
  double = new OpenApiDouble();
  await double.start();
  root = tempDir();
  const bin = path.join(root, 'bin');
  fakeExecutable(bin, 'terraform');
  fakeApp(path.join(root, 'app'));
  // Stack outputs as StressHost writes them (names matched loosely).
  writeFileSync(
    path.join(bin, 'terraform.output.stdout'),
    JSON.stringify({
      region: { value: REGION, type: 'string' },
      server_instance_id: { value: SERVER, type: 'string' },
      server_private_ip: { value: '10.0.0.10', type: 'string' },
      client_instance_ids: { value: [CLIENT], type: ['list', 'string'] },
      client_private_ips: { value: ['10.0.0.11'], type: ['list', 'string'] },
    }),
  );
  env = cloudEnv(double.url, { PATH: pathWith(bin), HOME: root });
  await synth({ ...testIo(env, root), app: 'app' });
});
afterEach(async () => {
  await double.stop();
  await sink?.close();
  sink = undefined;
});

function setup(runner: Runner = bashRunner) {
  return ecsDouble(double, { region: REGION, instances: {}, runner });
}

describe('Command: stress run (Cloud Assistant against the OpenAPI double, real stress-ng)', () => {
  stressNg.it('runs stress-ng on the stack server and parses its real YAML', async () => {
    // Prepare
    const ecs = setup();
    double.on('2014-05-26', 'DescribeInstances', () => ({ json: { RequestId: 'R', Instances: { Instance: [{ InstanceId: SERVER, InstanceType: 'ecs.c7.large' }] } } }));
    double.on('2014-05-26', 'DescribeInstanceTypes', (call) => ({
      json: { RequestId: 'R', InstanceTypes: { InstanceType: call.query['InstanceTypes.1'] === 'ecs.c7.large' ? [{ InstanceTypeId: 'ecs.c7.large', CpuCoreCount: 2, MemorySize: 4 }] : [] } },
    }));
    const io = testIo(env, root);
    // Act
    const r = await stressRun({ ...io, app: 'app', cpu: 1, stressors: ['matrix:1'], timeout: 1 });
    // Assess
    expect(double.rejected).toEqual([]);
    // private IPs came from the outputs; DescribeInstances only names the instance type
    expect(double.callsOf('DescribeInstances').map((c) => c.query.InstanceIds)).toEqual([JSON.stringify([SERVER])]);
    const host = r.hosts[0]!;
    expect(host).toMatchObject({ instanceType: 'ecs.c7.large', vcpus: 2, memoryGiB: 4 });
    for (const m of host.result?.metrics ?? []) expect(host.bogoOpsPerSecondPerVcpu?.[m.stressor]).toBeCloseTo(m.bogoOpsPerSecondReal / 2, 1);
    expect(host.cpuPercent).toBeGreaterThan(0);
    expect(host.cpuPercent).toBeLessThanOrEqual(100);
    expect(host.memoryUsedPercent).toBeGreaterThan(0);
    expect(host.memoryUsedPercent).toBeLessThan(100);
    expect(r.warnings).toEqual([]);
    expect(double.callsOf('RunCommand')[0]?.query).toMatchObject({ 'InstanceId.1': SERVER, Timeout: '61', RegionId: REGION });
    expect(double.callsOf('RunCommand')[0]?.query['InstanceId.2']).toBeUndefined();
    expect(ecs.invocations[0]?.script).toContain('stress-ng --cpu 1 --matrix 1 --timeout 1s --metrics-brief --times --yaml');
    expect(r.region).toBe(REGION);
    expect(r.hosts).toHaveLength(1);
    expect(r.hosts[0]?.error).toBeUndefined();
    expect(r.hosts[0]?.result?.metrics.map((m) => m.stressor).sort()).toEqual(['cpu', 'matrix']);
    expect(r.hosts[0]?.result?.metrics[0]?.bogoOps).toBeGreaterThan(0);
    expect(readFileSync(r.hosts[0]?.rawFile ?? '', 'utf8')).toContain('system-info:');
    expect(io.stdout.text()).toMatch(new RegExp(`${SERVER}\\s+ecs\\.c7\\.large \\(2 vCPU, 4 GiB\\)\\s+cpu\\s+\\d+`));
  });

  it('adds CloudMonitor metrics for the run window (paginated) and posts a Slack summary to a webhook', async () => {
    setup(async (_script, id) => ({ output: cannedStressOutput(id), exitCode: 0 }));
    metricsDouble(double, {
      region: REGION,
      values: { CPUUtilization: { [SERVER]: [50, 90, 100] }, IntranetInRate: { [SERVER]: [1e6, 3e6] }, VPC_PublicIP_InternetOutRate: { [SERVER]: [2e6, 4e6] } },
      pageSize: 2,
    });
    sink = await startSlackSink();
    const io = testIo(env, root);
    const r = await stressRun({ ...io, app: 'app', timeout: 5, metrics: true, slack: sink.url, json: true });
    const cpu = r.metrics?.summaries.find((s) => s.metric === 'CPUUtilization' && s.instanceId === SERVER);
    expect(cpu).toMatchObject({ points: 3, average: 80, maximum: 101, unit: '%' });
    expect(r.metrics?.summaries.find((s) => s.metric === 'memory_usedutilization')).toMatchObject({ points: 0 });
    // VPC hosts report public traffic as VPC_PublicIP_* (issue 15, defect 8).
    expect(r.metrics?.summaries.find((s) => s.metric === 'VPC_PublicIP_InternetOutRate' && s.instanceId === SERVER)).toMatchObject({ points: 2, average: 3e6, unit: 'bit/s' });
    expect(double.callsOf('DescribeMetricList').filter((c) => c.query.MetricName === 'CPUUtilization')).toHaveLength(2); // NextToken
    expect(JSON.parse(io.stdout.text()).metrics.summaries.length).toBe(6);
    expect(sink.messages).toHaveLength(1);
    expect(JSON.stringify(sink.messages[0])).toContain(`${SERVER}`);
    expect(io.stderr.text()).not.toContain(sink.url);
  });

  it('keeps each run in the run store (result.json v1) and compares a --slack summary with the previous run', async () => {
    setup(async (_script, id) => ({ output: cannedStressOutput(id), exitCode: 0 }));
    double.on('2014-05-26', 'DescribeInstances', () => ({ json: { RequestId: 'R', Instances: { Instance: [{ InstanceId: SERVER, InstanceType: 'ecs.c7.large' }] } } }));
    double.on('2014-05-26', 'DescribeInstanceTypes', () => ({
      json: { RequestId: 'R', InstanceTypes: { InstanceType: [{ InstanceTypeId: 'ecs.c7.large', CpuCoreCount: 2, MemorySize: 4 }] } },
    }));
    metricsDouble(double, { region: REGION, values: { CPUUtilization: { [SERVER]: [50, 90, 100] } }, pageSize: 10 });
    const first = await stressRun({ ...testIo(env, root), app: 'app', timeout: 5, metrics: true, results: 'store' });
    sink = await startSlackSink();
    const second = await stressRun({ ...testIo(env, root), app: 'app', timeout: 5, results: 'store', slack: sink.url });
    // two runs of the same second get their own folders
    expect(path.dirname(first.rawDir)).toBe(path.join(root, 'store'));
    expect(second.rawDir).not.toBe(first.rawDir);
    const record = JSON.parse(readFileSync(path.join(first.rawDir, 'result.json'), 'utf8')) as RunRecord;
    expect(runRecordIssues(record)).toEqual([]);
    expect(record).toMatchObject({ schemaVersion: 1, id: path.basename(first.rawDir), kind: 'stress', region: REGION, tools: { 'stress-ng': expect.any(String) } });
    expect(record.hosts[0]).toMatchObject({ role: 'host', instanceId: SERVER, instanceType: 'ecs.c7.large', vcpus: 2 });
    expect(record.stress?.hosts[0]?.stressors.map((x) => x.stressor).sort()).toEqual(['cpu', 'vm']);
    expect(record.stress?.hosts[0]?.stressors[0]?.bogoOpsPerSecondPerVcpu).toBeGreaterThan(0);
    expect(record.series?.cloudMonitor?.find((c) => c.metric === 'CPUUtilization')?.points).toHaveLength(3);
    expect(record.raw.length).toBeGreaterThan(0);
    for (const f of record.raw) expect(existsSync(path.join(first.rawDir, f)), f).toBe(true);
    // the store lists both; the Slack summary of the second compares it with the first
    expect(listRuns(path.join(root, 'store')).runs.map((r) => r.folder)).toEqual([first.rawDir, second.rawDir]);
    expect(JSON.stringify(sink.messages[0])).toContain(`vs previous run ${path.basename(first.rawDir)}`);
  });

  it('stresses the clients too with --all (one RunCommand for all hosts)', async () => {
    setup(async (_s, id) => ({ output: cannedStressOutput(id), exitCode: 0 }));
    const r = await stressRun({ ...testIo(env, root), app: 'app', all: true, timeout: 1 });
    expect(double.callsOf('RunCommand')[0]?.query).toMatchObject({ 'InstanceId.1': SERVER, 'InstanceId.2': CLIENT });
    expect(r.hosts.map((h) => h.instanceId)).toEqual([SERVER, CLIENT]);
  });

  it('fails with exit 5 and shows the stress-ng log when no YAML came back', async () => {
    setup(async () => ({
      output: '@@ECS-PULSE-BEGIN stress-ng@@\n\n@@ECS-PULSE-END stress-ng rc=1@@\n@@ECS-PULSE-BEGIN stress-ng-log@@\nstress-ng: error: [1] invalid option\n@@ECS-PULSE-END stress-ng-log rc=1@@\n',
      exitCode: 1,
    }));
    const io = testIo(env, root);
    await expect(stressRun({ ...io, app: 'app', timeout: 1 })).rejects.toThrow(
      expect.objectContaining({ code: 'REMOTE_COMMAND_FAILED', exitCode: 5, message: expect.stringContaining('1 of 1 stress-ng run(s) failed') }),
    );
    expect(io.stdout.text()).toContain('invalid option');
  });

  it('fails with STACK_OUTPUTS when nothing is deployed and no --server is given', async () => {
    setup();
    const io = testIo(cloudEnv(double.url, { PATH: path.dirname(process.execPath), HOME: root }), root);
    await expect(stressRun({ ...io, app: 'app' })).rejects.toThrow(
      expect.objectContaining({ code: 'STACK_OUTPUTS', message: expect.stringContaining('Run "ecs-pulse deploy" first') }),
    );
  });

  it('fails with CREDENTIALS_MISSING (exit 3) when the default chain finds nothing', async () => {
    setup();
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('ALIBABA_CLOUD')) delete process.env[k];
    Object.assign(process.env, { HOME: root, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' });
    try {
      const io = testIo({ PATH: env.PATH, HOME: root, ECS_PULSE_ENDPOINT_ECS: double.url }, root);
      await expect(stressRun({ ...io, server: SERVER, region: REGION })).rejects.toThrow(
        expect.objectContaining({ code: 'CREDENTIALS_MISSING', exitCode: 3, message: expect.stringContaining('ALIBABA_CLOUD_ACCESS_KEY_ID') }),
      );
      expect(double.calls).toEqual([]);
    } finally {
      process.env = saved;
    }
  });

  it('validates stressor names and sizes so nothing unsafe reaches the shell', () => {
    expect(stressorList({})).toEqual([['cpu', 0]]);
    expect(stressorList({ cpu: 2, vm: 1, stressors: ['matrix:3', 'io'] })).toEqual([['cpu', 2], ['vm', 1], ['matrix', 3], ['io', 1]]);
    expect(() => stressorList({ stressors: ['cpu;reboot'] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

function cannedStressOutput(instanceId: string): string {
  const yaml = readFileSync(path.join(__dirname, '..', 'fixtures', 'stress-ng-0.15.06.yaml'), 'utf8');
  return `@@ECS-PULSE-BEGIN stress-ng@@\n${yaml}\n@@ECS-PULSE-END stress-ng rc=0@@\nran on ${instanceId}\n`;
}
