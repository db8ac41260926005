import type { ChainAdapter, ChainInfo } from '@aesc/chain-api';
import type { Ed25519 } from '@aesc/crypto';
import {
  type ConnectParams,
  frameChannelError,
  frameChannelNotification,
  isSignReplyMethod,
  parseConnectUrl,
  rpcErrorMessage,
  validateClientMessage,
} from '@aesc/channel-api';
import { type AccountAddress, type ChannelId, type SignedTx, encodeApi } from '@aesc/encoding';
import { isAescError } from '@aesc/errors';
import { parseFrame, type JsonRpcId } from '@aesc/rpc';
import { type StateCache, memoryStateCache } from './cache/state-cache.js';
import type { CachedChannel } from './fsm/cached-channel.js';
import type { BlockSource } from '@aesc/chain-api';
import { ChannelFsm } from './fsm/channel-fsm.js';
import { NOT_ALLOWED_NOW, OK, reasonError } from './fsm/client-reply.js';
import { txFromText } from './fsm/object-bytes.js';
import type { ClientSink, FsmHost } from './fsm/fsm-host.js';
import { type SignatureCheck, signatureCheck } from './fsm/signature-check.js';
import { type StateMemo, stateMemo } from './fsm/state-memo.js';
import { fsmOptionsOf } from './fsm/fsm-options.js';
import { inProcessLinkPair } from './peer/in-process-link.js';
import type { PeerLink, PeerMessage } from './peer/peer-message.js';

/**
 * How an FSM reaches a responder that is not hosted on this node (another node, over TCP with
 * Noise), and how this node's responders are reached by others.
 */
export interface PeerTransport {
  connect(host: string, port: number, signal: AbortSignal): Promise<PeerLink>;
  /** Starts listening on `port` (once per port); `onPeer` gets each connection with its first message. */
  listen(port: number, onPeer: (link: PeerLink, first: PeerMessage) => void): Promise<void>;
  /**
   * Stops listening on `port` (its connections stay): the node calls it when no responder waits
   * there any more, as the æternity node closes an ad hoc listen port with its last FSM.
   */
  unlisten?(port: number): void;
  close(): Promise<void>;
}

/** How long {@link ChannelNode.close} waits for the FSMs' inputs in hand before it closes the state cache (ms). */
const SETTLE_MS = 2000;

/** Options of {@link ChannelNode.start}. */
export interface ChannelNodeOptions {
  /** The chain the channels live on. */
  readonly chain: ChainAdapter;
  /**
   * Blocks of that chain by height and hash (the block hashes of proposals, `bh_delta_*`); without
   * it, FSMs send the not-set block hash and refuse any other as unknown.
   */
  readonly blocks?: BlockSource;
  /** Where co-signed states are kept (default: in memory). */
  readonly stateCache?: StateCache;
  /** Peers on other nodes; without it, both participants must be on this node. */
  readonly peerTransport?: PeerTransport;
  /** The create tx version (default 2; 1 reproduces the nodes that recorded the corpus). */
  readonly createTxVersion?: 1 | 2;
  /** How long an initiator keeps trying to reach its responder (ms, default 120000). */
  readonly connectTimeoutMs?: number;
  /** The Ed25519 implementation the node checks clients' and peers' signatures with (default: the platform's, node:crypto on Node). */
  readonly ed25519?: Ed25519;
  /**
   * How many FSMs may run at once (the node's `channels.max_count`); a client that would open
   * another channel beyond it is refused (-32603, as the node answers `channel_count_limit_exceeded`),
   * while one that comes back to its channel (reconnect, reestablish) is not, as on the node.
   * Default {@link DEFAULT_MAX_FSMS}.
   */
  readonly maxFsms?: number;
}

/** The default of {@link ChannelNodeOptions.maxFsms}: 10,000 channels with both participants here, about 0.7 GiB of FSMs. */
export const DEFAULT_MAX_FSMS = 20_000;

/** A client's WebSocket session with the node, once the connect URL was accepted. */
export interface ClientSession {
  /** A text frame from the client. */
  onFrame(text: string): void;
  /** The socket closed. */
  onClose(): void;
}

/** The outcome of a client connecting: a session, or the error frame to send before closing. */
export type ConnectResult = { readonly ok: true; readonly session: ClientSession } | { readonly ok: false; readonly frame: string };

const randomFsmId = () => encodeApi('ba', crypto.getRandomValues(new Uint8Array(32)));

function connectError(reason: number): ConnectResult {
  const r = reasonError(reason as never);
  if (r.kind !== 'error') throw new Error('unreachable');
  return { ok: false, frame: frameChannelError({ id: null, code: r.code, message: r.message, ...(r.data ? { data: r.data } : {}), request: {}, channelId: null }) };
}

