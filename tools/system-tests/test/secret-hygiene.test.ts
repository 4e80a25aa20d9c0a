import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demo, type DemoResult } from '@ecs-pulse/cli';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, REPO_ROOT, synthExample } from './support/example.js';
import { CONTEXT_CREDENTIALS, coldStart, fc2Context, fc3Context, httpEnvelope, invoke, invokeLegacy, OutputCapture } from './support/function.js';
import {
  accessKeyEnv,
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  HTTP_TOKEN,
  SecretScanner,
  secretWebhookUrl,
  WEBHOOK_LAST_SEGMENT,
  WEBHOOK_PATH,
} from './support/secrets.js';

// Secret hygiene of the whole main job: `ecs-pulse demo` (in-process through its exported function, and as the
// real `ecs-pulse` process), the demo's payloads through the bundled function, and the synthesized example,
// all run with a recognizable webhook URL (on the local sink), HTTP token and AccessKey. Every line of output,
// every error, the demo's JSON result and every synthesized file is scanned for them. (The fault suites'
// invocations are scanned at the end of fault-injection.test.ts.)

const require = createRequire(import.meta.url);
const CLI_DIR = path.dirname(require.resolve('@ecs-pulse/cli/package.json'));
const BIN = path.join(CLI_DIR, 'bin', 'ecs-pulse.js');
const SAMPLES = path.join(CLI_DIR, 'samples', 'demo');

const SECRETS = {
  webhookPath: WEBHOOK_PATH,
  webhookLastSegment: WEBHOOK_LAST_SEGMENT,
  token: HTTP_TOKEN,
  accessKeyId: ACCESS_KEY_ID,
  accessKeySecret: ACCESS_KEY_SECRET,
};

let sink: SlackSink;
let webhook: string;
const work = mkdtempSync(path.join(tmpdir(), 'ecs-pulse-hygiene-'));

/** The environment every run gets: the secrets where a user or FC would put them. */
function secretEnv(): Record<string, string> {
  return { ...accessKeyEnv(), TF_VAR_slack_webhook_url: webhook, SLACK_WEBHOOK_URL: webhook, ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN, NO_COLOR: '1' };
}

beforeAll(async () => {
  sink = await startSlackSink();
  webhook = secretWebhookUrl(sink.origin);
});
afterAll(async () => {
  await sink.close();
  rmSync(work, { recursive: true, force: true });
});

/** A Writer that keeps everything written to it. */
function collector(): { write(chunk: string): boolean; readonly isTTY: false; text(): string } {
  const chunks: string[] = [];
  return { write: (chunk: string) => chunks.push(String(chunk)) > 0, isTTY: false, text: () => chunks.join('') };
}

function scanFiles(scanner: SecretScanner, dir: string): number {
  const files = filesUnder(dir);
  for (const file of files) scanner.add(path.relative(dir, file), readFileSync(file).toString('latin1'));
  return files.length;
}

describe('Secret hygiene: ecs-pulse demo', () => {
  it('the exported demo() with the secret webhook (on the sink), token and AccessKey: nothing of them in stdout, stderr, the result or the synthesized files', async () => {
    // Prepare
    const scanner = new SecretScanner(SECRETS);
    const stdout = collector();
    const stderr = collector();
    const outdir = path.join(work, 'demo-out');
    const viaSecretUrl: SlackSink = { ...sink, url: webhook }; // the sink answers on any /services/… path
    const before = sink.requests.length;
    // Act
    let result: DemoResult | undefined;
    let failure: unknown;
    try {
      result = await demo({ sink: viaSecretUrl, httpToken: HTTP_TOKEN, outdir, cwd: REPO_ROOT, env: { ...process.env, ...secretEnv() }, stdout, stderr });
    } catch (error) {
      failure = error;
    }
    // Assess: the demo really ran through the secret URL, then nothing leaked.
    scanner.add('demo stdout', stdout.text());
    scanner.add('demo stderr', stderr.text());
    scanner.add('demo result', result);
    scanner.add('demo error', failure);
    expect(failure, String(failure)).toBeUndefined();
    expect(result!.messagesOut).toBeGreaterThan(5);
    expect(result!.synth.status).toBe('ok');
    expect(sink.requests.slice(before).every((r) => r.path === WEBHOOK_PATH)).toBe(true);
    expect(sink.requests.length - before).toBeGreaterThanOrEqual(result!.messagesOut);
    expect(stdout.text()).toContain('Summary');
    expect(scanFiles(scanner, outdir)).toBeGreaterThan(1);
    expect(scanner.hits()).toEqual([]);
  }, 60_000);

  it('`ecs-pulse demo --json` as a process with the secrets in its environment: nothing of them in stdout or stderr', async () => {
    const scanner = new SecretScanner(SECRETS);
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // TMPDIR: the demo synthesizes into a new <tmpdir>/ecs-pulse-demo-XXXXXX; keep it inside this test's folder,
      // and keep it after the run (--keep) so its synthesized files are scanned too.
      const env = { ...process.env, ...secretEnv(), TMPDIR: work };
      const child = spawn(process.execPath, [BIN, 'demo', '--json', '--keep'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    });
    scanner.add('ecs-pulse demo --json stdout', stdout);
    scanner.add('ecs-pulse demo --json stderr', stderr);
    expect(code, stderr.slice(-2000)).toBe(0);
    const json = JSON.parse(stdout) as DemoResult;
    expect(json.messagesOut).toBeGreaterThan(5);
    const demoDirs = readdirSync(work).filter((name) => name.startsWith('ecs-pulse-demo-'));
    expect(demoDirs).toHaveLength(1);
    expect(json.synth.dir?.startsWith(path.join(work, demoDirs[0]!))).toBe(true);
    expect(scanFiles(scanner, path.join(work, demoDirs[0]!))).toBeGreaterThan(1); // its synthesized stack
    expect(scanner.hits()).toEqual([]);
  }, 60_000);
});

