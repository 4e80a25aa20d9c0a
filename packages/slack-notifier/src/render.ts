import { consoleLinkLabel, DEFAULT_ECS_CONSOLE, ecsConsoleUrl } from './console-links.js';
import { SlackNotifierError } from './errors.js';
import {
  BLOCK_CHARS_BUDGET,
  fitInPlace,
  MAX_BLOCKS,
  MAX_BUTTON_URL,
  MAX_HEADER_TEXT,
  MAX_SECTION_FIELD_TEXT,
  MAX_SECTION_FIELDS,
  MAX_SECTION_TEXT,
} from './limits.js';
import { checkOptionRules, type OptionRule, throwOptionIssues, typeRule } from './options.js';
import { ELLIPSIS, escapeAndTruncate, escapeMrkdwn, parseIsoTime, slackDate, truncateMrkdwn, truncatePlain } from './mrkdwn.js';
import type {
  HeaderBlock,
  NotifiableAlert,
  NotifiableSeverity,
  SectionBlock,
  SlackAttachment,
  SlackBlock,
  SlackMessage,
  TextObject,
} from './types.js';

/**
 * A fact of an alert that can be shown as a field of a single-alert message.
 *
 * @example
 * ```ts
 * const fields: AlertField[] = ['event', 'status', 'resource', 'time'];
 * ```
 */
export type AlertField = 'product' | 'event' | 'status' | 'severity' | 'resource' | 'region' | 'account' | 'time' | 'source' | 'id';

/**
 * The fields shown by default, in order.
 *
 * @example
 * ```ts
 * toSlackMessage(alert, { fields: [...DEFAULT_FIELDS, 'id'] });
 * ```
 */
export const DEFAULT_FIELDS: readonly AlertField[] = Object.freeze(['product', 'event', 'status', 'resource', 'region', 'account', 'time'] as const);

/**
 * Label of each field and, for fields that show one alert property as text, that property. The key order
 * is the order in error messages.
 */
const FIELDS: Readonly<Record<AlertField, readonly [label: string, property?: keyof NotifiableAlert]>> = {
  product: ['Product', 'product'],
  event: ['Event', 'name'],
  status: ['Status', 'status'],
  severity: ['Severity'],
  resource: ['Resource'],
  region: ['Region', 'region'],
  account: ['Account', 'accountId'],
  time: ['Time'],
  source: ['Source', 'source'],
  id: ['Event id', 'id'],
};

const ALL_FIELDS = Object.keys(FIELDS) as readonly AlertField[];

const STRING = typeRule('string');
const BOOLEAN = typeRule('boolean');

/** What the options other than `fields` and `mentions` must be, in the order of the error messages. */
const OPTION_RULES: Readonly<Record<string, OptionRule>> = {
  titlePrefix: STRING,
  environment: STRING,
  footer: STRING,
  consoleBaseUrl: STRING,
  colorBar: BOOLEAN,
  consoleLinks: BOOLEAN,
  formatter: [(v) => typeof v === 'function', 'a function (alerts, context) => SlackMessage'],
  maxDetails: [(v) => Number.isInteger(v) && (v as number) >= 0, 'a non-negative integer'],
};

/**
 * Mentions to add per severity: Slack mention tokens such as `<!here>`, `<!channel>`, `<@U024BE7LH>` or
 * `<!subteam^SAZ94GDB8>`, one string or a list. They are inserted verbatim (they are your configuration,
 * not event text) and must match Slack's token syntax.
 *
 * @example
 * ```ts
 * const mentions: MentionMap = { critical: ['<!here>', '<@U024BE7LH>'], warning: '<@U024BE7LH>' };
 * ```
 */
export type MentionMap = Readonly<Partial<Record<NotifiableSeverity, string | readonly string[]>>>;

/**
 * What a custom {@link SlackFormatter} receives besides the alerts.
 *
 * @example
 * ```ts
 * const formatter: SlackFormatter = (alerts, ctx) => ({ text: ctx.escape(alerts[0]!.summary) });
 * ```
 */
