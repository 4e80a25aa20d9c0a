import type { SlackBlock, SlackMessage, TextObject } from './types.js';

/**
 * Options of {@link formatMessageAsText}.
 *
 * @example
 * ```ts
 * const options: FormatAsTextOptions = { color: process.stdout.isTTY, timeZone: 'UTC' };
 * ```
 */
export interface FormatAsTextOptions {
  /**
   * Use ANSI styles (bold, dim, the attachment colour bar in 24-bit colour).
   * @default false
   */
  readonly color?: boolean;
  /**
   * Time zone for `<!date^…>` tokens (an IANA name).
   * @default 'UTC' (stable output; pass your zone for local time)
   */
  readonly timeZone?: string;
}

const ESC = '\u001b[';
const style = (on: boolean, open: string, text: string): string => (on ? `${ESC}${open}m${text}${ESC}0m` : text);

function hexToAnsi(hex: string | undefined): string | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex ?? '');
  if (!m) return undefined;
  const n = Number.parseInt(m[1]!, 16);
  return `38;2;${(n >> 16) & 255};${(n >> 8) & 255};${n & 255}`;
}

function formatDate(unix: number, fallback: string, timeZone: string): string {
  try {
    const d = new Date(unix * 1000);
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(d);
    const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')} ${timeZone}`;
  } catch {
    return fallback;
  }
}

/** Renders mrkdwn for a terminal: tokens resolved, entities unescaped, `*bold*` styled. */
function mrkdwnToText(text: string, color: boolean, timeZone: string): string {
  let out = text.replace(/<([^<>]*)>/g, (_all, inner: string) => {
    const date = /^!date\^(\d+)\^[^|]*(?:\|(.*))?$/.exec(inner);
    if (date) return formatDate(Number(date[1]), date[2] ?? '', timeZone);
    if (inner.startsWith('!')) {
      const [token, label] = inner.slice(1).split('|');
      return `@${label ?? token?.split('^')[0] ?? ''}`;
    }
    if (inner.startsWith('@') || inner.startsWith('#')) return inner.split('|')[0] ?? inner;
    const [url, label] = inner.split('|');
    return label ? `${label} (${url})` : (url ?? '');
  });
  out = out.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, (_all, pre: string, body: string) => pre + style(color, '1', body));
  return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function textOf(t: TextObject, color: boolean, timeZone: string): string {
  return t.type === 'mrkdwn' ? mrkdwnToText(t.text, color, timeZone) : t.text;
}

function renderBlock(block: SlackBlock, color: boolean, timeZone: string): string[] {
  switch (block.type) {
    case 'header':
      return [style(color, '1', block.text.text)];
    case 'section': {
      const lines: string[] = [];
      if (block.text) lines.push(...textOf(block.text, color, timeZone).split('\n'));
      if (block.fields) {
        for (const f of block.fields) {
          const [label, ...rest] = textOf(f, color, timeZone).split('\n');
          lines.push(rest.length ? `${label}: ${rest.join(' ')}` : (label ?? ''));
        }
      }
      if (block.accessory?.type === 'button') lines.push(`[${block.accessory.text.text}]${block.accessory.url ? ` ${block.accessory.url}` : ''}`);
      return lines;
    }
    case 'context':
      return [style(color, '2', block.elements.map((e) => (e.type === 'image' ? `[${e.alt_text}]` : textOf(e, false, timeZone))).join('  '))];
    case 'divider':
      return [style(color, '2', '─'.repeat(40))];
    case 'actions':
      return block.elements.map((e) => `[${e.text.text}]${e.url ? ` ${style(color, '4', e.url)}` : ''}`);
    default:
      return [style(color, '2', `[${(block as { type: string }).type} block]`)];
  }
}

/**
 * Renders a Block Kit message as plain terminal text (for the CLI's `demo` and `preview`): headers bold,
 * mrkdwn tokens resolved (`<!date^…>` formatted in `timeZone`, links as `label (url)`, entities
 * unescaped), fields as `Label: value`, buttons as `[label] url`, and each attachment prefixed with a bar
 * (`▌`) in its colour when `color` is on.
 *
 * @example
 * ```ts
 * import { formatMessageAsText, toSlackMessage } from '@ecs-pulse/slack-notifier';
 *
 * console.log(formatMessageAsText(toSlackMessage(alert), { color: process.stdout.isTTY }));
 * ```
 */
export function formatMessageAsText(message: SlackMessage, options: FormatAsTextOptions = {}): string {
  const color = options.color ?? false;
  const timeZone = options.timeZone ?? 'UTC';
  const lines: string[] = [];
  for (const block of message.blocks ?? []) lines.push(...renderBlock(block, color, timeZone));
  for (const attachment of message.attachments ?? []) {
    const ansi = hexToAnsi(attachment.color);
    const bar = color && ansi ? `${ESC}${ansi}m▌${ESC}0m ` : '▌ ';
    for (const block of attachment.blocks ?? []) for (const line of renderBlock(block, color, timeZone)) lines.push(bar + line);
  }
  if (!lines.length) lines.push(mrkdwnToText(message.text, color, timeZone));
  return lines.join('\n');
}

/**
 * A Block Kit Builder link that opens the message for preview (needs a browser and a Slack login):
 * `https://app.slack.com/block-kit-builder/#` + the URL-encoded JSON of `{ blocks, attachments }`.
 *
 * @example
 * ```ts
 * console.log(blockKitBuilderUrl(toSlackMessage(alert)));
 * ```
 */
export function blockKitBuilderUrl(message: SlackMessage): string {
  const payload: { blocks: SlackBlock[]; attachments?: SlackMessage['attachments'] } = { blocks: message.blocks ?? [] };
  if (message.attachments?.length) payload.attachments = message.attachments;
  return `https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify(payload))}`;
}
