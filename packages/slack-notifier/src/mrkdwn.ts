/** The visible truncation marker. */
export const ELLIPSIS = '…';

/**
 * C0 control characters except tab, newline and carriage return, and DEL. Slack shows nothing for them, and
 * JSON spells each as six characters (`\u0000`), so a field full of them could blow the payload size.
 * They become U+FFFD (`�`), so they stay visible.
 */
const CONTROL_CHARS = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f';
const CONTROL_RE = new RegExp(`[${CONTROL_CHARS}]`, 'g');
/** One pass for {@link escapeMrkdwn}: the three mrkdwn characters and the control characters. */
const MRKDWN_RE = new RegExp(`[&<>${CONTROL_CHARS}]`, 'g');
const MRKDWN_REPLACEMENTS: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for Slack mrkdwn: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;` (the three characters Slack
 * asks to escape). After escaping, event text cannot form `<!channel>`, `<@U…>` or `<url|label>` tokens,
 * so an instance named `<!channel>` pings nobody. Control characters other than tab, newline and carriage
 * return become `�` (U+FFFD).
 *
 * @example
 * ```ts
 * escapeMrkdwn('<!channel> & co'); // '&lt;!channel&gt; &amp; co'
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(MRKDWN_RE, (c) => MRKDWN_REPLACEMENTS[c] ?? '\ufffd');
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Largest cut index ≤ `n` that does not split a surrogate pair. */
export function safeCut(text: string, n: number): number {
  if (n <= 0) return 0;
  if (n >= text.length) return text.length;
  return isHighSurrogate(text.charCodeAt(n - 1)) ? n - 1 : n;
}

/**
 * Truncates plain text to at most `max` UTF-16 code units, ending with `…` when cut. Never splits a
 * surrogate pair. Control characters become `�` first, as in {@link escapeMrkdwn}.
 */
export function truncatePlain(raw: string, max: number): string {
  const text = raw.replace(CONTROL_RE, '\ufffd');
  if (text.length <= max) return text;
  if (max <= 0) return '';
  const cut = safeCut(text, max - ELLIPSIS.length);
  return text.slice(0, cut) + ELLIPSIS;
}

/**
 * Escapes `raw` for mrkdwn and truncates the escaped result to at most `max` code units without cutting
 * an entity (`&amp;`) or a surrogate pair; appends `…` when cut.
 */
export function escapeAndTruncate(raw: string, max: number): string {
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= max) return escaped;
  if (max <= 0) return '';
  const budget = max - ELLIPSIS.length;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    let piece: string;
    // A surrogate PAIR stays whole; a lone high surrogate is one unit like any other (the next unit is escaped on its own).
    if (isHighSurrogate(code) && isLowSurrogate(raw.charCodeAt(i + 1))) {
      piece = raw.slice(i, i + 2);
      i++;
    } else {
      piece = escapeMrkdwn(raw[i] as string);
    }
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return out + ELLIPSIS;
}

/**
 * Truncates already-formatted mrkdwn to at most `max` code units. The cut never lands inside a `<…>`
 * token (date, link, mention), an `&…;` entity, or a surrogate pair; `…` marks the cut.
 */
export function truncateMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let cut = safeCut(text, max - ELLIPSIS.length);
  const head = text.slice(0, cut);
  const open = head.lastIndexOf('<');
  if (open > head.lastIndexOf('>')) cut = open;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0) {
    const entity = /^&(?:amp|lt|gt);/.exec(text.slice(amp, amp + 5));
    if (entity && amp + entity[0].length > cut) cut = amp;
  }
  cut = safeCut(text, cut);
  return text.slice(0, cut) + ELLIPSIS;
}

/**
 * Slack date token so every reader sees the time in their own zone; the fallback (shown by clients that
 * cannot format it) is UTC. Returns the escaped raw text when `iso` is not a valid date.
 *
 * @example
 * ```ts
 * slackDate('2021-07-02T06:12:00.490Z'); // '<!date^1625206320^{date_short_pretty} {time}|2021-07-02 06:12:00 UTC>'
 * ```
 */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const ms = parseIsoTime(iso);
  if (!Number.isFinite(ms)) return escapeAndTruncate(iso, 64);
  const unix = Math.floor(ms / 1000);
  const fallback = new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  return `<!date^${unix}^${format}|${fallback}>`;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Epoch ms of a strict ISO 8601 date-time with zone, NaN otherwise (V8's Date.parse accepts prose like "yesterday <3"). */
export function parseIsoTime(iso: string): number {
  return typeof iso === 'string' && ISO_RE.test(iso) ? Date.parse(iso) : Number.NaN;
}
