import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares a presented token with the expected one in constant time: both are hashed to SHA-256 first, so
 * `timingSafeEqual` always compares two 32-byte digests and neither the length nor the content of the
 * expected token leaks through timing.
 *
 * @example
 * ```ts
 * tokenMatches('s3cret-from-request', process.env.ECS_PULSE_HTTP_TOKEN!); // false
 * ```
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  return presented !== undefined && presented !== '' && timingSafeEqual(digest(presented), digest(expected));
}

/** The first comma-separated value, trimmed; undefined when that is empty. */
const firstValue = (value: string | undefined): string | undefined => value?.split(',')[0]?.trim() || undefined;

/**
 * Finds the token of an HTTP-trigger request: the `x-ecs-pulse-token` header, else the `token` query
 * parameter. FC 3.0 joins repeated values with commas, so only the first value is taken, trimmed. A header
 * whose first value is empty or whitespace counts as absent, so it never shadows the query parameter.
 *
 * @example
 * ```ts
 * presentedToken({ 'x-ecs-pulse-token': 'abc' }, {}); // 'abc'
 * presentedToken({ 'x-ecs-pulse-token': ' ' }, { token: 'abc' }); // 'abc'
 * ```
 */
export function presentedToken(
  headers: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string>>,
): string | undefined {
  return firstValue(headers['x-ecs-pulse-token']) ?? firstValue(query.token);
}
