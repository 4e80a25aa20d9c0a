import { SLACK_FORWARDER_OUTPUTS } from '@ecs-pulse/alicloud-fc-slack-forwarder';
import { STRESS_HOST_OUTPUTS } from '@ecs-pulse/stress-host';
import { describe, expect, it } from 'vitest';
import { stackInfoFromOutputs } from '../../src/stack-outputs.js';

const o = (value: unknown, sensitive = false) => ({ value, type: 'string', sensitive });

describe('Function: stackInfoFromOutputs', () => {
  it('reads the output names StressHost writes (STRESS_HOST_OUTPUTS)', () => {
    const info = stackInfoFromOutputs({
      server_instance_id: o('i-server'),
      client_instance_ids: o(['i-c1', 'i-c2']),
      instance_ids: o(['i-server', 'i-c1', 'i-c2']),
      server_private_ip: o('10.0.0.10'),
      client_private_ips: o(['10.0.0.11', '10.0.0.12']),
      server_public_ip: o(''),
      client_public_ips: o(['', '']),
      region: o('cn-hangzhou'),
      iperf3_port: o(5201),
      ssh_private_key_path: o('/work/app/stress.pem'),
      alarm_rule_ids: o([]),
      callback_url: o('https://x.fcapp.run/?token=SECRET', true),
    });
    expect(info).toEqual({
      region: 'cn-hangzhou',
      server: { instanceId: 'i-server', privateIp: '10.0.0.10' },
      clients: [
        { instanceId: 'i-c1', privateIp: '10.0.0.11' },
        { instanceId: 'i-c2', privateIp: '10.0.0.12' },
      ],
      keyFile: '/work/app/stress.pem',
      alarmRuleIds: [],
    });
  });

  it('accepts prefixed and camel-cased names and ignores sensitive outputs', () => {
    const info = stackInfoFromOutputs({
      'lab_server_instance_id': o('i-a'),
      serverPublicIp: o('203.0.113.5'),
      forwarderFunctionName: o('ecs-pulse-forwarder'),
      account_id: o('1234567890123456', true),
    });
    expect(info.server).toEqual({ instanceId: 'i-a', publicIp: '203.0.113.5' });
    expect(info.functionName).toBe('ecs-pulse-forwarder');
    expect(info.accountId).toBeUndefined();
  });

  it('reads the forwarder outputs by their documented names (SLACK_FORWARDER_OUTPUTS), with or without outputPrefix', () => {
    // Prepare: the names come from the constructs themselves, so a rename breaks this test
    const f = SLACK_FORWARDER_OUTPUTS;
    const fc3 = stackInfoFromOutputs({
      [STRESS_HOST_OUTPUTS.region]: o('cn-hangzhou'),
      [f.fcVersion]: o(3),
      [f.functionName]: o('ecs-pulse-slack-forwarder'),
      [f.region]: o('cn-shanghai'),
      [f.accountId]: o('1234567890123456'),
      forwarder_callback_url: o('https://x.fcapp.run/?token=SECRET', true),
    });
    // Assess: the hosts' region stays the hosts' region; the function has its own
    expect(fc3).toMatchObject({ region: 'cn-hangzhou', fcVersion: 3, functionName: 'ecs-pulse-slack-forwarder', functionRegion: 'cn-shanghai', accountId: '1234567890123456' });
    expect(fc3.serviceName).toBeUndefined();

    const fc2 = stackInfoFromOutputs({
      [`ops_${f.fcVersion}`]: o(2),
      [`ops_${f.functionName}`]: o('ECSMonitoringFunction'),
      [`ops_${f.serviceName}`]: o('ECSMonitoringService'),
      [`ops_${f.region}`]: o('cn-beijing'),
    });
    expect(fc2).toMatchObject({ fcVersion: 2, functionName: 'ECSMonitoringFunction', serviceName: 'ECSMonitoringService', functionRegion: 'cn-beijing' });
    // without a hosts region output, the function's region is the stack's region
    expect(fc2.region).toBe('cn-beijing');
    expect(stackInfoFromOutputs({ forwarder_fc_version: o(4) }).fcVersion).toBeUndefined();
  });

  it('tells an empty alarm_rule_ids output (alarms off) from a missing one', () => {
    const name = STRESS_HOST_OUTPUTS.alarmRuleIds;
    expect(stackInfoFromOutputs({ [name]: o(['r-1', 'r-2']) }).alarmRuleIds).toEqual(['r-1', 'r-2']);
    expect(stackInfoFromOutputs({ [name]: o([]) }).alarmRuleIds).toEqual([]);
    expect(stackInfoFromOutputs({ region: o('cn-hangzhou') }).alarmRuleIds).toBeUndefined();
    expect(stackInfoFromOutputs({ [`b_${name}`]: o(['r-b']) }).alarmRuleIds).toEqual(['r-b']);
  });
});
