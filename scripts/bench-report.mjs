#!/usr/bin/env node
// Aggregates every package's benchmark results (bench-results/<package>.json, written by each
// package's `bench` target) into one table on stdout and one JSON file (bench-results/summary.json).
// Exits non-zero when any figure's verdict is "fail", so a regression is visible in `npm run bench`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'bench-results');
const files = fs.existsSync(dir)
  ? fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'summary.json').sort()
  : [];
if (files.length === 0) {
  console.error('bench-report: no results in bench-results/. Run `npm run bench` (it runs every package bench first).');
  process.exit(1);
}

const rows = [];
for (const file of files) {
  const source = file.replace(/\.json$/, '');
  let entries;
  try {
    entries = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  } catch (error) {
    console.error(`bench-report: ${file} is not valid JSON (${error.message}); re-run that package's bench.`);
    process.exit(1);
  }
  if (!Array.isArray(entries)) {
    console.error(`bench-report: ${file} must hold an array of { figure, value, unit, target, verdict }.`);
    process.exit(1);
  }
  for (const e of entries) rows.push({ package: source, ...e });
}

const fmt = (v) =>
  typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 })) : String(v);
const header = ['package', 'figure', 'value', 'unit', 'target', 'verdict'];
const table = rows.map((r) => [r.package, r.figure, fmt(r.value), r.unit ?? '', r.target ?? '', r.verdict ?? 'info']);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));

const failed = rows.filter((r) => r.verdict === 'fail');
const summary = {
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  date: new Date().toISOString(),
  rows,
};
fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(`\n${rows.length} figures from ${files.length} packages, ${failed.length} failing; written to bench-results/summary.json`);
if (failed.length > 0) process.exit(1);
