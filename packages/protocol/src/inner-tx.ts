import type { AccountAddress, SignedTx, Transaction } from '@aesc/encoding';

/** A signed tx with the generalized-account meta txs around it taken off. */
export interface InnerTx {
  /** The innermost signed tx: the one a `ga_meta_tx` wraps, or the signed tx itself. */
  readonly signed: SignedTx;
  /** Its transaction, never a `ga_meta_tx`. */
  readonly tx: Exclude<Transaction, { readonly tag: 'ga_meta_tx' }>;
  /**
   * The account the outermost `ga_meta_tx` names (its authorization is a call of that account's
   * auth contract); undefined for a tx no meta tx wraps.
   */
  readonly generalized?: AccountAddress;
}

/**
 * The transaction a signed tx carries out, inside any generalized-account meta txs
 * (`aetx_sign:innermost_tx/1`): what its type, channel, round and state hash are read from.
 *
 * @example
 * ```ts
 * const { tx, generalized } = innerTx(decodeTx(signedTx));
 * if (tx.tag === 'channel_offchain_tx') tx.round; // the round, wrapped or not
 * ```
 */
export function innerTx(signed: SignedTx): InnerTx {
  let inner = signed;
  let generalized: AccountAddress | undefined;
  while (inner.tx.tag === 'ga_meta_tx') {
    generalized ??= inner.tx.gaId;
    inner = inner.tx.tx;
  }
  const tx = inner.tx as InnerTx['tx'];
  return generalized === undefined ? { signed: inner, tx } : { signed: inner, tx, generalized };
}
