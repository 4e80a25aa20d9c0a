import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FIELDS,
  ecsConsoleUrl,
  SEVERITY_STYLE,
  SLACK_LIMITS,
  SlackNotifierError,
  toSlackMessage,
  toSlackMessages,
  validateMessageOptions,
  validateSlackMessage,
  type HeaderBlock,
  type SectionBlock,
  type SlackBlock,
  type SlackMessage,
} from '../../src/index.js';
import { getAlert, makeAlerts, mrkdwnTexts, nonDateTokens } from '../helpers/fixtures.js';

const allBlocks = (m: SlackMessage): SlackBlock[] => [...(m.blocks ?? []), ...(m.attachments ?? []).flatMap((a) => a.blocks ?? [])];
const header = (m: SlackMessage): string => (allBlocks(m).find((b) => b.type === 'header') as HeaderBlock).text.text;
const fieldTexts = (m: SlackMessage): string[] =>
  allBlocks(m)
    .filter((b): b is SectionBlock => b.type === 'section' && Array.isArray((b as SectionBlock).fields))
    .flatMap((b) => b.fields!.map((f) => f.text));
const buttonUrls = (m: SlackMessage): string[] =>
  allBlocks(m).flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.url ?? '') : []));

describe('Method: toSlackMessage (single alert)', () => {
  it('renders header, summary, fields, console button and footer, with a severity colour bar', () => {
    // Prepare
    const alert = getAlert('instanceStopped');
    // Act
    const message = toSlackMessage(alert, { environment: 'prod' });
    // Assess
    expect(message.text).toBe('WARNING: ECS instance i-bp1fake0instance0001 is Stopped');
    expect(message.blocks?.map((b) => b.type)).toEqual(['header', 'section']);
    expect(header(message)).toBe('🟠 Warning · ECS Instance:StateChange → Stopped');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments?.[0]?.color).toBe(SEVERITY_STYLE.warning.color);
    expect(message.attachments?.[0]?.blocks?.map((b) => b.type)).toEqual(['section', 'section', 'actions', 'context']);
    expect(fieldTexts(message)).toEqual([
      '*Product*\nECS',
      '*Event*\nInstance:StateChange',
      '*Status*\nStopped',
      '*Resource*\ni-bp1fake0instance0001',
      '*Region*\ncn-hangzhou',
      '*Account*\n1234567890123456',
      '*Time*\n<!date^1741600819^{date_short_pretty} {time}|2025-03-10 10:00:19 UTC>',
    ]);
    expect(buttonUrls(message)).toEqual(['https://ecs.console.aliyun.com/server/i-bp1fake0instance0001/detail?regionId=cn-hangzhou']);
    const context = message.attachments?.[0]?.blocks?.at(-1);
    expect(context).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'ecs-pulse · env: prod · cloudmonitor · id 11111111-2222-4333-8444-555555555503' }] });
    expect(validateSlackMessage(message)).toEqual([]);
  });

  it('puts every block at top level when colorBar is false', () => {
    const message = toSlackMessage(getAlert('diskStalled'), { colorBar: false });
    expect(message.attachments).toBeUndefined();
    expect(message.blocks?.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'actions', 'context']);
    expect(header(message)).toBe('🔴 Critical · ECS Disk:Stalled → Executing');
  });

  it('links disks and snapshots to their console pages, and nothing for other products', () => {
    expect(buttonUrls(toSlackMessage(getAlert('diskStalled')))).toEqual([
      'https://ecs.console.aliyun.com/diskdetail/d-bp1fake0disk0000000a/detail?regionId=cn-hangzhou',
    ]);
    expect(buttonUrls(toSlackMessage(getAlert('snapshotCompleted')))).toEqual([
      'https://ecs.console.aliyun.com/#/snapshotDetail/cn-hangzhou/s-bp1fake0snap00000001/detail',
    ]);
    expect(buttonUrls(toSlackMessage(getAlert('rdsRecovered')))).toEqual([]);
    expect(buttonUrls(toSlackMessage(getAlert('instanceStopped'), { consoleLinks: false }))).toEqual([]);
  });

  it('uses the configured console origin and the region from the ARN when region is missing', () => {
    const alert = getAlert('instanceStopped', { region: undefined, resourceArn: 'acs:ecs:ap-southeast-1:1:instance/i-bp1fake0instance0001' });
    expect(ecsConsoleUrl(alert, 'https://ecs.console.alibabacloud.com/')).toBe(
      'https://ecs.console.alibabacloud.com/server/i-bp1fake0instance0001/detail?regionId=ap-southeast-1',
    );
  });

  it('gives no console link when the region is unknown or malformed, or the id is not an ECS id', () => {
    expect(ecsConsoleUrl(getAlert('instanceStopped', { region: undefined, resourceArn: undefined }))).toBeUndefined();
    expect(ecsConsoleUrl(getAlert('instanceStopped', { region: 'cn-hangzhou&x=<1>', resourceArn: undefined }))).toBeUndefined();
    expect(ecsConsoleUrl(getAlert('instanceStopped', { resourceId: 'i-a/../b', resourceArn: undefined }))).toBeUndefined();
    expect(ecsConsoleUrl(getAlert('instanceStopped', { resourceArn: 'acs:ecs:cn-hangzhou:1:securitygroup/sg-1', resourceId: 'sg-1' }))).toBeUndefined();
  });

  it('escapes event text so an instance named <!channel> pings nobody', () => {
    const alert = getAlert('instanceStopped', {
      resourceName: '<!channel> & <@U123>',
      summary: 'instance <!everyone> is <http://evil.example|Stopped>',
      details: { note: '<!here>' },
    });
    const message = toSlackMessage(alert);
    for (const text of mrkdwnTexts(message)) expect(nonDateTokens(text)).toEqual([]);
    expect(message.text).toBe('WARNING: instance &lt;!everyone&gt; is &lt;http://evil.example|Stopped&gt;');
    expect(fieldTexts(message)).toContain('*Resource*\n&lt;!channel&gt; &amp; &lt;@U123&gt; (i-bp1fake0instance0001)');
  });

  it('adds the mentions configured for the alert severity, in the summary and the fallback text', () => {
    const message = toSlackMessage(getAlert('cpuAlarm'), { mentions: { critical: ['<!here>', '<@U024BE7LH>'], warning: '<!channel>' } });
    expect(message.text.startsWith('<!here> <@U024BE7LH> CRITICAL: ')).toBe(true);
    expect((message.blocks?.[1] as SectionBlock).text?.text).toBe('<!here> <@U024BE7LH> CPUUtilization of stress-host-0 is 98.5% (threshold &gt;= 80%)');
    const warning = toSlackMessage(getAlert('instanceStopped'), { mentions: { critical: '<!here>' } });
    expect(warning.text).not.toContain('<!here>');
  });

  it('shows the chosen fields in the chosen order, skipping empty values', () => {
    const message = toSlackMessage(getAlert('rdsRecovered'), { fields: ['severity', 'status', 'region', 'id'] });
    expect(fieldTexts(message)).toEqual(['*Severity*\n🟢 OK', '*Status*\nOK', '*Event id*\nrds-ok-1']);
    expect(DEFAULT_FIELDS).toEqual(['product', 'event', 'status', 'resource', 'region', 'account', 'time']);
  });

  it('applies the title prefix to header and text', () => {
    const message = toSlackMessage(getAlert('instanceStopped'), { titlePrefix: '[prod]' });
    expect(header(message)).toBe('[prod] 🟠 Warning · ECS Instance:StateChange → Stopped');
    expect(message.text.startsWith('[prod] WARNING: ')).toBe(true);
  });

  it('lists at most maxDetails details, then says how many more', () => {
    const details = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, `v${i}`]));
    const message = toSlackMessage(getAlert('instanceStopped', { details }), { maxDetails: 3 });
    const section = allBlocks(message).find((b) => b.type === 'section' && (b as SectionBlock).text?.text.startsWith('*Details*')) as SectionBlock;
    expect(section.text?.text).toBe('*Details*\n• *k0*: v0\n• *k1*: v1\n• *k2*: v2\n… 9 more');
    const none = toSlackMessage(getAlert('instanceStopped', { details }), { maxDetails: 0 });
    expect(allBlocks(none).some((b) => b.type === 'section' && (b as SectionBlock).text?.text.startsWith('*Details*'))).toBe(false);
  });

  it('truncates huge fields with a visible marker instead of rejecting', () => {
    const huge = 'x'.repeat(50_000);
    const message = toSlackMessage(getAlert('instanceStopped', { name: huge, summary: huge, resourceName: huge, status: huge }));
    expect(validateSlackMessage(message)).toEqual([]);
    expect(header(message).length).toBe(SLACK_LIMITS.headerText);
    expect(header(message).endsWith('…')).toBe(true);
    expect((message.blocks?.[1] as SectionBlock).text?.text.endsWith('…')).toBe(true);
    expect(fieldTexts(message).find((f) => f.startsWith('*Resource*'))?.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFieldText);
  });

  it('shows an unparsable time as escaped text rather than a date token', () => {
    const message = toSlackMessage(getAlert('instanceStopped', { time: 'yesterday <3' }));
    expect(fieldTexts(message)).toContain('*Time*\nyesterday &lt;3');
  });
});

