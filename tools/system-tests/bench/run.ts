/**
 * System benchmarks of ecs-pulse (`npm run bench` in tools/system-tests, or the root `npm run bench`):
 *
 *  1. A 1,000-event storm: 10 EventBridge batches of 100 CloudEvents (built from the sample events, unique ids
 *     and resource ids), one batch every 300 ms, through the REAL bundled FC function (dist/function.cjs,
 *     `SLACK_WEBHOOK_URL` = the sink) into the notifier's local Slack sink in rate-limit mode (1 message/s,
 *     burst 3). Each batch is an FC asynchronous invocation: when the handler throws, FC retries the same
 *     batch (2 retries, the construct's default async-invoke config); concurrent invocations run on separate
 *     function instances (FC's default instance concurrency is 1). Figures: alerts lost (in no accepted
 *     message), batches that exhausted FC's retries, invocations that threw, messages sent, 429s, wall time.
 *  1b. A 10,000-alert storm in ONE invocation (function timeout 120 s) into the sink at 1 message/s (burst 3):
 *     alerts hidden (logged delivered, in no accepted message), alerts lost, messages sent, wall time.
 *  2. Synth time of the example stack: its cdktf.json app command, new process each run, median of 3.
 *  3. `ecs-pulse --help`: new process each run, median of 9 (Node's clock), max RSS from /usr/bin/time -v.
 *
 * Prints a table and writes ../../bench-results/system.json. The forwarder's cold start and bundle size and
 * the parser/notifier throughput come from their own packages' benches.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSlackSink } from '@ecs-pulse/slack-notifier/testing';
import { missingFrom, stormEvents } from '../test/support/events.js';
import { synthExample } from '../test/support/example.js';
import { coldStart, fc3Context, OutputCapture, type AsyncAttempt, type FunctionModule, invoke } from '../test/support/function.js';

interface Figure {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  readonly target: string;
  readonly verdict: 'pass' | 'fail' | 'info';
}

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const figures: Figure[] = [];
const add = (figure: string, value: number, unit: string, target: string, verdict: Figure['verdict']): void => {
  figures.push({ figure, value, unit, target, verdict });
};
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 1): number => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// --- 1. the storm -------------------------------------------------------------------------------------
const BATCHES = 10;
const BATCH_SIZE = 100;
const BATCH_INTERVAL_MS = 300;
const FC_MAX_RETRIES = 2;
const FC_RETRY_DELAY_MS = 2000;

async function storm(): Promise<void> {
  const sink = await startSlackSink({ rateLimit: { perSecond: 1, burst: 3 } });
  const { events, expected } = stormEvents(BATCHES * BATCH_SIZE);
  const env = { SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: undefined, ECS_PULSE_CONFIG: undefined };

  // A pool of warm instances: an invocation takes an idle one or cold-starts a new one (instance concurrency 1).
  const idle: FunctionModule[] = [];
  let instances = 0;
  const acquire = (): FunctionModule => {
    const fn = idle.pop();
    if (fn) return fn;
    instances++;
    return coldStart(env);
  };

  const capture = new OutputCapture().start();
  const started = Date.now();
  let results: AsyncAttempt[][];
  try {
    const runs: Promise<AsyncAttempt[]>[] = [];
    for (let b = 0; b < BATCHES; b++) {
      if (b > 0) await sleep(BATCH_INTERVAL_MS);
      const payload = Buffer.from(JSON.stringify(events.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE)), 'utf8');
      runs.push(
        (async () => {
          const attempts: AsyncAttempt[] = [];
          for (let attempt = 1; attempt <= FC_MAX_RETRIES + 1; attempt++) {
            const fn = acquire();
            const outcome = await invoke(fn, payload, fc3Context({ timeoutS: 30 }));
            idle.push(fn);
            attempts.push({ attempt, outcome });
            if (outcome.ok) break;
            if (attempt <= FC_MAX_RETRIES) await sleep(FC_RETRY_DELAY_MS);
          }
          return attempts;
        })(),
      );
    }
    results = await Promise.all(runs);
  } finally {
    capture.stop();
  }
  const wallS = (Date.now() - started) / 1000;

  const threw = results.flat().filter((a) => !a.outcome.ok).length;
  const exhausted = results.filter((r) => !r[r.length - 1]!.outcome.ok).length;
  const recoveredByRetry = results.filter((r) => r.length > 1 && r[r.length - 1]!.outcome.ok).length * BATCH_SIZE;
  const lost = missingFrom(sink.messages, expected);
  const tooMany = sink.requests.filter((r) => r.status === 429).length;
  const invalid = sink.requests.filter((r) => r.status === 400).length;
  const delivered = capture.records().filter((r) => r.msg === 'alert' && r.outcome === 'delivered').length;
  const unexpectedErrors = results
    .flat()
    .filter((a) => !a.outcome.ok && (a.outcome.error as { code?: unknown }).code !== 'DELIVERY_FAILED')
    .map((a) => String((a.outcome as { error: unknown }).error));
  await sink.close();
  if (unexpectedErrors.length > 0) console.error(`storm: invocations failed with something other than DELIVERY_FAILED:\n${unexpectedErrors.join('\n')}`);

  console.log(
    `storm: ${expected.length} events in ${BATCHES} batches; ${results.flat().length} invocations on ${instances} instances; ` +
      `${threw} threw (FC retried them); ${exhausted} batches exhausted FC's retries; ${delivered} "delivered" log lines; ` +
      `${sink.messages.length} messages accepted, ${tooMany} × 429, ${invalid} × 400; ${lost.length} alerts missing from Slack; ${round(wallS)} s`,
  );
  add('storm: events in (10 EventBridge batches × 100)', expected.length, 'events', 'info', 'info');
  add('storm: alerts lost (in no accepted message)', lost.length, 'alerts', '0', lost.length === 0 ? 'pass' : 'fail');
  add('storm: batches left to FC on-failure destination', exhausted, 'batches', '0 (after 2 FC retries)', exhausted === 0 ? 'pass' : 'fail');
  add('storm: invocations that threw (FC retried)', threw, 'invocations', 'info (throw = FC retries the batch)', unexpectedErrors.length === 0 ? 'info' : 'fail');
  add('storm: alerts delivered only after an FC retry', recoveredByRetry, 'alerts', 'info (their first invocation threw)', 'info');
  add('storm: function instances used', instances, 'instances', 'info', 'info');
  add('storm: Slack messages sent', sink.messages.length, 'messages', '≤ 30 (digests, not 1,000 posts)', sink.messages.length <= 30 ? 'pass' : 'fail');
  add('storm: 429s seen', tooMany, 'responses', 'info (sink enforces 1/s, burst 3)', 'info');
  add('storm: 400s seen', invalid, 'responses', '0', invalid === 0 ? 'pass' : 'fail');
  add('storm: wall time', round(wallS), 's', '< 60 s', wallS < 60 ? 'pass' : 'fail');
}

// --- 1b. a storm in ONE invocation ----------------------------------------------------------------------
const BIG_STORM = 10_000;
const BIG_TIMEOUT_S = 120;

/**
 * 10,000 alerts in one EventBridge batch, one invocation of the REAL bundle (function timeout 120 s), into the
 * sink at Slack's rate (1 message/s, burst 3). The function posts digest parts paced to that rate. Figures:
 * alerts hidden (logged `delivered` but in no accepted message), alerts lost (in no accepted message and not in
 * the invocation's retryable error either), messages sent, 429s, wall time.
 */
