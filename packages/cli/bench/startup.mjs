// Measures `ecs-pulse --help` start-up (median of N runs, Node's clock) and writes bench-results/cli.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(pkg, 'bin', 'ecs-pulse.js');
const runs = Number(process.env.RUNS ?? 15);

function measure(args) {
  const times = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`ecs-pulse ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i >= 2) times.push(ms); // two warm-up runs (disk cache)
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
}

function baseline() {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const node = baseline();
const help = measure(['--help']);
const sub = measure(['stress', '--help']);
const rows = [
  { figure: 'node -e 0 (baseline), median', value: +node.toFixed(1), unit: 'ms', target: 'info', verdict: 'info' },
  { figure: 'ecs-pulse --help, median', value: +help.median.toFixed(1), unit: 'ms', target: 'info (machine-dependent)', verdict: 'info' },
  { figure: 'ecs-pulse --help over node baseline', value: +(help.median - node).toFixed(1), unit: 'ms', target: '< 150 ms', verdict: help.median - node < 150 ? 'pass' : 'fail' },
  { figure: 'ecs-pulse stress --help, median', value: +sub.median.toFixed(1), unit: 'ms', target: 'info (machine-dependent)', verdict: 'info' },
];
console.log(`ecs-pulse start-up, ${runs} runs each (min/max --help: ${help.min.toFixed(1)}/${help.max.toFixed(1)} ms)`);
console.table(rows);
const out = path.resolve(pkg, '../../bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'cli.json'), `${JSON.stringify(rows, null, 2)}\n`);
