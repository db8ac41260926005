import type { SignTag } from '@aesc/channel-api';
import { txHash as hashOfTx } from '@aesc/crypto';
import { type SignedTx, type Transaction, decodeApi } from '@aesc/encoding';
import { type OffchainRoundName, type ProposalKind, checkProposal, offchainRound, offchainTx } from '@aesc/protocol';
import type { OffchainState } from '@aesc/state';
import type { BlockHashVerdict } from '../fsm/block-hash-delta.js';
import { NONE, reasonError, rpcError } from '../fsm/client-reply.js';
import { objectBytes } from '../fsm/object-bytes.js';
import type { PeerMessage } from '../peer/peer-message.js';
import type { Builder } from './builder.js';
import { watchRoundLock } from './deposit-withdraw.js';
import { checkBlockHash, checkSigners, peerSigners, pickBlockHash } from './lookups.js';
import {
  applyUpdates,
  askSign,
  busy,
  busyReply,
  checkPeerCoSigned,
  commit,
  conflict,
  currentRound,
  isChannel,
  newRound,
  peerCoSignedChecked,
  proposeToPeer,
  sendRoundError,
  signedTxOf,
  updateRound,
  updatesOf,
} from './rounds.js';
import { keepPendingRound } from './recovery.js';
import type { Cont, PendingRound, Round, RoundKind } from './types.js';

/**
 * Off-chain rounds (aesc_fsm `open` → `awaiting_signature` → `awaiting_update_ack` and back): a
 * transfer the client proposes, the peer's proposals (an update, or a deposit or withdrawal the
 * peer makes, which this side acknowledges alike), the ack, the peer's refusals, and a client's
 * request while the FSM is busy.
 */

type Msg<T extends PeerMessage['type']> = PeerMessage extends infer M ? (M extends { type: infer K } ? ([T] extends [K] ? M : never) : never) : never;
type Proposal = Msg<'update' | 'deposit_created' | 'withdraw_created'>;

/**
 * A client's method that asks for an off-chain round (`channels.update.new`: a transfer between
 * the two participants; any kind of `@aesc/protocol`'s `OFFCHAIN_ROUNDS`): its request, as the
 * kind reads it from the validated params, and refused as the kind refuses it.
 */
export function startUpdate(b: Builder, kind: OffchainRoundName, params: Readonly<Record<string, unknown>>): void {
  if (busy(b)) { busyReply(b); return; }
  const round = offchainRound(kind);
  const request = round.request(params);
  const refusal = round.refusal(request, [b.s.initiator, b.s.responder]);
  if (refusal !== undefined) { b.reply(reasonError(refusal)); return; }
  pickBlockHash(b, params.block_hash, { k: 'update.block', kind, request });
}

function updateBlock(b: Builder, c: Extract<Cont, { k: 'update.block' }>, blockHash: unknown): void {
  // A block the chain does not know (`unknown_block_hash`) has no code of its own: "Internal error".
  if (blockHash === undefined) { b.reply(rpcError(-32603)); return; }
  const updates = offchainRound(c.kind).updates(c.request);
  let next: OffchainState;
  try {
    next = applyUpdates(b, updates);
  } catch {b.reply(reasonError(1001)); return; 
  }
  b.reply(NONE);
  const s = b.s;
  const tx: SignedTx = { tag: 'signed_tx', version: 1, signatures: [], tx: offchainTx(s.channelId!, { state: next, stateHash: b.ctx.states.stateHash(next.trees) }) };
  const round = newRound(b, { kind: 'update', originator: true, next, updates, blockHash: blockHash as Uint8Array });
  askSign(b, 'update', tx, updates, { k: 'propose', round });
}

/** This FSM's client signed its own update, deposit or withdrawal (or aborted it): the round goes to the peer. */
export function proposalSigned(b: Builder, round: Round, outcome: { signed: SignedTx } | { abort: number }): void {
  if ('abort' in outcome) {
    b.w.round = undefined;
    b.info('aborted_update');
    return;
  }
  const signed = outcome.signed;
  const r = updateRound(b, round, { half: signed });
  // Kept in the state cache before the peer sees it: should the peer co-sign it and this node
  // crash, the co-signed round the peer presents at reestablish can be checked and adopted.
  keepPendingRound(b, { kind: r.kind as PendingRound['kind'], updates: r.updates, tx: signed }, { k: 'propose.durable', seq: r.seq });
}

