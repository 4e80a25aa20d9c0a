import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/function/glob.js';
import { matches } from '../../src/function/match.js';
import type { RoutableAlert } from '../../src/function/types.js';

/**
 * The reference: the textbook dynamic-programming glob matcher (`*` = any run, case-insensitive), quadratic
 * but obviously right. Only ever run on small inputs.
 */
function referenceMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  // row[j]: p[0..i) matches v[0..j)
  let row = Array.from({ length: v.length + 1 }, (_, j) => j === 0);
  for (let i = 1; i <= p.length; i++) {
    const next = new Array<boolean>(v.length + 1).fill(false);
    const c = p[i - 1];
    next[0] = c === '*' && row[0]!;
    for (let j = 1; j <= v.length; j++) next[j] = c === '*' ? row[j]! || next[j - 1]! : row[j - 1]! && c === v[j - 1];
    row = next;
  }
  return row[v.length]!;
}

describe('Method: globMatch', () => {
  it('matches literally and case-insensitively without stars', () => {
    expect(globMatch('Instance:StateChange', 'instance:statechange')).toBe(true);
    expect(globMatch('a.c', 'abc')).toBe(false);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
  });

  it('treats only * as special: regex and glob metacharacters are literal', () => {
    expect(globMatch('a(b)*', 'a(b)c')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(false);
    expect(globMatch('[ab]*', '[ab]x')).toBe(true);
    expect(globMatch('^a$*', '^a$b')).toBe(true);
    expect(globMatch('a\\*', 'a\\xyz')).toBe(true);
  });

  it('anchors both ends and lets * match nothing, newlines included', () => {
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('**', 'x')).toBe(true);
    expect(globMatch('i-bp1*', 'i-bp1')).toBe(true);
    expect(globMatch('i-bp1*', 'i-bp2x')).toBe(false);
    expect(globMatch('*Change', 'Instance:StateChange')).toBe(true);
    expect(globMatch('*Change', 'Instance:StateChanged')).toBe(false);
    expect(globMatch('a*b*c', 'a\nb\nc')).toBe(true);
    // Prefix and suffix must not overlap.
    expect(globMatch('ab*ba', 'aba')).toBe(false);
    expect(globMatch('ab*ba', 'abba')).toBe(true);
    expect(globMatch('a*a*a', 'aa')).toBe(false);
    expect(globMatch('a*a*a', 'aaa')).toBe(true);
  });

  it('answers the pathological pattern on 40, 50 and 4,096 characters (the regex took 3.8 s at 40 and never ended at 50)', () => {
    const pattern = '*a*a*a*a*a*a*a*a*b';
    for (const n of [40, 50, 4096]) {
      expect(globMatch(pattern, 'a'.repeat(n))).toBe(false);
      expect(globMatch(pattern, `${'a'.repeat(n)}b`)).toBe(true);
    }
    expect(matches({ resourceIds: [pattern] }, { resourceId: 'a'.repeat(4096), details: {} } as unknown as RoutableAlert)).toBe(false);
  });

  it('agrees with the reference matcher on small inputs (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', 'B', '.', '*');
    const pattern = fc.array(alphabet, { maxLength: 9 }).map((cs) => cs.join(''));
    const value = fc.array(fc.constantFrom('a', 'b', 'A', 'B', '.', '*', '\n'), { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        expect(globMatch(p, v)).toBe(referenceMatch(p, v));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the reference on values built to match (property)', () => {
    // Values made from the pattern by filling each star with random text: all of them must match.
    const parts = fc.array(fc.stringMatching(/^[ab]{0,3}$/), { minLength: 1, maxLength: 6 });
    const fills = fc.array(fc.stringMatching(/^[abAB]{0,4}$/), { minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(parts, fills, (ps, fs) => {
        const p = ps.join('*');
        const v = ps.map((part, i) => (i === 0 ? part : `${fs[i]}${part.toUpperCase()}`)).join('');
        expect(referenceMatch(p, v)).toBe(true);
        expect(globMatch(p, v)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
