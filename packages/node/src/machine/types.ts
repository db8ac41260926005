import type { AdapterEvent, ChannelObject } from '@aesc/chain-api';
import type { ClientMethod, ClientMethodParams, SignTag } from '@aesc/channel-api';
import type { AccountAddress, ChannelId, SignedTx } from '@aesc/encoding';
import type { OffchainState, OffchainUpdate, TreeSet } from '@aesc/state';
import type { OffchainRoundName, OffchainRoundRequest } from '@aesc/protocol';
import type { PeerMessage } from '../peer/peer-message.js';
import type { BlockPlace } from '@aesc/chain-api';
import type { BlockHashDelta } from '../fsm/block-hash-delta.js';
import type { CachedChannel } from '../fsm/cached-channel.js';
import type { ClientReply } from '../fsm/client-reply.js';
import type { LogWindow } from '../fsm/event-log.js';
import type { FsmOptions } from '../fsm/fsm-options.js';
import type { MinimumDepthStrategy } from '../fsm/min-depth.js';
import type { SoloKind } from '../fsm/solo-tx.js';
import type { StateMemo } from '../fsm/state-memo.js';
import type { FsmPhase } from './phase.js';

/** What a node FSM is started with and never changes: who it is, its connect options, and facts of the chain. */
export interface FsmConfig {
  readonly role: 'initiator' | 'responder';
  readonly fsmId: string;
  readonly options: FsmOptions;
  /** The genesis hash of the chain (raw 32 bytes), which `channel_open` names. */
  readonly genesisHash: Uint8Array;
  readonly minMinerGasPrice: bigint;
  /** The create tx version to build: 2 from Iris on; 1 to reproduce nodes that still made v1. */
  readonly createTxVersion: 1 | 2;
  /** Whether the node reads blocks by height and hash (`bh_delta_*`); without, proposals carry the not-set hash. */
  readonly hasBlocks: boolean;
  /** The effect that (re)starts the idle timer, made once per FSM: every input that leaves it idle arms it. */
  readonly idleArm: Effect;
  /**
   * Whether the state cache outlives the process (SQLite): only then is a round in flight kept in
   * it (`machine/recovery.ts`); a cache in memory is lost with every FSM in a crash anyway.
   */
  readonly durableCache: boolean;
}

/**
 * The pure functions `step` may call, passed in (none is module state): the node's shared state
 * memo (`fsm/state-memo.ts`), which applies updates, hashes and encodes trees, once per state for
 * both FSMs of a channel on one node. It is a cache of pure functions of content, so calling it
 * keeps `step` deterministic. Signature checks are not here: the node's check may hand a
 * verification to another thread (`fsm/signature-check.ts`), so it is an effect the driver
 * performs and answers with a `checked` event.
 */
export interface MachineContext {
  readonly states: StateMemo;
}

/** What a co-signing round is. */
export type RoundKind = 'update' | 'deposit' | 'withdraw' | 'shutdown';

/** A co-signing round in flight (between the first signature and the new co-signed state). */
export interface Round {
  /** Tells rounds apart (a timer or a watch armed for one round must not act on the next). */
  readonly seq: number;
  readonly kind: RoundKind;
  readonly originator: boolean;
  readonly next: OffchainState | undefined;
  readonly updates: readonly OffchainUpdate[];
  /** The block the originator pinned the round to (the acker's replies carry it back). */
  readonly blockHash: Uint8Array;
  /** The tx as the originator signed it. */
  readonly half?: SignedTx;
  /** The co-signed tx. */
  readonly signed?: SignedTx;
  readonly txHash?: string;
  readonly ownLocked?: boolean;
  readonly peerLocked?: boolean;
  /** The peer's lock arrived before this FSM saw its own (handled after it). */
  readonly peerLockedEarly?: boolean;
}

