/** The largest slice of a raw input that is logged when the input is dropped. */
export const RAW_LOG_LIMIT = 2048;

const REDACTED = '[REDACTED]';
const PATTERNS: readonly RegExp[] = [
  // Slack incoming webhooks and anything that looks like one.
  /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'\\<>]*/gi,
  // Token query parameters and headers, in raw, JSON-escaped or form-encoded text.
  /((?:[?&]|%26|\\u0026|\b)token(?:=|%3D|"\s*:\s*"|\\"\s*:\s*\\"))[^&"\s\\]+/gi,
  /(x-ecs-pulse-token(?:"\s*:\s*"|\\"\s*:\s*\\"|:\s*))[^"\s\\,]+/gi,
];

/**
 * Removes secrets from a string: every configured secret value (webhook URLs, the HTTP token), anything that
 * looks like a Slack webhook URL, and the values of `token` parameters and `x-ecs-pulse-token` headers.
 *
 * @example
 * ```ts
 * redact('posting to https://hooks.slack.com/services/T/B/X', []); // 'posting to [REDACTED]'
 * ```
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: string) => (typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}${REDACTED}` : REDACTED));
  }
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
    let line: string;
    try {
      line = JSON.stringify({ time: new Date().toISOString(), ...record });
    } catch {
      line = JSON.stringify({ time: new Date().toISOString(), level: record.level, msg: record.msg, note: 'record not serializable' });
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
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  const text = (typeof raw === 'string' ? Buffer.from(raw) : raw).subarray(0, RAW_LOG_LIMIT).toString('utf8');
  return { rawBytes: bytes, raw: redact(text, secrets), rawTruncated: bytes > RAW_LOG_LIMIT };
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
