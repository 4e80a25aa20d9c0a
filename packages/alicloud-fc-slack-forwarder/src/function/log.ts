/** The largest slice of a raw input that is logged when the input is dropped. */
export const RAW_LOG_LIMIT = 2048;

const REDACTED = '[REDACTED]';
/**
 * Patterns of secrets in any text. Group 1 (empty in the first) is what precedes the secret and is kept: each
 * match is replaced with `$1[REDACTED]`.
 */
const PATTERNS: readonly RegExp[] = [
  // Slack incoming webhooks and anything that looks like one, also JSON-escaped (`\/`) or URL-encoded (any depth).
  /()https?(?::|%(?:25)*3a)(?:\\*\/|%(?:25)*2f){2}hooks\.slack(?:-gov)?\.com(?:\\*\/|%(?:25)*2f)(?:[^\s"'\\<>]|\\+\/)*/gi,
  // Token query parameters and headers, in raw, JSON-escaped or form-encoded (any depth) text.
  /((?:[?&]|%(?:25)*(?:26|3f)|\\u0026|\b)token(?:=|%(?:25)*3D|"\s*:\s*"|\\"\s*:\s*\\"))[^&"\s\\]+/gi,
  /(x-ecs-pulse-token(?:"\s*:\s*"|\\"\s*:\s*\\"|:\s*))[^"\s\\,]+/gi,
  // issue 19: Slack bot/user/app tokens (xoxb-, xoxp-, …) and anything that looks like one.
  /()\bxox[abepr]-[A-Za-z0-9-]{6,}/gi,
];

/** Derived forms (encoded copies, the URL path) shorter than this are not redacted: they would hit ordinary text. */
const MIN_FORM_LENGTH = 8;
/** Extra input redacted beyond {@link RAW_LOG_LIMIT}, so a secret cut by the cap is still recognised. */
const RAW_LOG_LOOKAHEAD = 1024;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** One hex digit of a percent-encoded form as a pattern that accepts either case (`F` → `[Ff]`). */
const eitherCase = (digit: string): string => (/[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit);

/**
 * A percent-encoded form as a pattern that accepts either case of the hex digits (`%2F` and `%2f`) and any
 * depth of encoding (`%252F`: the value URL-encoded twice).
 */
const percentPattern = (encoded: string): string => escapeRegExp(encoded).replace(/%([0-9A-F])([0-9A-F])/g, (_m, a: string, b: string) => `%(?:25)*${eitherCase(a)}${eitherCase(b)}`);

/** A plain form as a pattern whose slashes may also be JSON-escaped (`\/`, `\\/`, `\u002f`). */
const slashPattern = (value: string): string => escapeRegExp(value).replace(/\\\//g, '(?:\\\\*\\/|\\\\u002[fF])');

/** Forms shorter than {@link MIN_FORM_LENGTH} are left out. */
const longEnough = (form: string): boolean => form.length >= MIN_FORM_LENGTH;

/**
 * The base64 forms of `value`: the whole value (padded and unpadded), and the characters that encode only
 * `value` when it sits at any of the three byte offsets inside a larger base64 blob; each in the standard and
 * the URL-safe alphabet.
 */
function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const full = bytes.toString('base64');
  const forms = [full, full.replace(/=+$/, '')];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').replace(/=+$/, '');
    // Leading characters that also encode the unknown preceding bytes, and a trailing one that also encodes the
    // unknown following byte, are left out.
    const lead = shift === 0 ? 0 : shift + 1;
    const tail = (shift + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 1;
    forms.push(encoded.slice(lead, tail));
  }
  return forms.flatMap((form) => [form, form.replace(/\+/g, '-').replace(/\//g, '_')]);
}

/** Every form of one secret that is redacted, as regular-expression sources (duplicates are removed by the caller). */
function secretPatterns(secret: string): string[] {
  if (secret.length < 4) return [];
  const values = [secret];
  // The webhook path alone is as secret as the whole URL.
  try {
    const url = new URL(secret);
    const path = `${url.pathname}${url.search}`;
    if (path.length > 1) values.push(path, path.slice(1));
  } catch {
    /* not a URL: a token */
  }
  return [
    slashPattern(secret),
    ...values.flatMap((value) => [
      ...[value].filter(longEnough).map(slashPattern),
      ...base64Forms(value).filter(longEnough).map(escapeRegExp),
      ...[encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)].filter(longEnough).map(percentPattern),
    ]),
  ];
}

const compiled = new WeakMap<readonly string[], RegExp | null>();

/** One alternation of every form of every secret, longest first (so the longest form at a position wins). */
function secretsRegExp(secrets: readonly string[]): RegExp | null {
  let re = compiled.get(secrets);
  if (re === undefined) {
    const sources = [...new Set(secrets.flatMap(secretPatterns))].sort((a, b) => b.length - a.length);
    re = sources.length === 0 ? null : new RegExp(sources.join('|'), 'g');
    compiled.set(secrets, re);
  }
  return re;
}

/**
 * Removes secrets from a string: every configured secret value (webhook URLs, the HTTP token) in plain,
 * URL-encoded (`encodeURIComponent` or form encoding, either hex case) and base64 form (standard or URL-safe,
 * whole or at any offset of a larger base64 blob), the path of a webhook URL alone in those forms, anything
 * that looks like a Slack webhook URL, and the values of `token` parameters and `x-ecs-pulse-token` headers.
 *
 * @example
 * ```ts
 * redact('posting to https://hooks.slack.com/services/T/B/X', []); // 'posting to [REDACTED]'
 * redact(`body=${encodeURIComponent(webhookUrl)}`, [webhookUrl]); // 'body=[REDACTED]'
 * ```
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const re = secretsRegExp(secrets);
  if (re !== null) out = out.replace(re, REDACTED);
  for (const pattern of PATTERNS) out = out.replace(pattern, `$1${REDACTED}`);
  return out;
}

/** One structured log record. */
export type LogRecord = { readonly level: 'info' | 'warn' | 'error'; readonly msg: string } & Readonly<Record<string, unknown>>;

/**
 * Writes structured JSON lines to the console (FC ships stdout/stderr to the function's logstore), every
 * line passed through {@link redact}. Errors go to `console.error`, the rest to `console.log`.
 *
 * @example
 * ```ts
 * const log = createLogger(() => ['secret-token-value']);
 * log({ level: 'info', msg: 'alert', id: 'a1', outcome: 'delivered' });
 * ```
 */
export function createLogger(secrets: () => readonly string[]): (record: LogRecord) => void {
  return (record) => {
    const time = new Date().toISOString();
    let line: string;
    try {
      line = JSON.stringify({ time, ...record });
    } catch {
      line = JSON.stringify({ time, level: record.level, msg: record.msg, note: 'record not serializable' });
    }
    line = redact(line, secrets());
    if (record.level === 'error') console.error(line);
    else console.log(line);
  };
}

/**
 * A size-capped, redacted view of a raw input for logging when it is dropped.
 *
 * @example
 * ```ts
 * rawForLog(Buffer.from('{"a":1}'), []); // { rawBytes: 7, raw: '{"a":1}', rawTruncated: false }
 * ```
 */
export function rawForLog(raw: Buffer | string, secrets: readonly string[]): { rawBytes: number; raw: string; rawTruncated: boolean } {
  const buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
  // Redact a little more than is kept, then cut: a secret that straddles the cap is still recognised whole.
  const redacted = redact(buffer.subarray(0, RAW_LOG_LIMIT + RAW_LOG_LOOKAHEAD).toString('utf8'), secrets);
  const text = Buffer.from(redacted, 'utf8').subarray(0, RAW_LOG_LIMIT).toString('utf8');
  return { rawBytes: buffer.length, raw: text, rawTruncated: buffer.length > RAW_LOG_LIMIT };
}

/**
 * Describes an error for a log line without its stack (stacks may quote inputs) and without secrets.
 */
export function errorForLog(error: unknown): { errorName: string; errorCode?: string; error: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { errorName: error.name, ...(typeof code === 'string' ? { errorCode: code } : {}), error: error.message };
  }
  return { errorName: 'NonError', error: String(error) };
}