/** What to do with the client's signature (or its abort) once a sign request is answered. */
export type SignThen =
  | { readonly k: 'initiator-create' }
  | { readonly k: 'responder-create' }
  /** This FSM's own round (update, deposit, withdraw, shutdown): send it to the peer. */
  | { readonly k: 'propose'; readonly round: Round }
  /** The peer's round: acknowledge it. */
  | { readonly k: 'accept'; readonly round: Round }
  | { readonly k: 'solo'; readonly kind: SoloKind; readonly lockedUntil: bigint };

/** A sign request the client has not answered: what it was asked to sign, and what comes next. */
export interface PendingSign {
  readonly tag: SignTag;
  readonly tx: SignedTx;
  /** The updates the request showed the client (asked again, unchanged, when the client comes back). */
  readonly updates: readonly OffchainUpdate[];
  readonly then: SignThen;
}

/**
 * A round this FSM signed or was asked to sign, kept in the state cache beside the latest
 * co-signed state until the round ends: after a crash, the co-signed tx of that round (which the
 * client or the peer's FSM may hold) is checked against it and adopted (see
 * `machine/recovery.ts`). Our node goes beyond the æternity node here, whose state cache is
 * written only when an FSM terminates.
 */
export interface PendingRound {
  readonly kind: 'update' | 'deposit' | 'withdraw';
  readonly updates: readonly OffchainUpdate[];
  /** The round's tx as this FSM knows it (signed by the originator). */
  readonly tx: SignedTx;
}

/** Where adopting a co-signed round after a crash goes on (machine/recovery.ts), with whether it adopted it. */
export type AdoptThen =
  /** A restored FSM adopted its client's round (or not): it meets the peer's FSM now. */
  | { readonly k: 'reest.meet' }
  /** The responder adopted the round of the initiator's `channel_reestablish`: it acknowledges it. */
  | { readonly k: 'reest.adopted-ack'; readonly chainHash: Uint8Array; readonly channelId: Uint8Array }
  /** The initiator adopted the round of the responder's `channel_reest_ack`. */
  | { readonly k: 'reest.adopted' };

/** What reaching a watched tx's minimum depth does. */
export type WatchThen =
  | { readonly k: 'funding' }
  | { readonly k: 'round-lock'; readonly seq: number; readonly kind: 'deposit' | 'withdraw'; readonly txHash: string }
  | { readonly k: 'close' }
  | { readonly k: 'snapshot'; readonly txHash: string }
  /** The client assumed the depth already (`channels.assume_minimum_depth`): only say when it is reached. */
  | { readonly k: 'assumed'; readonly txHash: string; readonly txType: string };

/** A tx the FSM waits to see at its minimum depth. */
export interface Watch {
  readonly txHash: string;
  readonly minDepth: number;
  readonly then: WatchThen;
}

/** The on-chain options of a request (`fee`, `gas_price`, `nonce`). */
export interface OnChainOpts {
  readonly fee?: bigint;
  readonly gasPrice?: bigint;
  readonly nonce?: bigint;
}

/**
 * What the lookup, check or write in flight is for: the rest of the input that asked for it, as
 * data (the node's FSM never waits on anything but its own input; here a chain call, a signature
 * check and a write to the state cache are effects whose results come back as events, and the
 * input goes on from its continuation). Each stage file reads its own kinds; helpers that ask for
 * several things in turn (a block hash, a post) carry the continuation to go on with when done
 * (`then`).
 */
