import type { ChannelObject } from '@aesc/chain-api';
import { type SignedTx, decodeApi } from '@aesc/encoding';
import { NONE, NOT_ALLOWED_NOW } from '../fsm/client-reply.js';
import { objectBytes, sameObject, txText } from '../fsm/object-bytes.js';
import type { PeerMessage } from '../peer/peer-message.js';
import type { Builder } from './builder.js';
import { persist, watchChain } from './lookups.js';
import { adopt, roundOfTx } from './recovery.js';
import { isChannel, signedTxOf } from './rounds.js';
import type { Cont, PendingRound } from './types.js';

/**
 * Leaving and coming back (aesc_fsm `awaiting_leave_ack`, `reestablish_init`,
 * `awaiting_reestablish`): `leave` / `leave_ack`, an FSM restored from the state cache, the
 * reestablish handshake, and what a closed peer link means in each phase.
 */

type Msg<T extends PeerMessage['type']> = PeerMessage extends infer M ? (M extends { type: infer K } ? ([T] extends [K] ? M : never) : never) : never;
const utf8 = new TextEncoder();

/** `channels.leave`: the peer is told; both FSMs then report the last co-signed state. */
export function startLeave(b: Builder): void {
  const s = b.s;
  if (s.phase !== 'open' || s.peer === 0) { b.reply(NOT_ALLOWED_NOW); return; }
  b.reply(NONE);
  b.toPeer({ type: 'leave', channelId: decodeApi(s.channelId!, 'ch') });
}

/**
 * Leave (`leave` / `leave_ack`): both clients get the last co-signed state; the FSMs stop, except
 * a responder with `keep_running`, which waits for the initiator to reestablish.
 */
export function onLeave(b: Builder, ack: boolean): void {
  if (!ack) b.toPeer({ type: 'leave_ack', channelId: decodeApi(b.s.channelId!, 'ch') });
  persist(b, { k: 'left' });
}

function left(b: Builder): void {
  const s = b.s;
  b.report('leave', 'channels.leave', { state: txText(s.signedTx!) });
  if (s.config.role === 'responder' && s.config.options.keepRunning) {
    b.phase('awaiting_reestablish');
    b.push({ type: 'listen' });
    return;
  }
  b.terminate('died');
}

/**
 * An FSM restored from the state cache: `fsm_up` with its fsm id (a new one, under which the
 * cached state is kept from now on: the write is queued as an input), then it watches the chain
 * and reestablishes the session with the peer's FSM.
 */
export function restore(b: Builder, latest: SignedTx | undefined): void {
  const s = b.s;
  b.info('fsm_up', { fsm_id: s.config.fsmId });
  // The state is cached under this FSM's own id now: the id the client came with no longer opens it.
  b.push({ type: 'enqueue', event: { type: 'persist-restored' } });
  b.w.reportedChannelId = s.channelId!;
  watchChain(b);
  b.push({ type: 'enqueue', event: { type: 'chain-before-reestablish' } });
  // The client co-signed the round this FSM had in flight when it stopped (it keeps such a round
  // before it answers): the FSM adopts it, if it checks out, before it meets the peer's FSM.
  if (latest !== undefined && s.pendingRound !== undefined && roundOfTx(latest) === s.offchain!.round + 1n) {
    b.push({ type: 'enqueue', event: { type: 'adopt-client-latest', tx: latest } });
    return;
  }
  // A deposit or withdrawal it kept co-signed before it posted it: adopted by itself (checked as
  // any other), posted again, then the peer's FSM is met a round ahead, which it follows.
  const kept = keptCoSigned(s.pendingRound);
  if (kept !== undefined) {
    b.push({ type: 'enqueue', event: { type: 'adopt-client-latest', tx: kept } });
    return;
  }
  meetPeer(b);
}

/** The tx of a kept deposit or withdrawal this FSM had co-signed (and so may have posted), if that is what it kept. */
function keptCoSigned(p: PendingRound | undefined): SignedTx | undefined {
  const tag = p?.tx.tx.tag;
  return p !== undefined && (tag === 'channel_deposit_tx' || tag === 'channel_withdraw_tx') && p.tx.signatures.length >= 2 ? p.tx : undefined;
}

/** A restored FSM reaches the peer's (initiator) or waits for it (responder). */
function meetPeer(b: Builder): void {
  if (b.s.config.role === 'responder') b.push({ type: 'listen' });
  else b.push({ type: 'connect-peer' });
}

/**
 * What the chain did while this channel had no FSM (aesc_fsm `check_chain_before_reestablish`):
 * a solo close or slash with a round older than the cached state is reported as `can_slash`,
 * with the state to slash with, so that the client can dispute it within the lock period.
 */
export function checkChainBeforeReestablish(b: Builder): void {
  b.ask({ type: 'lookup', lookup: { kind: 'channel', channelId: b.s.channelId! } }, 'lookup:channel', { k: 'reest.chain' });
}