/** A connection-level error with a JSON-RPC code only (`{"code":-32603,"message":"Internal error","request":{}}`). */
function connectRpcError(code: -32602 | -32603): ConnectResult {
  return { ok: false, frame: frameChannelError({ id: null, code, request: {}, channelId: null }) };
}

/**
 * The channel node: hosts one {@link ChannelFsm} per connected participant, links FSMs of the
 * same channel (in process, or through a {@link PeerTransport} to other nodes), keeps their
 * co-signed states in a state cache, and reads JSON-RPC from clients as the æternity node does.
 */
export class ChannelNode {
  readonly chain: ChainAdapter;
  readonly chainInfo: ChainInfo;
  readonly #blocks: BlockSource | undefined;
  readonly #signedBy: SignatureCheck;
  readonly #states: StateMemo = stateMemo();
  readonly #cache: StateCache;
  readonly #transport: PeerTransport | undefined;
  readonly #createTxVersion: 1 | 2;
  readonly #connectTimeoutMs: number;
  readonly #maxFsms: number;
  readonly #listening = new Map<number, Set<ChannelFsm>>();
  readonly #live = new Map<string, ChannelFsm>();
  readonly #fsms = new Set<ChannelFsm>();
  readonly #transportPorts = new Set<number>();
  /** The responder FSMs on each port this node listens on for peers (it stops listening with the last). */
  readonly #portUsers = new Map<number, number>();

  private constructor(options: ChannelNodeOptions, info: ChainInfo) {
    this.chain = options.chain;
    this.chainInfo = info;
    this.#blocks = options.blocks;
    this.#signedBy = signatureCheck(info.networkId, undefined, options.ed25519);
    this.#cache = options.stateCache ?? memoryStateCache();
    this.#transport = options.peerTransport;
    this.#createTxVersion = options.createTxVersion ?? 2;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 120_000;
    this.#maxFsms = options.maxFsms ?? DEFAULT_MAX_FSMS;
  }

  /** Starts a node on a chain. */
  static async start(options: ChannelNodeOptions): Promise<ChannelNode> {
    return new ChannelNode(options, await options.chain.info());
  }