export interface FormatterContext {
  /** The built-in layout, to wrap or post-process. */
  readonly render: (alerts: readonly NotifiableAlert[]) => SlackMessage;
  /** Escapes event text for mrkdwn (`&`, `<`, `>`). */
  readonly escape: (text: string) => string;
  /** Formats an ISO time as a reader-local `<!date^…>` token. */
  readonly date: (iso: string) => string;
  /** The configured mentions that apply to these alerts, already joined with spaces ('' when none). */
  readonly mentions: string;
}

/**
 * Your own layout. Whatever it returns is passed through {@link fitSlackMessage}, so it always fits Slack's
 * limits; escaping event text is your job (use `context.escape`).
 *
 * @example
 * ```ts
 * const formatter: SlackFormatter = (alerts, ctx) => {
 *   const message = ctx.render(alerts);
 *   return { ...message, username: 'alerts-bot' };
 * };
 * ```
 */
export type SlackFormatter = (alerts: readonly NotifiableAlert[], context: FormatterContext) => SlackMessage;

/**
 * Options of {@link toSlackMessage}. Unknown keys are rejected with `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * const options: ToSlackMessageOptions = { mentions: { critical: '<!here>' }, environment: 'prod', titlePrefix: '[prod]' };
 * ```
 */
export interface ToSlackMessageOptions {
  /**
   * Fields of a single-alert message, in order (at most 10; empty values are skipped).
   * @default DEFAULT_FIELDS (`product, event, status, resource, region, account, time`)
   */
  readonly fields?: readonly AlertField[];
  /**
   * Mentions per severity.
   * @default {} (nobody is mentioned)
   */
  readonly mentions?: MentionMap;
  /**
   * Replace the layout. Output is still fitted to Slack's limits.
   * @default the built-in single/digest layout
   */
  readonly formatter?: SlackFormatter;
  /**
   * Text put before the header and the fallback text, e.g. `[prod]`.
   * @default '' (none)
   */
  readonly titlePrefix?: string;
  /**
   * Environment label shown in the footer, e.g. `prod`.
   * @default undefined (not shown)
   */
  readonly environment?: string;
  /**
   * Put the body blocks in a secondary attachment whose `color` is the severity colour (Slack's only way
   * to show a colour bar). When false, every block is top-level and severity shows as an emoji only.
   * @default true
   */
  readonly colorBar?: boolean;
  /**
   * Add an "Open … in console" button for ECS instances, disks and snapshots.
   * @default true
   */
  readonly consoleLinks?: boolean;
  /**
   * Origin of the ECS console; `https://ecs.console.alibabacloud.com` for the international site.
   * @default 'https://ecs.console.aliyun.com'
   */
  readonly consoleBaseUrl?: string;
  /**
   * How many entries of `alert.details` a single-alert message lists.
   * @default 8
   */
  readonly maxDetails?: number;
  /**
   * Footer text (context block).
   * @default 'ecs-pulse'
   */
  readonly footer?: string;
}

interface ResolvedOptions {
  readonly fields: readonly AlertField[];
  readonly mentions: Readonly<Partial<Record<NotifiableSeverity, readonly string[]>>>;
  readonly formatter: SlackFormatter | undefined;
  readonly titlePrefix: string;
  readonly environment: string | undefined;
  readonly colorBar: boolean;
  readonly consoleLinks: boolean;
  readonly consoleBaseUrl: string;
  readonly maxDetails: number;
  readonly footer: string;
}

const DEFAULTS: ResolvedOptions = Object.freeze({
  fields: DEFAULT_FIELDS,
  mentions: {},
  formatter: undefined,
  titlePrefix: '',
  environment: undefined,
  colorBar: true,
  consoleLinks: true,
  consoleBaseUrl: DEFAULT_ECS_CONSOLE,
  maxDetails: 8,
  footer: 'ecs-pulse',
});

