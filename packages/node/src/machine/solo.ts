import type { OnChainOptionParams } from '@aesc/channel-api';
import type { ChannelObject } from '@aesc/chain-api';
import { txHash as hashOfTx } from '@aesc/crypto';
import type { SignedTx } from '@aesc/encoding';
import { withMinimumFee } from '@aesc/protocol';
import { NOT_ALLOWED_NOW, OK, reasonError } from '../fsm/client-reply.js';
import { type SoloKind, soloTx } from '../fsm/solo-tx.js';
import type { Builder } from './builder.js';
import { nonceOf, onChainOpts, post, watch } from './lookups.js';
import { watchClose } from './mutual-close.js';
import { askSign } from './rounds.js';
import type { Cont } from './types.js';

/**
 * Solo txs (aesc_fsm `channel_closing`): close_solo, slash, settle and snapshot_solo, each built
 * from the channel as this FSM and the chain see it; a settle signed before the lock period ends
 * waits for the height it may be posted at.
 */

/** `channels.close_solo`, `channels.slash`, `channels.settle`, `channels.snapshot_solo`. */
export function startSolo(b: Builder, kind: SoloKind, params: OnChainOptionParams): void {
  const s = b.s;
  if (s.pendingSign !== undefined || s.offchain === undefined || s.channelId === undefined) { b.reply(NOT_ALLOWED_NOW); return; }
  b.ask({ type: 'lookup', lookup: { kind: 'channel', channelId: s.channelId } }, 'lookup:channel', { k: 'solo.channel', kind, opts: onChainOpts(params) });
}

/** The solo tx of `kind` for the channel as it is on chain (`soloTx`), or the node's refusal. */
function soloOf(b: Builder, kind: SoloKind, onChain: ChannelObject) {
  const s = b.s;
  return soloTx(kind, {
    channelId: s.channelId!,
    me: b.me(),
    initiator: s.initiator!,
    responder: s.responder,
    state: s.offchain!,
    latest: s.signedTx!,
    onChain,
    soloClosing: s.soloClosing,
    idleOpen: s.phase === 'open' && s.round === undefined,
    ttl: s.config.options.ttl,
  });
}

function soloChannel(b: Builder, c: Extract<Cont, { k: 'solo.channel' }>, onChain: unknown): void {
  if (onChain === null) { b.reply(NOT_ALLOWED_NOW); return; }
  const solo = soloOf(b, c.kind, onChain as ChannelObject);
  if ('refuse' in solo) { b.reply(solo.refuse); return; }
  nonceOf(b, b.me(), c.opts.nonce, { k: 'solo.nonce', kind: c.kind, opts: c.opts, onChain: onChain as ChannelObject });
}

function soloNonce(b: Builder, c: Extract<Cont, { k: 'solo.nonce' }>, nonce: unknown): void {
  // (the same tx as before the nonce was known: nothing it is built from changes meanwhile)
  const solo = soloOf(b, c.kind, c.onChain);
  if ('refuse' in solo) { b.reply(solo.refuse); return; }
  const built = withMinimumFee((fee) => solo.build(fee, nonce as bigint), c.opts, b.s.config.minMinerGasPrice);
  if (!built.ok) { b.reply(reasonError(105)); return; }
  b.reply(OK);
  askSign(b, solo.tag, { tag: 'signed_tx', version: 1, signatures: [], tx: built.tx }, [], { k: 'solo', kind: c.kind, lockedUntil: c.onChain.lockedUntil });
}

/** The client signed its solo tx (or aborted): it is posted, a settle once the lock period is over. */
export function soloSigned(b: Builder, then: { readonly kind: SoloKind; readonly lockedUntil: bigint }, outcome: { signed: SignedTx } | { abort: number }): void {
  if ('abort' in outcome) { b.info('aborted_update'); return; }
  const signed = outcome.signed;
  if (then.kind === 'settle') {
    b.w.settleAfter = then.lockedUntil;postWhenUnlocked(b, signed, undefined); return; 
  }
  if (then.kind === 'snapshot_solo') {
    // The node reports the snapshot's minimum depth to the client that made it.
    watch(b, signed, { k: 'snapshot', txHash: hashOfTx(signed) });
  }
  post(b, signed, undefined);
}

/** Posts a settle once the chain is past the lock period (or keeps it for a later height); then goes on with `then`. */
export function postWhenUnlocked(b: Builder, signed: SignedTx, then: Cont | undefined): void {
  b.ask({ type: 'lookup', lookup: { kind: 'height' } }, 'lookup:height', { k: 'settle.height', signed, then });
}

function settleHeight(b: Builder, c: Extract<Cont, { k: 'settle.height' }>, height: unknown): void {
  const settleAfter = b.s.settleAfter;
  if (settleAfter !== undefined && (height as bigint) < settleAfter) {
    b.w.pendingSettle = c.signed;b.resume(c.then); return; 
  }
  b.w.pendingSettle = undefined;
  watchClose(b, c.signed);
  post(b, c.signed, c.then);
}

/** The continuations of this stage. */
export const soloResumers = {
  'solo.channel': soloChannel,
  'solo.nonce': soloNonce,
  'settle.height': settleHeight,
} as const;
