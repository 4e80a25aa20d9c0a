import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalProvider } from '@cdktf/provider-local/lib/provider/index.js';
import { SensitiveFile } from '@cdktf/provider-local/lib/sensitive-file/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
import { TlsProvider } from '@cdktf/provider-tls/lib/provider/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import { Offset } from '@cdktf/provider-time/lib/offset/index.js';
import { PrivateKey } from '@cdktf/provider-tls/lib/private-key/index.js';
import { App, Fn, TerraformIterator, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import {
  AlicloudProvider,
  CmsEventRule,
  DataAlicloudImages,
  DataAlicloudZones,
  EcsKeyPair,
  Fcv3Function,
  Instance,
  SecurityGroup,
  SecurityGroupRule,
  Vpc,
  Vswitch,
} from '../../src/gen/index.js';

/** A realistic stack: alicloud network + host + function + event rule, with random/tls/time/local helpers. */
export function buildGoodStack(stack: Construct): void {
  new AlicloudProvider(stack, 'alicloud', { region: 'cn-hangzhou' });
  new RandomProvider(stack, 'random');
  new TlsProvider(stack, 'tls');
  new LocalProvider(stack, 'local');
  new TimeProvider(stack, 'time');
  const zones = new DataAlicloudZones(stack, 'zones', { availableResourceCreation: 'VSwitch' });
  const images = new DataAlicloudImages(stack, 'ubuntu', { nameRegex: '^ubuntu_22_04', owners: 'system', mostRecent: true });
  const vpc = new Vpc(stack, 'vpc', { vpcName: 'ecs-pulse', cidrBlock: '172.16.0.0/16' });
  const vswitch = new Vswitch(stack, 'vswitch', { vpcId: vpc.id, cidrBlock: '172.16.0.0/24', zoneId: zones.zones.get(0).id });
  const group = new SecurityGroup(stack, 'sg', { vpcId: vpc.id, securityGroupName: 'ecs-pulse' });
  const cidrs = new TerraformVariable(stack, 'allowed_cidrs', { type: 'list(string)', default: ['10.0.0.0/8'] });
  const iterator = TerraformIterator.fromList(cidrs.listValue);
  new SecurityGroupRule(stack, 'iperf', {
    forEach: iterator,
    type: 'ingress',
    ipProtocol: 'tcp',
    portRange: '5201/5201',
    securityGroupId: group.id,
    cidrIp: iterator.value,
  });
  const key = new PrivateKey(stack, 'ssh', { algorithm: 'ED25519' });
  const pair = new EcsKeyPair(stack, 'pair', { keyPairName: 'ecs-pulse', publicKey: key.publicKeyOpenssh });
  new SensitiveFile(stack, 'pem', { filename: '/tmp/ecs-pulse.pem', content: key.privateKeyOpenssh, filePermission: '0600' });
  const release = new Offset(stack, 'release', { offsetHours: 4 });
  new Instance(stack, 'host', {
    count: 2,
    instanceType: 'ecs.g7.large',
    imageId: images.images.get(0).id,
    securityGroups: [group.id],
    vswitchId: vswitch.id,
    keyName: pair.keyPairName,
    autoReleaseTime: release.rfc3339,
    userData: Fn.base64encode(Fn.join('\n', ['#!/bin/sh', 'apt-get install -y iperf3'])),
    dataDisks: [{ size: 40, category: 'cloud_essd' }],
    tags: { project: 'ecs-pulse' },
  });
  const token = new Password(stack, 'token', { length: 32, special: false });
  const webhook = new TerraformVariable(stack, 'slack_webhook_url', { type: 'string', sensitive: true });
  new Fcv3Function(stack, 'forwarder', {
    functionName: 'ecs-pulse-forwarder',
    runtime: 'nodejs20',
    handler: 'index.handler',
    memorySize: 512,
    code: { zipFile: Fn.filebase64('/tmp/code.zip') },
    environmentVariables: {
      SLACK_WEBHOOK_URL: webhook.stringValue,
      TOKEN: Fn.sha256(token.result),
      HOST_IP: '${element(alicloud_instance.host.*.public_ip, 0)}',
    },
  });
  new CmsEventRule(stack, 'rule', {
    ruleName: 'ecs-pulse',
    eventPattern: { product: 'ecs', eventTypeList: ['StatusNotification'], levelList: ['CRITICAL', 'WARN'] },
  });
  new TerraformOutput(stack, 'first_host_ip', { value: `\${alicloud_instance.host[0].public_ip}` });
}

/** Synthesizes `buildGoodStack` through a real App and returns the parsed cdk.tf.json (with `//` metadata). */
export function synthGoodStack(): Record<string, any> {
  const outdir = mkdtempSync(join(tmpdir(), 'alicloud-provider-check-'));
  try {
    const app = new App({ outdir });
    buildGoodStack(new TerraformStack(app, 'good'));
    app.synth();
    return JSON.parse(readFileSync(join(outdir, 'stacks/good/cdk.tf.json'), 'utf8')) as Record<string, any>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
