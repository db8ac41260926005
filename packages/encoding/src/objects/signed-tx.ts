import { list, rawEncoded } from '../field.js';
import { nested } from '../nested.js';
import { defineObject } from '../object-def.js';
import type { Transaction } from './index.js';

/**
 * `signed_tx` (tag 11) v1: a transaction with its signatures (`aetx_sign`). The node sorts the
 * signatures bytewise when it serializes one. Signatures are 64-byte arrays here (shown as `sg_…`
 * in JSON).
 */
export interface SignedTx {
  readonly tag: 'signed_tx';
  readonly version: 1;
  readonly signatures: readonly Uint8Array[];
  readonly tx: Transaction;
}

export const signedTxV1 = defineObject<SignedTx>('signed_tx', 1, {
  signatures: list(rawEncoded('sg')),
  tx: nested(
    'spend_tx',
    'channel_create_tx',
    'channel_deposit_tx',
    'channel_withdraw_tx',
    'channel_close_mutual_tx',
    'channel_close_solo_tx',
    'channel_slash_tx',
    'channel_settle_tx',
    'channel_snapshot_solo_tx',
    'channel_force_progress_tx',
    'channel_set_delegates_tx',
    'channel_offchain_tx',
    'contract_create_tx',
    'contract_call_tx',
    'ga_attach_tx',
    'ga_meta_tx',
    'paying_for_tx',
  ),
});
