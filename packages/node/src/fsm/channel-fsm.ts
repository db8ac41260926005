import { type AccountAddress, type ChannelId, type SignedTx, decodeApi } from '@aesc/encoding';
import { frameChannelError, frameChannelNotification, frameChannelResult } from '@aesc/channel-api';
import type { JsonRpcId } from '@aesc/rpc';
import { type OffchainUpdate, updateFromJson } from '@aesc/state';
import type { FsmPhase } from '../machine/phase.js';
import { copyState } from '../machine/state-copy.js';
import { acceptsOpen, acceptsReestablish, newFsmState, restoredFsmState, step } from '../machine/step.js';
import type { Effect, FsmConfig, FsmEvent, FsmState, Lookup, MachineContext } from '../machine/types.js';
import type { PeerLink, PeerMessage } from '../peer/peer-message.js';
import { pickedHeight } from './block-hash-delta.js';
import type { CachedChannel } from './cached-channel.js';
import { type ClientReply, NONE } from './client-reply.js';
import { signedExactlyBy } from './exact-signers.js';
import type { ClientSink, FsmHost } from './fsm-host.js';
import type { FsmOptions } from './fsm-options.js';
import { FsmTimers } from './fsm-timers.js';
import { liveRecord } from './live-record.js';
import { txText } from './object-bytes.js';

export type { FsmPhase } from '../machine/phase.js';

/** An input waiting its turn, with what the driver needs to answer it. */
interface Queued {
  readonly event: FsmEvent;
  /** A request's answer (called once, before anything it causes is reported). */
  readonly respond: ((r: ClientReply) => void) | undefined;
  readonly hasId: boolean;
  /** Resolves the promise of the input (a peer link's back-pressure, `request`'s result). */
  readonly done: (() => void) | undefined;
  answered: boolean;
}

let fsmCounter = 0;

/**
 * One participant's channel FSM, as the æternity node runs it (`aesc_fsm`): it talks JSON-RPC with
 * its client, the peer protocol with the other participant's FSM, and watches the chain. It holds
 * no keys: the client signs every tx the FSM builds, and the FSM checks each signature, of its
 * client and of the peer, before it acts on it.
 *
 * This class is the driver of the pure machine (`machine/step.ts`), which makes every protocol
 * decision: it hands the machine its events and carries out the effects it asks for (frames to the
 * client, peer messages, timers, the chain, signature checks, the state cache). Inputs are handled
 * one at a time, in order: an input that waits on a lookup, a check or a write gets its result
 * before the next input is handed over. An input that throws, or whose effect fails, still gets an
 * answer (the machine's `fault`): never a silent, wedged FSM.
 */
export class ChannelFsm {
  readonly id = ++fsmCounter;
  readonly fsmId: string;
  readonly role: 'initiator' | 'responder';
  readonly #host: FsmHost<ChannelFsm>;
  readonly #opts: FsmOptions;
  readonly #ctx: MachineContext;
  #state: FsmState;
  #client: ClientSink | undefined;
  #peer: PeerLink | undefined;
  #peerSeq = 0;
  readonly #queue: Queued[] = [];
  #draining: Promise<void> | undefined;
  readonly #abort = new AbortController();
  readonly #timers = new FsmTimers((onTimeout) => onTimeout?.());
  readonly #onIdleTimer = () => this.#enqueue({ type: 'timer', name: 'idle', at: Date.now() });
  #unsubscribe: (() => void) | undefined;

  constructor(host: FsmHost<ChannelFsm>, opts: FsmOptions, fsmId: string) {
    this.#host = host;
    this.#opts = opts;
    this.fsmId = fsmId;
    this.role = opts.role;
    this.#ctx = { states: host.states };
    const config: FsmConfig = {
      role: opts.role,
      fsmId,
      options: opts,
      genesisHash: decodeApi(host.chainInfo.genesisHash as `kh_${string}`, 'kh'),
      minMinerGasPrice: host.chainInfo.minMinerGasPrice,
      createTxVersion: host.createTxVersion,
      hasBlocks: host.blocks !== undefined,
      idleArm: Object.freeze({ type: 'arm', name: 'idle', ms: opts.timeouts.idle }),
      durableCache: host.durableCache === true,
    };
    this.#state = newFsmState(config);
  }

