/**
 * Case-insensitive glob matching where `*` stands for any run of characters (nothing else is special).
 *
 * The value comes from the event, so the matcher must stay fast whatever it is given: it never backtracks.
 * The pattern is split at its stars into literal parts; the first part must be a prefix of the value, the last
 * a suffix, and each part between is found left to right with `indexOf`, taking the earliest occurrence (the
 * earliest is always the right choice, since any later match of the remaining parts also fits after it). The
 * cost is one scan of the value per part, whatever the pattern: `*a*a*a*a*a*a*a*a*b` against 4,096 `a`s
 * is a few microseconds, where the regular expression it replaced backtracked for seconds at 40 characters.
 */

/** The lower-cased parts of each pattern seen (bounded: patterns come from the configuration). */
const partsCache = new Map<string, readonly string[]>();
const CACHE_LIMIT = 500;

function partsOf(pattern: string): readonly string[] {
  let parts = partsCache.get(pattern);
  if (parts === undefined) {
    parts = pattern.toLowerCase().split('*');
    if (partsCache.size < CACHE_LIMIT) partsCache.set(pattern, parts);
  }
  return parts;
}

/**
 * True when `value` matches `pattern`, compared case-insensitively (both lower-cased), where `*` matches any
 * run of characters, including none. Linear in the length of the value per literal part of the pattern.
 *
 * @example
 * ```ts
 * globMatch('Instance:*', 'instance:StateChange'); // true
 * globMatch('i-bp1*', 'i-bp2x'); // false
 * ```
 */
export function globMatch(pattern: string, value: string): boolean {
  const parts = partsOf(pattern);
  const text = value.toLowerCase();
  const first = parts[0]!;
  if (parts.length === 1) return text === first;
  const last = parts[parts.length - 1]!;
  const end = text.length - last.length;
  if (end < first.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
