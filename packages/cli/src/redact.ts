/**
 * Secret redaction for everything the CLI prints: error messages, logs, subprocess failures.
 * Known secret values (AccessKey secrets, tokens, webhook URLs) are registered at run time with
 * {@link registerSecret}; patterns catch the rest (Slack webhook paths, AccessKey ids, signatures,
 * token-like query parameters).
 */

const secrets = new Set<string>();

/**
 * Remember a secret value so that {@link redact} masks it wherever it appears.
 * Values shorter than 6 characters are ignored (they would mask ordinary words).
 *
 * @example
 * ```ts
 * registerSecret(process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
 * ```
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value === 'string' && value.length >= 6) secrets.add(value);
}

const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Slack incoming webhooks and workflow triggers: keep the host, hide the path.
  [/(https?:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers))\/[^\s"'<>)]+/gi, '$1/***'],
  // Any other URL path that looks like a webhook with credentials in it.
  [/([?&](?:token|access_token|key|secret|signature|sig|x-acs-security-token|SecurityToken|AccessKeySecret)=)[^&\s"'<>)]+/gi, '$1***'],
  // The same names as `name=value` anywhere in a text (`; token=…`, `Cookie: token=…`, a log line).
  [/((?:^|[^A-Za-z0-9_.-])(?:token|access_token|secret|password|x-acs-security-token|SecurityToken|AccessKeySecret)=)(?!\*\*\*)[^&;,\s"'<>)]+/gim, '$1***'],
  // ACS3 Authorization header signatures and RPC Signature parameters.
  [/(Signature=)[A-Za-z0-9+/=%]{16,}/g, '$1***'],
  // AccessKey ids (LTAI... long-term, STS.... temporary).
  [/\b(LTAI)[A-Za-z0-9]{8,40}\b/g, '$1****'],
  [/\b(STS\.)[A-Za-z0-9]{8,80}\b/g, '$1****'],
  // Slack bot/user tokens.
  [/\b(xox[abprs]-)[A-Za-z0-9-]{8,}\b/g, '$1***'],
];

/**
 * Mask secrets in a text: registered values first, then well-known secret shapes.
 *
 * @example
 * ```ts
 * redact('posting to https://hooks.slack.com/services/T0/B0/XXXX failed');
 * // → 'posting to https://hooks.slack.com/services/*** failed'
 * ```
 */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join('***');
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Forget all registered secrets (tests). @internal */
export function clearSecrets(): void {
  secrets.clear();
}