const MENTION_RE = /^<(?:!here|!channel|!everyone|@[UW][A-Z0-9]{2,}|!subteam\^[A-Z0-9]{2,}(?:\|[^<>|]*)?)>$/;

function style(emoji: string, word: string, color: string): { readonly emoji: string; readonly word: string; readonly color: string } {
  return Object.freeze({ emoji, word, color });
}

/**
 * Severity presentation: emoji, word and colour (Slack's brand red, yellow, blue and green).
 *
 * @example
 * ```ts
 * SEVERITY_STYLE.critical.color; // '#E01E5A'
 * ```
 */
export const SEVERITY_STYLE: Readonly<Record<NotifiableSeverity, { readonly emoji: string; readonly word: string; readonly color: string }>> =
  Object.freeze({
    critical: style('🔴', 'Critical', '#E01E5A'),
    warning: style('🟠', 'Warning', '#ECB22E'),
    info: style('🔵', 'Info', '#36C5F0'),
    ok: style('🟢', 'OK', '#2EB67D'),
  });

/** The severities, most severe first. */
const SEVERITIES = Object.keys(SEVERITY_STYLE) as readonly NotifiableSeverity[];

/** A fix hint for a mention that is not a Slack mention token. */
function mentionHint(m: string): string {
  const word = /^[<@!]*(here|channel|everyone)>?$/i.exec(m)?.[1];
  if (word) return `write <!${word.toLowerCase()}> (lower case, with <! and >)`;
  if (/^<?@[^>]*>?$/.test(m)) return 'a user mention needs the member id, like <@U024BE7LH> (a user group: <!subteam^S123ABC>)';
  return 'use <!here>, <!channel>, <@U123ABC> or <!subteam^S123ABC>';
}

/**
 * Checks options for {@link toSlackMessage} / {@link toSlackMessages} by exactly the rules the notifier applies
 * when it renders, and returns every problem as `path: message` with a fix hint (an empty list when the options
 * are valid). Use it to refuse a configuration up front (at synth, at cold start) rather than at send time; a
 * caller that embeds these options prefixes its own path (`ECS_PULSE_CONFIG.message.` + issue).
 *
 * @example
 * ```ts
 * import { validateMessageOptions } from '@ecs-pulse/slack-notifier';
 *
 * validateMessageOptions({ mentions: { critical: '@here' }, consoleBaseUrl: 'http://ecs.console.aliyun.com' });
 * // ['mentions.critical: "@here" is not a Slack mention token; write <!here> (lower case, with <! and >)',
 * //  'consoleBaseUrl: must be an https origin like https://ecs.console.aliyun.com (no path, query or fragment)']
 * ```
 */
