// `ecs-pulse demo --threads`: one ECS system-event lifecycle (Scheduled → Executing → Executed) through a
// bot-token route of the bundled function into the sink's Slack Web API, printed as one thread: the parent as
// edited in place, then its replies.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SinkApiMessage, SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { ForwarderProcess } from '../forwarder-function.js';
import type { Io } from '../io.js';
import { redact, registerSecret } from '../redact.js';

/**
 * The `--threads` part of the demo result: one lifecycle replayed through a bot-token route.
 *
 * @example
 * ```ts
 * const { threads } = await demo({ threads: true });
 * console.log(threads?.parent, threads?.replies);
 * ```
 */
export interface DemoThreadsResult {
  /** States replayed, in order. */
  readonly states: readonly string[];
  /** Thread parents posted (1 when the lifecycle stayed in one thread). */
  readonly parents: number;
  /** The parent's text after its last edit. */
  readonly parent: string;
  /** How many times the parent was edited (`chat.update`). */
  readonly edits: number;
  /** The replies' texts, in order. */
  readonly replies: readonly string[];
  /** Invocations the function did not deliver. */
  readonly failed: number;
}

const CHANNEL = 'C0ECSPULSE';
const STATES: readonly (readonly [status: string, minutes: number])[] = [
  ['Scheduled', 0],
  ['Executing', 2],
  ['Executed', 9],
];

/** A CloudMonitor system event of the reboot lifecycle, built from the bundled Scheduled sample. */
function lifecycleEvent(sample: Record<string, unknown> & { content?: Record<string, unknown> }, status: string, minutes: number, base: number): Buffer {
  const at = new Date(base + minutes * 60_000).toISOString();
  const eventTime = at.replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '.$1+0000');
  return Buffer.from(
    JSON.stringify({
      ...sample,
      id: `${String(sample.id ?? 'demo').slice(0, 24)}${String(minutes).padStart(12, '0')}`,
      name: `Instance:SystemMaintenance.Reboot:${status}`,
      eventTime,
      content: { ...(sample.content ?? {}), eventStatus: status },
    }),
  );
}

/** Replays the lifecycle through a fresh function process (its own cold start) and prints the thread. */
export async function demoThreads(io: Io, sink: SlackSink, bundle: string, samplesDir: string): Promise<DemoThreadsResult> {
  const { paint } = io;
  registerSecret(sink.api.token);
  const sample = JSON.parse(readFileSync(path.join(samplesDir, 'cms-event-ecs-systemmaintenance-reboot-scheduled.json'), 'utf8')) as Record<string, unknown>;
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: sink.api.token,
    SLACK_API_URL: sink.api.url,
    ECS_PULSE_HTTP_TOKEN: randomBytes(24).toString('base64url'),
    ECS_PULSE_CONFIG: JSON.stringify({ routes: [{ name: 'oncall', botTokenEnv: 'SLACK_BOT_TOKEN', channel: CHANNEL, threads: true, broadcastRecovery: true }] }),
    TZ: 'UTC',
    NODE_ENV: 'production',
  };
  const before = new Set(sink.api.messages(CHANNEL).map((m) => m.ts));
  const { fn } = await ForwarderProcess.start(bundle, env);
  let failed = 0;
  const base = Date.now() - 10 * 60_000;
  try {
    for (const [status, minutes] of STATES) {
      const reply = await fn.invoke('fc3-event', lifecycleEvent(sample, status, minutes, base));
      const result = reply.result as { summary?: { delivered?: number } } | undefined;
      if (!reply.ok || (result?.summary?.delivered ?? 0) < 1) failed++;
    }
  } finally {
    await fn.stop();
  }
  const parents: SinkApiMessage[] = sink.api.messages(CHANNEL).filter((m) => !before.has(m.ts) && m.metadata?.event_type === 'ecs_pulse_alert');
  const parent = parents[0];
  const result: DemoThreadsResult = {
    states: STATES.map(([s]) => s),
    parents: parents.length,
    parent: parent?.text ?? '',
    edits: parent?.edits ?? 0,
    replies: parent?.replies.map((r) => r.text) ?? [],
    failed,
  };
  if (!io.json) {
    io.out(paint.bold(`Lifecycle threads (--threads): ${result.states.join(' → ')} through a bot-token route (Slack Web API)`));
    io.out(`  ${paint.dim(`parent, edited ${result.edits} time${result.edits === 1 ? '' : 's'}:`)} ${redact(result.parent)}`);
    result.replies.forEach((text, i) => io.out(`    ${paint.dim(`↳ reply ${i + 1}:`)} ${redact(text)}`));
    io.out();
  }
  return result;
}