async function bigStorm(): Promise<void> {
  const sink = await startSlackSink({ rateLimit: { perSecond: 1, burst: 3 } });
  const { events, expected } = stormEvents(BIG_STORM, 'big');
  const fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: undefined, ECS_PULSE_CONFIG: undefined });
  const payload = Buffer.from(JSON.stringify(events), 'utf8');
  const capture = new OutputCapture().start();
  const started = Date.now();
  let outcome: Awaited<ReturnType<typeof invoke>>;
  try {
    outcome = await invoke(fn, payload, fc3Context({ timeoutS: BIG_TIMEOUT_S }));
  } finally {
    capture.stop();
  }
  const wallS = (Date.now() - started) / 1000;
  const shown = new Set(sink.messages.flatMap((m) => JSON.stringify(m).match(/[ids]-big\d{6}/g) ?? []));
  const resourceOf = new Map(expected.map((a) => [a.id, a.resourceId]));
  const records = capture.records().filter((r) => r.msg === 'alert');
  const delivered = records.filter((r) => r.outcome === 'delivered');
  const hidden = delivered.filter((r) => !shown.has(resourceOf.get(String(r.id)) ?? '')).length;
  const retryable = outcome.ok ? new Set<string>() : new Set(((outcome.error as { failures?: { alertIds: string[] }[] }).failures ?? []).flatMap((f) => f.alertIds));
  const lost = expected.filter((a) => !shown.has(a.resourceId) && !retryable.has(a.id)).length;
  const tooMany = sink.requests.filter((r) => r.status === 429).length;
  await sink.close();
  console.log(
    `big storm: ${BIG_STORM} alerts in one invocation (${Math.round(payload.length / 1024)} KiB); ${outcome.ok ? 'resolved' : 'rejected'}; ` +
      `${delivered.length} delivered, ${retryable.size} left to the FC retry; ${sink.messages.length} messages, ${tooMany} × 429; ` +
      `${hidden} hidden, ${lost} lost; ${round(wallS)} s`,
  );
  add(`big storm: ${BIG_STORM.toLocaleString('en')} alerts in one invocation, alerts hidden (delivered, not shown)`, hidden, 'alerts', '0', hidden === 0 ? 'pass' : 'fail');
  add('big storm: alerts lost (not shown, not failed retryably)', lost, 'alerts', '0', lost === 0 ? 'pass' : 'fail');
  add('big storm: alerts shown in this invocation', delivered.length, 'alerts', `${BIG_STORM} (all, within the ${BIG_TIMEOUT_S} s timeout)`, delivered.length === BIG_STORM && outcome.ok ? 'pass' : 'fail');
  add('big storm: Slack messages sent (sink at 1/s, burst 3)', sink.messages.length, 'messages', 'info', 'info');
  add('big storm: 429s seen', tooMany, 'responses', 'info', 'info');
  add('big storm: wall time', round(wallS), 's', `< ${BIG_TIMEOUT_S} s (function timeout)`, wallS < BIG_TIMEOUT_S ? 'pass' : 'fail');
}

