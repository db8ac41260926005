import type { AccountAddress, SignedTx } from '@aesc/encoding';
import { encodeObject } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__SIGNER_MISMATCH, AESC_ERROR__CHANNEL__UNEXPECTED_MESSAGE, AescError, isAescError } from '@aesc/errors';
import { type Ed25519, addSignature } from '@aesc/crypto';
import { PendingTable, type TransportConnector, parseJson, stringifyJson } from '@aesc/rpc';
import type { OffchainUpdate } from '@aesc/state';
import { initialClientState, step } from '../machine/reducer.js';
import type { Phase } from '../machine/phase.js';
import type {
  AskedFor,
  ChannelEvent,
  ClientConfig,
  ClientEvent,
  ClientState,
  Command,
  Effect,
  HistoryEntry,
  HistoryQuery,
  NodeMessage,
  OnChainRequestOptions,
  PinnedBlock,
} from '../machine/types.js';
import { signedTxOf, signatureVerifier } from '../signatures.js';
import type { ChannelStore } from '../store/channel-store.js';
import { type AutoDisputeOptions, autoDispute } from './auto-dispute.js';
import { storeFailure } from './store-failure.js';

/**
 * What the client signs with: its account, and a signature over a serialized transaction for a
 * network id. Any @aesc/wallet signer fits; so does a custom one.
 */
export interface ChannelSigner {
  readonly address: AccountAddress;
  signTransaction(tx: Uint8Array, options: { readonly networkId: string; readonly signal?: AbortSignal }): Promise<Uint8Array>;
}

/** A sign request that passed verification: the peer's proposal, or this client's own request. */
export interface SignRequest {
  readonly tag: string;
  readonly tx: SignedTx;
  readonly updates: readonly OffchainUpdate[];
  /** True for the peer's proposals (update_ack, deposit_ack, …), false for this client's own requests. */
  readonly peerProposal: boolean;
  /** What it carries out: the app's command, `open` for the channel's create tx, undefined for the peer's proposals. */
  readonly asked?: AskedFor;
}

/** @deprecated alias of {@link SignRequest} */
export type PeerProposal = SignRequest;

/**
 * The app's say on every verified sign request before the client signs it: approve, or abort the
 * round with a code (1–65535; the node reports it to the peer as a conflict).
 */
export type SigningPolicy = (request: SignRequest) => Promise<true | { readonly abort: number; readonly reason: string }>;

/** Options of {@link connectChannel}. */
export interface ChannelClientOptions {
  /** How to reach the node's `/channel` endpoint (e.g. `webSocketConnector(url)` from @aesc/rpc). */
  readonly connect: TransportConnector;
  readonly config: ClientConfig;
  readonly signer: ChannelSigner;
  /** Where the latest co-signed state is kept (crash safety); nothing is kept without one. */
  readonly store?: ChannelStore;
  /**
   * Approves or aborts each verified sign request; approves everything that verifies by default.
   * A policy that throws (or rejects) declines: the request is aborted with code 1, nothing is signed.
   */
  readonly policy?: SigningPolicy;
  /**
   * Gets what an event listener threw. The client goes on either way: every other listener hears
   * the event, and what the step that emitted it does next (a reply, a store) still happens.
   * Default: thrown again on a task of its own (an uncaught exception, as a throwing
   * EventEmitter listener would be).
   */
  readonly onListenerError?: (error: unknown) => void;
  /**
   * Disputes without the user (see {@link autoDispute}): slashes the peer's solo close with an older
   * state as soon as the node reports it (`can_slash`), then settles. Off unless set.
   */
  readonly autoDispute?: boolean | Omit<AutoDisputeOptions, 'signal'>;
  readonly signal?: AbortSignal;
  /** The Ed25519 the client checks signatures with (the platform's by default). */
  readonly ed25519?: Ed25519;
}

