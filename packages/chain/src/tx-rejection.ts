/**
 * Why the ledger refused a tx: the node's own reason atom (`insufficient_funds`, `old_round`,
 * `channel_not_closed`, …), as its HTTP API reports it in `error_code`.
 */
export class TxRejection extends Error {
  override readonly name = 'TxRejection';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Throws a {@link TxRejection} with the node's reason. */
export function reject(reason: string): never {
  throw new TxRejection(reason);
}