describe('Method: toSlackMessage (digest)', () => {
  it('groups by severity, then by event, with counts and one line per alert', () => {
    // Prepare
    const alerts = [getAlert('instanceStopped'), getAlert('diskStalled'), getAlert('cpuAlarm'), getAlert('rdsRecovered'), getAlert('instanceStopped', { id: 'x2', resourceId: 'i-bp1second' })];
    // Act
    const message = toSlackMessage(alerts, { mentions: { critical: '<!here>', ok: '<@U024BE7LH>' } });
    // Assess
    expect(header(message)).toBe('🔴 5 alerts · 2 critical · 2 warning · 1 ok');
    expect(message.text).toMatch(/^<!here> <@U024BE7LH> 5 alerts \(2 critical, 2 warning, 1 ok\): /);
    expect(message.attachments?.map((a) => a.color)).toEqual([SEVERITY_STYLE.critical.color, SEVERITY_STYLE.warning.color, SEVERITY_STYLE.ok.color]);
    const warning = message.attachments?.[1]?.blocks?.map((b) => (b as SectionBlock).text?.text);
    expect(warning).toEqual([
      '*🟠 Warning · 2 alerts*',
      '• 🟠 Warning · ECS Instance:StateChange → Stopped · i-bp1fake0instance0001 · cn-hangzhou\n' + '• 🟠 Warning · ECS Instance:StateChange → Stopped · i-bp1second · cn-hangzhou',
    ]);
    const summary = (message.blocks?.[1] as SectionBlock).text?.text;
    expect(summary).toBe(
      '<!here> <@U024BE7LH> *5 alerts* in 4 event types · region cn-hangzhou · <!date^1625206320^{date_short_pretty} {time}|2021-07-02 06:12:00 UTC> – <!date^1741737661^{date_short_pretty} {time}|2025-03-12 00:01:01 UTC>',
    );
    expect(validateSlackMessage(message)).toEqual([]);
  });

  it('keeps 1,000 alerts within the limits, listing those that fit and saying how many are not listed', () => {
    const message = toSlackMessage(makeAlerts(1000));
    expect(validateSlackMessage(message)).toEqual([]);
    const text = JSON.stringify(message);
    const listed = new Set(text.match(/i-storm\d{5}/g)).size;
    expect(listed).toBeGreaterThan(50);
    expect(header(message)).toMatch(new RegExp(`^🔴 ${listed} of 1000 alerts · `));
    expect(text).toContain(`… ${1000 - listed} more alerts not listed here`);
  });

  it('lists every alert of a 50-alert digest (the digest queue default)', () => {
    const message = toSlackMessage(makeAlerts(50));
    expect(validateSlackMessage(message)).toEqual([]);
    const ids = new Set(JSON.stringify(message).match(/i-storm\d{5}/g));
    expect(ids.size).toBe(50);
  });

  it('lists every alert of 80 event types (nothing folded away)', () => {
    const alerts = Array.from({ length: 80 }, (_, i) => getAlert('instanceStopped', { id: `e${i}`, name: `Event${i}`, resourceId: `i-x${i}` }));
    const message = toSlackMessage(alerts);
    expect(validateSlackMessage(message)).toEqual([]);
    for (let i = 0; i < 80; i++) expect(mrkdwnTexts(message).join('\n')).toContain(`• 🟠 Warning · ECS Event${i} → Stopped · i-x${i} · cn-hangzhou`);
  });
});

