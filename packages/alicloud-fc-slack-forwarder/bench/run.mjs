#!/usr/bin/env node
/**
 * Benchmarks of @ecs-pulse/alicloud-fc-slack-forwarder (run with `npm run bench` in this package, after a build):
 *  1. size of the bundled function (dist/function.cjs, the file every cold start loads: target <= 70 KiB, a
 *     guard against growth), of the chunks it requires only when needed — the HTTP-trigger request path
 *     (dist/function-http.cjs, at the first HTTP-trigger request) and the bot-token routes
 *     (dist/function-threads.cjs, when the configuration has one) — and of dist/function.zip (all three);
 *  2. cold start as FC pays it: a NEW process loads the handler, handles one CloudMonitor event and posts to
 *     a local Slack sink — the bundled Node.js function side by side with the original approach (a Python 3
 *     handler using `requests` that posts the pretty-printed event) and with the Node.js floor (a bare node
 *     process that reads the event and posts it with node:http, bench/floor-node.cjs), interleaved runs,
 *     medians. Targets: (a) Python / bundled >= 1.5x; (b) bundled / floor <= 1.35x. Each run is timed twice on
 *     one clock: from spawn until the sink has the message (the invocation's cold latency: FC keeps the instance
 *     afterwards, so it never waits for an exit; the targets use this) and from spawn until the process has
 *     exited. Every run must deliver exactly one message to the sink. Empty runtimes are timed in the same loop.
 * Prints a table, writes ../../bench-results/alicloud-fc-slack-forwarder.json and exits 1 when a target fails
 * (or cannot be measured: the Python comparison needs /usr/bin/python3 with Debian's python3-requests).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSlackSink } from '@ecs-pulse/slack-notifier/testing';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(packageDir, 'dist', 'function.cjs');
const httpChunk = join(packageDir, 'dist', 'function-http.cjs');
const threadChunk = join(packageDir, 'dist', 'function-threads.cjs');
const archive = join(packageDir, 'dist', 'function.zip');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const PYTHON = '/usr/bin/python3';
const TARGET_BYTES = 70 * 1024;
const TARGET_VS_PYTHON = 1.5; // (a) Python delivery / bundled delivery, at least
const TARGET_VS_FLOOR = 1.35; // (b) bundled delivery / floor delivery, at most

const figures = [];
const add = (figure, value, unit, target, verdict) => figures.push({ figure, value, unit, target, verdict });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// --- 1. size -----------------------------------------------------------------------------------------
let bundleBytes;
let httpBytes;
let threadBytes;
let zipBytes;
try {
  [bundleBytes, httpBytes, threadBytes, zipBytes] = [bundle, httpChunk, threadChunk, archive].map((file) => statSync(file).size);
} catch {
  console.error('bench: a file of the function (dist/function.cjs, function-http.cjs, function-threads.cjs, function.zip) is missing; run `npm run build` first.');
  process.exit(1);
}
// The Node.js built-ins the bundle requires at load time (read from the bundle: plain `require(…)` calls; the
// `module.require(…)` calls of src/function/lazy-*.ts run only at first use), for the informative floor variant.
const BUNDLE_BUILTINS = [...new Set([...readFileSync(bundle, 'utf8').matchAll(/(?<![.\w$])require\(['"](?:node:)?([a-z_/]+)['"]\)/g)].map((m) => m[1]))].filter((m) => m !== 'http');
const bundleVerdict = bundleBytes <= TARGET_BYTES ? 'pass' : 'fail';
add('bundle size: dist/function.cjs (index.js, loaded by every cold start)', bundleBytes, 'bytes', '≤ 71,680 bytes (70 KiB)', bundleVerdict);
add('bundle size: dist/function.cjs', round(bundleBytes / 1024), 'KiB', '≤ 70 KiB', bundleVerdict);
add('HTTP chunk: dist/function-http.cjs (loaded at the first HTTP-trigger request)', httpBytes, 'bytes', 'never loaded by event invocations', 'info');
add('thread chunk: dist/function-threads.cjs (loaded only when a bot-token route is configured)', threadBytes, 'bytes', 'never loaded by webhook-only routes', 'info');
add('deployment archive: dist/function.zip (all three files)', zipBytes, 'bytes', 'what FC stores and loads', 'info');

// --- 2. cold start -----------------------------------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'ecs-pulse-bench-'));
const eventFile = join(work, 'event.json');
writeFileSync(eventFile, readFileSync(join(packageDir, 'test/fixtures/events/cms-event-ecs-instance-statechange-stopped.json')));
const sink = await startSlackSink();
const HTTP_TOKEN = randomBytes(24).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 32);

// Wall clock in ms with sub-ms resolution, on the same timeline as the sink's `at` (Date.now() at arrival).
const wall = () => performance.timeOrigin + performance.now();

function timed(command, args, env, onStart = () => {}) {
  return new Promise((resolvePromise, reject) => {
    onStart(wall());
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(0, 500)}`));
      else resolvePromise(ms);
    });
  });
}

/** One cold run: `{ delivered, exited }` in ms from spawn (delivered = the sink has the message). */
async function oneRun(kind) {
  const before = sink.messages.length;
  let spawnedAt = 0;
  const markStart = (t) => (spawnedAt = t);
  // The environment the construct deploys by default (FC 3.0 with the HTTP trigger): the webhook URL and a
  // 32-character token. The Python original and the floor read only the webhook URL.
  const env = { SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN };
  const exited =
    kind === 'node'
      ? await timed(process.execPath, [join(packageDir, 'bench/cold-node.cjs'), bundle, eventFile], env, markStart)
      : kind === 'floor' || kind === 'floor+builtins'
        ? await timed(process.execPath, [join(packageDir, 'bench/floor-node.cjs'), eventFile, ...(kind === 'floor' ? [] : BUNDLE_BUILTINS)], env, markStart)
        : await timed(PYTHON, [join(packageDir, 'bench/original_handler.py'), eventFile], env, markStart);
  if (sink.messages.length !== before + 1) throw new Error(`${kind} run delivered ${sink.messages.length - before} messages instead of 1`);
  const delivered = sink.requests.at(-1).at - spawnedAt;
  return { delivered, exited };
}

