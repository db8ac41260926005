import { type SignedTx, encodeObject } from '@aesc/encoding';
import { type SupportedTx, isSupportedTx, txOrigin } from './ledger.js';
import type { PoolEntry } from './mempool.js';
import { feeGas } from './protocol.js';
import { txDeps } from './tx-dependencies.js';

/**
 * A pool entry of a signed tx coming in at `height` (undefined for a tx type the chain does not
 * run): due for garbage collection `txTtl` generations later, or at its own TTL if that comes first.
 */
export function poolEntry(hash: string, signed: SignedTx, height: bigint, txTtl: bigint): PoolEntry | undefined {
  const tx = signed.tx;
  if (!isSupportedTx(tx)) return undefined;
  const gc = height + txTtl;
  return {
    hash,
    signed,
    tx,
    origin: txOrigin(tx),
    size: encodeObject(signed).length,
    gas: feeGas(encodeObject(tx).length),
    deps: txDeps(tx, signed),
    gcHeight: tx.ttl !== 0n && tx.ttl < gc ? tx.ttl : gc,
    signatures: undefined,
    failures: 0,
    lastFailure: undefined,
    persisted: false,
  };
}

/** Whether a solo tx carries an off-chain payload whose signatures are checked against the channel's peers. */
export function hasPayload(tx: SupportedTx): boolean {
  return (tx.tag === 'channel_close_solo_tx' || tx.tag === 'channel_slash_tx' || tx.tag === 'channel_snapshot_solo_tx') && tx.payload !== null;
}
