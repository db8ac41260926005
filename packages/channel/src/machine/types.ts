import type { AccountAddress, ChannelId, KeyBlockHash, MicroBlockHash, SignedTx } from '@aesc/encoding';
import type { AescError } from '@aesc/errors';
import type { OffchainRoundName, OffchainRoundRequest } from '@aesc/protocol';
import type { OffchainState, OffchainUpdate } from '@aesc/state';
import type { SignExpectation } from '../sign-request.js';
import type { TxSigners } from '../signatures.js';
import type { ChannelRecord, PendingProposal } from '../store/channel-record.js';
import type { Phase } from './phase.js';

/** A JSON-RPC message from the node, as parsed (big integers as bigint). */
export interface NodeMessage {
  readonly jsonrpc?: string;
  readonly method?: string;
  readonly id?: number | bigint | string | null;
  readonly channel_id?: string | null;
  readonly params?: { readonly channel_id?: string | null; readonly data?: Record<string, unknown> } & Record<string, unknown>;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: readonly { code: number; message: string }[] };
}

/** A JSON-RPC message to the node. */
export interface ClientMessage {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly id?: number;
}

/** The fixed facts of a channel, from the connect parameters. */
export interface ClientConfig {
  readonly role: 'initiator' | 'responder';
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  readonly networkId: string;
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly pushAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
  /** The highest fee the client signs for, unless the app gave the fee itself (`fee` of a request). */
  readonly maxFee?: bigint;
  /**
   * Resume a channel this client was in (from its store): the node's FSM is reached again by
   * `existing_channel_id` / `existing_fsm_id` in the connect URL — a reconnect when it still runs
   * (`fsm_up` only), a reestablish when the node restores it (`channel_reestablished`, `open`,
   * `channels.update`). The client starts from the co-signed round it kept, and with its own
   * pending proposal of the next round if it kept one (see `resumeFrom`): the node may report that
   * round co-signed, or ask for its signature again.
   */
  readonly resume?: { readonly channelId: ChannelId; readonly fsmId: string; readonly last: CoSigned; readonly pending?: PendingProposal };
}

/** On-chain options of a request (`fee`, `gas_price`, `nonce`). */
export interface OnChainRequestOptions {
  readonly fee?: bigint;
  readonly gasPrice?: bigint;
  readonly nonce?: bigint;
}

/**
 * The block a new round is pinned to (`block_hash` of `channels.update.new`, `channels.deposit`,
 * `channels.withdraw`): the chain state the node checks the round against, instead of the block
 * its `bh_delta_*` connect params pick. The peer's FSM refuses a block outside its own deltas.
 */
export type PinnedBlock = KeyBlockHash | MicroBlockHash;

/** The kinds of entries of a node's event log: a report to the client, a request to it, a peer message sent or received. */
export type HistoryKind = 'rpt' | 'req' | 'snd' | 'rcv';

/** The tags `channels.history.fetch` filters by. */
export type HistoryTag = 'info' | 'on_chain_tx' | 'conflict' | 'update' | 'leave' | 'error' | 'debug';

/** What to read of the node's event log for this channel (`channels.history.fetch`). */
export interface HistoryQuery {
  /** The `n` newest entries that pass the filter (the node's default: 10). */
  readonly n?: number;
  readonly type?: readonly HistoryKind[];
  readonly tag?: readonly HistoryTag[];
}

/** One entry of the node's event log, as the node answers (newest first). */
export interface HistoryEntry {
  readonly type: 'report' | 'request' | 'send' | 'receive';
  readonly tag: string;
  /** When, as RFC 3339 with microseconds (`2026-12-01T04:10:00.123000Z`). */
  readonly time: string;
  readonly info: unknown;
}

/**
 * A round of one of `@aesc/protocol`'s off-chain round kinds (`OFFCHAIN_ROUNDS`: a `transfer`, …):
 * its request, and the block it is pinned to. Derived from the kinds' declarations.
 */
export type OffchainRoundCommand = {
  readonly [K in OffchainRoundName]: { readonly kind: K; readonly blockHash?: PinnedBlock } & OffchainRoundRequest<K>;
}[OffchainRoundName];

/** What an app asks its client to do. */
export type Command =
  | OffchainRoundCommand
  | ({ readonly kind: 'deposit'; readonly amount: bigint; readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock } & OnChainRequestOptions)
  | ({ readonly kind: 'withdraw'; readonly amount: bigint; readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock } & OnChainRequestOptions)
  | ({ readonly kind: 'shutdown' } & OnChainRequestOptions)
  | ({ readonly kind: 'close-solo' } & OnChainRequestOptions)
  | ({ readonly kind: 'slash' } & OnChainRequestOptions)
  | ({ readonly kind: 'settle' } & OnChainRequestOptions)
  | ({ readonly kind: 'snapshot-solo' } & OnChainRequestOptions)
  | { readonly kind: 'message'; readonly to: AccountAddress; readonly info: string; readonly from?: AccountAddress }
  | { readonly kind: 'balances'; readonly accounts: readonly AccountAddress[] }
  | { readonly kind: 'poi'; readonly accounts: readonly AccountAddress[]; readonly contracts?: readonly string[] }
  | { readonly kind: 'offchain-state' }
  | { readonly kind: 'history'; readonly query: HistoryQuery }
  | { readonly kind: 'clean-contract-calls' }
  | { readonly kind: 'abort'; readonly code: number }
  | { readonly kind: 'assume-minimum-depth'; readonly txHash: string }
  | { readonly kind: 'leave' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'stop' };

/** A co-signed round: the signed tx and the state it commits to. */
export interface CoSigned {
  readonly tx: SignedTx;
  readonly state: OffchainState;
}

