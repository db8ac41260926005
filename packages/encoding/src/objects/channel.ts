import type { AccountAddress, StateHash } from '../api-prefixes.js';
import { bytes, encoded, id, int, list } from '../field.js';
import { defineObject } from '../object-def.js';

// Field orders: apps/aechannel/src/aesc_channels.erl serialization_template/1 in the node.

const account = id('account');

interface ChannelCommon {
  readonly tag: 'channel';
  readonly initiatorId: AccountAddress;
  readonly responderId: AccountAddress;
  readonly channelAmount: bigint;
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly stateHash: StateHash;
  readonly round: bigint;
  readonly soloRound: bigint;
  readonly lockPeriod: bigint;
  readonly lockedUntil: bigint;
}

/** The on-chain channel object (tag 58) v1. */
export interface ChannelV1 extends ChannelCommon {
  readonly version: 1;
  readonly delegateIds: readonly AccountAddress[];
}

/** The on-chain channel object (tag 58) v2: with the participants' auth (GA) data. */
export interface ChannelV2 extends ChannelCommon {
  readonly version: 2;
  readonly delegateIds: readonly AccountAddress[];
  readonly initiatorAuth: Uint8Array;
  readonly responderAuth: Uint8Array;
}

/** The on-chain channel object (tag 58) v3 (from Iris): delegates per participant. */
export interface ChannelV3 extends ChannelCommon {
  readonly version: 3;
  readonly initiatorDelegateIds: readonly AccountAddress[];
  readonly responderDelegateIds: readonly AccountAddress[];
  readonly initiatorAuth: Uint8Array;
  readonly responderAuth: Uint8Array;
}

const head = {
  initiatorId: account,
  responderId: account,
  channelAmount: int,
  initiatorAmount: int,
  responderAmount: int,
  channelReserve: int,
} as const;
const tail = {
  stateHash: encoded('st'),
  round: int,
  soloRound: int,
  lockPeriod: int,
  lockedUntil: int,
} as const;

export const channelV1 = defineObject<ChannelV1>('channel', 1, { ...head, delegateIds: list(account), ...tail });
export const channelV2 = defineObject<ChannelV2>('channel', 2, {
  ...head,
  delegateIds: list(account),
  ...tail,
  initiatorAuth: bytes,
  responderAuth: bytes,
});
export const channelV3 = defineObject<ChannelV3>('channel', 3, {
  ...head,
  initiatorDelegateIds: list(account),
  responderDelegateIds: list(account),
  ...tail,
  initiatorAuth: bytes,
  responderAuth: bytes,
});
