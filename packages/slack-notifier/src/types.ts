/**
 * Severity of a {@link NotifiableAlert}; `ok` marks a recovery. Same union as the parser's `AlertSeverity`.
 *
 * @example
 * ```ts
 * const severity: NotifiableSeverity = 'critical';
 * ```
 */
export type NotifiableSeverity = 'critical' | 'warning' | 'info' | 'ok';

/**
 * The alert shape the notifier renders. It is declared here, structurally identical to (a subset of)
 * `Alert` from `@ecs-pulse/cloudmonitor-event-parser`, so every parser `Alert` is assignable to it while this
 * package keeps zero dependencies (not even a type-only one). Only the fields the notifier reads are listed;
 * `raw` and `kind` of the parser's `Alert` are accepted but ignored.
 *
 * @example
 * ```ts
 * const alert: NotifiableAlert = {
 *   id: 'f1b5c3a2-0000-4c1e-9d3f-000000000001',
 *   source: 'cloudmonitor',
 *   product: 'ECS',
 *   name: 'Instance:StateChange',
 *   status: 'Stopped',
 *   severity: 'warning',
 *   resourceId: 'i-bp1example',
 *   region: 'cn-hangzhou',
 *   time: '2021-07-02T06:12:00.490Z',
 *   summary: 'ECS instance i-bp1example is Stopped',
 *   details: { reason: 'user-initiated' },
 * };
 * ```
 */
export interface NotifiableAlert {
  /** Stable id (event id or payload hash). */
  readonly id: string;
  /** The service that delivered the payload, e.g. `cloudmonitor` or `eventbridge`. */
  readonly source?: string;
  /** Product code, e.g. `ECS`. */
  readonly product: string;
  /** Event or alarm name without status suffix, e.g. `Instance:StateChange`. */
  readonly name: string;
  /** Status, e.g. `Stopped`, `ALERT`, `OK`. */
  readonly status: string;
  /** Normalized severity. Unknown values are rendered as `info`. */
  readonly severity: NotifiableSeverity;
  /** Bare resource id (`i-…`, `d-…`, `s-…`), empty when unknown. */
  readonly resourceId: string;
  /** Resource ARN (`acs:ecs:<region>:<account>:instance/i-…`) when known. */
  readonly resourceArn?: string;
  /** Human resource name when known. */
  readonly resourceName?: string;
  /** Region id, e.g. `cn-hangzhou`. */
  readonly region?: string;
  /** Alibaba Cloud account id. */
  readonly accountId?: string;
  /** ISO 8601 UTC time of the event. */
  readonly time: string;
  /** One human line. */
  readonly summary: string;
  /** Remaining flat facts. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * A Block Kit plain-text object (never parsed for mentions or formatting).
 *
 * @example
 * ```ts
 * const t: PlainTextObject = { type: 'plain_text', text: 'Open in console', emoji: true };
 * ```
 */
export interface PlainTextObject {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

/**
 * A Block Kit mrkdwn text object (`*bold*`, `<url|label>`, `<!date^…>`, mentions are parsed).
 *
 * @example
 * ```ts
 * const t: MrkdwnTextObject = { type: 'mrkdwn', text: '*Status*\nStopped' };
 * ```
 */
export interface MrkdwnTextObject {
  type: 'mrkdwn';
  text: string;
  verbatim?: boolean;
}

/**
 * Either Block Kit text object.
 *
 * @example
 * ```ts
 * const t: TextObject = { type: 'mrkdwn', text: 'hello' };
 * ```
 */
export type TextObject = PlainTextObject | MrkdwnTextObject;

/**
 * A link button (the only interactive element the notifier emits; it needs no Slack app).
 *
 * @example
 * ```ts
 * const b: ButtonElement = { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://example.com' };
 * ```
 */
export interface ButtonElement {
  type: 'button';
  text: PlainTextObject;
  url?: string;
  action_id?: string;
  value?: string;
  style?: 'primary' | 'danger';
}

/**
 * An image element inside a context block.
 *
 * @example
 * ```ts
 * const i: ImageElement = { type: 'image', image_url: 'https://example.com/x.png', alt_text: 'x' };
 * ```
 */
export interface ImageElement {
  type: 'image';
  image_url: string;
  alt_text: string;
}

/**
 * Header block: plain text, at most 150 characters.
 *
 * @example
 * ```ts
 * const b: HeaderBlock = { type: 'header', text: { type: 'plain_text', text: 'Alert' } };
 * ```
 */
export interface HeaderBlock {
  type: 'header';
  text: PlainTextObject;
  block_id?: string;
}

/**
 * Section block: `text` up to 3000 characters and/or up to 10 `fields` of up to 2000 characters.
 *
 * @example
 * ```ts
 * const b: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: '*Hi*' } };
 * ```
 */
export interface SectionBlock {
  type: 'section';
  text?: TextObject;
  fields?: TextObject[];
  accessory?: ButtonElement | ImageElement;
  block_id?: string;
}

/**
 * Context block: up to 10 small text or image elements.
 *
 * @example
 * ```ts
 * const b: ContextBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: 'ecs-pulse' }] };
 * ```
 */
export interface ContextBlock {
  type: 'context';
  elements: (TextObject | ImageElement)[];
  block_id?: string;
}

/**
 * Divider block.
 *
 * @example
 * ```ts
 * const b: DividerBlock = { type: 'divider' };
 * ```
 */
export interface DividerBlock {
  type: 'divider';
  block_id?: string;
}

/**
 * Actions block: up to 25 elements (the notifier uses link buttons only).
 *
 * @example
 * ```ts
 * const b: ActionsBlock = { type: 'actions', elements: [] };
 * ```
 */
export interface ActionsBlock {
  type: 'actions';
  elements: ButtonElement[];
  block_id?: string;
}

/**
 * The Block Kit blocks this package emits and checks. Other block types (e.g. `rich_text` from a custom
 * formatter) are passed through, counted against the block limit, and otherwise not checked.
 *
 * @example
 * ```ts
 * const blocks: SlackBlock[] = [{ type: 'divider' }];
 * ```
 */
export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | ActionsBlock;

/**
 * A secondary attachment used only to carry a colour bar around Block Kit `blocks` (Slack has no other way
 * to show a colour). No legacy attachment fields (`fields`, `text`, `pretext`) are emitted.
 *
 * @example
 * ```ts
 * const a: SlackAttachment = { color: '#E01E5A', blocks: [{ type: 'divider' }] };
 * ```
 */
export interface SlackAttachment {
  color?: string;
  blocks?: SlackBlock[];
  fallback?: string;
}

/**
 * An incoming-webhook message. `text` is always set: it is the notification / screen-reader / search text
 * when `blocks` are present.
 *
 * @example
 * ```ts
 * const m: SlackMessage = { text: 'ECS instance i-1 is Stopped', blocks: [] };
 * ```
 */
export interface SlackMessage {
  text: string;
  blocks?: SlackBlock[];
  attachments?: SlackAttachment[];
  unfurl_links?: boolean;
  unfurl_media?: boolean;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
}