/** A connected channel client: a typed async API over the state machine. */
export interface ChannelClient {
  /** The machine's current state (immutable). */
  state(): ClientState;
  /** Listens to channel events; returns the function that stops listening. */
  on(listener: (event: ChannelEvent) => void, options?: { readonly signal?: AbortSignal }): () => void;
  /** Resolves when the channel reaches `phase` (rejects on `terminated`, or when `signal` aborts). */
  waitFor(phase: Phase, options?: { readonly signal?: AbortSignal }): Promise<void>;
  /**
   * Proposes a transfer (from this client's account unless `from` names the peer's) and resolves
   * with the new round (`channels.update.new`; `meta` adds meta updates, `blockHash` pins the round
   * to a block).
   */
  transfer(
    to: AccountAddress,
    amount: bigint,
    options?: { readonly from?: AccountAddress; readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock },
  ): Promise<bigint>;
  /** Deposits on chain (`channels.deposit`) and resolves with the new round once the deposit is confirmed. */
  deposit(amount: bigint, options?: OnChainRequestOptions & { readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock }): Promise<bigint>;
  /** Withdraws on chain (`channels.withdraw`) and resolves with the new round once the withdrawal is confirmed. */
  withdraw(amount: bigint, options?: OnChainRequestOptions & { readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock }): Promise<bigint>;
  /** Skips waiting for the minimum depth of this client's own pending tx (`channels.assume_minimum_depth`). */
  assumeMinimumDepth(txHash: string): Promise<unknown>;
  /**
   * Sends a generic message (`channels.message`); resolves once sent (the node answers a message
   * with nothing). `from` another account than this client's takes a channel opened with
   * `msg_forwarding`: a message the node refuses comes back as an `error` event naming
   * `channels.message`.
   */
  sendMessage(to: AccountAddress, info: string, options?: { readonly from?: AccountAddress }): Promise<void>;
  balances(accounts?: readonly AccountAddress[]): Promise<unknown>;
  poi(accounts?: readonly AccountAddress[], contracts?: readonly string[]): Promise<unknown>;
  offchainState(): Promise<unknown>;
  /** Reads the node's event log of this party's FSM (`channels.history.fetch`), newest first. */
  history(query?: HistoryQuery): Promise<readonly HistoryEntry[]>;
  /** Prunes the calls tree of the channel's off-chain state (`channels.clean_contract_calls`). */
  cleanContractCalls(): Promise<unknown>;
  shutdown(options?: OnChainRequestOptions): Promise<unknown>;
  closeSolo(options?: OnChainRequestOptions): Promise<unknown>;
  slash(options?: OnChainRequestOptions): Promise<unknown>;
  settle(options?: OnChainRequestOptions): Promise<unknown>;
  snapshotSolo(options?: OnChainRequestOptions): Promise<unknown>;
  /** Aborts the signing round waiting for this client's signature with `code` (1–65535). */
  abort(code: number): Promise<void>;
  leave(): Promise<unknown>;
  ping(): Promise<void>;
  /** Stops the node's FSM (`channels.system stop`). */
  stop(): Promise<unknown>;
  /** Closes the connection. */
  close(): void;
  /** How many frames the client has received from the node so far. */
  framesReceived(): number;
  /** Resolves once every event received so far has been processed (signing and storing included). */
  idle(): Promise<void>;
}

/**
 * Connects to a channel node and returns the client: the I/O driver around the pure state machine.
 * It sends what the machine says to send, signs what it approved (asking the policy for the
 * peer's proposals), stores co-signed rounds before acknowledging them, and settles commands.
 */