export type Cont =
  // helpers (machine/lookups.ts)
  | { readonly k: 'pick.place'; readonly hash: Uint8Array; readonly then: Cont }
  | { readonly k: 'pick.key'; readonly then: Cont }
  | { readonly k: 'check-block'; readonly hash: Uint8Array; readonly then: Cont }
  | { readonly k: 'check-block.height'; readonly hash: Uint8Array; readonly place: BlockPlace | undefined; readonly then: Cont }
  | { readonly k: 'post.done'; readonly then: Cont | undefined }
  | { readonly k: 'persisted'; readonly then: Cont | undefined }
  | { readonly k: 'done' }
  // crash recovery (machine/recovery.ts)
  | { readonly k: 'adopt.sig'; readonly tx: SignedTx; readonly next: OffchainState; readonly then: AdoptThen }
  | { readonly k: 'adopt.committed'; readonly tx: SignedTx; readonly then: AdoptThen }
  | { readonly k: 'adopt.posted'; readonly then: AdoptThen }
  | AdoptThen
  | { readonly k: 'propose.durable'; readonly seq: number }
  | { readonly k: 'accept.durable'; readonly seq: number; readonly tag: SignTag }
  // opening (machine/opening.ts)
  | { readonly k: 'accept.nonce' }
  | { readonly k: 'accept.block'; readonly tx: SignedTx }
  | { readonly k: 'funding-created.block'; readonly half: SignedTx; readonly blockHash: Uint8Array }
  | { readonly k: 'funding-created.sig'; readonly half: SignedTx }
  | { readonly k: 'funding-signed.sig'; readonly signed: SignedTx }
  | { readonly k: 'funding-signed.posted'; readonly signed: SignedTx }
  | { readonly k: 'opened'; readonly then: Cont | undefined }
  // updates (machine/update.ts)
  | { readonly k: 'update.block'; readonly kind: OffchainRoundName; readonly request: OffchainRoundRequest }
  | { readonly k: 'proposal.block'; readonly message: PeerMessage & { readonly type: 'update' | 'deposit_created' | 'withdraw_created' }; readonly half: SignedTx; readonly updates: readonly OffchainUpdate[] }
  | {
      readonly k: 'proposal.sig';
      readonly message: PeerMessage & { readonly type: 'update' | 'deposit_created' | 'withdraw_created' };
      readonly half: SignedTx;
      readonly updates: readonly OffchainUpdate[];
      readonly next: OffchainState;
    }
  | { readonly k: 'proposal.committed'; readonly half: SignedTx }
  | { readonly k: 'ack.durable'; readonly seq: number; readonly early: boolean; readonly signed: SignedTx }
  | { readonly k: 'update-ack.sig'; readonly seq: number; readonly signed: SignedTx }
  | { readonly k: 'update-ack.committed' }
  // deposits and withdrawals (machine/deposit-withdraw.ts)
  | { readonly k: 'dw.block'; readonly kind: 'deposit' | 'withdraw'; readonly amount: bigint; readonly updates: readonly OffchainUpdate[]; readonly opts: OnChainOpts }
  | {
      readonly k: 'dw.nonce';
      readonly kind: 'deposit' | 'withdraw';
      readonly amount: bigint;
      readonly updates: readonly OffchainUpdate[];
      readonly next: OffchainState;
      readonly blockHash: Uint8Array;
      readonly opts: OnChainOpts;
    }
  | { readonly k: 'dw-signed.sig'; readonly seq: number; readonly signed: SignedTx }
  | { readonly k: 'dw-signed.durable'; readonly seq: number; readonly signed: SignedTx }
  | { readonly k: 'dw-signed.posted'; readonly seq: number; readonly signed: SignedTx }
  | { readonly k: 'dw.locked'; readonly then: Cont | undefined }
  // mutual close (machine/mutual-close.ts)
  | { readonly k: 'shutdown.block'; readonly opts: OnChainOpts }
  | { readonly k: 'shutdown.nonce'; readonly blockHash: Uint8Array; readonly opts: OnChainOpts }
  | { readonly k: 'shutdown-msg.block'; readonly half: SignedTx; readonly blockHash: Uint8Array }
  | { readonly k: 'shutdown-msg.sig'; readonly half: SignedTx; readonly blockHash: Uint8Array }
  | { readonly k: 'shutdown-ack.sig'; readonly signed: SignedTx }
  | { readonly k: 'shutdown-acked.posted'; readonly signed: SignedTx }
  // solo txs (machine/solo.ts)
  | { readonly k: 'solo.channel'; readonly kind: SoloKind; readonly opts: OnChainOpts }
  | { readonly k: 'solo.nonce'; readonly kind: SoloKind; readonly opts: OnChainOpts; readonly onChain: ChannelObject }
  | { readonly k: 'settle.height'; readonly signed: SignedTx; readonly then: Cont | undefined }
  // leave and reestablish (machine/leave-reestablish.ts)
  | { readonly k: 'left' }
  | { readonly k: 'reest.chain' }
  // sign replies (machine/sign-replies.ts)
  | { readonly k: 'sign-reply.sig'; readonly pending: PendingSign; readonly signed: SignedTx }
  // the chain (machine/chain-watch.ts)
  | { readonly k: 'chain.known'; readonly event: AdapterEvent; readonly acted: boolean; readonly hashes: readonly string[]; readonly i: number }
  | { readonly k: 'chain.known.depth'; readonly event: AdapterEvent; readonly acted: boolean; readonly hashes: readonly string[]; readonly i: number }
  | { readonly k: 'chain.settle'; readonly event: AdapterEvent; readonly acted: boolean }
  | { readonly k: 'chain.watches'; readonly acted: boolean }
  | { readonly k: 'chain.depth'; readonly acted: boolean; readonly watches: readonly Watch[]; readonly i: number }
  | { readonly k: 'chain.depth.got'; readonly acted: boolean; readonly watches: readonly Watch[]; readonly i: number }
  | { readonly k: 'chain.reached'; readonly acted: boolean; readonly watches: readonly Watch[]; readonly i: number }
  | { readonly k: 'channel-tx.tx'; readonly txHash: string; readonly channel: { readonly round: bigint } | null; readonly then: Cont };

