import fc from 'fast-check';
import { escapeMrkdwn, SEVERITY_STYLE, type NotifiableSeverity } from '@ecs-pulse/slack-notifier';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/events.js';
import { coldStart, fc3Context, OutputCapture, type FunctionModule } from './support/function.js';

// Part of the fuzz suite (next to fuzz.test.ts): random digests of 1 to 5,000 alerts through the REAL bundled
// function into a sink that enforces Slack's rate (1 message/s, burst 3), with random time budgets from 0.3 s to
// 2.5 s, so big digests only partly fit. Property: every alert logged `delivered` is identifiable (severity,
// product, event → status, resource on one line) in a message the sink accepted, and every other alert is in the
// invocation's retryable DeliveryError: nothing is hidden, nothing is lost silently. Runtime is bounded by the
// budgets (about 2 s a run at most). FUZZ_SEED replays a failure; FUZZ_DIGEST_RUNS sets the number of runs.

const RUNS = Number(process.env.FUZZ_DIGEST_RUNS ?? 12);
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };
const SAFETY_MARGIN_MS = 1500;

let sink: SlackSink;
let fn: FunctionModule;
const output = new OutputCapture();
const base = JSON.parse(fixture('eventbridge-ecs-statechange.INFERRED.json')) as Record<string, unknown>;

beforeAll(async () => {
  sink = await startSlackSink({ rateLimit: { perSecond: 1, burst: 3 } });
  fn = coldStart({ SLACK_WEBHOOK_URL: sink.url, ECS_PULSE_HTTP_TOKEN: undefined, ECS_PULSE_CONFIG: undefined });
});
afterAll(async () => {
  await sink.close();
});

/** Text as the notifier shows it on one line (whitespace collapsed). */
const oneLine = (v: string): string => v.replace(/\s+/g, ' ').trim();
/** A short value with mrkdwn-special characters, never blank at either end. */
const word = fc.stringMatching(/^[A-Za-z0-9&<>*_~.:-](?:[A-Za-z0-9 &<>*_~.:-]{0,6}[A-Za-z0-9&<>*_~.:-])?$/);
const eventName = fc.stringMatching(/^[A-Z][A-Za-z0-9.]{0,10}:[A-Za-z0-9.]{1,10}$/);
const digest = fc.record({
  count: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 6, max: 400 }), fc.integer({ min: 401, max: 5000 })),
  states: fc.array(fc.oneof(fc.constantFrom('Stopped', 'Running', 'Executing', 'Avoided', 'Deleted'), word), { minLength: 1, maxLength: 5 }),
  names: fc.array(eventName, { minLength: 1, maxLength: 3 }),
  resources: fc.array(word, { minLength: 1, maxLength: 4 }),
  budgetMs: fc.integer({ min: 300, max: 2500 }),
});

let run = 0;

/**
 * What identifies alerts in the accepted messages: the `• …` lines of digests, and for a single-alert message its
 * header (plain text: severity, product, event → status) and its Resource field, joined as `header ¦ resource`.
 */
function shownLines(messages: readonly unknown[]): Set<string> {
  const lines = new Set<string>();
  const visit = (v: unknown, single: { header?: string }): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, single));
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (o.type === 'header') single.header = String((o.text as { text: string }).text);
      if (o.type === 'mrkdwn' && typeof o.text === 'string') {
        for (const line of o.text.split('\n')) if (line.startsWith('• ')) lines.add(line);
        if (o.text.startsWith('*Resource*\n') && single.header !== undefined) lines.add(`${single.header} ¦ ${o.text.slice('*Resource*\n'.length)}`);
      }
      Object.values(o).forEach((x) => visit(x, single));
    }
  };
  for (const m of messages) visit(m, {});
  return lines;
}

/** Whether one of `lines` shows the alert: severity, product, event → status and resource, on one line. */
function identifiable(lines: Set<string>, record: Record<string, unknown>, resource: string): boolean {
  const style = SEVERITY_STYLE[record.severity as NotifiableSeverity];
  const [product, status] = [oneLine(String(record.product)), oneLine(String(record.status))];
  const lead = `${style.emoji} ${style.word} · `;
  const digestLine = [`• ${lead}`, `${escapeMrkdwn(product)} `, `→ ${escapeMrkdwn(status)} · `, ` · ${escapeMrkdwn(resource)} · `];
  const singleLine = [lead, `${product} `, `→ ${status} ¦ ${escapeMrkdwn(resource)}`];
  for (const line of lines) {
    const pieces = line.startsWith('• ') ? digestLine : singleLine;
    if (line.startsWith(pieces[0]!) && pieces.every((piece) => line.includes(piece))) return true;
  }
  return false;
}

describe('Fuzz: digests of 1 to 5,000 alerts', () => {
  it(`shows every alert logged delivered in an accepted message, and fails retryably for the rest (${RUNS} runs)`, async () => {
    let partial = 0;
    let rateLimited = 0;
    let biggest = 0;
    await fc.assert(
      fc.asyncProperty(digest, async ({ count, states, names, resources, budgetMs }) => {
        run++;
        biggest = Math.max(biggest, count);
        const resourceOf = new Map<string, string>();
        const events = Array.from({ length: count }, (_, i) => {
          const id = `fz${run}-${i}`;
          const resourceId = `i-${i}-${resources[i % resources.length]}`;
          resourceOf.set(id, oneLine(resourceId));
          return { ...base, id, type: `ecs:${names[i % names.length]}`, subject: undefined, data: { resourceId, state: states[i % states.length] } };
        });
        const before = sink.messages.length;
        const requestsBefore = sink.requests.length;
        output.lines.length = 0;
        output.start();
        let error: unknown;
        try {
          await fn.handler(Buffer.from(JSON.stringify(events), 'utf8'), fc3Context({ remainingMs: SAFETY_MARGIN_MS + budgetMs }));
        } catch (e) {
          error = e;
        } finally {
          output.stop();
        }
        const lines = shownLines(sink.messages.slice(before));
        const records = output.records().filter((r) => r.msg === 'alert');
        const delivered = records.filter((r) => r.outcome === 'delivered');
        const failed = new Set(records.filter((r) => r.outcome === 'failed').map((r) => String(r.id)));
        expect(delivered.length + failed.size).toBe(count);
        for (const r of delivered) expect(identifiable(lines, r, resourceOf.get(String(r.id))!), `alert ${String(r.id)} is in no accepted message`).toBe(true);
        // Every message fit Slack's limits (no 400). Runs follow each other at once, so a run may start while the
        // sink's bucket is still empty from the last one: its 429s are waited out (or fail the rest retryably).
        const statuses = sink.requests.slice(requestsBefore).map((q) => q.status);
        rateLimited += statuses.filter((st) => st === 429).length;
        expect(statuses.filter((st) => st !== 200 && st !== 429)).toEqual([]);
        if (failed.size === 0) {
          expect(error).toBeUndefined();
        } else {
          partial++;
          expect(error).toMatchObject({ code: 'DELIVERY_FAILED', retryable: true });
          const ids = new Set((error as { failures: { alertIds: string[] }[] }).failures.flatMap((f) => f.alertIds));
          expect(ids).toEqual(failed);
        }
      }),
      { numRuns: RUNS, ...seed },
    );
    if (process.env.FUZZ_VERBOSE) console.info(`digest fuzz: ${RUNS} runs, ${partial} partly over budget, biggest ${biggest}, ${rateLimited} × 429`);
  }, 180_000);
});
