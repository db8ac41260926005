import { SIGN_TAGS, type SignReplyParams } from '@aesc/channel-api';
import type { SignedTx } from '@aesc/encoding';
import { NOT_ALLOWED_NOW, OK } from '../fsm/client-reply.js';
import { txFromText } from '../fsm/object-bytes.js';
import { SIGN_REPLY_RULES, requiredSigners, txMismatch } from '../fsm/sign-reply.js';
import type { Builder } from './builder.js';
import { checkSigners } from './lookups.js';
import { shutdownAckSigned, shutdownSigned } from './mutual-close.js';
import { initiatorSigned, responderSigned } from './opening.js';
import { conflict, sendRoundError } from './rounds.js';
import { soloSigned } from './solo.js';
import { acceptSigned, proposalSigned } from './update.js';
import type { Cont, PendingSign } from './types.js';

/**
 * The client's answers to sign requests (aesc_fsm `awaiting_signature`): a signed tx, checked
 * against what was asked and whose signatures it must carry, or an abort; and the `sign` timer.
 * What an answer leads to is the pending request's `then`, as data.
 */

type Outcome = { readonly signed: SignedTx } | { readonly abort: number };

/** Goes on with what the sign request was for, with the client's signature or its abort. */
export function resolveSign(b: Builder, pending: PendingSign, outcome: Outcome): void {
  const then = pending.then;
  switch (then.k) {
    case 'initiator-create':
      { initiatorSigned(b, outcome); return; }
    case 'responder-create':
      { responderSigned(b, outcome); return; }
    case 'propose':
      { then.round.kind === 'shutdown' ? shutdownSigned(b, then.round, outcome) : proposalSigned(b, then.round, outcome); return; }
    case 'accept':
      { then.round.kind === 'shutdown' ? shutdownAckSigned(b, then.round, outcome) : acceptSigned(b, then.round, outcome); return; }
    case 'solo':
      { soloSigned(b, then, outcome); return; }
  }
}

/**
 * A client's answer to a sign request. An abort (`{error: code}`) is answered as the node answers
 * it (ok, or not allowed when nothing waits for it). A signed tx is answered with nothing, as by
 * the node (`sc_ws_api_jsonrpc` hands it to the FSM, `signing_response`, and replies `no_reply`):
 * one that comes when nothing waits for it is dropped; one the FSM cannot use (another tx, or
 * signatures other than exactly one valid signature of each signer: a repeated one, a stranger's,
 * one missing) ends as aesc_fsm ends it, by the request (see `sign-reply.ts`): `channels.error`
 * and a conflict, or a conflict alone, or nothing.
 */
export function onSignReply(b: Builder, fsmTag: string, params: SignReplyParams): void {
  const pending = b.s.pendingSign;
  const waiting = pending !== undefined && SIGN_TAGS[pending.tag].fsmTag === fsmTag;
  if ('error' in params) {
    if (!waiting) { b.reply(NOT_ALLOWED_NOW); return; }
    b.reply(OK);
    b.w.pendingSign = undefined;
    b.disarm('sign');resolveSign(b, pending, { abort: Number(params.error) }); return; 
  }
  b.reply(OK);
  let signed: SignedTx;
  try {
    signed = txFromText(params.signed_tx);
  } catch {
    return; // not a signed tx: the node's handler fails on it and answers nothing
  }
  if (!waiting) return;
  const s = b.s;
  const mismatch = txMismatch(pending.tag, pending.tx.tx, signed);
  if (mismatch !== undefined) { refuseSigned(b, pending, mismatch); return; }
  const parties = { me: b.me(), initiator: s.initiator!, responder: s.responder };
  checkSigners(b, signed, requiredSigners(pending.tag, signed, parties), { k: 'sign-reply.sig', pending, signed });
}

function signReplySig(b: Builder, c: Extract<Cont, { k: 'sign-reply.sig' }>, ok: unknown): void {
  // (the check may have waited for another thread: the request must still be the one answered)
  if (b.s.pendingSign !== c.pending) return;
  if (ok !== true) { refuseSigned(b, c.pending, 'bad_signature'); return; }
  b.w.pendingSign = undefined;
  b.disarm('sign');
  b.log('rcv', 'signed', { txType: c.pending.tag, tx: c.signed }, true);
  resolveSign(b, c.pending, { signed: c.signed });
}

/** A signed reply the FSM cannot use, ended as aesc_fsm ends it for that request (`SIGN_REPLY_RULES`). */
function refuseSigned(b: Builder, pending: PendingSign, reason: string): void {
  const outcome = SIGN_REPLY_RULES[pending.tag].onBad;
  if (outcome === 'error-keep-waiting') { b.report('error', 'channels.error', { message: reason }); return; }
  const round = b.s.round;
  if (outcome === 'dropped') {
    b.w.pendingSign = undefined;
    b.disarm('sign');
    return;
  }
  if (outcome === 'error-and-conflict') b.report('error', 'channels.error', { message: reason });
  conflict(b, outcome === 'rejected-on-chain' ? 5 : 1);
  // An acknowledging side tells the peer's FSM, whose round ends too (a side that started the
  // round had not sent it yet).
  if (outcome === 'error-and-conflict' && round !== undefined && !round.originator) sendRoundError(b, round.kind, 1);
}

/** The client did not answer the sign request in time: as an abort with code 3 (timeout). */
export function signTimedOut(b: Builder): void {
  const pending = b.s.pendingSign;
  if (pending === undefined) return;
  b.w.pendingSign = undefined;
  resolveSign(b, pending, { abort: 3 });
}

/** The continuations of this stage. */
export const signReplyResumers = {
  'sign-reply.sig': signReplySig,
} as const;
