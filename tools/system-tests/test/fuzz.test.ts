import fc from 'fast-check';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmsSamples, fixture, missingFrom, stormEvents } from './support/events.js';
import { coldStart, fc3Context, OutputCapture, type FunctionModule, type HttpResponse } from './support/function.js';
import { HTTP_TOKEN, SecretScanner, secretWebhookUrl, WEBHOOK_PATH } from './support/secrets.js';

// Bounded fuzzing of the REAL bundled function's one FC 3.0 entry point (`handler(event: Buffer, context)`):
// random FC 3.0 HTTP-trigger envelopes (fields missing or of the wrong type, random headers, methods, content
// types, base64 flags with invalid base64, bodies from empty to over 256 KiB, unicode, random JSON and form
// data, the right token sometimes), and random event Buffers. The sink is healthy and the configuration valid,
// so the function must never reject: HTTP requests get a 2xx/4xx/5xx response, bad events are logged and
// dropped. Set FUZZ_SEED to replay a failure (fast-check prints the seed and the counterexample).

const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS ?? 4000);
const EVENT_RUNS = Number(process.env.FUZZ_EVENT_RUNS ?? 3000);
const BATCH_RUNS = Number(process.env.FUZZ_BATCH_RUNS ?? 150);
const seed = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };

let sink: SlackSink;
let fn: FunctionModule;
let webhook: string;
const output = new OutputCapture();
const scanner = new SecretScanner({ webhookPath: WEBHOOK_PATH, token: HTTP_TOKEN });

beforeAll(async () => {
  sink = await startSlackSink();
  webhook = secretWebhookUrl(sink.origin);
  fn = coldStart({ SLACK_WEBHOOK_URL: webhook, ECS_PULSE_HTTP_TOKEN: HTTP_TOKEN, ECS_PULSE_CONFIG: JSON.stringify({ slack: { timeoutMs: 2000 } }) });
});
afterAll(async () => {
  await sink.close();
});

// --- arbitraries -----------------------------------------------------------------------------------------

const callbackBody = fixture('cms-metric-alarm-callback-ecs-cpu.form.txt').trim();
const apigwBody = fixture('cms-metric-alarm-callback-apigateway-alert.form.txt').trim();
const sampleEvents = cmsSamples().map((s) => JSON.stringify(s.event));
const cloudEvent = fixture('eventbridge-ecs-statechange.INFERRED.json');

const unicode = fc.string({ unit: 'binary', maxLength: 200 });
const hugeBody = fc
  .record({
    size: fc.constantFrom(0, 1, 255 * 1024, 256 * 1024 - 1, 256 * 1024, 256 * 1024 + 1, 300 * 1024),
    unit: fc.constantFrom('a', 'é', '😀', '{', '%', '='),
    prefix: fc.constantFrom('', '{"a":"', 'alertName=', '[', callbackBody + '&x='),
  })
  .map(({ size, unit, prefix }) => (prefix + unit.repeat(Math.ceil(size / Buffer.byteLength(unit)))).slice(0, Math.max(size, prefix.length)));
const formBody = fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(fc.string({ maxLength: 40 }), unicode), { maxKeys: 12 }).map((d) => new URLSearchParams(d).toString());
const mutatedCallback = fc
  .tuple(fc.constantFrom(callbackBody, apigwBody), fc.array(fc.tuple(fc.nat(), fc.string({ maxLength: 5 })), { maxLength: 4 }))
  .map(([body, edits]) => edits.reduce((b, [at, s]) => b.slice(0, at % (b.length + 1)) + s + b.slice((at % (b.length + 1)) + 1), body));