function proposeDurable(b: Builder, c: Extract<Cont, { k: 'propose.durable' }>): void {
  const r = currentRound(b, c.seq);
  if (r === undefined || r.half === undefined) return;
  const channelId = decodeApi(b.s.channelId!, 'ch');
  const updates = r.updates.map((u) => objectBytes(u));
  const type = r.kind === 'update' ? 'update' : r.kind === 'deposit' ? 'deposit_created' : 'withdraw_created';
  proposeToPeer(b, r, { type, channelId, blockHash: r.blockHash, tx: objectBytes(r.half), updates });
}

/** The peer proposes a round: an update, or a deposit or withdrawal it makes. */
export function onProposal(b: Builder, m: Proposal): void {
  const kind: RoundKind = m.type === 'update' ? 'update' : m.type === 'deposit_created' ? 'deposit' : 'withdraw';
  const half = signedTxOf(m.tx);
  const updates = updatesOf(m.updates);
  const tx = half?.tx as (Transaction & { round?: bigint; stateHash?: string; channelId?: string }) | undefined;
  if (busy(b)) {
    // Both sides started a round at once: each drops its own and refuses the other's (conflict).
    if (b.s.pendingSign !== undefined || b.s.round?.originator) conflict(b, 2);sendRoundError(b, kind, 2); return; 
  }
  // Another channel's message, bytes that are no signed tx or updates, a tx of another kind or
  // channel (`check_update_msg`, `check_tx`): a conflict for both clients at the last co-signed
  // round, as aesc_fsm's `handle_update_conflict` makes every refusal in `open`.
  const txTag = kind === 'update' ? 'channel_offchain_tx' : kind === 'deposit' ? 'channel_deposit_tx' : 'channel_withdraw_tx';
  if (!isChannel(b, m.channelId) || half === undefined || tx === undefined || updates === undefined || tx.tag !== txTag || tx.channelId !== b.s.channelId) {proposalConflict(b, kind); return; 
  }
  checkBlockHash(b, m.blockHash, { k: 'proposal.block', message: m, half, updates });
}

/** A round this FSM cannot take: a conflict for both clients at the last co-signed round. */
function proposalConflict(b: Builder, kind: RoundKind): void {
  conflict(b, 2);
  sendRoundError(b, kind, 2);
}

const kindOf = (m: Proposal): ProposalKind => (m.type === 'update' ? 'update' : m.type === 'deposit_created' ? 'deposit' : 'withdraw');

function proposalBlock(b: Builder, c: Extract<Cont, { k: 'proposal.block' }>, verdict: unknown): void {
  const kind = kindOf(c.message);
  if ((verdict as BlockHashVerdict) !== 'ok') { proposalConflict(b, kind); return; }
  // The round the tx makes (@aesc/protocol's checkProposal, through the node's state memo): its
  // updates apply, its round and state hash are the next round's, and a deposit's or withdrawal's
  // tx carries its first update's account and amount with only meta updates after it.
  let next: OffchainState;
  try {
    const s = b.s;
    next = checkProposal(kind, c.half.tx, c.updates, { channelId: s.channelId!, last: s.offchain!, channelReserve: s.channelReserve }, b.ctx.states).state;
  } catch {proposalConflict(b, kind); return; 
  }
  checkSigners(b, c.half, peerSigners(b, c.half), { k: 'proposal.sig', message: c.message, half: c.half, updates: c.updates, next });
}

function proposalSig(b: Builder, c: Extract<Cont, { k: 'proposal.sig' }>, ok: unknown): void {
  const kind = kindOf(c.message);
  if (ok !== true) { proposalConflict(b, kind); return; }
  const half = c.half;
  if (!b.s.client) {
    // No client to sign: a round the client signed already (the peer sent it co-signed) goes
    // through; any other is refused as a conflict.
    if (kind === 'update' && half.signatures.length === 2) { commit(b, c.next, half, { k: 'proposal.committed', half }); return; }sendRoundError(b, kind, 2); return; 
  }
  const round = newRound(b, { kind, originator: false, next: c.next, updates: c.updates, half, blockHash: c.message.blockHash });
  b.info(kind === 'update' ? 'update' : kind === 'deposit' ? 'deposit_created' : 'withdraw_created');
  const tag: SignTag = kind === 'update' ? 'update_ack' : kind === 'deposit' ? 'deposit_ack' : 'withdraw_ack';
  // Kept in the state cache before the client is asked: a client keeps the round it co-signs
  // before it answers, and should this node crash before the answer comes, the client's round
  // is checked against this one and adopted when it comes back.
  keepPendingRound(b, { kind, updates: c.updates, tx: half }, { k: 'accept.durable', seq: round.seq, tag });
}

function acceptDurable(b: Builder, c: Extract<Cont, { k: 'accept.durable' }>): void {
  const round = currentRound(b, c.seq);
  if (round === undefined) return;
  askSign(b, c.tag, round.half!, round.updates, { k: 'accept', round });
}

