import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateSlackMessage } from '@ecs-pulse/slack-notifier';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { demo, type DemoResult } from '../../src/commands/demo.js';
import { CliError } from '../../src/errors.js';
import { tempDir } from '../helpers/fake-tools.js';
import { capture, testIo } from '../helpers/io.js';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPO = path.resolve(PACKAGE_DIR, '..', '..');
const TOKEN = 'demo-test-token-0123456789abcdefXYZ';

let sink: SlackSink;
beforeEach(async () => {
  sink = await startSlackSink();
});
afterEach(async () => {
  await sink.close();
});

/** The secret parts: the sink's webhook URL (its path is the secret) and the HTTP token. */
function expectNoSecrets(text: string): void {
  const secretPath = new URL(sink.url).pathname;
  expect(text).not.toContain(sink.url);
  expect(text).not.toContain(secretPath);
  expect(text).not.toContain(secretPath.split('/').pop()!);
  expect(text).not.toContain(TOKEN);
}

const REJECTS = [
  { title: 'Metric callback with a wrong token', outcome: 'rejected', statusCode: 401, errorCode: 'unauthorized' },
  { title: 'Bad payload: not an Alibaba Cloud event', outcome: 'dropped', errorCode: 'UNKNOWN_FORMAT' },
  { title: 'Bad payload: not a metric callback (HTTP trigger, token)', outcome: 'rejected', statusCode: 400, errorCode: 'INVALID_FORM' },
];

