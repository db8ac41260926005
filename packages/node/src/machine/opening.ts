import { channelIdFromCreateTx, publicKeyOf } from '@aesc/crypto';
import { type SignedTx, bytesEqual, decodeApi, encodeApi } from '@aesc/encoding';
import { checkCreateTx, createTx, withMinimumFee } from '@aesc/protocol';
import { initialState } from '@aesc/state';
import type { BlockHashVerdict } from '../fsm/block-hash-delta.js';
import { NOT_SET_BLOCK_HASH } from '../fsm/block-hash-delta.js';
import { objectBytes, sameObject } from '../fsm/object-bytes.js';
import type { PeerMessage } from '../peer/peer-message.js';
import type { Builder } from './builder.js';
import { checkBlockHash, checkSigners, nonceOf, persist, pickBlockHash, post, watch, watchChain } from './lookups.js';
import { askSign, signedTxOf } from './rounds.js';
import type { Cont } from './types.js';

/**
 * Opening a channel (aesc_fsm `awaiting_connect` … `signed`): `channel_open` and
 * `channel_accept`, the create tx signed by the initiator's client (`funding_created`) and the
 * responder's (`funding_signed`), its minimum depth and both `funding_locked`.
 */

type Msg<T extends PeerMessage['type']> = PeerMessage extends infer M ? (M extends { type: infer K } ? ([T] extends [K] ? M : never) : never) : never;
const utf8 = new TextEncoder();

/** A new FSM: `fsm_up`, then the responder waits for the initiator, the initiator reaches it. */
export function start(b: Builder): void {
  const s = b.s;
  b.info('fsm_up', { fsm_id: s.config.fsmId });
  const t = s.config.options.timeouts;
  if (s.config.role === 'responder') {
    b.push({ type: 'listen' });
    b.arm('awaiting_open', t.awaitingOpen);
  } else {
    b.arm('initialized', t.initialized);
    b.push({ type: 'connect-peer' });
  }
}

/** The initiator reached the responder's FSM: `channel_open` (a new channel) or `channel_reestablish` (a restored one). */
export function peerConnected(b: Builder, tempChannelId: Uint8Array): void {
  const s = b.s;
  if (s.phase === 'reestablish_init') {
    b.toPeer({ type: 'channel_reestablish', chainHash: s.config.genesisHash, channelId: decodeApi(s.channelId!, 'ch'), tx: objectBytes(s.signedTx!) }, false);
    return;
  }
  if (s.phase !== 'awaiting_connect') return;
  b.w.tempChannelId = tempChannelId;
  b.toPeer(
    {
      type: 'channel_open',
      chainHash: s.config.genesisHash,
      tempChannelId,
      lockPeriod: Number(s.lockPeriod),
      pushAmount: s.pushAmount,
      initiatorAmount: s.initiatorAmount,
      responderAmount: s.responderAmount,
      channelReserve: s.channelReserve,
      initiator: publicKeyOf(s.initiator!),
      responder: publicKeyOf(s.responder),
    },
    false,
  );
  b.phase('initialized');
}

export function onChannelOpen(b: Builder, m: Msg<'channel_open'>): void {
  const s = b.s;
  if (!bytesEqual(m.chainHash, s.config.genesisHash)) {
    // The initiator's channel lives on another chain.
    b.toPeer({ type: 'error', channelId: m.tempChannelId, data: utf8.encode('wrong chain') });
    b.push({ type: 'close-peer' });
    b.w.peer = 0;
    return;
  }
  b.disarm('awaiting_open');
  const w = b.w;
  w.initiator = encodeApi('ak', m.initiator);
  w.tempChannelId = m.tempChannelId;
  w.lockPeriod = BigInt(m.lockPeriod);
  w.pushAmount = m.pushAmount;
  w.initiatorAmount = m.initiatorAmount;
  w.responderAmount = m.responderAmount;
  w.channelReserve = m.channelReserve;
  b.info('channel_open');
  b.toPeer(
    {
      type: 'channel_accept',
      chainHash: m.chainHash,
      tempChannelId: m.tempChannelId,
      minimumDepth: s.minDepth,
      minimumDepthStrategy: s.minDepthStrategy,
      initiatorAmount: m.initiatorAmount,
      responderAmount: m.responderAmount,
      channelReserve: m.channelReserve,
      initiator: m.initiator,
      responder: m.responder,
    },
    false,
  );
  b.phase('accepted');
  b.arm('funding_create', s.config.options.timeouts.fundingCreate);
}

/** The opening state both sides compute (the initiator's and the responder's amounts, the push). */
function openingState(b: Builder) {
  const s = b.s;
  return initialState({ initiator: s.initiator!, initiatorAmount: s.initiatorAmount, responder: s.responder, responderAmount: s.responderAmount, pushAmount: s.pushAmount });
}

