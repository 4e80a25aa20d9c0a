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

/**
 * Finds the token of an HTTP-trigger request: the `x-ecs-pulse-token` header, else the `token` query
 * parameter. FC 3.0 joins repeated values with commas, so only the first value is taken.
 *
 * @example
 * ```ts
 * presentedToken({ 'x-ecs-pulse-token': 'abc' }, {}); // 'abc'
 * ```
 */
export function presentedToken(
  headers: Readonly<Record<string, string>>,
  query: Readonly<Record<string, string>>,
): string | undefined {
  // An empty first value counts as no token.
  return (headers['x-ecs-pulse-token'] ?? query.token)?.split(',')[0]?.trim() || undefined;
}
