import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFamily, EventParseError, parse, safeParse, type Alert } from '../../src/index.js';

/**
 * Property-based fuzzing (middy `index.fuzz.js` pattern): whatever the input, `parse` throws only
 * `EventParseError` (and never INTERNAL_ERROR for plain data), `safeParse` and `detectFamily` never throw,
 * and every produced alert keeps the contract.
 */

const dirs = ['events', 'variants'].map((d) => fileURLToPath(new URL(`../fixtures/${d}/`, import.meta.url)));
const texts: string[] = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => !f.endsWith('.md'))
    .map((f) => readFileSync(dir + f, 'utf8')),
);
const objects: unknown[] = texts.flatMap((t) => {
  try {
    return [JSON.parse(t) as unknown];
  } catch {
    return [];
  }
});

const SEVERITIES = new Set(['critical', 'warning', 'info', 'ok']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'];

let inputs = 0;
/** `FUZZ_SCALE=10 npx vitest run test/unit/fuzz.test.ts` fuzzes ten times longer. */
const SCALE = Number(process.env.FUZZ_SCALE ?? '1') || 1;
const runs = (n: number): number => Math.round(n * SCALE);

function checkAlert(a: Alert): void {
  if (!SEVERITIES.has(a.severity)) throw new Error(`bad severity ${a.severity}`);
  if (!ISO.test(a.time)) throw new Error(`bad time ${a.time}`);
  if (a.kind !== 'system-event' && a.kind !== 'metric-alarm') throw new Error(`bad kind ${a.kind}`);
  if (a.source !== 'cloudmonitor' && a.source !== 'eventbridge') throw new Error(`bad source ${a.source}`);
  for (const k of ['id', 'product', 'name', 'status', 'resourceId', 'summary'] as const) {
    if (typeof a[k] !== 'string') throw new Error(`${k} is not a string`);
  }
  if (a.id === '' || a.name === '' || a.summary === '') throw new Error('empty id/name/summary');
  if (a.resourceId.startsWith('acs:')) throw new Error('resourceId is an ARN');
  for (const v of Object.values(a.details)) {
    const t = typeof v;
    if (!(v === null || t === 'string' || t === 'number' || t === 'boolean')) throw new Error(`detail of type ${t}`);
  }
}

/** The property shared by every generator. */
function check(input: unknown, contentType?: string): void {
  inputs++;
  const options = contentType === undefined ? undefined : { contentType };
  try {
    const alerts = parse(input as string, options);
    if (!Array.isArray(alerts)) throw new Error('parse returned a non-array');
    alerts.forEach(checkAlert);
  } catch (error) {
    if (!EventParseError.isEventParseError(error)) throw error;
    if (error.code === 'INTERNAL_ERROR') throw new Error(`INTERNAL_ERROR: ${String((error.cause as Error)?.stack ?? error.cause)}`);
    if (typeof error.message !== 'string' || error.message.length < 20) throw new Error('unhelpful message');
  }
  const result = safeParse(input as string, options);
  if (typeof result.success !== 'boolean') throw new Error('safeParse shape');
  detectFamily(input, options);
}

// ---- mutation helpers -------------------------------------------------------------------------

type Mutation = (value: unknown, rnd: () => number, pick: <T>(xs: readonly T[]) => T) => unknown;

function deepNest(depth: number, leaf: unknown): unknown {
  const text = '{"n":'.repeat(depth) + JSON.stringify(leaf ?? null) + '}'.repeat(depth);
  return JSON.parse(text) as unknown;
}

const REPLACEMENTS: readonly unknown[] = [
  null,
  42,
  -1,
  1e308,
  true,
  '',
  'null',
  '   ',
  '{"nested":"json"}',
  '{broken',
  [],
  [1, 'two', null],
  {},
  'x'.repeat(20_000),
  '\u0000\uFFFF\uD800',
  '💥🔥漢字',
  '20210230T141200.490+0800',
  'acs:ecs:::',
  'acs:',
];

let deep = false;

/** Applies `steps` random mutations to a clone of `value`; sets `deep` when it nested deeply. */
function mutateObject(value: unknown, steps: number, seed: number): unknown {
  deep = false;
  let s = seed >>> 0 || 1;
  const rnd = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const root = structuredClone(value);
  const containers: Record<string, unknown>[] = [];
  const collect = (v: unknown, depth: number): void => {
    if (depth > 6 || typeof v !== 'object' || v === null) return;
    containers.push(v as Record<string, unknown>);
    for (const child of Object.values(v)) collect(child, depth + 1);
  };
  collect(root, 0);
  if (containers.length === 0) return root;
  const mutations: Mutation[] = [
    // drop a key
    () => {
      const c = pick(containers);
      const keys = Object.keys(c);
      if (keys.length) delete c[pick(keys)];
    },
    // change a value's type
    () => {
      const c = pick(containers);
      const keys = Object.keys(c);
      if (keys.length) c[pick(keys)] = structuredClone(pick(REPLACEMENTS));
    },
    // prototype-pollution keys
    () => {
      const c = pick(containers);
      Object.defineProperty(c, pick(POLLUTION_KEYS), {
        value: { polluted: true, toString: 'x' },
        enumerable: true,
        configurable: true,
        writable: true,
      });
    },
    // deep nesting
    () => {
      const c = pick(containers);
      const keys = Object.keys(c);
      if (keys.length) c[pick(keys)] = deepNest(1 + Math.floor(rnd() * 3000), 'leaf');
      deep = true;
    },
    // random unicode in a string value
    () => {
      const c = pick(containers);
      for (const k of Object.keys(c)) {
        if (typeof c[k] === 'string') {
          c[k] = `${c[k] as string}${String.fromCodePoint(Math.floor(rnd() * 0x10ffff) & 0xfffff)}\u202e`;
          return;
        }
      }
    },
    // content / data as a JSON string
    () => {
      const c = pick(containers);
      for (const k of ['content', 'data', 'Content', 'body']) {
        if (k in c) {
          try {
            c[k] = JSON.stringify(c[k]);
          } catch {
            c[k] = '{';
          }
        }
      }
    },
    // huge array
    () => {
      const c = pick(containers);
      c.bulk = Array.from({ length: 300 }, (_, i) => ({ i }));
    },
  ];
  for (let i = 0; i < steps; i++) pick(mutations)(root, rnd, pick);
  return root;
}

function mutateText(text: string, op: number, position: number, insert: string): string {
  const at = Math.floor(position * (text.length + 1));
  switch (op) {
    case 0:
      return text.slice(0, at); // truncate
    case 1:
      return text.slice(0, at) + insert + text.slice(at); // insert random unicode
    case 2:
      return text.slice(0, at) + text.slice(at + 1 + insert.length); // delete bytes
    case 3:
      return text.slice(0, at) + String.fromCharCode((text.charCodeAt(at) || 0) ^ 0x20) + text.slice(at + 1); // flip a bit
    case 4:
      return text + text.slice(at); // duplicate a tail
    default:
      return `${'['.repeat(at % 3000)}${text}`; // deep unbalanced nesting
  }
}

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/x-www-form-urlencoded; charset=UTF-8',
  'text/plain',
  'application/cloudevents-batch+json',
  'application/xml',
  'text/html; charset=gbk',
];