/** What a lookup asks the chain. */
export type Lookup =
  | { readonly kind: 'nonce'; readonly account: AccountAddress }
  | { readonly kind: 'height' }
  | { readonly kind: 'block-place'; readonly hash: Uint8Array }
  /** The hash of the key block an FSM's own proposal is pinned to: at `pickedHeight(top, delta)` (one lookup: the top, then that block). */
  | { readonly kind: 'picked-block'; readonly delta: BlockHashDelta }
  /** Where the chain has a block, and its top: what a peer's block hash is checked against (one lookup for both). */
  | { readonly kind: 'block-check'; readonly hash: Uint8Array }
  | { readonly kind: 'channel'; readonly channelId: ChannelId }
  | { readonly kind: 'tx-depth'; readonly txHash: string }
  | { readonly kind: 'tx'; readonly txHash: string };

/** What a lookup answers, by kind. */
export interface LookupValue {
  readonly nonce: bigint;
  readonly height: bigint;
  readonly 'block-place': BlockPlace | undefined;
  readonly 'picked-block': Uint8Array | undefined;
  readonly 'block-check': { readonly place: BlockPlace | undefined; readonly top: bigint };
  readonly channel: ChannelObject | null;
  readonly 'tx-depth': bigint | null;
  /** A signed tx (`tx_…`), or null when the chain has none. */
  readonly tx: string | null;
}

/** The timers an FSM arms (the node's state timeouts, `sign`, and `idle`). */
export type TimerName = 'awaiting_open' | 'initialized' | 'funding_create' | 'funding_sign' | 'funding_lock' | 'sign' | 'peer_reply' | 'idle';