describe('Command: demo (synth of the example + replay through the bundled function)', () => {
  it('synthesizes the example, passes the schema check, replays every sample and reports the counts', async () => {
    // Prepare
    const io = testIo({ PATH: process.env.PATH, HOME: process.env.HOME }, REPO);
    const outdir = path.join(tempDir(), 'cdktf.out');
    // Act
    const result = await demo({ ...io, sink, httpToken: TOKEN, outdir });
    // Assess: synth
    expect(result.synth).toMatchObject({ status: 'ok', stack: 'ecs-pulse', schemaIssues: [], dir: path.join(outdir, 'stacks', 'ecs-pulse') });
    expect(result.synth.resourceTypes).toMatchObject({ alicloud_instance: 1, alicloud_fcv3_function: 1, alicloud_cms_alarm: 3, alicloud_fcv3_trigger: 2 });
    expect(result.synth.resources).toBeGreaterThan(15);
    expect(existsSync(path.join(outdir, 'stacks', 'ecs-pulse', 'cdk.tf.json'))).toBe(true);
    // Assess: replay counts
    expect(result).toMatchObject({ invocations: 13, eventsIn: 15, messagesOut: 9, duplicates: 1, unexpected: [] });
    expect(result.rejects).toEqual(REJECTS);
    expect(result.steps.map((s) => s.outcome)).toEqual([
      'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered', 'delivered',
      'duplicate', 'rejected', 'dropped', 'rejected',
    ]);
    expect(result.steps.find((s) => s.via === 'fc2-event')).toMatchObject({ outcome: 'delivered', messages: 1 });
    expect(result.steps.find((s) => s.file === 'eventbridge-ecs-batch.json')).toMatchObject({ eventsIn: 3, messages: 1 });
    // Assess: the sink got valid Block Kit messages, each answered 200, nothing else
    expect(sink.messages).toHaveLength(9);
    expect(sink.requests.map((r) => r.status)).toEqual(Array(9).fill(200));
    for (const message of sink.messages) expect(validateSlackMessage(message)).toEqual([]);
    expect(result.messages).toEqual(sink.messages);
    // Assess: output
    const out = io.stdout.text();
    expect(out).toContain('Summary');
    expect(out).toMatch(/events in\s+15 in 13 invocations/);
    expect(out).toMatch(/messages out\s+9 /);
    expect(out).toMatch(/rejects\s+401 unauthorized, dropped UNKNOWN_FORMAT, 400 INVALID_FORM/);
    expect(out).toContain('🔴 Critical · ECS Instance:SystemMaintenance.Reboot → Scheduled');
    expect(out).toContain('🟢 OK · ECS Host.cpu.total → OK');
    expect(out).not.toContain('\u001b['); // NO_COLOR
    expect(io.stderr.text()).toMatch(/Synthesized stack ecs-pulse: \d+ resources, \d+ data sources; provider schema check: no issues/);
    expectNoSecrets(out + io.stderr.text());
  });

  it('synthesizes into a new folder per run by default, so two demos at once never share one; --outdir picks it', async () => {
    // Prepare: TMPDIR is read by os.tmpdir() at each call
    const tmp = tempDir();
    const io = testIo({ PATH: process.env.PATH, HOME: process.env.HOME }, REPO);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      // Act: two demos at the same time, no outdir
      const [a, b] = await Promise.all([demo({ ...io, sink, httpToken: TOKEN, keep: true }), demo({ ...testIo({ PATH: process.env.PATH, HOME: process.env.HOME }, REPO), sink, httpToken: TOKEN, keep: true })]);
      // Assess
      expect(a.synth.status).toBe('ok');
      expect(b.synth.status).toBe('ok');
      expect(a.synth.dir).not.toBe(b.synth.dir);
      for (const r of [a, b]) {
        expect(r.synth.dir!.startsWith(path.join(tmp, 'ecs-pulse-demo-'))).toBe(true);
        expect(existsSync(path.join(r.synth.dir!, 'cdk.tf.json'))).toBe(true);
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    // Act: --outdir through the entry point, relative to the working directory
    const cwd = tempDir();
    const stdout = capture();
    const code = await main(['node', 'ecs-pulse', 'demo', '--app', path.join(REPO, 'examples', 'stress-test-environment'), '--outdir', 'out', '--json'], { stdout, stderr: capture(), env: { NO_COLOR: '1', PATH: process.env.PATH }, cwd });
    // Assess
    expect(code).toBe(0);
    expect((JSON.parse(stdout.text()) as DemoResult).synth.dir).toBe(path.join(cwd, 'out', 'stacks', 'ecs-pulse'));
    expect(existsSync(path.join(cwd, 'out', 'stacks', 'ecs-pulse', 'cdk.tf.json'))).toBe(true);
  }, 120_000);

  it('prints only the JSON summary on stdout with --json, without secrets', async () => {
    const io = testIo({}, REPO);
    await demo({ ...io, json: true, skipSynth: true, sink, httpToken: TOKEN });
    const text = io.stdout.text();
    const parsed = JSON.parse(text) as DemoResult;
    expect(parsed).toMatchObject({ invocations: 13, eventsIn: 15, messagesOut: 9, duplicates: 1, rejects: REJECTS });
    expect(parsed.synth).toMatchObject({ status: 'skipped', reason: '--skip-synth' });
    expect(parsed.messages).toHaveLength(9);
    expectNoSecrets(text + io.stderr.text());
  });

  it('colours the terminal rendering only when allowed (FORCE_COLOR on a TTY), never with NO_COLOR', async () => {
    const tty = capture(true);
    await demo({ stdout: tty, stderr: capture(), env: { FORCE_COLOR: '1' }, cwd: REPO, skipSynth: true, sink, httpToken: TOKEN });
    expect(tty.text()).toContain('\u001b[');
    sink.reset();
    const noColor = capture(true);
    await demo({ stdout: noColor, stderr: capture(), env: { NO_COLOR: '1', FORCE_COLOR: '1' }, cwd: REPO, skipSynth: true, sink, httpToken: 'another-token-0123456789abcdef' });
    expect(noColor.text()).not.toContain('\u001b[');
  });

  it('fails with APP_NOT_FOUND when --app is not a cdktf app', async () => {
    const io = testIo({}, tempDir());
    await expect(demo({ ...io, app: 'no-such-app', sink })).rejects.toThrow(
      expect.objectContaining({ code: 'APP_NOT_FOUND', message: expect.stringContaining('no-such-app does not exist (from --app)') }),
    );
    await expect(demo({ ...io, app: '.', sink })).rejects.toThrow(
      expect.objectContaining({ code: 'APP_NOT_FOUND', message: expect.stringContaining('is not a cdktf app') }),
    );
  });

  it('fails with exit code 1 after the summary when a step does not behave as expected', async () => {
    // Prepare: a samples folder whose manifest expects a bad payload to be delivered
    const dir = tempDir();
    cpSync(path.join(PACKAGE_DIR, 'samples', 'demo'), dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'manifest.json'),
      JSON.stringify({
        steps: [
          { title: 'good', file: 'cms-event-ecs-instance-statechange-stopped.json', via: 'fc3-event', expect: 'delivered' },
          { title: 'bad but expected delivered', file: 'bad-payload.json', via: 'fc3-event', expect: 'delivered' },
        ],
      }),
    );
    const io = testIo({}, REPO);
    // Act
    const error = await demo({ ...io, samples: dir, skipSynth: true, sink, httpToken: TOKEN }).catch((e: unknown) => e);
    // Assess
    expect(CliError.isCliError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'SUBPROCESS_FAILED',
      exitCode: 1,
      message: expect.stringContaining('bad but expected delivered: expected delivered, got dropped UNKNOWN_FORMAT'),
    });
    expect(io.stdout.text()).toContain('Summary');
    expect(sink.messages).toHaveLength(1);
  });

  it("shows the provider value-validator problems of the app's stack (and its deprecation warnings) and fails", async () => {
    // Prepare: an app whose "synth" writes a stack the provider would reject at plan
    const app = tempDir();
    const stackJson = {
      terraform: { required_providers: { alicloud: { source: 'aliyun/alicloud', version: '~> 1.289' } } },
      provider: { alicloud: [{ region: 'cn-hangzhou' }] },
      data: { alicloud_zones: { zones: { available_resource_creation: 'VSwitch', available_disk_category: 'cloud_auto' } } },
      resource: { alicloud_security_group: { sg: { name: 'legacy', security_group_type: 'Enterprise' } } },
    };
    writeFileSync(path.join(app, 'cdktf.json'), JSON.stringify({ app: 'node synth.cjs', output: 'cdktf.out' }));
    writeFileSync(
      path.join(app, 'synth.cjs'),
      [
        "const fs = require('node:fs'); const path = require('node:path');",
        "const out = process.env.CDKTF_OUTDIR; const dir = path.join(out, 'stacks', 'bad');",
        'fs.mkdirSync(dir, { recursive: true });',
        `fs.writeFileSync(path.join(dir, 'cdk.tf.json'), ${JSON.stringify(JSON.stringify(stackJson))});`,
        "fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ stacks: { bad: { name: 'bad', workingDirectory: 'stacks/bad' } } }));",
      ].join('\n'),
    );
    const samples = tempDir();
    cpSync(path.join(PACKAGE_DIR, 'samples', 'demo'), samples, { recursive: true });
    writeFileSync(
      path.join(samples, 'manifest.json'),
      JSON.stringify({ steps: [{ title: 'good', file: 'cms-event-ecs-instance-statechange-stopped.json', via: 'fc3-event', expect: 'delivered' }] }),
    );
    const io = testIo({ PATH: process.env.PATH, HOME: process.env.HOME }, REPO);
    // Act
    const error = await demo({ ...io, app, samples, sink, httpToken: TOKEN, outdir: path.join(tempDir(), 'cdktf.out') }).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ code: 'SUBPROCESS_FAILED', exitCode: 1 });
    const stderr = io.stderr.text();
    expect(stderr).toMatch(/provider schema check: 2 issues, 1 deprecation warning/);
    expect(stderr).toContain(
      'data.alicloud_zones.zones.available_disk_category: data.alicloud_zones.zones: available_disk_category = "cloud_auto": "cloud_auto" is not allowed; the provider allows one of "all", "cloud", "ephemeral_ssd", "cloud_essd", "cloud_efficiency", "cloud_ssd", "local_disk" (case-sensitive). [INVALID_VALUE]',
    );
    expect(stderr).toContain('resource.alicloud_security_group.sg.security_group_type: alicloud_security_group.sg: security_group_type = "Enterprise"');
    expect(stderr).toContain("resource.alicloud_security_group.sg.name: alicloud_security_group.sg: name is deprecated: Field `name` has been deprecated from provider version 1.239.0. New field `security_group_name` instead. [DEPRECATED_ATTRIBUTE]");
  });

  it('rejects an unusable samples folder with FILE_NOT_FOUND naming the problem', async () => {
    const dir = tempDir();
    const io = testIo({}, REPO);
    await expect(demo({ ...io, samples: dir, skipSynth: true, sink })).rejects.toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('manifest.json is missing or not JSON') }),
    );
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ steps: [{ title: 'x', file: 'nope.json', via: 'fc3-event', expect: 'delivered' }] }));
    await expect(demo({ ...io, samples: dir, skipSynth: true, sink })).rejects.toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('steps[0].file nope.json does not exist') }),
    );
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ steps: [{ title: 'x', file: 'manifest.json', via: 'carrier-pigeon', expect: 'delivered' }] }));
    await expect(demo({ ...io, samples: dir, skipSynth: true, sink })).rejects.toThrow(
      expect.objectContaining({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('steps[0] needs title, file, via (fc3-event|fc2-event|http)') }),
    );
  });

  it('bundles every sample its manifest names', () => {
    const manifest = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'samples', 'demo', 'manifest.json'), 'utf8')) as { steps: Array<{ file: string }> };
    expect(manifest.steps).toHaveLength(13);
    for (const step of manifest.steps) expect(existsSync(path.join(PACKAGE_DIR, 'samples', 'demo', step.file))).toBe(true);
  });

  it('runs through the entry point: `ecs-pulse demo --skip-synth --json` exits 0, `preview` of a bad file exits 1', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await main(['node', 'ecs-pulse', 'demo', '--skip-synth', '--json'], { stdout, stderr, env: { NO_COLOR: '1' }, cwd: REPO });
    expect(code).toBe(0);
    expect(JSON.parse(stdout.text())).toMatchObject({ invocations: 13, messagesOut: 9, synth: { status: 'skipped' } });

    const out2 = capture();
    const err2 = capture();
    const bad = await main(['node', 'ecs-pulse', 'preview', path.join(PACKAGE_DIR, 'samples', 'demo', 'bad-payload.json')], { stdout: out2, stderr: err2, env: { NO_COLOR: '1' }, cwd: REPO });
    expect(bad).toBe(1);
    expect(err2.text()).toMatch(/^ecs-pulse: .*bad-payload\.json is not a payload the forwarder accepts \[UNKNOWN_FORMAT\].* \[EVENT_INVALID\]\n$/s);

    const help = capture();
    expect(await main(['node', 'ecs-pulse', 'demo', '--help'], { stdout: help, stderr: capture(), env: {}, cwd: REPO })).toBe(0);
    expect(help.text()).toContain('--skip-synth');
  });
});

