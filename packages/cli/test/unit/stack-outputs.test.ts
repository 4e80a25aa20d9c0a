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
});
