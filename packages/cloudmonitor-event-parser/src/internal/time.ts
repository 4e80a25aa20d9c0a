const COMPACT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;
const EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?|PRC|UTC|GMT)?$/;
const DIGITS = /^-?\d{1,16}$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS[m - 1]!);
}

const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function offsetMinutes(zone: string | undefined, fallback: number): number | undefined {
  if (zone === undefined) return fallback;
  // The regexes allow Z, z, UTC, GMT, PRC (EventBridge's aliyunpublishtime: China Standard Time) or ±hh[:]mm.
  if (zone[0] !== '+' && zone[0] !== '-') return zone === 'PRC' ? 480 : 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (h > 23 || m > 59) return undefined;
  return sign * (h * 60 + m);
}

/** Date-time fields matched by COMPACT or EXTENDED (year, month, day, hour, minute, [second], [fraction]) → ISO. */
function build(m: RegExpExecArray, offset: number | undefined): string | undefined {
  if (offset === undefined) return undefined;
  const [y, month, day, hour, minute, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (!validDay(y!, month!, day!) || hour! > 23 || minute! > 59 || second > 59) return undefined;
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  return fromEpochMs(Date.UTC(y!, month! - 1, day!, hour!, minute!, second, ms) - offset * 60_000);
}

function fromEpochMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  return new Date(ms).toISOString();
}

/** Epoch seconds (10 digits and below) or milliseconds (11+ digits) to ISO. */
export function fromEpoch(n: number): string | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return fromEpochMs(n < 1e11 ? n * 1000 : n);
}

/**
 * Any time representation seen in Alibaba Cloud payloads → ISO 8601 UTC, or `undefined` when unusable:
 * - CloudMonitor `eventTime` `20210702T141200.490+0800` (no offset → UTC+8, the documented zone)
 * - ISO/RFC 3339 with `Z`, an offset, `PRC` (UTC+8), or no zone (UTC assumed), seconds optional
 * - epoch numbers or digit strings: up to 10 digits = seconds, 11+ digits = milliseconds
 */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s.length < 8 || s.length > 40) return DIGITS.test(s) ? fromEpoch(Number(s)) : undefined;
  if (DIGITS.test(s)) return fromEpoch(Number(s));
  let m = COMPACT.exec(s);
  if (m) return build(m, offsetMinutes(m[8], 480));
  m = EXTENDED.exec(s);
  if (m) return build(m, offsetMinutes(m[8], 0));
  return undefined;
}
