import type { ChannelId, SignedTx } from '@aesc/encoding';
import { type LedgerState, type TxApplied, applyTx, getAccount } from './ledger.js';
import type { Mempool, PoolEntry } from './mempool.js';
import { hasPayload } from './pool-entry.js';
import type { PoolSleepers } from './pool-sleepers.js';
import type { ChainRules } from './protocol.js';
import { BLOCK_GAS_LIMIT } from './recent-gas-prices.js';
import { verifyTxSignatures } from './signatures.js';
import { txPeers, txTouches } from './tx-dependencies.js';
import { TxRejection, reject } from './tx-rejection.js';

/** A tx a micro block includes. */
export interface IncludedTx {
  readonly hash: string;
  readonly signed: SignedTx;
  readonly channelId?: ChannelId;
}

/** What {@link microCandidate} picked: the txs of the block, the state after them, and what left the pool. */
export interface MicroCandidate {
  /** The state after the included txs (the state it started from when none applied). */
  readonly state: LedgerState;
  /** The txs of the block, in the order they were applied (none: no block). */
  readonly included: readonly IncludedTx[];
  /** The pool entries of the included txs, still in the pool: the chain takes them out once the block is on disk. */
  readonly done: ReadonlySet<PoolEntry>;
  /** Entries dropped from the pool for failing as often as the node allows. */
  readonly dropped: readonly PoolEntry[];
}

/**
 * Picks and applies the pooled txs of the next micro block on `state` at `height`, as the node does
 * (`aec_block_micro_candidate`, `aec_tx_pool:get_candidate`): in pool order, a tx whose TTL is
 * the height or below or whose nonce is used already is invalid (dropped
 * `MempoolLimits.invalidTxTtl` generations later); the others are applied while the block's
 * gas lasts, over and over while one more applies (a tx may wait for another of the same block: a
 * nonce, or the close a slash answers). Those that still do not apply count a failure for this
 * generation and are dropped at the node's limit for their type and reason. A tx that did not
 * apply earlier in this generation sleeps until an account or channel it reads changes: nothing
 * else can make it apply before the next key block (so a flood of txs that cannot apply costs a
 * post a set lookup each, not an attempt each). Updates `pool` and `sleepers`; writes nothing.
 */
export async function microCandidate(
  pool: Mempool,
  sleepers: PoolSleepers,
  start: LedgerState,
  height: bigint,
  rules: ChainRules,
): Promise<MicroCandidate> {
  let state = start;
  let gas = BLOCK_GAS_LIMIT;
  const included: IncludedTx[] = [];
  const done = new Set<PoolEntry>();
  const failed = new Map<PoolEntry, string>();
  const candidates: PoolEntry[] = [];
  for (const e of pool.ordered()) {
    if (!sleepers.has(e)) {
      const account = getAccount(state, e.origin);
      if ((e.tx.ttl !== 0n && e.tx.ttl <= height) || (account !== undefined && e.tx.nonce <= account.nonce)) {
        pool.invalid(e, height);
        sleepers.sleep(e);
        continue;
      }
    }
    candidates.push(e);
  }
  let progress = true;
  while (progress) {
    progress = false;
    for (const e of candidates) {
      if (done.has(e) || sleepers.has(e) || e.gas > gas) continue;
      try {
        const peers = txPeers(state, e.tx);
        const applied = await applyPooled(state, e, height, rules);
        state = applied.state;
        gas -= e.gas;
        done.add(e);
        failed.delete(e);
        for (const k of [...txTouches(e.tx, applied.channelId), ...peers]) sleepers.wake(k);
        included.push({ hash: e.hash, signed: e.signed, ...(applied.channelId ? { channelId: applied.channelId } : {}) });
        progress = true;
      } catch (err) {
        if (!(err instanceof TxRejection)) throw err;
        failed.set(e, err.reason);
        sleepers.sleep(e);
      }
    }
  }
  const dropped: PoolEntry[] = [];
  for (const [e, reason] of failed) if (pool.fail(e, reason, height)) dropped.push(e);
  if (pool.size === 0) sleepers.clear();
  return { state, included, done, dropped };
}

/**
 * Applies a pooled tx to a state at `height`: its signatures (checked once against a state that
 * knows its signers, and kept on the entry), then the consensus rules. Throws a TxRejection with
 * the node's reason.
 */
export async function applyPooled(state: LedgerState, e: PoolEntry, height: bigint, rules: ChainRules): Promise<TxApplied> {
  let sigs = e.signatures;
  if (sigs === undefined) {
    sigs = await verifyTxSignatures(state, e.signed, rules.networkId);
    if (sigs.valid && (sigs.payloadValid !== undefined || !hasPayload(e.tx))) e.signatures = sigs;
  }
  if (!sigs.valid) reject('signature_check_failed');
  return applyTx(state, e.signed, { height, rules, ...(sigs.payloadValid === undefined ? {} : { payloadSignaturesValid: sigs.payloadValid }) });
}
