import { list, rawEncoded } from '../field.js';
import { nested } from '../nested.js';
import { defineObject } from '../object-def.js';
import type { SignedTx } from './transaction.js';

// `signed_tx` (aetx_sign): the signatures, then the serialized transaction. Its type is in transaction.ts.

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
