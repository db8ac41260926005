import { encoded, id, int, list } from '../field.js';
import { nested, optionalNested } from '../nested.js';
import { defineObject } from '../object-def.js';
import type {
  ChannelCloseMutualTx,
  ChannelCloseSoloTx,
  ChannelCreateTxV1,
  ChannelCreateTxV2,
  ChannelDepositTx,
  ChannelForceProgressTx,
  ChannelSetDelegatesTx,
  ChannelSettleTx,
  ChannelSlashTx,
  ChannelSnapshotSoloTx,
  ChannelWithdrawTx,
} from './transaction.js';

// Field orders: apps/aechannel/src/aesc_*_tx.erl serialization_template/1 in the node. The types
// are in transaction.ts.

const account = id('account');
const channel = id('channel');
const stateHash = encoded('st');

export const channelCreateTxV1 = defineObject<ChannelCreateTxV1>('channel_create_tx', 1, {
  initiatorId: account,
  initiatorAmount: int,
  responderId: account,
  responderAmount: int,
  channelReserve: int,
  lockPeriod: int,
  ttl: int,
  fee: int,
  delegateIds: list(account),
  stateHash,
  nonce: int,
});

export const channelCreateTxV2 = defineObject<ChannelCreateTxV2>('channel_create_tx', 2, {
  initiatorId: account,
  initiatorAmount: int,
  responderId: account,
  responderAmount: int,
  channelReserve: int,
  lockPeriod: int,
  ttl: int,
  fee: int,
  initiatorDelegateIds: list(account),
  responderDelegateIds: list(account),
  stateHash,
  nonce: int,
});

export const channelDepositTxV1 = defineObject<ChannelDepositTx>('channel_deposit_tx', 1, {
  channelId: channel,
  fromId: account,
  amount: int,
  ttl: int,
  fee: int,
  stateHash,
  round: int,
  nonce: int,
});

export const channelWithdrawTxV1 = defineObject<ChannelWithdrawTx>('channel_withdraw_tx', 1, {
  channelId: channel,
  toId: account,
  amount: int,
  ttl: int,
  fee: int,
  stateHash,
  round: int,
  nonce: int,
});

export const channelCloseMutualTxV1 = defineObject<ChannelCloseMutualTx>('channel_close_mutual_tx', 1, {
  channelId: channel,
  fromId: account,
  initiatorAmountFinal: int,
  responderAmountFinal: int,
  ttl: int,
  fee: int,
  nonce: int,
});

export const channelCloseSoloTxV1 = defineObject<ChannelCloseSoloTx>('channel_close_solo_tx', 1, {
  channelId: channel,
  fromId: account,
  payload: optionalNested('signed_tx'),
  poi: nested('trees_poi'),
  ttl: int,
  fee: int,
  nonce: int,
});

export const channelSlashTxV1 = defineObject<ChannelSlashTx>('channel_slash_tx', 1, {
  channelId: channel,
  fromId: account,
  payload: optionalNested('signed_tx'),
  poi: nested('trees_poi'),
  ttl: int,
  fee: int,
  nonce: int,
});

export const channelSettleTxV1 = defineObject<ChannelSettleTx>('channel_settle_tx', 1, {
  channelId: channel,
  fromId: account,
  initiatorAmountFinal: int,
  responderAmountFinal: int,
  ttl: int,
  fee: int,
  nonce: int,
});

export const channelSnapshotSoloTxV1 = defineObject<ChannelSnapshotSoloTx>('channel_snapshot_solo_tx', 1, {
  channelId: channel,
  fromId: account,
  payload: nested('signed_tx'),
  ttl: int,
  fee: int,
  nonce: int,
});

export const channelForceProgressTxV1 = defineObject<ChannelForceProgressTx>('channel_force_progress_tx', 1, {
  channelId: channel,
  fromId: account,
  payload: optionalNested('signed_tx'),
  round: int,
  update: nested('channel_offchain_update_call_contract'),
  stateHash,
  offchainTrees: nested('state_trees'),
  ttl: int,
  fee: int,
  nonce: int,
});

export const channelSetDelegatesTxV1 = defineObject<ChannelSetDelegatesTx>('channel_set_delegates_tx', 1, {
  channelId: channel,
  fromId: account,
  initiatorDelegateIds: list(account),
  responderDelegateIds: list(account),
  payload: optionalNested('signed_tx'),
  stateHash,
  round: int,
  ttl: int,
  fee: int,
  nonce: int,
});
