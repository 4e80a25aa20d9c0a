import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { synth } from '../../src/commands/lifecycle.js';
import { fakeApp, fakeExecutable, pathWith, tempDir } from './fake-tools.js';
import { testIo } from './io.js';

/**
 * A synthesized fake cdktf app whose (fake) `terraform output -json` prints `outputs`, as after
 * `ecs-pulse deploy`. Pass `app` to the command and merge `env` into its environment.
 */
export async function deployedStack(outputs: Record<string, unknown>): Promise<{ readonly root: string; readonly app: string; readonly env: NodeJS.ProcessEnv }> {
  const root = tempDir();
  const bin = path.join(root, 'bin');
  fakeExecutable(bin, 'terraform');
  fakeApp(path.join(root, 'app'));
  const env = { PATH: pathWith(bin), HOME: root };
  writeFileSync(
    path.join(bin, 'terraform.output.stdout'),
    JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: Array.isArray(v) ? ['list', 'string'] : typeof v, sensitive: false }]))),
  );
  await synth({ ...testIo(env, root), app: 'app' });
  return { root, app: path.join(root, 'app'), env };
}
