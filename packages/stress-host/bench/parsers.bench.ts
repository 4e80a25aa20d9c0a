/**
 * Parser throughput: `npm run bench` in packages/stress-host.
 * Prints a table and writes ../../bench-results/stress-host.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseIperf3, parseStressNg } from '../src/parsers.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = (p: string): string => readFileSync(resolve(packageDir, 'test/fixtures', p), 'utf8');

/** A 60-second, 1-second-interval iperf3 result built from the real 2-second capture (same shape, 60 intervals). */
function iperf3Of(seconds: number, file: string): string {
  const doc = JSON.parse(fixture(file));
  const template = doc.intervals[0];
  doc.intervals = Array.from({ length: seconds }, (_, i) => {
    const interval = structuredClone(template);
    for (const s of [...interval.streams, interval.sum]) {
      s.start = i;
      s.end = i + 1;
    }
    return interval;
  });
  return JSON.stringify(doc, null, '\t');
}

interface Row {
  figure: string;
  value: number;
  unit: string;
  target: string;
  verdict: 'pass' | 'fail' | 'info';
}

function measure(fn: () => unknown, minMs = 400): { perOpUs: number; opsPerSec: number } {
  for (let i = 0; i < 200; i++) fn(); // warm up
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < BigInt(minMs) * 1_000_000n) {
    for (let i = 0; i < 50; i++) fn();
    ops += 50;
    elapsedNs = process.hrtime.bigint() - start;
  }
  const perOpUs = Number(elapsedNs) / 1000 / ops;
  return { perOpUs, opsPerSec: 1e6 / perOpUs };
}

const inputs = {
  tcp2s: fixture('iperf3/iperf3-3.12-tcp.json'),
  tcp60s: iperf3Of(60, 'iperf3/iperf3-3.12-tcp.json'),
  tcpP2x60s: iperf3Of(60, 'iperf3/iperf3-3.12-tcp-P2.json'),
  sng: fixture('stress-ng/stress-ng-0.15.06.yaml'),
};

const rows: Row[] = [];
const add = (name: string, input: string, fn: (s: string) => unknown, targetUs: number): void => {
  const r = measure(() => fn(input));
  rows.push({
    figure: `${name} (${(input.length / 1024).toFixed(1)} KB): time per parse`,
    value: Number(r.perOpUs.toFixed(1)),
    unit: 'µs',
    target: `< ${targetUs} µs`,
    verdict: r.perOpUs < targetUs ? 'pass' : 'fail',
  });
  rows.push({
    figure: `${name}: throughput`,
    value: Number(((input.length * r.opsPerSec) / 1024 / 1024).toFixed(1)),
    unit: 'MB/s',
    target: 'info',
    verdict: 'info',
  });
};

add('parseIperf3, TCP 2 s', inputs.tcp2s, parseIperf3, 1000);
add('parseIperf3, TCP 60 s', inputs.tcp60s, parseIperf3, 5000);
add('parseIperf3, TCP -P 2, 60 s', inputs.tcpP2x60s, parseIperf3, 5000);
add('parseStressNg, 2 stressors + times', inputs.sng, parseStressNg, 5000);

const width = Math.max(...rows.map((r) => r.figure.length));
console.log(`${'figure'.padEnd(width)}  ${'value'.padStart(10)}  unit   target       verdict`);
for (const r of rows) {
  console.log(`${r.figure.padEnd(width)}  ${String(r.value).padStart(10)}  ${r.unit.padEnd(5)}  ${r.target.padEnd(11)}  ${r.verdict}`);
}
const outDir = resolve(packageDir, '../../bench-results');
mkdirSync(outDir, { recursive: true });
writeFileSync(resolve(outDir, 'stress-host.json'), `${JSON.stringify(rows, null, 2)}\n`);
console.log(`\nwrote ${resolve(outDir, 'stress-host.json')}`);
if (rows.some((r) => r.verdict === 'fail')) process.exitCode = 1;
