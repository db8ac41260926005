import type { ShutdownParams } from '@aesc/channel-api';
import { type SignedTx, decodeApi } from '@aesc/encoding';
import { checkCloseMutual, closeMutualTx } from '@aesc/protocol';
import { type BlockHashVerdict, NOT_SET_BLOCK_HASH } from '../fsm/block-hash-delta.js';
import { NONE, reasonError } from '../fsm/client-reply.js';
import { objectBytes, sameObject } from '../fsm/object-bytes.js';
import type { PeerMessage } from '../peer/peer-message.js';
import type { Builder } from './builder.js';
import { checkBlockHash, checkSigners, nonceOf, onChainOpts, peerSigners, pickBlockHash, post, watch } from './lookups.js';
import { askSign, busy, busyReply, conflict, isChannel, newRound, sendRoundError, signedTxOf, updateRound } from './rounds.js';
import type { Cont, Round } from './types.js';

/**
 * Closing by agreement (aesc_fsm `mutual_closing`, `mutual_closed`): the client's `shutdown`,
 * the peer's, the ack, and watching the close_mutual (or a settle) to its minimum depth, when the
 * channel is closed (`channel_closed`) and the FSM ends.
 */

type Msg<T extends PeerMessage['type']> = PeerMessage extends infer M ? (M extends { type: infer K } ? ([T] extends [K] ? M : never) : never) : never;

/** `channels.shutdown`: a close_mutual of the latest balances for the client to sign. */
export function startShutdown(b: Builder, params: ShutdownParams): void {
  if (busy(b)) { busyReply(b); return; }
  pickBlockHash(b, undefined, { k: 'shutdown.block', opts: onChainOpts(params) });
}

function shutdownBlock(b: Builder, c: Extract<Cont, { k: 'shutdown.block' }>, hash: unknown): void {
  const blockHash = (hash as Uint8Array | undefined) ?? NOT_SET_BLOCK_HASH;
  nonceOf(b, b.me(), c.opts.nonce, { k: 'shutdown.nonce', blockHash, opts: c.opts });
}

function shutdownNonce(b: Builder, c: Extract<Cont, { k: 'shutdown.nonce' }>, nonce: unknown): void {
  const s = b.s;
  const built = closeMutualTx(
    { channelId: s.channelId!, from: b.me(), initiator: s.initiator!, responder: s.responder, state: s.offchain!, ttl: s.config.options.ttl, nonce: nonce as bigint },
    c.opts,
    s.config.minMinerGasPrice,
  );
  if (built === undefined) { b.reply(reasonError(1001)); return; }
  b.reply(NONE);
  const round = newRound(b, { kind: 'shutdown', originator: true, next: undefined, updates: [], blockHash: c.blockHash });
  askSign(b, 'shutdown_sign', { tag: 'signed_tx', version: 1, signatures: [], tx: built }, [], { k: 'propose', round });
}

/** This FSM's client signed its close_mutual (or aborted): `shutdown` to the peer. */
export function shutdownSigned(b: Builder, round: Round, outcome: { signed: SignedTx } | { abort: number }): void {
  if ('abort' in outcome) {
    b.w.round = undefined;
    b.info('aborted_update');
    return;
  }
  updateRound(b, round, { half: outcome.signed });
  // (A solo close seen on chain while the client signed keeps the FSM in channel_closing.)
  if (b.s.phase === 'open') b.phase('mutual_closing');
  b.toPeer({ type: 'shutdown', channelId: decodeApi(b.s.channelId!, 'ch'), blockHash: round.blockHash, tx: objectBytes(outcome.signed) });
}

/** The peer proposes a close_mutual. */
export function onShutdown(b: Builder, m: Msg<'shutdown'>): void {
  const half = isChannel(b, m.channelId) ? signedTxOf(m.tx) : undefined;
  if (busy(b)) {
    if (b.s.pendingSign !== undefined || b.s.round?.originator) conflict(b, 2);sendRoundError(b, 'shutdown', 2); return; 
  }
  if (half === undefined) { sendRoundError(b, 'shutdown', 1); return; }
  checkBlockHash(b, m.blockHash, { k: 'shutdown-msg.block', half, blockHash: m.blockHash });
}

