import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResultParseError, parseIperf3, parseStressNg } from '../../src/index.js';
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
