import type { AccountAddress, ContractAddress, NameHash, OracleAddress } from '../api-prefixes.js';
import { bytes, id, int } from '../field.js';
import { defineObject } from '../object-def.js';

/** `spend_tx` (tag 12) v1 (`aec_spend_tx`). */
export interface SpendTx {
  readonly tag: 'spend_tx';
  readonly version: 1;
  readonly senderId: AccountAddress;
  readonly recipientId: AccountAddress | NameHash | ContractAddress | OracleAddress;
  readonly amount: bigint;
  readonly fee: bigint;
  readonly ttl: bigint;
  readonly nonce: bigint;
  readonly payload: Uint8Array;
}

export const spendTxV1 = defineObject<SpendTx>('spend_tx', 1, {
  senderId: id('account'),
  recipientId: id('account', 'name', 'contract', 'oracle'),
  amount: int,
  fee: int,
  ttl: int,
  nonce: int,
  payload: bytes,
});