function shutdownMsgBlock(b: Builder, c: Extract<Cont, { k: 'shutdown-msg.block' }>, verdict: unknown): void {
  if ((verdict as BlockHashVerdict) !== 'ok') {
    // A refused shutdown is a validation error (code 1), reported to this client as a conflict too.
    conflict(b, 1);sendRoundError(b, 'shutdown', 1); return; 
  }
  const s = b.s;
  // As aesc_fsm's check_shutdown_msg: the close this FSM would build with the proposer's fee and
  // nonce (the final amounts exactly the latest balances less the fee as pay_close_mutual_fee
  // splits it, this FSM's ttl, a fee the chain takes); a refusal is a validation error, reported
  // to this client as a conflict too.
  try {
    const close = { channelId: s.channelId!, initiator: s.initiator!, responder: s.responder, state: s.offchain!, from: b.other() };
    checkCloseMutual(c.half.tx, close, { ttl: s.config.options.ttl, minimumFee: true });
  } catch {
    conflict(b, 1);sendRoundError(b, 'shutdown', 1); return;
  }
  checkSigners(b, c.half, peerSigners(b, c.half), { k: 'shutdown-msg.sig', half: c.half, blockHash: c.blockHash });
}

function shutdownMsgSig(b: Builder, c: Extract<Cont, { k: 'shutdown-msg.sig' }>, ok: unknown): void {
  if (ok !== true) { sendRoundError(b, 'shutdown', 1); return; }
  const round = newRound(b, { kind: 'shutdown', originator: false, next: undefined, updates: [], half: c.half, blockHash: c.blockHash });
  b.info('shutdown');
  askSign(b, 'shutdown_sign_ack', c.half, [], { k: 'accept', round });
}

/** This FSM's client co-signed the peer's close_mutual (or aborted): `shutdown_ack`, and this side posts it. */
export function shutdownAckSigned(b: Builder, round: Round, outcome: { signed: SignedTx } | { abort: number }): void {
  if ('abort' in outcome) {
    b.w.round = undefined;
    b.info('aborted_update');sendRoundError(b, 'shutdown', outcome.abort); return; 
  }
  const signed = outcome.signed;
  if (b.s.phase === 'open') b.phase('mutual_closing');
  b.toPeer({ type: 'shutdown_ack', channelId: decodeApi(b.s.channelId!, 'ch'), blockHash: round.blockHash, tx: objectBytes(signed) });
  watchClose(b, signed);
  post(b, signed, { k: 'shutdown-acked.posted', signed });
}

export function onShutdownAck(b: Builder, m: Msg<'shutdown_ack'>): void {
  const round = b.s.round;
  if (round?.kind !== 'shutdown' || !round.originator || round.half === undefined) return;
  // No signed tx: the node's FSM stops (`check_shutdown_ack_msg`). (Not a conflict: the peer
  // holds the close tx this client signed, so the channel does not go back to open.)
  const signed = isChannel(b, m.channelId) ? signedTxOf(m.tx) : undefined;
  if (signed === undefined) { b.terminate('died'); return; }
  if (!sameObject(signed.tx, round.half.tx)) return;
  checkSigners(b, signed, [b.s.initiator!, b.s.responder], { k: 'shutdown-ack.sig', signed });
}

function shutdownAckSig(b: Builder, c: Extract<Cont, { k: 'shutdown-ack.sig' }>, ok: unknown): void {
  if (ok !== true) { b.info('bad_signature'); return; }
  watchClose(b, c.signed);
  b.onChainTx('close_mutual', c.signed);
  b.info('closing');
}

/** Waits for a closing tx (close_mutual, settle) to reach the minimum depth: `closed_confirmed`, then the FSM ends. */
export function watchClose(b: Builder, signed: SignedTx): void {
  b.w.round = undefined;
  if (b.s.phase === 'mutual_closing') b.phase('mutual_closed');
  watch(b, signed, { k: 'close' });
}

/** The closing tx reached its minimum depth. */
export function closeConfirmed(b: Builder, after: Cont | undefined): void {
  b.info('closed_confirmed');
  b.phase('channel_closed');
  b.terminate('died');
  b.resume(after);
}

/** The continuations of this stage. */
export const mutualCloseResumers = {
  'shutdown.block': shutdownBlock,
  'shutdown.nonce': shutdownNonce,
  'shutdown-msg.block': shutdownMsgBlock,
  'shutdown-msg.sig': shutdownMsgSig,
  'shutdown-ack.sig': shutdownAckSig,
  'shutdown-acked.posted': (b: Builder, c: Extract<Cont, { k: 'shutdown-acked.posted' }>) => {
    b.onChainTx('close_mutual', c.signed);
    b.info('closing');
  },
} as const;
