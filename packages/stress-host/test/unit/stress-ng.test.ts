import { describe, expect, it } from 'vitest';
import { ResultParseError, parseStressNg, safeParseStressNg } from '../../src/index.js';
import { fixtureText } from '../helpers/fixtures.js';

function parseError(fn: () => unknown): ResultParseError {
  try {
    fn();
  } catch (err) {
    if (ResultParseError.isResultParseError(err)) return err;
    throw new Error(`expected a ResultParseError, got ${String(err)}`);
  }
  throw new Error('expected a ResultParseError, nothing was thrown');
}

describe('Method: parseStressNg', () => {
  it('parses stress-ng 0.15.06 --yaml with two stressors and --times', () => {
    // Act
    const r = parseStressNg(fixtureText('stress-ng/stress-ng-0.15.06.yaml'));

    // Assess
    expect(r).toMatchObject({
      version: '0.15.06',
      hostname: 'vm',
      date: '2026:11:24',
      time: '18:23:38',
      epochSeconds: 1795544618,
      cpus: 2,
      cpusOnline: 2,
    });
    expect(r.systemInfo['version']).toBe('#1 SMP PREEMPT_DYNAMIC @0');
    expect(r.systemInfo['totalram']).toBe('25276063744');
    expect(r.metrics).toEqual([
      {
        stressor: 'cpu',
        bogoOps: 3684,
        bogoOpsPerSecondUsrSys: 931.839153,
        bogoOpsPerSecondReal: 1226.7739,
        wallClockSeconds: 3.002998,
        userTimeSeconds: 3.953472,
        systemTimeSeconds: 0,
        cpuUsagePerInstancePercent: 65.825411,
        maxRssKiB: 3200,
        extra: {},
      },
      {
        stressor: 'vm',
        bogoOps: 77172,
        bogoOpsPerSecondUsrSys: 37577.385399,
        bogoOpsPerSecondReal: 25637.035584,
        wallClockSeconds: 3.010176,
        userTimeSeconds: 1.00748,
        systemTimeSeconds: 1.046202,
        cpuUsagePerInstancePercent: 68.224639,
        maxRssKiB: 67696,
        extra: {},
      },
    ]);
    expect(r.times).toEqual({
      runTimeSeconds: 3.015026,
      availableCpuTimeSeconds: 6.030052,
      userTimeSeconds: 4.96,
      systemTimeSeconds: 1.04,
      totalTimeSeconds: 6,
      userTimePercent: 82.254684,
      systemTimePercent: 17.24695,
      totalTimePercent: 99.501634,
      loadAverage1m: 0.411133,
      loadAverage5m: 0.265137,
      loadAverage15m: 0.136719,
    });
  });

  it('leaves times undefined without --times', () => {
    const r = parseStressNg(fixtureText('stress-ng/stress-ng-0.15.06-cpu-vm.yaml'));
    expect(r.times).toBeUndefined();
    expect(r.metrics.map((m) => m.stressor)).toEqual(['cpu', 'vm']);
  });

  it('reads --sn (%e) numbers, stressor-specific metrics and nan, and ignores interrupts/perfstats', () => {
    // Prepare: the 0.16/0.17 layout (compiler key, misc metrics, interrupts section)
    const yaml = [
      '---',
      'system-info:',
      '      stress-ng-version: 0.17.08',
      '      date-yyyy-mm-dd: 2026:01:02',
      '      time-hh-mm-ss: 03:04:05',
      '      epoch-secs: 1767322845',
      '      hostname: 1e3',
      '',
      'metrics:',
      '    - stressor: cpu',
      '      bogo-ops: 3684',
      '      bogo-ops-per-second-usr-sys-time: 9.318392e+02',
      '      bogo-ops-per-second-real-time: 1.226774e+03',
      '      wall-clock-time: 3.002998e+00',
      '      user-time: 3.953472e+00',
      '      system-time: 0.000000e+00',
      '      cpu-usage-per-instance: nan',
      '      max-rss: 3200',
      '      matrix-multiplications-per-second: 1.234500e+04',
      '      method: matrixprod',
      '',
      'interrupts:',
      '    - stressor: cpu',
      '      local-timer-interrupts: 1234.0',
      '...',
    ].join('\n');

    // Act
    const r = parseStressNg(yaml);

    // Assess
    expect(r.version).toBe('0.17.08');
    expect(r.hostname).toBe('1e3');
    const [cpu] = r.metrics;
    expect(cpu?.bogoOpsPerSecondReal).toBe(1226.774);
    expect(cpu?.bogoOpsPerSecondUsrSys).toBe(931.8392);
    expect(cpu?.cpuUsagePerInstancePercent).toBeNaN();
    expect(cpu?.extra).toEqual({ 'matrix-multiplications-per-second': 12345, method: 'matrixprod' });
  });

  it('keeps YAML 1.1 sexagesimal-looking dates as strings', () => {
    const r = parseStressNg(fixtureText('stress-ng/stress-ng-0.15.06.yaml'));
    expect(typeof r.date).toBe('string');
    expect(typeof r.time).toBe('string');
    expect(r.systemInfo['date-yyyy-mm-dd']).toBe('2026:11:24');
  });
});

