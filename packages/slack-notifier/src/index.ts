export { AlertDigestQueue } from './digest-queue.js';
export type { AlertDigestQueueOptions, DigestDelivery, DigestReport } from './digest-queue.js';
export { DEFAULT_ECS_CONSOLE, ecsConsoleUrl } from './console-links.js';
export { SlackApiError, SlackNotifierError, SlackWebhookError } from './errors.js';
export type { SlackNotifierErrorCode, SlackWebhookErrorCode } from './errors.js';
export { fitSlackMessage, SLACK_LIMITS, validateSlackMessage } from './limits.js';
export type { SlackLimitViolation } from './limits.js';
export { escapeMrkdwn, slackDate } from './mrkdwn.js';
export { RateLimitedSender } from './rate-limit.js';
export type { RateLimitedSenderOptions, SenderStats, SendOutcome } from './rate-limit.js';
export { DEFAULT_FIELDS, SEVERITY_STYLE, toSlackMessage, toSlackMessages, validateMessageOptions } from './render.js';
export type { AlertField, FormatterContext, MentionMap, SlackFormatter, SlackMessagePart, ToSlackMessageOptions } from './render.js';
export { blockKitBuilderUrl, formatMessageAsText } from './terminal.js';
export type { FormatAsTextOptions } from './terminal.js';
export type {
  ActionsBlock,
  ButtonElement,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  ImageElement,
  MrkdwnTextObject,
  NotifiableAlert,
  NotifiableSeverity,
  PlainTextObject,
  SectionBlock,
  SlackAttachment,
  SlackBlock,
  SlackMessage,
  TextObject,
} from './types.js';
export { SlackWebhook } from './webhook.js';
export type { SlackSendResult, SlackTransport, SlackWebhookOptions } from './webhook.js';
export { SLACK_API_URL, SlackWebApi } from './web-api.js';
export type {
  SlackCallOptions,
  SlackHistoryArgs,
  SlackHistoryMessage,
  SlackHistoryPage,
  SlackMessageMetadata,
  SlackPostMessageArgs,
  SlackUpdateArgs,
  SlackWebApiClient,
  SlackWebApiOptions,
} from './web-api.js';
export { ALERT_EVENT_TYPE, lifecycleKey, SlackThreads } from './threads.js';
export type { LifecycleAlert, SlackThreadsOptions, ThreadDelivery, ThreadNote, ThreadReport } from './threads.js';