/** This FSM's client co-signed the peer's update, deposit or withdrawal (or aborted it). */
export function acceptSigned(b: Builder, round: Round, outcome: { signed: SignedTx } | { abort: number }): void {
  if ('abort' in outcome) {
    b.w.round = undefined;
    b.info('aborted_update');sendRoundError(b, round.kind, outcome.abort); return; 
  }
  const signed = outcome.signed;
  const r = updateRound(b, round, { signed });
  const channelId = decodeApi(b.s.channelId!, 'ch');
  if (r.kind === 'update') {
    // The ack goes out once this state is durable, so that no client hears of a round its
    // peer's node could lose. A peer on this node may have it at once: the write it makes on
    // the ack joins this one's commit or a later one, and its client hears of the round only
    // after that; with a durable cache, the two writes of a round then share one fsync.
    const early = b.s.peer !== 0 && b.s.peerSharesCache;
    commit(b, r.next!, signed, { k: 'ack.durable', seq: r.seq, early, signed }, () => {
      if (early) b.toPeer({ type: 'update_ack', channelId, tx: objectBytes(signed) });
    });
    return;
  }
  // Deposit / withdraw: the acker sends the co-signed tx back; the originator posts it.
  const locked = updateRound(b, r, { txHash: hashOfTx(signed) });
  b.toPeer({ type: r.kind === 'deposit' ? 'deposit_signed' : 'withdraw_signed', channelId, blockHash: locked.blockHash, tx: objectBytes(signed) });
  b.onChainTx(r.kind === 'deposit' ? 'deposit_created' : 'withdraw_created', signed);
  watchRoundLock(b, locked, signed);
}

function ackDurable(b: Builder, c: Extract<Cont, { k: 'ack.durable' }>): void {
  b.w.round = undefined;
  if (!c.early) b.toPeer({ type: 'update_ack', channelId: decodeApi(b.s.channelId!, 'ch'), tx: objectBytes(c.signed) });
  b.reportUpdate();
}

export function onUpdateAck(b: Builder, m: Msg<'update_ack'>): void {
  const round = b.s.round;
  // (a straggler when no round waits for it: dropped)
  if (round?.kind !== 'update' || !round.originator || round.half === undefined) return;
  checkPeerCoSigned(b, round, m.channelId, m.tx, (signed) => ({ k: 'update-ack.sig', seq: round.seq, signed }));
}

function updateAckSig(b: Builder, c: Extract<Cont, { k: 'update-ack.sig' }>, ok: unknown): void {
  const round = currentRound(b, c.seq);
  if (!peerCoSignedChecked(b, round, ok)) return;
  const next = (round ?? b.s.round)?.next;
  commit(b, next!, c.signed, { k: 'update-ack.committed' });
}

/** The peer refuses this FSM's round, or ends the one it acknowledged (`<kind>_error`). */
export function onRoundError(b: Builder, m: Msg<'update_error' | 'deposit_error' | 'withdraw_error' | 'shutdown_error'>): void {
  const round = b.s.round;
  if (round === undefined || !isChannel(b, m.channelId)) return;
  if (!round.originator) {
    // The originator's chain refused the deposit or withdrawal this FSM co-signed: it will not
    // lock, and the round ends here too (the last co-signed round stays).
    const mine = (round.kind === 'deposit' && m.type === 'deposit_error') || (round.kind === 'withdraw' && m.type === 'withdraw_error');
    if (!mine || m.errorCode !== 5 || round.signed === undefined) return;
    if (round.txHash !== undefined) {
      const watches = new Map(b.s.watches);
      watches.delete(round.txHash);
      b.w.watches = watches;
    }conflict(b, 5); return; 
  }
  b.disarm('peer_reply');
  conflict(b, m.errorCode);
  // A refused shutdown leaves the channel open (aesc_fsm `mutual_close_error`: back to `open`).
  if (round.kind === 'shutdown' && b.s.phase === 'mutual_closing') b.phase('open');
}

/** The continuations of this stage. */
export const updateResumers = {
  'update.block': updateBlock,
  'proposal.block': proposalBlock,
  'proposal.sig': proposalSig,
  'propose.durable': proposeDurable,
  'accept.durable': acceptDurable,
  'proposal.committed': (b: Builder, c: Extract<Cont, { k: 'proposal.committed' }>) =>
    b.toPeer({ type: 'update_ack', channelId: decodeApi(b.s.channelId!, 'ch'), tx: objectBytes(c.half) }),
  'ack.durable': ackDurable,
  'update-ack.sig': updateAckSig,
  'update-ack.committed': (b: Builder) => {
    b.w.round = undefined;
    b.reportUpdate();
  },
} as const;