/** The FSM's state: everything it knows, as data (no closures, no promises). */
export interface FsmState {
  readonly config: FsmConfig;
  readonly phase: FsmPhase;
  /** `undefined` for a responder that accepts any initiator until `channel_open`. */
  readonly initiator: AccountAddress | undefined;
  readonly responder: AccountAddress;
  // Channel parameters (agreed at open or read back on reestablish).
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
  readonly pushAmount: bigint;
  readonly minDepth: number;
  readonly minDepthStrategy: MinimumDepthStrategy;
  readonly tempChannelId: Uint8Array;
  readonly channelId: ChannelId | undefined;
  /** The channel id as reports carry it (set when the node's FSM would know it). */
  readonly reportedChannelId: ChannelId | null;
  // The latest co-signed round.
  readonly offchain: OffchainState | undefined;
  readonly signedTx: SignedTx | undefined;
  readonly createTx: SignedTx | undefined;
  /** The block the create tx was pinned to (`funding_created`, echoed in `funding_signed`). */
  readonly createBlockHash: Uint8Array;
  readonly ownFundingLocked: boolean;
  readonly peerFundingLocked: boolean;
  readonly peerFundingLockedEarly: boolean;
  readonly round: Round | undefined;
  /** The last round's {@link Round.seq}. */
  readonly roundSeq: number;
  readonly pendingSign: PendingSign | undefined;
  /** The round in flight, as persisted (or as read back from the state cache after a crash). */
  readonly pendingRound: PendingRound | undefined;
  /** Txs waited for, by hash. */
  readonly watches: ReadonlyMap<string, Watch>;
  /** Txs this FSM or its peer signed, by hash: what a chain that cannot give txs back (HTTP) is told about. */
  readonly known: ReadonlyMap<string, SignedTx>;
  /** Txs reported mined. */
  readonly reported: ReadonlySet<string>;
  readonly subscribed: boolean;
  readonly soloClosing: boolean;
  readonly settleAfter: bigint | undefined;
  /** A settle signed before the lock period ended: posted once the chain is high enough. */
  readonly pendingSettle: SignedTx | undefined;
  /** A client is attached. */
  readonly client: boolean;
  /** The peer link attached (a number the driver gave it), 0 for none. */
  readonly peer: number;
  /** The peer's FSM writes to the same state cache (both on this node). */
  readonly peerSharesCache: boolean;
  readonly idleArmed: boolean;
  /** The event log (`channels.history.fetch`). */
  readonly log: LogWindow;
  /** What the effect in flight is for, while the input that asked for it waits on it. */
  readonly cont: Cont | undefined;
  /** The result the continuation waits for. */
  readonly expects: ResultKind | undefined;
}

/** The kinds of result event, by what was asked. */
export type ResultKind = `lookup:${Lookup['kind']}` | 'checked' | 'persisted' | 'posted';

/** A client request whose params `@aesc/channel-api` validated, typed by its method (what `step` reads a `request` event as). */
export type ValidRequest = { readonly [K in ClientMethod]: { readonly method: K; readonly params: ClientMethodParams[K] } }[ClientMethod];