export function validateMessageOptions(options: unknown): string[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return ['options: must be an object, e.g. { environment: "prod" }'];
  const issues: string[] = [];
  for (const key of Object.keys(options)) if (!Object.hasOwn(DEFAULTS, key)) issues.push(`${key}: unknown option (known: ${Object.keys(DEFAULTS).join(', ')})`);
  const o = options as Record<string, unknown>;
  if (o.fields !== undefined) {
    if (!Array.isArray(o.fields)) issues.push('fields: must be an array of field names');
    else {
      o.fields.forEach((f, i) => {
        if (!ALL_FIELDS.includes(f as AlertField)) issues.push(`fields[${i}]: "${String(f)}" is not one of ${ALL_FIELDS.join(', ')}`);
      });
      if (new Set(o.fields).size !== o.fields.length) issues.push('fields: contains duplicates');
    }
  }
  if (o.mentions !== undefined) {
    if (typeof o.mentions !== 'object' || o.mentions === null || Array.isArray(o.mentions)) issues.push('mentions: must be an object keyed by severity, like { critical: "<!here>" }');
    else {
      for (const [sev, value] of Object.entries(o.mentions)) {
        const list: unknown = typeof value === 'string' ? [value] : value;
        if (!SEVERITIES.includes(sev as NotifiableSeverity)) issues.push(`mentions.${sev}: not a severity (use ${SEVERITIES.join(', ')})`);
        else if (!Array.isArray(list)) issues.push(`mentions.${sev}: must be a mention string or an array of them`);
        else {
          list.forEach((m, i) => {
            if (typeof m !== 'string' || !MENTION_RE.test(m)) {
              issues.push(`mentions.${sev}${list === value ? `[${i}]` : ''}: "${String(m)}" is not a Slack mention token; ${mentionHint(String(m))}`);
            }
          });
        }
      }
    }
  }
  checkOptionRules(o, OPTION_RULES, issues);
  if (typeof o.consoleBaseUrl === 'string' && !/^https:\/\/[^/\s?#]+\/?$/.test(o.consoleBaseUrl)) {
    issues.push('consoleBaseUrl: must be an https origin like https://ecs.console.aliyun.com (no path, query or fragment)');
  }
  return issues;
}

/** @internal Validates options (throws `INVALID_OPTIONS`); exported for the digest queue. */
export function resolveOptions(options: ToSlackMessageOptions | undefined): ResolvedOptions {
  if (options === undefined) return DEFAULTS;
  throwOptionIssues('toSlackMessage', validateMessageOptions(options));
  // Every option given (validated above) replaces its default; mentions are the normalized lists.
  const o = options as Record<string, unknown>;
  const resolved: Record<string, unknown> = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS)) if (o[key] !== undefined) resolved[key] = o[key];
  const mentions: Record<string, readonly string[]> = {};
  for (const [sev, value] of Object.entries(options.mentions ?? {})) mentions[sev] = typeof value === 'string' ? [value] : (value as readonly string[]);
  resolved.mentions = mentions;
  return resolved as unknown as ResolvedOptions;
}

/* ------------------------------------------------------------------------------------------------ */

const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const oneLine = (v: string): string => v.replace(/\s+/g, ' ').trim();
/** A value as one line of text ('' for null and undefined). */
const oneLineOf = (v: unknown): string => oneLine(s(v));
const severityOf = (a: NotifiableAlert): NotifiableSeverity => (SEVERITIES.includes(a.severity) ? a.severity : 'info');
const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });
const section = (text: string): SectionBlock => ({ type: 'section', text: mrkdwn(text) });

function mentionsFor(severities: Iterable<NotifiableSeverity>, o: ResolvedOptions): string {
  const out: string[] = [];
  for (const sev of severities) for (const m of o.mentions[sev] ?? []) if (!out.includes(m)) out.push(m);
  return out.join(' ');
}

/** The mentions for these severities as the start of a line ('' when none). */
function leadFor(severities: Iterable<NotifiableSeverity>, o: ResolvedOptions): string {
  const mentions = mentionsFor(severities, o);
  return mentions ? `${mentions} ` : '';
}

function eventTitle(a: NotifiableAlert): string {
  const name = oneLineOf(a.name);
  const product = oneLineOf(a.product);
  const status = oneLineOf(a.status);
  return [product, name].filter(Boolean).join(' ') + (status ? ` → ${status}` : '');
}

function resourceLabel(a: NotifiableAlert, max: number): string {
  const id = oneLineOf(a.resourceId);
  const name = oneLineOf(a.resourceName);
  const raw = name && id && name !== id ? `${name} (${id})` : name || id;
  return escapeAndTruncate(raw, max);
}

function prefix(o: ResolvedOptions): string {
  const p = oneLine(o.titlePrefix);
  return p ? `${p} ` : '';
}

/** The header block: title prefix, then `text`, cut to the header limit. */
function headerBlock(o: ResolvedOptions, text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncatePlain(prefix(o) + text, MAX_HEADER_TEXT), emoji: true } };
}

/** The top-level `text` (notification and fallback): mentions, title prefix, then `rest` (already mrkdwn). */
function fallbackText(o: ResolvedOptions, lead: string, rest: string): string {
  return truncateMrkdwn(lead + escapeMrkdwn(prefix(o)) + rest, 3000);
}

