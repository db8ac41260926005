import { type SignTag, abortCodeMessage } from '@aesc/channel-api';
import { type SignedTx, bytesEqual, decodeApi } from '@aesc/encoding';
import { type OffchainState, type OffchainUpdate, updateToJson } from '@aesc/state';
import { NONE, NOT_ALLOWED_NOW } from '../fsm/client-reply.js';
import { objectFromBytes, sameObject, txText } from '../fsm/object-bytes.js';
import type { PeerMessage } from '../peer/peer-message.js';
import type { Builder } from './builder.js';
import { checkSigners, persistRecord } from './lookups.js';
import type { Cont, Round, RoundKind, SignThen } from './types.js';

/**
 * What the rounds of every kind share: asking the client to sign, the conflict that ends a round,
 * committing a co-signed state, and reading the peer's bytes.
 */

/** The peer message that refuses or ends a round of `kind` (`<kind>_error`). */
export function errorTypeOf(kind: RoundKind): 'update_error' | 'deposit_error' | 'withdraw_error' | 'shutdown_error' {
  return kind === 'update' ? 'update_error' : kind === 'deposit' ? 'deposit_error' : kind === 'withdraw' ? 'withdraw_error' : 'shutdown_error';
}

/**
 * Tells the peer's FSM that a round of `kind` is refused or over (`<kind>_error` with `code`), at
 * the last co-signed round (as the node's `make_recoverable_error_msg`: never a round the peer made
 * up). An FSM without a channel id has no channel to say it of: it ends, as the node's FSM does on
 * such a message out of turn.
 */
export function sendRoundError(b: Builder, kind: RoundKind, code: number): void {
  const s = b.s;
  if (s.channelId === undefined) { b.terminate('died'); return; }
  b.toPeer({ type: errorTypeOf(kind), channelId: decodeApi(s.channelId, 'ch'), round: Number(s.offchain?.round ?? 0n), errorCode: code });
}

/** Whether the FSM cannot start a round now: not open, a sign request out, or a round under way. */
export function busy(b: Builder): boolean {
  const s = b.s;
  return s.phase !== 'open' || s.pendingSign !== undefined || s.round !== undefined;
}

/**
 * A client asks for a new round while the FSM is busy. While the peer's round waits for this
 * client's signature, the node takes the request as a conflict: both sides get
 * `channels.conflict` and the peer's round is dropped. Otherwise: not allowed now.
 */
export function busyReply(b: Builder): void {
  const s = b.s;
  const round = s.round;
  if (round !== undefined && !round.originator && s.pendingSign !== undefined && s.peer !== 0) {
    b.reply(NONE);
    conflict(b, 2);
    sendRoundError(b, round.kind, 2);
    return;
  }
  b.reply(NOT_ALLOWED_NOW);
}

/** Drops the round this FSM is in (or the solo tx it is signing) and tells its client: `channels.conflict`. */
export function conflict(b: Builder, code: number): void {
  const w = b.w;
  w.round = undefined;
  w.pendingSign = undefined;
  w.pendingRound = undefined;
  b.disarm('sign');
  b.disarm('peer_reply');
  const s = b.s;
  b.report('conflict', 'channels.conflict', { channel_id: s.channelId, error_code: code, error_msg: abortCodeMessage(code), round: Number(s.offchain?.round ?? 0n) });
}

/**
 * This FSM's round ends without the peer's signature: the client gets `channels.conflict`
 * (`code`), the peer `<kind>_error`, and the last co-signed round stays (`handle_update_conflict`;
 * with code 3 the node's timeout while it waits for the peer). Nothing when the round is over
 * already.
 */
export function roundConflict(b: Builder, round: Round, code: number): void {
  if (b.s.round?.seq !== round.seq) return;
  b.disarm('peer_reply');
  conflict(b, code);
  sendRoundError(b, round.kind, code);
}

/**
 * The peer's co-signature of this FSM's round (`update_ack`, `deposit_signed`, `withdraw_signed`):
 * anything but this round's tx is a conflict (the node's `check_update_ack_msg`,
 * `handle_update_conflict`); the tx goes on to the check of both signatures, with `cont`.
 */
export function checkPeerCoSigned(b: Builder, round: Round, channelId: Uint8Array, tx: Uint8Array, cont: (signed: SignedTx) => Cont): void {
  const signed = isChannel(b, channelId) ? signedTxOf(tx) : undefined;
  if (signed === undefined || !sameObject(signed.tx, round.half!.tx)) { roundConflict(b, round, 2); return; }
  checkSigners(b, signed, [b.s.initiator!, b.s.responder], cont(signed));
}

/**
 * The signatures of the peer's co-signature were checked: a bad one ends the round as a conflict
 * (false); otherwise the peer's reply timer stops (true). `round`: the round, if not over yet.
 */
export function peerCoSignedChecked(b: Builder, round: Round | undefined, ok: unknown): boolean {
  if (ok !== true) {
    b.info('bad_signature');
    if (round !== undefined) roundConflict(b, round, 2);
    return false;
  }
  b.disarm('peer_reply');
  return true;
}

