import { SIGN_TAGS } from '@aesc/channel-api';
import { txHash as hashOfTx } from '@aesc/crypto';
import type { SignedTx } from '@aesc/encoding';
import { type OffchainState, updateToJson } from '@aesc/state';
import { sameObject, txText } from '../fsm/object-bytes.js';
import type { Builder } from './builder.js';
import { checkSigners, know, persist } from './lookups.js';
import { applyUpdates, commit } from './rounds.js';
import type { AdoptThen, Cont, PendingRound } from './types.js';

/**
 * Crash recovery: what lets every kill point converge, beyond the æternity node (whose state cache
 * lives in memory and is written only when an FSM terminates, and whose reestablish needs both
 * sides at the same round).
 *
 * - Before this FSM asks its client to co-sign the peer's round, and before it sends its own
 *   client-signed round to the peer, the round (its updates and its tx) is written to the state
 *   cache beside the latest co-signed state ({@link keepPendingRound}). A co-signed state is
 *   written before it is reported or acknowledged (`rounds.ts` `commit`).
 * - After a crash, the co-signed tx of that round, presented by the client (`offchain_tx` in its
 *   connect URL) or by the peer's FSM (`channel_reestablish` / `channel_reest_ack`), is adopted
 *   when it is the round this FSM kept, signed by both participants, and its state hash is the one
 *   the kept updates give ({@link adopt}). A co-signed deposit or withdrawal adopted so is posted
 *   again (the chain refuses it when it has it already).
 * - A client that comes back to a running FSM with an older round gets the latest co-signed state
 *   (`channels.update`), and the sign request the FSM still waits on, again; a client that comes
 *   back with that request's tx co-signed (it signed, then died before its answer got through)
 *   answers it so ({@link clientBack}).
 */

/** The co-signed round a tx makes (a create tx makes round 1), or undefined for other txs. */
export function roundOfTx(tx: SignedTx): bigint | undefined {
  const inner = tx.tx;
  if (inner.tag === 'channel_create_tx') return 1n;
  if (inner.tag === 'channel_offchain_tx' || inner.tag === 'channel_deposit_tx' || inner.tag === 'channel_withdraw_tx') return inner.round;
  return undefined;
}

/** Keeps `pending` in the state cache (with the latest co-signed state), then goes on with `then` once it is durable. */
export function keepPendingRound(b: Builder, pending: PendingRound, then: Cont): void {
  b.w.pendingRound = pending;
  if (b.s.config.durableCache) persist(b, then);
  else b.resume(then);
}

/**
 * Adopts `tx` as the latest co-signed state when it is the next round this FSM kept pending: the
 * same tx, its updates applying to the latest state with the tx's round and state hash, and
 * exactly one valid signature of each participant. Goes on with `then` (true once the new state
 * is durable, false when refused: the FSM stays where it was).
 */
export function adopt(b: Builder, tx: SignedTx, then: AdoptThen): void {
  const s = b.s;
  const pending = s.pendingRound;
  const last = s.offchain;
  if (pending === undefined || last === undefined || !sameObject(tx.tx, pending.tx.tx) || roundOfTx(tx) !== last.round + 1n) { b.resume(then, false); return; }
  let next: OffchainState;
  try {
    next = applyUpdates(b, pending.updates);
  } catch {
    b.resume(then, false);
    return;
  }
  const inner = tx.tx as { readonly stateHash?: string };
  if (next.round !== last.round + 1n || inner.stateHash !== b.ctx.states.stateHash(next.trees)) { b.resume(then, false); return; }
  checkSigners(b, tx, [s.initiator!, s.responder], { k: 'adopt.sig', tx, next, then });
}

function adoptSig(b: Builder, c: Extract<Cont, { k: 'adopt.sig' }>, ok: unknown): void {
  if (ok !== true) { b.resume(c.then, false); return; }
  b.log('rcv', 'adopted', { round: Number(c.next.round) });
  const then = c.then;
  commit(b, c.next, c.tx, { k: 'adopt.committed', tx: c.tx, then });
}

function adoptCommitted(b: Builder, c: Extract<Cont, { k: 'adopt.committed' }>): void {
  const tag = c.tx.tx.tag;
  if (tag !== 'channel_deposit_tx' && tag !== 'channel_withdraw_tx') { b.resume(c.then, true); return; }
  // A deposit or withdrawal the originator may not have posted before the crash: posted again
  // (a chain that has it already refuses it, which is no failure here).
  know(b, hashOfTx(c.tx), c.tx);
  const then = c.then;
  b.ask({ type: 'post', tx: c.tx }, 'posted', { k: 'adopt.posted', then });
}

/**
 * A client came back to this running FSM (`latest`: the co-signed tx its connect URL carried).
 * It gets the latest co-signed state when its own is older, then the sign request the FSM waits
 * on, again; when `latest` is that request's tx with more signatures (the client signed and its
 * answer was lost), it is taken as the answer.
 */
export function clientBack(b: Builder, latest: SignedTx | undefined): void {
  const s = b.s;
  const mine = s.offchain?.round;
  const theirs = latest === undefined ? undefined : roundOfTx(latest);
  if (mine !== undefined && s.signedTx !== undefined && theirs !== undefined && theirs < mine) b.reportUpdate();
  const p = s.pendingSign;
  if (p === undefined) return;
  if (latest !== undefined && sameObject(latest.tx, p.tx.tx) && latest.signatures.length > p.tx.signatures.length) {
    b.push({ type: 'enqueue', event: { type: 'request', method: SIGN_TAGS[p.tag].reply, params: { signed_tx: txText(latest) }, hasId: false } });
    return;
  }
  b.log('req', 'sign', { tag: p.tag, again: true });
  b.report('info', `channels.sign.${p.tag}`, { signed_tx: txText(p.tx), updates: p.updates.map(updateToJson) });
}

/** The continuations of this stage. */
export const recoveryResumers = {
  'adopt.sig': adoptSig,
  'adopt.committed': adoptCommitted,
  'adopt.posted': (b: Builder, c: Extract<Cont, { k: 'adopt.posted' }>) => b.resume(c.then, true),
} as const;
