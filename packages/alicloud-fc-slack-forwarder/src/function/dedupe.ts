/**
 * A bounded least-recently-used set of keys. The oldest key is evicted when the set is full; `capacity` may
 * be raised (never lowered) while it is in use.
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
  constructor(public capacity: number) {
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

/**
 * What a warm Function Compute instance remembers of its deliveries, so a redelivered event (EventBridge may
 * repeat an `id`, CloudMonitor retries a callback, FC retries a failed async invocation) is posted once per
 * instance and route, while a new state of the same event (same id, another status) is posted.
 *
 * - Keys are route + alert id + status.
 * - One LRU per route, each holding at least `capacity` keys and at least twice the largest batch that route was
 *   given: a batch never evicts its own keys, so the retry of any accepted batch (the parser caps an input at
 *   8 MiB, which bounds a batch) re-posts only what was not delivered on each route, even after another batch
 *   as large came in between. Memory: about 100 bytes per key, so routes × max(capacity, 2 × largest batch) keys.
 * - In flight: a key being posted by one invocation makes a concurrent invocation of the same alert (FC instance
 *   concurrency > 1) wait for that outcome instead of posting it again.
 *
 * @example
 * ```ts
 * const memory = new DeliveryMemory(1000);
 * memory.reserve('default', 1500);
 * memory.add(deliveryKey('default', 'evt-1', 'Scheduled'));
 * memory.has(deliveryKey('default', 'evt-1', 'Executing')); // false: a new state is posted
 * ```
 */
export class DeliveryMemory {
  readonly #routes = new Map<string, LruSet>();
  readonly #inFlight = new Map<string, Promise<boolean>>();

  /** @param capacity - keys each route keeps at least (`dedupeCapacity`) */
  constructor(readonly capacity: number) {}

  #route(route: string): LruSet {
    let set = this.#routes.get(route);
    if (set === undefined) this.#routes.set(route, (set = new LruSet(this.capacity)));
    return set;
  }

  /** Makes `route` keep at least twice `batch` keys (a batch of that size never evicts its own). */
  reserve(route: string, batch: number): void {
    const set = this.#route(route);
    set.capacity = Math.max(set.capacity, 2 * batch);
  }

  /** True when the key (see {@link deliveryKey}) was delivered. */
  has(key: string): boolean {
    return this.#route(routeOf(key)).has(key);
  }

  /** Remembers a delivered key. */
  add(key: string): void {
    this.#route(routeOf(key)).add(key);
  }

  /** The outcome (true: delivered) of the key another invocation is posting now, if any. */
  pending(key: string): Promise<boolean> | undefined {
    return this.#inFlight.get(key);
  }

  /** Marks keys as being posted; call the returned function with the outcome of each when it is known. */
  claim(keys: readonly string[]): (key: string, delivered: boolean) => void {
    const settle = new Map<string, (delivered: boolean) => void>();
    for (const key of keys) this.#inFlight.set(key, new Promise<boolean>((resolve) => settle.set(key, resolve)));
    // Settling a key twice (or one claimed again since) changes nothing.
    return (key, delivered) => {
      const resolve = settle.get(key);
      if (!resolve) return;
      if (delivered) this.add(key);
      this.#inFlight.delete(key);
      resolve(delivered);
      settle.delete(key);
    };
  }
}

const SEPARATOR = '\u0000';
const routeOf = (key: string): string => key.slice(0, key.indexOf(SEPARATOR));

/**
 * The dedupe key of one state of an alert on a route: route + alert id + status, so a retry re-posts only where it
 * failed and each lifecycle state (Scheduled → Executing → Avoided) posts once.
 */
export const deliveryKey = (route: string, alertId: string, status: string): string => `${route}${SEPARATOR}${alertId}${SEPARATOR}${status}`;