export async function connectChannel(options: ChannelClientOptions): Promise<ChannelClient> {
  let state = initialClientState(options.config);
  const listeners = new Set<(e: ChannelEvent) => void>();
  const pending = new PendingTable<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const queue: ClientEvent[] = [];
  let running = false;
  let nextCommand = 1;
  let received = 0;
  let idleWaiters: (() => void)[] = [];
  const self = options.config.role === 'initiator' ? options.config.initiator : options.config.responder;
  const both = [options.config.initiator, options.config.responder];
  // Every signature the node brings (the peer's on its proposals, both on co-signed rounds) and
  // this client's own are checked here, at the edge; the machine decides on what was found.
  const verifier = signatureVerifier(options.config.networkId, both, options.ed25519);
  const verified = async (event: ClientEvent): Promise<ClientEvent> => {
    if (event.type !== 'message') return event;
    const found = signedTxOf(event.message);
    if (found === undefined) return event;
    return { ...event, signers: await verifier.signers(found.signed, found.encoded) };
  };

  const listenerError =
    options.onListenerError ??
    ((error: unknown) =>
      setTimeout(() => {
        throw error;
      }, 0));
  const emit = (event: ChannelEvent) => {
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (e) {
        listenerError(e);
      }
    }
  };

  const perform = async (effect: Effect): Promise<void> => {
    switch (effect.type) {
      case 'send':
        // A socket that fails to send is closing: its close comes as `disconnected`, which the
        // machine decides on; the failure itself must not stop the effects after it.
        try {
          transport.send(stringifyJson(effect.message));
        } catch {
          // the close follows
        }
        return;
      case 'emit':
        emit(effect.event);
        return;
      case 'resolve':
        pending.take(effect.id)?.resolve(effect.value);
        return;
      case 'reject':
        pending.take(effect.id)?.reject(effect.error);
        return;
      case 'store':
        // A write that fails is an event like any other: the machine decides (nothing signed or
        // sent that the store does not hold), and the app hears of it; it never escapes as a rejection.
        try {
          if (options.store !== undefined) await options.store.save(effect.record);
        } catch (e) {
          queue.push({ type: 'store-failed', record: effect.record, error: storeFailure(effect.record, e) });
          return;
        }
        queue.push({ type: 'stored', record: effect.record });
        return;
      case 'sign':
        // Asking the app and the signer may take long (a person, a hardware wallet): the client
        // keeps taking in messages and commands meanwhile; the verdict comes back as an event.
        void decide(effect).then(dispatch);
        return;
    }
  };

  const decide = async (effect: Extract<Effect, { type: 'sign' }>): Promise<ClientEvent> => {
    if (options.policy !== undefined) {
      const request: SignRequest = {
        tag: effect.tag,
        tx: effect.tx,
        updates: effect.updates,
        peerProposal: effect.peerProposal,
        ...(effect.asked === undefined ? {} : { asked: effect.asked }),
      };
      let verdict: Awaited<ReturnType<SigningPolicy>>;
      try {
        verdict = await options.policy(request);
      } catch {
        // What the app's policy threw is the app's: not repeated here (it may hold anything).
        return { type: 'sign-declined', tag: effect.tag, code: 1, reason: 'the signing policy failed' };
      }
      if (verdict !== true) return { type: 'sign-declined', tag: effect.tag, code: verdict.abort, reason: verdict.reason };
    }
    try {
      const signature = await options.signer.signTransaction(encodeObject(effect.tx.tx), {
        networkId: options.config.networkId,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      const signedTx = addSignature(effect.tx, signature);
      // A signature that does not verify for this client's account (a signer with another key)
      // would make a state worth nothing on chain: it is not sent.
      if (!(await verifier.signers(signedTx, '')).signers.includes(self)) {
        const error = new AescError(AESC_ERROR__CHANNEL__SIGNER_MISMATCH, { account: self });
        return { type: 'sign-declined', tag: effect.tag, code: 1, reason: error.message, error };
      }
      return { type: 'signed', tag: effect.tag, signedTx };
    } catch (e) {
      return { type: 'sign-declined', tag: effect.tag, code: 1, reason: isAescError(e) ? e.message : 'the signer failed' };
    }
  };

  // What the node sends as the socket opens is taken in once the app holds the client (see below).
  let started = false;
  const pump = async () => {
    if (running || !started) return;
    running = true;
    try {
      while (queue.length > 0) {
        const r = step(state, await verified(queue.shift()!));
        state = r.state;
        for (const effect of r.effects) await perform(effect);
      }
    } finally {
      running = false;
      if (queue.length === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const w of waiters) w();
      }
    }
  };

  const dispatch = (event: ClientEvent) => {
    queue.push(event);
    void pump();
  };

  const onText = (text: string) => {
    received++;
    let value: unknown;
    try {
      value = parseJson(text);
    } catch (e) {
      emit({ type: 'error', error: isAescError(e) ? e : new AescError(AESC_ERROR__CHANNEL__UNEXPECTED_MESSAGE, { method: 'frame', phase: state.phase }) });
      return;
    }
    for (const message of Array.isArray(value) ? value : [value]) {
      if (message !== null && typeof message === 'object') dispatch({ type: 'message', message: message as NodeMessage });
    }
  };

  const transport = await options.connect(
    { onMessage: onText, onClose: () => dispatch({ type: 'disconnected' }) },
    options.signal,
  );

  const command = <T>(c: Command): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextCommand++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      dispatch({ type: 'command', id, command: c });
    });

  // The node may send its first messages with the socket's opening: they wait for the next task, so
  // that listeners the app adds as soon as it holds the client hear every event.
  setTimeout(() => {
    started = true;
    void pump();
  }, 0);

  const client: ChannelClient = Object.freeze({
    state: () => state,
    on(listener: (e: ChannelEvent) => void, opts: { readonly signal?: AbortSignal } = {}) {
      listeners.add(listener);
      const off = () => listeners.delete(listener);
      opts.signal?.addEventListener('abort', off, { once: true });
      return () => {
        off();
      };
    },
    waitFor(phase: Phase, opts: { readonly signal?: AbortSignal } = {}) {
      return new Promise<void>((resolve, reject) => {
        if (state.phase === phase) {
          resolve();
          return;
        }
        const controller = new AbortController();
        const done = (f: () => void) => {
          controller.abort();
          f();
        };
        this.on(
          (e) => {
            if (e.type !== 'phase') return;
            if (e.phase === phase) done(resolve);
            else if (e.phase === 'terminated') done(() => reject(new AescError(AESC_ERROR__CHANNEL__UNEXPECTED_MESSAGE, { method: 'died', phase })));
          },
          { signal: controller.signal },
        );
        opts.signal?.addEventListener('abort', () => done(() => reject(opts.signal!.reason)), { once: true });
      });
    },
    transfer: (to: AccountAddress, amount: bigint, o: { readonly from?: AccountAddress; readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock } = {}) =>
      command<bigint>({
        kind: 'transfer',
        from: o.from ?? self,
        to,
        amount,
        ...(o.meta === undefined ? {} : { meta: o.meta }),
        ...(o.blockHash === undefined ? {} : { blockHash: o.blockHash }),
      }),
    deposit: (amount: bigint, o: OnChainRequestOptions & { readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock } = {}) =>
      command<bigint>({ kind: 'deposit', amount, ...o }),
    withdraw: (amount: bigint, o: OnChainRequestOptions & { readonly meta?: readonly string[]; readonly blockHash?: PinnedBlock } = {}) =>
      command<bigint>({ kind: 'withdraw', amount, ...o }),
    assumeMinimumDepth: (txHash: string) => command({ kind: 'assume-minimum-depth', txHash }),
    sendMessage: (to: AccountAddress, info: string, o: { readonly from?: AccountAddress } = {}) =>
      command<void>({ kind: 'message', to, info, ...(o.from === undefined ? {} : { from: o.from }) }),
    balances: (accounts: readonly AccountAddress[] = both) => command({ kind: 'balances', accounts }),
    poi: (accounts: readonly AccountAddress[] = both, contracts?: readonly string[]) =>
      command({ kind: 'poi', accounts, ...(contracts === undefined ? {} : { contracts }) }),
    offchainState: () => command({ kind: 'offchain-state' }),
    history: (query: HistoryQuery = {}) => command<readonly HistoryEntry[]>({ kind: 'history', query }),
    cleanContractCalls: () => command({ kind: 'clean-contract-calls' }),
    shutdown: (o: OnChainRequestOptions = {}) => command({ kind: 'shutdown', ...o }),
    closeSolo: (o: OnChainRequestOptions = {}) => command({ kind: 'close-solo', ...o }),
    slash: (o: OnChainRequestOptions = {}) => command({ kind: 'slash', ...o }),
    settle: (o: OnChainRequestOptions = {}) => command({ kind: 'settle', ...o }),
    snapshotSolo: (o: OnChainRequestOptions = {}) => command({ kind: 'snapshot-solo', ...o }),
    abort: (code: number) => command<void>({ kind: 'abort', code }),
    leave: () => command({ kind: 'leave' }),
    ping: () => command<void>({ kind: 'ping' }),
    stop: () => command({ kind: 'stop' }),
    close: () => transport.close(1000, 'closed by the client'),
    framesReceived: () => received,
    idle: () =>
      new Promise<void>((resolve) => {
        if (!running && queue.length === 0) resolve();
        else idleWaiters.push(resolve);
      }),
  });
  // Installed before the first messages are taken in: a reestablish may report `can_slash` at once.
  if (options.autoDispute !== undefined && options.autoDispute !== false) {
    autoDispute(client, { ...(options.autoDispute === true ? {} : options.autoDispute), ...(options.signal === undefined ? {} : { signal: options.signal }) });
  }
  return client;
}
