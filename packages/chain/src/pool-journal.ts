import { type SignedTx, decodeTx, encodeTx } from '@aesc/encoding';
import type { Mempool, PoolEntry } from './mempool.js';
import type { SqliteStore } from './sqlite-store.js';

/**
 * The pool as the database keeps it: what came into the pool and what left it since the pool
 * table was last written, written in one go by {@link PoolJournal.save}. The chain's pool
 * decisions stay in memory; this is their I/O.
 */
export class PoolJournal {
  readonly #store: SqliteStore;
  /** Hashes of txs the database's pool table holds that have left the pool since it was last written. */
  #gone: string[] = [];
  /** Pooled txs the database's pool table does not hold yet. */
  #fresh: PoolEntry[] = [];

  constructor(store: SqliteStore) {
    this.#store = store;
  }

  /**
   * Takes the pool kept in the database back into `pool`, as the node rebuilds its pool from its
   * database at start (`aec_tx_pool:init/1`): without checks, each entry made by `entry`; a tx
   * mined meanwhile, one `entry` does not make (undefined or a throw) or beyond the pool's bounds is
   * let go, and the table written at once.
   */
  reload(pool: Mempool, entry: (hash: string, signed: SignedTx) => PoolEntry | undefined): void {
    for (const row of this.#store.poolTxs()) {
      try {
        const e = this.#store.tx(row.hash) === undefined ? entry(row.hash, decodeTx(row.tx)) : undefined;
        if (e !== undefined) {
          e.persisted = true;
          pool.add(e);
          continue;
        }
      } catch {
        // undecodable or over a bound: let go
      }
      this.#gone.push(row.hash);
    }
    this.save(pool);
  }

  /** Notes an entry that came into the pool. */
  added(e: PoolEntry): void {
    this.#fresh.push(e);
  }

  /** Notes an entry that left the pool (mined or dropped). */
  removed(e: PoolEntry): void {
    if (e.persisted) this.#gone.push(e.hash);
  }

  /** Writes what changed in the pool since the last write: its new txs (those still in `pool`), and the ones gone. */
  save(pool: Mempool): void {
    const fresh = this.#fresh.filter((e) => pool.get(e.hash) === e);
    this.#fresh = [];
    if (fresh.length === 0 && this.#gone.length === 0) return;
    this.#store.syncPool(
      fresh.map((e) => ({ hash: e.hash, tx: encodeTx(e.signed) })),
      this.#gone,
    );
    for (const e of fresh) e.persisted = true;
    this.#gone = [];
  }
}
