/**
 * Real-shaped events for the system tests and the storm benchmark, built from the sample events in
 * test/fixtures/events (copied from the shared references): CloudMonitor system events re-wrapped as the
 * EventBridge CloudEvents the default bus pushes to FC 3.0 (one per alert, unique ids and resource ids).
 */
import { readdirSync, readFileSync } from 'node:fs';

const FIXTURES = new URL('../fixtures/events/', import.meta.url);

/** Reads a fixture as text. */
export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

type Json = Record<string, unknown>;

/** The CloudMonitor system-event samples that have an id, a name and content (the full shape). */
export function cmsSamples(): { readonly file: string; readonly event: Json }[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.startsWith('cms-event-') && f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, event: JSON.parse(fixture(file)) as Json }))
    .filter(({ event }) => typeof event.name === 'string' && typeof event.content === 'object' && event.content !== null);
}

/** One alert the storm must deliver: the CloudEvent id and the resource id that Slack must show. */
export interface ExpectedAlert {
  readonly id: string;
  readonly resourceId: string;
}

/**
 * Builds `count` EventBridge CloudEvents from the CloudMonitor samples, cycling through them. Each gets a
 * unique `id` and a unique resource id (`i-storm000042`, `d-storm000042`, ...), in `subject` and `data`, the
 * way EventBridge wraps an ECS system event: `source` `acs.ecs`, `type` `ecs:<name>`, `data` = the content.
 */
export function stormEvents(count: number, prefix = 'storm'): { readonly events: Json[]; readonly expected: ExpectedAlert[] } {
  const samples = cmsSamples();
  const envelope = JSON.parse(fixture('eventbridge-ecs-statechange.INFERRED.json')) as Json;
  const events: Json[] = [];
  const expected: ExpectedAlert[] = [];
  for (let i = 0; i < count; i++) {
    const { event } = samples[i % samples.length]!;
    const arn = String(event.resourceId ?? '');
    const kind = /:(instance|disk|snapshot)\//.exec(arn)?.[1] ?? 'instance';
    const letter = kind === 'disk' ? 'd' : kind === 'snapshot' ? 's' : 'i';
    const resourceId = `${letter}-${prefix}${String(i).padStart(6, '0')}`;
    const id = `${prefix}-${String(i).padStart(6, '0')}-4333-8444-555555555555`;
    const name = String(event.name);
    const content = { ...(event.content as Json) };
    for (const key of ['resourceId', 'instanceId', 'diskId', 'snapshotId']) if (key in content) content[key] = resourceId;
    if (!('resourceId' in content)) content.resourceId = resourceId;
    if (typeof event.level === 'string') content.level = event.level;
    events.push({
      ...envelope,
      id,
      type: `ecs:${name}`,
      subject: `acs:ecs:cn-hangzhou:1234567890123456:${kind}/${resourceId}`,
      time: new Date(Date.UTC(2025, 2, 10, 10, 0, 0) + i * 1000).toISOString(),
      data: content,
    });
    expected.push({ id, resourceId });
  }
  return { events, expected };
}

/** The alerts of `expected` that appear in no accepted message (neither their resource id nor their id). */
export function missingFrom(messages: readonly unknown[], expected: readonly ExpectedAlert[]): ExpectedAlert[] {
  const text = messages.map((m) => JSON.stringify(m)).join('\n');
  return expected.filter((a) => !text.includes(a.resourceId) && !text.includes(a.id));
}