/** Bodies that quote the function's own secrets in plain form: its logs must redact them. */
const quotingSecrets = fc.constantFrom(`{"note":"${HTTP_TOKEN}"}`, `token=${HTTP_TOKEN}&x=1`, `{"hook":"__WEBHOOK__"}`);
const body = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(callbackBody, apigwBody, cloudEvent, ...sampleEvents) },
  { weight: 3, arbitrary: mutatedCallback },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: formBody },
  { weight: 2, arbitrary: unicode },
  { weight: 1, arbitrary: hugeBody },
  { weight: 1, arbitrary: quotingSecrets },
);
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/cloudevents+json',
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=UTF-8',
    'application/x-www-form-urlencoded; charset=GBK',
    'text/plain',
    'text/json',
    'application/xml',
    'multipart/form-data; boundary=xyz',
    '',
    ';;;',
    'APPLICATION/JSON; CHARSET="UTF-8"',
  ),
  fc.string({ maxLength: 30 }),
);
const tokenValue = fc.oneof(
  { weight: 6, arbitrary: fc.constant(HTTP_TOKEN) },
  { weight: 3, arbitrary: fc.constantFrom(`${HTTP_TOKEN},other`, ` ${HTTP_TOKEN} `, HTTP_TOKEN.toUpperCase(), HTTP_TOKEN.slice(0, -1), 'wrong-token-0000000', '', ',') },
);
const method = fc.oneof(
  { weight: 12, arbitrary: fc.constant('POST') },
  { weight: 1, arbitrary: fc.constantFrom('post', 'Post', 'GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
);
/** Mostly absent: `undefined` 7 times in 8. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const headerName = fc.oneof(fc.constantFrom('Content-Type', 'content-type', 'CONTENT-TYPE', 'X-Ecs-Pulse-Token', 'x-ecs-pulse-token', 'User-Agent', 'Content-Length', 'Transfer-Encoding'), fc.string({ maxLength: 20 }));
const headerValue = fc.oneof({ weight: 5, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) });
const base64Flag = fc.constantFrom(true, false, false, 'true', 1, null, undefined);

type Envelope = Record<string, unknown>;
const envelope: fc.Arbitrary<Envelope> = fc
  .record(
    {
      version: fc.oneof({ weight: 4, arbitrary: fc.constant('v1') }, { weight: 1, arbitrary: fc.anything({ maxDepth: 0 }) }),
      rawPath: fc.oneof({ weight: 4, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }),
      body,
      bodyAs: fc.constantFrom('text', 'text', 'text', 'text', 'base64', 'base64', 'bad-base64', 'base64-spaced', 'not-a-string'),
      isBase64Encoded: base64Flag,
      contentType: fc.option(contentType, { nil: undefined, freq: 6 }),
      token: fc.option(tokenValue, { nil: undefined, freq: 6 }),
      tokenIn: fc.constantFrom('query', 'header', 'both'),
      extraHeaders: fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
      extraQuery: fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string({ maxLength: 20 }), fc.anything({ maxDepth: 1 })), { maxKeys: 2 }),
      method,
      dropField: rarely(fc.constantFrom('headers', 'queryParameters', 'body', 'isBase64Encoded', 'rawPath', 'version')),
      weirdField: rarely(fc.tuple(fc.constantFrom('headers', 'queryParameters', 'requestContext', 'body'), fc.anything({ maxDepth: 2 }))),
    },
    { requiredKeys: ['body', 'bodyAs', 'method', 'tokenIn', 'extraHeaders', 'extraQuery'] },
  )
  .map((r) => {
    const text = String(r.body).replace('__WEBHOOK__', webhook);
    const headers: Record<string, unknown> = { ...r.extraHeaders };
    const query: Record<string, unknown> = { ...r.extraQuery };
    if (r.contentType !== undefined) headers['Content-Type'] = r.contentType;
    if (r.token !== undefined) {
      if (r.tokenIn !== 'query') headers['X-Ecs-Pulse-Token'] = r.token;
      if (r.tokenIn !== 'header') query.token = r.token;
    }
    let bodyValue: unknown = text;
    let flag: unknown = r.isBase64Encoded;
    // A body that quotes the secrets stays plain text: the function redacts plain, URL-encoded and base64
    // copies of its secrets, but not a base64 body re-wrapped with line breaks (bodyAs 'base64-spaced').
    const quotes = text.includes(HTTP_TOKEN) || text.includes(webhook);
    if (quotes) flag = false;
    else if (r.bodyAs === 'base64') [bodyValue, flag] = [Buffer.from(text, 'utf8').toString('base64'), true];
    else if (r.bodyAs === 'base64-spaced') [bodyValue, flag] = [Buffer.from(text, 'utf8').toString('base64').replace(/(.{60})/g, '$1\n '), true];
    else if (r.bodyAs === 'bad-base64') [bodyValue, flag] = [`${text.slice(0, 50)}!*@#not base64`, true];
    else if (r.bodyAs === 'not-a-string') bodyValue = JSON.parse(JSON.stringify({ text: text.slice(0, 100) }));
    const e: Envelope = {
      version: r.version,
      rawPath: r.rawPath,
      body: bodyValue,
      isBase64Encoded: flag,
      headers,
      queryParameters: query,
      requestContext: { accountId: '1234567890123456', http: { method: r.method, path: '/', protocol: 'HTTP/1.1', sourceIp: '198.51.100.7' }, requestId: '1-fuzz' },
    };
    if (r.dropField !== undefined) delete e[r.dropField];
    if (r.weirdField !== undefined) e[r.weirdField[0]] = r.weirdField[1];
    return e;
  });

/** Whether the envelope carries the right token where the function looks for it (header, else query). */
function carriesToken(e: Envelope): boolean {
  const headers = e.headers;
  const query = e.queryParameters;
  const fromHeaders = typeof headers === 'object' && headers !== null ? Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'x-ecs-pulse-token' && String(v).includes(HTTP_TOKEN)) : false;
  const fromQuery = typeof query === 'object' && query !== null && String((query as Record<string, unknown>).token ?? '').includes(HTTP_TOKEN);
  return fromHeaders || fromQuery;
}

function isHttpResponse(v: unknown): v is HttpResponse {
  return typeof v === 'object' && v !== null && 'statusCode' in v;
}

async function call(payload: Buffer): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
  output.lines.length = 0;
  output.start();
  try {
    return { ok: true, value: await fn.handler(payload, fc3Context()) };
  } catch (error) {
    return { ok: false, error };
  } finally {
    output.stop();
    scanner.add('fuzz logs', output.text());
  }
}

