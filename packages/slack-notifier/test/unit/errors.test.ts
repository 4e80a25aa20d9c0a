import { describe, expect, it } from 'vitest';
import { SlackNotifierError, SlackWebhookError } from '../../src/index.js';

describe('Class: SlackNotifierError', () => {
  it('carries code, cause and a brand that survives duplicate copies', () => {
    const cause = new RangeError('inner');
    const error = new SlackNotifierError('INVALID_OPTIONS', 'bad options', { cause });
    expect(error).toMatchObject({ name: 'SlackNotifierError', code: 'INVALID_OPTIONS', package: '@ecs-pulse/slack-notifier', cause, message: 'bad options (cause: RangeError: inner)' });
    expect(SlackNotifierError.isSlackNotifierError(error)).toBe(true);
    expect(SlackWebhookError.isSlackWebhookError(error)).toBe(false);
    // A look-alike from another copy of the package is recognised by the Symbol.for brand, not instanceof.
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('@ecs-pulse/slack-notifier.SlackNotifierError'), { value: true });
    expect(SlackNotifierError.isSlackNotifierError(foreign)).toBe(true);
    expect(SlackNotifierError.isSlackNotifierError({ code: 'INVALID_OPTIONS' })).toBe(false);
    expect(SlackNotifierError.isSlackNotifierError(null)).toBe(false);
  });

  it('SlackWebhookError is a SlackNotifierError with delivery details', () => {
    const error = new SlackWebhookError({ code: 'channel_not_found', status: 404, attempts: 1, retryable: false, webhook: 'https://hooks.slack.com/…' }, 'gone');
    expect(error).toMatchObject({ name: 'SlackWebhookError', code: 'channel_not_found', status: 404, attempts: 1, retryable: false, webhook: 'https://hooks.slack.com/…' });
    expect(SlackNotifierError.isSlackNotifierError(error)).toBe(true);
    expect(SlackWebhookError.isSlackWebhookError(error)).toBe(true);
  });
});
