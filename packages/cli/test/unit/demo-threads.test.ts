import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSlackSink, type SlackSink } from '@ecs-pulse/slack-notifier/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demo, type DemoResult } from '../../src/commands/demo.js';
import { testIo } from '../helpers/io.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const TOKEN = 'demo-test-token-0123456789abcdefXYZ';

let sink: SlackSink;
beforeEach(async () => {
  sink = await startSlackSink();
});
afterEach(async () => {
  await sink.close();
});

describe('Command: demo --threads', () => {
  it('replays a lifecycle through a bot-token route: one parent edited twice, two replies, printed as a thread', async () => {
    const io = testIo({ NO_COLOR: '1' }, REPO);
    const result = await demo({ ...io, skipSynth: true, sink, httpToken: TOKEN, threads: true });
    expect(result.threads).toMatchObject({ states: ['Scheduled', 'Executing', 'Executed'], parents: 1, edits: 2, failed: 0 });
    expect(result.threads!.parent).toContain('Executing → Executed in 7 min');
    expect(result.threads!.replies).toEqual([expect.stringContaining('is executing'), expect.stringContaining('was executed')]);
    // The webhook replay is unchanged beside it.
    expect(result).toMatchObject({ invocations: 13, messagesOut: 9, unexpected: [] });
    const text = io.stdout.text();
    expect(text).toContain('Lifecycle threads (--threads): Scheduled → Executing → Executed');
    expect(text).toContain('parent, edited 2 times: Executing → Executed in 7 min');
    expect(text).toMatch(/↳ reply 1: .*is executing[\s\S]*↳ reply 2: .*was executed/);
    expect(text + io.stderr.text()).not.toContain(sink.api.token);
  });

  it('adds the thread to the --json result, and leaves it out without --threads', async () => {
    const io = testIo({}, REPO);
    await demo({ ...io, json: true, skipSynth: true, sink, httpToken: TOKEN, threads: true });
    const parsed = JSON.parse(io.stdout.text()) as DemoResult;
    expect(parsed.threads).toMatchObject({ parents: 1, edits: 2, replies: [expect.any(String), expect.any(String)] });
    expect(io.stdout.text()).not.toContain(sink.api.token);
    sink.reset();
    const plain = testIo({}, REPO);
    const without = await demo({ ...plain, json: true, skipSynth: true, sink, httpToken: TOKEN });
    expect(without.threads).toBeUndefined();
    expect(sink.api.calls).toHaveLength(0);
  });
});