// --- properties --------------------------------------------------------------------------------------------

describe('Fuzz: the FC 3.0 HTTP entry point', () => {
  it(`answers every random envelope with 2xx/4xx/5xx and never rejects (${HTTP_RUNS} runs)`, async () => {
    const seenStatus = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(envelope, async (e) => {
        const before = sink.messages.length;
        const outcome = await call(Buffer.from(JSON.stringify(e), 'utf8'));
        if (!outcome.ok) throw new Error(`the handler rejected: ${String(outcome.error)}`);
        const value = outcome.value;
        if (isHttpResponse(value)) {
          const status = value.statusCode;
          seenStatus.set(status, (seenStatus.get(status) ?? 0) + 1);
          expect(Number.isInteger(status) && ((status >= 200 && status < 300) || (status >= 400 && status < 600))).toBe(true);
          expect(typeof value.body).toBe('string');
          expect(() => JSON.parse(value.body!)).not.toThrow();
          expect(value.headers?.['content-type']).toMatch(/^application\/json/);
          // Security: nothing is accepted or posted without the right token.
          if (status < 300 || sink.messages.length > before) expect(carriesToken(e)).toBe(true);
          // Without the token: 401, or 405 for another method. (A JSON `method` like {"toString":0} makes the
          // function's String(method) throw; it answers 500 internal_error then: handled, nothing posted.)
          if (!carriesToken(e)) {
            if (status === 500) expect(JSON.parse(value.body!)).toMatchObject({ error: 'internal_error' });
            else expect([401, 405]).toContain(status);
          }
        } else {
          // Not recognized as an HTTP request (requestContext.http broken): handled as an event, dropped or delivered.
          expect(value).toMatchObject({ ok: expect.any(Boolean) });
        }
      }),
      { numRuns: HTTP_RUNS, ...seed },
    );
    if (process.env.FUZZ_VERBOSE) console.info(`HTTP fuzz answers: ${JSON.stringify([...seenStatus].sort((a, b) => a[0] - b[0]))}`);
    // The generator reached every interesting answer (guards against a generator that only makes 401s).
    for (const status of [200, 400, 401, 405, 413, 415]) expect(seenStatus.get(status) ?? 0, `status ${status} never seen: ${JSON.stringify([...seenStatus])}`).toBeGreaterThan(0);
  });
});