/** What happens to an FSM. */
export type FsmEvent = (
  // Facts the driver hands over at once, even while an input waits on an effect.
  | { readonly type: 'start' }
  /** `latest`: the co-signed tx the client came back with (`offchain_tx`), if any. */
  | { readonly type: 'restore'; readonly latest?: SignedTx }
  | { readonly type: 'peer-attached'; readonly link: number; readonly sharesCache: boolean }
  /** The initiator reached the responder's FSM: `tempChannelId` is the channel's temporary id (random, so it comes in here). */
  | { readonly type: 'peer-connected'; readonly tempChannelId: Uint8Array }
  | { readonly type: 'peer-unreachable' }
  /** A client came back to this FSM (same fsm id). */
  | { readonly type: 'client-attached'; readonly latest?: SignedTx }
  /** The client's socket closed (what it means is decided in turn, by `client-gone`). */
  | { readonly type: 'client-detached' }
  /** The node stops (nothing is reported). */
  | { readonly type: 'stop' }
  // Inputs, handled one at a time in order.
  | { readonly type: 'request'; readonly method: string; readonly params: Readonly<Record<string, unknown>>; readonly hasId: boolean }
  | { readonly type: 'peer-message'; readonly message: PeerMessage }
  | { readonly type: 'peer-closed'; readonly link: number }
  | { readonly type: 'chain'; readonly event: AdapterEvent }
  | { readonly type: 'timer'; readonly name: TimerName; readonly seq?: number }
  | { readonly type: 'client-gone' }
  | { readonly type: 'depth-assumed'; readonly then: WatchThen }
  | { readonly type: 'persist-restored' }
  /** A restored FSM looks at what the chain did while the channel had no FSM. */
  | { readonly type: 'chain-before-reestablish' }
  /** A restored FSM whose client came back with the co-signed tx of the round it had in flight: adopt it, then meet the peer. */
  | { readonly type: 'adopt-client-latest'; readonly tx: SignedTx }
  // The result of the effect the input in flight waits on.
  | { readonly type: 'looked-up'; readonly kind: Lookup['kind']; readonly value: unknown }
  | { readonly type: 'checked'; readonly ok: boolean }
  | { readonly type: 'persisted' }
  /** The tx was posted, or the chain refused it (`error`: why). */
  | { readonly type: 'posted'; readonly error?: string }
  /**
   * The input in flight failed (an effect threw, or `step` did): a request the driver had not
   * answered yet, an input from the chain, or another.
   */
  | { readonly type: 'fault'; readonly input: 'request' | 'answered-request' | 'chain' | 'other' }
) & {
  /** When it happened (ms since the epoch; the event log's times). */
  readonly at?: number;
};

/** What the driver does for the machine. */
export type Effect =
  /** Answers the request being handled (a reply of the node's WebSocket handler). */
  | { readonly type: 'reply'; readonly reply: ClientReply; readonly channelId: ChannelId | null }
  /** Answers a data request: a result with its id, else a `<method>.reply` notification. */
  | { readonly type: 'reply-data'; readonly method: string; readonly data: unknown; readonly channelId: ChannelId | null }
  /** A notification to the client (report, sign request, pong). */
  | { readonly type: 'notify'; readonly method: string; readonly data: unknown; readonly channelId: ChannelId | null }
  | { readonly type: 'send'; readonly message: PeerMessage }
  | { readonly type: 'close-peer' }
  /** The initiator reaches the responder (answered by `peer-attached` and `peer-connected`, or `peer-unreachable`). */
  | { readonly type: 'connect-peer' }
  | { readonly type: 'arm'; readonly name: TimerName; readonly ms: number; readonly seq?: number }
  | { readonly type: 'disarm'; readonly name: TimerName }
  /** Chain events for the channel from now on (`chain` events). */
  | { readonly type: 'subscribe'; readonly channelId: ChannelId }
  /** The responder waits for the initiator (listens on its port). */
  | { readonly type: 'listen' }
  | { readonly type: 'unlisten' }
  /** The FSM knows its channel id now (a client may reconnect by it). */
  | { readonly type: 'channel-known' }
  /** The FSM has stopped: timers, the chain subscription and a connect attempt stop; the host forgets it. */
  | { readonly type: 'terminate' }
  /** An input for later (handled after those already waiting). */
  | { readonly type: 'enqueue'; readonly event: FsmEvent }
  // Effects whose result comes back as an event (one at a time: the input waits on it).
  | { readonly type: 'lookup'; readonly lookup: Lookup }
  /** Whether `signed` carries exactly one valid signature of each of `accounts` (`checked`). */
  | { readonly type: 'check'; readonly signed: SignedTx; readonly accounts: readonly AccountAddress[] }
  /** Writes the latest co-signed state to the state cache (`persisted` once durable). */
  | { readonly type: 'persist'; readonly record: Omit<CachedChannel, 'trees'>; readonly trees: TreeSet }
  /** Posts a tx (`posted`). */
  | { readonly type: 'post'; readonly tx: SignedTx };

/** The result of one step: the next state and the effects to carry out, in order. */
export interface Step {
  readonly state: FsmState;
  readonly effects: readonly Effect[];
}
