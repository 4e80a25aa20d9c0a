/**
 * Recognizable secrets for the hygiene checks, and a scanner that looks for them (and their parts and
 * encodings) in any text: log lines, error messages, CLI output, synthesized files.
 */
import { inspect } from 'node:util';

/** The secret path of the webhook URL (the part Slack treats as the credential). */
export const WEBHOOK_PATH = '/services/TSECRET0/BSECRET0/sEcReTwEbHoOkPaTh123';
/** The last path segment alone. */
export const WEBHOOK_LAST_SEGMENT = 'sEcReTwEbHoOkPaTh123';
/** The HTTP-trigger token (17 characters: the function wants at least 16). */
export const HTTP_TOKEN = 'tok_SeCrEt_9f8e7d';
/** An Alibaba Cloud AccessKey pair, in the shape of a real one. */
export const ACCESS_KEY_ID = 'LTAI5tSECRETKEYID0000';
export const ACCESS_KEY_SECRET = 'SeCrEtAcCeSsKeYsEcReT0000000000';

/** The webhook URL on a local sink (the sink accepts any `/services/...` path). */
export function secretWebhookUrl(sinkOrigin: string): string {
  return `${sinkOrigin}${WEBHOOK_PATH}`;
}

/** Environment variables that carry the AccessKey (the `@alicloud/credentials` default chain reads these). */
export function accessKeyEnv(): Record<string, string> {
  return {
    ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
    ALICLOUD_ACCESS_KEY: ACCESS_KEY_ID,
    ALICLOUD_SECRET_KEY: ACCESS_KEY_SECRET,
  };
}

/** One place a secret was found. */
export interface SecretHit {
  readonly secret: string;
  readonly form: string;
  readonly where: string;
  readonly excerpt: string;
}

/**
 * Collects text from many places and reports every occurrence of every secret, in plain, URL-encoded and
 * base64 form (base64 at the three alignments, so an embedded copy inside a larger base64 blob is found too).
 */
export class SecretScanner {
  readonly #needles: { secret: string; form: string; needle: string }[] = [];
  readonly #texts: { where: string; text: string }[] = [];

  constructor(secrets: Readonly<Record<string, string>>) {
    for (const [name, value] of Object.entries(secrets)) {
      this.#add(name, 'plain', value);
      if (encodeURIComponent(value) !== value) this.#add(name, 'url-encoded', encodeURIComponent(value));
      for (let shift = 0; shift < 3; shift++) {
        // base64 of the value preceded by `shift` bytes: keep only the characters whose 6 bits all come
        // from the value (the same in any larger blob at that alignment).
        const encoded = Buffer.from('\0'.repeat(shift) + value, 'utf8').toString('base64');
        const bytes = Buffer.byteLength(value, 'utf8');
        const stable = encoded.slice(Math.ceil((4 * shift) / 3), Math.floor((4 * (shift + bytes)) / 3));
        if (stable.length >= 12) this.#add(name, `base64+${shift}`, stable);
      }
    }
  }

  #add(secret: string, form: string, needle: string): void {
    this.#needles.push({ secret, form, needle });
  }

  /** Adds a piece of text (or anything: errors are inspected with their cause chain and own properties). */
  add(where: string, value: unknown): void {
    this.#texts.push({ where, text: describe(value) });
  }

  /** How many pieces of text were added. */
  get size(): number {
    return this.#texts.length;
  }

  /** Total characters scanned. */
  get chars(): number {
    return this.#texts.reduce((n, t) => n + t.text.length, 0);
  }

  /** Every hit. */
  hits(): SecretHit[] {
    const out: SecretHit[] = [];
    for (const { where, text } of this.#texts) {
      for (const { secret, form, needle } of this.#needles) {
        const at = text.indexOf(needle);
        if (at >= 0) out.push({ secret, form, where, excerpt: text.slice(Math.max(0, at - 60), at + needle.length + 60) });
      }
    }
    return out;
  }
}

/** Text of anything: strings as is, errors with stack, cause chain and own fields, objects as JSON and inspect. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  const parts: string[] = [];
  if (value instanceof Error) {
    parts.push(String(value), value.stack ?? '');
    let cause: unknown = (value as { cause?: unknown }).cause;
    for (let depth = 0; cause !== undefined && depth < 5; depth++) {
      parts.push(String(cause), cause instanceof Error ? (cause.stack ?? '') : '');
      cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
    }
  }
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // circular: inspect below covers it
  }
  parts.push(inspect(value, { depth: 8, showHidden: false, getters: false }));
  return parts.join('\n');
}