  /** The FSM's phase (named after the node's FSM states: see `machine/phase.ts`). */
  get phase(): FsmPhase {
    return this.#state.phase;
  }
  /** The options it was opened with. */
  get options(): FsmOptions {
    return this.#opts;
  }
  get channelId(): ChannelId | undefined {
    return this.#state.channelId;
  }
  /** The channel id as the FSM's reports carry it (null until the node would know it). */
  get reportedChannelId(): ChannelId | null {
    return this.#state.reportedChannelId;
  }
  get initiator(): AccountAddress | undefined {
    return this.#state.initiator;
  }
  get responder(): AccountAddress {
    return this.#state.responder;
  }
  /** The latest co-signed round. */
  get round(): bigint | undefined {
    return this.#state.offchain?.round;
  }
  get clientAttached(): boolean {
    return this.#client !== undefined;
  }
  /** The machine's state (read-only data). */
  get state(): FsmState {
    return this.#state;
  }

  // ----- lifecycle ---------------------------------------------------------------------------

  /** Starts a new channel: reports `fsm_up`, then reaches the peer (initiator) or waits for it (responder). */
  start(client: ClientSink): void {
    this.#client = client;
    this.#fact({ type: 'start', at: Date.now() });
  }

  /**
   * Starts an FSM for a channel from the state cache: reports `fsm_up` with its fsm id (a new one,
   * under which the cached state is kept from now on), then reestablishes the session with the
   * peer's FSM (`channel_reestablish`). `latest`: the co-signed tx the client came back with
   * (`offchain_tx`), adopted when it is the round the FSM had in flight (see `machine/recovery.ts`).
   */
  restore(client: ClientSink, cached: CachedChannel, latest?: SignedTx): void {
    this.#client = client;
    this.#state = restoredFsmState(this.#state.config, cached);
    this.#fact(latest === undefined ? { type: 'restore', at: Date.now() } : { type: 'restore', latest, at: Date.now() });
  }

  /** Connects the peer's FSM (the node calls this on the responder when the initiator arrives). */
  attachPeer(link: PeerLink): void {
    const no = ++this.#peerSeq;
    this.#peer = link;
    this.#fact({ type: 'peer-attached', link: no, sharesCache: link.sharesCache === true });
    link.onMessage((message) => this.#input({ type: 'peer-message', message, at: Date.now() }));
    link.onClose(() => void this.#input({ type: 'peer-closed', link: no, at: Date.now() }));
  }

  /** Hands the FSM a peer message that arrived before it was attached (the first one of a connection). */
  deliver(message: PeerMessage): void {
    void this.#input({ type: 'peer-message', message, at: Date.now() });
  }

  /** Whether this responder FSM takes a `channel_open` from `initiator` to `responder` (`locate_fsm/3`). */
  accepts(initiator: Uint8Array, responder: Uint8Array): boolean {
    return this.#peer === undefined && acceptsOpen(this.#state, initiator, responder);
  }

  /** Whether this responder FSM takes a `channel_reestablish` for `channelId`. */
  acceptsReestablish(channelId: Uint8Array): boolean {
    return this.#peer === undefined && acceptsReestablish(this.#state, channelId);
  }

  /**
   * Attaches a reconnecting client (same fsm id): `fsm_up`, the FSM goes on. A client whose
   * `latest` co-signed tx is older gets the latest state; the sign request the FSM waits on is
   * asked again (see `machine/recovery.ts`).
   */
  reconnect(client: ClientSink, latest?: SignedTx): void {
    this.#client?.close();
    this.#client = client;
    this.#fact(latest === undefined ? { type: 'client-attached', at: Date.now() } : { type: 'client-attached', latest, at: Date.now() });
  }

  /** The client's socket closed. */
  clientGone(client: ClientSink): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#fact({ type: 'client-detached', at: Date.now() });
  }

  /** Stops the FSM (node shutdown): nothing is reported. */
  shutdownQuietly(): void {
    this.#fact({ type: 'stop', at: Date.now() });
  }

  /**
   * Resolves once the inputs queued (if any) are done: one that was waiting, say, for a signature
   * check on another thread when the FSM stopped still runs to its end, and may still write its
   * co-signed state.
   */
  settled(): Promise<void> {
    return this.#draining ?? Promise.resolve();
  }

  // ----- client requests ---------------------------------------------------------------------

  /**
   * Handles a validated client request. `respond` is called once, before anything the request
   * causes is reported (as the node answers before it acts).
   */
  request(method: string, params: Record<string, unknown>, id: JsonRpcId | undefined, respond: (r: ClientReply) => void): Promise<void> {
    return this.#input({ type: 'request', method, params, hasId: id !== undefined, at: Date.now() }, respond, id !== undefined);
  }

  /** Frames a reply to a request as the node does. */
  frameReply(id: JsonRpcId | undefined, request: unknown, reply: ClientReply): string | undefined {
    const channelId = this.#state.reportedChannelId;
    if (reply.kind === 'none') return undefined;
    if (reply.kind === 'result') return id === undefined ? undefined : frameChannelResult(id, reply.result, channelId);
    return frameChannelError({
      id: id ?? null,
      code: reply.code,
      message: reply.message,
      ...(reply.data === undefined ? {} : { data: reply.data }),
      request,
      channelId,
    });
  }

  /** Updates an FSM from JSON updates (for tests): the state after applying them. */
  static updatesFromJson(json: readonly unknown[]): OffchainUpdate[] {
    return json.map(updateFromJson);
  }

  // ----- the machine ---------------------------------------------------------------------------

  /** Queues an input; the promise resolves once it is handled. */
  #input(event: FsmEvent, respond?: (r: ClientReply) => void, hasId = false): Promise<void> {
    return new Promise((done) => {
      this.#queue.push({ event, respond, hasId, done, answered: false });
      this.#kick();
    });
  }

