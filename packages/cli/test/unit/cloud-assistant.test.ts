import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRemote } from '../../src/cloud/cloud-assistant.js';
import { clientSettings } from '../../src/cloud/config.js';
import { resolveIo } from '../../src/io.js';
import { cloudEnv } from '../helpers/cloud-env.js';
import { ecsDouble, type Runner } from '../helpers/ecs-double.js';
import { tempDir } from '../helpers/fake-tools.js';
import { testIo } from '../helpers/io.js';
import { OpenApiDouble } from '../helpers/openapi-double.js';

const REGION = 'cn-hangzhou';
let double: OpenApiDouble;

beforeEach(async () => {
  double = new OpenApiDouble();
  await double.start();
});
afterEach(async () => {
  await double.stop();
});

/** Each instance finishes after its own delay (ms), printing its id. */
const staggered = (delays: Record<string, number>): Runner => (_script, id) =>
  new Promise((resolve) => setTimeout(() => resolve({ output: `done on ${id}\n`, exitCode: 0 }), delays[id] ?? 0));

describe('Cloud Assistant: a multi-instance invocation (real ECS SDK against the double)', () => {
  it('polls until every instance is terminal, not until the first one is (issue 15, defect 1)', async () => {
    // Prepare: the first instance is done at once, the others 150 ms and 300 ms later.
    const ids = ['i-bp1first0000001', 'i-bp1second000001', 'i-bp1third0000001'];
    const ecs = ecsDouble(double, { region: REGION, instances: {}, runner: staggered({ [ids[0]!]: 0, [ids[1]!]: 150, [ids[2]!]: 300 }) });
    const io = resolveIo(testIo(cloudEnv(double.url), tempDir()));
    // Act
    const results = await runRemote(
      { settings: await clientSettings('ecs', REGION, io.env), instanceIds: ids, script: '#!/bin/bash\necho hi\n', timeoutSeconds: 30, name: 'test', label: 'test' },
      io,
    );
    // Assess
    expect(double.rejected).toEqual([]);
    expect(results.map((r) => [r.instanceId, r.status, r.output])).toEqual(ids.map((id) => [id, 'Success', `done on ${id}\n`]));
    expect(ecs.invocations[0]?.polls).toBeGreaterThan(2);
  });

  it('keeps polling when the service has not listed every instance yet', async () => {
    // Prepare: page size 1 and a slow second instance: the first page alone looks "Finished".
    const ids = ['i-bp1first0000001', 'i-bp1second000001'];
    ecsDouble(double, { region: REGION, instances: {}, pageSize: 1, runner: staggered({ [ids[1]!]: 120 }) });
    const io = resolveIo(testIo(cloudEnv(double.url), tempDir()));
    // Act
    const results = await runRemote(
      { settings: await clientSettings('ecs', REGION, io.env), instanceIds: ids, script: '#!/bin/bash\necho hi\n', timeoutSeconds: 30, name: 'test', label: 'test' },
      io,
    );
    // Assess
    expect(results.map((r) => r.status)).toEqual(['Success', 'Success']);
  });
});