const pythonCheck = spawnSync(PYTHON, ['-c', 'import requests; print(requests.__version__)'], { encoding: 'utf8' });
const pythonOk = pythonCheck.status === 0;
const node = { delivered: [], exited: [] };
const python = { delivered: [], exited: [] };
const floor = { delivered: [], exited: [] };
const floorBuiltins = { delivered: [], exited: [] };
const record = (into, run) => {
  into.delivered.push(run.delivered);
  into.exited.push(run.exited);
};
const baseline = { node: [], python: [] };
try {
  // Warm the OS file cache once for each runtime (FC's own cold start also reads from a warm image cache).
  await oneRun('node');
  await oneRun('floor');
  if (pythonOk) await oneRun('python');
  for (let i = 0; i < RUNS; i++) {
    record(node, await oneRun('node'));
    record(floor, await oneRun('floor'));
    record(floorBuiltins, await oneRun('floor+builtins'));
    if (pythonOk) record(python, await oneRun('python'));
    baseline.node.push(await timed(process.execPath, ['-e', ''], {}));
    if (pythonOk) baseline.python.push(await timed(PYTHON, ['-c', ''], {}));
  }
} finally {
  await sink.close();
  rmSync(work, { recursive: true, force: true });
}

const nodeDelivered = median(node.delivered);
const nodeExited = median(node.exited);
const nodeFloor = median(baseline.node);
const floorDelivered = median(floor.delivered);
const floorExited = median(floor.exited);
add(`cold start: Node.js bundled handler, spawn → message at the sink (median of ${RUNS})`, round(nodeDelivered), 'ms', 'new process, load, one event, post', 'info');
add('cold start: Node.js bundled handler, spawn → process exit (median)', round(nodeExited), 'ms', 'the same runs, until exit', 'info');
add(`floor: bare node reads the event, posts it with node:http, spawn → message at the sink (median of ${RUNS})`, round(floorDelivered), 'ms', 'no parsing, no rendering, no retries', 'info');
add('floor: bare node reads the event, posts it with node:http, spawn → process exit (median)', round(floorExited), 'ms', 'the same runs, until exit', 'info');
add(`floor + the bundle's built-ins (${BUNDLE_BUILTINS.join(', ') || 'none but http'}) loaded first, spawn → message at the sink (median)`, round(median(floorBuiltins.delivered)), 'ms', 'the runtime part of the gap to the floor', 'info');
add('runtime floor: bare `node -e ""`, spawn → exit (median)', round(nodeFloor), 'ms', 'an empty Node.js process', 'info');
const vsFloor = nodeDelivered / floorDelivered;
add('cold start ratio: bundled handler / floor (spawn → message at the sink)', round(vsFloor, 2), 'x', `<= ${TARGET_VS_FLOOR}x (b)`, vsFloor <= TARGET_VS_FLOOR ? 'pass' : 'fail');
add('cold start cost above the floor: bundled handler − floor (to the sink)', round(nodeDelivered - floorDelivered), 'ms', 'what parsing, rendering and the handler cost', 'info');
if (pythonOk) {
  const pythonDelivered = median(python.delivered);
  const pythonExited = median(python.exited);
  const pythonFloor = median(baseline.python);
  add(`cold start: original Python 3 + requests handler, spawn → message at the sink (median of ${RUNS})`, round(pythonDelivered), 'ms', 'new process, import, one event, post', 'info');
  add('cold start: original Python 3 + requests handler, spawn → process exit (median)', round(pythonExited), 'ms', 'the same runs, until exit', 'info');
  add('runtime floor: bare `python3 -c ""`, spawn → exit (median)', round(pythonFloor), 'ms', 'an empty Python process', 'info');
  const ratio = pythonDelivered / nodeDelivered;
  add('cold start ratio: Python / Node.js (spawn → message at the sink)', round(ratio, 2), 'x', `>= ${TARGET_VS_PYTHON}x faster (a)`, ratio >= TARGET_VS_PYTHON ? 'pass' : 'fail');
  add('cold start ratio: Python / Node.js (spawn → process exit)', round(pythonExited / nodeExited, 2), 'x', 'the same runs, until exit', 'info');
  // A Node.js handler that cost nothing would still pay the empty process: no handler can beat this ratio here.
  add('ceiling: Python delivery / bare Node.js process', round(pythonDelivered / nodeFloor, 2), 'x', 'best ratio any Node.js handler can reach here', 'info');
  // The same runs minus each runtime's empty process: what the handler code itself costs.
  const nodeAbove = nodeExited - nodeFloor;
  const pythonAbove = pythonExited - pythonFloor;
  add('handler cost above the runtime floor: Node.js', round(nodeAbove), 'ms', 'median exit − median empty process', 'info');
  add('handler cost above the runtime floor: Python + requests', round(pythonAbove), 'ms', 'median exit − median empty process', 'info');
  add('handler cost ratio above the floor: Python / Node.js', round(pythonAbove / Math.max(nodeAbove, 1), 2), 'x', 'what the handler code itself costs', 'info');
} else {
  add('cold start ratio: Python / Node.js (spawn → message at the sink)', 0, 'x', `>= ${TARGET_VS_PYTHON}x faster (a): not measured`, 'fail');
  console.warn(`bench: ${PYTHON} cannot import requests (${(pythonCheck.stderr || '').trim().split('\n').at(-1)}); install Debian's python3-requests. The comparison did not run.`);
}

