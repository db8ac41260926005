import type { PoolEntry } from './mempool.js';

/**
 * Pooled txs that did not apply in this generation and wait for something they read to change
 * (`PoolEntry.deps`): nothing else can make them apply before the next key block, so blocks skip
 * them; by the account (`a:ak_…`) or channel (`c:ch_…`) that wakes them. Pure bookkeeping.
 */
export class PoolSleepers {
  readonly #asleep = new Set<PoolEntry>();
  readonly #byKey = new Map<string, PoolEntry[]>();

  /** Whether a pooled tx sleeps. */
  has(e: PoolEntry): boolean {
    return this.#asleep.has(e);
  }

  /** Puts a pooled tx that did not apply to sleep until something it reads changes. */
  sleep(e: PoolEntry): void {
    this.#asleep.add(e);
    for (const k of e.deps) {
      const list = this.#byKey.get(k);
      if (list === undefined) this.#byKey.set(k, [e]);
      else if (!list.includes(e)) list.push(e);
    }
  }

  /** Wakes the pooled txs that read `key` (an account or channel a tx just changed). */
  wake(key: string): void {
    for (const e of this.#byKey.get(key) ?? []) this.#asleep.delete(e);
    this.#byKey.delete(key);
  }

  /** Wakes every pooled tx (a new height, or an empty pool). */
  clear(): void {
    this.#asleep.clear();
    this.#byKey.clear();
  }
}
