import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startSlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveFunctionTarget, sendTestEvent } from '../../src/commands/send-test-event.js';
import { cloudEnv } from '../helpers/cloud-env.js';
import { deployedStack } from '../helpers/deployed-stack.js';
import { tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';
import { main } from '../../src/cli.js';
import { OpenApiDouble } from '../helpers/openapi-double.js';

let double: OpenApiDouble;
let dir: string;

beforeEach(async () => {
  double = new OpenApiDouble();
  await double.start();
  dir = tempDir();
});
afterEach(async () => {
  await double.stop();
});

describe('Command: send-test-event', () => {
  it('renders the bundled sample with the parser + notifier and posts it to a webhook', async () => {
    const sink = await startSlackSink();
    try {
      const io = testIo({ NO_COLOR: '1' }, dir);
      const r = await sendTestEvent({ ...io, webhook: sink.url });
      expect(r).toMatchObject({ target: 'webhook', alerts: 1 });
      expect(sink.messages).toHaveLength(1);
      expect(JSON.stringify(sink.messages[0])).toContain('i-bp1fake0instance0001');
      expect(io.stdout.text()).toBe('Sent 1 alert to the Slack webhook.\n');
    } finally {
      await sink.close();
    }
  });

  it('sends a metric-alarm form file as such', async () => {
    const sink = await startSlackSink();
    try {
      writeFileSync(path.join(dir, 'alarm.txt'), 'alertName=HighCPU&alertState=ALERT&metricName=CPUUtilization&namespace=acs_ecs_dashboard&timestamp=1741569675474&dimensions=%7BinstanceId%3Di-bp1fake0instance0001%7D&curValue=95&userId=1234567890123456');
      const r = await sendTestEvent({ ...testIo({}, dir), file: 'alarm.txt', webhook: sink.url });
      expect(r.alerts).toBe(1);
      expect(JSON.stringify(sink.messages[0])).toContain('CPUUtilization');
    } finally {
      await sink.close();
    }
  });

  it('fails with EVENT_INVALID for a payload the parser rejects, and FILE_NOT_FOUND for a missing file', async () => {
    writeFileSync(path.join(dir, 'bad.json'), '{"hello":"world"}');
    await expect(sendTestEvent({ ...testIo({}, dir), file: 'bad.json', webhook: 'https://hooks.slack.com/services/T0/B0/x' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('bad.json is not an event the parser understands') }),
    );
    await expect(sendTestEvent({ ...testIo({}, dir), file: 'nope.json' })).rejects.toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
  });

  it('reports a Slack refusal as SLACK_FAILED (exit 6) without the URL', async () => {
    const sink = await startSlackSink();
    sink.script({ status: 404, body: 'channel_not_found' });
    try {
      const error = await sendTestEvent({ ...testIo({}, dir), webhook: sink.url }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'SLACK_FAILED', exitCode: 6 });
      expect((error as Error).message).not.toContain(new URL(sink.url).pathname);
    } finally {
      await sink.close();
    }
  });

  it('invokes an FC 3.0 function with InvokeFunction (ROA, signed) and prints its answer', async () => {
    double.on('2023-03-30', 'InvokeFunction', (call) => {
      if (call.method !== 'POST' || call.path !== '/2023-03-30/functions/ecs-pulse-forwarder/invocations') throw new Error(`bad path ${call.path}`);
      const body = JSON.parse(call.body.toString('utf8')) as { name?: string };
      if (body.name !== 'Instance:StateChange') throw new Error('body is not the sample event');
      return { raw: JSON.stringify({ ok: true, summary: { alerts: 1, delivered: 1 } }) };
    });
    const io = testIo(cloudEnv(double.url), dir);
    const r = await sendTestEvent({ ...io, functionName: 'ecs-pulse-forwarder', region: 'cn-hangzhou' });
    expect(double.rejected).toEqual([]);
    expect(r).toMatchObject({ target: 'fc3', statusCode: 200, functionName: 'ecs-pulse-forwarder' });
    expect(JSON.parse(r.response ?? '')).toEqual({ ok: true, summary: { alerts: 1, delivered: 1 } });
    expect(io.stdout.text()).toContain('Invoked ecs-pulse-forwarder: HTTP 200');
  });

  it('invokes the original FC 2.0 ECSMonitoringService/ECSMonitoringFunction by default with --fc-version 2', async () => {
    double.on('2021-04-06', 'InvokeFunction', (call) => {
      if (call.path !== '/2021-04-06/services/ECSMonitoringService/functions/ECSMonitoringFunction/invocations') throw new Error(`bad path ${call.path}`);
      return { raw: 'ok' };
    });
    const r = await sendTestEvent({ ...testIo(cloudEnv(double.url), dir), fcVersion: 2, region: 'cn-hangzhou', json: true });
    expect(double.rejected).toEqual([]);
    expect(r).toMatchObject({ target: 'fc2', response: 'ok', functionName: 'ECSMonitoringFunction' });
  });

  it('reports a function error (x-fc-error-type) as REMOTE_COMMAND_FAILED', async () => {
    double.on('2023-03-30', 'InvokeFunction', () => ({ raw: '{"errorMessage":"boom"}', headers: { 'x-fc-error-type': 'UnhandledInvocationError' } }));
    await expect(sendTestEvent({ ...testIo(cloudEnv(double.url), dir), functionName: 'f', region: 'cn-hangzhou' })).rejects.toThrow(
      expect.objectContaining({ code: 'REMOTE_COMMAND_FAILED', message: expect.stringContaining('f failed with UnhandledInvocationError') }),
    );
  });

  it('needs the account id for the real FC endpoint', async () => {
    const env = cloudEnv(double.url);
    delete env.ECS_PULSE_ENDPOINT_FC;
    await expect(sendTestEvent({ ...testIo(env, dir), functionName: 'f', region: 'cn-hangzhou' })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('--account-id') }),
    );
  });

  it('invokes the deployed FC 3.0 function named by the forwarder outputs, in the forwarder region', async () => {
    // Prepare: a deployed stack with the SlackForwarder and StressHost outputs
    const stack = await deployedStack({
      region: 'cn-hangzhou',
      forwarder_fc_version: 3,
      forwarder_function_name: 'acme-alerts',
      forwarder_region: 'cn-shanghai',
      forwarder_account_id: '1234567890123456',
    });
    double.on('2023-03-30', 'InvokeFunction', (call) => {
      if (call.path !== '/2023-03-30/functions/acme-alerts/invocations') throw new Error(`bad path ${call.path}`);
      return { raw: '{"ok":true}' };
    });
    const io = testIo(cloudEnv(double.url, stack.env), stack.root);
    // Act
    const r = await sendTestEvent({ ...io, app: stack.app, json: true });
    // Assess
    expect(double.rejected).toEqual([]);
    expect(double.callsOf('InvokeFunction')).toHaveLength(1);
    expect(r).toMatchObject({ target: 'fc3', functionName: 'acme-alerts', region: 'cn-shanghai', statusCode: 200 });
    expect(JSON.parse(io.stdout.text())).toMatchObject({ target: 'fc3', functionName: 'acme-alerts', region: 'cn-shanghai' });
  });

  it('invokes the FC 2.0 service/function of the outputs without --fc-version', async () => {
    const stack = await deployedStack({ forwarder_fc_version: 2, forwarder_service_name: 'OpsService', forwarder_function_name: 'OpsFunction', forwarder_region: 'cn-beijing' });
    double.on('2021-04-06', 'InvokeFunction', (call) => {
      if (call.path !== '/2021-04-06/services/OpsService/functions/OpsFunction/invocations') throw new Error(`bad path ${call.path}`);
      return { raw: 'ok' };
    });
    const r = await sendTestEvent({ ...testIo(cloudEnv(double.url, stack.env), stack.root), app: stack.app });
    expect(double.rejected).toEqual([]);
    expect(r).toMatchObject({ target: 'fc2', serviceName: 'OpsService', functionName: 'OpsFunction', region: 'cn-beijing', response: 'ok' });
  });

  it('without a deployed stack, --region and --account-id stand in for it: the FC 3.0 default function is invoked', async () => {
    // Prepare: no app anywhere, the real FC endpoint shape (no endpoint override) is not needed: the double answers
    double.on('2023-03-30', 'InvokeFunction', (call) => {
      if (call.path !== '/2023-03-30/functions/ecs-pulse-slack-forwarder/invocations') throw new Error(`bad path ${call.path}`);
      return { raw: '{"ok":true}' };
    });
    const io = testIo(cloudEnv(double.url), dir);
    // Act
    const r = await sendTestEvent({ ...io, app: dir, region: 'cn-hangzhou', accountId: '1234567890123456' });
    // Assess
    expect(double.rejected).toEqual([]);
    expect(r).toMatchObject({ target: 'fc3', functionName: 'ecs-pulse-slack-forwarder', region: 'cn-hangzhou', statusCode: 200 });
  });

  it('passes option values exactly as typed (a numeric-looking --function 0123 stays "0123", not 123)', async () => {
    double.on('2023-03-30', 'InvokeFunction', (call) => {
      if (call.path !== '/2023-03-30/functions/0123/invocations') throw new Error(`bad path ${call.path}`);
      return { raw: '{"ok":true}' };
    });
    const stdout = capture();
    const stderr = capture();
    const code = await main(['node', 'ecs-pulse', 'send-test-event', '--function', '0123', '--region', 'cn-hangzhou', '--json'], { stdout, stderr, env: cloudEnv(double.url), cwd: dir });
    expect(stderr.text()).toBe('');
    expect(code).toBe(0);
    expect(double.rejected).toEqual([]);
    expect(JSON.parse(stdout.text())).toMatchObject({ functionName: '0123', statusCode: 200 });
  });

  it('without a stack and without --region, says the region is missing (not "no deployed stack")', async () => {
    const env = cloudEnv(double.url);
    await expect(sendTestEvent({ ...testIo(env, dir), app: dir, accountId: '1234567890123456' })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', exitCode: 2, message: expect.stringMatching(/^No region given\. Pass --region/) }),
    );
    expect(double.calls).toEqual([]);
  });
});