// --- 2. synth time ------------------------------------------------------------------------------------
async function synthTime(): Promise<void> {
  const runs = Number(process.env.SYNTH_RUNS ?? 3);
  const times: number[] = [];
  let resources = 0;
  for (let i = 0; i < runs; i++) {
    const run = await synthExample({});
    times.push(run.ms);
    resources = Object.values(run.json.resource ?? {}).reduce((n: number, byName) => n + Object.keys(byName as object).length, 0);
    rmSync(run.outdir, { recursive: true, force: true });
  }
  const m = median(times);
  console.log(`synth: ${runs} runs, ${times.map((t) => Math.round(t)).join(' / ')} ms; ${resources} resources`);
  add(`synth of the example stack (new process), median of ${runs}`, round(m / 1000, 2), 's', '< 15 s', m < 15_000 ? 'pass' : 'fail');
}

// --- 3. ecs-pulse --help --------------------------------------------------------------------------------
function helpTime(): void {
  const require = createRequire(import.meta.url);
  const cliDir = path.dirname(require.resolve('@ecs-pulse/cli/package.json'));
  const bin = path.join(cliDir, 'bin', 'ecs-pulse.js');
  const runs = Number(process.env.HELP_RUNS ?? 9);
  const env = { ...process.env, NO_COLOR: '1' };
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', env });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0 || !r.stdout.includes('ecs-pulse')) throw new Error(`ecs-pulse --help exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(ms); // one warm-up run (disk cache)
  }
  const m = median(times);
  let rssKiB: number | undefined;
  if (existsSync('/usr/bin/time')) {
    const rss: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('/usr/bin/time', ['-v', process.execPath, bin, '--help'], { encoding: 'utf8', env });
      const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
      if (match) rss.push(Number(match[1]));
    }
    if (rss.length > 0) rssKiB = median(rss);
  }
  console.log(`ecs-pulse --help: ${runs} runs, min ${round(Math.min(...times))} / median ${round(m)} / max ${round(Math.max(...times))} ms${rssKiB ? `, max RSS ${round(rssKiB / 1024)} MiB` : ''}`);
  add(`ecs-pulse --help (new process), median of ${runs}`, round(m), 'ms', '< 1,000 ms (absolute; see cli.json for the overhead over node)', m < 1000 ? 'pass' : 'fail');
  if (rssKiB !== undefined) add('ecs-pulse --help max RSS (/usr/bin/time -v), median of 3', round(rssKiB / 1024), 'MiB', 'info', 'info');
}

// --- run ----------------------------------------------------------------------------------------------
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`system bench on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${load}`);
// SYSTEM_BENCH_ONLY=big-storm (or storm, synth, help) runs one part.
const only = process.env.SYSTEM_BENCH_ONLY;
if (!only || only === 'storm') await storm();
if (!only || only === 'big-storm') await bigStorm();
if (!only || only === 'synth') await synthTime();
if (!only || only === 'help') helpTime();

console.table(figures);
const out = path.resolve(packageDir, '../../bench-results');
mkdirSync(out, { recursive: true });
const file = only ? `system-${only}.json` : 'system.json';
writeFileSync(path.join(out, file), `${JSON.stringify(figures, null, 2)}\n`);
console.log(`written to ${path.relative(process.cwd(), path.join(out, file)) || file}`);
if (figures.some((f) => f.verdict === 'fail')) process.exitCode = 1;
