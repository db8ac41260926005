import type { ChannelObject } from '@aesc/chain-api';
import type { SignTag } from '@aesc/channel-api';
import type { AccountAddress, ChannelId, SignedTx, Transaction } from '@aesc/encoding';
import { type OffchainState, balanceOf, buildPoi } from '@aesc/state';
import { type ClientReply, NOT_ALLOWED_NOW, reasonError } from './client-reply.js';

/** The txs a participant posts alone. */
export type SoloKind = 'close_solo' | 'slash' | 'settle' | 'snapshot_solo';

/** What {@link soloTx} builds from: the channel as this FSM and as the chain see it. */
export interface SoloTxContext {
  readonly channelId: ChannelId;
  readonly me: AccountAddress;
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  /** The latest co-signed state and the tx that signs it. */
  readonly state: OffchainState;
  readonly latest: SignedTx;
  /** The channel on chain. */
  readonly onChain: Pick<ChannelObject, 'round' | 'lockedUntil'>;
  /** A solo close of this channel is under way (seen on chain). */
  readonly soloClosing: boolean;
  /** The FSM is open with no round in flight (what a close_solo and a snapshot need). */
  readonly idleOpen: boolean;
  readonly ttl: bigint;
}

/**
 * A solo tx as the node's FSM builds it (aesc_fsm `close_solo`, `slash`, `settle`,
 * `snapshot_solo`): the sign request's tag and the tx for a given fee and nonce (the FSM asks the
 * chain for the nonce only once the request is allowed), or the node's refusal.
 * - close_solo and snapshot_solo only while the channel is open and not closing; close_solo
 *   carries the latest state as payload unless the chain has that round already (then an empty
 *   payload), with a PoI of both accounts;
 * - slash and settle only while it is closing; slash needs a later round than the chain's;
 * - settle pays out the latest state's balances;
 * - snapshot_solo needs an off-chain tx as the latest state (2/1012) that the chain does not have
 *   yet (3/1013).
 */
export function soloTx(
  kind: SoloKind,
  c: SoloTxContext,
): { readonly tag: SignTag; readonly build: (fee: bigint, nonce: bigint) => Transaction } | { readonly refuse: ClientReply } {
  const solo = c.onChain.lockedUntil > 0n || c.soloClosing;
  if ((kind === 'slash' || kind === 'settle') && !solo) return { refuse: NOT_ALLOWED_NOW };
  if ((kind === 'close_solo' || kind === 'snapshot_solo') && (solo || !c.idleOpen)) return { refuse: NOT_ALLOWED_NOW };
  const common = (nonce: bigint) => ({ channelId: c.channelId, fromId: c.me, ttl: c.ttl, nonce });
  const poi = () => buildPoi(c.state.trees, { accounts: [c.initiator, c.responder] });
  switch (kind) {
    case 'close_solo': {
      const payload = c.state.round === c.onChain.round ? null : c.latest;
      return { tag: 'close_solo_sign', build: (fee, nonce) => ({ tag: 'channel_close_solo_tx', version: 1, ...common(nonce), payload, poi: poi(), fee }) as Transaction };
    }
    case 'slash':
      if (c.state.round <= c.onChain.round) return { refuse: NOT_ALLOWED_NOW };
      return { tag: 'slash_tx', build: (fee, nonce) => ({ tag: 'channel_slash_tx', version: 1, ...common(nonce), payload: c.latest, poi: poi(), fee }) as Transaction };
    case 'settle': {
      const i = balanceOf(c.state.trees, c.initiator) ?? 0n;
      const r = balanceOf(c.state.trees, c.responder) ?? 0n;
      return { tag: 'settle_sign', build: (fee, nonce) => ({ tag: 'channel_settle_tx', version: 1, ...common(nonce), initiatorAmountFinal: i, responderAmountFinal: r, fee }) as Transaction };
    }
    case 'snapshot_solo':
      if (c.latest.tx.tag !== 'channel_offchain_tx') return { refuse: reasonError(1012) };
      if (c.state.round <= c.onChain.round) return { refuse: reasonError(1013) };
      return { tag: 'snapshot_solo_tx', build: (fee, nonce) => ({ tag: 'channel_snapshot_solo_tx', version: 1, ...common(nonce), payload: c.latest, fee }) as Transaction };
  }
}
