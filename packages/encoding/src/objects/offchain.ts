import type { AccountAddress, ChannelId, ContractAddress, ContractBytearray, StateHash } from '../api-prefixes.js';
import { bytes, encoded, id, int, list } from '../field.js';
import { nested } from '../nested.js';
import { defineObject } from '../object-def.js';

// Field orders: apps/aechannel/src/aesc_offchain_tx.erl and aesc_offchain_update.erl in the node.

const account = id('account');
const stateHash = encoded('st');

/** An off-chain update: the changes a round applies, in order. */
export type ChannelOffchainUpdate =
  | ChannelOffchainUpdateTransfer
  | ChannelOffchainUpdateDeposit
  | ChannelOffchainUpdateWithdraw
  | ChannelOffchainUpdateCreateContract
  | ChannelOffchainUpdateCallContract
  | ChannelOffchainUpdateMeta;

/** `channel_offchain_tx` (tag 57) v1 (before Fortuna): carries its updates. */
export interface ChannelOffchainTxV1 {
  readonly tag: 'channel_offchain_tx';
  readonly version: 1;
  readonly channelId: ChannelId;
  readonly round: bigint;
  readonly updates: readonly ChannelOffchainUpdate[];
  readonly stateHash: StateHash;
}

/** `channel_offchain_tx` (tag 57) v2 (from Fortuna; the only valid one from Lima): no updates. */
export interface ChannelOffchainTxV2 {
  readonly tag: 'channel_offchain_tx';
  readonly version: 2;
  readonly channelId: ChannelId;
  readonly round: bigint;
  readonly stateHash: StateHash;
}

export const channelOffchainTxV2 = defineObject<ChannelOffchainTxV2>('channel_offchain_tx', 2, {
  channelId: id('channel'),
  round: int,
  stateHash,
});

/** Off-chain transfer (tag 570) v1. */
export interface ChannelOffchainUpdateTransfer {
  readonly tag: 'channel_offchain_update_transfer';
  readonly version: 1;
  readonly from: AccountAddress;
  readonly to: AccountAddress;
  readonly amount: bigint;
}

export const channelOffchainUpdateTransferV1 = defineObject<ChannelOffchainUpdateTransfer>(
  'channel_offchain_update_transfer',
  1,
  { from: account, to: account, amount: int },
);

/** Off-chain deposit (tag 571) v1. */
export interface ChannelOffchainUpdateDeposit {
  readonly tag: 'channel_offchain_update_deposit';
  readonly version: 1;
  readonly from: AccountAddress;
  readonly amount: bigint;
}

export const channelOffchainUpdateDepositV1 = defineObject<ChannelOffchainUpdateDeposit>(
  'channel_offchain_update_deposit',
  1,
  { from: account, amount: int },
);

/** Off-chain withdrawal (tag 572) v1. */
export interface ChannelOffchainUpdateWithdraw {
  readonly tag: 'channel_offchain_update_withdraw';
  readonly version: 1;
  readonly to: AccountAddress;
  readonly amount: bigint;
}

export const channelOffchainUpdateWithdrawV1 = defineObject<ChannelOffchainUpdateWithdraw>(
  'channel_offchain_update_withdraw',
  1,
  { to: account, amount: int },
);

/** Off-chain contract creation (tag 573) v1; `ctVersion` packs the VM and ABI versions. */
export interface ChannelOffchainUpdateCreateContract {
  readonly tag: 'channel_offchain_update_create_contract';
  readonly version: 1;
  readonly owner: AccountAddress;
  readonly ctVersion: bigint;
  readonly code: ContractBytearray;
  readonly deposit: bigint;
  readonly callData: ContractBytearray;
}

export const channelOffchainUpdateCreateContractV1 = defineObject<ChannelOffchainUpdateCreateContract>(
  'channel_offchain_update_create_contract',
  1,
  { owner: account, ctVersion: int, code: encoded('cb'), deposit: int, callData: encoded('cb') },
);

/** Off-chain contract call (tag 574) v1 (the node's field order, not the spec's). */
export interface ChannelOffchainUpdateCallContract {
  readonly tag: 'channel_offchain_update_call_contract';
  readonly version: 1;
  readonly caller: AccountAddress;
  readonly contract: ContractAddress;
  readonly abiVersion: bigint;
  readonly amount: bigint;
  readonly gas: bigint;
  readonly gasPrice: bigint;
  readonly callData: ContractBytearray;
  readonly callStack: readonly bigint[];
}

export const channelOffchainUpdateCallContractV1 = defineObject<ChannelOffchainUpdateCallContract>(
  'channel_offchain_update_call_contract',
  1,
  {
    caller: account,
    contract: id('contract'),
    abiVersion: int,
    amount: int,
    gas: int,
    gasPrice: int,
    callData: encoded('cb'),
    callStack: list(int),
  },
);

/** Off-chain meta update (tag 576) v2: data carried for the record, applied as a no-op. */
export interface ChannelOffchainUpdateMeta {
  readonly tag: 'channel_offchain_update_meta';
  readonly version: 2;
  readonly data: Uint8Array;
}

export const channelOffchainUpdateMetaV2 = defineObject<ChannelOffchainUpdateMeta>('channel_offchain_update_meta', 2, {
  data: bytes,
});

/**
 * Every off-chain update's definition (one per update type and version): the codecs take them from
 * here, and so does `channel_offchain_tx` v1 for the updates it may carry. A new update type is
 * its interface, its member of {@link ChannelOffchainUpdate}, its definition, and its entry here.
 */
export const OFFCHAIN_UPDATE_DEFS = [
  channelOffchainUpdateTransferV1,
  channelOffchainUpdateDepositV1,
  channelOffchainUpdateWithdrawV1,
  channelOffchainUpdateCreateContractV1,
  channelOffchainUpdateCallContractV1,
  channelOffchainUpdateMetaV2,
] as const;

export const channelOffchainTxV1 = defineObject<ChannelOffchainTxV1>('channel_offchain_tx', 1, {
  channelId: id('channel'),
  round: int,
  updates: list(nested<ChannelOffchainUpdate>(...OFFCHAIN_UPDATE_DEFS.map((def) => def.name))),
  stateHash,
});
