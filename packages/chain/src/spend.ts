import { signEncodedTx } from '@aesc/crypto';
import { type AccountAddress, type EncodedTx, type Transaction, encodeObject, encodeTx } from '@aesc/encoding';
import { DEFAULT_MIN_MINER_GAS_PRICE, MIN_GAS_PRICE, minFee } from './protocol.js';

/** What {@link signedSpendTx} needs. */
export interface SpendParams {
  readonly sender: AccountAddress;
  readonly recipient: AccountAddress;
  readonly amount: bigint;
  readonly nonce: bigint;
  readonly networkId: string;
  /** The sender's 64-byte secret key (or 32-byte seed). */
  readonly secretKey: Uint8Array;
  readonly payload?: Uint8Array;
  readonly ttl?: bigint;
  /** The gas price the fee pays for; the node's miners take 1e9 by default. */
  readonly gasPrice?: bigint;
}

/**
 * A signed spend_tx (v1) whose fee pays `gasPrice` for its own size — the fee is part of the
 * size, so it is found by iterating until it stops changing.
 */
export async function signedSpendTx(p: SpendParams): Promise<EncodedTx> {
  const gasPrice = p.gasPrice ?? DEFAULT_MIN_MINER_GAS_PRICE;
  const make = (fee: bigint): Transaction => ({
    tag: 'spend_tx',
    version: 1,
    senderId: p.sender,
    recipientId: p.recipient,
    amount: p.amount,
    fee,
    ttl: p.ttl ?? 0n,
    nonce: p.nonce,
    payload: p.payload ?? new Uint8Array(0),
  });
  let fee = 0n;
  for (let i = 0; i < 8; i++) {
    const next = (minFee(encodeObject(make(fee)).length) * gasPrice) / MIN_GAS_PRICE;
    if (next === fee) break;
    fee = next;
  }
  return signEncodedTx(encodeTx({ tag: 'signed_tx', version: 1, signatures: [], tx: make(fee) }), p.networkId, p.secretKey);
}