describe('Function: resolveFunctionTarget', () => {
  const fc3Stack = { clients: [], fcVersion: 3 as const, functionName: 'acme-alerts', functionRegion: 'cn-shanghai', region: 'cn-hangzhou', accountId: '1234567890123456' };
  const fc2Stack = { clients: [], fcVersion: 2 as const, functionName: 'OpsFunction', serviceName: 'OpsService', region: 'cn-beijing' };

  it('takes the function, region and account id from the stack outputs when the options leave them open', () => {
    expect(resolveFunctionTarget({}, fc3Stack, {})).toEqual({
      fcVersion: 3,
      functionName: 'acme-alerts',
      serviceName: undefined,
      region: 'cn-shanghai',
      accountId: '1234567890123456',
    });
    expect(resolveFunctionTarget({}, fc2Stack, {})).toEqual({ fcVersion: 2, functionName: 'OpsFunction', serviceName: 'OpsService', region: 'cn-beijing', accountId: undefined });
  });

  it('lets options win, then the stack, then the environment', () => {
    expect(resolveFunctionTarget({ functionName: 'other', region: 'cn-qingdao', accountId: '999' }, fc3Stack, { ALIBABA_CLOUD_ACCOUNT_ID: '111' })).toMatchObject({
      functionName: 'other',
      region: 'cn-qingdao',
      accountId: '999',
    });
    expect(resolveFunctionTarget({}, undefined, { ALIBABA_CLOUD_ACCOUNT_ID: '111', ALIBABA_CLOUD_REGION_ID: 'cn-zhangjiakou' })).toEqual({
      fcVersion: 3,
      functionName: 'ecs-pulse-slack-forwarder',
      serviceName: undefined,
      region: 'cn-zhangjiakou',
      accountId: '111',
    });
  });

  it("ignores the stack's names when --fc-version asks for the other generation", () => {
    expect(resolveFunctionTarget({ fcVersion: 2 }, fc3Stack, {})).toMatchObject({ fcVersion: 2, functionName: 'ECSMonitoringFunction', serviceName: 'ECSMonitoringService', region: 'cn-shanghai' });
    expect(resolveFunctionTarget({ fcVersion: 3 }, fc2Stack, {}).functionName).toBe('ecs-pulse-slack-forwarder');
  });
});
