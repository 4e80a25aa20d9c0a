import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveApp } from '../../src/app.js';
import { preview } from '../../src/commands/preview.js';
import { sendTestEvent } from '../../src/commands/send-test-event.js';
import { freePort } from '../helpers/cloud-env.js';
import { tempDir } from '../helpers/fake-tools.js';
import { testIo } from '../helpers/io.js';

const SAMPLE = path.resolve(import.meta.dirname, '..', '..', 'samples', 'demo', 'cms-event-ecs-instance-statechange-stopped.json');

describe('App discovery', () => {
  it('finds a main.ts app without cdktf.json from the current folder, exactly as --app . does', () => {
    // Prepare
    const dir = tempDir();
    writeFileSync(path.join(dir, 'main.ts'), '// a cdktf app\n');
    // Act
    const fromCwd = resolveApp(undefined, { cwd: dir, env: {} });
    const explicit = resolveApp('.', { cwd: dir, env: {} });
    // Assess
    expect(fromCwd).toEqual(explicit);
    expect(fromCwd).toEqual({ dir, command: 'npx tsx main.ts', outdir: path.join(dir, 'cdktf.out') });
  });

  it('finds src/main.ts from the current folder too', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'main.ts'), '// a cdktf app\n');
    expect(resolveApp(undefined, { cwd: dir, env: {} })).toMatchObject({ dir, command: `npx tsx ${path.join('src', 'main.ts')}` });
  });

  it('says a missing --app folder does not exist, and a file is not a folder', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'file.txt'), '');
    expect(() => resolveApp('nope', { cwd: dir, env: {} })).toThrow(expect.objectContaining({ code: 'APP_NOT_FOUND', message: expect.stringContaining(`${path.join(dir, 'nope')} does not exist (from --app)`) }));
    expect(() => resolveApp(undefined, { cwd: dir, env: { ECS_PULSE_APP: 'gone' } })).toThrow(expect.objectContaining({ message: expect.stringContaining('does not exist (from ECS_PULSE_APP)') }));
    expect(() => resolveApp('file.txt', { cwd: dir, env: {} })).toThrow(expect.objectContaining({ message: expect.stringContaining('is a file, not a folder') }));
  });
});

describe('preview paths', () => {
  it('prints an absolute path as given, and a relative one as given', async () => {
    const abs = testIo({}, tempDir());
    await preview({ ...abs, file: SAMPLE });
    expect(abs.stdout.text().split('\n')[0]).toBe(`${SAMPLE} · cloudmonitor-event · 1 alert`);
    const dir = path.dirname(SAMPLE);
    const rel = testIo({}, path.dirname(dir));
    await preview({ ...rel, file: path.join('demo', path.basename(SAMPLE)) });
    expect(rel.stdout.text().split('\n')[0]).toBe(`${path.join('demo', path.basename(SAMPLE))} · cloudmonitor-event · 1 alert`);
  });

  it('reads `-` from the stdin it is given, and refuses an empty one', async () => {
    const io = testIo({}, tempDir());
    const { readFileSync } = await import('node:fs');
    const r = await preview({ ...io, file: '-', stdin: [readFileSync(SAMPLE)], json: true });
    expect(r).toMatchObject({ file: '-', family: 'cloudmonitor-event', alerts: 1 });
    await expect(preview({ ...io, file: '-', stdin: [] })).rejects.toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('stdin was empty') }));
  });

  it('--sample renders a bundled sample; --sample list names them with their installed location', async () => {
    const io = testIo({}, tempDir());
    const r = await preview({ ...io, sample: 'eventbridge-ecs-batch' });
    expect(r.alerts).toBe(3);
    const list = testIo({}, tempDir());
    await preview({ ...list, sample: 'list' });
    expect(list.stdout.text()).toContain(`cms-event-ecs-instance-statechange-stopped  ${SAMPLE}\n`);
  });
});

describe('send-test-event --webhook', () => {
  it('says the connection was refused (host and port only), not that Slack refused the message', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/services/T0/B0/refusedsecret0123456789`;
    const error = await sendTestEvent({ ...testIo({}, tempDir()), webhook: url }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SLACK_FAILED', exitCode: 6 });
    expect((error as Error).message).toMatch(new RegExp(`^Could not reach http://127\\.0\\.0\\.1:${port} \\(connection refused\\): nothing was sent\\.`));
    expect((error as Error).message).not.toContain('did not accept');
    expect((error as Error).message).not.toContain('refusedsecret');
  }, 60_000);

  it('a URL the notifier refuses is a USAGE error (exit 2) that does not echo it', async () => {
    const error = await sendTestEvent({ ...testIo({}, tempDir()), webhook: 'ftp://hooks.example/secretpath0123' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'USAGE', exitCode: 2 });
    expect((error as Error).message).not.toContain('secretpath0123');
  });
});
