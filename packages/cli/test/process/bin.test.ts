// The built bin (bin/ecs-pulse.js → dist/cli.js) run as a child process: exit codes, stdin, stdout/stderr,
// EPIPE, signals and terminals are properties of the process, so they are tested on the process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeApp, fakeExecutable, pathWith, tempDir } from '../helpers/fake-tools.js';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REPO = path.resolve(PACKAGE_DIR, '..', '..');
const BIN = path.join(PACKAGE_DIR, 'bin', 'ecs-pulse.js');
const SAMPLES = path.join(PACKAGE_DIR, 'samples', 'demo');
const STOPPED = path.join(SAMPLES, 'cms-event-ecs-instance-statechange-stopped.json');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A clean environment: no credentials, no CI, no colour, a HOME of its own. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: tempDir('ecs-pulse-home-'), NO_COLOR: '1', ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true', ...extra };
}

function run(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: options.env ?? cleanEnv(),
    encoding: 'utf8',
    timeout: 60_000,
    ...(options.input !== undefined && { input: options.input }),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(path.join(PACKAGE_DIR, 'dist', 'cli.js'))) throw new Error('packages/cli/dist is missing: run npm run build (or npx nx run cli:build) first');
});

describe('Process: argument checks are usage errors (exit 2) that name the problem', () => {
  const cases: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['--parallel abc', ['net', 'run', '--parallel', 'abc'], /--parallel must be a whole number from 1 to 128 \(got "abc"\)/],
    ['--port 99999', ['net', 'run', '--port', '99999'], /--port must be a whole number from 1 to 65535 \(got "99999"\)/],
    ['--cpu -1', ['stress', 'run', '--cpu', '-1'], /--cpu must be a whole number from 0 to 1024 \(got "-1"\)/],
    ['--bogus', ['--bogus'], /Unknown option --bogus\./],
    ['an unknown option of a command', ['demo', '--bogus'], /Unknown option `--bogus`/],
    ['an extra positional argument', ['demo', 'extra-arg'], /Unexpected argument "extra-arg" for "ecs-pulse demo"/],
    ['events list --level BOGUS', ['events', 'list', '--level', 'BOGUS', '--region', 'cn-hangzhou'], /--level must be one of CRITICAL, WARN, INFO \(got "BOGUS"\)/],
    ['synth --app /nonexistent', ['synth', '--app', '/nonexistent-ecs-pulse-app'], /\/nonexistent-ecs-pulse-app does not exist \(from --app\)/],
    ['preview --content-type text/bogus', ['preview', '--content-type', 'text/bogus', STOPPED], /--content-type "text\/bogus" is not one the forwarder reads/],
    ['send-test-event --webhook not-a-url', ['send-test-event', '--webhook', 'not-a-url'], /--webhook is not a usable Slack webhook URL: it is not an absolute URL.* \[USAGE\]/],
    ['net run --slack not-a-url (before any cloud call)', ['net', 'run', '--slack', 'not-a-url'], /--slack is not a usable Slack webhook URL/],
    ['events replay --webhook not-a-url', ['events', 'replay', '--webhook', 'ftp://x'], /--webhook is not a usable Slack webhook URL/],
    ['help of an unknown command', ['help', 'nope'], /Unknown command "nope"/],
    ['preview --sample of an unknown name', ['preview', '--sample', 'nope'], /No bundled sample "nope"\. Samples: .*cms-event-ecs-instance-statechange-stopped/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = run(args);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^ecs-pulse: /);
      expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(r.status).toBe(2);
    });
  }

  it('synth --stack nope fails like plan --stack nope (exit 2, naming the stacks there are)', () => {
    const root = tempDir();
    fakeApp(path.join(root, 'app'), ['alpha', 'beta']);
    const env = cleanEnv({ PATH: pathWith(path.join(root, 'bin')) });
    const r = run(['synth', '--app', 'app', '--stack', 'nope'], { cwd: root, env });
    expect(r.stderr).toContain('Stack "nope" not found. Stacks in this app: alpha, beta.');
    expect(r.status).toBe(2);
    expect(run(['synth', '--app', 'app', '--stack', 'beta'], { cwd: root, env }).status).toBe(0);
  });
});

