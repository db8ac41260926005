import type { AccountAddress, SignedTx } from '@aesc/encoding';
import { decodeApi } from '@aesc/encoding';
import { AESC_ERROR__CHAIN__POOL_FULL, AescError } from '@aesc/errors';
import type { SupportedTx } from './ledger.js';
import type { SignatureCheck } from './signatures.js';
import { txFailureLimit } from './tx-failure-limits.js';

/**
 * The mempool's settings. `txTtl` and `invalidTxTtl` are the node's (`mempool.tx_ttl`,
 * `mempool.invalid_tx_ttl`); the node's pool has no size bounds, the dev chain's three bounds keep
 * hostile posts from growing memory without end.
 */
export interface MempoolLimits {
  /** At most this many txs wait (default 4,096). */
  readonly maxTxs: number;
  /** At most this many bytes of signed txs wait (default 16 MiB). */
  readonly maxBytes: number;
  /** At most this many txs of one origin account wait (default 32). */
  readonly maxPerAccount: number;
  /** A tx is dropped this many generations after it came in, if its own TTL does not drop it first (the node's 6,720: two weeks). */
  readonly txTtl: bigint;
  /** A tx found invalid when a block is made (TTL passed, nonce used) is dropped this many generations later (the node's 5). */
  readonly invalidTxTtl: bigint;
}

/** The defaults of {@link MempoolLimits}. */
export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = Object.freeze({
  maxTxs: 4096,
  maxBytes: 16 * 1024 * 1024,
  maxPerAccount: 32,
  txTtl: 6720n,
  invalidTxTtl: 5n,
});

/** A tx waiting in the mempool. */
export interface PoolEntry {
  readonly hash: string;
  readonly signed: SignedTx;
  readonly tx: SupportedTx;
  readonly origin: AccountAddress;
  /** Bytes of the signed tx. */
  readonly size: number;
  /** Its gas (`aetx:gas_limit/3`: base gas + 20 per byte of the tx), what it takes of a micro block's gas. */
  readonly gas: bigint;
  /** What it reads that another tx can change: its origin's (and a create's responder's) account, its channel. */
  readonly deps: readonly string[];
  /** The height at which garbage collection drops it (`aec_tx_pool_gc`: when the top reaches it). */
  gcHeight: bigint;
  /** Its signature check, once made against a state in which its signers are known. */
  signatures: SignatureCheck | undefined;
  /** Generations in which it failed to be applied, and the reason of the last failure. */
  failures: number;
  lastFailure: { readonly height: bigint; readonly reason: string } | undefined;
  /** Whether the database holds it (persisted pools only). */
  persisted: boolean;
}

/**
 * The mempool as the node keeps it (`aec_tx_pool`): txs by hash, ordered as the node orders its
 * pool (highest fee first, then origin, nonce and hash), dropped by garbage collection once the
 * chain reaches their TTL or two weeks of generations, and dropped once they failed as often as
 * the node's `mempool.tx_failures` limits allow for their type and reason. Bounded by
 * {@link MempoolLimits}. Pure bookkeeping: the chain decides what to admit and what failed.
 */
export class Mempool {
  readonly limits: MempoolLimits;
  readonly #entries = new Map<string, PoolEntry>();
  readonly #perOrigin = new Map<string, number>();
  #bytes = 0;
  /** The entries in pool order, with their origins and hashes as bytes (kept sorted as entries come and go). */
  readonly #ordered: { readonly e: PoolEntry; readonly origin: Uint8Array; readonly hash: Uint8Array }[] = [];
  #entriesInOrder: PoolEntry[] | undefined;

  constructor(limits: Partial<MempoolLimits> = {}) {
    this.limits = Object.freeze({ ...DEFAULT_MEMPOOL_LIMITS, ...limits });
  }

  /** How many txs wait. */
  get size(): number {
    return this.#entries.size;
  }

  /** How many bytes of signed txs wait. */
  get bytes(): number {
    return this.#bytes;
  }

  get(hash: string): PoolEntry | undefined {
    return this.#entries.get(hash);
  }

  has(hash: string): boolean {
    return this.#entries.has(hash);
  }

  /** Every entry, in no particular order. */
  entries(): IterableIterator<PoolEntry> {
    return this.#entries.values();
  }