/** The round this FSM is in with `seq`, or undefined when it is over. */
export function currentRound(b: Builder, seq: number): Round | undefined {
  const round = b.s.round;
  return round?.seq === seq ? round : undefined;
}

/** Updates the round this FSM is in (when it is still `round`). */
export function updateRound(b: Builder, round: Round, patch: Partial<Round>): Round {
  const next = roundOf(round, patch);
  if (b.s.round?.seq === round.seq) b.w.round = next;
  return next;
}

/** A new round of this FSM (its seq the next one). */
export function newRound(b: Builder, fields: Omit<Round, 'seq'>): Round {
  const seq = b.s.roundSeq + 1;
  const round = roundOf(fields, { seq });
  const w = b.w;
  w.roundSeq = seq;
  w.round = round;
  return round;
}

/** Every field of a {@link Round}, each one present (undefined where the round has none). */
type RoundSlots = { -readonly [K in keyof Round]-?: Round[K] | undefined };

/**
 * `{ ...round, ...patch }` (no value in `patch` is undefined), made as one literal that names every
 * field: a spread of two objects runs on V8's slow path (about a microsecond each on Node 20, a
 * few times a round, see state-copy.ts), and every round made here has one shape.
 */
function roundOf(round: Omit<Round, 'seq'> & { readonly seq?: number }, patch: Partial<Round>): Round {
  const out: RoundSlots = {
    seq: patch.seq ?? round.seq,
    kind: patch.kind ?? round.kind,
    originator: patch.originator ?? round.originator,
    next: patch.next ?? round.next,
    updates: patch.updates ?? round.updates,
    blockHash: patch.blockHash ?? round.blockHash,
    half: patch.half ?? round.half,
    signed: patch.signed ?? round.signed,
    txHash: patch.txHash ?? round.txHash,
    ownLocked: patch.ownLocked ?? round.ownLocked,
    peerLocked: patch.peerLocked ?? round.peerLocked,
    peerLockedEarly: patch.peerLockedEarly ?? round.peerLockedEarly,
  };
  // (a field of `Round` that is absent reads as undefined; tests compare rounds with `toEqual`, which does not tell the two apart)
  return out as unknown as Round;
}

/**
 * Sends this FSM's half-signed round to the peer and waits for its reply for the node's time
 * (`awaiting_update_ack`: `timeout_accept`; a deposit or withdrawal, `dep_half_signed`:
 * `timeout_funding_sign`): a peer that does not answer cannot hold the channel's rounds.
 */
export function proposeToPeer(b: Builder, round: Round, message: PeerMessage): void {
  b.toPeer(message);
  const t = b.s.config.options.timeouts;
  b.arm('peer_reply', round.kind === 'update' ? t.accept : t.fundingSign, round.seq);
}

/** Asks the client to sign `tx` (`channels.sign.<tag>`), noted in the log as a request; `then` says what its answer leads to. */
export function askSign(b: Builder, tag: SignTag, tx: SignedTx, updates: readonly OffchainUpdate[], then: SignThen): void {
  b.w.pendingSign = { tag, tx, updates, then };
  b.arm('sign', b.s.config.options.timeouts.sign);
  const request = { signed_tx: txText(tx), updates: updates.map(updateToJson) };
  b.log('req', 'sign', { tag, signed_tx: request.signed_tx, updates: request.updates });
  b.report('info', `channels.sign.${tag}`, request);
}

/**
 * Makes a co-signed round the latest and writes it to the state cache; `then` goes on once it is
 * durable, and `meanwhile` runs after the write has started (an ack that may go out at once).
 */
export function commit(b: Builder, next: OffchainState, signed: SignedTx, then: Cont, meanwhile?: () => void): void {
  const w = b.w;
  w.offchain = next;
  w.signedTx = signed;
  w.pendingRound = undefined;
  const record = persistRecord(b.s);
  if (record !== undefined) b.ask({ type: 'persist', record, trees: next.trees }, 'persisted', { k: 'persisted', then });
  meanwhile?.();
  if (record === undefined) b.resume(then);
}

/** The next state after `updates`, through the node's state memo (throws when they do not apply). */
export function applyUpdates(b: Builder, updates: readonly OffchainUpdate[]): OffchainState {
  return b.ctx.states.next(b.s.offchain!, updates, { channelReserve: b.s.channelReserve });
}

/** Whether `channelId` (a peer message's) is this channel's. */
export function isChannel(b: Builder, channelId: Uint8Array): boolean {
  const id = b.s.channelId;
  return id !== undefined && bytesEqual(channelId, decodeApi(id, 'ch'));
}

/**
 * The signed tx of a peer message's bytes, or undefined when they are not one (they do not decode,
 * or decode to another object): the node's `aetx_sign:deserialize_from_binary` throws there, and
 * each message's check turns that into its own answer.
 */
export function signedTxOf(bytes: Uint8Array): SignedTx | undefined {
  try {
    const o = objectFromBytes(bytes);
    return o.tag === 'signed_tx' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** The off-chain updates of a peer message, or undefined when one does not decode. */
export function updatesOf(list: readonly Uint8Array[]): OffchainUpdate[] | undefined {
  try {
    return list.map((u) => objectFromBytes(u) as OffchainUpdate);
  } catch {
    return undefined;
  }
}