describe('Process: help', () => {
  it('`ecs-pulse help` and `ecs-pulse help <command>` print help and exit 0; every --help lists the exit codes', () => {
    const top = run(['help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('$ ecs-pulse <command> [options]');
    const sub = run(['help', 'synth']);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toContain('$ ecs-pulse synth');
    for (const args of [['--help'], ['demo', '--help'], ['preview', '--help']]) {
      const r = run(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}failure.*\n {2}2 {2}usage.*\n {2}3 .*credentials.*\n {2}4 .*\n {2}5 .*\n {2}6 .*Slack/);
    }
  });

  it('preview --help names the bundled samples by --sample, not a path of the repository', () => {
    const r = run(['preview', '--help']);
    expect(r.stdout).toContain('--sample <name>');
    expect(r.stdout).not.toContain('packages/cli/samples');
  });
});

describe('Process: stdin and output', () => {
  it('`preview -` reads the payload from stdin', () => {
    const r = run(['preview', '-'], { input: readFileSync(STOPPED, 'utf8') });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^stdin · cloudmonitor-event · 1 alert\n/);
    expect(r.stdout).toContain('ECS Instance:StateChange → Stopped');
  });

  it('`send-test-event -` reads the payload from stdin (posted to a local sink)', async () => {
    const { startSlackSink } = await import('@ecs-pulse/slack-notifier/testing');
    const sink = await startSlackSink();
    try {
      const child = spawn(process.execPath, [BIN, 'send-test-event', '-', '--webhook', sink.url], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
      child.stdin.end(readFileSync(path.join(SAMPLES, 'eventbridge-ecs-batch.json')));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      expect(code).toBe(0);
      expect(out).toBe('Sent 3 alerts to the Slack webhook.\n');
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });

  it('`preview --sample <name>` renders a bundled sample wherever the CLI is installed', () => {
    const r = run(['preview', '--sample', 'cms-event-ecs-instance-statechange-stopped']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^sample cms-event-ecs-instance-statechange-stopped · cloudmonitor-event · 1 alert\n/);
  });

  it('`ecs-pulse demo | head -1` prints the first line and exits 0, with no EPIPE trace', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" demo --skip-synth | head -1`], {
      cwd: REPO,
      env: cleanEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout).toBe('ecs-pulse demo: the whole alert path, offline (no cloud account, no Slack workspace)\n');
    expect(r.stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
    expect(r.status).toBe(0); // pipefail: the CLI's own status
  });

  it('on a terminal with 0 columns, progress is plain lines and the output stays small', () => {
    // Prepare: a real pseudo-terminal (util-linux `script`) whose width is 0, as under some CI runners
    const script = spawnSync('sh', ['-c', 'command -v script']);
    if (script.status !== 0) {
      if (process.env.ECS_PULSE_REQUIRE_TOOLS === '1') throw new Error('script (util-linux) is missing: apt-get install bsdutils');
      console.warn('skipped: script (util-linux) is not installed; apt-get install bsdutils');
      return;
    }
    // stdout and stderr both on the terminal (the spinner library looks at stdout, draws on stderr)
    const command = `stty cols 0 rows 24; timeout 30 "${process.execPath}" "${BIN}" demo --skip-synth`;
    // Act: a runaway spinner overflows maxBuffer (status null) instead of filling the disk
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: REPO,
      env: { ...cleanEnv(), TERM: 'xterm' },
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 5_000_000,
    });
    // Assess: finished, no cursor-up / erase-line storm, bounded size
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('The alert path works end to end.');
    expect(r.stdout).not.toContain('\u001b[1A');
    expect(r.stdout).toContain('✔ Local Slack sink listening');
    expect(r.stdout.length).toBeLessThan(60_000);
  });
});