describe('Method: toSlackMessages', () => {
  /** Every line of the messages' mrkdwn sections. */
  const lines = (messages: readonly SlackMessage[]): string[] => messages.flatMap((m) => mrkdwnTexts(m).flatMap((t) => t.split('\n')));

  it('splits 1,000 alerts into parts that each list all their alerts (product, event, status, resource, severity on one line)', () => {
    const alerts = makeAlerts(1000);
    const parts = toSlackMessages(alerts);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.length).toBeLessThan(15);
    expect(parts.flatMap((p) => p.alerts)).toHaveLength(1000);
    expect(new Set(parts.flatMap((p) => p.alerts))).toEqual(new Set(alerts));
    parts.forEach((part, i) => {
      expect(validateSlackMessage(part.message)).toEqual([]);
      expect(header(part.message)).toMatch(new RegExp(`^\\S+ ${part.alerts.length} of 1000 alerts \\(part ${i + 1}/${parts.length}\\) · `));
      const shown = lines([part.message]);
      for (const a of part.alerts) {
        const style = SEVERITY_STYLE[a.severity];
        const line = shown.find((l) => l.includes(`(${a.resourceId})`));
        expect(line, a.resourceId).toBe(`• ${style.emoji} ${style.word} · ${a.product} ${a.name} → ${a.status} · ${a.resourceName} (${a.resourceId}) · ${a.region}`);
      }
    });
  });

  it('renders one alert as the detailed message and a few as one unlabelled digest', () => {
    const [single] = toSlackMessages(getAlert('instanceStopped'));
    expect(single!.message).toEqual(toSlackMessage(getAlert('instanceStopped')));
    const few = makeAlerts(20);
    const parts = toSlackMessages(few);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.message).toEqual(toSlackMessage(few));
  });

  it('stays within the limits with long mentions, prefixes, footers and maximal field values', () => {
    const long = (c: string) => c.repeat(400);
    const alerts = Array.from({ length: 300 }, (_, i) =>
      getAlert('instanceStopped', { id: `e${i}`, product: long('P'), name: long('&'), status: long('S'), resourceId: `i-${long('r')}${i}`, resourceName: long('n'), region: long('g') }),
    );
    const options = { titlePrefix: long('T'), environment: long('E'), footer: long('F'), mentions: { warning: Array.from({ length: 40 }, (_, i) => `<@U0${i}ABCDEFGH>`) } };
    const parts = toSlackMessages(alerts, options);
    expect(parts.flatMap((p) => p.alerts)).toHaveLength(300);
    for (const part of parts) {
      expect(validateSlackMessage(part.message)).toEqual([]);
      expect(lines([part.message]).filter((l) => l.startsWith('• 🟠 Warning · '))).toHaveLength(part.alerts.length);
    }
  });

  it('hands each part to a custom formatter', () => {
    const seen: number[] = [];
    const parts = toSlackMessages(makeAlerts(400), { formatter: (xs, ctx) => (seen.push(xs.length), ctx.render(xs)) });
    expect(seen.reduce((a, b) => a + b, 0)).toBe(400);
    expect(parts.map((p) => p.alerts.length)).toEqual(seen);
  });
});

