/**
 * How often a pooled tx may fail to be applied before the mempool drops it: the node's default
 * `mempool.tx_failures` settings (`aec_tx_pool_failures`, defaults from the node's config schema),
 * for the tx types this chain runs. A tx type's own table is read over the common one, and a
 * reason missing from both falls back to the type's `fallback`.
 */
const COMMON: Readonly<Record<string, number>> = {
  fallback: 5,
  insufficient_funds: 20,
  crash: 1,
  not_a_generalized_account: 15,
  tx_nonce_already_used_for_account: 1,
  tx_nonce_too_high_for_account: 30,
};

/** The solo txs' payload and PoI checks: a failure of any of them is final. */
const PAYLOAD_CHECKS = {
  payload_deserialization_failed: 1,
  bad_offchain_state_type: 1,
  account_not_found: 1,
  invalid_poi_hash_in_channel: 1,
  bad_state_channel_pubkey: 1,
  old_round: 1,
  same_round: 1,
  signature_check_failed: 1,
  wrong_channel_peers: 1,
  poi_amounts_change_channel_funds: 1,
} as const;

const BY_TYPE: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  spend_tx: { fallback: 5, insufficient_funds: 20 },
  channel_create_tx: { fallback: 5, insufficient_funds: 20 },
  channel_close_mutual_tx: { fallback: 5, insufficient_funds: 20, channel_does_not_exist: 5, account_not_peer: 1, channel_not_active: 1, wrong_amounts: 20 },
  channel_deposit_tx: { fallback: 5, insufficient_funds: 20, channel_does_not_exist: 5, channel_not_active: 1, old_round: 1, same_round: 1 },
  channel_withdraw_tx: {
    fallback: 5,
    insufficient_funds: 20,
    channel_does_not_exist: 5,
    channel_not_active: 1,
    old_round: 1,
    same_round: 1,
    not_enough_channel_funds: 20,
  },
  channel_settle_tx: {
    fallback: 5,
    insufficient_funds: 20,
    channel_does_not_exist: 5,
    account_not_peer: 1,
    channel_not_closed: 20,
    wrong_amt: 20,
    insufficient_channel_funds: 1,
  },
  channel_close_solo_tx: { fallback: 5, insufficient_funds: 20, channel_does_not_exist: 5, account_not_peer: 1, channel_not_active: 1, ...PAYLOAD_CHECKS },
  channel_slash_tx: {
    fallback: 5,
    insufficient_funds: 20,
    channel_does_not_exist: 5,
    account_not_peer: 1,
    channel_not_closing: 20,
    ...PAYLOAD_CHECKS,
    slash_must_have_payload: 1,
  },
  channel_snapshot_solo_tx: {
    fallback: 5,
    insufficient_funds: 20,
    payload_deserialization_failed: 1,
    snapshot_must_have_payload: 1,
    bad_offchain_state_type: 1,
    channel_does_not_exist: 5,
    account_not_found: 1,
    account_not_peer: 1,
    channel_not_active: 1,
    old_round: 1,
    same_round: 1,
    signature_check_failed: 1,
  },
};

/**
 * How many failures with `reason` a pooled tx of type `tag` may have before the mempool drops it
 * (`aec_tx_pool_failures:limit/2` with the node's defaults): e.g. 20 for a settle refused with
 * `channel_not_closed` (its lock period has not run out), 1 for a slash refused with `old_round`.
 */
export function txFailureLimit(tag: string, reason: string): number {
  const table = { ...COMMON, ...BY_TYPE[tag] };
  return table[reason] ?? table.fallback ?? 5;
}
