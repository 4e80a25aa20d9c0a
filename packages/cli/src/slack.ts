import { CliError } from './errors.js';
import { registerSecret } from './redact.js';

/**
 * The webhook to post to: `--slack <url>`, or `--slack` alone with `ECS_PULSE_SLACK_WEBHOOK_URL`.
 * Nothing is posted unless `--slack` is given. @internal
 */
export function slackUrl(option: string | boolean | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (option === undefined || option === false) return undefined;
  const url = typeof option === 'string' && option !== '' ? option : env.ECS_PULSE_SLACK_WEBHOOK_URL;
  if (url === undefined || url === '') {
    throw new CliError('USAGE', '--slack needs a webhook URL: pass --slack <url> or set ECS_PULSE_SLACK_WEBHOOK_URL.');
  }
  registerSecret(url);
  return url;
}

/**
 * Check a webhook URL by the notifier's own rules (it owns them) before any work starts, so a bad
 * `--slack`/`--webhook` is a usage error (exit 2) and not a failure after the test ran. The URL is not echoed.
 * @internal
 */
export async function checkWebhookUrl(url: string, option: string): Promise<void> {
  registerSecret(url);
  const { SlackWebhook } = await import('@ecs-pulse/slack-notifier');
  let hook: { close?: () => void } | undefined;
  try {
    hook = new SlackWebhook(url) as { close?: () => void };
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.replace(/^Slack webhook URL is invalid: /, '') : String(cause);
    throw new CliError('USAGE', `--${option} is not a usable Slack webhook URL: ${why}`, { cause, showCause: false });
  } finally {
    hook?.close?.();
  }
}

/**
 * Post a test summary (a header, one mrkdwn section of lines, a context line) through the notifier's
 * webhook client (retries, 429 handling). The URL is never printed.
 * @internal
 */
export async function postSummary(url: string, title: string, lines: readonly string[], context: string): Promise<void> {
  registerSecret(url);
  const { SlackWebhook } = await import('@ecs-pulse/slack-notifier');
  const text = lines.join('\n').slice(0, 2900);
  const message = {
    text: `${title}\n${lines.join('\n')}`.slice(0, 3000),
    blocks: [
      { type: 'header' as const, text: { type: 'plain_text' as const, text: title.slice(0, 150) } },
      { type: 'section' as const, text: { type: 'mrkdwn' as const, text: text || '_no results_' } },
      { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: context.slice(0, 2000) }] },
    ],
  };
  const hook = new SlackWebhook(url, { deadlineMs: 20_000 });
  try {
    await hook.send(message);
  } catch (cause) {
    throw new CliError('SLACK_FAILED', `Posting the summary to Slack failed. Check the webhook URL (not shown).`, { cause });
  } finally {
    (hook as { close?: () => void }).close?.();
  }
}