describe('Method: validateMessageOptions', () => {
  it('refuses what Slack would not render as a mention or link, with the path and a fix hint', () => {
    expect(
      validateMessageOptions({ mentions: { critical: ['@here', '<!HERE>', '<@oncall>'], warning: 'here' }, consoleBaseUrl: 'http://ecs.console.aliyun.com' }),
    ).toEqual([
      'mentions.critical[0]: "@here" is not a Slack mention token; write <!here> (lower case, with <! and >)',
      'mentions.critical[1]: "<!HERE>" is not a Slack mention token; write <!here> (lower case, with <! and >)',
      'mentions.critical[2]: "<@oncall>" is not a Slack mention token; a user mention needs the member id, like <@U024BE7LH> (a user group: <!subteam^S123ABC>)',
      'mentions.warning: "here" is not a Slack mention token; write <!here> (lower case, with <! and >)',
      'consoleBaseUrl: must be an https origin like https://ecs.console.aliyun.com (no path, query or fragment)',
    ]);
    expect(validateMessageOptions({ consoleBaseUrl: 'https://ecs.console.aliyun.com/server' })).toEqual([
      'consoleBaseUrl: must be an https origin like https://ecs.console.aliyun.com (no path, query or fragment)',
    ]);
  });

  it('accepts what toSlackMessage accepts, and toSlackMessage throws exactly its issues', () => {
    const good = { mentions: { critical: ['<!here>', '<@U024BE7LH>'], ok: '<!subteam^S123ABC|oncall>' }, consoleBaseUrl: 'https://ecs.console.alibabacloud.com/', maxDetails: 0 };
    expect(validateMessageOptions(good)).toEqual([]);
    expect(validateMessageOptions(undefined)).toEqual([]);
    expect(validateMessageOptions(null)).toEqual(['options: must be an object, e.g. { environment: "prod" }']);
    expect(validateMessageOptions({ toString: 1 })).toEqual([expect.stringMatching(/^toString: unknown option/)]);
    const bad = { mentions: { info: '<!Channel>' } };
    expect(() => toSlackMessage(getAlert('instanceStopped'), bad)).toThrow(validateMessageOptions(bad)[0]);
  });
});

