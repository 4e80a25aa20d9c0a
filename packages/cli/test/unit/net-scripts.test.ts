import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { netClientScript, netServerPrepareScript, netServerSampleScript } from '../../src/net-scripts.js';

const hasShellcheck = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).error === undefined;
const required = process.env.ECS_PULSE_REQUIRE_TOOLS === '1';
if (!hasShellcheck && !required) console.warn('[cli] skipping the net script shellcheck test: shellcheck is missing (apt-get install -y shellcheck).');

const scripts = (): Array<[string, string]> => [
  ['prepare', netServerPrepareScript({ port: 5201, count: 3, sockperfPort: 11111 })],
  ['prepare, no latency', netServerPrepareScript({ port: 5201, count: 1 })],
  ['client', netClientScript('20261204T000000Z', 'i-abc', [
    { label: 'bw-up', startAt: 1_800_000_000_000, tool: 'iperf3', args: ['-c', '10.0.0.1', '-p', '5201', '-t', '10', '-J'] },
    { label: 'lat', startAt: 1_800_000_020_000, tool: 'sockperf', args: ['ping-pong', '-i', '10.0.0.1', '-p', '11111', '-t', '10'] },
  ])],
  ['server sampling', netServerSampleScript('10.0.0.1', [{ label: 'bw-up', startAt: 1_800_000_000_000, endAt: 1_800_000_010_000 }])],
];

describe('net run scripts', () => {
  it.runIf(hasShellcheck || required)('pass shellcheck', () => {
    for (const [name, script] of scripts()) {
      const r = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '-'], { input: script, encoding: 'utf8' });
      expect(r.stdout, name).toBe('');
      expect(r.status, name).toBe(0);
    }
  });

  it('schedule each test at an absolute time (epoch ns) and frame when it really started', () => {
    const s = scripts()[2]![1];
    expect(s).toContain('wait_until 1800000000000000000\n');
    expect(s).toContain("echo '@@ECS-PULSE-BEGIN t-bw-up@@'\ndate +%s.%N");
    expect(s).toContain('iperf3 -c 10.0.0.1 -p 5201 -t 10 -J > "/var/tmp/ecs-pulse/net-20261204T000000Z-i-abc-bw-up.json"');
    expect(s).toMatch(/reduce "[^"]+bw-up\.json" 20000/);
  });

  it('refuse anything but plain arguments and addresses (nothing else reaches the shell)', () => {
    expect(() => netClientScript('r', 'i-a', [{ label: 'x', startAt: 0, tool: 'iperf3', args: ['-c', '1.2.3.4;reboot'] }])).toThrow(/unsafe argument/);
    expect(() => netServerSampleScript('$(reboot)', [])).toThrow(/unsafe address/);
  });

  it('the sampling script prints the interface of the address and parsable snapshots (run here on loopback)', async () => {
    const now = Date.now();
    const r = spawnSync('bash', ['-c', netServerSampleScript('127.0.0.1', [{ label: 'w', startAt: now + 100, endAt: now + 400 }])], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { readFrames } = await import('../../src/remote-scripts.js');
    const { hostRates, parseHostSnapshot } = await import('@ecs-pulse/stress-host/parsers');
    const frames = readFrames(r.stdout);
    expect(frames.find((f) => f.label === 'iface')?.payload.trim()).toBe('lo');
    const a = parseHostSnapshot(frames.find((f) => f.label === 'snap-w-start')!.payload);
    const b = parseHostSnapshot(frames.find((f) => f.label === 'snap-w-end')!.payload);
    expect(a.timeSeconds * 1000).toBeGreaterThanOrEqual(now + 100);
    expect(hostRates(a, b).seconds).toBeGreaterThan(0.25);
  });
});

describe('net run reduce (python3 on the host)', () => {
  it.runIf(spawnSync('python3', ['--version'], { stdio: 'ignore' }).error === undefined)(
    'keeps every interval of a 60-second, 4-stream iperf3 JSON within a 10 KB budget, parsable',
    async () => {
      const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const path = await import('node:path');
      const { REDUCE_FN } = await import('../../src/net-scripts.js');
      const { parseIperf3 } = await import('@ecs-pulse/stress-host/parsers');
      const real = JSON.parse(readFileSync(new URL('../fixtures/iperf3-3.12-tcp.json', import.meta.url), 'utf8'));
      const [first] = real.intervals;
      // a real interval, four streams, sixty seconds
      real.intervals = Array.from({ length: 60 }, (_, i) => ({
        streams: Array.from({ length: 4 }, () => ({ ...first.streams[0], start: i, end: i + 1 })),
        sum: { ...first.sum, start: i + 0.000123456789, end: i + 1.000123456789 },
      }));
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'ecs-pulse-reduce-')), 'big.json');
      writeFileSync(file, JSON.stringify(real, null, '\t'));
      expect(readFileSync(file).length).toBeGreaterThan(60_000);
      const r = spawnSync('bash', ['-c', `${REDUCE_FN}\nreduce "$1" 10000`, 'reduce', file], { encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.length).toBeLessThan(10_000);
      const parsed = parseIperf3(r.stdout);
      expect(parsed.intervals).toHaveLength(60);
      expect(parsed.intervals[59]?.bytes).toBe(first.sum.bytes);
      expect(parsed.receivedBitsPerSecond).toBe(Math.round(real.end.sum_received.bits_per_second));
      expect(parsed.intervals.every((i) => !i.omitted)).toBe(true);
    },
  );
});
