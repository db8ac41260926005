import { channelIdFromCreateTx } from '@aesc/crypto';
import { type ChannelId, decodeTx, encodeTx, type SignedTx } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__NOT_CO_SIGNED, AescError, isAescError } from '@aesc/errors';
import { nextRound, PROPOSAL_TX_TYPES } from '@aesc/protocol';
import { encodedOffchainStateHash, type OffchainState } from '@aesc/state';
import { expectSigners, type TxSigners } from '../signatures.js';
import { type ChannelRecord, OWN_PROPOSAL_KINDS } from '../store/channel-record.js';
import { PROPOSALS } from './command-methods.js';
import type { ClientState } from './types.js';
import type { Builder } from './builder.js';

/**
 * Co-signed states the node reports: the round, the state hash and both signatures verified before
 * one becomes the latest, and what the client keeps of it (its store record, its pending proposal).
 */

/** Makes a co-signed round the latest; a pending proposal of that round or an earlier one is over. */
export function takeLast(b: Builder, tx: SignedTx, state: OffchainState): void {
  b.set({ last: { tx, state } });
  const p = b.state.pending;
  if (p !== undefined && p.round <= state.round) b.clear('pending');
}

/** Drops this client's pending proposal (its round ended without it), in memory and in the store. */
export function dropPending(b: Builder): void {
  const { pending, last, channelId } = b.state;
  if (pending === undefined) return;
  b.clear('pending');
  if (last !== undefined && channelId !== undefined) b.effects.push({ type: 'store', record: recordOf(b.state, last.tx, last.state) });
}

/** The record of the channel with `state` as its latest co-signed round, and the pending proposal of the round after it, if any. */
export function recordOf(s: ClientState, tx: SignedTx, state: OffchainState): ChannelRecord {
  const pending = s.pending !== undefined && s.pending.round === state.round + 1n ? { pending: s.pending } : {};
  return {
    channelId: s.channelId as ChannelId,
    networkId: s.config.networkId,
    role: s.config.role,
    initiator: s.config.initiator,
    responder: s.config.responder,
    channelReserve: s.config.channelReserve,
    ...(s.fsmId === undefined ? {} : { fsmId: s.fsmId }),
    lastCoSigned: { tx, state },
    ...pending,
  };
}

/** The round, channel and state hash a co-signed tx commits to (a create tx opens round 1 of the channel it names). */
function roundOf(tx: SignedTx): { readonly round: bigint; readonly channelId: ChannelId; readonly stateHash: string } | undefined {
  const inner = tx.tx;
  if (inner.tag === 'channel_create_tx') return { round: 1n, channelId: channelIdFromCreateTx(tx), stateHash: inner.stateHash };
  if ('round' in inner && 'stateHash' in inner && 'channelId' in inner) return { round: inner.round, channelId: inner.channelId, stateHash: inner.stateHash };
  return undefined;
}

/** The state a reported co-signed tx makes this client's latest, or why it makes none. */
function checkCoSigned(
  s: ClientState,
  tx: SignedTx,
  encoded: string,
  signers: TxSigners | undefined,
): { readonly state: OffchainState } | { readonly round?: bigint; readonly reason: string; readonly cause?: AescError } {
  const signatures = (): AescError | undefined => {
    try {
      expectSigners(signers, tx, [s.config.initiator, s.config.responder]);
      return undefined;
    } catch (e) {
      if (isAescError(e)) return e;
      throw e;
    }
  };
  if (tx.tx.tag === 'ga_meta_tx') {
    const cause = signatures();
    return { reason: cause?.message ?? 'a generalized account authorizes it', ...(cause === undefined ? {} : { cause }) };
  }
  let claim: ReturnType<typeof roundOf>;
  try {
    claim = roundOf(tx);
  } catch (e) {
    if (isAescError(e)) return { reason: e.message, cause: e };
    throw e;
  }
  if (claim === undefined) return { reason: `a ${tx.tx.tag} is no round of a channel` };
  const { round } = claim;
  if (s.channelId !== undefined && claim.channelId !== s.channelId) return { round, reason: `it is a round of channel ${claim.channelId}` };
  const roundNext = s.round?.next;
  let state = roundNext?.round === round ? roundNext : s.last?.state.round === round ? s.last.state : undefined;
  const p = s.pending;
  if (state === undefined && s.round === undefined && p !== undefined && s.last !== undefined && round === s.last.state.round + 1n && p.round === round) {
    // The round after the last co-signed one, while no round runs here: this client's own pending
    // proposal, which it may have signed before it went away. Its state is recomputed from the
    // kept updates; the tx must be the one kept.
    const expected = PROPOSAL_TX_TYPES[OWN_PROPOSAL_KINDS[p.tag]];
    if (tx.tx.tag !== expected) return { round, reason: `it is a ${tx.tx.tag}, and this client's pending round is a ${expected}` };
    try {
      state = nextRound(s.last.state, p.updates, { channelReserve: s.config.channelReserve }).state;
    } catch (e) {
      if (isAescError(e)) return { round, reason: e.message, cause: e };
      throw e;
    }
    if (claim.stateHash !== encodedOffchainStateHash(state)) return { round, reason: 'its state hash is not the one this client computes from its pending proposal' };
    if (encodeTx({ ...tx, signatures: [] }) !== encodeTx(p.tx)) return { round, reason: 'its tx is not the one this client proposed' };
  }
  if (state === undefined) {
    const held = s.last?.state.round;
    return { round, reason: held !== undefined && round < held ? `this client holds round ${held} already` : 'this client computed no such round' };
  }
  if (claim.stateHash !== encodedOffchainStateHash(state)) return { round, reason: 'its state hash is not the one this client computed for that round' };
  if (signers !== undefined && signers.tx !== encoded) return { round, reason: 'its signatures were checked on another tx' };
  const cause = signatures();
  if (cause !== undefined) return { round, reason: cause.message, cause };
  return { state };
}