function footerContext(o: ResolvedOptions, extra: readonly string[]): SlackBlock {
  const parts = [o.footer, o.environment ? `env: ${o.environment}` : '', ...extra].map((p) => oneLine(p)).filter(Boolean);
  return { type: 'context', elements: [mrkdwn(escapeAndTruncate(parts.join(' · ') || 'ecs-pulse', 500))] };
}

function fieldValue(a: NotifiableAlert, field: AlertField, max: number): string {
  const property = FIELDS[field][1];
  if (property) return escapeAndTruncate(oneLineOf(a[property]), max);
  if (field === 'resource') return resourceLabel(a, max);
  if (field === 'severity') {
    const st = SEVERITY_STYLE[severityOf(a)];
    return `${st.emoji} ${st.word}`;
  }
  return s(a.time) ? slackDate(s(a.time)) : ''; // 'time'
}

function detailsSection(a: NotifiableAlert, o: ResolvedOptions): SlackBlock | undefined {
  if (o.maxDetails === 0 || !a.details || typeof a.details !== 'object') return undefined;
  const entries = Object.entries(a.details).filter(([, v]) => v !== null && v !== undefined && s(v) !== '');
  if (!entries.length) return undefined;
  const lines: string[] = ['*Details*'];
  let used = lines[0]!.length;
  let shown = 0;
  for (const [key, value] of entries) {
    if (shown >= o.maxDetails) break;
    const line = `• *${escapeAndTruncate(oneLine(key), 60)}*: ${escapeAndTruncate(oneLineOf(value), 300)}`;
    if (used + line.length + 1 > MAX_SECTION_TEXT - 40) break;
    lines.push(line);
    used += line.length + 1;
    shown++;
  }
  if (shown < entries.length) lines.push(`${ELLIPSIS} ${entries.length - shown} more`);
  return section(lines.join('\n'));
}

/** `body` is never empty and none of its block lists is (each ends with the footer or starts with a heading). */
function assemble(o: ResolvedOptions, text: string, head: SlackBlock[], body: { color: string; blocks: SlackBlock[] }[]): SlackMessage {
  return o.colorBar ? { text, blocks: head, attachments: body } : { text, blocks: [...head, ...body.flatMap((b) => b.blocks)] };
}

function renderSingle(a: NotifiableAlert, o: ResolvedOptions): SlackMessage {
  const sev = severityOf(a);
  const style = SEVERITY_STYLE[sev];
  const title = eventTitle(a) || 'Alert';
  const summaryRaw = oneLineOf(a.summary) || title;
  const lead = leadFor([sev], o);

  const body: SlackBlock[] = [];
  const fields: TextObject[] = [];
  for (const f of o.fields.slice(0, MAX_SECTION_FIELDS)) {
    const label = `*${FIELDS[f][0]}*\n`;
    const value = fieldValue(a, f, MAX_SECTION_FIELD_TEXT - label.length);
    if (value) fields.push(mrkdwn(label + value));
  }
  if (fields.length) body.push({ type: 'section', fields });
  const details = detailsSection(a, o);
  if (details) body.push(details);
  const url = o.consoleLinks ? ecsConsoleUrl(a, o.consoleBaseUrl) : undefined;
  if (url && url.length <= MAX_BUTTON_URL) {
    body.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: consoleLinkLabel(a) }, url, action_id: 'open_console' }] });
  }
  body.push(footerContext(o, [s(a.source), a.id ? `id ${s(a.id)}` : '']));

  return assemble(
    o,
    fallbackText(o, lead, `${style.word.toUpperCase()}: ${escapeAndTruncate(summaryRaw, 2000)}`),
    [headerBlock(o, `${style.emoji} ${style.word} · ${title}`), section(lead + escapeAndTruncate(summaryRaw, MAX_SECTION_TEXT - lead.length))],
    [{ color: style.color, blocks: body }],
  );
}

/* ------------------------------------------------------------------------------------------------ */

