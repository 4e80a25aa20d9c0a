import { describe, expect, it } from 'vitest';
import { jsonErrorPosition } from '../../src/internal/json-error.js';
import { parseDimensions, productFromNamespace } from '../../src/internal/metric-alarm.js';
import { splitStatusSuffix, systemSeverity } from '../../src/internal/system-event.js';
import { toIsoTime } from '../../src/internal/time.js';
import { canonical, DetailsBuilder, MAX_DETAIL_DEPTH, MAX_DETAIL_KEYS, parseResourceRef } from '../../src/internal/util.js';

describe('Function: toIsoTime', () => {
  it.each([
    ['20210702T141200.490+0800', '2021-07-02T06:12:00.490Z'],
    ['20181226T220114.058+0800', '2018-12-26T14:01:14.058Z'],
    ['20210702T001200.490+0800', '2021-07-01T16:12:00.490Z'], // crosses midnight backwards
    ['20210702T141200+0800', '2021-07-02T06:12:00.000Z'],
    ['20210702T141200.490', '2021-07-02T06:12:00.490Z'], // no offset: CloudMonitor's UTC+8
    ['20210702T141200.490Z', '2021-07-02T14:12:00.490Z'],
    ['2019-04-09T04:18:26Z', '2019-04-09T04:18:26.000Z'],
    ['2019-11-11T11:00Z', '2019-11-11T11:00:00.000Z'],
    ['2025-03-10T18:00:19.922+08:00', '2025-03-10T10:00:19.922Z'],
    ['2020-11-19T21:04:42.179PRC', '2020-11-19T13:04:42.179Z'],
    ['2025-03-10T10:00:00', '2025-03-10T10:00:00.000Z'], // no zone: UTC
    ['2025-03-10T10:00:00-05:30', '2025-03-10T15:30:00.000Z'],
    ['1625206675474', '2021-07-02T06:17:55.474Z'],
    ['1508136760', '2017-10-16T06:52:40.000Z'],
    [1625206675474, '2021-07-02T06:17:55.474Z'],
    [1508136760, '2017-10-16T06:52:40.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(toIsoTime(input)).toBe(expected);
  });

  it.each([['20210230T141200.490+0800'], ['2021-13-01T00:00:00Z'], ['yesterday'], [''], [null], [{}], [Number.NaN], [-1], [1e20], ['20210702T141200.490+2500']])(
    'rejects %s',
    (input) => {
      expect(toIsoTime(input)).toBeUndefined();
    },
  );
});

describe('Function: splitStatusSuffix', () => {
  it('removes known status suffixes only', () => {
    expect(splitStatusSuffix('Instance:SystemMaintenance.Reboot:Scheduled')).toEqual({ name: 'Instance:SystemMaintenance.Reboot', suffix: 'Scheduled' });
    expect(splitStatusSuffix('Disk:Stalled:Executed')).toEqual({ name: 'Disk:Stalled', suffix: 'Executed' });
    expect(splitStatusSuffix('Instance:StateChange')).toEqual({ name: 'Instance:StateChange', suffix: undefined });
    expect(splitStatusSuffix('A:B:Custom')).toEqual({ name: 'A:B:Custom', suffix: undefined });
    expect(splitStatusSuffix('Failed')).toEqual({ name: 'Failed', suffix: undefined });
  });
});

describe('Function: systemSeverity', () => {
  it.each([
    ['ECS', 'Instance:StateChange', 'Running', 'INFO', 'info'],
    ['ECS', 'Instance:StateChange', 'Stopped', 'INFO', 'warning'],
    ['ECS', 'Instance:StateChange', 'Stopped', 'CRITICAL', 'critical'],
    ['ECS', 'Instance:SystemMaintenance.Reboot', 'Scheduled', undefined, 'critical'],
    ['ECS', 'Instance:SystemMaintenance.PerformanceImpact', 'Executing', undefined, 'warning'],
    ['ECS', 'Instance:SystemMaintenance.Reboot', 'Executed', 'CRITICAL', 'ok'],
    ['ECS', 'Instance:SystemFailure.Redeploy', 'Executed', 'CRITICAL', 'ok'],
    ['ECS', 'Instance:SystemFailure.Delete', 'Avoided', 'CRITICAL', 'ok'],
    ['ECS', 'Disk:Stalled', 'Executed', 'CRITICAL', 'ok'],
    ['RDS', 'Instance:Whatever', 'Resolved', 'CRITICAL', 'ok'],
    ['RDS', 'Instance:Whatever', 'Normal', 'Warn', 'warning'],
    ['RDS', 'Instance:Whatever', 'Normal', 'bogus', 'info'],
  ] as const)('%s %s %s level %s → %s', (product, name, status, level, expected) => {
    expect(systemSeverity(product, name, status, level, {})).toBe(expected);
  });
});

describe('Function: parseDimensions', () => {
  it('reads Java maps, JSON, objects and name/value arrays into null-prototype records', () => {
    expect({ ...parseDimensions('{instanceId=i-xxx, userId=123}') }).toEqual({ instanceId: 'i-xxx', userId: '123' });
    expect({ ...parseDimensions('{"instanceId":"i-j"}') }).toEqual({ instanceId: 'i-j' });
    expect({ ...parseDimensions({ instanceId: 'i-o' }) }).toEqual({ instanceId: 'i-o' });
    expect({ ...parseDimensions([{ name: 'instanceId', value: 'i-a' }, { device: '/dev/vda' }]) }).toEqual({ instanceId: 'i-a', device: '/dev/vda' });
    const polluted = parseDimensions('{__proto__=x, constructor=y}');
    expect(Object.getPrototypeOf(polluted)).toBeNull();
    expect(Object.keys(polluted)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('maps namespaces to products', () => {
    expect(productFromNamespace('acs_ecs_dashboard')).toBe('ECS');
    expect(productFromNamespace('acs_apigateway')).toBe('ApiGateway');
    expect(productFromNamespace('acs_newthing_dashboard')).toBe('NEWTHING');
    expect(productFromNamespace(undefined)).toBeUndefined();
  });
});

describe('Function: parseResourceRef', () => {
  it('reads ARNs, CloudEvent subjects and bare ids', () => {
    expect(parseResourceRef('acs:ecs:cn-hangzhou:123:instance/i-x')).toEqual({
      id: 'i-x',
      arn: 'acs:ecs:cn-hangzhou:123:instance/i-x',
      product: 'ecs',
      region: 'cn-hangzhou',
      account: '123',
      type: 'instance',
    });
    expect(parseResourceRef('acs.aliyuncvc:cn-hangzhou:{AccountId}:215672')).toEqual({ id: '215672', product: 'aliyuncvc', region: 'cn-hangzhou' });
    expect(parseResourceRef('i-bare')).toEqual({ id: 'i-bare' });
    expect(parseResourceRef('acs:ecs')).toEqual({ arn: 'acs:ecs' });
  });
});

describe('Class: DetailsBuilder', () => {
  it('flattens with dots, caps depth, keys and string length, and never sets a prototype', () => {
    const b = new DetailsBuilder();
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 50; i++) deep = { n: deep };
    b.add('', { a: { b: [1, { c: true }] }, deep, long: 'x'.repeat(10_000), ['__proto__']: 'p', empty: {}, list: [] });
    const out = b.finish();
    expect(out['a.b.0']).toBe(1);
    expect(out['a.b.1.c']).toBe(true);
    expect(out[`deep${'.n'.repeat(MAX_DETAIL_DEPTH - 1)}`]).toBe('[nested too deep]');
    expect((out.long as string).length).toBe(4096);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    expect(out.empty).toBe('{}');
    expect(out.list).toBe('[]');
    expect(out.detailsTruncated).toBe(true);
    const many = new DetailsBuilder();
    many.add('', Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])));
    expect(Object.keys(many.finish())).toHaveLength(MAX_DETAIL_KEYS + 1);
  });

  it('canonical() sorts keys and survives cycles', () => {
    expect(canonical({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(canonical(cyclic)).toContain('"[deep]"');
  });
});

describe('Function: jsonErrorPosition', () => {
  it.each([
    ['{"a": tru}', 6],
    ['{"a":1,}', 7],
    ['[1,2', 4],
    ['{"a" 1}', 5],
    ['{"a":1}}', 7],
    ['{"a":[1,{"b":null}]}', undefined],
  ])('%s → %s', (text, position) => {
    expect(jsonErrorPosition(text)).toBe(position);
  });

  it('handles very deep nesting without recursion', () => {
    expect(jsonErrorPosition('['.repeat(200_000) + ']'.repeat(199_999))).toBe(399_999);
  });
});
