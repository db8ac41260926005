/**
 * Object tags of the node's serialization (`aeser_chain_objects:tag/1`): the first field of every
 * serialized chain object.
 */
export const OBJECT_TAGS = {
  account: 10,
  signed_tx: 11,
  spend_tx: 12,
  oracle: 20,
  oracle_query: 21,
  oracle_register_tx: 22,
  oracle_query_tx: 23,
  oracle_response_tx: 24,
  oracle_extend_tx: 25,
  name: 30,
  name_commitment: 31,
  name_claim_tx: 32,
  name_preclaim_tx: 33,
  name_update_tx: 34,
  name_revoke_tx: 35,
  name_transfer_tx: 36,
  name_auction: 37,
  contract: 40,
  contract_call: 41,
  contract_create_tx: 42,
  contract_call_tx: 43,
  channel_create_tx: 50,
  channel_set_delegates_tx: 501,
  channel_deposit_tx: 51,
  channel_withdraw_tx: 52,
  channel_force_progress_tx: 521,
  channel_close_mutual_tx: 53,
  channel_close_solo_tx: 54,
  channel_slash_tx: 55,
  channel_settle_tx: 56,
  channel_offchain_tx: 57,
  channel_offchain_update_transfer: 570,
  channel_offchain_update_deposit: 571,
  channel_offchain_update_withdraw: 572,
  channel_offchain_update_create_contract: 573,
  channel_offchain_update_call_contract: 574,
  channel_client_reconnect_tx: 575,
  channel_offchain_update_meta: 576,
  channel: 58,
  channel_snapshot_solo_tx: 59,
  trees_poi: 60,
  trees_db: 61,
  state_trees: 62,
  mtree: 63,
  mtree_value: 64,
  contracts_mtree: 621,
  calls_mtree: 622,
  channels_mtree: 623,
  nameservice_mtree: 624,
  oracles_mtree: 625,
  accounts_mtree: 626,
  compiler_sophia: 70,
  ga_attach_tx: 80,
  ga_meta_tx: 81,
  ga_meta_tx_auth_data: 810,
  paying_for_tx: 82,
  hc_vote_tx: 83,
  key_block: 100,
  micro_block: 101,
  light_micro_block: 102,
  pof: 200,
} as const;

/** A chain object type name, as the node names it. */
export type ObjectName = keyof typeof OBJECT_TAGS;

const NAME_BY_TAG: ReadonlyMap<number, ObjectName> = new Map(
  (Object.entries(OBJECT_TAGS) as [ObjectName, number][]).map(([name, tag]) => [tag, name]),
);

/** The object name of a numeric tag, or undefined for a tag the node does not define. */
export function objectNameOf(tag: number): ObjectName | undefined {
  return NAME_BY_TAG.get(tag);
}