/** One alert of a digest and the line that shows it. */
interface DigestEntry {
  readonly alert: NotifiableAlert;
  readonly sev: NotifiableSeverity;
  /** Product, event and status (unescaped), for the fallback text. */
  readonly title: string;
  readonly line: string;
}

/**
 * The characters of digest lines one message may carry: the block budget less the header (150), the summary
 * (at most 1,200), four severity headings, the footer (at most 500) and the "not listed" note.
 */
const LINES_BUDGET = BLOCK_CHARS_BUDGET - 2200;

/**
 * One line per alert, every part cut on its own so none pushes another out: severity (emoji and word), product,
 * event and status, resource (or the summary when there is none), region. At most ~310 characters.
 */
function digestEntry(a: NotifiableAlert): DigestEntry {
  const sev = severityOf(a);
  const st = SEVERITY_STYLE[sev];
  const product = oneLineOf(a.product);
  const name = oneLineOf(a.name);
  const status = oneLineOf(a.status);
  const what = [escapeAndTruncate(product, 40), escapeAndTruncate(name, 80)].filter(Boolean).join(' ') + (status ? ` → ${escapeAndTruncate(status, 40)}` : '');
  const parts = [`${st.emoji} ${st.word}`, what || 'Alert', resourceLabel(a, 90) || escapeAndTruncate(oneLineOf(a.summary) || oneLineOf(a.id), 90)];
  const region = oneLineOf(a.region);
  if (region) parts.push(escapeAndTruncate(region, 30));
  return { alert: a, sev, title: eventTitle(a) || 'Alert', line: `• ${parts.join(' · ')}` };
}

/** The digest entries by severity, then event type (most alerts first, then by title), then input order. */
function digestEntries(alerts: readonly NotifiableAlert[]): DigestEntry[] {
  const entries = alerts.map(digestEntry);
  const sizes = new Map<string, number>();
  for (const e of entries) sizes.set(e.sev + e.title, (sizes.get(e.sev + e.title) ?? 0) + 1);
  const rank = (e: DigestEntry): number => SEVERITIES.indexOf(e.sev);
  return entries.sort((x, y) => rank(x) - rank(y) || sizes.get(y.sev + y.title)! - sizes.get(x.sev + x.title)! || (x.title < y.title ? -1 : x.title > y.title ? 1 : 0));
}

