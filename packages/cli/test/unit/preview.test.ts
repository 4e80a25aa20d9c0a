import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateSlackMessage } from '@ecs-pulse/slack-notifier';
import { describe, expect, it } from 'vitest';
import { preview, type PreviewResult } from '../../src/commands/preview.js';
import { tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLES = path.join(PACKAGE_DIR, 'samples', 'demo');
const FIXTURES = path.join(PACKAGE_DIR, 'test', 'fixtures');

function decodeBuilderUrl(url: string): unknown {
  expect(url.startsWith('https://app.slack.com/block-kit-builder/#')).toBe(true);
  return JSON.parse(decodeURIComponent(url.slice(url.indexOf('#') + 1)));
}

describe('Command: preview', () => {
  it('renders a CloudMonitor system event for the terminal with a Block Kit Builder link', async () => {
    // Prepare
    const io = testIo({}, SAMPLES);
    // Act
    const result = await preview({ ...io, file: 'cms-event-ecs-systemmaintenance-reboot-scheduled.json' });
    // Assess
    expect(result).toMatchObject({ family: 'cloudmonitor-event', alerts: 1, severities: ['critical'] });
    const out = io.stdout.text();
    expect(out).toContain('cms-event-ecs-systemmaintenance-reboot-scheduled.json · cloudmonitor-event · 1 alert');
    expect(out).toContain('🔴 Critical · ECS Instance:SystemMaintenance.Reboot → Scheduled');
    expect(out).toContain('Status: Scheduled');
    expect(out).toContain('[Open instance in console] https://ecs.console.aliyun.com/server/i-bp1fake0instance0001/detail?regionId=cn-hangzhou');
    const link = out.trim().split('\n').pop()!;
    expect(link).toBe(result.blockKitBuilderUrl);
    const builder = decodeBuilderUrl(link) as { blocks: unknown[]; attachments: unknown[] };
    const message = result.message as { blocks: unknown[]; attachments: unknown[] };
    expect(builder).toEqual({ blocks: message.blocks, attachments: message.attachments });
    expect(validateSlackMessage(result.message)).toEqual([]);
    expect(out).not.toContain('\u001b[');
  });

  it('prints the Block Kit JSON with --json', async () => {
    const io = testIo({}, SAMPLES);
    await preview({ ...io, file: 'cms-metric-alarm-callback-ecs-cpu-ok.form.txt', json: true });
    const parsed = JSON.parse(io.stdout.text()) as PreviewResult;
    expect(parsed).toMatchObject({ family: 'metric-alarm', alerts: 1, severities: ['ok'], file: path.join(SAMPLES, 'cms-metric-alarm-callback-ecs-cpu-ok.form.txt') });
    expect((parsed.message as { text: string }).text).toContain('HighCPU recovered');
    expect(validateSlackMessage(parsed.message)).toEqual([]);
    expect(decodeBuilderUrl(parsed.blockKitBuilderUrl)).toMatchObject({ blocks: expect.any(Array) });
  });

  it('renders an EventBridge batch as one digest', async () => {
    const io = testIo({}, SAMPLES);
    const result = await preview({ ...io, file: 'eventbridge-ecs-batch.json' });
    expect(result).toMatchObject({ family: 'eventbridge', alerts: 3, severities: ['warning', 'warning', 'warning'] });
    expect(io.stdout.text()).toContain('3 alerts (one digest message)');
    expect(io.stdout.text()).toContain('• 🟠 Warning · ECS Instance:StateChange → Deleted · i-bp1fake0instance0003 · cn-hangzhou');
  });

  it('unwraps an FC 3.0 HTTP-trigger envelope and never prints its token', async () => {
    const io = testIo({}, FIXTURES);
    const result = await preview({ ...io, file: 'fc3-http-envelope-metric-callback.json' });
    expect(result).toMatchObject({ family: 'http-trigger(metric-alarm)', alerts: 1 });
    expect(io.stdout.text()).toContain('HighCPU: Host.cpu.total 93.48% (>= 80%)');
    expect(io.stdout.text()).not.toContain('FAKE-SHARED-SECRET');
    expect(JSON.stringify(result)).not.toContain('FAKE-SHARED-SECRET');
  });

  it('honours --content-type (a form body declared as JSON is refused, as the function would)', async () => {
    const io = testIo({}, SAMPLES);
    await expect(preview({ ...io, file: 'cms-metric-alarm-callback-ecs-cpu.form.txt', contentType: 'application/json' })).rejects.toThrow(
      expect.objectContaining({ code: 'EVENT_INVALID', exitCode: 1, message: expect.stringContaining('[INVALID_JSON]') }),
    );
  });

  it('adds colour on a TTY and the environment label in the footer', async () => {
    const stdout = capture(true);
    await preview({ stdout, stderr: capture(), env: { FORCE_COLOR: '1' }, cwd: SAMPLES, file: 'cms-event-ecs-instance-statechange-stopped.json', environment: 'staging' });
    expect(stdout.text()).toContain('\u001b[');
    expect(stdout.text()).toContain('staging');
  });

  it('fails with EVENT_INVALID and the parser code for unparseable files', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'broken.json'), '{"product": "ECS", ');
    const io = testIo({}, dir);
    await expect(preview({ ...io, file: 'broken.json' })).rejects.toThrow(
      expect.objectContaining({
        name: 'CliError',
        code: 'EVENT_INVALID',
        exitCode: 1,
        message: expect.stringMatching(/broken\.json is not a payload the forwarder accepts \[INVALID_JSON\]/),
      }),
    );
    await expect(preview({ ...io, file: path.join(SAMPLES, 'bad-payload.json') })).rejects.toThrow(
      expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('[UNKNOWN_FORMAT]') }),
    );
    writeFileSync(path.join(dir, 'empty.json'), '');
    await expect(preview({ ...io, file: 'empty.json' })).rejects.toThrow(expect.objectContaining({ code: 'EVENT_INVALID', message: expect.stringContaining('[EMPTY_INPUT]') }));
  });

  it('fails with FILE_NOT_FOUND for a missing file or a directory', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'events'));
    const io = testIo({}, dir);
    await expect(preview({ ...io, file: 'missing.json' })).rejects.toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND', exitCode: 1, message: expect.stringContaining('Cannot read missing.json (ENOENT)') }),
    );
    await expect(preview({ ...io, file: 'events' })).rejects.toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('is a directory') }),
    );
  });
});
