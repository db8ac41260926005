import type { AccountAddress, ChannelId, StateHash } from '../api-prefixes.js';
import { encoded, id, int, list } from '../field.js';
import { nested, optionalNested } from '../nested.js';
import { defineObject } from '../object-def.js';
import type { ChannelOffchainUpdateCallContract } from './offchain.js';
import type { SignedTx } from './signed-tx.js';
import type { StateTrees } from './state-trees.js';
import type { TreesPoi } from './poi.js';

// Field orders: apps/aechannel/src/aesc_*_tx.erl serialization_template/1 in the node.

const account = id('account');
const channel = id('channel');
const stateHash = encoded('st');

/** `channel_create_tx` (tag 50) v1, valid before Iris: one list of delegates. */
export interface ChannelCreateTxV1 {
  readonly tag: 'channel_create_tx';
  readonly version: 1;
  readonly initiatorId: AccountAddress;
  readonly initiatorAmount: bigint;
  readonly responderId: AccountAddress;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly delegateIds: readonly AccountAddress[];
  readonly stateHash: StateHash;
  readonly nonce: bigint;
}

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

/** `channel_create_tx` (tag 50) v2, from Iris: delegates per participant. */
export interface ChannelCreateTxV2 {
  readonly tag: 'channel_create_tx';
  readonly version: 2;
  readonly initiatorId: AccountAddress;
  readonly initiatorAmount: bigint;
  readonly responderId: AccountAddress;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly initiatorDelegateIds: readonly AccountAddress[];
  readonly responderDelegateIds: readonly AccountAddress[];
  readonly stateHash: StateHash;
  readonly nonce: bigint;
}

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

/** `channel_deposit_tx` (tag 51) v1. */
export interface ChannelDepositTx {
  readonly tag: 'channel_deposit_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly amount: bigint;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly stateHash: StateHash;
  readonly round: bigint;
  readonly nonce: bigint;
}

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

/** `channel_withdraw_tx` (tag 52) v1. */
export interface ChannelWithdrawTx {
  readonly tag: 'channel_withdraw_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly toId: AccountAddress;
  readonly amount: bigint;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly stateHash: StateHash;
  readonly round: bigint;
  readonly nonce: bigint;
}

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

/** `channel_close_mutual_tx` (tag 53) v1. */
export interface ChannelCloseMutualTx {
  readonly tag: 'channel_close_mutual_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly initiatorAmountFinal: bigint;
  readonly responderAmountFinal: bigint;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

export const channelCloseMutualTxV1 = defineObject<ChannelCloseMutualTx>('channel_close_mutual_tx', 1, {
  channelId: channel,
  fromId: account,
  initiatorAmountFinal: int,
  responderAmountFinal: int,
  ttl: int,
  fee: int,
  nonce: int,
});

/** `channel_close_solo_tx` (tag 54) v1. `payload` is the latest co-signed off-chain tx, or null to close on the on-chain state. */
export interface ChannelCloseSoloTx {
  readonly tag: 'channel_close_solo_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly payload: SignedTx | null;
  readonly poi: TreesPoi;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

export const channelCloseSoloTxV1 = defineObject<ChannelCloseSoloTx>('channel_close_solo_tx', 1, {
  channelId: channel,
  fromId: account,
  payload: optionalNested('signed_tx'),
  poi: nested('trees_poi'),
  ttl: int,
  fee: int,
  nonce: int,
});

/** `channel_slash_tx` (tag 55) v1: same layout as close_solo. */
export interface ChannelSlashTx {
  readonly tag: 'channel_slash_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly payload: SignedTx | null;
  readonly poi: TreesPoi;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

export const channelSlashTxV1 = defineObject<ChannelSlashTx>('channel_slash_tx', 1, {
  channelId: channel,
  fromId: account,
  payload: optionalNested('signed_tx'),
  poi: nested('trees_poi'),
  ttl: int,
  fee: int,
  nonce: int,
});

/** `channel_settle_tx` (tag 56) v1. */
export interface ChannelSettleTx {
  readonly tag: 'channel_settle_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly initiatorAmountFinal: bigint;
  readonly responderAmountFinal: bigint;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

export const channelSettleTxV1 = defineObject<ChannelSettleTx>('channel_settle_tx', 1, {
  channelId: channel,
  fromId: account,
  initiatorAmountFinal: int,
  responderAmountFinal: int,
  ttl: int,
  fee: int,
  nonce: int,
});

/** `channel_snapshot_solo_tx` (tag 59) v1: posts the latest co-signed state; the payload is never empty. */
export interface ChannelSnapshotSoloTx {
  readonly tag: 'channel_snapshot_solo_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly payload: SignedTx;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

export const channelSnapshotSoloTxV1 = defineObject<ChannelSnapshotSoloTx>('channel_snapshot_solo_tx', 1, {
  channelId: channel,
  fromId: account,
  payload: nested('signed_tx'),
  ttl: int,
  fee: int,
  nonce: int,
});

/** `channel_force_progress_tx` (tag 521) v1. */
export interface ChannelForceProgressTx {
  readonly tag: 'channel_force_progress_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly payload: SignedTx | null;
  readonly round: bigint;
  readonly update: ChannelOffchainUpdateCallContract;
  readonly stateHash: StateHash;
  readonly offchainTrees: StateTrees;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

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

/** `channel_set_delegates_tx` (tag 501) v1, from Iris. */
export interface ChannelSetDelegatesTx {
  readonly tag: 'channel_set_delegates_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly fromId: AccountAddress;
  readonly initiatorDelegateIds: readonly AccountAddress[];
  readonly responderDelegateIds: readonly AccountAddress[];
  readonly payload: SignedTx | null;
  readonly stateHash: StateHash;
  readonly round: bigint;
  readonly ttl: bigint;
  readonly fee: bigint;
  readonly nonce: bigint;
}

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
