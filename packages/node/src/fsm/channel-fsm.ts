import type { AdapterEvent } from '@aesc/chain';
import { SIGN_REPLY_METHODS, SIGN_TAGS, type SignTag, abortCodeMessage } from '@aesc/channel-api';
import { channelIdFromCreateTx, publicKeyOf, txHash as hashOfTx } from '@aesc/crypto';
import {
  type AccountAddress,
  type ChannelId,
  type EncodedTx,
  type SignedTx,
  type Transaction,
  bytesEqual,
  decodeApi,
  encodeApi,
} from '@aesc/encoding';
import { frameError, frameNotification, frameResult, type JsonRpcId, stringifyJson } from '@aesc/rpc';
import {
  type OffchainState,
  type OffchainUpdate,
  balanceOf,
  balancesOf,
  buildPoi,
  emptyMpt,
  encodeCallsTree,
  encodePoi,
  initialState,
  parseStateTrees,
  payCloseMutualFee,
  updateFromJson,
  updateToJson,
} from '@aesc/state';
import { MAX_INBAND_MSG_SIZE } from '../peer/codec.js';
import type { PeerLink, PeerMessage } from '../peer/peer-message.js';
import { type BlockHashVerdict, NOT_SET_BLOCK_HASH, blockHashVerdict, isNotSet, pickedHeight } from './block-hash-delta.js';
import type { CachedChannel } from './cached-channel.js';
import { type ClientReply, NONE, NOT_ALLOWED_NOW, OK, reasonError, rpcError } from './client-reply.js';
import { withMinimumFee } from './fees.js';
import type { ClientSink, FsmHost } from './fsm-host.js';
import type { FsmOptions } from './fsm-options.js';
import { EventLog } from './event-log.js';
import { FsmTimers } from './fsm-timers.js';
import { liveRecord } from './live-record.js';
import { minimumDepthOf } from './min-depth.js';
import { objectBytes, objectFromBytes, sameObject, txFromText, txText } from './object-bytes.js';
import { SIGN_REPLY_RULES, requiredSigners, txMismatch } from './sign-reply.js';
import { signedExactlyBy } from './exact-signers.js';
import { type SoloKind, soloTx } from './solo-tx.js';

/** Where an FSM is in the channel's life. */
export type FsmPhase =
  | 'connecting'
  | 'awaiting_open'
  | 'awaiting_accept'
  | 'funding'
  | 'awaiting_locked'
  | 'reestablishing'
  | 'open'
  | 'mutual_closing'
  | 'closing'
  | 'closed'
  | 'terminated';

/** The peer message(s) whose type is `T`. */
type Msg<T extends PeerMessage['type']> = PeerMessage extends infer M ? (M extends { type: infer K } ? ([T] extends [K] ? M : never) : never) : never;

type SignOutcome = { readonly signed: SignedTx } | { readonly abort: number };

interface PendingSign {
  readonly tag: SignTag;
  readonly tx: SignedTx;
  readonly resolve: (outcome: SignOutcome) => Promise<void>;
}

type RoundKind = 'update' | 'deposit' | 'withdraw' | 'shutdown';

/** A co-signing round in flight (between the first signature and the new co-signed state). */
interface Round {
  readonly kind: RoundKind;
  readonly originator: boolean;
  readonly next: OffchainState | undefined;
  readonly updates: readonly OffchainUpdate[];
  /** The block the originator pinned the round to (the acker's replies carry it back). */
  readonly blockHash: Uint8Array;
  /** The tx as the originator signed it. */
  half?: SignedTx;
  /** The co-signed tx. */
  signed?: SignedTx;
  txHash?: string;
  ownLocked?: boolean;
  peerLocked?: boolean;
  /** The peer's lock arrived before this FSM saw its own (handled after it). */
  peerLockedEarly?: boolean;
}

interface Watch {
  readonly txHash: string;
  readonly minDepth: number;
  seen: boolean;
  readonly onDepth: () => Promise<void>;
}

/** The phases before the channel is open (or open again), in which the node's FSM ends on a peer message out of turn. */
const OPENING_PHASES: ReadonlySet<FsmPhase> = new Set(['connecting', 'awaiting_open', 'awaiting_accept', 'funding', 'awaiting_locked', 'reestablishing']);

/** What an input handler returns when the input was nothing the FSM acted on (it does not reset the idle timer). */
const QUIET = Symbol('quiet');

/** The node's FSM states whose timer is `timeout_idle` (fsm.hrl `TIMER_SUBST`) that this FSM has. */
type IdleState = 'open' | 'channel_closing' | 'mutual_closed' | 'awaiting_reestablish';
const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder();

const ON_CHAIN_OPT_KEYS = ['fee', 'gas_price', 'nonce'] as const;

/** An optional integer param (`fee`, `nonce`, `gas_price`): a JSON integer, or a string of digits (the node's `list_to_integer`). */
function bigOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  return typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : undefined;
}

/**
 * The signed tx of a peer message's bytes, or undefined when they are not one (they do not decode,
 * or decode to another object): the node's `aetx_sign:deserialize_from_binary` throws there, and
 * each message's check turns that into its own answer.
 */
