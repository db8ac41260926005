import type { DepositParams, WithdrawParams } from '@aesc/channel-api';
import { txHash as hashOfTx } from '@aesc/crypto';
import { type SignedTx, decodeApi } from '@aesc/encoding';
import { depositUpdates, onChainRoundTx, withMinimumFee, withdrawUpdates } from '@aesc/protocol';
import type { OffchainState } from '@aesc/state';
import { NONE, reasonError, rpcError } from '../fsm/client-reply.js';
import type { PeerMessage } from '../peer/peer-message.js';
import type { Builder } from './builder.js';
import { nonceOf, onChainOpts, persist, pickBlockHash, post, unwatch, watch } from './lookups.js';
import { keepPendingRound } from './recovery.js';
import { applyUpdates, askSign, busy, busyReply, checkPeerCoSigned, commit, currentRound, newRound, peerCoSignedChecked, roundConflict, updateRound } from './rounds.js';
import type { Cont, PendingRound, Round, WatchThen } from './types.js';

/**
 * Deposits and withdrawals (aesc_fsm `dep_half_signed` / `wdraw_half_signed`, `awaiting_locked`,
 * `dep_signed` / `wdraw_signed`): the client's request, the peer's co-signed tx (which the
 * originator posts), both sides' minimum depth and `<kind>_locked`, and the commit of the round.
 * The peer's proposal is acknowledged as an update is (`update.ts`).
 */

type Msg<T extends PeerMessage['type']> = PeerMessage extends infer M ? (M extends { type: infer K } ? ([T] extends [K] ? M : never) : never) : never;

/** `channels.deposit` / `channels.withdraw`. */
export function startDepositOrWithdraw(b: Builder, kind: 'deposit' | 'withdraw', params: DepositParams | WithdrawParams): void {
  if (busy(b)) { busyReply(b); return; }
  const amount = BigInt(params.amount);
  const meta = params.meta;
  const request = { account: b.me(), amount, ...(meta === undefined ? {} : { meta }) };
  const updates = kind === 'deposit' ? depositUpdates(request) : withdrawUpdates(request);
  pickBlockHash(b, params.block_hash, { k: 'dw.block', kind, amount, updates, opts: onChainOpts(params) });
}

function dwBlock(b: Builder, c: Extract<Cont, { k: 'dw.block' }>, blockHash: unknown): void {
  if (blockHash === undefined) { b.reply(rpcError(-32603)); return; }
  let next: OffchainState;
  try {
    next = applyUpdates(b, c.updates);
  } catch {b.reply(reasonError(1001)); return; 
  }
  const opts = c.opts;
  nonceOf(b, b.me(), opts.nonce, { k: 'dw.nonce', kind: c.kind, amount: c.amount, updates: c.updates, next, blockHash: blockHash as Uint8Array, opts });
}

function dwNonce(b: Builder, c: Extract<Cont, { k: 'dw.nonce' }>, nonce: unknown): void {
  const s = b.s;
  const fields = {
    channelId: s.channelId!,
    account: b.me(),
    amount: c.amount,
    ttl: s.config.options.ttl,
    next: { state: c.next, stateHash: b.ctx.states.stateHash(c.next.trees) },
    nonce: nonce as bigint,
  };
  const built = withMinimumFee((fee) => onChainRoundTx(c.kind, fields, fee), c.opts, s.config.minMinerGasPrice);
  if (!built.ok) { b.reply(reasonError(105)); return; }
  b.reply(NONE);
  const round = newRound(b, { kind: c.kind, originator: true, next: c.next, updates: c.updates, blockHash: c.blockHash });
  const tx: SignedTx = { tag: 'signed_tx', version: 1, signatures: [], tx: built.tx };
  askSign(b, c.kind === 'deposit' ? 'deposit_tx' : 'withdraw_tx', tx, c.updates, { k: 'propose', round });
}

/** The peer co-signed this FSM's deposit or withdrawal: this side posts it and waits for its minimum depth. */
export function onDepositOrWithdrawSigned(b: Builder, m: Msg<'deposit_signed' | 'withdraw_signed'>): void {
  const round = b.s.round;
  const kind = m.type === 'deposit_signed' ? 'deposit' : 'withdraw';
  if (round === undefined || round.kind !== kind || !round.originator || round.half === undefined || round.signed !== undefined) return;
  checkPeerCoSigned(b, round, m.channelId, m.tx, (signed) => ({ k: 'dw-signed.sig', seq: round.seq, signed }));
}

