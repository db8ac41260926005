import type { AccountAddress, ChannelId, ContractBytearray, StateHash } from '../api-prefixes.js';
import type { ContractCallTx, ContractCreateTx } from './contract.js';
import type { ChannelOffchainTxV1, ChannelOffchainTxV2, ChannelOffchainUpdateCallContract } from './offchain.js';
import type { TreesPoi } from './poi.js';
import type { SpendTx } from './spend-tx.js';
import type { StateTrees } from './state-trees.js';

// The types of a signed tx and of the transactions around it. They form one recursive family (a
// signed tx wraps a transaction; a solo close, a slash, a snapshot, a force progress, a
// set_delegates, a GA meta tx and a paying_for tx carry a signed tx in turn), so they are declared
// together, here; their codecs are in signed-tx.ts, channel-txs.ts and ga.ts, beside the node's
// field orders.

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

/** Any transaction a signed tx can wrap. */
export type Transaction =
  | SpendTx
  | ChannelTx
  | ChannelOffchainTxV1
  | ChannelOffchainTxV2
  | ContractCreateTx
  | ContractCallTx
  | GaAttachTx
  | GaMetaTxV1
  | GaMetaTxV2
  | PayingForTx;

/** A channel transaction that goes on chain. */
export type ChannelTx =
  | ChannelCreateTxV1
  | ChannelCreateTxV2
  | ChannelDepositTx
  | ChannelWithdrawTx
  | ChannelCloseMutualTx
  | ChannelCloseSoloTx
  | ChannelSlashTx
  | ChannelSettleTx
  | ChannelSnapshotSoloTx
  | ChannelForceProgressTx
  | ChannelSetDelegatesTx;

// Channel txs: apps/aechannel/src/aesc_*_tx.erl in the node.

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

// GA and paying_for txs: apps/aega/src/aega_attach_tx.erl, aega_meta_tx.erl, apps/aetx/src/aec_paying_for_tx.erl.

/** `ga_attach_tx` (tag 80) v1: makes an account generalized. */
export interface GaAttachTx {
  readonly tag: 'ga_attach_tx';
  readonly version: 1;
  readonly ownerId: AccountAddress;
  readonly nonce: bigint;
  readonly code: ContractBytearray;
  readonly authFun: Uint8Array;
  readonly ctVersion: bigint;
  readonly fee: bigint;
  readonly ttl: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly callData: ContractBytearray;
}

/** `ga_meta_tx` (tag 81) v1 (before Iris): with a ttl. `tx` is the wrapped (signed) transaction. */
export interface GaMetaTxV1 {
  readonly tag: 'ga_meta_tx';
  readonly version: 1;
  readonly gaId: AccountAddress;
  readonly authData: ContractBytearray;
  readonly abiVersion: bigint;
  readonly fee: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly ttl: bigint;
  readonly tx: SignedTx;
}

/** `ga_meta_tx` (tag 81) v2 (from Iris): no ttl. */
export interface GaMetaTxV2 {
  readonly tag: 'ga_meta_tx';
  readonly version: 2;
  readonly gaId: AccountAddress;
  readonly authData: ContractBytearray;
  readonly abiVersion: bigint;
  readonly fee: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly tx: SignedTx;
}

/** `paying_for_tx` (tag 82) v1: the payer covers the fee of the inner transaction. */
export interface PayingForTx {
  readonly tag: 'paying_for_tx';
  readonly version: 1;
  readonly payerId: AccountAddress;
  readonly nonce: bigint;
  readonly fee: bigint;
  readonly tx: SignedTx;
}