/**
 * What a sign request carries out, for the signing policy: the app's command, `open` for the
 * create tx of the channel being opened, undefined for the peer's proposals.
 */
export type AskedFor = Command | { readonly kind: 'open' };

/** A signing round under way. */
export interface PendingRound {
  readonly tag: string;
  readonly replyMethod: string;
  readonly expectation: SignExpectation;
  readonly next: OffchainState | undefined;
  /** Whether the peer proposed it (the app's policy approves) rather than this client. */
  readonly peerProposal: boolean;
  /** True until this client has signed (only then can it still abort the round). */
  readonly awaitingSignature: boolean;
  /**
   * Set while a record this round needs durable is being written (this client's own proposal,
   * before the signer is asked; the peer's round co-signed here, before the reply goes out): what
   * goes on once the store is done, and what the client held before, back if the store fails.
   */
  readonly storing?: StoringRound;
}

/** A round waiting for its record to be durable (see {@link PendingRound.storing}). */
export interface StoringRound {
  /** The record being written (the effect's own object: the store's answer names it). */
  readonly record: ChannelRecord;
  /** What goes on once it is durable: the signer is asked, or the reply goes out. */
  readonly onceKept: Extract<Effect, { readonly type: 'sign' | 'send' }>;
  /** What the client held before the round: restored when the store fails. */
  readonly before: { readonly last?: CoSigned; readonly pending?: PendingProposal };
}

/** The app command being carried out (one at a time). */
export interface PendingCommand {
  readonly id: number;
  readonly command: Command;
  /** The JSON-RPC id of its request. */
  readonly requestId: number;
  /** Whether the node's result completes it (queries), rather than later notifications (actions). */
  readonly completesOnResult: boolean;
}

/** The whole client state: pure data. */
export interface ClientState {
  readonly config: ClientConfig;
  readonly phase: Phase;
  readonly channelId?: ChannelId;
  readonly fsmId?: string;
  readonly last?: CoSigned;
  /**
   * This client's own proposal of the round after `last`, stored before it signs it and kept until
   * that round ends (co-signed, dropped in a conflict, refused): what a client that comes back
   * checks the node's report of that round, or its request to sign it again, against.
   */
  readonly pending?: PendingProposal;
  /** The round the app last heard of (`round` event): a report of it again is not passed on. */
  readonly heardRound?: bigint;
  readonly round?: PendingRound;
  readonly command?: PendingCommand;
  /** The balances a solo close or slash proved on chain (what a settle pays out). */
  readonly closingAmounts?: readonly [bigint, bigint];
  /**
   * Commands that came while the peer's proposal, already signed here, waits for the node to
   * complete it: they start, in order, once the round is over.
   */
  readonly deferred?: readonly { readonly id: number; readonly command: Command }[];
  readonly nextRequestId: number;
}

/** What happens to a client. */
export type ClientEvent =
  | {
      readonly type: 'message';
      readonly message: NodeMessage;
      /**
       * Who signed the tx the message carries (a sign request's `signed_tx`, a report's `state`),
       * as the driver verified it. Without it, every signature on that tx counts as unverified.
       */
      readonly signers?: TxSigners;
    }
  | { readonly type: 'command'; readonly id: number; readonly command: Command }
  /** This client's signer signed (the driver has checked that the signature verifies for this client's account). */
  | { readonly type: 'signed'; readonly tag: string; readonly signedTx: SignedTx }
  | { readonly type: 'sign-declined'; readonly tag: string; readonly code: number; readonly reason: string; readonly error?: AescError }
  /** The store kept `record` (the record of a `store` effect; without it, the latest one). */
  | { readonly type: 'stored'; readonly record?: ChannelRecord }
  /** The store failed to keep `record`: `error` (STORE_FAILED) says so, with the store's reason. */
  | { readonly type: 'store-failed'; readonly record: ChannelRecord; readonly error: AescError }
  | { readonly type: 'disconnected' };

/** What the app hears about. */
export type ChannelEvent =
  | { readonly type: 'phase'; readonly phase: Phase }
  | { readonly type: 'info'; readonly event: string; readonly data: Record<string, unknown> }
  | { readonly type: 'round'; readonly round: bigint; readonly tx: SignedTx; readonly state: OffchainState }
  | { readonly type: 'on-chain-tx'; readonly info: string; readonly tx: SignedTx; readonly txType: string }
  | { readonly type: 'message'; readonly from: string; readonly to: string; readonly info: string }
  | { readonly type: 'conflict'; readonly round: bigint; readonly code: number }
  | { readonly type: 'refused'; readonly tag: string; readonly error: AescError }
  | { readonly type: 'error'; readonly error: AescError };

/** What the driver does for the reducer: I/O, signing, storage, telling the app. */
export type Effect =
  | { readonly type: 'send'; readonly message: ClientMessage }
  | {
      readonly type: 'sign';
      readonly tag: string;
      readonly tx: SignedTx;
      readonly updates: readonly OffchainUpdate[];
      readonly peerProposal: boolean;
      /** What the request carries out (see {@link AskedFor}). */
      readonly asked?: AskedFor;
    }
  | { readonly type: 'store'; readonly record: ChannelRecord }
  | { readonly type: 'emit'; readonly event: ChannelEvent }
  | { readonly type: 'resolve'; readonly id: number; readonly value: unknown }
  | { readonly type: 'reject'; readonly id: number; readonly error: AescError };

/** The result of one step: the next state and the effects to carry out, in order. */
export interface Step {
  readonly state: ClientState;
  readonly effects: readonly Effect[];
}
