/**
 * The bundle's `node:crypto` (tsup.config.ts resolves the imports of `crypto`/`node:crypto` in
 * dist/function.cjs — the parser's payload hash — to this file): the same `createHash`, but `node:crypto` is
 * required only at its first call (an event without an id), not at every cold start. Not used by the sources
 * or the unit tests, which import `node:crypto` directly.
 */
import type * as Crypto from 'node:crypto';

/** `crypto.createHash`, requiring `node:crypto` at the first call. */
export const createHash: typeof Crypto.createHash = ((...args: Parameters<typeof Crypto.createHash>) =>
  (module.require('node:crypto') as typeof Crypto).createHash(...args)) as typeof Crypto.createHash;