// --- report ------------------------------------------------------------------------------------------
const widths = [92, 10, 6, 46, 7];
const row = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(row(['figure', 'value', 'unit', 'target', 'verdict']));
console.log(row(widths.map((w) => '-'.repeat(w))));
for (const f of figures) console.log(row([f.figure, f.value, f.unit, f.target, f.verdict]));
const runs = (xs) => xs.map((x) => round(x, 0)).join(' ');
console.log(`\nnode runs, to the sink (ms): ${runs(node.delivered)}\nnode runs, to exit (ms): ${runs(node.exited)}`);
console.log(`floor runs, to the sink (ms): ${runs(floor.delivered)}\nfloor runs, to exit (ms): ${runs(floor.exited)}`);
console.log(`floor + built-ins runs, to the sink (ms): ${runs(floorBuiltins.delivered)}`);
if (pythonOk) console.log(`python runs, to the sink (ms): ${runs(python.delivered)}\npython runs, to exit (ms): ${runs(python.exited)}`);

const outDir = resolve(packageDir, '../../bench-results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'alicloud-fc-slack-forwarder.json'), `${JSON.stringify(figures, null, 2)}\n`);
console.log(`\nwrote ${join(outDir, 'alicloud-fc-slack-forwarder.json')}`);
const failed = figures.filter((f) => f.verdict === 'fail');
if (failed.length > 0) {
  console.error(`bench: ${failed.length} target(s) not met: ${failed.map((f) => f.figure).join('; ')}`);
  process.exitCode = 1;
}
