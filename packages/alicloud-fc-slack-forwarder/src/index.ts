/**
 * `@ecs-pulse/alicloud-fc-slack-forwarder`: the `SlackForwarder` cdktf construct. The Function Compute
 * function it deploys is published separately as the subpath `@ecs-pulse/alicloud-fc-slack-forwarder/function`
 * (self-contained CommonJS, with the HTTP-trigger request path and the bot-token route code in two files beside
 * it, loaded only when needed); the zip the construct deploys is `dist/function.zip`, holding all three.
 *
 * @packageDocumentation
 */
export { EVENTBRIDGE_SEND_TO_FC_ROLE, SlackForwarder } from './construct/slack-forwarder.js';
export type { AsyncInvokeProps, EventLevel, EventSourceProps, LogsProps, SelfMonitoringProps, SlackForwarderProps } from './construct/props.js';
export { SLACK_FORWARDER_OUTPUTS } from './construct/outputs.js';
export type { SlackForwarderOutputKey } from './construct/outputs.js';
export { functionArchivePath } from './construct/asset.js';
export { loadConfig } from './function/config.js';
export type { AlertMatcher, ConfigResult, ForwarderConfig, ForwarderJsonConfig, MessageOptions, ResolvedRoute, RouteConfig } from './function/config.js';
export { DeliveryError, ForwarderConfigError, SlackForwarderError, SlackForwarderPropsError } from './errors.js';
export type { RouteFailure, SlackForwarderErrorCode } from './errors.js';
