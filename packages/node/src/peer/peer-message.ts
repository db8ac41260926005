/**
 * The messages two channel FSMs exchange (the node's `aesc_codec`), as typed values. Byte fields are
 * raw: 32-byte hashes and public keys, serialized signed txs (`tx`), serialized off-chain updates.
 * The wire layout (message id, fixed-width big-endian integers, 2-byte length prefixes) is in
 * `codec.ts`; the in-process link passes these values as they are.
 */
export type PeerMessage =
  | ChannelOpen
  | ChannelAccept
  | { readonly type: 'channel_reestablish' | 'channel_reest_ack'; readonly chainHash: Uint8Array; readonly channelId: Uint8Array; readonly tx: Uint8Array }
  | { readonly type: 'funding_created'; readonly tempChannelId: Uint8Array; readonly blockHash: Uint8Array; readonly tx: Uint8Array; readonly updates: readonly Uint8Array[] }
  | { readonly type: 'funding_signed'; readonly tempChannelId: Uint8Array; readonly blockHash: Uint8Array; readonly tx: Uint8Array }
  | { readonly type: 'funding_locked'; readonly tempChannelId: Uint8Array; readonly channelId: Uint8Array }
  | {
      readonly type: 'update' | 'deposit_created' | 'withdraw_created';
      readonly channelId: Uint8Array;
      readonly blockHash: Uint8Array;
      readonly tx: Uint8Array;
      readonly updates: readonly Uint8Array[];
    }
  | { readonly type: 'update_ack'; readonly channelId: Uint8Array; readonly tx: Uint8Array }
  | { readonly type: 'deposit_signed' | 'withdraw_signed' | 'shutdown' | 'shutdown_ack'; readonly channelId: Uint8Array; readonly blockHash: Uint8Array; readonly tx: Uint8Array }
  | { readonly type: 'deposit_locked' | 'withdraw_locked'; readonly channelId: Uint8Array; readonly txHash: Uint8Array }
  | {
      readonly type: 'update_error' | 'deposit_error' | 'withdraw_error' | 'shutdown_error';
      readonly channelId: Uint8Array;
      readonly round: number;
      readonly errorCode: number;
    }
  | { readonly type: 'leave' | 'leave_ack'; readonly channelId: Uint8Array }
  | { readonly type: 'inband_msg'; readonly channelId: Uint8Array; readonly from: Uint8Array; readonly to: Uint8Array; readonly info: Uint8Array }
  | { readonly type: 'error'; readonly channelId: Uint8Array; readonly data: Uint8Array };

/** `channel_open`: the initiator proposes a channel. Amounts are carried in 8 bytes on the wire. */
export interface ChannelOpen {
  readonly type: 'channel_open';
  /** The genesis block hash of the chain the channel lives on. */
  readonly chainHash: Uint8Array;
  readonly tempChannelId: Uint8Array;
  readonly lockPeriod: number;
  readonly pushAmount: bigint;
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly initiator: Uint8Array;
  readonly responder: Uint8Array;
}

/** `channel_accept`: the responder accepts, and sets the minimum depth both sides wait for. */
export interface ChannelAccept {
  readonly type: 'channel_accept';
  readonly chainHash: Uint8Array;
  readonly tempChannelId: Uint8Array;
  readonly minimumDepth: number;
  readonly minimumDepthStrategy: 'txfee' | 'plain';
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly initiator: Uint8Array;
  readonly responder: Uint8Array;
}

/** The `type` of every peer message. */
export type PeerMessageType = PeerMessage['type'];

/**
 * One end of a connection between two FSMs: in-process (both participants on one node) or over TCP
 * with Noise (two nodes). Messages arrive in order; `onClose` fires once when the other end is gone.
 */
export interface PeerLink {
  /**
   * The peer's FSM runs on this node and writes to the same state cache, so that a write this FSM
   * starts before sending is in the same or an earlier commit than any write the message leads the
   * peer to make (see `#onUpdate`). Absent: a peer on another node.
   */
  readonly sharesCache?: boolean;
  send(message: PeerMessage): void;
  /**
   * `listener` gets every message, in order. A listener may return a promise of the message being
   * handled: a link over a socket stops reading while many such promises are pending.
   */
  onMessage(listener: (message: PeerMessage) => unknown): void;
  onClose(listener: () => void): void;
  close(): void;
}
