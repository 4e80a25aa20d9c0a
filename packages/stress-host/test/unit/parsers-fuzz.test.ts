import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResultParseError, hostRates, parseHostSnapshot, parseIperf3, parseNetDev, parseProcStat, parseSockperf, parseStressNg } from '../../src/index.js';
import { fixtureJson, fixtureText } from '../helpers/fixtures.js';

/** Runs `fn`; anything thrown that is not a ResultParseError fails the property. */
function onlyResultParseErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!ResultParseError.isResultParseError(err)) throw err;
    expect(err.message.length).toBeGreaterThan(20);
  }
}

const iperfFixtures = ['tcp', 'tcp-P2', 'tcp-reverse', 'tcp-bidir', 'udp', 'udp-reverse'].map((n) =>
  fixtureJson(`iperf3/iperf3-3.12-${n}.json`),
);

/** Replace the value at a random path of a JSON document. */
function mutate(doc: unknown, picks: number[], replacement: unknown): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  let node: unknown = copy;
  for (const [depth, pick] of picks.entries()) {
    if (typeof node !== 'object' || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[pick % keys.length] as string;
    const child = (node as Record<string, unknown>)[key];
    if (depth === picks.length - 1 || typeof child !== 'object' || child === null) {
      (node as Record<string, unknown>)[key] = replacement;
      break;
    }
    node = child;
  }
  return copy;
}

describe('Fuzz: parsers throw only ResultParseError', () => {
  it('parseIperf3 on arbitrary strings', () => {
    fc.assert(fc.property(fc.string(), (s) => onlyResultParseErrors(() => parseIperf3(s))), { numRuns: 300 });
  });

  it('parseIperf3 on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => onlyResultParseErrors(() => parseIperf3(JSON.stringify(v)))),
      { numRuns: 300 },
    );
  });

  it('parseIperf3 on mutated real results', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...iperfFixtures),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.jsonValue(),
        (doc, picks, replacement) =>
          onlyResultParseErrors(() => parseIperf3(JSON.stringify(mutate(doc, picks, replacement)))),
      ),
      { numRuns: 500 },
    );
  });

  it('parseStressNg on arbitrary strings and mutated real YAML', () => {
    const yaml = fixtureText('stress-ng/stress-ng-0.15.06.yaml');
    fc.assert(fc.property(fc.string(), (s) => onlyResultParseErrors(() => parseStressNg(s))), { numRuns: 300 });
    fc.assert(
      fc.property(fc.nat({ max: yaml.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 12 }), (at, cut, insert) =>
        onlyResultParseErrors(() => parseStressNg(yaml.slice(0, at) + insert + yaml.slice(at + cut))),
      ),
      { numRuns: 500 },
    );
  });
});

describe('Fuzz: sockperf and host-counter parsers throw only ResultParseError', () => {
  const sockperf = ['udp', 'udp-full-rtt', 'tcp'].map((n) => fixtureText(`sockperf/sockperf-3.7-${n}.txt`));
  const snapshots = ['before', 'after'].map((n) => fixtureText(`counters/snapshot-${n}.txt`));

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        for (const fn of [parseSockperf, parseHostSnapshot, parseNetDev, parseProcStat]) onlyResultParseErrors(() => fn(text));
      }),
      { numRuns: 300 },
    );
  });

  it('on real outputs with lines dropped or digits changed, and results stay ordered when parsed', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 9 }), (which, line, digit) => {
        const text = sockperf[which % sockperf.length] as string;
        const lines = text.split('\n');
        const dropped = lines.filter((_, i) => i !== line % lines.length).join('\n');
        onlyResultParseErrors(() => parseSockperf(dropped));
        onlyResultParseErrors(() => parseSockperf(text.replace(/\d/, String(digit))));
        const snap = (snapshots[which % 2] as string).split('\n');
        onlyResultParseErrors(() => {
          const a = parseHostSnapshot(snapshots[0] as string);
          const b = parseHostSnapshot(snap.filter((_, i) => i !== line % snap.length).join('\n'));
          const r = hostRates(a, b);
          if (r.cpuPercent !== undefined) {
            expect(r.cpuPercent).toBeGreaterThanOrEqual(0);
            expect(r.cpuPercent).toBeLessThanOrEqual(100);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});