export function onChannelAccept(b: Builder, m: Msg<'channel_accept'>): void {
  b.disarm('initialized');
  const w = b.w;
  w.minDepth = m.minimumDepth;
  w.minDepthStrategy = m.minimumDepthStrategy;
  b.info('channel_accept');
  b.phase('half_signed');
  b.w.offchain = openingState(b);
  nonceOf(b, b.s.initiator!, b.s.config.options.nonce, { k: 'accept.nonce' });
}

function acceptNonce(b: Builder, _c: Cont, nonce: unknown): void {
  const s = b.s;
  const o = s.config.options;
  const terms = {
    initiator: s.initiator!,
    responder: s.responder,
    initiatorAmount: s.initiatorAmount,
    responderAmount: s.responderAmount,
    pushAmount: s.pushAmount,
    channelReserve: s.channelReserve,
    lockPeriod: s.lockPeriod,
  };
  const fields = { ttl: o.ttl, stateHash: b.ctx.states.stateHash(s.offchain!.trees), nonce: nonce as bigint, version: s.config.createTxVersion };
  const built = withMinimumFee(
    (fee) => createTx(terms, fields, fee),
    { ...(o.fee === undefined ? {} : { fee: o.fee }), ...(o.gasPrice === undefined ? {} : { gasPrice: o.gasPrice }) },
    s.config.minMinerGasPrice,
  );
  if (!built.ok) {
    b.report('error', 'channels.error', { message: built.error });b.terminate('died'); return; 
  }
  const tx: SignedTx = { tag: 'signed_tx', version: 1, signatures: [], tx: built.tx };
  pickBlockHash(b, undefined, { k: 'accept.block', tx });
}

function acceptBlock(b: Builder, c: Extract<Cont, { k: 'accept.block' }>, hash: unknown): void {
  b.w.createBlockHash = (hash as Uint8Array | undefined) ?? NOT_SET_BLOCK_HASH;
  b.arm('funding_sign', b.s.config.options.timeouts.fundingSign);
  askSign(b, 'initiator_sign', c.tx, [], { k: 'initiator-create' });
}

/** The initiator's client signed the create tx (or aborted). */
export function initiatorSigned(b: Builder, outcome: { signed: SignedTx } | { abort: number }): void {
  if ('abort' in outcome) { b.terminate('died'); return; }
  b.disarm('funding_sign');
  b.w.createTx = outcome.signed;
  const s = b.s;
  b.toPeer({ type: 'funding_created', tempChannelId: s.tempChannelId, blockHash: s.createBlockHash, tx: objectBytes(outcome.signed), updates: [] });
}

export function onFundingCreated(b: Builder, m: Msg<'funding_created'>): void {
  b.disarm('funding_create');
  // Another channel's message, or a tx that is no signed tx (`check_funding_created_msg`:
  // `invalid_funding`), ends the FSM as the node's does.
  const half = bytesEqual(m.tempChannelId, b.s.tempChannelId) ? signedTxOf(m.tx) : undefined;
  if (half === undefined) { b.terminate('died'); return; }
  checkBlockHash(b, m.blockHash, { k: 'funding-created.block', half, blockHash: m.blockHash });
}

function fundingCreatedBlock(b: Builder, c: Extract<Cont, { k: 'funding-created.block' }>, verdict: unknown): void {
  // A create tx pinned to a block outside this FSM's deltas: the node's FSM stops.
  if ((verdict as BlockHashVerdict) !== 'ok') { b.terminate('died'); return; }
  b.w.createBlockHash = c.blockHash;
  b.w.offchain = openingState(b);
  const s = b.s;
  // The create tx of the agreed channel (@aesc/protocol's checkCreateTx): its participants,
  // amounts, reserve and lock period, no delegates, and the opening state's hash.
  try {
    const terms = { initiator: s.initiator!, responder: s.responder, initiatorAmount: s.initiatorAmount, responderAmount: s.responderAmount, pushAmount: s.pushAmount, channelReserve: s.channelReserve, lockPeriod: s.lockPeriod };
    checkCreateTx(c.half.tx, terms, b.ctx.states);
  } catch {
    b.info('not_create_tx');b.terminate('died'); return;
  }
  checkSigners(b, c.half, [s.initiator!], { k: 'funding-created.sig', half: c.half });
}

function fundingCreatedSig(b: Builder, c: Extract<Cont, { k: 'funding-created.sig' }>, ok: unknown): void {
  if (ok !== true) {
    b.info('bad_signature');b.terminate('died'); return; 
  }
  const channelId = channelIdFromCreateTx(c.half);
  b.w.channelId = channelId;
  b.w.reportedChannelId = channelId;
  b.push({ type: 'channel-known' });
  b.info('funding_created', { fsm_id: b.s.config.fsmId });
  b.arm('funding_sign', b.s.config.options.timeouts.fundingSign);
  askSign(b, 'responder_sign', c.half, [], { k: 'responder-create' });
}

