/**
 * Benchmarks of @ecs-pulse/slack-notifier (run with `npm run bench` in this package):
 *  1. messages rendered per second: single-alert messages and 20-alert digests;
 *  2. a 1,000-alert storm through AlertDigestQueue → RateLimitedSender → SlackWebhook into the local
 *     sink in rate-limit mode (1 message/s, burst 3): messages sent, 429s received, alerts lost, wall time.
 * Prints a table and writes ../../bench-results/slack-notifier.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlertDigestQueue, RateLimitedSender, SlackWebhook, toSlackMessage, validateSlackMessage, type NotifiableAlert } from '../src/index.js';
import { startSlackSink } from '../src/testing/index.js';

interface Figure {
  figure: string;
  value: number;
  unit: string;
  target: string;
  verdict: 'pass' | 'fail' | 'info';
}

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const severities = ['critical', 'warning', 'info', 'ok'] as const;
const events = [
  ['Instance:StateChange', 'Stopped'],
  ['Instance:StateChange', 'Running'],
  ['Disk:Stalled', 'Executing'],
  ['Instance:PreemptibleInstanceInterruption', 'Executing'],
  ['Instance:SystemMaintenance.Reboot', 'Scheduled'],
] as const;

function makeAlert(i: number): NotifiableAlert {
  const [name, status] = events[i % events.length]!;
  return {
    id: `bench-${i}`,
    source: 'cloudmonitor',
    product: 'ECS',
    name,
    status,
    severity: severities[i % severities.length]!,
    resourceId: `i-bench${String(i).padStart(6, '0')}`,
    resourceArn: `acs:ecs:cn-hangzhou:1234567890123456:instance/i-bench${String(i).padStart(6, '0')}`,
    resourceName: `web-prod-${i}`,
    region: i % 3 ? 'cn-hangzhou' : 'cn-beijing',
    accountId: '1234567890123456',
    time: new Date(Date.UTC(2025, 2, 10, 10, 0, 0) + i * 137).toISOString(),
    summary: `ECS instance web-prod-${i} (i-bench${i}) is ${status}`,
    details: { level: 'WARN', reason: 'bench', cpu: i % 100 },
  };
}

function throughput(run: () => unknown, minMs = 1500): number {
  for (let i = 0; i < 200; i++) run(); // warm-up
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 50; i++) run();
    n += 50;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

async function main(): Promise<void> {
  const figures: Figure[] = [];

  // 1. Rendering.
  const single = makeAlert(7);
  const digest = Array.from({ length: 20 }, (_, i) => makeAlert(i));
  if (validateSlackMessage(toSlackMessage(single)).length || validateSlackMessage(toSlackMessage(digest)).length) throw new Error('bench input renders out of limits');
  const singleRate = throughput(() => toSlackMessage(single));
  const digestRate = throughput(() => toSlackMessage(digest));
  figures.push({ figure: 'render: single-alert messages', value: Math.round(singleRate), unit: 'msg/s', target: '≥ 5,000 msg/s', verdict: singleRate >= 5000 ? 'pass' : 'fail' });
  figures.push({ figure: 'render: 20-alert digests', value: Math.round(digestRate), unit: 'msg/s', target: '≥ 500 msg/s', verdict: digestRate >= 500 ? 'pass' : 'fail' });

  // 2. Storm: 1,000 alerts arriving over 2 s into a sink limited to 1 msg/s with a burst of 3.
  const sink = await startSlackSink({ rateLimit: { perSecond: 1, burst: 3 } });
  const webhook = new SlackWebhook(sink.url, { deadlineMs: 30_000 });
  // The sender keeps one token less than the sink allows, so network jitter never lands a message early.
  const sender = new RateLimitedSender(webhook, { ratePerSecond: 1, burst: 2 });
  const queue = new AlertDigestQueue(sender); // default: at most 50 alerts per digest, each listed
  const storm = Array.from({ length: 1000 }, (_, i) => makeAlert(i));
  const started = performance.now();
  for (let i = 0; i < storm.length; i += 100) {
    queue.push(storm.slice(i, i + 100));
    await new Promise((r) => setTimeout(r, 200));
  }
  const report = await queue.drain();
  const wallSeconds = (performance.now() - started) / 1000;
  webhook.close();
  await sink.close();

  const delivered = new Set(sink.messages.flatMap((m) => JSON.stringify(m).match(/i-bench\d{6}/g) ?? []));
  const lost = storm.length - delivered.size;
  const tooMany = sink.requests.filter((r) => r.status === 429).length;
  const invalid = sink.requests.filter((r) => r.status === 400).length;
  figures.push({ figure: 'storm: alerts', value: storm.length, unit: 'alerts', target: '1,000 over 2 s', verdict: 'info' });
  figures.push({ figure: 'storm: messages sent', value: sink.messages.length, unit: 'messages', target: 'digests, not 1,000 posts', verdict: sink.messages.length <= 40 ? 'pass' : 'fail' });
  figures.push({ figure: 'storm: 429s received', value: tooMany, unit: 'responses', target: '0', verdict: tooMany === 0 ? 'pass' : 'fail' });
  figures.push({ figure: 'storm: 400s received', value: invalid, unit: 'responses', target: '0', verdict: invalid === 0 ? 'pass' : 'fail' });
  figures.push({ figure: 'storm: alerts lost', value: lost, unit: 'alerts', target: '0', verdict: lost === 0 && report.alertsFailed === 0 ? 'pass' : 'fail' });
  figures.push({ figure: 'storm: wall time', value: Math.round(wallSeconds * 10) / 10, unit: 's', target: '< 30 s', verdict: wallSeconds < 30 ? 'pass' : 'fail' });

  const rows = figures.map((f) => [f.figure, f.value.toLocaleString('en-US'), f.unit, f.target, f.verdict]);
  const head = ['figure', 'value', 'unit', 'target', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r.map(String)));

  const outDir = resolve(packageDir, '../../bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, 'slack-notifier.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\nwrote ${resolve(outDir, 'slack-notifier.json')}`);
  if (figures.some((f) => f.verdict === 'fail')) process.exitCode = 1;
}

await main();