  /**
   * Adds an entry, or throws `AESC_ERROR__CHAIN__POOL_FULL` (leaving the pool as it was) when it
   * would break a bound.
   */
  add(entry: PoolEntry): void {
    const l = this.limits;
    const own = this.#perOrigin.get(entry.origin) ?? 0;
    const bound: { bound: 'txs' | 'bytes' | 'account'; max: number } | undefined =
      this.#entries.size + 1 > l.maxTxs
        ? { bound: 'txs', max: l.maxTxs }
        : this.#bytes + entry.size > l.maxBytes
          ? { bound: 'bytes', max: l.maxBytes }
          : own + 1 > l.maxPerAccount
            ? { bound: 'account', max: l.maxPerAccount }
            : undefined;
    if (bound !== undefined) throw new AescError(AESC_ERROR__CHAIN__POOL_FULL, bound);
    this.#entries.set(entry.hash, entry);
    this.#perOrigin.set(entry.origin, own + 1);
    this.#bytes += entry.size;
    const item = { e: entry, origin: decodeApi(entry.origin, 'ak'), hash: decodeApi(entry.hash, 'th') };
    this.#ordered.splice(this.#position(item), 0, item);
    this.#entriesInOrder = undefined;
  }

  /** Where an item goes in (or is in) the pool order: binary search. */
  #position(item: { readonly e: PoolEntry; readonly origin: Uint8Array; readonly hash: Uint8Array }): number {
    let lo = 0;
    let hi = this.#ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (poolOrder(this.#ordered[mid]!, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Removes an entry; returns it, if it was there. */
  delete(hash: string): PoolEntry | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) return undefined;
    this.#entries.delete(hash);
    const own = (this.#perOrigin.get(entry.origin) ?? 1) - 1;
    if (own === 0) this.#perOrigin.delete(entry.origin);
    else this.#perOrigin.set(entry.origin, own);
    this.#bytes -= entry.size;
    const at = this.#position({ e: entry, origin: decodeApi(entry.origin, 'ak'), hash: decodeApi(entry.hash, 'th') });
    if (this.#ordered[at]?.e === entry) this.#ordered.splice(at, 1);
    this.#entriesInOrder = undefined;
    return entry;
  }

  /**
   * The entries in the node's pool order (`aec_tx_pool:pool_db_key/2`): the highest fee first
   * (these txs have no gas price of their own), then by origin, nonce and hash (as bytes).
   */
  ordered(): readonly PoolEntry[] {
    this.#entriesInOrder ??= this.#ordered.map((x) => x.e);
    return this.#entriesInOrder;
  }

  /** Garbage collection on a new key block at `height`: drops and returns the entries whose GC height it reached. */
  collect(height: bigint): PoolEntry[] {
    const dropped: PoolEntry[] = [];
    for (const e of [...this.#entries.values()]) {
      if (e.gcHeight <= height) {
        this.delete(e.hash);
        dropped.push(e);
      }
    }
    return dropped;
  }

  /** Marks an entry found invalid while making a block at `height`: it is dropped {@link MempoolLimits.invalidTxTtl} generations later. */
  invalid(entry: PoolEntry, height: bigint): void {
    const at = height + this.limits.invalidTxTtl;
    if (at < entry.gcHeight) entry.gcHeight = at;
  }

  /**
   * Records that an entry failed to be applied with `reason` while making a block at `height`.
   * Failures count once per generation (see the README); once they reach the node's limit for the
   * tx type and reason the entry is dropped, and true is returned.
   */
  fail(entry: PoolEntry, reason: string, height: bigint): boolean {
    if (entry.lastFailure?.height !== height) entry.failures++;
    entry.lastFailure = { height, reason };
    if (entry.failures < txFailureLimit(entry.tx.tag, reason)) return false;
    this.delete(entry.hash);
    return true;
  }
}

/** The node's pool order of two entries: fee (highest first), then origin, nonce and hash as bytes. */
function poolOrder(x: { readonly e: PoolEntry; readonly origin: Uint8Array; readonly hash: Uint8Array }, y: typeof x): number {
  if (x.e.tx.fee !== y.e.tx.fee) return x.e.tx.fee > y.e.tx.fee ? -1 : 1;
  const o = Buffer.compare(x.origin, y.origin);
  if (o !== 0) return o;
  if (x.e.tx.nonce !== y.e.tx.nonce) return x.e.tx.nonce < y.e.tx.nonce ? -1 : 1;
  return Buffer.compare(x.hash, y.hash);
}