/** The responder's client co-signed the create tx (or aborted). */
export function responderSigned(b: Builder, outcome: { signed: SignedTx } | { abort: number }): void {
  if ('abort' in outcome) { b.terminate('died'); return; }
  b.disarm('funding_sign');
  const signed = outcome.signed;
  b.w.createTx = signed;
  b.w.signedTx = signed;
  watchChain(b);
  b.phase('awaiting_locked');
  watchFunding(b, signed);
  const s = b.s;
  b.toPeer({ type: 'funding_signed', tempChannelId: s.tempChannelId, blockHash: s.createBlockHash, tx: objectBytes(signed) });
  b.onChainTx('funding_created', signed);
}

export function onFundingSigned(b: Builder, m: Msg<'funding_signed'>): void {
  const s = b.s;
  // (`check_funding_signed_msg`: another channel's message or no signed tx is `invalid_funding_ack`)
  const signed = bytesEqual(m.tempChannelId, s.tempChannelId) ? signedTxOf(m.tx) : undefined;
  if (signed === undefined) { b.terminate('died'); return; }
  if (!sameObject(signed.tx, s.createTx!.tx)) {
    b.info('bad_signature');b.terminate('died'); return; 
  }
  checkSigners(b, signed, [s.initiator!, s.responder], { k: 'funding-signed.sig', signed });
}

function fundingSignedSig(b: Builder, c: Extract<Cont, { k: 'funding-signed.sig' }>, ok: unknown): void {
  if (ok !== true) {
    b.info('bad_signature');b.terminate('died'); return; 
  }
  const signed = c.signed;
  const channelId = channelIdFromCreateTx(signed);
  const w = b.w;
  w.createTx = signed;
  w.signedTx = signed;
  w.channelId = channelId;
  w.reportedChannelId = channelId;
  b.push({ type: 'channel-known' });
  b.info('funding_signed', { fsm_id: b.s.config.fsmId });
  b.phase('awaiting_locked');
  watchChain(b);
  watchFunding(b, signed);
  post(b, signed, { k: 'funding-signed.posted', signed });
}

function watchFunding(b: Builder, signed: SignedTx): void {
  // The initiator times the funding lock; the responder's FSM goes when the initiator's does.
  if (b.s.config.role === 'initiator') b.arm('funding_lock', b.s.config.options.timeouts.fundingLock);
  watch(b, signed, { k: 'funding' });
}

/** The create tx reached its minimum depth: `own_funding_locked`, and `funding_locked` to the peer. */
export function ownFundingLocked(b: Builder, then: Cont | undefined): void {
  b.disarm('funding_lock');
  b.w.ownFundingLocked = true;
  b.info('own_funding_locked');
  if (b.s.phase === 'awaiting_locked') b.phase('signed');
  const s = b.s;
  b.toPeer({ type: 'funding_locked', tempChannelId: s.tempChannelId, channelId: decodeApi(s.channelId!, 'ch') });
  if (s.peerFundingLockedEarly) fundingLocked(b, then);
  else maybeOpen(b, then);
}

export function onFundingLocked(b: Builder, m: Msg<'funding_locked'>): void {
  const s = b.s;
  // (`check_funding_locked_msg`: the message names this channel, else the FSM stops)
  if (!bytesEqual(m.tempChannelId, s.tempChannelId) || s.channelId === undefined || !bytesEqual(m.channelId, decodeApi(s.channelId, 'ch'))) { b.terminate('died'); return; }
  // As the node (which postpones the message in awaiting_locked): the peer's lock counts once
  // this FSM has seen its own.
  fundingLocked(b, undefined);
}

function fundingLocked(b: Builder, then: Cont | undefined): void {
  if (!b.s.ownFundingLocked) {
    b.w.peerFundingLockedEarly = true;b.resume(then); return; 
  }
  b.w.peerFundingLocked = true;
  b.info('funding_locked');
  maybeOpen(b, then);
}

function maybeOpen(b: Builder, then: Cont | undefined): void {
  const s = b.s;
  if (!s.ownFundingLocked || !s.peerFundingLocked || (s.phase !== 'awaiting_locked' && s.phase !== 'signed')) { b.resume(then); return; }
  b.phase('open');
  persist(b, { k: 'opened', then });
}

/** The continuations of this stage. */
export const openingResumers = {
  'accept.nonce': acceptNonce,
  'accept.block': acceptBlock,
  'funding-created.block': fundingCreatedBlock,
  'funding-created.sig': fundingCreatedSig,
  'funding-signed.sig': fundingSignedSig,
  'funding-signed.posted': (b: Builder, c: Extract<Cont, { k: 'funding-signed.posted' }>) => b.onChainTx('funding_signed', c.signed),
  opened: (b: Builder, c: Extract<Cont, { k: 'opened' }>) => {
    b.info('open');
    b.reportUpdate();
    b.resume(c.then);
  },
} as const;