describe('Method: toSlackMessage (options and custom formatter)', () => {
  it('passes custom formatter output through the limit fitter', () => {
    const message = toSlackMessage(getAlert('instanceStopped'), {
      formatter: (alerts, ctx) => ({
        text: ctx.escape(alerts[0]!.summary),
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'H'.repeat(400) } }, { type: 'section', text: { type: 'mrkdwn', text: `${ctx.mentions}${ctx.date(alerts[0]!.time)}` } }],
      }),
      mentions: { warning: '<!here>' },
    });
    expect(validateSlackMessage(message)).toEqual([]);
    expect((message.blocks?.[0] as HeaderBlock).text.text).toBe(`${'H'.repeat(149)}…`);
    expect((message.blocks?.[1] as SectionBlock).text?.text).toBe('<!here><!date^1741600819^{date_short_pretty} {time}|2025-03-10 10:00:19 UTC>');
  });

  it('lets a formatter wrap the built-in layout', () => {
    const message = toSlackMessage(getAlert('instanceStopped'), { formatter: (alerts, ctx) => ({ ...ctx.render(alerts), username: 'alerts-bot' }) });
    expect(message.username).toBe('alerts-bot');
    expect(header(message)).toBe('🟠 Warning · ECS Instance:StateChange → Stopped');
  });

  it('rejects unknown and mistyped options, listing every issue', () => {
    expect(() =>
      toSlackMessage(getAlert('instanceStopped'), {
        colour: true,
        fields: ['event', 'nope'],
        mentions: { critical: '@here', severe: '<!here>' },
        maxDetails: -1,
        consoleBaseUrl: 'http://x',
      } as never),
    ).toThrow(
      expect.objectContaining({
        name: 'SlackNotifierError',
        code: 'INVALID_OPTIONS',
        message: expect.stringMatching(
          /colour: unknown option[\s\S]*fields\[1\]: "nope" is not one of[\s\S]*mentions\.critical: "@here" is not a Slack mention token; write <!here>[\s\S]*mentions\.severe: not a severity[\s\S]*maxDetails: must be a non-negative integer[\s\S]*consoleBaseUrl: must be an https origin/,
        ),
      }),
    );
  });

  it('rejects an empty alert list with NO_ALERTS', () => {
    let caught: unknown;
    try {
      toSlackMessage([]);
    } catch (error) {
      caught = error;
    }
    expect(SlackNotifierError.isSlackNotifierError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'NO_ALERTS', message: expect.stringContaining('needs at least one alert') });
  });

  it('rejects a formatter that returns a non-object', () => {
    expect(() => toSlackMessage(getAlert('instanceStopped'), { formatter: () => undefined as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('formatter must return a Slack message object') }),
    );
  });
});
