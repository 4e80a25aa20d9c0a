import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, safeParse, safeParseBatch } from '../../src/index.js';
import { fixtureJson, now } from '../helpers.js';

const good = (i: number): Record<string, unknown> => ({ ...fixtureJson('events/eventbridge-ecs-statechange.INFERRED.json'), id: `ce-${i}` });
const goods = (n: number): Record<string, unknown>[] => Array.from({ length: n }, (_, i) => good(i));
const withoutType = (): Record<string, unknown> => {
  const { type: _type, ...rest } = good(900);
  return rest;
};
const badElements: [string, () => unknown][] = [
  ['no type', withoutType],
  ['null', () => null],
  ['a numeric type', () => ({ ...good(901), type: 42 })],
  ['bad data_base64', () => ({ ...withoutData(), data_base64: '%%% not base64 %%%' })],
  ['a string', () => 'not an event'],
  ['an array', () => [good(902)]],
];
function withoutData(): Record<string, unknown> {
  const { data: _data, ...rest } = good(903);
  return rest;
}

describe('Method: safeParseBatch', () => {
  it.each(badElements)('keeps 100 good CloudEvents when one element has %s, and names the bad one by index', (_label, bad) => {
    const batch = [...goods(50), bad(), ...goods(50).map((e, i) => ({ ...e, id: `ce-b${i}` }))];
    const text = JSON.stringify(batch);
    // parse and safeParse keep their all-or-nothing contract.
    expect(safeParse(text).success).toBe(false);
    expect(() => parse(text)).toThrow(expect.objectContaining({ message: expect.stringContaining('Event [50] of the batch') }));

    for (const input of [text, Buffer.from(text), batch]) {
      const result = safeParseBatch(input as string, { now });
      if (!result.success) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
      expect(result.data).toHaveLength(100);
      expect(new Set(result.data.map((a) => a.id)).size).toBe(100);
      expect(result.rejected).toHaveLength(1);
      const [rejected] = result.rejected;
      expect(rejected!.index).toBe(50);
      expect(rejected!.error).toMatchObject({ name: 'EventParseError', code: expect.stringMatching(/^[A-Z0-9_]+$/) });
      expect(rejected!.error.details.path).toMatch(/^\[50\]/);
      expect(rejected!.element).toEqual(batch[50]);
    }
  });

  it('gives the same alerts as parse for a batch without bad elements, and for a single event', () => {
    const batch = goods(5);
    expect(safeParseBatch(batch, { now })).toEqual({ success: true, data: parse(batch, { now }), rejected: [] });
    expect(safeParseBatch(batch[0]!, { now })).toEqual({ success: true, data: parse(batch[0]!, { now }), rejected: [] });
    expect(safeParseBatch('[]')).toEqual({ success: true, data: [], rejected: [] });
  });

  it('returns every element rejected (success, no alerts) when all of them are bad', () => {
    const result = safeParseBatch('[null, 1, {"specversion":"1.0"}]');
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data).toEqual([]);
    expect(result.rejected.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('still fails as a whole for input that is bad as a whole', () => {
    for (const input of ['not json {', '', '42', '{"hello":"world"}']) {
      const result = safeParseBatch(input);
      expect(result.success, input).toBe(false);
    }
    expect(safeParseBatch('{}', { bogus: 1 } as never)).toMatchObject({ success: false, error: { code: 'INVALID_OPTIONS' } });
  });

  it('keeps the good events of a DescribeSystemEventAttribute list with a bad one', () => {
    const body = fixtureJson<{ SystemEvents: { SystemEvent: unknown[] } }>('variants/api-describe-system-event-attribute.INFERRED.json');
    const count = body.SystemEvents.SystemEvent.length;
    body.SystemEvents.SystemEvent.push(null);
    const result = safeParseBatch(body, { now });
    if (!result.success) throw new Error(result.error.message);
    expect(result.data).toHaveLength(count);
    expect(result.rejected.map((r) => r.index)).toEqual([count]);
  });

  it('agrees element by element with parsing each element as a batch of one (property)', () => {
    const base = good(0);
    const element = fc.oneof(
      fc.nat({ max: 999 }).map((i) => good(i)),
      fc.tuple(fc.constantFrom(...Object.keys(base)), fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => ({ ...base, [key]: value })),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), (batch) => {
        const result = safeParseBatch(batch, { now });
        if (!result.success) throw new Error(`a batch failed as a whole: ${result.error.message}`);
        const alone = batch.map((e) => safeParse([e], { now }));
        expect(result.rejected.map((r) => r.index)).toEqual(alone.flatMap((r, i) => (r.success ? [] : [i])));
        expect(result.rejected.map((r) => r.error.code)).toEqual(alone.flatMap((r) => (r.success ? [] : [r.error.code])));
        expect(result.data).toEqual(alone.flatMap((r) => (r.success ? r.data : [])));
      }),
      { numRuns: 500 },
    );
  });
});
