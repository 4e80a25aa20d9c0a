import { describe, expect, it } from 'vitest';
import { HOST_SNAPSHOT_COMMAND, cpuUtilisation, hostRates, parseHostSnapshot, parseNetDev, parseProcStat } from '../../src/parsers.js';
import { fixtureJson, fixtureText } from '../helpers/fixtures.js';

describe('host counters (/proc/net/dev, /proc/stat snapshots from a real namespace test)', () => {
  it('parses /proc/net/dev interface lines', () => {
    const ifs = parseNetDev(fixtureText('counters/proc-net-dev-after.txt'));
    expect(ifs.map((i) => i.interface)).toEqual(['lo', 'epfx-vs']);
    expect(ifs[1]).toMatchObject({ rxBytes: 89254164, rxPackets: 842023, rxErrors: 0, rxDropped: 0, txBytes: 1916, txPackets: 21 });
  });

  it('parses the /proc/stat cpu line and computes utilisation', () => {
    const a = parseProcStat(fixtureText('counters/proc-stat-before.txt'));
    const b = parseProcStat(fixtureText('counters/proc-stat-after.txt'));
    expect(b.user).toBe(9450);
    expect(b.totalTicks).toBe(9450 + 0 + 4639 + 43040 + 314 + 0 + 442 + 103);
    const u = cpuUtilisation(a, b);
    expect(u).toBeGreaterThan(0);
    expect(u).toBeLessThanOrEqual(100);
    expect(u).toBeCloseTo(((b.totalTicks - a.totalTicks - (b.idleTicks - a.idleTicks)) / (b.totalTicks - a.totalTicks)) * 100, 10);
    expect(() => cpuUtilisation(b, b)).toThrow(expect.objectContaining({ code: 'INVALID_COUNTERS' }));
  });

  it('server rx pps over the window is what arrived, at most what the senders sent', () => {
    const before = parseHostSnapshot(fixtureText('counters/snapshot-before.txt'));
    const after = parseHostSnapshot(fixtureText('counters/snapshot-after.txt'));
    const r = hostRates(before, after);
    expect(r.busiest?.interface).toBe('epfx-vs');
    const sent = fixtureJson('counters/iperf3-3.12-udp-64B-P2.json').end.sum.packets as number;
    expect(r.busiest?.rxPackets).toBe(after.interfaces[1]!.rxPackets - before.interfaces[1]!.rxPackets);
    // the UDP datagrams plus a few control-connection packets
    expect(r.busiest!.rxPackets).toBeGreaterThanOrEqual(sent);
    expect(r.busiest!.rxPackets).toBeLessThan(sent + 100);
    expect(r.busiest!.rxPps).toBeCloseTo(r.busiest!.rxPackets / (after.timeSeconds - before.timeSeconds), 6);
    expect(r.cpuPercent).toBeGreaterThan(0);
    expect(r.memoryUsedPercent).toBeGreaterThan(0);
    expect(r.memoryUsedPercent).toBeLessThan(100);
  });

  it('rejects reversed windows, reset counters and non-snapshots', () => {
    const a = parseHostSnapshot(fixtureText('counters/snapshot-before.txt'));
    const b = parseHostSnapshot(fixtureText('counters/snapshot-after.txt'));
    expect(() => hostRates(b, a)).toThrow(expect.objectContaining({ code: 'INVALID_COUNTERS', message: expect.stringContaining('window') }));
    const reset = { ...b, interfaces: b.interfaces.map((i) => ({ ...i, rxPackets: 0 })) };
    expect(() => hostRates(a, reset)).toThrow(expect.objectContaining({ code: 'INVALID_COUNTERS', message: expect.stringContaining('went backwards') }));
    expect(() => parseHostSnapshot('cpu 1 2 3 4')).toThrow(expect.objectContaining({ code: 'INVALID_COUNTERS' }));
    expect(() => parseNetDev('nothing')).toThrow(expect.objectContaining({ code: 'INVALID_COUNTERS' }));
    expect(() => parseProcStat(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('the snapshot command is plain bash that prints a parsable snapshot here', async () => {
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('bash', ['-c', HOST_SNAPSHOT_COMMAND], { encoding: 'utf8' });
    const s = parseHostSnapshot(text);
    expect(s.interfaces.some((i) => i.interface === 'lo')).toBe(true);
    expect(s.cpu?.totalTicks).toBeGreaterThan(0);
    expect(Math.abs(s.timeSeconds - Date.now() / 1000)).toBeLessThan(5);
    expect(Buffer.byteLength(text)).toBeLessThan(4096);
  });
});

describe('cpuUtilisation regression', () => {
  it('refuses readings where one field went backwards (it would give a utilisation outside 0-100)', () => {
    const a = parseProcStat('cpu  100 0 100 1000 0 0 0 0 0 0');
    // user went down by 50 while idle rose by 60: total +10, idle +60 → -500 % before the check
    const b = parseProcStat('cpu  50 0 100 1060 0 0 0 0 0 0');
    expect(() => cpuUtilisation(a, b)).toThrow(expect.objectContaining({ code: 'INVALID_COUNTERS', message: expect.stringContaining('user went backwards') }));
  });
});