function signedTxOf(bytes: Uint8Array): SignedTx | undefined {
  try {
    const o = objectFromBytes(bytes);
    return o.tag === 'signed_tx' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** The off-chain updates of a peer message, or undefined when one does not decode. */
function updatesOf(list: readonly Uint8Array[]): OffchainUpdate[] | undefined {
  try {
    return list.map((u) => objectFromBytes(u) as OffchainUpdate);
  } catch {
    return undefined;
  }
}

let fsmCounter = 0;

/**
 * One participant's channel FSM, as the æternity node runs it (`aesc_fsm`): it talks JSON-RPC with
 * its client, the peer protocol with the other participant's FSM, and watches the chain. It holds
 * no keys: the client signs every tx the FSM builds, and the FSM checks each signature, of its
 * client and of the peer, before it acts on it. Inputs are handled one at a time, in order.
 */
export class ChannelFsm {
  readonly id = ++fsmCounter;
  readonly fsmId: string;
  readonly role: 'initiator' | 'responder';
  readonly #host: FsmHost<ChannelFsm>;
  readonly #opts: FsmOptions;
  #initiator: AccountAddress | undefined;
  readonly #responder: AccountAddress;
  #phase: FsmPhase;
  #client: ClientSink | undefined;
  #peer: PeerLink | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #abort = new AbortController();
  /** The FSM's event log (`channels.history.fetch`). */
  readonly #log: EventLog;
  readonly #timers = new FsmTimers((onTimeout) => void this.#enqueue(() => (onTimeout ? onTimeout() : this.#terminate('timeout'))));

  // Channel parameters (agreed at open or read back on reestablish).
  #initiatorAmount: bigint;
  #responderAmount: bigint;
  #channelReserve: bigint;
  #lockPeriod: bigint;
  #pushAmount: bigint;
  #minDepth: number;
  #minDepthStrategy: 'txfee' | 'plain';
  #tempChannelId: Uint8Array = new Uint8Array(32);
  #channelId: ChannelId | undefined;
  /** The channel id as reports carry it (set when the node's FSM would know it). */
  #reportedChannelId: ChannelId | null = null;

  // Off-chain state: the latest co-signed round.
  #state: OffchainState | undefined;
  #signedTx: SignedTx | undefined;
  #pendingSign: PendingSign | undefined;
  #round: Round | undefined;
  #createTx: SignedTx | undefined;
  #funding = { ownLocked: false, peerLocked: false, peerLockedEarly: false };
  /** The block the create tx was pinned to (`funding_created`, echoed in `funding_signed`). */
  #createBlockHash: Uint8Array = NOT_SET_BLOCK_HASH;
  #watches = new Map<string, Watch>();
  #unsubscribe: (() => void) | undefined;
  #soloClosing = false;
  #settleAfter: bigint | undefined;

  constructor(host: FsmHost<ChannelFsm>, opts: FsmOptions, fsmId: string) {
    this.#host = host;
    this.#opts = opts;
    this.#log = new EventLog(opts.logKeep);
    this.fsmId = fsmId;
    this.role = opts.role;
    this.#initiator = opts.initiatorId;
    this.#responder = opts.responderId;
    this.#initiatorAmount = opts.initiatorAmount;
    this.#responderAmount = opts.responderAmount;
    this.#channelReserve = opts.channelReserve;
    this.#lockPeriod = opts.lockPeriod;
    this.#pushAmount = opts.pushAmount;
    this.#minDepth = opts.minimumDepth;
    this.#minDepthStrategy = opts.minimumDepthStrategy;
    this.#phase = opts.role === 'initiator' ? 'connecting' : 'awaiting_open';
  }

  /** The FSM's phase. */
  get phase(): FsmPhase {
    return this.#phase;
  }
  /** The options it was opened with. */
  get options(): FsmOptions {
    return this.#opts;
  }
  get channelId(): ChannelId | undefined {
    return this.#channelId;
  }
  /** The channel id as the FSM's reports carry it (null until the node would know it). */
  get reportedChannelId(): ChannelId | null {
    return this.#reportedChannelId;
  }
  get initiator(): AccountAddress | undefined {
    return this.#initiator;
  }
  get responder(): AccountAddress {
    return this.#responder;
  }
  /** The latest co-signed round. */
  get round(): bigint | undefined {
    return this.#state?.round;
  }
  get clientAttached(): boolean {
    return this.#client !== undefined;
  }
  #me(): AccountAddress {
    return this.role === 'initiator' ? this.#initiator! : this.#responder;
  }
  #other(): AccountAddress {
    return this.role === 'initiator' ? this.#responder : this.#initiator!;
  }

  // ----- lifecycle ---------------------------------------------------------------------------

  /** Starts a new channel: reports `fsm_up`, then reaches the peer (initiator) or waits for it (responder). */
  start(client: ClientSink): void {
    this.#client = client;
    this.#info('fsm_up', { fsm_id: this.fsmId });
    if (this.role === 'responder') {
      this.#host.listen(this);
      this.#timers.arm('awaiting_open', this.#opts.timeouts.awaitingOpen);
    } else {
      this.#timers.arm('initialized', this.#opts.timeouts.initialized);
      void this.#connectPeer((link) => {
        this.#tempChannelId = crypto.getRandomValues(new Uint8Array(32));
        link.send({
          type: 'channel_open',
          chainHash: decodeApi(this.#host.chainInfo.genesisHash as `kh_${string}`, 'kh'),
          tempChannelId: this.#tempChannelId,
          lockPeriod: Number(this.#lockPeriod),
          pushAmount: this.#pushAmount,
          initiatorAmount: this.#initiatorAmount,
          responderAmount: this.#responderAmount,
          channelReserve: this.#channelReserve,
          initiator: publicKeyOf(this.#initiator!),
          responder: publicKeyOf(this.#responder),
        });
        this.#phase = 'awaiting_accept';
      });
    }
  }

  /**
   * Starts an FSM for a channel from the state cache: reports `fsm_up` with its fsm id (a new one,
   * under which the cached state is kept from now on), then reestablishes the session with the
   * peer's FSM (`channel_reestablish`).
   */
  restore(client: ClientSink, cached: CachedChannel): void {
    this.#client = client;
    this.#channelId = cached.channelId;
    this.#reportedChannelId = null;
    this.#initiator = cached.initiatorId;
    this.#lockPeriod = BigInt(cached.lockPeriod);
    this.#channelReserve = BigInt(cached.channelReserve);
    this.#minDepth = cached.minimumDepth;
    this.#minDepthStrategy = cached.minimumDepthStrategy;
    this.#signedTx = txFromText(cached.signedTx);
    this.#state = { round: BigInt(cached.round), trees: parseStateTrees(cached.trees) };
    this.#phase = 'reestablishing';
    this.#info('fsm_up', { fsm_id: this.fsmId });
    // The state is cached under this FSM's own id now: the id the client came with no longer opens it.
    void this.#enqueue(() => this.#persist());
    this.#reportedChannelId = cached.channelId;
    this.#watchChain();
    void this.#enqueue(() => this.#checkChainBeforeReestablish());
    if (this.role === 'responder') this.#host.listen(this);
    else {
      void this.#connectPeer((link) => {
        link.send({
          type: 'channel_reestablish',
          chainHash: decodeApi(this.#host.chainInfo.genesisHash as `kh_${string}`, 'kh'),
          channelId: decodeApi(this.#channelId!, 'ch'),
          tx: objectBytes(this.#signedTx!),
        });
      });
    }
  }

  /**
   * What the chain did while this channel had no FSM (aesc_fsm `check_chain_before_reestablish`):
   * a solo close or slash with a round older than the cached state is reported as `can_slash`,
   * with the state to slash with, so that the client can dispute it within the lock period.
   */
  async #checkChainBeforeReestablish(): Promise<void> {
    const onChain = await this.#host.chain.channel(this.#channelId!);
    if (onChain === null || onChain.lockedUntil === 0n) return;
    this.#soloClosing = true;
    if (onChain.round < this.#state!.round) this.#onChainTx('can_slash', this.#signedTx!);
  }

  async #connectPeer(then: (link: PeerLink) => void): Promise<void> {
    try {
      const link = await this.#host.connectPeer(this, this.#opts.host ?? 'localhost', this.#opts.port, this.#abort.signal);
      if (this.#phase === 'terminated') return link.close();
      this.attachPeer(link);
      then(link);
    } catch {
      if (this.#phase === 'terminated') return;
      // A channel closing on chain needs no peer: the FSM stays for the slash and the settle its
      // client can still make (the peer that closed it with an old state may never come back).
      if (this.#soloClosing) {
        this.#phase = 'closing';
        return;
      }
      this.#terminate('timeout');
    }
  }

  /** Connects the peer's FSM (the node calls this on the responder when the initiator arrives). */
  attachPeer(link: PeerLink): void {
    this.#peer = link;
    link.onMessage((m) => this.#enqueue(() => this.#onPeer(m)));
    link.onClose(() =>
      this.#enqueue(async () => {
        if (this.#peer !== link) return;
        this.#peer = undefined;
        // Once the channel is closing on chain the peer has nothing more to say: watch the chain.
        if (this.#phase === 'terminated' || this.#phase === 'closed' || this.#phase === 'mutual_closing' || this.#phase === 'closing') return;
        // Before the channel is open there is nothing to keep, and an FSM that does not keep
        // running (every initiator; a responder with keep_running=false) goes with its peer.
        if (this.#phase === 'awaiting_accept' || this.#phase === 'funding' || this.#phase === 'awaiting_locked' || !this.#opts.keepRunning) {
          return this.#terminate('died');
        }
        this.#info('peer_disconnected');
      }),
    );
  }

  /** Hands the FSM a peer message that arrived before it was attached (the first one of a connection). */
  deliver(message: PeerMessage): void {
    void this.#enqueue(() => this.#onPeer(message));
  }

  /** Whether this responder FSM takes a `channel_open` from `initiator` to `responder` (`locate_fsm/3`). */
  accepts(initiator: Uint8Array, responder: Uint8Array): boolean {
    if (this.role !== 'responder' || this.#phase !== 'awaiting_open' || this.#peer !== undefined) return false;
    if (!bytesEqual(publicKeyOf(this.#responder), responder)) return false;
    return this.#initiator === undefined || bytesEqual(publicKeyOf(this.#initiator), initiator);
  }

  /** Whether this responder FSM takes a `channel_reestablish` for `channelId`. */
  acceptsReestablish(channelId: Uint8Array): boolean {
    return this.role === 'responder' && this.#phase === 'reestablishing' && this.#peer === undefined && this.#channelId !== undefined && bytesEqual(decodeApi(this.#channelId, 'ch'), channelId);
  }

  /** Attaches a reconnecting client (same fsm id): `fsm_up` only, the FSM goes on. */
  reconnect(client: ClientSink): void {
    this.#client?.close();
    this.#client = client;
    this.#info('fsm_up', { fsm_id: this.fsmId });
  }

  /** The client's socket closed. */
  clientGone(client: ClientSink): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    void this.#enqueue(async () => {
      // Before the create tx is co-signed there is no channel to come back to: the FSM stops
      // (and its peer with it). Afterwards it keeps running for a reconnect.
      if (this.#phase === 'connecting' || this.#phase === 'awaiting_open' || this.#phase === 'awaiting_accept' || (this.#phase === 'funding' && this.#createTx === undefined)) {
        this.#terminate('died');
      }
    });
  }

  /** Stops the FSM (node shutdown): nothing is reported. */
  shutdownQuietly(): void {
    this.#terminate(undefined);
  }

  /**
   * Resolves once the input being handled (if any) is done: one that was waiting, say, for a
   * signature check on another thread when the FSM stopped still runs to its end, and may still
   * write its co-signed state.
   */
  settled(): Promise<void> {
    return this.#queue.then(() => undefined);
  }

  #terminate(reason: 'died' | 'timeout' | undefined): void {
    if (this.#phase === 'terminated') return;
    if (reason === 'timeout') this.#info('timeout');
    if (reason !== undefined) this.#info('died');
    this.#phase = 'terminated';
    this.#timers.clear();
    this.#abort.abort();
    this.#unsubscribe?.();
    this.#peer?.close();
    this.#host.unlisten(this);
    this.#host.terminated(this);
    // The client's socket stays open (the node still answers a `stop` on it); the client closes it.
  }

  /**
   * Runs inputs one at a time. Every input but a {@link QUIET} one restarts the idle timer, as any
   * event restarts the node's state timer (gen_statem event timeouts).
   *
   * An input that throws is never dropped in silence, which would leave the FSM waiting for what
   * can no longer come: `onFault` gives it its answer, by default the end the node's FSM comes to
   * when a step crashes (`died`).
   */
  #enqueue(f: () => Promise<unknown> | unknown, onFault: (e: unknown) => void = () => this.#terminate('died')): Promise<void> {
    const run = this.#queue.then(async () => {
      if (this.#phase === 'terminated') return;
      let out: unknown;
      try {
        out = await f();
      } catch (e) {
        onFault(e);
      }
      // (`phase`, not `#phase`: the input may have ended the FSM.)
      if (this.phase !== 'terminated') this.#restIdle(out !== QUIET);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Where the FSM waits with the idle timer: open with nothing in flight, closing on chain, mutually closed, or a responder waiting for a reestablish. */
  #idleState(): IdleState | undefined {
    if (this.#pendingSign !== undefined) return undefined;
    switch (this.#phase) {
      case 'open':
        return this.#round === undefined ? 'open' : undefined;
      case 'closing':
        return 'channel_closing';
      case 'mutual_closing':
        // Once the close tx is co-signed (no round left) the node's FSM is in mutual_closed.
        return this.#round === undefined ? 'mutual_closed' : undefined;
      case 'reestablishing':
        return this.role === 'responder' && this.#peer === undefined ? 'awaiting_reestablish' : undefined;
      default:
        return undefined;
    }
  }

  /** After an input: (re)arms the idle timer in an idle state (`reset`: from now on), else disarms it. */
  #restIdle(reset: boolean): void {
    if (this.#idleState() === undefined) {
      this.#timers.disarm('idle');
      return;
    }
    if (reset || !this.#timers.has('idle')) this.#timers.arm('idle', this.#opts.timeouts.idle, () => this.#onIdle());
  }

  /**
   * Nothing happened for `timeout_idle`: the FSM stops (`timeout`, `died`), except a responder
   * with `keep_running`, which waits on; after a mutual close every FSM stops.
   */
  #onIdle(): void {
    const state = this.#idleState();
    if (state === undefined) return;
    if (state !== 'mutual_closed' && this.role === 'responder' && this.#opts.keepRunning) return;
    this.#terminate('timeout');
  }

  // ----- reports -----------------------------------------------------------------------------

  #send(frame: string): void {
    this.#client?.send(frame);
  }
  /** Sends a peer message, noted in the event log. */
  #toPeer(m: PeerMessage): void {
    if (this.#peer === undefined) return;
    this.#log.add('snd', m.type, m, true);
    this.#peer.send(m);
  }
  #notify(reportTag: string, method: string, data: unknown): void {
    if (this.#opts.reports[reportTag] === false) return;
    // (a sign request goes to the log as a request, by #askSign)
    if (!method.startsWith('channels.sign.')) this.#log.add('rpt', reportTag, data);
    this.#send(frameNotification(method, data, this.#reportedChannelId));
  }
  #info(event: string, extra: Record<string, unknown> = {}): void {
    this.#notify('info', 'channels.info', { event, ...extra });
  }
  #onChainTx(info: string, tx: SignedTx | EncodedTx): void {
    const signed = typeof tx === 'string' ? txFromText(tx) : tx;
    this.#notify('on_chain_tx', 'channels.on_chain_tx', { info, tx: typeof tx === 'string' ? tx : txText(tx), type: signed.tx.tag });
  }
  #reportUpdate(): void {
    // txText encodes each tx once (object-bytes.ts): the persisted record wrote the same text
    this.#notify('update', 'channels.update', { state: txText(this.#signedTx!) });
  }
  #askSign(tag: SignTag, tx: SignedTx, updates: readonly OffchainUpdate[], resolve: (o: SignOutcome) => Promise<void>): void {
    this.#pendingSign = { tag, tx, resolve };
    this.#timers.arm('sign', this.#opts.timeouts.sign, () => {
      const pending = this.#pendingSign;
      this.#pendingSign = undefined;
      return pending?.resolve({ abort: 3 });
    });
    const request = { signed_tx: txText(tx), updates: updates.map(updateToJson) };
    this.#log.add('req', 'sign', { tag, ...request });
    this.#notify('info', `channels.sign.${tag}`, request);
  }

  // ----- client requests ---------------------------------------------------------------------

  /**
   * Handles a validated client request. `respond` is called once, before anything the request
   * causes is reported (as the node answers before it acts).
   */
  request(method: string, params: Record<string, unknown>, id: JsonRpcId | undefined, respond: (r: ClientReply) => void): Promise<void> {
    let answered = false;
    const once = (r: ClientReply) => {
      answered = true;
      respond(r);
    };
    return this.#enqueue(
      () => this.#onRequest(method, params, id, once),
      // As the node's FSM catches what a call throws and answers it (`{error, E}`: -32603
      // "Internal error"), the FSM as it was; a request already answered had started work, which
      // cannot be left half done: the FSM ends as the node's does when a step crashes.
      () => (answered ? this.#terminate('died') : once(rpcError(-32603))),
    );
  }

  /** Frames a reply to a request as the node does. */
  frameReply(id: JsonRpcId | undefined, request: unknown, reply: ClientReply): string | undefined {
    if (reply.kind === 'none') return undefined;
    if (reply.kind === 'result') return id === undefined ? undefined : frameResult(id, reply.result, this.#reportedChannelId);
    return frameError({
      id: id ?? null,
      code: reply.code,
      message: reply.message,
      ...(reply.data === undefined ? {} : { data: reply.data }),
      request,
      channelId: this.#reportedChannelId,
    });
  }

  async #onRequest(method: string, params: Record<string, unknown>, id: JsonRpcId | undefined, respond: (r: ClientReply) => void): Promise<void> {
    const signTag = (SIGN_REPLY_METHODS as Record<string, string>)[method];
    if (signTag !== undefined) return this.#onSignReply(signTag, params, respond);
    switch (method) {
      case 'channels.system':
        if (params.action === 'ping') {
          respond(NONE);
          this.#send(frameNotification('channels.system.pong', { action: 'system', tag: 'pong' }, this.#reportedChannelId));
          return;
        }
        respond(OK);
        this.#terminate('died');
        return;
      case 'channels.message':
        return this.#onMessageRequest(params, respond);
      case 'channels.get.balances': {
        if (this.#state === undefined) return respond(NOT_ALLOWED_NOW);
        const accounts = params.accounts as AccountAddress[];
        return this.#dataReply(method, id, balancesOf(this.#state.trees, accounts), respond);
      }
      case 'channels.get.offchain_state': {
        if (this.#state === undefined) return respond(NOT_ALLOWED_NOW);
        return this.#dataReply(
          method,
          id,
          {
            trees: this.#host.states.encodedTrees(this.#state.trees),
            calls: encodeCallsTree(emptyMpt()),
            signed_tx: txText(this.#signedTx!),
            half_signed_tx: this.#round?.half ? txText(this.#round.half) : '',
          },
          respond,
        );
      }
      case 'channels.get.poi': {
        if (this.#state === undefined) return respond(NOT_ALLOWED_NOW);
        const accounts = (params.accounts as AccountAddress[]) ?? [];
        const contracts = (params.contracts as string[] | undefined) ?? [];
        try {
          const poi = buildPoi(this.#state.trees, { accounts: [...accounts, ...contracts] as AccountAddress[] });
          return this.#dataReply(method, id, { poi: encodePoi(poi) }, respond);
        } catch {
          return respond(reasonError(100));
        }
      }
      case 'channels.update.new':
        return this.#startUpdate(params, respond);
      case 'channels.deposit':
      case 'channels.withdraw':
        return this.#startDepositOrWithdraw(method === 'channels.deposit' ? 'deposit' : 'withdraw', params, respond);
      case 'channels.shutdown':
        return this.#startShutdown(params, respond);
      case 'channels.close_solo':
        return this.#startSolo('close_solo', params, respond);
      case 'channels.slash':
        return this.#startSolo('slash', params, respond);
      case 'channels.settle':
        return this.#startSolo('settle', params, respond);
      case 'channels.snapshot_solo':
        return this.#startSolo('snapshot_solo', params, respond);
      case 'channels.leave':
        return this.#startLeave(respond);
      case 'channels.assume_minimum_depth':
        return this.#assumeMinimumDepth(params, respond);
      case 'channels.clean_contract_calls':
        // (`ok_response(calls_pruned)`: the action alone; there are no calls to prune here)
        return this.#dataReply('channels.calls_pruned', id, { action: 'calls_pruned' }, respond);
      case 'channels.history.fetch': {
        const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
        const n = params.n === undefined ? undefined : Number(params.n);
        return this.#dataReply(method, id, this.#log.fetch({ n, type: list(params.type), tag: list(params.tag) }), respond);
      }
      case 'channels.get.contract':
        // No channel here can hold a contract (making one needs the FATE VM): the node's answer
        // for a contract the channel's trees do not have, `not_found`.
        return respond(reasonError(100));
      case 'channels.get.contract_call':
        // Likewise no call: the node's `call_not_found` (asked in another state, the node's
        // FSM has no clause for it: "Internal error").
        return respond(this.#phase === 'open' ? reasonError(1004) : rpcError(-32603));
      default:
        // Creating or calling a contract (new_contract, call_contract, its dry run, force
        // progress) needs the FATE VM, which this node does not have: the node's answer to a
        // request it does not handle (`unhandled`: -32601 "Method not found"). The FSM is left
        // as it was.
        return respond(rpcError(-32601));
    }
  }

  /** A data answer: a result for a request with an id, else a `<method>.reply` notification. */
  #dataReply(method: string, id: JsonRpcId | undefined, data: unknown, respond: (r: ClientReply) => void): void {
    if (id !== undefined) {
      respond({ kind: 'result', result: data });
      return;
    }
    respond(NONE);
    this.#send(frameNotification(`${method}.reply`, data, this.#reportedChannelId));
  }

  #onMessageRequest(params: Record<string, unknown>, respond: (r: ClientReply) => void): void {
    const to = params.to as AccountAddress;
    const from = (params.from as AccountAddress | undefined) ?? this.#me();
    const fromMe = from === this.#me();
    if (!((fromMe && to === this.#other()) || this.#opts.msgForwarding) || this.#peer === undefined || this.#initiator === undefined) {
      // The node's `unknown_recipient` has no error code of its own: "Internal error".
      respond(rpcError(-32603));
      return;
    }
    const info = typeof params.info === 'string' ? params.info : stringifyJson(params.info);
    const bytes = utf8.encode(info);
    // The node's `inband_msg` refuses a message over its size (`invalid_request`).
    if (bytes.length > MAX_INBAND_MSG_SIZE) {
      respond(rpcError(-32000));
      return;
    }
    respond(NONE);
    this.#toPeer({
      type: 'inband_msg',
      channelId: this.#channelId ? decodeApi(this.#channelId, 'ch') : this.#tempChannelId,
      from: publicKeyOf(from),
      to: publicKeyOf(to),
      info: bytes,
    });
  }

  /**
   * A client's answer to a sign request. An abort (`{error: code}`) is answered as the node answers
   * it (ok, or not allowed when nothing waits for it). A signed tx is answered with nothing, as by
   * the node (`sc_ws_api_jsonrpc` hands it to the FSM, `signing_response`, and replies `no_reply`):
   * one that comes when nothing waits for it is dropped; one the FSM cannot use (another tx, or
   * signatures other than exactly one valid signature of each signer: a repeated one, a stranger's,
   * one missing) ends as aesc_fsm ends it, by the request (see `sign-reply.ts`): `channels.error`
   * and a conflict, or a conflict alone, or nothing.
   */
  async #onSignReply(fsmTag: string, params: Record<string, unknown>, respond: (r: ClientReply) => void): Promise<void> {
    const pending = this.#pendingSign;
    const waiting = pending !== undefined && SIGN_TAGS[pending.tag].fsmTag === fsmTag;
    if ('error' in params) {
      if (!waiting) return respond(NOT_ALLOWED_NOW);
      respond(OK);
      this.#pendingSign = undefined;
      this.#timers.disarm('sign');
      return pending.resolve({ abort: Number(params.error) });
    }
    respond(OK);
    let signed: SignedTx;
    try {
      signed = txFromText(params.signed_tx as string);
    } catch {
      return; // not a signed tx: the node's handler fails on it and answers nothing
    }
    if (!waiting) return;
    const parties = { me: this.#me(), initiator: this.#initiator!, responder: this.#responder };
    const mismatch = txMismatch(pending.tag, pending.tx.tx, signed);
    const exact = mismatch === undefined && (await signedExactlyBy(this.#host.signedBy, signed, requiredSigners(pending.tag, signed, parties)));
    // (the check may have waited for another thread: the request must still be the one answered)
    if (this.#pendingSign !== pending) return;
    if (exact) {
      this.#pendingSign = undefined;
      this.#timers.disarm('sign');
      this.#log.add('rcv', 'signed', { txType: pending.tag, tx: signed }, true);
      return pending.resolve({ signed });
    }
    this.#refuseSigned(pending, mismatch ?? 'bad_signature');
  }

  /** A signed reply the FSM cannot use, ended as aesc_fsm ends it for that request (`SIGN_REPLY_RULES`). */
  #refuseSigned(pending: PendingSign, reason: string): void {
    const outcome = SIGN_REPLY_RULES[pending.tag].onBad;
    if (outcome === 'error-keep-waiting') {
      this.#notify('error', 'channels.error', { message: reason });
      return;
    }
    const round = this.#round;
    if (outcome === 'dropped') {
      this.#pendingSign = undefined;
      this.#timers.disarm('sign');
      return;
    }
    if (outcome === 'error-and-conflict') this.#notify('error', 'channels.error', { message: reason });
    this.#conflict(outcome === 'rejected-on-chain' ? 5 : 1);
    // An acknowledging side tells the peer's FSM, whose round ends too (a side that started the
    // round had not sent it yet).
    if (outcome === 'error-and-conflict' && round !== undefined && !round.originator) {
      const type = round.kind === 'update' ? 'update_error' : round.kind === 'deposit' ? 'deposit_error' : round.kind === 'withdraw' ? 'withdraw_error' : 'shutdown_error';
      this.#toPeer({ type, channelId: decodeApi(this.#channelId!, 'ch'), round: Number(this.#state!.round), errorCode: 1 });
    }
  }

  /** Whether a signed tx carries exactly one valid signature of each of `accounts` (see exact-signers.ts). */
  #signedExactly(signed: SignedTx, accounts: readonly AccountAddress[]): Promise<boolean> {
    return signedExactlyBy(this.#host.signedBy, signed, accounts);
  }

  /** The peer's half-signed tx: its signature, or both when it carries two or more (a round co-signed already). */
  #peerSigners(half: SignedTx): AccountAddress[] {
    return half.signatures.length >= 2 ? [this.#initiator!, this.#responder] : [this.#other()];
  }

  // ----- block hashes --------------------------------------------------------------------------

  /**
   * The block a proposal is pinned to (`pick_onchain_env/2`): the one the client names (which
   * the chain must know: undefined when it does not), else the key block `bh_delta_*` below the
   * top (`pick_hash/1`). Without a block source: the not-set hash.
   */
  async #pickBlockHash(given?: unknown): Promise<Uint8Array | undefined> {
    const blocks = this.#host.blocks;
    if (typeof given === 'string') {
      const hash = decodeApi(given as `kh_${string}`, ['kh', 'mh']);
      if (isNotSet(hash)) return NOT_SET_BLOCK_HASH;
      return blocks !== undefined && (await blocks.blockPlace(hash)) !== undefined ? hash : undefined;
    }
    if (blocks === undefined) return NOT_SET_BLOCK_HASH;
    const height = pickedHeight(await this.#host.chain.height(), this.#opts.blockHashDelta);
    return (await blocks.keyBlockHashAt(height)) ?? NOT_SET_BLOCK_HASH;
  }

  /** Checks the block hash of the peer's proposal against this FSM's deltas (`check_block_hash/2`). */
  async #checkBlockHash(hash: Uint8Array): Promise<BlockHashVerdict> {
    if (isNotSet(hash)) return 'ok';
    const place = await this.#host.blocks?.blockPlace(hash);
    return blockHashVerdict(hash, place, await this.#host.chain.height(), this.#opts.blockHashDelta);
  }

  // ----- opening -----------------------------------------------------------------------------

  async #onChannelOpen(m: Msg<'channel_open'>): Promise<void> {
    if (!bytesEqual(m.chainHash, decodeApi(this.#host.chainInfo.genesisHash as `kh_${string}`, 'kh'))) {
      // The initiator's channel lives on another chain.
      this.#toPeer({ type: 'error', channelId: m.tempChannelId, data: utf8.encode('wrong chain') });
      this.#peer?.close();
      this.#peer = undefined;
      return;
    }
    this.#timers.disarm('awaiting_open');
    this.#initiator = encodeApi('ak', m.initiator);
    this.#tempChannelId = m.tempChannelId;
    this.#lockPeriod = BigInt(m.lockPeriod);
    this.#pushAmount = m.pushAmount;
    this.#initiatorAmount = m.initiatorAmount;
    this.#responderAmount = m.responderAmount;
    this.#channelReserve = m.channelReserve;
    this.#info('channel_open');
    this.#peer!.send({
      type: 'channel_accept',
      chainHash: m.chainHash,
      tempChannelId: m.tempChannelId,
      minimumDepth: this.#minDepth,
      minimumDepthStrategy: this.#minDepthStrategy,
      initiatorAmount: m.initiatorAmount,
      responderAmount: m.responderAmount,
      channelReserve: m.channelReserve,
      initiator: m.initiator,
      responder: m.responder,
    });
    this.#phase = 'funding';
    this.#timers.arm('funding_create', this.#opts.timeouts.fundingCreate);
  }

  async #onChannelAccept(m: Msg<'channel_accept'>): Promise<void> {
    this.#timers.disarm('initialized');
    this.#minDepth = m.minimumDepth;
    this.#minDepthStrategy = m.minimumDepthStrategy;
    this.#info('channel_accept');
    this.#phase = 'funding';
    this.#state = initialState({
      initiator: this.#initiator!,
      initiatorAmount: this.#initiatorAmount,
      responder: this.#responder,
      responderAmount: this.#responderAmount,
      pushAmount: this.#pushAmount,
    });
    const nonce = this.#opts.nonce ?? (await this.#host.chain.nextNonce(this.#initiator!));
    const base = {
      tag: 'channel_create_tx' as const,
      initiatorId: this.#initiator!,
      initiatorAmount: this.#initiatorAmount,
      responderId: this.#responder,
      responderAmount: this.#responderAmount,
      channelReserve: this.#channelReserve,
      lockPeriod: this.#lockPeriod,
      ttl: this.#opts.ttl,
      stateHash: this.#host.states.stateHash(this.#state.trees),
      nonce,
    };
    const built = withMinimumFee<Transaction>(
      (fee) =>
        this.#host.createTxVersion === 1
          ? ({ ...base, version: 1, fee, delegateIds: [] } as Transaction)
          : ({ ...base, version: 2, fee, initiatorDelegateIds: [], responderDelegateIds: [] } as Transaction),
      { ...(this.#opts.fee === undefined ? {} : { fee: this.#opts.fee }), ...(this.#opts.gasPrice === undefined ? {} : { gasPrice: this.#opts.gasPrice }) },
      this.#host.chainInfo.minMinerGasPrice,
    );
    if (!built.ok) {
      this.#notify('error', 'channels.error', { message: built.error });
      return this.#terminate('died');
    }
    const tx: SignedTx = { tag: 'signed_tx', version: 1, signatures: [], tx: built.tx };
    this.#createBlockHash = (await this.#pickBlockHash()) ?? NOT_SET_BLOCK_HASH;
    this.#timers.arm('funding_sign', this.#opts.timeouts.fundingSign);
    this.#askSign('initiator_sign', tx, [], async (o) => {
      if ('abort' in o) return this.#terminate('died');
      this.#timers.disarm('funding_sign');
      this.#createTx = o.signed;
      this.#toPeer({ type: 'funding_created', tempChannelId: this.#tempChannelId, blockHash: this.#createBlockHash, tx: objectBytes(o.signed), updates: [] });
    });
  }

  async #onFundingCreated(m: Msg<'funding_created'>): Promise<void> {
    this.#timers.disarm('funding_create');
    // Another channel's message, or a tx that is no signed tx (`check_funding_created_msg`:
    // `invalid_funding`), ends the FSM as the node's does.
    const half = bytesEqual(m.tempChannelId, this.#tempChannelId) ? signedTxOf(m.tx) : undefined;
    if (half === undefined) return this.#terminate('died');
    // A create tx pinned to a block outside this FSM's deltas: the node's FSM stops.
    if ((await this.#checkBlockHash(m.blockHash)) !== 'ok') return this.#terminate('died');
    this.#createBlockHash = m.blockHash;
    const tx = half.tx;
    this.#state = initialState({
      initiator: this.#initiator!,
      initiatorAmount: this.#initiatorAmount,
      responder: this.#responder,
      responderAmount: this.#responderAmount,
      pushAmount: this.#pushAmount,
    });
    if (
      tx.tag !== 'channel_create_tx' ||
      tx.initiatorId !== this.#initiator ||
      tx.responderId !== this.#responder ||
      tx.initiatorAmount !== this.#initiatorAmount ||
      tx.responderAmount !== this.#responderAmount ||
      tx.stateHash !== this.#host.states.stateHash(this.#state.trees)
    ) {
      this.#info('not_create_tx');
      return this.#terminate('died');
    }
    if (!(await this.#signedExactly(half, [this.#initiator!]))) {
      this.#info('bad_signature');
      return this.#terminate('died');
    }
    this.#channelId = channelIdFromCreateTx(half);
    this.#reportedChannelId = this.#channelId;
    this.#host.channelKnown(this);
    this.#info('funding_created', { fsm_id: this.fsmId });
    this.#timers.arm('funding_sign', this.#opts.timeouts.fundingSign);
    this.#askSign('responder_sign', half, [], async (o) => {
      if ('abort' in o) return this.#terminate('died');
      this.#timers.disarm('funding_sign');
      const signed = o.signed;
      this.#createTx = signed;
      this.#signedTx = signed;
      this.#watchChain();
      this.#phase = 'awaiting_locked';
      this.#watchFunding(signed);
      this.#toPeer({ type: 'funding_signed', tempChannelId: this.#tempChannelId, blockHash: this.#createBlockHash, tx: objectBytes(signed) });
      this.#onChainTx('funding_created', signed);
    });
  }

  async #onFundingSigned(m: Msg<'funding_signed'>): Promise<void> {
    // (`check_funding_signed_msg`: another channel's message or no signed tx is `invalid_funding_ack`)
    const signed = bytesEqual(m.tempChannelId, this.#tempChannelId) ? signedTxOf(m.tx) : undefined;
    if (signed === undefined) return this.#terminate('died');
    if (!sameObject(signed.tx, this.#createTx!.tx) || !(await this.#signedExactly(signed, [this.#initiator!, this.#responder]))) {
      this.#info('bad_signature');
      return this.#terminate('died');
    }
    this.#createTx = signed;
    this.#signedTx = signed;
    this.#channelId = channelIdFromCreateTx(signed);
    this.#reportedChannelId = this.#channelId;
    this.#host.channelKnown(this);
    this.#info('funding_signed', { fsm_id: this.fsmId });
    this.#phase = 'awaiting_locked';
    this.#watchChain();
    this.#watchFunding(signed);
    await this.#post(signed);
    this.#onChainTx('funding_signed', signed);
  }

  #watchFunding(signed: SignedTx): void {
    // The initiator times the funding lock; the responder's FSM goes when the initiator's does.
    if (this.role === 'initiator') this.#timers.arm('funding_lock', this.#opts.timeouts.fundingLock);
    this.#watch(signed, async () => {
      this.#timers.disarm('funding_lock');
      this.#funding.ownLocked = true;
      this.#info('own_funding_locked');
      this.#toPeer({ type: 'funding_locked', tempChannelId: this.#tempChannelId, channelId: decodeApi(this.#channelId!, 'ch') });
      if (this.#funding.peerLockedEarly) await this.#fundingLocked();
      else await this.#maybeOpen();
    });
  }

  async #onFundingLocked(m: Msg<'funding_locked'>): Promise<void> {
    // (`check_funding_locked_msg`: the message names this channel, else the FSM stops)
    if (!bytesEqual(m.tempChannelId, this.#tempChannelId) || !this.#isChannel(m.channelId)) return this.#terminate('died');
    // As the node (which postpones the message in awaiting_locked): the peer's lock counts once
    // this FSM has seen its own.
    await this.#fundingLocked();
  }

  async #fundingLocked(): Promise<void> {
    if (!this.#funding.ownLocked) {
      this.#funding.peerLockedEarly = true;
      return;
    }
    this.#funding.peerLocked = true;
    this.#info('funding_locked');
    await this.#maybeOpen();
  }

  async #maybeOpen(): Promise<void> {
    if (!this.#funding.ownLocked || !this.#funding.peerLocked || this.#phase !== 'awaiting_locked') return;
    this.#phase = 'open';
    await this.#persist();
    this.#info('open');
    this.#reportUpdate();
  }

  // ----- off-chain updates ---------------------------------------------------------------------

  #onChainOpts(params: Record<string, unknown>): { fee?: bigint; gasPrice?: bigint; nonce?: bigint } {
    const out: { fee?: bigint; gasPrice?: bigint; nonce?: bigint } = {};
    for (const k of ON_CHAIN_OPT_KEYS) {
      const v = bigOf(params[k]);
      if (v === undefined) continue;
      if (k === 'gas_price') out.gasPrice = v;
      else out[k] = v;
    }
    return out;
  }

  #busy(): boolean {
    return this.#phase !== 'open' || this.#pendingSign !== undefined || this.#round !== undefined;
  }

  /** Drops the round this FSM started (or the solo tx it is signing) and tells its client: `channels.conflict`. */
  #conflict(code: number): void {
    this.#round = undefined;
    this.#pendingSign = undefined;
    this.#timers.disarm('sign');
    this.#timers.disarm('peer_reply');
    this.#notify('conflict', 'channels.conflict', {
      channel_id: this.#channelId,
      error_code: code,
      error_msg: abortCodeMessage(code),
      round: Number(this.#state?.round ?? 0n),
    });
  }

  /**
   * A client asks for a new round while the FSM is busy. While the peer's round waits for this
   * client's signature, the node takes the request as a conflict: both sides get
   * `channels.conflict` and the peer's round is dropped. Otherwise: not allowed now.
   */
  #busyReply(respond: (r: ClientReply) => void): void {
    const round = this.#round;
    if (round !== undefined && !round.originator && this.#pendingSign !== undefined && this.#peer !== undefined) {
      respond(NONE);
      this.#conflict(2);
      const type = round.kind === 'update' ? 'update_error' : round.kind === 'deposit' ? 'deposit_error' : round.kind === 'withdraw' ? 'withdraw_error' : 'shutdown_error';
      this.#toPeer({ type, channelId: decodeApi(this.#channelId!, 'ch'), round: Number(this.#state!.round), errorCode: 2 });
      return;
    }
    respond(NOT_ALLOWED_NOW);
  }

  /**
   * This FSM's round ends without the peer's signature: the client gets `channels.conflict`
   * (`code`), the peer `<kind>_error`, and the last co-signed round stays (`handle_update_conflict`;
   * with code 3 the node's timeout while it waits for the peer).
   */
  #roundConflict(round: Round, code: number): void {
    if (this.#round !== round) return;
    this.#timers.disarm('peer_reply');
    this.#conflict(code);
    const type = round.kind === 'update' ? 'update_error' : round.kind === 'deposit' ? 'deposit_error' : round.kind === 'withdraw' ? 'withdraw_error' : 'shutdown_error';
    this.#toPeer({ type, channelId: decodeApi(this.#channelId!, 'ch'), round: Number(this.#state!.round), errorCode: code });
  }

  /**
   * Sends this FSM's half-signed round to the peer and waits for its reply for the node's time
   * (`awaiting_update_ack`: `timeout_accept`; a deposit or withdrawal, `dep_half_signed`:
   * `timeout_funding_sign`): a peer that does not answer cannot hold the channel's rounds.
   */
  #proposeToPeer(round: Round, m: PeerMessage): void {
    this.#toPeer(m);
    this.#timers.arm('peer_reply', round.kind === 'update' ? this.#opts.timeouts.accept : this.#opts.timeouts.fundingSign, () => this.#roundConflict(round, 3));
  }

  async #startUpdate(params: Record<string, unknown>, respond: (r: ClientReply) => void): Promise<void> {
    if (this.#busy()) return this.#busyReply(respond);
    const from = params.from as AccountAddress;
    const to = params.to as AccountAddress;
    const participants = [this.#initiator, this.#responder];
    if (from === to || !participants.includes(from) || !participants.includes(to)) return respond(reasonError(1003));
    const blockHash = await this.#pickBlockHash(params.block_hash);
    // A block the chain does not know (`unknown_block_hash`) has no code of its own: "Internal error".
    if (blockHash === undefined) return respond(rpcError(-32603));
    const updates: OffchainUpdate[] = [{ tag: 'channel_offchain_update_transfer', version: 1, from, to, amount: BigInt(params.amount as number) }];
    for (const data of (params.meta as string[] | undefined) ?? []) updates.push({ tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode(data) } as OffchainUpdate);
    let next: OffchainState;
    try {
      next = this.#apply(updates);
    } catch {
      return respond(reasonError(1001));
    }
    respond(NONE);
    const tx: SignedTx = {
      tag: 'signed_tx',
      version: 1,
      signatures: [],
      tx: { tag: 'channel_offchain_tx', version: 2, channelId: this.#channelId!, round: next.round, stateHash: this.#host.states.stateHash(next.trees) },
    };
    const round: Round = { kind: 'update', originator: true, next, updates, blockHash };
    this.#round = round;
    this.#askSign('update', tx, updates, async (o) => {
      if ('abort' in o) {
        this.#round = undefined;
        this.#info('aborted_update');
        return;
      }
      round.half = o.signed;
      this.#proposeToPeer(round, { type: 'update', channelId: decodeApi(this.#channelId!, 'ch'), blockHash, tx: objectBytes(o.signed), updates: updates.map((u) => objectBytes(u)) });
    });
  }

  #apply(updates: readonly OffchainUpdate[]): OffchainState {
    return this.#host.states.next(this.#state!, updates, { channelReserve: this.#channelReserve });
  }

  async #onUpdate(m: Msg<'update' | 'deposit_created' | 'withdraw_created'>): Promise<void> {
    const kind: RoundKind = m.type === 'update' ? 'update' : m.type === 'deposit_created' ? 'deposit' : 'withdraw';
    const errorType = m.type === 'update' ? 'update_error' : m.type === 'deposit_created' ? 'deposit_error' : 'withdraw_error';
    const half = signedTxOf(m.tx);
    const updates = updatesOf(m.updates);
    const tx = half?.tx as (Transaction & { round?: bigint; stateHash?: string; channelId?: string }) | undefined;
    // (at the last co-signed round, as the node's `make_recoverable_error_msg`: never a round the peer made up)
    const refuse = (code: number) =>
      this.#toPeer({ type: errorType, channelId: decodeApi(this.#channelId!, 'ch'), round: Number(this.#state?.round ?? 0n), errorCode: code });
    if (this.#busy()) {
      // Both sides started a round at once: each drops its own and refuses the other's (conflict).
      if (this.#pendingSign !== undefined || this.#round?.originator) this.#conflict(2);
      return void refuse(2);
    }
    // A round this FSM cannot take (pinned to a block out of range, updates that do not apply, a tx
    // that is not theirs, a bad signature) is a conflict for both clients at the last co-signed
    // round, as aesc_fsm's `handle_update_conflict` makes every refusal in `open`.
    const conflict = () => {
      this.#conflict(2);
      this.#toPeer({ type: errorType, channelId: decodeApi(this.#channelId!, 'ch'), round: Number(this.#state!.round), errorCode: 2 });
    };
    // Another channel's message, bytes that are no signed tx or updates, a tx of another kind or
    // channel (`check_update_msg`, `check_tx`): the same conflict.
    const txTag = kind === 'update' ? 'channel_offchain_tx' : kind === 'deposit' ? 'channel_deposit_tx' : 'channel_withdraw_tx';
    if (!this.#isChannel(m.channelId) || half === undefined || tx === undefined || updates === undefined || tx.tag !== txTag || tx.channelId !== this.#channelId) {
      return void conflict();
    }
    if ((await this.#checkBlockHash(m.blockHash)) !== 'ok') return void conflict();
    let next: OffchainState;
    try {
      next = this.#apply(updates);
    } catch {
      return void conflict();
    }
    if (tx.round !== next.round || tx.stateHash !== this.#host.states.stateHash(next.trees) || !(await this.#signedExactly(half, this.#peerSigners(half)))) {
      return void conflict();
    }
    if (this.#client === undefined) {
      // No client to sign: a round the client signed already (the peer sent it co-signed) goes
      // through; any other is refused as a conflict.
      if (kind === 'update' && half.signatures.length === 2) {
        await this.#commit(next, half);
        this.#toPeer({ type: 'update_ack', channelId: decodeApi(this.#channelId!, 'ch'), tx: objectBytes(half) });
        return;
      }
      return void refuse(2);
    }
    const round: Round = { kind, originator: false, next, updates, half, blockHash: m.blockHash };
    this.#round = round;
    this.#info(kind === 'update' ? 'update' : kind === 'deposit' ? 'deposit_created' : 'withdraw_created');
    const tag: SignTag = kind === 'update' ? 'update_ack' : kind === 'deposit' ? 'deposit_ack' : 'withdraw_ack';
    this.#askSign(tag, half, updates, async (o) => {
      if ('abort' in o) {
        this.#round = undefined;
        this.#info('aborted_update');
        refuse(o.abort);
        return;
      }
      const signed = o.signed;
      round.signed = signed;
      if (kind === 'update') {
        const ack = () => this.#toPeer({ type: 'update_ack', channelId: decodeApi(this.#channelId!, 'ch'), tx: objectBytes(signed) });
        // The ack goes out once this state is durable, so that no client hears of a round its
        // peer's node could lose. A peer on this node may have it at once: the write it makes on
        // the ack joins this one's commit or a later one, and its client hears of the round only
        // after that; with a durable cache, the two writes of a round then share one fsync.
        const early = this.#peer?.sharesCache === true;
        const durable = this.#commit(next, signed);
        if (early) ack();
        await durable;
        this.#round = undefined;
        if (!early) ack();
        this.#reportUpdate();
        return;
      }
      // Deposit / withdraw: the acker sends the co-signed tx back; the originator posts it.
      round.txHash = hashOfTx(signed);
      this.#toPeer({ type: kind === 'deposit' ? 'deposit_signed' : 'withdraw_signed', channelId: decodeApi(this.#channelId!, 'ch'), blockHash: round.blockHash, tx: objectBytes(signed) });
      this.#onChainTx(kind === 'deposit' ? 'deposit_created' : 'withdraw_created', signed);
      this.#watchRoundLock(round, signed);
    });
  }

  async #onUpdateAck(m: Msg<'update_ack'>): Promise<void> {
    const round = this.#round;
    // (a straggler when no round waits for it: dropped)
    if (round?.kind !== 'update' || !round.originator || round.half === undefined) return;
    // An ack that is not of this round, or not signed by the peer: the node's conflict
    // (`check_update_ack_msg`, `handle_update_conflict`).
    const signed = this.#isChannel(m.channelId) ? signedTxOf(m.tx) : undefined;
    if (signed === undefined || !sameObject(signed.tx, round.half.tx)) return this.#roundConflict(round, 2);
    if (!(await this.#signedExactly(signed, [this.#initiator!, this.#responder]))) {
      this.#info('bad_signature');
      return this.#roundConflict(round, 2);
    }
    this.#timers.disarm('peer_reply');
    await this.#commit(round.next!, signed);
    this.#round = undefined;
    this.#reportUpdate();
  }

  async #onRoundError(m: Msg<'update_error' | 'deposit_error' | 'withdraw_error' | 'shutdown_error'>): Promise<void> {
    const round = this.#round;
    if (round === undefined || !this.#isChannel(m.channelId)) return;
    if (!round.originator) {
      // The originator's chain refused the deposit or withdrawal this FSM co-signed: it will not
      // lock, and the round ends here too (the last co-signed round stays).
      const mine = (round.kind === 'deposit' && m.type === 'deposit_error') || (round.kind === 'withdraw' && m.type === 'withdraw_error');
      if (!mine || m.errorCode !== 5 || round.signed === undefined) return;
      if (round.txHash !== undefined) this.#watches.delete(round.txHash);
      this.#conflict(5);
      return;
    }
    this.#timers.disarm('peer_reply');
    this.#conflict(m.errorCode);
    // A refused shutdown leaves the channel open (aesc_fsm `mutual_close_error`: back to `open`).
    if (round.kind === 'shutdown' && this.#phase === 'mutual_closing') this.#phase = 'open';
  }

  /** Makes a co-signed round the latest: durable in the state cache before it is acknowledged or reported. */
  async #commit(next: OffchainState, signed: SignedTx): Promise<void> {
    this.#state = next;
    this.#signedTx = signed;
    await this.#persist();
  }

  async #persist(): Promise<void> {
    if (this.#channelId === undefined || this.#state === undefined || this.#signedTx === undefined) return;
    const record = {
      channelId: this.#channelId,
      role: this.role,
      fsmId: this.fsmId,
      initiatorId: this.#initiator!,
      responderId: this.#responder,
      port: this.#opts.port,
      host: this.#opts.host,
      lockPeriod: this.#lockPeriod.toString(),
      channelReserve: this.#channelReserve.toString(),
      minimumDepth: this.#minDepth,
      minimumDepthStrategy: this.#minDepthStrategy,
      round: this.#state.round.toString(),
      signedTx: txText(this.#signedTx!),
    };
    // the trees are encoded when a cache reads them (to seal or to hand out): a memory cache
    // holding the record of a running FSM never does
    await this.#host.persist(this, liveRecord(record, this.#host.states, this.#state.trees));
  }

  // ----- deposit / withdraw --------------------------------------------------------------------

  async #startDepositOrWithdraw(kind: 'deposit' | 'withdraw', params: Record<string, unknown>, respond: (r: ClientReply) => void): Promise<void> {
    if (this.#busy()) return this.#busyReply(respond);
    const amount = BigInt(params.amount as number);
    const me = this.#me();
    const updates: OffchainUpdate[] = [
      kind === 'deposit'
        ? { tag: 'channel_offchain_update_deposit', version: 1, from: me, amount }
        : { tag: 'channel_offchain_update_withdraw', version: 1, to: me, amount },
    ];
    for (const data of (params.meta as string[] | undefined) ?? []) updates.push({ tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode(data) } as OffchainUpdate);
    const blockHash = await this.#pickBlockHash(params.block_hash);
    if (blockHash === undefined) return respond(rpcError(-32603));
    let next: OffchainState;
    try {
      next = this.#apply(updates);
    } catch {
      return respond(reasonError(1001));
    }
    const o = this.#onChainOpts(params);
    const nonce = o.nonce ?? (await this.#host.chain.nextNonce(me));
    const base = { channelId: this.#channelId!, amount, ttl: this.#opts.ttl, stateHash: this.#host.states.stateHash(next.trees), round: next.round, nonce };
    const built = withMinimumFee<Transaction>(
      (fee) =>
        (kind === 'deposit'
          ? { tag: 'channel_deposit_tx', version: 1, ...base, fromId: me, fee }
          : { tag: 'channel_withdraw_tx', version: 1, ...base, toId: me, fee }) as Transaction,
      o,
      this.#host.chainInfo.minMinerGasPrice,
    );
    if (!built.ok) return respond(reasonError(105));
    respond(NONE);
    const round: Round = { kind, originator: true, next, updates, blockHash };
    this.#round = round;
    const tx: SignedTx = { tag: 'signed_tx', version: 1, signatures: [], tx: built.tx };
    this.#askSign(kind === 'deposit' ? 'deposit_tx' : 'withdraw_tx', tx, updates, async (out) => {
      if ('abort' in out) {
        this.#round = undefined;
        this.#info('aborted_update');
        return;
      }
      round.half = out.signed;
      this.#proposeToPeer(round, {
        type: kind === 'deposit' ? 'deposit_created' : 'withdraw_created',
        channelId: decodeApi(this.#channelId!, 'ch'),
        blockHash,
        tx: objectBytes(out.signed),
        updates: updates.map((u) => objectBytes(u)),
      });
    });
  }

  async #onDepositOrWithdrawSigned(m: Msg<'deposit_signed' | 'withdraw_signed'>): Promise<void> {
    const round = this.#round;
    const kind = m.type === 'deposit_signed' ? 'deposit' : 'withdraw';
    if (round === undefined || round.kind !== kind || !round.originator || round.half === undefined || round.signed !== undefined) return;
    // (as for an update's ack: anything but this round's tx signed by the peer is a conflict)
    const signed = this.#isChannel(m.channelId) ? signedTxOf(m.tx) : undefined;
    if (signed === undefined || !sameObject(signed.tx, round.half.tx)) return this.#roundConflict(round, 2);
    if (!(await this.#signedExactly(signed, [this.#initiator!, this.#responder]))) {
      this.#info('bad_signature');
      return this.#roundConflict(round, 2);
    }
    this.#timers.disarm('peer_reply');
    round.signed = signed;
    round.txHash = hashOfTx(signed);
    this.#watchRoundLock(round, signed);
    // A deposit or withdrawal the chain refuses (a client's nonce, say) can never lock: the round
    // ends as the node's does (`try_to_push_to_mempool`: code 5, rejected on chain), not waiting.
    if (!(await this.#post(signed))) {
      this.#watches.delete(round.txHash);
      return this.#roundConflict(round, 5);
    }
    this.#onChainTx(round.kind === 'deposit' ? 'deposit_signed' : 'withdraw_signed', signed);
  }

  #watchRoundLock(round: Round, signed: SignedTx): void {
    this.#watch(signed, async () => {
      round.ownLocked = true;
      this.#info(round.kind === 'deposit' ? 'own_deposit_locked' : 'own_withdraw_locked');
      this.#toPeer({ type: round.kind === 'deposit' ? 'deposit_locked' : 'withdraw_locked', channelId: decodeApi(this.#channelId!, 'ch'), txHash: decodeApi(round.txHash as `th_${string}`, 'th') });
      if (round.peerLockedEarly) await this.#onRoundLocked();
      else await this.#maybeRoundLocked(round);
    });
  }

  async #onRoundLocked(): Promise<void> {
    const round = this.#round;
    if (round === undefined || (round.kind !== 'deposit' && round.kind !== 'withdraw')) return;
    if (!round.ownLocked) {
      round.peerLockedEarly = true;
      return;
    }
    round.peerLocked = true;
    this.#info(round.kind === 'deposit' ? 'deposit_locked' : 'withdraw_locked');
    await this.#maybeRoundLocked(round);
  }

  async #maybeRoundLocked(round: Round): Promise<void> {
    if (!round.ownLocked || !round.peerLocked || this.#round !== round) return;
    await this.#commit(round.next!, round.signed!);
    this.#round = undefined;
    this.#reportUpdate();
  }

  // ----- mutual close ----------------------------------------------------------------------------

  async #startShutdown(params: Record<string, unknown>, respond: (r: ClientReply) => void): Promise<void> {
    if (this.#busy()) return this.#busyReply(respond);
    const blockHash = (await this.#pickBlockHash()) ?? NOT_SET_BLOCK_HASH;
    const built = await this.#closeMutualTx(this.#onChainOpts(params));
    if (built === undefined) return respond(reasonError(1001));
    respond(NONE);
    const round: Round = { kind: 'shutdown', originator: true, next: undefined, updates: [], blockHash };
    this.#round = round;
    this.#askSign('shutdown_sign', { tag: 'signed_tx', version: 1, signatures: [], tx: built }, [], async (o) => {
      if ('abort' in o) {
        this.#round = undefined;
        this.#info('aborted_update');
        return;
      }
      round.half = o.signed;
      this.#phase = 'mutual_closing';
      this.#toPeer({ type: 'shutdown', channelId: decodeApi(this.#channelId!, 'ch'), blockHash, tx: objectBytes(o.signed) });
    });
  }

  async #closeMutualTx(o: { fee?: bigint; gasPrice?: bigint; nonce?: bigint }): Promise<Transaction | undefined> {
    const me = this.#me();
    const i = balanceOf(this.#state!.trees, this.#initiator!) ?? 0n;
    const r = balanceOf(this.#state!.trees, this.#responder) ?? 0n;
    const nonce = o.nonce ?? (await this.#host.chain.nextNonce(me));
    const build = (fee: bigint, ia: bigint, ra: bigint) =>
      ({ tag: 'channel_close_mutual_tx', version: 1, channelId: this.#channelId!, fromId: me, initiatorAmountFinal: ia, responderAmountFinal: ra, ttl: this.#opts.ttl, fee, nonce }) as Transaction;
    const first = withMinimumFee((fee) => build(fee, i, r), o, this.#host.chainInfo.minMinerGasPrice);
    if (!first.ok) return undefined;
    const fee = (first.tx as { fee: bigint }).fee;
    const split = payCloseMutualFee(fee, i, r);
    if (split === undefined) return undefined;
    return build(fee, split.initiatorAmountFinal, split.responderAmountFinal);
  }

  async #onShutdown(m: Msg<'shutdown'>): Promise<void> {
    const half = this.#isChannel(m.channelId) ? signedTxOf(m.tx) : undefined;
    const refuse = (code: number) => this.#toPeer({ type: 'shutdown_error', channelId: decodeApi(this.#channelId!, 'ch'), round: Number(this.#state!.round), errorCode: code });
    if (this.#busy()) {
      if (this.#pendingSign !== undefined || this.#round?.originator) this.#conflict(2);
      return void refuse(2);
    }
    if (half === undefined) return void refuse(1);
    if ((await this.#checkBlockHash(m.blockHash)) !== 'ok') {
      // A refused shutdown is a validation error (code 1), reported to this client as a conflict too.
      this.#conflict(1);
      return void refuse(1);
    }
    const tx = half.tx;
    const i = balanceOf(this.#state!.trees, this.#initiator!) ?? 0n;
    const r = balanceOf(this.#state!.trees, this.#responder) ?? 0n;
    if (tx.tag !== 'channel_close_mutual_tx' || tx.channelId !== this.#channelId || tx.initiatorAmountFinal + tx.responderAmountFinal + tx.fee !== i + r || !(await this.#signedExactly(half, this.#peerSigners(half)))) {
      return void refuse(1);
    }
    const round: Round = { kind: 'shutdown', originator: false, next: undefined, updates: [], half, blockHash: m.blockHash };
    this.#round = round;
    this.#info('shutdown');
    this.#askSign('shutdown_sign_ack', half, [], async (o) => {
      if ('abort' in o) {
        this.#round = undefined;
        this.#info('aborted_update');
        refuse(o.abort);
        return;
      }
      const signed = o.signed;
      this.#phase = 'mutual_closing';
      this.#toPeer({ type: 'shutdown_ack', channelId: decodeApi(this.#channelId!, 'ch'), blockHash: round.blockHash, tx: objectBytes(signed) });
      this.#watchClose(signed);
      await this.#post(signed);
      this.#onChainTx('close_mutual', signed);
      this.#info('closing');
    });
  }

  async #onShutdownAck(m: Msg<'shutdown_ack'>): Promise<void> {
    const round = this.#round;
    if (round?.kind !== 'shutdown' || !round.originator || round.half === undefined) return;
    // No signed tx: the node's FSM stops (`check_shutdown_ack_msg`). (Not a conflict: the peer
    // holds the close tx this client signed, so the channel does not go back to open.)
    const signed = this.#isChannel(m.channelId) ? signedTxOf(m.tx) : undefined;
    if (signed === undefined) return this.#terminate('died');
    if (!sameObject(signed.tx, round.half.tx)) return;
    if (!(await this.#signedExactly(signed, [this.#initiator!, this.#responder]))) {
      this.#info('bad_signature');
      return;
    }
    this.#watchClose(signed);
    this.#onChainTx('close_mutual', signed);
    this.#info('closing');
  }

  /** Waits for a closing tx (close_mutual, settle) to reach the minimum depth: `closed_confirmed`, then the FSM dies. */
  #watchClose(signed: SignedTx): void {
    this.#round = undefined;
    this.#watch(signed, async () => {
      this.#info('closed_confirmed');
      this.#phase = 'closed';
      this.#terminate('died');
    });
  }

  // ----- solo txs: close_solo, slash, settle, snapshot_solo ---------------------------------------

  async #startSolo(kind: SoloKind, params: Record<string, unknown>, respond: (r: ClientReply) => void): Promise<void> {
    if (this.#pendingSign !== undefined || this.#state === undefined || this.#channelId === undefined) return respond(NOT_ALLOWED_NOW);
    const onChain = await this.#host.chain.channel(this.#channelId);
    if (onChain === null) return respond(NOT_ALLOWED_NOW);
    const me = this.#me();
    const o = this.#onChainOpts(params);
    const solo = soloTx(kind, {
      channelId: this.#channelId,
      me,
      initiator: this.#initiator!,
      responder: this.#responder,
      state: this.#state,
      latest: this.#signedTx!,
      onChain,
      soloClosing: this.#soloClosing,
      idleOpen: this.#phase === 'open' && this.#round === undefined,
      ttl: this.#opts.ttl,
    });
    if ('refuse' in solo) return respond(solo.refuse);
    const nonce = o.nonce ?? (await this.#host.chain.nextNonce(me));
    const { tag } = solo;
    const build = (fee: bigint) => solo.build(fee, nonce);
    const built = withMinimumFee(build, o, this.#host.chainInfo.minMinerGasPrice);
    if (!built.ok) return respond(reasonError(105));
    respond(OK);
    this.#askSign(tag, { tag: 'signed_tx', version: 1, signatures: [], tx: built.tx }, [], async (out) => {
      if ('abort' in out) {
        this.#info('aborted_update');
        return;
      }
      if (kind === 'settle') {
        this.#settleAfter = onChain.lockedUntil;
        await this.#postWhenUnlocked(out.signed);
        return;
      }
      if (kind === 'snapshot_solo') {
        // The node reports the snapshot's minimum depth to the client that made it.
        const hash = hashOfTx(out.signed);
        this.#watch(out.signed, async () => this.#info('min_depth_achieved', { tx_hash: hash, type: 'channel_snapshot_solo_tx' }));
      }
      await this.#post(out.signed);
    });
  }

  async #postWhenUnlocked(signed: SignedTx): Promise<void> {
    const height = await this.#host.chain.height();
    if (this.#settleAfter !== undefined && height < this.#settleAfter) {
      this.#pendingSettle = signed;
      return;
    }
    this.#pendingSettle = undefined;
    this.#watchClose(signed);
    await this.#post(signed);
  }
  #pendingSettle: SignedTx | undefined;

  // ----- leave -------------------------------------------------------------------------------------

  async #startLeave(respond: (r: ClientReply) => void): Promise<void> {
    if (this.#phase !== 'open' || this.#peer === undefined) return respond(NOT_ALLOWED_NOW);
    respond(NONE);
    this.#toPeer({ type: 'leave', channelId: decodeApi(this.#channelId!, 'ch') });
  }

  /**
   * Leave (`leave` / `leave_ack`): both clients get the last co-signed state; the FSMs stop, except
   * a responder with `keep_running`, which waits for the initiator to reestablish.
   */
  async #onLeave(ack: boolean): Promise<void> {
    if (!ack) this.#toPeer({ type: 'leave_ack', channelId: decodeApi(this.#channelId!, 'ch') });
    await this.#persist();
    this.#notify('leave', 'channels.leave', { state: txText(this.#signedTx!) });
    if (this.role === 'responder' && this.#opts.keepRunning) {
      this.#phase = 'reestablishing';
      this.#host.listen(this);
      return;
    }
    this.#terminate('died');
  }

  // ----- peer messages -----------------------------------------------------------------------------

  /** Whether `channelId` (a peer message's) is this channel's. */
  #isChannel(channelId: Uint8Array): boolean {
    return this.#channelId !== undefined && bytesEqual(channelId, decodeApi(this.#channelId, 'ch'));
  }

  /**
   * Whether a peer message can come now: aesc_fsm takes each message of opening and reestablishing
   * in its own states only. (Round messages, errors and generic messages are for their handlers
   * to check: a round they do not belong to is a conflict or a straggler.)
   */
  #expected(m: PeerMessage): boolean {
    switch (m.type) {
      case 'channel_open':
        return this.role === 'responder' && this.#phase === 'awaiting_open';
      case 'channel_accept':
        return this.role === 'initiator' && this.#phase === 'awaiting_accept';
      case 'funding_created':
        return this.role === 'responder' && this.#phase === 'funding' && this.#createTx === undefined && this.#pendingSign === undefined;
      case 'funding_signed':
        return this.role === 'initiator' && this.#phase === 'funding' && this.#createTx !== undefined && this.#signedTx === undefined;
      case 'funding_locked':
        return this.#phase === 'awaiting_locked';
      case 'channel_reestablish':
        return this.role === 'responder' && this.#phase === 'reestablishing';
      case 'channel_reest_ack':
        return this.role === 'initiator' && this.#phase === 'reestablishing';
      case 'leave':
      case 'leave_ack':
        return this.#phase === 'open' && this.#isChannel(m.channelId);
      default:
        return true;
    }
  }

  async #onPeer(m: PeerMessage): Promise<void> {
    this.#log.add('rcv', m.type, m, true);
    if (!this.#expected(m)) {
      // Out of turn while the channel opens or reestablishes: the node's protocol error, which
      // ends its FSM. Once open (or closing), the node drops it.
      if (OPENING_PHASES.has(this.#phase)) this.#terminate('died');
      return;
    }
    switch (m.type) {
      case 'channel_open':
        return this.#onChannelOpen(m);
      case 'channel_accept':
        return this.#onChannelAccept(m);
      case 'funding_created':
        return this.#onFundingCreated(m);
      case 'funding_signed':
        return this.#onFundingSigned(m);
      case 'funding_locked':
        return this.#onFundingLocked(m);
      case 'update':
      case 'deposit_created':
      case 'withdraw_created':
        return this.#onUpdate(m);
      case 'update_ack':
        return this.#onUpdateAck(m);
      case 'deposit_signed':
      case 'withdraw_signed':
        return this.#onDepositOrWithdrawSigned(m);
      case 'deposit_locked':
      case 'withdraw_locked':
        return this.#onRoundLocked();
      case 'update_error':
      case 'deposit_error':
      case 'withdraw_error':
      case 'shutdown_error':
        return this.#onRoundError(m);
      case 'shutdown':
        return this.#onShutdown(m);
      case 'shutdown_ack':
        return this.#onShutdownAck(m);
      case 'leave':
        return this.#onLeave(false);
      case 'leave_ack':
        return this.#onLeave(true);
      case 'inband_msg': {
        // aesc_fsm `check_inband_msg`: a message is reported only with a client attached, for
        // this channel, and addressed as the peer may address it: to us from the peer, or, with
        // `msg_forwarding`, to us from anyone (forwarded) or from the peer to anyone (to forward);
        // anything else is dropped.
        if (this.#client === undefined || this.#channelId === undefined || !bytesEqual(m.channelId, decodeApi(this.#channelId, 'ch'))) return;
        const from = encodeApi('ak', m.from);
        const to = encodeApi('ak', m.to);
        const direct = to === this.#me() && from === this.#other();
        if (!direct && !(this.#opts.msgForwarding && (to === this.#me() || from === this.#other()))) return;
        this.#notify('message', 'channels.message', { message: { channel_id: this.#channelId, from, to, info: utf8Decode.decode(m.info) } });
        return;
      }
      case 'channel_reestablish':
        return this.#onReestablish(m);
      case 'channel_reest_ack':
        return this.#onReestablishAck(m);
      case 'error':
        return;
    }
  }

  /** The responder side of a reestablish: the initiator's latest state must be ours. */
  async #onReestablish(m: Msg<'channel_reestablish'>): Promise<void> {
    const theirs = this.#isChannel(m.channelId) ? signedTxOf(m.tx) : undefined;
    if (theirs === undefined || !sameObject(theirs, this.#signedTx!)) {
      this.#toPeer({ type: 'error', channelId: m.channelId, data: utf8.encode('bad_state') });
      return this.#terminate('died');
    }
    this.#toPeer({ type: 'channel_reest_ack', chainHash: m.chainHash, channelId: m.channelId, tx: objectBytes(this.#signedTx!) });
    this.#reestablished();
  }

  async #onReestablishAck(m: Msg<'channel_reest_ack'>): Promise<void> {
    const theirs = this.#isChannel(m.channelId) ? signedTxOf(m.tx) : undefined;
    if (theirs === undefined || !sameObject(theirs, this.#signedTx!)) return this.#terminate('died');
    this.#reestablished();
  }

  #reestablished(): void {
    this.#phase = 'open';
    this.#info('channel_reestablished');
    this.#info('open');
    // Both report the co-signed state, the responder too when its FSM kept running through the
    // peer's leave (aesc_fsm `force_update_report`, since aeternity#3235, Nov 2021: a client that
    // reconnected to that FSM, as æternity's JS SDK does, waits for it). The corpus's recordings
    // of a responder that stayed predate that change (see the conformance harness's OLDER_NODE).
    this.#reportUpdate();
  }

  // ----- chain -------------------------------------------------------------------------------------

  /** Txs this FSM or its peer signed, by hash: what a chain that cannot give txs back (HTTP) is told about. */
  #known = new Map<string, SignedTx>();

  /** Posts a tx; false when the chain refused it (the client is told: `channels.error`). */
  async #post(signed: SignedTx): Promise<boolean> {
    try {
      this.#known.set(hashOfTx(signed), signed);
      await this.#host.chain.postTx(txText(signed));
      return true;
    } catch (e) {
      this.#notify('error', 'channels.error', { message: `tx rejected: ${(e as { context?: { reason?: string } }).context?.reason ?? String(e)}` });
      return false;
    }
  }

  #watchChain(): void {
    if (this.#unsubscribe !== undefined || this.#channelId === undefined) return;
    this.#unsubscribe = this.#host.chain.subscribe(
      (e) =>
        void this.#enqueue(
          () => this.#onChain(e),
          // A chain that failed to answer (an HTTP chain away for a moment) is asked again on the
          // next event; the client hears of it.
          () => this.#notify('error', 'channels.error', { message: 'the chain did not answer; trying again on its next block' }),
        ),
      { channels: [this.#channelId], signal: this.#abort.signal },
    );
  }

  #watch(signed: SignedTx, onDepth: () => Promise<void>): void {
    const hash = hashOfTx(signed);
    this.#known.set(hash, signed);
    const minDepth = minimumDepthOf(this.#minDepthStrategy, this.#minDepth, (signed.tx as { fee: bigint }).fee, this.#host.chainInfo.minMinerGasPrice);
    this.#watches.set(hash, { txHash: hash, minDepth, seen: false, onDepth });
  }

  /** A chain event; {@link QUIET} when it was only a new height with nothing for this FSM (the node's watcher would not have said anything). */
  async #onChain(e: AdapterEvent): Promise<typeof QUIET | undefined> {
    let acted = e.type === 'channel';
    if (e.type === 'channel' && e.txHash !== undefined) await this.#onChannelTx(e.txHash, e.channel);
    else if (e.type === 'channel') {
      // A chain that does not say which tx changed the channel (the HTTP API): the txs this FSM
      // knows of that are mined now are the ones.
      for (const hash of [...this.#known.keys()]) {
        if (!this.#reported.has(hash) && (await this.#host.chain.txDepth(hash)) !== null) await this.#onChannelTx(hash, e.channel);
      }
    }
    if (e.type === 'height' && this.#pendingSettle !== undefined) {
      acted = true;
      await this.#postWhenUnlocked(this.#pendingSettle);
    }
    for (const w of [...this.#watches.values()]) {
      const depth = await this.#host.chain.txDepth(w.txHash);
      if (depth === null) continue;
      w.seen = true;
      if (depth >= BigInt(w.minDepth)) {
        acted = true;
        // A watched tx is reported mined before its depth is acted on, as by the node's watcher,
        // even from a chain that told a new height before the channel's change, or no change at
        // all. (Still watched here, so that a close is not watched again. No channel object: it
        // only matters for a solo close or a slash, which are not watched.)
        if (!this.#reported.has(w.txHash)) await this.#onChannelTx(w.txHash, null);
        this.#watches.delete(w.txHash);
        await w.onDepth();
      }
    }
    return acted ? undefined : QUIET;
  }

  /** A tx touching the channel was mined: report it as the node's chain watcher does. */
  #reported = new Set<string>();

  async #onChannelTx(txHash: string, channel: { round: bigint } | null): Promise<void> {
    if (this.#reported.has(txHash)) return;
    this.#reported.add(txHash);
    const encoded = await this.#host.chain.transaction(txHash);
    const signed = encoded === null ? this.#known.get(txHash) : txFromText(encoded);
    if (signed === undefined) return;
    switch (signed.tx.tag) {
      case 'channel_create_tx':
      case 'channel_deposit_tx':
      case 'channel_withdraw_tx':
      case 'channel_snapshot_solo_tx':
        this.#onChainTx('channel_changed', signed);
        return;
      case 'channel_close_solo_tx':
      case 'channel_slash_tx': {
        const stale = channel !== null && this.#state !== undefined && channel.round < this.#state.round;
        if (stale) this.#onChainTx('can_slash', this.#signedTx!);
        else this.#onChainTx('solo_closing', signed);
        if (!this.#soloClosing) {
          this.#soloClosing = true;
          this.#phase = 'closing';
          this.#info('closing');
        }
        return;
      }
      case 'channel_settle_tx':
      case 'channel_close_mutual_tx':
        this.#onChainTx('channel_closed', signed);
        if (!this.#watches.has(txHash)) this.#watchClose(signed);
        return;
      default:
        return;
    }
  }

  #assumeMinimumDepth(params: Record<string, unknown>, respond: (r: ClientReply) => void): void {
    const w = this.#watches.get(params.tx_hash as string);
    if (w === undefined) {
      respond(reasonError(100));
      return;
    }
    respond(OK);
    // Act as if the depth was reached; when it really is, say so (the node's `already_assumed`).
    const tx = this.#known.get(w.txHash);
    this.#watches.set(w.txHash, {
      ...w,
      onDepth: async () =>
        this.#info('minimum_depth_achieved', { notice: 'already_assumed', tx_hash: w.txHash, tx_type: tx?.tx.tag ?? 'unknown' }),
    });
    void this.#enqueue(() => w.onDepth());
  }

  /** Updates an FSM from JSON updates (for tests): the state after applying them. */
  static updatesFromJson(json: readonly unknown[]): OffchainUpdate[] {
    return json.map(updateFromJson);
  }
}