describe('Method: parseStressNg errors', () => {
  it('rejects the text (stderr) output with INVALID_YAML and points at --yaml', () => {
    const err = parseError(() => parseStressNg(fixtureText('stress-ng/stress-ng-0.15.06.stderr.txt')));
    expect(err).toMatchObject({ name: 'ResultParseError', code: 'INVALID_YAML' });
    expect(err.message).toContain("stress-ng's text output");
    expect(err.message).toContain('--yaml <file>');
  });

  it('reports MISSING_METRICS when run without --metrics-brief', () => {
    const yaml = fixtureText('stress-ng/stress-ng-0.15.06.yaml').replace(/\nmetrics:[\s\S]*?\nthermal-zones:/, '\nthermal-zones:');
    const err = parseError(() => parseStressNg(yaml));
    expect(err.code).toBe('MISSING_METRICS');
    expect(err.message).toContain('only with --metrics-brief or --metrics');
  });

  it('reports MISSING_METRICS for an empty metrics section', () => {
    const err = parseError(() => parseStressNg('---\nsystem-info:\n  cpus: 2\nmetrics:\n...\n'));
    expect(err.code).toBe('MISSING_METRICS');
    expect(err.message).toContain('no stressor completed any bogo operation');
  });

  it('reports INVALID_YAML with the parser message', () => {
    const err = parseError(() => parseStressNg('metrics: [\n  - a: b\n  bad: {'));
    expect(err.code).toBe('INVALID_YAML');
    expect(err.message).toMatch(/^The stress-ng output is not valid YAML: /);
  });

  it.each([
    ['- a\n- b\n', 'The YAML document is a list'],
    ['just text', 'The YAML document is not a mapping'],
    ['system-info: x\nmetrics:\n  - stressor: cpu\n', 'system-info is "x", expected a mapping'],
    ['metrics: cpu\n', 'metrics is not a list'],
    ['metrics:\n  - bogo-ops: 1\n', 'metrics[0].stressor is missing'],
    ['metrics:\n  - stressor: cpu\n', 'metrics[0].bogo-ops is missing'],
    ['metrics:\n  - stressor: cpu\n    bogo-ops: lots\n', 'metrics[0].bogo-ops is "lots", expected a number'],
    ['metrics:\n  - stressor: cpu\n    bogo-ops: [1]\n', 'metrics[0].bogo-ops is a list, expected a single value'],
  ])('rejects %j: %s', (yaml, text) => {
    const err = parseError(() => parseStressNg(yaml));
    expect(err.code).toBe('INVALID_STRESS_NG_RESULT');
    expect(err.message).toContain(text);
  });

  it('rejects non-string and empty input with INVALID_INPUT', () => {
    expect(parseError(() => parseStressNg(42 as unknown as string))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('expects the YAML as a string, got number'),
    });
    expect(parseError(() => parseStressNg('\n'))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('the YAML file is empty'),
    });
  });
});

describe('Method: safeParseStressNg', () => {
  it('returns data or the error', () => {
    const ok = safeParseStressNg(fixtureText('stress-ng/stress-ng-0.15.06.yaml'));
    expect(ok.success && ok.data.metrics.length).toBe(2);
    const bad = safeParseStressNg('metrics: cpu');
    expect(bad.success === false && bad.error.code).toBe('INVALID_STRESS_NG_RESULT');
  });
});
