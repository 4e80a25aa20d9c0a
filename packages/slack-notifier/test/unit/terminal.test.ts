import { describe, expect, it } from 'vitest';
import { blockKitBuilderUrl, formatMessageAsText, toSlackMessage, type SlackMessage } from '../../src/index.js';
import { getAlert } from '../helpers/fixtures.js';

describe('Function: formatMessageAsText', () => {
  it('renders a single alert as readable plain text, tokens resolved and entities unescaped', () => {
    const message = toSlackMessage(getAlert('instanceStopped', { resourceName: 'web <01> & co' }), { mentions: { warning: '<!here>' } });
    expect(formatMessageAsText(message)).toBe(
      [
        '🟠 Warning · ECS Instance:StateChange → Stopped',
        '@here ECS instance i-bp1fake0instance0001 is Stopped',
        '▌ Product: ECS',
        '▌ Event: Instance:StateChange',
        '▌ Status: Stopped',
        '▌ Resource: web <01> & co (i-bp1fake0instance0001)',
        '▌ Region: cn-hangzhou',
        '▌ Account: 1234567890123456',
        '▌ Time: 2025-03-10 10:00:19 UTC',
        '▌ Details',
        '▌ • level: INFO',
        '▌ • resourceType: ALIYUN::ECS::Instance',
        '▌ • state: Stopped',
        '▌ [Open instance in console] https://ecs.console.aliyun.com/server/i-bp1fake0instance0001/detail?regionId=cn-hangzhou',
        '▌ ecs-pulse · cloudmonitor · id 11111111-2222-4333-8444-555555555503',
      ].join('\n'),
    );
  });

  it('formats dates in the requested zone and colours the bar with the attachment colour', () => {
    const message = toSlackMessage(getAlert('diskStalled'));
    const text = formatMessageAsText(message, { color: true, timeZone: 'Asia/Shanghai' });
    expect(text).toContain('\u001b[1m🔴 Critical · ECS Disk:Stalled → Executing\u001b[0m');
    expect(text).toContain('\u001b[38;2;224;30;90m▌\u001b[0m \u001b[1mTime\u001b[0m: 2025-03-12 08:01:01 Asia/Shanghai');
  });

  it('shows links as label (url) and falls back to text when there are no blocks', () => {
    const message: SlackMessage = { text: 'see <https://example.com/a|the docs> &amp; <@U024BE7LH>' };
    expect(formatMessageAsText(message)).toBe('see the docs (https://example.com/a) & @U024BE7LH');
  });
});

describe('Function: blockKitBuilderUrl', () => {
  it('encodes blocks and attachments after the Block Kit Builder hash', () => {
    const message = toSlackMessage(getAlert('instanceStopped'));
    const url = blockKitBuilderUrl(message);
    expect(url.startsWith('https://app.slack.com/block-kit-builder/#%7B%22blocks%22')).toBe(true);
    expect(url.split('#')).toHaveLength(2); // the JSON's own # and & are encoded
    expect(url).not.toMatch(/[ &]/);
    expect(JSON.parse(decodeURIComponent(url.split('#')[1]!))).toEqual({ blocks: message.blocks, attachments: message.attachments });
  });
  it('prints the hour after midnight as 00, not 24', () => {
    const message: SlackMessage = { text: 'at <!date^1741737661^{date_short_pretty} {time}|fallback>' };
    expect(formatMessageAsText(message, { timeZone: 'UTC' })).toBe('at 2025-03-12 00:01:01 UTC');
  });
});