describe('Command: demo --config (your forwarder config: routes, filters, mentions)', () => {
  const REAL_HOOK = 'https://hooks.slack.com/services/T0REAL/B0REAL/realsecretwebhook0123';
  function writeConfig(json: unknown): string {
    const file = path.join(tempDir(), 'forwarder.json');
    writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    return file;
  }

  it('replays through the config and shows which route got what; a real webhook in the file is never called', async () => {
    // Prepare
    const config = writeConfig({
      filters: { exclude: [{ names: ['Instance:PreemptibleInstanceInterruption'] }] },
      routes: [
        { name: 'oncall', webhookUrlEnv: 'SLACK_WEBHOOK_URL_ONCALL', match: { severities: ['critical'] } },
        { name: 'ecs', webhookUrl: REAL_HOOK, match: { products: ['ECS'] }, message: { titlePrefix: '[ecs]' } },
      ],
      message: { mentions: { critical: '<!here>' } },
    });
    const io = testIo({}, REPO);
    // Act
    const result = await demo({ ...io, skipSynth: true, sink, httpToken: TOKEN, config });
    // Assess: every message reached the sink, attributed to its route
    expect(result.config).toBe(config);
    expect(result.routes).toEqual({ ecs: 5, oncall: 2, default: 1 });
    expect(result.messagesOut).toBe(8);
    expect(sink.requests.every((r) => r.path.startsWith('/services/'))).toBe(true);
    expect(result.steps.find((s) => s.title === 'Preemptible instance interruption')).toMatchObject({ outcome: 'dropped', messages: 0, routes: {} });
    expect(result.steps.find((s) => s.title === 'Scheduled maintenance reboot (critical)')).toMatchObject({ routes: { oncall: 1 } });
    expect(result.unexpected).toEqual([]);
    // the mention and the route's title prefix are in the messages
    const oncall = JSON.stringify(result.messages.filter((_m, i) => i === 1));
    expect(oncall).toContain('<!here>');
    expect(JSON.stringify(result.messages[0])).toContain('[ecs]');
    // the terminal shows the routes, and no webhook
    const out = io.stdout.text();
    expect(out).toContain('→ route oncall');
    expect(out).toMatch(/routes\s+ecs 5, oncall 2, default 1/);
    expect(out).toContain('dropped (by your config)');
    expect(out + io.stderr.text()).not.toContain('realsecretwebhook0123');
  });

  it('refuses a config the forwarder refuses (USAGE, with its issues), and a file that is not JSON', async () => {
    const io = testIo({}, REPO);
    await expect(demo({ ...io, skipSynth: true, sink, httpToken: TOKEN, config: writeConfig({ routes: [{ name: 'x' }] }) })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', exitCode: 2, message: expect.stringMatching(/The forwarder refused the config in .*forwarder\.json: .*routes\[0\]/) }),
    );
    await expect(demo({ ...io, skipSynth: true, sink, config: writeConfig('{ nope') })).rejects.toThrow(
      expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('forwarder.json is not JSON') }),
    );
    expect(sink.messages).toEqual([]);
  });
});
