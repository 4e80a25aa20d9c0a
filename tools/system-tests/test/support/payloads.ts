/** Payloads for the fault suites: small unique EventBridge batches and metric-alarm callbacks. */
import { parse } from '@ecs-pulse/cloudmonitor-event-parser';
import { fixture, stormEvents, type ExpectedAlert } from './events.js';

let serial = 0;

/** A batch of `count` CloudEvents with ids and resource ids unique to this call, as FC passes it (a Buffer). */
export function eventBatch(count = 3): { readonly payload: Buffer; readonly expected: ExpectedAlert[] } {
  serial++;
  const { events, expected } = stormEvents(count, `fault${String(serial).padStart(3, '0')}x`);
  return { payload: Buffer.from(JSON.stringify(events), 'utf8'), expected };
}

/**
 * A CloudMonitor metric-alarm callback body (form-encoded, from the sample) for a unique instance, and the
 * alert the real parser makes of it.
 */
export function metricCallback(): { readonly body: string; readonly expected: ExpectedAlert[] } {
  serial++;
  const instance = `i-callback${String(serial).padStart(10, '0')}`;
  const body = fixture('cms-metric-alarm-callback-ecs-cpu.form.txt')
    .trim()
    .replace('i-bp1fake0instance0001', instance)
    .replace(/timestamp=\d+/, `timestamp=${1741569675474 + serial * 1000}`);
  const expected = parse(body, { contentType: 'application/x-www-form-urlencoded' }).map((a) => ({ id: a.id, resourceId: a.resourceId }));
  if (expected.length !== 1 || expected[0]!.resourceId !== instance) {
    throw new Error(`the metric callback sample no longer parses to one alert on ${instance}: ${JSON.stringify(expected)}`);
  }
  return { body, expected };
}