/** Splits entries (in order) into the fewest messages whose lines fit {@link LINES_BUDGET}. */
function packDigest(entries: readonly DigestEntry[]): DigestEntry[][] {
  const parts: DigestEntry[][] = [];
  let current: DigestEntry[] = [];
  let used = 0;
  for (const e of entries) {
    const n = e.line.length + 1;
    if (current.length > 0 && used + n > LINES_BUDGET) {
      parts.push(current);
      current = [];
      used = 0;
    }
    current.push(e);
    used += n;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * A digest that lists every one of `entries` on its own line, grouped by severity (one colour bar each), with
 * counts. `part` labels one message of several; `hidden` adds a note for alerts left to other messages.
 */
function renderDigest(entries: readonly DigestEntry[], o: ResolvedOptions, part?: { readonly index: number; readonly count: number; readonly total: number }, hidden = 0): SlackMessage {
  const present = SEVERITIES.filter((sev) => entries.some((e) => e.sev === sev));
  const countOf = present.map((sev) => entries.filter((e) => e.sev === sev).length);
  const counts = present.map((sev, i) => `${countOf[i]} ${sev}`);
  const titles = new Map<string, number>();
  for (const e of entries) titles.set(e.title, (titles.get(e.title) ?? 0) + 1);
  const n = entries.length;
  const top = SEVERITY_STYLE[present[0]!];
  const what = part ? `${n} of ${part.total} alerts (part ${part.index}/${part.count})` : hidden > 0 ? `${n} of ${n + hidden} alerts` : plural(n, 'alert');
  const header = headerBlock(o, `${top.emoji} ${what} · ${counts.join(' · ')}`);
  const regions = [...new Set(entries.map((e) => oneLineOf(e.alert.region)).filter(Boolean))];
  let min = Infinity;
  let max = -Infinity;
  for (const e of entries) {
    const t = parseIsoTime(s(e.alert.time));
    if (Number.isFinite(t)) [min, max] = [Math.min(min, t), Math.max(max, t)];
  }
  const lead = leadFor(present, o);
  let summaryText = `${lead}*${plural(n, 'alert')}* in ${plural(titles.size, 'event type')}`;
  if (regions.length) {
    const shown = regions.slice(0, 5).map((r) => escapeAndTruncate(r, 30));
    summaryText += ` · ${regions.length === 1 ? 'region' : 'regions'} ${shown.join(', ')}${regions.length > 5 ? ` +${regions.length - 5} more` : ''}`;
  }
  if (min <= max) {
    const [from, to] = [new Date(min).toISOString(), new Date(max).toISOString()];
    summaryText += from === to ? ` · ${slackDate(from)}` : ` · ${slackDate(from)} – ${slackDate(to)}`;
  }

  const body = present.map((sev, i) => {
    const st = SEVERITY_STYLE[sev];
    const blocks: SlackBlock[] = [section(`*${st.emoji} ${st.word} · ${plural(countOf[i]!, 'alert')}*`)];
    let current = '';
    for (const e of entries) {
      if (e.sev !== sev) continue;
      if (current && current.length + 1 + e.line.length > MAX_SECTION_TEXT) {
        blocks.push(section(current));
        current = '';
      }
      current = current ? `${current}\n${e.line}` : e.line;
    }
    if (current) blocks.push(section(current));
    return { color: st.color, blocks };
  });
  const last = body[body.length - 1]!;
  if (hidden > 0) last.blocks.push(section(`*${ELLIPSIS} ${plural(hidden, 'more alert')} not listed here*`));
  last.blocks.push(footerContext(o, ['digest', part ? `part ${part.index}/${part.count}` : '']));

  const byTitle = [...titles].sort((x, y) => y[1] - x[1]).slice(0, 5).map(([title, k]) => `${title} ×${k}`);
  const text = fallbackText(o, lead, `${what} (${counts.join(', ')}): ${escapeAndTruncate(byTitle.join('; '), 1500)}${titles.size > 5 ? ` +${titles.size - 5} more` : ''}`);
  return assemble(o, text, [header, section(truncateMrkdwn(summaryText, 1200))], body);
}

/** The alerts as a list of alert objects; throws `NO_ALERTS` for none or a non-object. */
function alertList(alerts: NotifiableAlert | readonly NotifiableAlert[]): readonly NotifiableAlert[] {
  const list: readonly NotifiableAlert[] = Array.isArray(alerts) ? alerts : [alerts as NotifiableAlert];
  if (list.length === 0 || list.some((a) => typeof a !== 'object' || a === null)) {
    throw new SlackNotifierError('NO_ALERTS', 'toSlackMessage needs at least one alert object; got an empty array or a non-object entry.');
  }
  return list;
}

/** The built-in layout: one alert in detail, or a digest of those that fit one message (saying how many do not). */
function builtIn(xs: readonly NotifiableAlert[], o: ResolvedOptions): SlackMessage {
  if (xs.length === 1) return renderSingle(xs[0]!, o);
  const [first = []] = packDigest(digestEntries(xs));
  return renderDigest(first, o, undefined, xs.length - first.length);
}

/** The built-in message for `list` (`builtIn`), or the custom formatter's, fitted to Slack's limits. */
function finish(list: readonly NotifiableAlert[], o: ResolvedOptions, builtIn: (xs: readonly NotifiableAlert[]) => SlackMessage): SlackMessage {
  if (!o.formatter) return fitInPlace(builtIn(list));
  const context: FormatterContext = {
    render: (xs) => fitInPlace(builtIn(xs)),
    escape: escapeMrkdwn,
    date: (iso) => slackDate(iso),
    mentions: mentionsFor(new Set(list.map(severityOf)), o),
  };
  const custom = o.formatter(list, context);
  if (typeof custom !== 'object' || custom === null) {
    throw new SlackNotifierError('INVALID_OPTIONS', 'formatter must return a Slack message object ({ text, blocks? }); it returned ' + typeof custom + '.');
  }
  return fitInPlace(structuredClone(custom));
}

/**
 * Renders one alert as a detailed message, or several as ONE digest grouped by severity, with counts and one
 * line per alert (severity, product, event → status, resource, region). When the alerts do not fit one
 * message (about 100 alerts), the digest lists those that fit and says how many are not listed: to post every
 * alert use {@link toSlackMessages}. The result always fits Slack's limits ({@link SLACK_LIMITS}); `text` is
 * always set; all event text is escaped for mrkdwn; times are reader-local `<!date^…>` tokens; severity is an
 * emoji + word in the header and (by default) the colour bar of a secondary attachment that wraps the body blocks.
 *
 * @throws SlackNotifierError `INVALID_OPTIONS` for unknown or mistyped options (all issues listed, see
 *   {@link validateMessageOptions}), `NO_ALERTS` for an empty array.
 *
 * @example
 * ```ts
 * import { toSlackMessage } from '@ecs-pulse/slack-notifier';
 *
 * const message = toSlackMessage(alerts, { mentions: { critical: '<!here>' }, environment: 'prod' });
 * await webhook.send(message);
 * ```
 */
export function toSlackMessage(alerts: NotifiableAlert | readonly NotifiableAlert[], options?: ToSlackMessageOptions): SlackMessage {
  const o = resolveOptions(options);
  return finish(alertList(alerts), o, (xs) => builtIn(xs, o));
}

/**
 * One message of {@link toSlackMessages} and the alerts it shows (each on its own line).
 *
 * @example
 * ```ts
 * const part: SlackMessagePart = { message: { text: '2 alerts' }, alerts: [a, b] };
 * ```
 */
export interface SlackMessagePart<A extends NotifiableAlert = NotifiableAlert> {
  readonly message: SlackMessage;
  /** The alerts this message shows (the input objects); every input alert is in exactly one part. */
  readonly alerts: readonly A[];
}

/**
 * Renders alerts as as many messages as it takes to show EVERY alert: one alert is one detailed message;
 * several are digests (as {@link toSlackMessage}) split so that each lists all of its alerts, one line each with
 * severity, product, event → status, resource and region, labelled "part i/n" when there are several. Alerts
 * are ordered by severity, then event type. With a `formatter`, each part's alerts go to the formatter. Post
 * the parts in order and paced (Slack takes about one message per second per webhook, short bursts allowed);
 * an alert is shown once its part was accepted.
 *
 * @throws SlackNotifierError `INVALID_OPTIONS` (see {@link validateMessageOptions}), `NO_ALERTS` for an empty array.
 *
 * @example
 * ```ts
 * import { toSlackMessages } from '@ecs-pulse/slack-notifier';
 *
 * for (const part of toSlackMessages(alerts, { environment: 'prod' })) {
 *   await webhook.send(part.message); // part.alerts are now in Slack
 * }
 * ```
 */
export function toSlackMessages<A extends NotifiableAlert>(alerts: A | readonly A[], options?: ToSlackMessageOptions): SlackMessagePart<A>[] {
  const o = resolveOptions(options);
  const list = alertList(alerts) as readonly A[];
  if (list.length === 1) return [{ message: finish(list, o, (xs) => builtIn(xs, o)), alerts: list }];
  const parts = packDigest(digestEntries(list));
  return parts.map((entries, i) => {
    const partAlerts = entries.map((e) => e.alert as A);
    const label = parts.length > 1 ? { index: i + 1, count: parts.length, total: list.length } : undefined;
    return { message: finish(partAlerts, o, (xs) => (xs === partAlerts ? renderDigest(entries, o, label) : builtIn(xs, o))), alerts: partAlerts };
  });
}
