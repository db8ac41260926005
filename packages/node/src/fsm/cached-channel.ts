import type { AccountAddress, ChannelId, EncodedTx } from '@aesc/encoding';

/**
 * What the node keeps of a channel participant between sessions and across crashes (the node's
 * `aesc_state_cache`): who and where, the fsm id the client authenticates with, and the latest
 * co-signed state (the signed tx and the state trees it commits to).
 */
export interface CachedChannel {
  readonly channelId: ChannelId;
  readonly role: 'initiator' | 'responder';
  readonly fsmId: string;
  readonly initiatorId: AccountAddress;
  readonly responderId: AccountAddress;
  readonly port: number;
  readonly host: string | undefined;
  readonly lockPeriod: string;
  readonly channelReserve: string;
  readonly minimumDepth: number;
  readonly minimumDepthStrategy: 'txfee' | 'plain';
  readonly round: string;
  /** The latest co-signed tx (create, off-chain, deposit or withdraw). */
  readonly signedTx: EncodedTx;
  /** The off-chain state trees of that round (`ss_…`). */
  readonly trees: string;
  /**
   * The round in flight when the record was written (absent in records of older versions): its
   * kind, its updates (each an RLP object, base64) and its tx as this FSM had it (`tx_…`).
   */
  readonly pending?: { readonly kind: 'update' | 'deposit' | 'withdraw'; readonly updates: readonly string[]; readonly signedTx: EncodedTx };
}
