import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ssh, shellQuote } from '../../src/commands/ssh.js';
import { fakeApp, fakeExecutable, pathWith, tempDir } from '../helpers/fake-tools.js';
import { testIo } from '../helpers/io.js';
import { synth } from '../../src/commands/lifecycle.js';

let root: string;
let bin: string;
let key: string;
let env: NodeJS.ProcessEnv;

function outputs(values: Record<string, unknown>): void {
  writeFileSync(
    path.join(bin, 'terraform.output.stdout'),
    JSON.stringify(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, type: 'string' }]))),
  );
}

beforeEach(async () => {
  root = tempDir();
  bin = path.join(root, 'bin');
  fakeExecutable(bin, 'terraform');
  fakeApp(path.join(root, 'app'));
  env = { PATH: pathWith(bin), HOME: root };
  key = path.join(root, 'app', 'stress.pem');
  writeFileSync(key, 'KEY');
  chmodSync(key, 0o600);
  await synth({ ...testIo(env, root), app: 'app' });
});

describe('Command: ssh', () => {
  it('prints the ssh command with the key, user and public IP from the stack outputs', async () => {
    outputs({ server_instance_id: 'i-1', server_public_ip: '203.0.113.10', private_key_file: key, ssh_user: 'ecs-user' });
    const io = testIo(env, root);
    const result = await ssh({ ...io, app: 'app' });
    expect(result.argv).toEqual([
      'ssh', '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=accept-new', 'ecs-user@203.0.113.10',
    ]);
    expect(io.stdout.text()).toBe(`${result.commandLine}\n`);
    expect(result.fixedKeyMode).toBe(false);
  });

  it('only warns about a key readable by others when printing; --exec fixes it to 0600 and says so', async () => {
    outputs({ server_public_ip: '203.0.113.10', key_file: key });
    chmodSync(key, 0o644);
    // Act: print only
    const printing = testIo(env, root);
    const printed = await ssh({ ...printing, app: 'app' });
    // Assess: nothing touched, the fix named
    expect(printed.fixedKeyMode).toBe(false);
    expect(statSync(key).mode & 0o777).toBe(0o644);
    expect(printing.stderr.text()).toContain(`has mode 0644; ssh refuses keys others can read. Run: chmod 600 ${key}`);
    expect(printed.argv).toContain('root@203.0.113.10'); // default user
    // Act: run it (a fake ssh)
    fakeExecutable(bin, 'ssh');
    const running = testIo(env, root);
    const ran = await ssh({ ...running, app: 'app', exec: true });
    // Assess
    expect(ran.fixedKeyMode).toBe(true);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(running.stderr.text()).toContain('had mode 0644');
  });

  it('--host and --user stand in for the stack: no deployed stack, no --key, ssh uses its own keys', async () => {
    const io = testIo(env, tempDir());
    const result = await ssh({ ...io, app: path.join(root, 'nowhere'), host: '198.51.100.7', user: 'ubuntu' });
    expect(result.argv).toEqual(['ssh', '-o', 'StrictHostKeyChecking=accept-new', 'ubuntu@198.51.100.7']);
    expect(io.stdout.text()).toBe('ssh -o StrictHostKeyChecking=accept-new ubuntu@198.51.100.7\n');
  });

  it('resolves a relative key path from the stack folder (where terraform wrote it)', async () => {
    const stackDir = path.join(root, 'app', 'cdktf.out', 'stacks', 'stress-test');
    mkdirSync(path.join(stackDir, 'keys'), { recursive: true });
    writeFileSync(path.join(stackDir, 'keys', 'id.pem'), 'k', { mode: 0o600 });
    outputs({ server_public_ip: '203.0.113.10', private_key_path: 'keys/id.pem' });
    const result = await ssh({ ...testIo(env, root), app: 'app' });
    expect(result.argv[2]).toBe(path.join(stackDir, 'keys', 'id.pem'));
  });

  it('fails with KEY_FILE when the key file does not exist', async () => {
    outputs({ server_public_ip: '203.0.113.10', key_file: path.join(root, 'gone.pem') });
    await expect(ssh({ ...testIo(env, root), app: 'app' })).rejects.toThrow(
      expect.objectContaining({ code: 'KEY_FILE', message: expect.stringContaining('gone.pem does not exist') }),
    );
  });

  it('fails with STACK_OUTPUTS when the server has no public IP', async () => {
    outputs({ server_instance_id: 'i-1', key_file: key });
    await expect(ssh({ ...testIo(env, root), app: 'app' })).rejects.toThrow(
      expect.objectContaining({ code: 'STACK_OUTPUTS', message: expect.stringContaining('Pass --host <ip>') }),
    );
  });

  it('uses --host and --key without reading the stack, and runs ssh with --exec', async () => {
    const fakeSsh = fakeExecutable(bin, 'ssh');
    const io = testIo(env, root);
    const result = await ssh({ ...io, host: '198.51.100.7', key, user: 'ubuntu', exec: true, command: ['uptime'] });
    expect(result.exitCode).toBe(0);
    expect(fakeSsh.calls()[0]?.args).toEqual([
      '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=accept-new', 'ubuntu@198.51.100.7', 'uptime',
    ]);
  });

  it('fails with TOOL_NOT_FOUND (exit 3) when ssh is missing for --exec', async () => {
    const io = testIo({ PATH: path.join(root, 'nothing'), HOME: root }, root);
    await expect(ssh({ ...io, host: 'h', key, exec: true })).rejects.toThrow(
      expect.objectContaining({ code: 'TOOL_NOT_FOUND', exitCode: 3, message: expect.stringContaining('ssh not found on PATH') }),
    );
  });

  it('quotes words for a POSIX shell', () => {
    expect(shellQuote('/tmp/a b.pem')).toBe("'/tmp/a b.pem'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('root@1.2.3.4')).toBe('root@1.2.3.4');
  });
});
