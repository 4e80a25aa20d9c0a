import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResultParseError, parseIperf3, parseStressNg } from '../../src/index.js';
import { needTools } from '@ecs-pulse/test-tools';
import { freePort, run, startIperf3Server } from '../helpers/tools.js';

const iperf = needTools(['iperf3']);
const stressNg = needTools(['stress-ng']);

/** Run one iperf3 client against a fresh one-off server and return the stdout and the tool's own JSON. */
async function iperf3Run(args: readonly string[]): Promise<{ stdout: string; raw: any; code: number }> {
  const server = await startIperf3Server();
  try {
    const r = await run('iperf3', ['-c', '127.0.0.1', '-p', String(server.port), '-J', ...args]);
    return { stdout: r.stdout, raw: JSON.parse(r.stdout), code: r.code };
  } finally {
    server.stop();
  }
}

iperf.describe('Real iperf3 on loopback', () => {
  it('TCP, one stream', async () => {
    const { stdout, raw, code } = await iperf3Run(['-t', '1']);
    expect(code).toBe(0);
    const r = parseIperf3(stdout);
    expect(r).toMatchObject({
      protocol: 'TCP',
      streams: 1,
      reverse: false,
      version: raw.start.version,
      durationSeconds: raw.end.sum_sent.seconds,
      sentBitsPerSecond: raw.end.sum_sent.bits_per_second,
      receivedBitsPerSecond: raw.end.sum_received.bits_per_second,
      sentBytes: raw.end.sum_sent.bytes,
      receivedBytes: raw.end.sum_received.bytes,
      retransmits: raw.end.sum_sent.retransmits,
    });
    expect(r.receivedBitsPerSecond).toBeGreaterThan(0);
    expect(r.intervals.map((i) => i.bitsPerSecond)).toEqual(raw.intervals.map((i: any) => i.sum.bits_per_second));
  });

  it('TCP reverse (-R)', async () => {
    const { stdout, raw } = await iperf3Run(['-t', '1', '-R']);
    const r = parseIperf3(stdout);
    expect(r.reverse).toBe(true);
    expect(raw.start.test_start.reverse).toBe(1);
    expect(r.sentBitsPerSecond).toBe(raw.end.sum_sent.bits_per_second);
    expect(r.receivedBitsPerSecond).toBe(raw.end.sum_received.bits_per_second);
    expect(r.retransmits).toBe(raw.end.sum_sent.retransmits);
  });

  it('TCP with parallel streams (-P 2)', async () => {
    const { stdout, raw } = await iperf3Run(['-t', '1', '-P', '2']);
    const r = parseIperf3(stdout);
    expect(r.streams).toBe(2);
    expect(raw.end.streams).toHaveLength(2);
    expect(r.sentBytes).toBe(raw.end.sum_sent.bytes);
    expect(r.receivedBitsPerSecond).toBe(raw.end.sum_received.bits_per_second);
    expect(r.intervals.map((i) => i.bytes)).toEqual(raw.intervals.map((i: any) => i.sum.bytes));
  });

  it('UDP with a bandwidth (-u -b 10M)', async () => {
    const { stdout, raw } = await iperf3Run(['-t', '1', '-u', '-b', '10M']);
    const r = parseIperf3(stdout);
    const received = raw.end.sum_received ?? raw.end.sum;
    expect(r).toMatchObject({
      protocol: 'UDP',
      targetBitsPerSecond: 10_000_000,
      jitterMs: received.jitter_ms,
      lostPackets: received.lost_packets,
      lostPercent: received.lost_percent,
      receivedBitsPerSecond: received.bits_per_second,
    });
    expect(r.retransmits).toBeUndefined();
    // 10 Mbit/s requested: the sender holds the rate within a few percent on loopback
    expect(r.sentBitsPerSecond).toBeGreaterThan(8e6);
    expect(r.sentBitsPerSecond).toBeLessThan(12e6);
  });

  it('a refused connection becomes IPERF3_ERROR carrying iperf3\'s message', async () => {
    // Prepare: a port nobody listens on
    const port = await freePort();

    // Act
    const r = await run('iperf3', ['-c', '127.0.0.1', '-p', String(port), '-t', '1', '-J']);
    const raw = JSON.parse(r.stdout);
    const version = /iperf (\d+)\.(\d+)/.exec(raw.start.version) ?? [];
    const beforeFix = Number(version[1]) === 3 && Number(version[2]) < 14;

    // Assess: before 3.14 iperf3 exits 0 with -J on failure (esnet/iperf PR #1523), later 1
    expect(r.code).toBe(beforeFix ? 0 : 1);
    expect(raw.error).toMatch(/Connection refused/);
    let caught: unknown;
    try {
      parseIperf3(r.stdout);
    } catch (err) {
      caught = err;
    }
    expect(ResultParseError.isResultParseError(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'IPERF3_ERROR',
      toolMessage: raw.error,
      message: expect.stringContaining(`iperf3 reported an error: "${raw.error}"`),
    });
  });
});

stressNg.describe('Real stress-ng', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stress-host-sng-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('several stressors (--cpu 1 --vm 1) with --metrics-brief --yaml', async () => {
    // Act
    const r = await run(
      'stress-ng',
      ['--cpu', '1', '--vm', '1', '--vm-bytes', '32M', '-t', '2', '--metrics-brief', '--times', '--yaml', 'out.yaml'],
      { cwd: dir, timeoutMs: 30_000 },
    );
    const yaml = readFileSync(join(dir, 'out.yaml'), 'utf8');
    const parsed = parseStressNg(yaml);

    // Assess: exit 0, and every number equals the value stress-ng wrote (read back from the text)
    expect(r.code, r.stderr).toBe(0);
    expect(parsed.metrics.map((m) => m.stressor)).toEqual(['cpu', 'vm']);
    const values = (stressor: string): Record<string, string> => {
      const block = new RegExp(`- stressor: ${stressor}\\n((?:\\s{6}[\\w-]+: .*\\n)+)`).exec(yaml)?.[1] ?? '';
      return Object.fromEntries([...block.matchAll(/([\w-]+): (.*)/g)].map((m) => [m[1], m[2]]));
    };
    for (const m of parsed.metrics) {
      const v = values(m.stressor);
      expect(m.bogoOps).toBe(Number(v['bogo-ops']));
      expect(m.bogoOpsPerSecondReal).toBe(Number(v['bogo-ops-per-second-real-time']));
      expect(m.bogoOpsPerSecondUsrSys).toBe(Number(v['bogo-ops-per-second-usr-sys-time']));
      expect(m.wallClockSeconds).toBe(Number(v['wall-clock-time']));
      expect(m.userTimeSeconds).toBe(Number(v['user-time']));
      expect(m.systemTimeSeconds).toBe(Number(v['system-time']));
      expect(m.bogoOps).toBeGreaterThan(0);
      expect(m.wallClockSeconds).toBeGreaterThan(1.5);
    }
    expect(parsed.version).toBe(/stress-ng-version: (.*)/.exec(yaml)?.[1]);
    expect(parsed.date).toBe(/date-yyyy-mm-dd: (.*)/.exec(yaml)?.[1]);
    expect(parsed.epochSeconds).toBe(Number(/epoch-secs: (.*)/.exec(yaml)?.[1]));
    expect(parsed.times?.runTimeSeconds).toBe(Number(/run-time: (.*)/.exec(yaml)?.[1]));
  });
});
