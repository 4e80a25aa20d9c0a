import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toSlackMessage, validateSlackMessage, type NotifiableAlert, type ToSlackMessageOptions } from '../../src/index.js';
import { allTextObjects, isWellFormed, mrkdwnTexts, nonDateTokens } from '../helpers/fixtures.js';

// Text that stresses the renderer: mrkdwn control characters and tokens, astral unicode (surrogate pairs),
// combining marks, RTL, newlines, and sometimes a huge repetition of all that.
const nasty = fc.constantFrom('<!channel>', '<!here|here>', '<@U024BE7LH>', '<#C123>', '<http://evil.example|click>', '&', '&amp;', '<', '>', '*', '_', '~', '`', '|', '\n', '😀', '👩‍👩‍👧', '𝕏', 'é', 'é', 'مرحبا', '中文', '\u0000', '\u200b');
const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), nasty);
const text = fc.oneof(
  { weight: 6, arbitrary: fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.integer({ min: 200, max: 5000 })).map(([parts, n]) => parts.join('').repeat(n).slice(0, 60_000)) },
);
const severity = fc.constantFrom('critical', 'warning', 'info', 'ok');
const isoTime = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

const alert: fc.Arbitrary<NotifiableAlert> = fc.record(
  {
    id: text,
    source: fc.constantFrom('cloudmonitor', 'eventbridge'),
    product: fc.oneof(fc.constant('ECS'), text),
    name: text,
    status: text,
    severity,
    resourceId: fc.oneof(fc.constant('i-bp1abc'), fc.constant('d-bp1abc'), fc.constant('s-bp1abc'), text),
    resourceName: text,
    region: fc.oneof(fc.constant('cn-hangzhou'), text),
    accountId: text,
    time: fc.oneof(isoTime, text),
    summary: text,
    details: fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 15 }),
  },
  { requiredKeys: ['id', 'product', 'name', 'status', 'severity', 'resourceId', 'time', 'summary'] },
);

const options: fc.Arbitrary<ToSlackMessageOptions> = fc.record(
  {
    colorBar: fc.boolean(),
    titlePrefix: text,
    environment: text,
    footer: text,
    maxDetails: fc.integer({ min: 0, max: 40 }),
  },
  { requiredKeys: [] },
);

function checkMessage(alerts: NotifiableAlert | NotifiableAlert[], opts: ToSlackMessageOptions): void {
  const message = toSlackMessage(alerts, opts);
  expect(validateSlackMessage(message)).toEqual([]);
  expect(JSON.stringify(message).length).toBeLessThan(40_000);
  for (const t of mrkdwnTexts(message)) expect(nonDateTokens(t)).toEqual([]);
  for (const t of allTextObjects(message)) {
    // No lone surrogate: truncation never cut a pair in half (checked where the input was well formed).
    if (!isWellFormed(t.text)) {
      const inputs = JSON.stringify(alerts) + JSON.stringify(opts);
      expect(inputs.includes('\\ud') || !isWellFormed(String(inputs))).toBe(true);
    }
  }
}

describe('Control characters', () => {
  it('become U+FFFD, so a field full of NULs cannot blow up the JSON (found by the property below, seed 2017449965)', () => {
    const nuls = '\u0000'.repeat(5_000);
    const a: NotifiableAlert = {
      id: '',
      product: 'ECS',
      name: nuls,
      status: '<!channel>',
      severity: 'info',
      resourceId: 'i-bp1abc',
      resourceName: `<!channel>${nuls}`,
      region: 'cn-hangzhou',
      time: '2000-01-01T00:00:00.000Z',
      summary: nuls,
      details: { [`k${nuls}`]: nuls },
    };
    const message = toSlackMessage(a, { environment: `\u0000prod\u0007` });
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/\\u00[01][0-9a-f]|\\u007f/);
    expect(json).toContain('\ufffd');
    expect(json.length).toBeLessThan(40_000);
    expect(validateSlackMessage(message)).toEqual([]);
  });
});

describe('Property: every rendered message fits Slack and pings nobody', () => {
  it('single alerts', () => {
    fc.assert(
      fc.property(alert, options, (a, o) => checkMessage(a, o)),
      { numRuns: 200 },
    );
  });

  it('digests of 2–80 alerts', () => {
    fc.assert(
      fc.property(fc.array(alert, { minLength: 2, maxLength: 80 }), options, (as, o) => checkMessage(as, o)),
      { numRuns: 60 },
    );
  });

  it('truncation keeps surrogate pairs whole when the input is well formed', () => {
    const astral = fc.array(fc.constantFrom('😀', '𝕏', 'a', '&', '<'), { minLength: 1, maxLength: 8 }).chain((parts) =>
      fc.integer({ min: 100, max: 3000 }).map((n) => parts.join('').repeat(n)),
    );
    fc.assert(
      fc.property(astral, severity, (t, sev) => {
        const message = toSlackMessage({ id: 'x', product: 'ECS', name: t, status: t, severity: sev as NotifiableAlert['severity'], resourceId: t, resourceName: t, time: t, summary: t, details: { k: t } });
        expect(validateSlackMessage(message)).toEqual([]);
        for (const o of allTextObjects(message)) expect(isWellFormed(o.text)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