describe('Fuzz: the event entry point', () => {
  const bytes = fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a));
  const flipped = fc
    .tuple(fc.constantFrom(cloudEvent, ...sampleEvents, `[${cloudEvent},${cloudEvent}]`), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }))
    .map(([text, flips]) => {
      const b = Buffer.from(text, 'utf8');
      for (const [at, byte] of flips) b[at % b.length] = byte;
      return b;
    });
  const jsonValues = fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8'));
  const unicodeText = unicode.map((s) => Buffer.from(s, 'utf8'));
  const event = fc.oneof(bytes, flipped, jsonValues, unicodeText);

  it(`never rejects on bad input: it logs the input (capped) and drops it (${EVENT_RUNS} runs)`, async () => {
    let dropped = 0;
    await fc.assert(
      fc.asyncProperty(event, async (payload) => {
        const outcome = await call(payload);
        if (!outcome.ok) throw new Error(`the handler rejected: ${String(outcome.error)}`);
        const value = outcome.value as Record<string, unknown>;
        if (isHttpResponse(value)) return; // a random payload that happens to be an HTTP envelope
        expect(typeof value.ok).toBe('boolean');
        if (value.ok === false) {
          dropped++;
          expect(value.dropped).toMatch(/^[A-Z0-9_]+$/);
          const line = output.records().find((r) => r.msg === 'input-dropped');
          expect(line).toMatchObject({ level: 'error', errorCode: value.dropped });
          expect(String(line?.raw ?? '').length).toBeLessThanOrEqual(2048 * 4);
        }
      }),
      { numRuns: EVENT_RUNS, ...seed },
    );
    expect(dropped).toBeGreaterThan(EVENT_RUNS / 4);
  });

  it(`EventBridge batches with bad elements: the good ones are delivered, each bad one is logged dropped by index (${BATCH_RUNS} runs)`, async () => {
    type Element = { readonly kind: 'good' | 'bad' | 'either'; readonly value: unknown };
    const base = JSON.parse(cloudEvent) as Record<string, unknown>;
    const without = (key: string): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));
    // Elements the parser must refuse, whatever else they carry.
    const knownBad = fc.oneof(
      fc.constantFrom<unknown>(null, 0, 42, true, 'not an event', '', [], [base]),
      fc.constant(without('type')),
      fc.constantFrom<unknown>(42, null, {}, ['ecs:Instance:StateChange'], true).map((type) => ({ ...base, type })),
      fc.constantFrom('%%% not base64 %%%', '*', 'ab!cd').map((b64) => ({ ...without('data'), data_base64: b64 })),
      fc.constant({ requestContext: {}, headers: { 'content-type': 'application/json' }, body: cloudEvent }),
      // Quoting the function's secrets: the logged element must be redacted.
      fc.constantFrom('__WEBHOOK__', HTTP_TOKEN).map((secret) => ({ ...without('type'), note: secret })),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))),
    );
    // Random objects and mutated CloudEvents: bad or good, the function decides; each must be one or the other.
    const either = fc.oneof(
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
      fc.tuple(fc.constantFrom(...Object.keys(base)), fc.jsonValue({ maxDepth: 1 })).map(([key, value]) => ({ ...base, id: undefined, [key]: value })),
    );
    const batchShape = fc.record({
      good: fc.integer({ min: 0, max: 30 }),
      bad: fc.array(fc.oneof({ weight: 3, arbitrary: knownBad.map((value): Element => ({ kind: 'bad', value })) }, { weight: 1, arbitrary: either.map((value): Element => ({ kind: 'either', value })) }), { minLength: 1, maxLength: 6 }),
      positions: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    });
    let run = 0;
    let delivered = 0;
    let droppedElements = 0;
    await fc.assert(
      fc.asyncProperty(batchShape, async ({ good, bad, positions }) => {
        run++;
        const { events, expected } = stormEvents(good, `fz${run}x`);
        const elements: Element[] = events.map((value) => ({ kind: 'good', value }));
        bad.forEach((element, i) => elements.splice(positions[i]! % (elements.length + 1), 0, element));
        const text = JSON.stringify(elements.map((e) => e.value)).replaceAll('__WEBHOOK__', webhook);
        const before = sink.messages.length;
        const outcome = await call(Buffer.from(text, 'utf8'));
        if (!outcome.ok) throw new Error(`the handler rejected: ${String(outcome.error)}`);
        const value = outcome.value as { ok: boolean; summary: { alerts: number; delivered: number; rejected: number }; dropped?: string };
        const records = output.records();
        const droppedLines = records.filter((r) => r.msg === 'input-dropped');
        if (value.dropped === 'HTTP_ENVELOPE_ON_EVENT_PATH') {
          // A batch of envelopes only is refused as a whole (no element is an event).
          expect(elements.every((e) => e.kind !== 'good')).toBe(true);
          expect(sink.messages.length).toBe(before);
          return;
        }
        const droppedIndexes = new Set(droppedLines.map((r) => r.index));
        // Every known-bad element is logged dropped by its index; no known-good one is.
        elements.forEach((e, index) => {
          if (e.kind === 'bad') expect(droppedIndexes.has(index), `bad element [${index}] ${JSON.stringify(e.value)?.slice(0, 200)} not logged dropped`).toBe(true);
          if (e.kind === 'good') expect(droppedIndexes.has(index), `good element [${index}] dropped`).toBe(false);
        });
        for (const line of droppedLines) {
          expect(line).toMatchObject({ level: 'error', errorCode: expect.stringMatching(/^[A-Z0-9_]+$/) });
          expect(String(line.raw ?? '').length).toBeLessThanOrEqual(2048);
        }
        // The summary counts them; every element is either an alert or rejected.
        expect(value.summary.rejected).toBe(droppedLines.length);
        expect(value.summary.alerts + value.summary.rejected).toBe(elements.length);
        // Every good element is identifiable in what Slack accepted in this invocation.
        expect(missingFrom(sink.messages.slice(before), expected)).toEqual([]);
        if (good > 0) expect(value).toMatchObject({ ok: true, summary: { delivered: expect.any(Number), failed: 0 } });
        if (value.summary.alerts === 0) expect(value).toMatchObject({ ok: false, dropped: droppedLines[0]?.errorCode });
        delivered += value.summary.delivered;
        droppedElements += droppedLines.length;
      }),
      { numRuns: BATCH_RUNS, ...seed },
    );
    expect(delivered).toBeGreaterThan(BATCH_RUNS);
    expect(droppedElements).toBeGreaterThanOrEqual(BATCH_RUNS);
  });

  it('logs none of its secrets while fuzzed (token and webhook URL in plain form are redacted)', () => {
    expect(scanner.size).toBeGreaterThan(HTTP_RUNS);
    expect(scanner.hits()).toEqual([]);
  });
});
