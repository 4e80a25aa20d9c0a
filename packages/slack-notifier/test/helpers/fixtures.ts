import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NotifiableAlert } from '../../src/index.js';

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

type AlertName = 'instanceStopped' | 'diskStalled' | 'snapshotCompleted' | 'cpuAlarm' | 'rdsRecovered';
const alerts = JSON.parse(readFileSync(`${fixturesDir}alerts.json`, 'utf8')) as Record<AlertName, NotifiableAlert>;

/** A fresh copy of one fixture alert, optionally overridden. */
export function getAlert(name: AlertName, overrides: Partial<NotifiableAlert> = {}): NotifiableAlert {
  return { ...structuredClone(alerts[name]), ...overrides };
}

/** Raw text of a fixture file under test/fixtures. */
export function readFixture(relative: string): string {
  return readFileSync(`${fixturesDir}${relative}`, 'utf8');
}

/** `count` distinct alerts (unique ids and resource ids), cycling severities and events. */
export function makeAlerts(count: number, base: NotifiableAlert = alerts.instanceStopped): NotifiableAlert[] {
  const severities = ['critical', 'warning', 'info', 'ok'] as const;
  const statuses = ['Stopped', 'Starting', 'Running', 'Deleted'];
  return Array.from({ length: count }, (_, i) => ({
    ...structuredClone(base),
    id: `evt-${i}`,
    resourceId: `i-storm${String(i).padStart(5, '0')}`,
    resourceArn: undefined,
    resourceName: `web-${i}`,
    severity: severities[i % 4]!,
    status: statuses[i % 3]!,
    time: new Date(Date.UTC(2025, 2, 10, 10, 0, i % 60)).toISOString(),
  }));
}

/** Every `<…>` token in a mrkdwn string that is not a date token (i.e. a mention, link or command). */
export function nonDateTokens(text: string): string[] {
  return [...text.matchAll(/<[^>]*>/g)].map((m) => m[0]).filter((t) => !/^<!date\^\d+\^[^|>]*\|[^>]*>$/.test(t));
}

/** All mrkdwn-parsed text of a message: top-level `text` and every mrkdwn text object (plain_text is never parsed). */
export function mrkdwnTexts(message: { text: string; blocks?: unknown[]; attachments?: { blocks?: unknown[] }[] }): string[] {
  return allTextObjects(message).filter((t) => t.type !== 'plain_text').map((t) => t.text);
}

/** Every text of a message with its type (`text` for the top-level fallback). */
export function allTextObjects(message: { text: string; blocks?: unknown[]; attachments?: { blocks?: unknown[] }[] }): { type: string; text: string }[] {
  const out: { type: string; text: string }[] = [{ type: 'text', text: message.text }];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const rec = v as Record<string, unknown>;
      if ((rec.type === 'mrkdwn' || rec.type === 'plain_text') && typeof rec.text === 'string') out.push({ type: rec.type, text: rec.text });
      else Object.values(rec).forEach(visit);
    }
  };
  visit(message.blocks ?? []);
  visit(message.attachments ?? []);
  return out;
}

/** True when `text` has no lone surrogate (String#isWellFormed is ES2024; our lib is ES2023). */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
