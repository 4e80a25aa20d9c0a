/**
 * A bounded least-recently-used set of keys. A warm Function Compute instance keeps it between invocations,
 * so a redelivered event (EventBridge may repeat an `id`, CloudMonitor retries a callback, FC retries a
 * failed async invocation) is posted once per instance. The oldest key is evicted when the set is full.
 *
 * @example
 * ```ts
 * const seen = new LruSet(2);
 * seen.add('a'); seen.add('b'); seen.has('a'); // true (and 'a' becomes the newest)
 * seen.add('c'); seen.has('b'); // false: evicted
 * ```
 */
export class LruSet {
  private readonly keys = new Map<string, true>();

  /** @param capacity - the most keys kept (at least 1) */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LruSet capacity must be a positive integer (got ${capacity})`);
  }

  /** Number of keys held. */
  get size(): number {
    return this.keys.size;
  }

  /** True when `key` is held; refreshes it as the newest. */
  has(key: string): boolean {
    if (!this.keys.delete(key)) return false;
    this.keys.set(key, true);
    return true;
  }

  /** Adds `key` as the newest, evicting the oldest key when full. */
  add(key: string): void {
    this.keys.delete(key);
    this.keys.set(key, true);
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.keys.size > this.capacity) this.keys.delete(this.keys.keys().next().value as string);
  }
}

/** The dedupe key of an alert on a route: delivery is remembered per route, so a retry re-posts only where it failed. */
export const deliveryKey = (alertId: string, route: string): string => `${route}\u0000${alertId}`;
