import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { deploy, destroy, plan, synth } from '../../src/commands/lifecycle.js';
import { main } from '../../src/cli.js';
import { CliError } from '../../src/errors.js';
import { fakeApp, fakeExecutable, pathWith, tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';

let root: string;
let bin: string;
let app: string;
let tf: ReturnType<typeof fakeExecutable>;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  root = tempDir();
  bin = path.join(root, 'bin');
  app = fakeApp(path.join(root, 'app'));
  tf = fakeExecutable(bin, 'terraform');
  env = { PATH: pathWith(bin), HOME: root };
});

const stackDir = () => path.join(app, 'cdktf.out', 'stacks', 'stress-test');

describe('Command: synth', () => {
  it('runs the cdktf.json app with CDKTF_OUTDIR and context, and lists the stacks', async () => {
    // Prepare
    const io = testIo(env, root);
    // Act
    const result = await synth({ ...io, app: 'app', context: { forwarder: 'fc2' } });
    // Assess
    expect(result.stacks).toEqual([{ name: 'stress-test', dir: stackDir() }]);
    expect(result.outdir).toBe(path.join(app, 'cdktf.out'));
    expect(JSON.parse(readFileSync(path.join(app, 'context.json'), 'utf8'))).toEqual({ forwarder: 'fc2' });
    expect(io.stdout.text()).toContain('Synthesized 1 stack into');
    expect(io.stderr.text()).toContain('synthesized'); // the app's own output, live on stderr
    expect(tf.calls()).toEqual([]); // synth needs no terraform
  });

  it('prints JSON with --json and keeps the app output off stdout', async () => {
    const io = testIo(env, root);
    await synth({ ...io, app: 'app', json: true });
    const parsed = JSON.parse(io.stdout.text()) as { stacks: Array<{ name: string }> };
    expect(parsed.stacks.map((s) => s.name)).toEqual(['stress-test']);
  });

  it('uses the current folder when it holds a cdktf.json', async () => {
    const io = testIo(env, app);
    const result = await synth(io);
    expect(result.app).toBe(app);
  });

  it('fails with APP_NOT_FOUND when --app is not a cdktf app', async () => {
    const io = testIo(env, root);
    mkdirSync(path.join(root, 'empty'));
    await expect(synth({ ...io, app: 'empty' })).rejects.toThrow(
      expect.objectContaining({ code: 'APP_NOT_FOUND', exitCode: 2, message: expect.stringContaining('Pass --app <dir>') }),
    );
  });

  it('fails with SUBPROCESS_FAILED and the exit code when the app throws', async () => {
    fakeApp(path.join(root, 'broken'), ['x'], { fail: true });
    const io = testIo(env, root);
    await expect(synth({ ...io, app: 'broken' })).rejects.toThrow(
      expect.objectContaining({ code: 'SUBPROCESS_FAILED', message: expect.stringContaining('exited with code 7') }),
    );
    expect(io.stderr.text()).toContain('boom: the app threw');
  });
});

describe('Command: plan', () => {
  it('runs terraform init then plan in the synthesized stack folder', async () => {
    const io = testIo(env, root);
    const result = await plan({ ...io, app: 'app' });
    expect(result).toEqual({ stack: 'stress-test', dir: stackDir() });
    expect(tf.calls().map((c) => [c.args, c.cwd])).toEqual([
      [['init', '-input=false', '-no-color'], stackDir()],
      [['plan', '-input=false', '-no-color'], stackDir()],
    ]);
    expect(tf.calls()[0]?.env.TF_IN_AUTOMATION).toBe('1');
    expect(io.stderr.text()).toContain('terraform plan -input=false -no-color ok'); // live output
  });

  it('asks for --stack when the app has several stacks', async () => {
    fakeApp(path.join(root, 'multi'), ['a', 'b']);
    const io = testIo(env, root);
    await expect(plan({ ...io, app: 'multi' })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('pick one with --stack') }),
    );
    const ok = await plan({ ...testIo(env, root), app: 'multi', stack: 'b' });
    expect(ok.dir).toBe(path.join(root, 'multi', 'cdktf.out', 'stacks', 'b'));
  });

  it('names terraform and how to install it when it is not on PATH', async () => {
    const io = testIo({ PATH: path.dirname(process.execPath), HOME: root }, root);
    const error = await plan({ ...io, app: 'app' }).catch((e: unknown) => e);
    expect(CliError.isCliError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TERRAFORM_NOT_FOUND', exitCode: 3 });
    expect((error as Error).message).toMatch(/terraform not found on PATH\. Install Terraform/);
    expect(existsSync(path.join(app, 'cdktf.out'))).toBe(false); // checked before synthesizing
  });

  it('honours ECS_PULSE_TERRAFORM', async () => {
    const other = fakeExecutable(path.join(root, 'other'), 'tf-1.9');
    const io = testIo({ ...env, ECS_PULSE_TERRAFORM: path.join(root, 'other', 'tf-1.9') }, root);
    await plan({ ...io, app: 'app' });
    expect(other.calls().map((c) => c.args[0])).toEqual(['init', 'plan']);
    expect(tf.calls()).toEqual([]);
  });
});

