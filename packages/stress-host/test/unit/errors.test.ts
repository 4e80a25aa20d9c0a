import { describe, expect, it } from 'vitest';
import { ResultParseError, StressHostError } from '../../src/index.js';

describe('Class: StressHostError', () => {
  it('carries name, code, issues and cause', () => {
    const cause = new Error('root');
    const err = new StressHostError('INVALID_PROPS', 'props.allowedCidrs: bad', { cause, issues: ['props.allowedCidrs: bad'] });
    expect(err).toMatchObject({ name: 'StressHostError', code: 'INVALID_PROPS', issues: ['props.allowedCidrs: bad'], cause });
    expect(err).toBeInstanceOf(Error);
    expect(StressHostError.isStressHostError(err)).toBe(true);
    expect(ResultParseError.isResultParseError(err)).toBe(false);
  });

  it('checks the brand, not instanceof', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@ecs-pulse/stress-host.StressHostError')]: true });
    expect(StressHostError.isStressHostError(foreign)).toBe(true);
    expect(StressHostError.isStressHostError(new Error('x'))).toBe(false);
    expect(StressHostError.isStressHostError(null)).toBe(false);
    expect(StressHostError.isStressHostError('StressHostError')).toBe(false);
  });
});

describe('Class: ResultParseError', () => {
  it('is a StressHostError with a toolMessage', () => {
    const err = new ResultParseError('IPERF3_ERROR', 'iperf3 reported an error', { toolMessage: 'busy' });
    expect(err).toMatchObject({ name: 'ResultParseError', code: 'IPERF3_ERROR', toolMessage: 'busy', issues: [] });
    expect(err.cause).toBeUndefined();
    expect(ResultParseError.isResultParseError(err)).toBe(true);
    expect(StressHostError.isStressHostError(err)).toBe(true);
  });
});