function dwSignedSig(b: Builder, c: Extract<Cont, { k: 'dw-signed.sig' }>, ok: unknown): void {
  const round = currentRound(b, c.seq);
  if (!peerCoSignedChecked(b, round, ok) || round === undefined) return;
  const signed = c.signed;
  const r = updateRound(b, round, { signed, txHash: hashOfTx(signed) });
  // Kept co-signed in the state cache (as the pending round, beside the latest co-signed state)
  // before it goes to the chain: a node killed once it has posted comes back with the round and
  // adopts it by itself (`recovery.ts`), whatever the peer's FSM or the client present.
  keepPendingRound(b, { kind: r.kind as PendingRound['kind'], updates: r.updates, tx: signed }, { k: 'dw-signed.durable', seq: r.seq, signed });
}

function dwSignedDurable(b: Builder, c: Extract<Cont, { k: 'dw-signed.durable' }>): void {
  const r = currentRound(b, c.seq);
  if (r === undefined) return;
  watchRoundLock(b, r, c.signed);
  // A deposit or withdrawal the chain refuses (a client's nonce, say) can never lock: the round
  // ends as the node's does (`try_to_push_to_mempool`: code 5, rejected on chain), not waiting.
  post(b, c.signed, { k: 'dw-signed.posted', seq: r.seq, signed: c.signed });
}

function dwSignedPosted(b: Builder, c: Extract<Cont, { k: 'dw-signed.posted' }>, ok: unknown): void {
  const round = currentRound(b, c.seq);
  if (ok !== true) {
    if (round?.txHash !== undefined) unwatch(b, round.txHash);
    if (round !== undefined) roundConflict(b, round, 5);
    // The tx the chain refused is not kept either: a node that restarts must not adopt it.
    if (b.s.config.durableCache) persist(b, undefined);
    return;
  }
  b.onChainTx(round?.kind === 'withdraw' ? 'withdraw_signed' : 'deposit_signed', c.signed);
}

/** Waits for the round's co-signed tx to reach its minimum depth. */
export function watchRoundLock(b: Builder, round: Round, signed: SignedTx): void {
  watch(b, signed, { k: 'round-lock', seq: round.seq, kind: round.kind as 'deposit' | 'withdraw', txHash: round.txHash! });
}

/** The round's tx reached its minimum depth: `own_<kind>_locked`, and `<kind>_locked` to the peer. */
export function ownRoundLocked(b: Builder, then: Extract<WatchThen, { k: 'round-lock' }>, after: Cont | undefined): void {
  const current = currentRound(b, then.seq);
  const round = current === undefined ? undefined : updateRound(b, current, { ownLocked: true });
  b.info(then.kind === 'deposit' ? 'own_deposit_locked' : 'own_withdraw_locked');
  b.toPeer({ type: then.kind === 'deposit' ? 'deposit_locked' : 'withdraw_locked', channelId: decodeApi(b.s.channelId!, 'ch'), txHash: decodeApi(then.txHash as `th_${string}`, 'th') });
  if (round === undefined) { b.resume(after); return; }
  if (round.peerLockedEarly) onRoundLocked(b, after);
  else maybeRoundLocked(b, round, after);
}

/** The peer's `<kind>_locked` (handled once this side saw its own). */
export function onRoundLocked(b: Builder, after: Cont | undefined): void {
  const round = b.s.round;
  if (round === undefined || (round.kind !== 'deposit' && round.kind !== 'withdraw')) { b.resume(after); return; }
  if (!round.ownLocked) {
    updateRound(b, round, { peerLockedEarly: true });b.resume(after); return; 
  }
  const r = updateRound(b, round, { peerLocked: true });
  b.info(round.kind === 'deposit' ? 'deposit_locked' : 'withdraw_locked');
  maybeRoundLocked(b, r, after);
}

function maybeRoundLocked(b: Builder, round: Round, after: Cont | undefined): void {
  if (!round.ownLocked || !round.peerLocked || b.s.round?.seq !== round.seq) { b.resume(after); return; }
  // biome-ignore lint/suspicious/noThenProperty: a continuation as data (an object, never a function: nothing awaits it)
  commit(b, round.next!, round.signed!, { k: 'dw.locked', then: after });
}

export function onLockedMessage(b: Builder, _m: Msg<'deposit_locked' | 'withdraw_locked'>): void {
  onRoundLocked(b, undefined);
}

/** The continuations of this stage. */
export const depositWithdrawResumers = {
  'dw.block': dwBlock,
  'dw.nonce': dwNonce,
  'dw-signed.sig': dwSignedSig,
  'dw-signed.durable': dwSignedDurable,
  'dw-signed.posted': dwSignedPosted,
  'dw.locked': (b: Builder, c: Extract<Cont, { k: 'dw.locked' }>) => {
    b.w.round = undefined;
    b.reportUpdate();
    b.resume(c.then);
  },
} as const;
