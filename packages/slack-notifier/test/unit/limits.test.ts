import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, fitSlackMessage, SLACK_LIMITS, slackDate, validateSlackMessage, type SlackMessage } from '../../src/index.js';
import { escapeAndTruncate, truncateMrkdwn, truncatePlain } from '../../src/mrkdwn.js';

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const rules = (m: unknown): string[] => validateSlackMessage(m).map((v) => v.rule);

describe('Method: validateSlackMessage', () => {
  it('accepts a message within every limit', () => {
    expect(validateSlackMessage({ text: 'hi', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(150) } }] })).toEqual([]);
  });

  it('reports a header over 150 characters with path, limit and actual length', () => {
    expect(validateSlackMessage({ text: 'hi', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).toEqual([
      { path: 'blocks[0].text.text', rule: 'header_text_length', limit: 150, actual: 151, message: 'blocks[0].text.text has 151 characters; the limit is 150' },
    ]);
  });

  it('reports a mrkdwn header, a long section, too many fields, a long field and an empty field', () => {
    const message = {
      text: 'hi',
      blocks: [
        { type: 'header', text: mrkdwn('x') },
        { type: 'section', text: mrkdwn('y'.repeat(3001)) },
        { type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) },
        { type: 'section', fields: [mrkdwn('z'.repeat(2001)), mrkdwn('')] },
      ],
    };
    expect(rules(message)).toEqual(['text_object', 'section_text_length', 'section_fields_count', 'section_field_length', 'section_field_empty']);
  });

  it('requires a non-empty top-level text', () => {
    expect(validateSlackMessage({ blocks: [] })[0]).toMatchObject({ path: 'text', rule: 'text_required' });
    expect(rules({ text: '' })).toEqual(['text_required']);
    expect(rules({ text: 'x'.repeat(40_001) })).toEqual(['text_length']);
    expect(rules('not an object')).toEqual(['message_object']);
  });

  it('counts blocks across top level and attachments against 50', () => {
    const blocks = Array.from({ length: 30 }, () => ({ type: 'divider' }));
    expect(validateSlackMessage({ text: 'x', blocks, attachments: [{ color: '#000000', blocks }] })).toEqual([
      expect.objectContaining({ path: 'blocks', rule: 'blocks_count', limit: 50, actual: 60 }),
    ]);
  });

  it('flags more than 12,000 characters across blocks (Slack rejects near 13k)', () => {
    const blocks = Array.from({ length: 5 }, () => ({ type: 'section', text: mrkdwn('a'.repeat(2500)) }));
    expect(validateSlackMessage({ text: 'x', blocks })).toEqual([expect.objectContaining({ rule: 'blocks_total_chars', limit: 12_000, actual: 12_500 })]);
  });

  it('checks buttons, context and actions element counts, block ids and attachment counts', () => {
    const button = { type: 'button', text: { type: 'plain_text', text: 'b'.repeat(76) }, url: `https://x/${'u'.repeat(3000)}` };
    const message = {
      text: 'x',
      blocks: [
        { type: 'actions', elements: [button] },
        { type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) },
        { type: 'divider', block_id: 'i'.repeat(256) },
        { type: 'section' },
      ],
      attachments: Array.from({ length: 101 }, () => ({})),
    };
    expect(rules(message)).toEqual(['button_text_length', 'button_url_length', 'context_elements_count', 'block_id_length', 'section_empty', 'attachments_count']);
  });

  it('ignores unknown block types apart from counting them', () => {
    expect(validateSlackMessage({ text: 'x', blocks: [{ type: 'rich_text', elements: [] }] })).toEqual([]);
  });
});

describe('Method: fitSlackMessage', () => {
  it('truncates, caps fields and blocks, and fills an empty text, so the result validates', () => {
    // Prepare
    const message: SlackMessage = {
      text: '',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(500) } },
        { type: 'section', text: mrkdwn(`${'s'.repeat(2990)}<!date^1625206320^{time}|06:12>`), fields: Array.from({ length: 14 }, (_, i) => mrkdwn(`f${i}`)) },
        ...Array.from({ length: 60 }, () => ({ type: 'divider' as const })),
      ],
    };
    // Act
    const fitted = fitSlackMessage(message);
    // Assess
    expect(validateSlackMessage(fitted)).toEqual([]);
    expect(fitted.text).toBe(`${'h'.repeat(149)}…`);
    const section = fitted.blocks?.[1];
    expect(section?.type === 'section' && section.text?.text).toBe(`${'s'.repeat(2990)}…`);
    expect(section?.type === 'section' && section.fields?.map((f) => f.text).slice(-2)).toEqual(['f8', '… 5 more fields']);
    expect(fitted.blocks).toHaveLength(50);
    expect(fitted.blocks?.at(-1)).toEqual({ type: 'context', elements: [mrkdwn('… 13 more blocks not shown (Slack allows 50)')] });
    expect(message.blocks).toHaveLength(62); // the input is not mutated
  });

  it('shrinks the longest texts until the 12,000-character budget holds', () => {
    const blocks = Array.from({ length: 8 }, (_, i) => ({ type: 'section' as const, text: mrkdwn(String(i).repeat(2900)) }));
    const fitted = fitSlackMessage({ text: 'x', blocks });
    expect(validateSlackMessage(fitted)).toEqual([]);
    expect(fitted.blocks?.every((b) => b.type === 'section' && b.text?.text.length)).toBe(true);
  });
});

describe('Method: mrkdwn helpers', () => {
  it('escapes &, < and > only', () => {
    expect(escapeMrkdwn('<!channel> & *bold* > _it_')).toBe('&lt;!channel&gt; &amp; *bold* &gt; _it_');
  });

  it('never cuts a surrogate pair or an entity in half', () => {
    expect(truncatePlain('ab😀cd', 4)).toBe('ab…');
    expect(escapeAndTruncate('a<b', 4)).toBe('a…');
    expect(escapeAndTruncate('😀😀😀', 4)).toBe('😀…');
    // A lone high surrogate must not swallow the next character: `<` is still escaped when the text is cut.
    expect(escapeAndTruncate(`\uD800<!channel> ${'x'.repeat(50)}`, 30)).toBe(`\uD800&lt;!channel&gt; ${'x'.repeat(11)}…`);
    expect(truncateMrkdwn('ab&amp;cd', 5)).toBe('ab…');
  });

  it('never cuts inside a <…> token', () => {
    const text = `hello <!date^1625206320^{time}|06:12> world`;
    expect(truncateMrkdwn(text, 20)).toBe('hello …');
    expect(truncateMrkdwn(text, text.length)).toBe(text);
  });

  it('formats dates as reader-local tokens with a UTC fallback', () => {
    expect(slackDate('2021-07-02T06:12:00.490Z')).toBe('<!date^1625206320^{date_short_pretty} {time}|2021-07-02 06:12:00 UTC>');
    expect(slackDate('2021-07-02T14:12:00+08:00')).toBe('<!date^1625206320^{date_short_pretty} {time}|2021-07-02 06:12:00 UTC>');
    expect(slackDate('20210702T141200.490+0800')).toBe('20210702T141200.490+0800');
  });

  it('exposes the documented limits', () => {
    expect(SLACK_LIMITS).toMatchObject({ headerText: 150, sectionText: 3000, sectionFields: 10, sectionFieldText: 2000, blocks: 50, messageText: 40_000 });
  });
});
