import type { AccountAddress, ChannelId } from '@aesc/encoding';

/** A channel object as the node's HTTP API shows it (`GET /v3/channels/{id}`), amounts as bigint. */
export interface ChannelObject {
  readonly id: ChannelId;
  readonly initiatorId: AccountAddress;
  readonly responderId: AccountAddress;
  readonly channelAmount: bigint;
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly stateHash: string;
  readonly round: bigint;
  readonly soloRound: bigint;
  readonly lockPeriod: bigint;
  readonly lockedUntil: bigint;
}

/** An account's balance and nonce. */
export interface AccountInfo {
  readonly balance: bigint;
  readonly nonce: bigint;
}

/** What a chain says about itself: its network id, genesis hash and rules. */
export interface ChainInfo {
  readonly networkId: string;
  /** The hash of the genesis key block (`kh_…`): the `chain_hash` of the peer protocol. */
  readonly genesisHash: string;
  /** The consensus protocol version at the top (5 Iris, 6 Ceres). */
  readonly protocolVersion: number;
  /** The lowest gas price the chain's mempool accepts. */
  readonly minMinerGasPrice: bigint;
}

/** What a subscription reports. */
export type AdapterEvent =
  | { readonly type: 'height'; readonly height: bigint }
  /** A channel object changed (or disappeared: `channel` null), with the tx that did it when known. */
  | { readonly type: 'channel'; readonly channelId: ChannelId; readonly channel: ChannelObject | null; readonly txHash?: string };

/**
 * What the channel node needs from a chain: post txs, read accounts and channel objects, the
 * height and tx depths, and notifications. Implemented in-process over the dev chain and over HTTP
 * for any server with the node's API (ours or a real æternity node).
 */
export interface ChainAdapter {
  /** Posts a signed tx (`tx_…`); resolves with its hash, rejects with AESC_ERROR__CHAIN__TX_REJECTED. */
  postTx(tx: string): Promise<string>;
  /** An account, or null when the chain has none. */
  account(address: AccountAddress): Promise<AccountInfo | null>;
  /** The nonce the account's next tx takes. */
  nextNonce(address: AccountAddress): Promise<bigint>;
  /** A channel object, or null (never created, or closed). */
  channel(id: ChannelId): Promise<ChannelObject | null>;
  /** The height of the top key block. */
  height(): Promise<bigint>;
  /** The network id, genesis hash and rules of the chain. */
  info(): Promise<ChainInfo>;
  /** A signed tx (`tx_…`) by its hash, mined or pending, or null when the chain does not have it (or cannot give it). */
  transaction(txHash: string): Promise<string | null>;
  /** Key blocks on top of the tx's block (0 in the top generation), or null when not mined. */
  txDepth(txHash: string): Promise<bigint | null>;
  /** Calls `listener` on new heights and on changes of the watched channels; returns unsubscribe. */
  subscribe(listener: (e: AdapterEvent) => void, options?: { readonly channels?: readonly ChannelId[]; readonly signal?: AbortSignal }): () => void;
  /** Releases what the adapter holds (not the chain). */
  close(): Promise<void>;
}
