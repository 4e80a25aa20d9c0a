import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type Alert } from '@ecs-pulse/cloudmonitor-event-parser';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { toSlackMessage, validateSlackMessage, type NotifiableAlert } from '../../src/index.js';
import { mrkdwnTexts, nonDateTokens, readFixture } from '../helpers/fixtures.js';

// The parser is a devDependency only: the notifier declares its own structurally compatible input type.
const eventsDir = fileURLToPath(new URL('../fixtures/events/', import.meta.url));
const files = readdirSync(eventsDir).filter((f) => f.endsWith('.json'));

describe('Contract: parser Alert → notifier', () => {
  it('every parser Alert is assignable to NotifiableAlert', () => {
    expectTypeOf<Alert>().toExtend<NotifiableAlert>();
  });

  it.each(files)('renders the parsed sample %s within the limits', (file) => {
    const alerts = parse(readFixture(`events/${file}`));
    expect(alerts.length).toBeGreaterThan(0);
    const message = toSlackMessage(alerts);
    expect(validateSlackMessage(message)).toEqual([]);
    expect(message.text.length).toBeGreaterThan(0);
    for (const t of mrkdwnTexts(message)) expect(nonDateTokens(t)).toEqual([]);
  });

  it('renders the parsed metric-alarm form callback', () => {
    const alerts = parse(readFixture('events/cms-metric-alarm-callback-ecs-cpu.form.txt'));
    const message = toSlackMessage(alerts);
    expect(validateSlackMessage(message)).toEqual([]);
  });

  it('digests all parsed samples together', () => {
    const alerts = files.flatMap((f) => parse(readFixture(`events/${f}`)));
    const message = toSlackMessage(alerts, { mentions: { critical: '<!here>' } });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(message.blocks?.[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(new RegExp(`^\\S+ ${alerts.length} alerts`)) } });
  });
});