describe('Process: demo never deletes what it did not create', () => {
  it('refuses a non-empty --outdir without its marker (exit 2) and leaves every file in place', () => {
    // Prepare: a project folder with sources and a .git
    const project = tempDir();
    mkdirSync(path.join(project, '.git'));
    writeFileSync(path.join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(project, 'main.ts'), '// my app\n');
    // Act
    const r = run(['demo', '--outdir', '.', '--app', path.join(REPO, 'examples', 'stress-test-environment')], { cwd: project });
    // Assess
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--outdir ${project} is not empty and was not made by ecs-pulse demo (it has no .ecs-pulse-demo file)`);
    expect(readdirSync(project).sort()).toEqual(['.git', 'main.ts']);
    expect(readFileSync(path.join(project, 'main.ts'), 'utf8')).toBe('// my app\n');
  });

  it('removes its own temporary folder at the end; --keep keeps it; an --outdir it made is reused', () => {
    const tmp = tempDir();
    const env = cleanEnv({ TMPDIR: tmp });
    const app = path.join(REPO, 'examples', 'stress-test-environment');
    // Act: default outdir
    const gone = run(['demo', '--app', app, '--json'], { cwd: REPO, env });
    // Assess
    expect(gone.status).toBe(0);
    expect(readdirSync(tmp).filter((f) => f.startsWith('ecs-pulse-demo-'))).toEqual([]);
    expect(gone.stderr).toMatch(/removed .*ecs-pulse-demo-\w+ \(--keep keeps it\)/);
    // Act: --keep
    const kept = run(['demo', '--app', app, '--keep', '--json'], { cwd: REPO, env });
    expect(kept.status).toBe(0);
    const left = readdirSync(tmp).filter((f) => f.startsWith('ecs-pulse-demo-'));
    expect(left).toHaveLength(1);
    expect(existsSync(path.join(tmp, left[0] as string, 'cdktf.out', 'stacks', 'ecs-pulse', 'cdk.tf.json'))).toBe(true);
    // Act: an --outdir made by a demo is emptied and reused
    const out = path.join(tmp, left[0] as string, 'cdktf.out');
    writeFileSync(path.join(out, 'stale.txt'), 'from the first run');
    const again = run(['demo', '--app', app, '--outdir', out, '--json'], { cwd: REPO, env });
    expect(again.status).toBe(0);
    expect(existsSync(path.join(out, 'stale.txt'))).toBe(false);
    expect(existsSync(path.join(out, '.ecs-pulse-demo'))).toBe(true);
    expect(existsSync(path.join(out, 'stacks', 'ecs-pulse', 'cdk.tf.json'))).toBe(true);
  }, 120_000);
});

describe('Process: terraform failures and --json', () => {
  it('`plan --json` prints a JSON error object on stdout when terraform fails, and a sentence of its own on stderr', () => {
    const root = tempDir();
    const bin = path.join(root, 'bin');
    fakeApp(path.join(root, 'app'));
    fakeExecutable(bin, 'terraform');
    writeFileSync(path.join(bin, 'terraform.plan.exit'), '1');
    writeFileSync(path.join(bin, 'terraform.plan.stderr'), 'Error: Invalid provider configuration\n');
    const r = run(['plan', '--app', 'app', '--json'], { cwd: root, env: cleanEnv({ PATH: pathWith(bin) }) });
    expect(r.status).toBe(1);
    const parsed = JSON.parse(r.stdout) as { error: { code: string; exitCode: number; message: string } };
    expect(parsed.error).toMatchObject({ code: 'SUBPROCESS_FAILED', exitCode: 1 });
    expect(parsed.error.message).toMatch(/^terraform plan failed with exit code 1 in .*stress-test\. Terraform's own error is above; fix what it names and run again\.$/);
    const last = r.stderr.trim().split('\n').pop() ?? '';
    expect(last).not.toContain('Invalid provider configuration');
    expect(r.stderr).toContain('Error: Invalid provider configuration');
  });
});

describe('Process: credentials', () => {
  it('says which credential sources were tried and how to set one, without the SDK chain noise', () => {
    const home = tempDir('ecs-pulse-home-');
    const r = run(['events', 'list', '--region', 'cn-hangzhou'], { env: cleanEnv({ HOME: home }) });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('No Alibaba Cloud credentials found. Tried, in order: environment variables ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (not set)');
    expect(r.stderr).toContain(`aliyun CLI profile in ${path.join(home, '.aliyun', 'config.json')} (no such file)`);
    expect(r.stderr).toContain('ECS instance RAM role');
    expect(r.stderr).toContain('export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET');
    expect(r.stderr).not.toMatch(/undefined|ENOTFOUND|unable to get credentials from any/);
    expect(r.stderr).toMatch(/\[CREDENTIALS_MISSING\]\n$/);
  });
});

describe('Process: ecs-pulse sink', () => {
  it('prints its URL, then each message it receives rendered as preview does; SIGINT stops it with exit 0', async () => {
    // Prepare
    const child = spawn(process.execPath, [BIN, 'sink'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const until = async (predicate: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!predicate()) throw new Error(`timed out waiting for ${what}; stdout: ${stdout}; stderr: ${stderr}`);
    };
    try {
      await until(() => /http:\/\/127\.0\.0\.1:\d+\/services\/\S+\n/.test(stdout), 'the URL');
      const url = /(http:\/\/127\.0\.0\.1:\d+\/services\/\S+)\n/.exec(stdout)?.[1] as string;
      // Act: a valid message, then one breaking Slack's limits
      const post = (body: unknown): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(JSON.stringify(body));
        });
      const ok = await post({ text: 'disk full', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*disk full* on i-bp1abc' } }] });
      const bad = await post({ text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] });
      await until(() => stdout.includes('request 2'), 'the second request');
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      // Assess
      expect(ok).toBe(200);
      expect(bad).toBe(400);
      expect(stdout).toContain('── message 1 · 200 ok ──\ndisk full on i-bp1abc');
      expect(stdout).toMatch(/── request 2 · 400 invalid_payload ──\n {2}blocks\[0\]\.text\.text: /);
      expect(stderr).toContain(`Try: ecs-pulse send-test-event --webhook ${url}`);
      expect(stderr).toContain('Sink stopped: 1 message(s) accepted, 1 refused.');
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