describe('Fuzz: parse throws only EventParseError, safeParse never throws', { timeout: 120_000 }, () => {
  afterAll(() => {
    // eslint-disable-next-line no-console
    console.log(`fuzz: ${inputs} generated and mutated inputs`);
  });

  it('mutated fixture objects (drop keys, change types, pollution keys, deep nesting, unicode, huge values)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: objects.length - 1 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (i, steps, seed) => {
        const mutated = mutateObject(objects[i], steps, seed);
        check(mutated);
        if (deep) return; // JSON.stringify of thousands of levels is slow (or overflows): the object form was checked
        const text = JSON.stringify(mutated);
        {
          check(text);
          check(new TextEncoder().encode(text));
        }
      }),
      { numRuns: runs(6_000) },
    );
  });

  it('mutated fixture bytes (truncation, insertion, deletion, bit flips, unbalanced nesting)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: texts.length - 1 }),
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.constantFrom(...CONTENT_TYPES),
        (i, op, position, insert, contentType) => {
          check(mutateText(texts[i]!, op, position, insert), contentType);
        },
      ),
      { numRuns: runs(24_000) },
    );
  });

  it('arbitrary JSON values and JavaScript values', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3, withBigInt: true, withTypedArray: true })), (v) => {
        check(v);
        if (typeof v === 'object' && v !== null) {
          try {
            check(JSON.stringify(v));
          } catch {
            // BigInt and friends do not stringify
          }
        }
      }),
      { numRuns: runs(10_000) },
    );
  });

  it('objects shaped like each family with arbitrary values', () => {
    const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.integer(), fc.constant('null'), fc.jsonValue({ maxDepth: 2 }));
    const keys = fc.constantFrom(
      'id', 'name', 'product', 'resourceId', 'level', 'eventTime', 'content', 'status', 'regionId', 'userId', 'instanceName',
      'specversion', 'source', 'type', 'data', 'data_base64', 'subject', 'time', 'aliyunpublishtime',
      'alertName', 'alertState', 'metricName', 'curValue', 'expression', 'dimensions', 'timestamp', 'triggerLevel',
      'Name', 'Product', 'Content', 'Time', 'SystemEvents', 'requestContext', 'rawPath', 'headers', 'body', 'isBase64Encoded',
      '__proto__', 'constructor',
    );
    fc.assert(
      fc.property(fc.dictionary(keys, value, { maxKeys: 12 }), (o) => {
        check(o);
        check(JSON.stringify(o));
      }),
      { numRuns: runs(12_000) },
    );
  });

  it('form bodies with random keys and values', () => {
    const pair = fc.tuple(
      fc.constantFrom('alertName', 'alertState', 'metricName', 'curValue', 'expression', 'dimensions', 'timestamp', 'triggerLevel', '__proto__', 'x'),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 12 }), fc.boolean(), (pairs, encode) => {
        const body = pairs.map(([k, v]) => `${k}=${encode ? encodeURIComponent(v) : v}`).join('&');
        check(body);
        check(body, 'application/x-www-form-urlencoded');
      }),
      { numRuns: runs(8_000) },
    );
  });

  it('HTTP envelopes with random bodies, base64 flags and content types', () => {
    const env = objects.find((o) => typeof o === 'object' && o !== null && 'requestContext' in o) as Record<string, unknown>;
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(...texts)),
        fc.constantFrom<boolean | string | undefined>(true, false, 'true', undefined),
        fc.constantFrom(...CONTENT_TYPES),
        fc.boolean(),
        (body, flag, contentType, encode) => {
          const wrapped = {
            ...env,
            body: encode ? Buffer.from(body).toString('base64') : body,
            isBase64Encoded: flag,
            headers: contentType === undefined ? {} : { 'Content-Type': contentType },
          };
          check(wrapped);
          check(JSON.stringify(wrapped));
        },
      ),
      { numRuns: runs(6_000) },
    );
  });

  it('random strings and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 })), fc.constantFrom(...CONTENT_TYPES), (v, ct) => {
        check(v, ct);
      }),
      { numRuns: runs(8_000) },
    );
  });

  it('ran at least 100,000 inputs and polluted no prototype', () => {
    expect(inputs).toBeGreaterThanOrEqual(100_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