function reestChain(b: Builder, onChain: ChannelObject | null): void {
  if (onChain === null || onChain.lockedUntil === 0n) return;
  b.w.soloClosing = true;
  const s = b.s;
  if (onChain.round < s.offchain!.round) b.onChainTx('can_slash', s.signedTx!);
}

/**
 * The initiator could not reach its peer: the FSM ends, but for a channel closing on chain, which
 * needs no peer: the FSM stays for the slash and the settle its client can still make (the peer
 * that closed it with an old state may never come back).
 */
export function peerUnreachable(b: Builder): void {
  if (b.s.soloClosing) {
    b.phase('channel_closing');
    return;
  }
  b.terminate('timeout');
}

/**
 * The responder side of a reestablish: the initiator's latest state must be ours (as the node
 * requires), or, after a crash (beyond the node: see `recovery.ts`), one round apart: the
 * initiator's next round this FSM kept pending is adopted; one round behind, the initiator adopts
 * ours from the ack.
 */
export function onReestablish(b: Builder, m: Msg<'channel_reestablish'>): void {
  const s = b.s;
  const theirs = isChannel(b, m.channelId) ? signedTxOf(m.tx) : undefined;
  if (theirs !== undefined && !sameObject(theirs, s.signedTx!)) {
    const round = roundOfTx(theirs);
    const mine = s.offchain!.round;
    if (round === mine + 1n && s.pendingRound !== undefined) { adopt(b, theirs, { k: 'reest.adopted-ack', chainHash: m.chainHash, channelId: m.channelId }); return; }
    if (round === mine - 1n) { reestAck(b, m.chainHash, m.channelId); return; }
  }
  if (theirs === undefined || !sameObject(theirs, s.signedTx!)) { badState(b, m.channelId); return; }
  reestAck(b, m.chainHash, m.channelId);
}

function badState(b: Builder, channelId: Uint8Array): void {
  b.toPeer({ type: 'error', channelId, data: utf8.encode('bad_state') });
  b.terminate('died');
}

function reestAck(b: Builder, chainHash: Uint8Array, channelId: Uint8Array): void {
  b.toPeer({ type: 'channel_reest_ack', chainHash, channelId, tx: objectBytes(b.s.signedTx!) });
  reestablished(b);
}

/** The initiator side: the responder's latest state must be ours, or (after a crash) the next round this FSM kept pending. */
export function onReestablishAck(b: Builder, m: Msg<'channel_reest_ack'>): void {
  const s = b.s;
  const theirs = isChannel(b, m.channelId) ? signedTxOf(m.tx) : undefined;
  if (theirs !== undefined && !sameObject(theirs, s.signedTx!) && roundOfTx(theirs) === s.offchain!.round + 1n && s.pendingRound !== undefined) {
    adopt(b, theirs, { k: 'reest.adopted' });
    return;
  }
  if (theirs === undefined || !sameObject(theirs, s.signedTx!)) { b.terminate('died'); return; }
  reestablished(b);
}

function reestablished(b: Builder): void {
  // a round in flight when the FSM stopped and not co-signed by both is dropped on both sides
  b.w.pendingRound = undefined;
  b.phase('open');
  b.info('channel_reestablished');
  b.info('open');
  // Both report the co-signed state, the responder too when its FSM kept running through the
  // peer's leave (aesc_fsm `force_update_report`, since aeternity#3235, Nov 2021: a client that
  // reconnected to that FSM, as æternity's JS SDK does, waits for it). The corpus's recordings
  // of a responder that stayed predate that change (see the conformance harness's OLDER_NODE).
  b.reportUpdate();
}

/** The peer's link closed (`link`: which one; a link replaced since is nothing to this FSM). */
export function onPeerClosed(b: Builder, link: number): void {
  const s = b.s;
  if (s.peer !== link) return;
  b.w.peer = 0;
  const phase = s.phase;
  // Once the channel is closing on chain the peer has nothing more to say: watch the chain.
  if (phase === 'channel_closed' || phase === 'mutual_closing' || phase === 'mutual_closed' || phase === 'channel_closing') return;
  // Before the channel is open there is nothing to keep, and an FSM that does not keep
  // running (every initiator; a responder with keep_running=false) goes with its peer.
  const opening = phase === 'initialized' || phase === 'accepted' || phase === 'half_signed' || phase === 'awaiting_locked' || phase === 'signed';
  if (opening || !s.config.options.keepRunning) { b.terminate('died'); return; }
  b.info('peer_disconnected');
}

/** The continuations of this stage. */
export const leaveReestablishResumers = {
  left: (b: Builder, _c: Cont) => left(b),
  'reest.chain': (b: Builder, _c: Cont, onChain: unknown) => reestChain(b, onChain as ChannelObject | null),
  'reest.meet': (b: Builder) => meetPeer(b),
  'reest.adopted-ack': (b: Builder, c: Extract<Cont, { k: 'reest.adopted-ack' }>, adopted: unknown) =>
    adopted === true ? reestAck(b, c.chainHash, c.channelId) : badState(b, c.channelId),
  'reest.adopted': (b: Builder, _c: Cont, adopted: unknown) => (adopted === true ? reestablished(b) : b.terminate('died')),
} as const;