  /** Queues an input nobody waits on (a timer, a chain event, one the machine asked for). */
  #enqueue(event: FsmEvent): void {
    this.#queue.push({ event, respond: undefined, hasId: false, done: undefined, answered: false });
    this.#kick();
  }

  #kick(): void {
    if (this.#draining === undefined) this.#draining = Promise.resolve().then(() => this.#drain());
  }

  /**
   * Handles the queued inputs in order, each to its end (through the results it waits on): one
   * loop while inputs keep coming, which waits only on an input's results.
   */
  async #drain(): Promise<void> {
    for (;;) {
      const item = this.#queue.shift();
      if (item === undefined) {
        this.#draining = undefined;
        return;
      }
      if (this.#state.phase !== 'terminated') {
        const waiting = this.#run(item, item.event);
        if (waiting !== undefined) await waiting;
      }
      item.done?.();
    }
  }

  /** Steps `event` of the input `item`, then each result it waits on; a promise while it waits. */
  #run(item: Queued, event: FsmEvent): Promise<void> | undefined {
    let pending: Promise<FsmEvent> | undefined;
    try {
      pending = this.#apply(event, item);
    } catch {
      this.#fault(item);
      return undefined;
    }
    if (pending === undefined) return undefined;
    return pending.then(
      (result) => this.#run(item, result),
      () => this.#fault(item),
    );
  }

  /** An input failed: the machine gives it its answer; should that fail too, the FSM ends. */
  #fault(item: Queued): void {
    const e = item.event;
    const input = e.type === 'request' ? (item.answered ? 'answered-request' : 'request') : e.type === 'chain' ? 'chain' : 'other';
    try {
      this.#apply({ type: 'fault', input, at: Date.now() }, item);
    } catch {
      const s = copyState(this.#state);
      s.phase = 'terminated';
      s.cont = undefined;
      s.expects = undefined;
      this.#state = s;
      this.#peer?.close();
      this.#host.unlisten(this);
      this.#stopped();
    }
  }

  /** A fact the machine takes at once, even while an input waits on a result. */
  #fact(event: FsmEvent): void {
    this.#apply(event, undefined);
  }

  /** Steps the machine and carries out its effects; the result the input now waits on, if any. */
  #apply(event: FsmEvent, item: Queued | undefined): Promise<FsmEvent> | undefined {
    const { state, effects } = step(this.#state, event, this.#ctx);
    this.#state = state;
    let pending: Promise<FsmEvent> | undefined;
    for (const effect of effects) {
      const p = this.#perform(effect, item);
      if (p !== undefined) pending = p;
    }
    if (state.peer === 0) this.#peer = undefined;
    return pending;
  }

  #perform(e: Effect, item: Queued | undefined): Promise<FsmEvent> | undefined {
    switch (e.type) {
      case 'reply':
        if (item !== undefined) {
          item.answered = true;
          item.respond?.(e.reply);
        }
        return undefined;
      case 'reply-data':
        if (item?.hasId === true) {
          item.answered = true;
          item.respond?.({ kind: 'result', result: e.data });
          return undefined;
        }
        if (item !== undefined) {
          item.answered = true;
          item.respond?.(NONE);
        }
        this.#client?.send(frameChannelNotification(`${e.method}.reply`, e.data, e.channelId));
        return undefined;
      case 'notify':
        this.#client?.send(frameChannelNotification(e.method, e.data, e.channelId));
        return undefined;
      case 'send':
        this.#peer?.send(e.message);
        return undefined;
      case 'close-peer':
        this.#peer?.close();
        this.#peer = undefined;
        return undefined;
      case 'connect-peer':
        void this.#connectPeer();
        return undefined;
      case 'arm':
        if (e.name === 'idle') this.#timers.arm('idle', e.ms, this.#onIdleTimer);
        else {
          const event: FsmEvent = e.seq === undefined ? { type: 'timer', name: e.name } : { type: 'timer', name: e.name, seq: e.seq };
          this.#timers.arm(e.name, e.ms, () => this.#enqueue({ ...event, at: Date.now() }));
        }
        return undefined;
      case 'disarm':
        this.#timers.disarm(e.name);
        return undefined;
      case 'subscribe':
        this.#unsubscribe = this.#host.chain.subscribe((event) => this.#enqueue({ type: 'chain', event, at: Date.now() }), {
          channels: [e.channelId],
          signal: this.#abort.signal,
        });
        return undefined;
      case 'listen':
        this.#host.listen(this);
        return undefined;
      case 'unlisten':
        this.#host.unlisten(this);
        return undefined;
      case 'channel-known':
        this.#host.channelKnown(this);
        return undefined;
      case 'terminate':
        this.#stopped();
        return undefined;
      case 'enqueue':
        this.#enqueue(e.event.at === undefined ? { ...e.event, at: Date.now() } : e.event);
        return undefined;
      case 'lookup':
        return this.#lookup(e.lookup).then((value) => ({ type: 'looked-up', kind: e.lookup.kind, value, at: Date.now() }));
      case 'check':
        return signedExactlyBy(this.#host.signedBy, e.signed, e.accounts).then((ok) => ({ type: 'checked', ok, at: Date.now() }));
      case 'persist':
        // the trees are encoded when a cache reads them (to seal or to hand out): a memory cache
        // holding the record of a running FSM never does
        return this.#host.persist(this, liveRecord(e.record, this.#host.states, e.trees)).then(() => ({ type: 'persisted', at: Date.now() }));
      case 'post':
        return this.#host.chain.postTx(txText(e.tx)).then(
          () => ({ type: 'posted', at: Date.now() }),
          (err: unknown) => ({ type: 'posted', error: (err as { context?: { reason?: string } }).context?.reason ?? String(err), at: Date.now() }),
        );
    }
  }

  /** What a lookup asks the chain (or the node's block source). */
  async #lookup(l: Lookup): Promise<unknown> {
    const chain = this.#host.chain;
    switch (l.kind) {
      case 'nonce':
        return chain.nextNonce(l.account);
      case 'height':
        return chain.height();
      case 'block-place':
        return this.#host.blocks?.blockPlace(l.hash);
      case 'picked-block': {
        const blocks = this.#host.blocks;
        return blocks?.keyBlockHashAt(pickedHeight(await chain.height(), l.delta));
      }
      case 'block-check': {
        const place = await this.#host.blocks?.blockPlace(l.hash);
        return { place, top: await chain.height() };
      }
      case 'channel':
        return chain.channel(l.channelId);
      case 'tx-depth':
        return chain.txDepth(l.txHash);
      case 'tx':
        return chain.transaction(l.txHash);
    }
  }

  /** The initiator reaches the responder's FSM; the machine hears whether it could. */
  async #connectPeer(): Promise<void> {
    let link: PeerLink;
    try {
      link = await this.#host.connectPeer(this, this.#opts.host ?? 'localhost', this.#opts.port, this.#abort.signal);
    } catch {
      if (this.#state.phase !== 'terminated') this.#fact({ type: 'peer-unreachable', at: Date.now() });
      return;
    }
    if (this.#state.phase === 'terminated') return link.close();
    this.attachPeer(link);
    this.#fact({ type: 'peer-connected', tempChannelId: crypto.getRandomValues(new Uint8Array(32)), at: Date.now() });
  }

  /** The FSM has stopped: timers, the chain subscription and a connect attempt stop; the host forgets it. */
  #stopped(): void {
    this.#timers.clear();
    this.#abort.abort();
    this.#unsubscribe?.();
    this.#host.terminated(this);
  }
}
