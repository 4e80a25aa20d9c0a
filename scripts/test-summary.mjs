#!/usr/bin/env node
// Sums the vitest "Tests  N passed | N failed | N skipped (T)" lines of every project in an `npm test`
// log (nx prints each project's output, replayed from its cache too) and prints one closing line:
//   tests: <passed> passed, <failed> failed, <skipped> skipped
// Exits 1 when no test result was found at all, so a run that executed nothing cannot look green.
import fs from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/test-summary.mjs <npm-test-log>');
  process.exit(2);
}
const text = fs.readFileSync(file, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
let projects = 0;
for (const line of text.split('\n')) {
  const m = /^(?:\S+:\s+)?\s*Tests\s+(.+)\(\d+\)\s*$/.exec(line);
  if (!m) continue;
  projects += 1;
  const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(m[1])?.[1] ?? 0);
  passed += count('passed');
  failed += count('failed');
  skipped += count('skipped') + count('todo');
}
if (projects === 0) {
  console.error('test-summary: no vitest result lines found in the log; did any test run?');
  process.exit(1);
}
console.log(`(${projects} test runs)`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// Tests skipped for a missing host tool (tools/test-tools prints `[ecs-pulse] <test>: skipped: needs …; install
// with: …`): one line per install command, so a fresh machine sees what to install to run them all.
const installs = new Map();
for (const line of text.split('\n')) {
  const m = /\[ecs-pulse\] .*?: skipped: needs (.+?); install with: (.+?) \(ECS_PULSE_REQUIRE_TOOLS=1/.exec(line);
  if (m) installs.set(m[2], (installs.get(m[2]) ?? 0) + 1);
}
for (const [install, n] of installs) console.log(`  skipped for a missing tool (${n} suite${n === 1 ? "" : "s"} or test${n === 1 ? "" : "s"}): ${install}`);
