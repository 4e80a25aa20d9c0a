import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deploy } from '../../src/commands/lifecycle.js';
import { cloudEnv } from '../helpers/cloud-env.js';
import { fakeExecutable, pathWith, tempDir } from '../helpers/fake-tools.js';
import { testIo } from '../helpers/io.js';
import { OpenApiDouble } from '../helpers/openapi-double.js';
import { resourceManagerDouble } from '../helpers/resourcemanager-double.js';

const ROLE = 'AliyunServiceRoleForEventBridgeSendToFC';
const SERVICE = 'sendevent-fc.eventbridge.aliyuncs.com';

/** A cdktf app whose one stack synthesizes to `stackJson`. */
function appWithStack(dir: string, stackJson: unknown): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ app: 'node synth.mjs', language: 'typescript' }));
  writeFileSync(
    path.join(dir, 'synth.mjs'),
    `import fs from 'node:fs';
import path from 'node:path';
const out = process.env.CDKTF_OUTDIR;
fs.mkdirSync(path.join(out, 'stacks', 'alerts'), { recursive: true });
fs.writeFileSync(path.join(out, 'stacks', 'alerts', 'cdk.tf.json'), ${JSON.stringify(JSON.stringify(stackJson))});
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { alerts: { name: 'alerts', workingDirectory: 'stacks/alerts' } } }));
`,
  );
  return dir;
}

const eventBridgeStack = (extra: Record<string, unknown> = {}) => ({
  provider: { alicloud: [{ region: 'cn-shanghai' }] },
  resource: {
    alicloud_fcv3_trigger: { events: { trigger_type: 'eventbridge', function_name: 'f', qualifier: 'LATEST' }, http: { trigger_type: 'http' } },
    ...extra,
  },
});

let double: OpenApiDouble;
let root: string;
let env: NodeJS.ProcessEnv;
let roles: Set<string>;

beforeEach(async () => {
  double = new OpenApiDouble();
  await double.start();
  root = tempDir();
  const bin = path.join(root, 'bin');
  fakeExecutable(bin, 'terraform');
  env = cloudEnv(double.url, { PATH: pathWith(bin), HOME: root, ECS_PULSE_ENDPOINT_RESOURCEMANAGER: double.url });
  roles = new Set(['AliyunServiceRoleForECS']);
  resourceManagerDouble(double, { roles, services: { [SERVICE]: ROLE } });
});
afterEach(async () => {
  await double.stop();
});

describe('Command: deploy and the EventBridge service-linked role (issue 15, defect 4; real ResourceManager SDK against the double)', () => {
  it('creates the account-wide role once when the stack routes EventBridge to FC and the account lacks it, and says so', async () => {
    // Prepare
    appWithStack(path.join(root, 'app'), eventBridgeStack());
    const io = testIo(env, root);
    // Act
    await deploy({ ...io, app: 'app', yes: true });
    // Assess
    expect(double.rejected).toEqual([]);
    expect(double.callsOf('GetRole').map((c) => c.query.RoleName)).toEqual([ROLE]);
    expect(double.callsOf('CreateServiceLinkedRole').map((c) => c.query.ServiceName)).toEqual([SERVICE]);
    expect(roles.has(ROLE)).toBe(true);
    expect(io.stderr.text()).toContain(`Created the service-linked role ${ROLE}`);
    expect(io.stderr.text()).toContain('destroy keeps it');
    // Act again: now present, nothing is created
    const again = testIo(env, root);
    await deploy({ ...again, app: 'app', yes: true });
    expect(double.callsOf('CreateServiceLinkedRole')).toHaveLength(1);
    expect(again.stderr.text()).toContain(`The account has the service-linked role ${ROLE}`);
  });

  it('leaves the role alone when the stack manages it (opt-in) or has no EventBridge trigger', async () => {
    appWithStack(path.join(root, 'managed'), eventBridgeStack({ alicloud_event_bridge_service_linked_role: { slr: { product_name: ROLE } } }));
    appWithStack(path.join(root, 'http-only'), { resource: { alicloud_fcv3_trigger: { http: { trigger_type: 'http' } } } });
    await deploy({ ...testIo(env, root), app: 'managed', yes: true });
    await deploy({ ...testIo(env, root), app: 'http-only', yes: true });
    expect(double.calls).toEqual([]);
  });

  it('goes on with a warning when it may not read RAM roles; fails on other API errors', async () => {
    appWithStack(path.join(root, 'app'), eventBridgeStack());
    double.fail('GetRole', { status: 403, json: { Code: 'NoPermission', Message: 'You are not authorized to do this action.', RequestId: 'R' } });
    const io = testIo(env, root);
    await deploy({ ...io, app: 'app', yes: true });
    expect(io.stderr.text()).toContain(`Could not check the service-linked role ${ROLE}`);
    double.fail('GetRole', { status: 400, json: { Code: 'InvalidParameter', Message: 'bad', RequestId: 'R' } });
    await expect(deploy({ ...testIo(env, root), app: 'app', yes: true })).rejects.toThrow(expect.objectContaining({ code: 'CLOUD_API' }));
  });
});