  /** The FSMs running now. */
  get fsms(): readonly ChannelFsm[] {
    return [...this.#fsms];
  }

  /**
   * A client connects with the query of `ws://…/channel?…`: the params are checked as the node
   * checks them, then a new FSM starts (open), an existing one takes the client back (reconnect,
   * same fsm id), or one is restored from the state cache (reestablish).
   */
  async connect(url: string, sink: ClientSink): Promise<ConnectResult> {
    try {
      return await this.#connect(url, sink);
    } catch {
      // (a chain that did not answer the account or channel lookup, a state cache that failed)
      return connectRpcError(-32603);
    }
  }

  async #connect(url: string, sink: ClientSink): Promise<ConnectResult> {
    const parsed = parseConnectUrl(url);
    if (!parsed.ok) {
      const codes = (parsed.error.context as { nodeCodes?: readonly number[] }).nodeCodes ?? [];
      // The node's reason code where it has one; a param it has none for (a value of the wrong
      // type or beyond what a node can act on): "Invalid params".
      return codes[0] === undefined ? connectRpcError(-32602) : connectError(codes[0]);
    }
    const params: ConnectParams = parsed.value;
    const opts = fsmOptionsOf(params);
    if (opts.existingChannelId !== undefined) return this.#reconnect(opts.existingChannelId, opts.role, opts.existingFsmId!, sink, params);
    // `channel_count_limit_exceeded` (aesc_limits: only new channels count against it)
    if (this.#fsms.size >= this.#maxFsms) return connectRpcError(-32603);
    for (const who of [opts.initiatorId, opts.responderId]) {
      if (who !== undefined && (await this.chain.account(who)) === null) return connectError(1011);
    }
    if (this.#fsms.size >= this.#maxFsms) return connectRpcError(-32603);
    const fsm = new ChannelFsm(this.#hostFor(), opts, randomFsmId());
    if (opts.role === 'responder') await this.#usePort(opts.port);
    this.#fsms.add(fsm);
    fsm.start(sink);
    return { ok: true, session: this.#session(fsm, sink) };
  }

  async #reconnect(channelId: ChannelId, role: 'initiator' | 'responder', fsmId: string, sink: ClientSink, params: ConnectParams): Promise<ConnectResult> {
    const live = this.#live.get(`${channelId}/${role}`);
    if (live !== undefined && live.phase !== 'terminated') {
      if (live.fsmId !== fsmId) return connectError(1016);
      live.reconnect(sink, latestOf(params));
      return { ok: true, session: this.#session(live, sink) };
    }
    let cached: CachedChannel | undefined;
    try {
      cached = await this.#cache.get(channelId, role, fsmId);
    } catch {
      return connectError(1016);
    }
    if (cached === undefined) return connectError(1016);
    const onChain = await this.chain.channel(channelId);
    if (onChain === null) return connectError(1018);
    const opts = fsmOptionsOf({ ...params, port: params.port ?? cached.port } as ConnectParams);
    // A reestablished FSM gets a new fsm id, which opens the channel's cached state from then on
    // (aesc_fsm `prepare_initial_state`: `fsm_up` with a new id, then `aesc_state_cache:change_fsm_id`).
    const fsm = new ChannelFsm(this.#hostFor(), { ...opts, initiatorId: cached.initiatorId, responderId: cached.responderId }, randomFsmId());
    if (role === 'responder') await this.#usePort(opts.port);
    this.#fsms.add(fsm);
    this.#live.set(`${channelId}/${role}`, fsm);
    fsm.restore(sink, cached, latestOf(params));
    return { ok: true, session: this.#session(fsm, sink) };
  }

  #session(fsm: ChannelFsm, sink: ClientSink): ClientSession {
    return {
      onFrame: (text) => this.#onFrame(fsm, sink, text),
      onClose: () => fsm.clientGone(sink),
    };
  }

  #onFrame(fsm: ChannelFsm, sink: ClientSink, text: string): void {
    const frame = parseFrame(text);
    if (!frame.ok) {
      sink.send(frameChannelError({ id: null, code: frame.rpcCode, request: frame.value ?? {}, channelId: fsm.channelId ?? null }));
      return;
    }
    for (const { message } of frame.messages) {
      const raw = message as unknown as { id?: JsonRpcId; method?: string; params?: Record<string, unknown> };
      const id = 'id' in raw ? raw.id : undefined;
      const v = validateClientMessage(raw);
      if (!v.ok) {
        const ctx = v.error.context as { rpcCode?: number; nodeCodes?: readonly number[] };
        const code = ctx.rpcCode ?? (isAescError(v.error) && raw.method !== undefined && !isSignReplyMethod(raw.method) ? -32601 : -32000);
        const data = (ctx.nodeCodes ?? []).map((c) => {
          const e = reasonError(c as never);
          return e.kind === 'error' ? e.data![0]! : { code: c, message: '' };
        });
        sink.send(
          frameChannelError({
            id: id ?? null,
            code,
            message: rpcErrorMessage(code),
            ...(data.length > 0 ? { data } : {}),
            request: raw,
            channelId: fsm.channelId ?? null,
          }),
        );
        continue;
      }
      // After the FSM died the socket stays until the client closes it: a stop is answered ok.
      if (fsm.phase === 'terminated') {
        const reply = raw.method === 'channels.system' && raw.params?.action === 'stop' ? OK : NOT_ALLOWED_NOW;
        const out = fsm.frameReply(id, raw, reply);
        if (out !== undefined) sink.send(out);
        continue;
      }
      // A ping is answered by the WebSocket handler itself, not queued behind the FSM's work.
      if (raw.method === 'channels.system' && raw.params?.action === 'ping' && id === undefined) {
        sink.send(frameChannelNotification('channels.system.pong', { action: 'system', tag: 'pong' }, fsm.reportedChannelId));
        continue;
      }
      void fsm.request(raw.method!, raw.params ?? {}, id, (reply) => {
        const out = fsm.frameReply(id, raw, reply);
        if (out !== undefined) sink.send(out);
      });
    }
  }

  #hostFor(): FsmHost<ChannelFsm> {
    return {
      chain: this.chain,
      chainInfo: this.chainInfo,
      blocks: this.#blocks,
      signedBy: this.#signedBy,
      states: this.#states,
      createTxVersion: this.#createTxVersion,
      durableCache: this.#cache.durable === true,
      connectPeer: (fsm, host, port, signal) => this.#connectPeer(fsm, host, port, signal),
      listen: (fsm) => {
        const set = this.#listening.get(fsm.options.port) ?? new Set();
        set.add(fsm);
        this.#listening.set(fsm.options.port, set);
        if (fsm.channelId !== undefined) this.#live.set(`${fsm.channelId}/${fsm.role}`, fsm);
      },
      unlisten: (fsm) => {
        const set = this.#listening.get(fsm.options.port);
        set?.delete(fsm);
        if (set?.size === 0) this.#listening.delete(fsm.options.port);
      },
      channelKnown: (fsm) => {
        if (fsm.channelId !== undefined) this.#live.set(`${fsm.channelId}/${fsm.role}`, fsm);
      },
      persist: async (fsm, record) => {
        if (this.#fsms.has(fsm)) this.#live.set(`${record.channelId}/${record.role}`, fsm);
        await this.#cache.put(record);
      },
      terminated: (fsm) => {
        if (this.#fsms.delete(fsm) && fsm.role === 'responder') this.#releasePort(fsm.options.port);
        // An FSM is live under one key, its channel id (set once) and role.
        const key = fsm.channelId === undefined ? undefined : `${fsm.channelId}/${fsm.role}`;
        if (key !== undefined && this.#live.get(key) === fsm) {
          this.#live.delete(key);
          // its record is at rest now (as the node moves a stopped FSM's state to its encrypted store)
          this.#cache.release?.(fsm.channelId!, fsm.role);
        }
      },
    };
  }

  /** Finds a local responder FSM for an initiator, else goes through the transport; retries until the deadline. */
  async #connectPeer(fsm: ChannelFsm, host: string, port: number, signal: AbortSignal): Promise<PeerLink> {
    const deadline = Date.now() + this.#connectTimeoutMs;
    for (;;) {
      if (signal.aborted) throw new Error('aborted');
      const local = this.#findLocalResponder(fsm, port);
      if (local !== undefined) {
        const [mine, theirs] = inProcessLinkPair();
        local.attachPeer(theirs);
        return mine;
      }
      if (this.#transport !== undefined && !this.#transportPorts.has(port)) {
        try {
          return await this.#transport.connect(host, port, signal);
        } catch {
          // not up yet: retry below
        }
      }
      if (Date.now() > deadline) throw new Error('peer unreachable');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  #findLocalResponder(fsm: ChannelFsm, port: number): ChannelFsm | undefined {
    for (const r of this.#listening.get(port) ?? []) {
      if (fsm.channelId !== undefined && fsm.phase === 'reestablish_init') {
        if (r.channelId === fsm.channelId && r.phase === 'awaiting_reestablish' && r.role === 'responder') return r;
        continue;
      }
      const i = fsm.initiator;
      if (i !== undefined && r.role === 'responder' && r.phase === 'awaiting_open' && r.responder === fsm.responder && (r.initiator === undefined || r.initiator === (i as AccountAddress))) {
        return r;
      }
    }
    return undefined;
  }

  /** A responder FSM is about to wait on `port`: the transport listens there (once), and knows it has one more user. */
  async #usePort(port: number): Promise<void> {
    if (this.#transport === undefined) return;
    this.#portUsers.set(port, (this.#portUsers.get(port) ?? 0) + 1);
    try {
      await this.#ensureTransportListener(port);
    } catch (e) {
      this.#releasePort(port);
      throw e;
    }
  }

  /** A responder FSM on `port` has stopped: with the last one the transport stops listening there. */
  #releasePort(port: number): void {
    if (this.#transport === undefined) return;
    const users = (this.#portUsers.get(port) ?? 1) - 1;
    if (users > 0) {
      this.#portUsers.set(port, users);
      return;
    }
    this.#portUsers.delete(port);
    if (this.#transportPorts.delete(port)) this.#transport.unlisten?.(port);
  }

  async #ensureTransportListener(port: number): Promise<void> {
    if (this.#transport === undefined || this.#transportPorts.has(port)) return;
    this.#transportPorts.add(port);
    try {
      await this.#listenOn(this.#transport, port);
    } catch (e) {
      this.#transportPorts.delete(port);
      throw e;
    }
  }

  #listenOn(transport: PeerTransport, port: number): Promise<void> {
    return transport.listen(port, (link, first) => {
      const candidates = [...(this.#listening.get(port) ?? [])];
      const target =
        first.type === 'channel_open'
          ? candidates.find((f) => f.accepts(first.initiator, first.responder))
          : first.type === 'channel_reestablish'
            ? candidates.find((f) => f.acceptsReestablish(first.channelId))
            : undefined;
      if (target === undefined) return link.close();
      target.attachPeer(link);
      target.deliver(first);
    });
  }

  /**
   * Stops every FSM and the transport (the state cache keeps what was co-signed). The cache closes
   * once the inputs the FSMs were handling are done (a round may be waiting for a signature check,
   * a chain call or a write), or after `SETTLE_MS` (2 s) at most.
   */
  async close(): Promise<void> {
    const fsms = [...this.#fsms];
    for (const f of fsms) f.shutdownQuietly();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(fsms.map((f) => f.settled())), new Promise((resolve) => (timer = setTimeout(resolve, SETTLE_MS)))]);
    clearTimeout(timer);
    await this.#transport?.close();
    await this.#cache.close();
  }
}

/**
 * The co-signed tx a client comes back with (`offchain_tx`, as the corpus's reestablish URLs
 * carry it), or undefined when there is none or it is not a signed tx (then it is not used).
 */
function latestOf(params: ConnectParams): SignedTx | undefined {
  const text = params.offchain_tx;
  if (typeof text !== 'string') return undefined;
  try {
    return txFromText(text);
  } catch {
    return undefined;
  }
}
