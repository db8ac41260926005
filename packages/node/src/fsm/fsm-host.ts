import type { ChainAdapter, ChainInfo } from '@aesc/chain-api';
import type { PeerLink } from '../peer/peer-message.js';
import type { BlockSource } from '@aesc/chain-api';
import type { SignatureCheck } from './signature-check.js';
import type { StateMemo } from './state-memo.js';
import type { CachedChannel } from './cached-channel.js';

/**
 * What an FSM needs from the node that hosts it, passed in explicitly: the chain, the way to reach
 * the peer's FSM, the state cache, and a place to report its end. `Fsm` is the type of the FSMs it
 * hosts (`ChannelFsm`), which hand themselves to its callbacks.
 */
export interface FsmHost<Fsm> {
  readonly chain: ChainAdapter;
  readonly chainInfo: ChainInfo;
  /**
   * Blocks by height and hash, to pin proposals to a block and check the peer's (`bh_delta_*`).
   * Without it the FSM sends the not-set block hash and can look up no block the peer names.
   */
  readonly blocks: BlockSource | undefined;
  /** The initiator's FSM reaches the responder's FSM listening on host:port. */
  connectPeer(fsm: Fsm, host: string, port: number, signal: AbortSignal): Promise<PeerLink>;
  /** The FSM knows its channel id now (a client may reconnect to it by the id). */
  channelKnown(fsm: Fsm): void;
  /** The responder's FSM waits for the initiator on its port. */
  listen(fsm: Fsm): void;
  unlisten(fsm: Fsm): void;
  /** Writes the FSM's latest co-signed state to the state cache (resolves once it is durable). */
  persist(fsm: Fsm, record: CachedChannel): Promise<void>;
  /** Whether the state cache outlives the process (`StateCache.durable`). */
  readonly durableCache?: boolean;
  /** The FSM has stopped. */
  terminated(fsm: Fsm): void;
  /** Checks that a signed tx carries an account's signature (shared by the node's FSMs). */
  readonly signedBy: SignatureCheck;
  /** Applies updates, hashes and encodes off-chain states (shared by the node's FSMs). */
  readonly states: StateMemo;
  /** The create tx version to build: 2 from Iris on; 1 to reproduce nodes that still made v1. */
  readonly createTxVersion: 1 | 2;
}

/** Where an FSM sends JSON-RPC frames for its client: the WebSocket while one is attached. */
export interface ClientSink {
  send(frame: string): void;
  close(): void;
}