describe("Secret hygiene: the demo's payloads through the bundled function", () => {
  it('every log line, result and error of the 13 demo steps, run with the secrets, is clean', async () => {
    const scanner = new SecretScanner({ ...SECRETS, stsKeyId: CONTEXT_CREDENTIALS.accessKeyId, stsSecret: CONTEXT_CREDENTIALS.accessKeySecret, stsToken: CONTEXT_CREDENTIALS.securityToken });
    const manifest = JSON.parse(readFileSync(path.join(SAMPLES, 'manifest.json'), 'utf8')) as {
      steps: Array<{ file: string; via: 'fc3-event' | 'fc2-event' | 'http'; contentType?: string; token?: 'valid' | 'wrong' | 'none' }>;
    };
    const saved = { ...process.env };
    Object.assign(process.env, accessKeyEnv());
    const output = new OutputCapture().start();
    let outcomes: unknown[] = [];
    try {
      const fn = coldStart({ SLACK_WEBHOOK_URL: webhook, ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN, ECS_PULSE_CONFIG: undefined });
      outcomes = [];
      for (const step of manifest.steps) {
        const body = readFileSync(path.join(SAMPLES, step.file));
        if (step.via === 'http') {
          const token = step.token === 'wrong' ? 'wrong-token-but-long-enough' : step.token === 'none' ? undefined : HTTP_TOKEN;
          outcomes.push(await invoke(fn, httpEnvelope({ body: body.toString('utf8').trim(), contentType: step.contentType ?? null, ...(token !== undefined && { token }) }), fc3Context()));
        } else if (step.via === 'fc2-event') outcomes.push(await invokeLegacy(fn, body, fc2Context()));
        else outcomes.push(await invoke(fn, body, fc3Context()));
      }
    } finally {
      output.stop();
      for (const key of Object.keys(accessKeyEnv())) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
    scanner.add('function logs', output.text());
    for (const o of outcomes) scanner.add('outcome', o);
    expect(outcomes).toHaveLength(manifest.steps.length);
    expect(output.records().filter((r) => r.msg === 'invocation')).toHaveLength(manifest.steps.length);
    expect(output.records().some((r) => r.msg === 'input-dropped')).toBe(true); // raw input was logged
    expect(scanner.hits()).toEqual([]);
  });
});

describe('Secret hygiene: the synthesized example', () => {
  it('synth with the secrets in the environment (TF_VAR_slack_webhook_url, token, AccessKey): no file of cdktf.out contains them', async () => {
    const scanner = new SecretScanner(SECRETS);
    const run = await synthExample(secretEnv(), path.join(work, 'synth-out'));
    scanner.add('synth stdout', run.stdout);
    scanner.add('synth stderr', run.stderr);
    const files = scanFiles(scanner, run.outdir);
    expect(files).toBeGreaterThanOrEqual(3); // manifest.json, cdk.tf.json, the function asset
    expect(run.text).toContain('${var.slack_webhook_url}');
    expect(scanner.hits()).toEqual([]);
  }, 60_000);
});