describe('Command: deploy', () => {
  it('applies with -auto-approve under --yes and caches only non-sensitive outputs with mode 0600', async () => {
    // Prepare
    writeFileSync(
      path.join(bin, 'terraform.output.stdout'),
      JSON.stringify({
        server_instance_id: { value: 'i-server', type: 'string', sensitive: false },
        webhook_url: { value: 'https://hooks.slack.com/services/T000/B000/SECRETSECRET', type: 'string', sensitive: true },
      }),
    );
    const io = testIo(env, root);
    // Act
    const result = await deploy({ ...io, app: 'app', yes: true });
    // Assess
    expect(tf.calls().map((c) => c.args)).toEqual([
      ['init', '-input=false', '-no-color'],
      ['apply', '-input=false', '-auto-approve', '-no-color'],
      ['output', '-json'],
    ]);
    expect(Object.keys(result.outputs)).toEqual(['server_instance_id']);
    expect(result.outputsFile).toBe(path.join(app, '.ecs-pulse', 'stress-test', 'outputs.json'));
    expect(statSync(result.outputsFile).mode & 0o777).toBe(0o600);
    const cached = readFileSync(result.outputsFile, 'utf8');
    expect(cached).toContain('i-server');
    expect(cached).not.toContain('SECRETSECRET');
    expect(io.stdout.text()).toContain('server_instance_id = "i-server"');
    expect(io.stdout.text()).toContain('1 sensitive output not shown');
    expect(io.stdout.text()).not.toContain('SECRETSECRET');
  });

  it('refuses to apply without --yes when stdin is not a terminal', async () => {
    const io = testIo(env, root);
    await expect(deploy({ ...io, app: 'app', interactive: false })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', exitCode: 2, message: expect.stringContaining('Pass --yes') }),
    );
    expect(tf.calls()).toEqual([]);
  });

  it("reports a failed apply with its exit code in a sentence of its own; terraform's error is shown live above it, redacted", async () => {
    writeFileSync(path.join(bin, 'terraform.apply.exit'), '1');
    writeFileSync(path.join(bin, 'terraform.apply.stderr'), 'Error: InvalidAccessKeyId.NotFound LTAI5tFAKEFAKEFAKE1234\n');
    const io = testIo(env, root);
    const error = await deploy({ ...io, app: 'app', yes: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SUBPROCESS_FAILED', exitCode: 1 });
    expect((error as Error).message).toBe(
      `terraform apply failed with exit code 1 in ${stackDir()}. Terraform's own error is above; fix what it names and run again.`,
    );
    expect(io.stderr.text()).toContain('Error: InvalidAccessKeyId.NotFound LTAI****');
    expect(io.stderr.text()).not.toContain('LTAI5tFAKEFAKEFAKE1234');
  });

  it('skips synthesis with --skip-synth', async () => {
    await synth({ ...testIo(env, root), app: 'app' });
    writeFileSync(path.join(app, 'synth.mjs'), 'process.exit(9)');
    await deploy({ ...testIo(env, root), app: 'app', yes: true, skipSynth: true });
    expect(tf.calls().map((c) => c.args[0])).toEqual(['init', 'apply', 'output']);
  });
});

describe('Command: destroy', () => {
  it('destroys, then removes the key file named by the outputs and the .ecs-pulse state', async () => {
    // Prepare
    const key = path.join(root, 'keys', 'stress.pem');
    mkdirSync(path.dirname(key));
    writeFileSync(key, 'PRIVATE KEY', { mode: 0o600 });
    writeFileSync(
      path.join(bin, 'terraform.output.stdout'),
      JSON.stringify({ private_key_file: { value: key, type: 'string', sensitive: false } }),
    );
    await deploy({ ...testIo(env, root), app: 'app', yes: true });
    expect(existsSync(path.join(app, '.ecs-pulse'))).toBe(true);
    const io = testIo(env, root);
    // Act
    const result = await destroy({ ...io, app: 'app', yes: true, json: true });
    // Assess
    expect(tf.calls().slice(3).map((c) => c.args)).toEqual([
      ['init', '-input=false', '-no-color'],
      ['output', '-json'],
      ['destroy', '-input=false', '-auto-approve', '-no-color'],
    ]);
    expect(result.removed).toEqual([key, path.join(app, '.ecs-pulse')]);
    expect(existsSync(key)).toBe(false);
    expect(existsSync(path.join(app, '.ecs-pulse'))).toBe(false);
    expect(JSON.parse(io.stdout.text())).toMatchObject({ stack: 'stress-test', removed: [key, path.join(app, '.ecs-pulse')] });
  });

  it('keeps local files when terraform destroy fails', async () => {
    const key = path.join(root, 'k.pem');
    writeFileSync(key, 'x');
    writeFileSync(path.join(bin, 'terraform.output.stdout'), JSON.stringify({ key_file: { value: key } }));
    writeFileSync(path.join(bin, 'terraform.destroy.exit'), '1');
    await expect(destroy({ ...testIo(env, root), app: 'app', yes: true })).rejects.toThrow(
      expect.objectContaining({ code: 'SUBPROCESS_FAILED' }),
    );
    expect(existsSync(key)).toBe(true);
  });
});

describe('Entry: main()', () => {
  it('returns exit code 0 and prints help listing every command', async () => {
    const stdout = capture();
    const code = await main(['node', 'ecs-pulse', '--help'], { stdout, stderr: capture(), env: { NO_COLOR: '1' } });
    expect(code).toBe(0);
    for (const c of ['demo', 'preview', 'synth', 'plan', 'deploy', 'destroy', 'ssh']) expect(stdout.text()).toContain(`  ${c}`);
  });

  it('prints per-command help', async () => {
    const stdout = capture();
    const code = await main(['node', 'ecs-pulse', 'deploy', '--help'], { stdout, stderr: capture(), env: {} });
    expect(code).toBe(0);
    expect(stdout.text()).toContain('--yes');
    expect(tf.calls()).toEqual([]);
  });

  it('returns 2 for an unknown command and an unknown option', async () => {
    const stderr = capture();
    expect(await main(['node', 'ecs-pulse', 'nope'], { stdout: capture(), stderr, env: { NO_COLOR: '1' } })).toBe(2);
    expect(stderr.text()).toContain('Unknown command "nope"');
    const stderr2 = capture();
    expect(await main(['node', 'ecs-pulse', 'synth', '--bogus'], { stdout: capture(), stderr: stderr2, env: {} })).toBe(2);
    expect(stderr2.text()).toContain('Unknown option `--bogus`');
  });

  it('maps a missing terraform to exit code 3 and a CliError message on stderr', async () => {
    const stderr = capture();
    const code = await main(['node', 'ecs-pulse', 'plan', '--app', app], {
      stdout: capture(),
      stderr,
      env: { PATH: path.dirname(process.execPath), NO_COLOR: '1' },
      cwd: root,
    });
    expect(code).toBe(3);
    expect(stderr.text()).toMatch(/^ecs-pulse: terraform not found on PATH.*\[TERRAFORM_NOT_FOUND\]\n$/s);
  });

  it('runs deploy end to end through argv with --yes and repeated --context', async () => {
    const stdout = capture();
    const code = await main(
      ['node', 'ecs-pulse', 'deploy', '--app', 'app', '--yes', '--context', 'a=1', '--context', 'b=x=y', '--json'],
      { stdout, stderr: capture(), env, cwd: root },
    );
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(app, 'context.json'), 'utf8'))).toEqual({ a: '1', b: 'x=y' });
    expect(JSON.parse(stdout.text())).toMatchObject({ stack: 'stress-test' });
  });
});