/**
 * The node reports a round as co-signed (`channels.update`). It becomes this client's latest
 * state only if its tx is of this channel, its round is one this client computed (the round being
 * signed, or the one it holds), its state hash is the one it computed for that round, and it
 * carries exactly the signatures of both participants, verified. Anything else leaves memory and
 * store as they were and is reported as a coded error. A report of the round held already changes
 * nothing (the tx held stays).
 */
export function coSigned(b: Builder, encoded: string, signers: TxSigners | undefined): void {
  const s = b.state;
  const tx = decodeTx(encoded);
  const roundNext = s.round?.next;
  const verdict = checkCoSigned(s, tx, encoded, signers);
  if (!('state' in verdict)) {
    const round = verdict.round === undefined ? '?' : verdict.round.toString();
    const cause = verdict.cause === undefined ? undefined : { cause: verdict.cause };
    b.emit({ type: 'error', error: new AescError(AESC_ERROR__CHANNEL__NOT_CO_SIGNED, { round, reason: verdict.reason }, cause) });
    return;
  }
  const { state } = verdict;
  // The state this client already holds (stored before it acknowledged the peer's update, or
  // reported again after a reestablish) is neither replaced nor stored twice.
  const already = s.last !== undefined && s.last.state === state;
  // (A report of the round held leaves a pending proposal of the next one alone: the node may
  // still ask for it again, or report it co-signed once its FSM has caught up with the peer's; it
  // blocks nothing, and the next round that ends replaces it.)
  if (!already) {
    takeLast(b, tx, state);
    if (s.channelId !== undefined) b.effects.push({ type: 'store', record: recordOf(b.state, tx, state) });
  }
  const last = b.state.last!;
  // The app hears of each round once: not again when the node reports it again (to a responder
  // that stayed through the peer's reestablish). A client resumed from its store hears of it.
  if (!(already && s.heardRound === state.round)) {
    b.set({ heardRound: state.round });
    b.emit({ type: 'round', round: state.round, tx: last.tx, state });
  }
  const c = s.command?.command.kind;
  // A command is done when the round it started is co-signed — not on a late report of an
  // earlier round (the channel's first state may arrive after the app saw `open`).
  const ours = roundNext !== undefined && state === roundNext;
  if (ours) b.clear('round');
  if (ours && c !== undefined && PROPOSALS.has(c)) b.finishCommand(state.round);
  if (b.state.phase === 'signing' || b.state.phase === 'opening') b.phase('open');
}

/**
 * The create tx, co-signed, as the node posts it (`funding_signed` to the initiator, `funding_created`
 * to the responder): once it passes what a `channels.update` of it would have to (the round being
 * signed, its state hash, exactly both participants' signatures, verified), the channel's first
 * state is stored at once with the fsm id, so that a client that loses its connection before the
 * channel is open can come back to its FSM (`sc_ws_reconnect_early`). The client takes it as its
 * state, and the app hears of the round, when the channel opens (`channels.update`), as before;
 * one that does not pass is not stored, and that report tells why.
 */
export function fundingCoSigned(b: Builder, encoded: string, signers: TxSigners | undefined): void {
  const s = b.state;
  const tx = decodeTx(encoded);
  const next = s.round?.next;
  if (tx.tx.tag !== 'channel_create_tx' || next?.round !== 1n || s.channelId === undefined || s.last !== undefined) return;
  const verdict = checkCoSigned(s, tx, encoded, signers);
  if ('state' in verdict && verdict.state === next) b.effects.push({ type: 'store', record: recordOf(s, tx, next) });
}
