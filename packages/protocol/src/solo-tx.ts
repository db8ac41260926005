import {
  type AccountAddress,
  type ChannelCloseSoloTx,
  type ChannelId,
  type ChannelSettleTx,
  type ChannelSlashTx,
  type ChannelSnapshotSoloTx,
  type SignedTx,
  type Transaction,
  bytesEqual,
  encodeObject,
} from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, AescError } from '@aesc/errors';
import { type OffchainState, balanceOf, buildPoi, encodedOffchainStateHash, poiBalances, verifyPoi } from '@aesc/state';
import { innerTx } from './inner-tx.js';
import { expectTxField } from './tx-fields.js';

/** The txs a participant posts alone. */
export type SoloKind = 'close_solo' | 'slash' | 'settle' | 'snapshot_solo';

/** A solo tx. */
export type SoloTx = ChannelCloseSoloTx | ChannelSlashTx | ChannelSettleTx | ChannelSnapshotSoloTx;

/**
 * Why the node's FSM refuses to build a solo tx, as its error reason code: 1018 "Not allowed at
 * current channel state", 1012 the latest state is no off-chain tx (`not_offchain_tx`), 1013 the
 * chain has that round already (`already_onchain`).
 */
export type SoloRefusal = 1018 | 1012 | 1013;

/** What {@link soloTx} builds from: the channel as a participant's FSM and as the chain see it. */
export interface SoloTxContext {
  readonly channelId: ChannelId;
  /** The participant who posts it. */
  readonly me: AccountAddress;
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  /** The latest co-signed state and the tx that signs it. */
  readonly state: OffchainState;
  readonly latest: SignedTx;
  /** The channel on chain: its round and the height its lock period ends at (0 while not closing). */
  readonly onChain: { readonly round: bigint; readonly lockedUntil: bigint };
  /** A solo close of this channel is under way (seen on chain). */
  readonly soloClosing: boolean;
  /** The FSM is open with no round in flight (what a close_solo and a snapshot need). */
  readonly idleOpen: boolean;
  readonly ttl: bigint;
}

/**
 * The payload a slash or snapshot carries, and a close_solo unless the chain has the round already:
 * the latest co-signed tx when it is an off-chain tx (`aesc_utils:is_offchain_tx/1`, inside any
 * generalized-account meta txs), else null (the latest round was made on chain).
 */
export function latestPayload(latest: SignedTx): SignedTx | null {
  return innerTx(latest).tx.tag === 'channel_offchain_tx' ? latest : null;
}

/**
 * A solo tx as the node's FSM builds it (`aesc_fsm` `close_solo`, `slash`, `settle`,
 * `snapshot_solo`), for a fee and nonce given later (the FSM asks the chain for the nonce only once
 * the request is allowed), or the node's refusal:
 * - close_solo and snapshot_solo only while the channel is open and not closing; close_solo
 *   carries the latest state as payload unless the chain has that round already (then an empty
 *   payload), with a PoI of both accounts;
 * - slash and settle only while it is closing; slash needs a later round than the chain's;
 * - settle pays out the latest state's balances;
 * - snapshot_solo needs an off-chain tx as the latest state (1012) that the chain does not have
 *   yet (1013).
 *
 * @example
 * ```ts
 * const solo = soloTx('settle', context);
 * if ('refuse' in solo) reply(solo.refuse); else sign(solo.build(fee, nonce));
 * ```
 */
export function soloTx(kind: SoloKind, c: SoloTxContext): { readonly build: (fee: bigint, nonce: bigint) => SoloTx } | { readonly refuse: SoloRefusal } {
  const solo = c.onChain.lockedUntil > 0n || c.soloClosing;
  if ((kind === 'slash' || kind === 'settle') && !solo) return { refuse: 1018 };
  if ((kind === 'close_solo' || kind === 'snapshot_solo') && (solo || !c.idleOpen)) return { refuse: 1018 };
  const common = (nonce: bigint) => ({ channelId: c.channelId, fromId: c.me, ttl: c.ttl, nonce });
  const poi = () => buildPoi(c.state.trees, { accounts: [c.initiator, c.responder] });
  switch (kind) {
    case 'close_solo': {
      const payload = c.state.round === c.onChain.round ? null : c.latest;
      return { build: (fee, nonce) => ({ tag: 'channel_close_solo_tx', version: 1, ...common(nonce), payload, poi: poi(), fee }) };
    }
    case 'slash':
      if (c.state.round <= c.onChain.round) return { refuse: 1018 };
      return { build: (fee, nonce) => ({ tag: 'channel_slash_tx', version: 1, ...common(nonce), payload: c.latest, poi: poi(), fee }) };
    case 'settle': {
      const i = balanceOf(c.state.trees, c.initiator) ?? 0n;
      const r = balanceOf(c.state.trees, c.responder) ?? 0n;
      return { build: (fee, nonce) => ({ tag: 'channel_settle_tx', version: 1, ...common(nonce), initiatorAmountFinal: i, responderAmountFinal: r, fee }) };
    }
    case 'snapshot_solo': {
      const payload = latestPayload(c.latest);
      if (payload === null) return { refuse: 1012 };
      if (c.state.round <= c.onChain.round) return { refuse: 1013 };
      return { build: (fee, nonce) => ({ tag: 'channel_snapshot_solo_tx', version: 1, ...common(nonce), payload, fee }) };
    }
  }
}

/** The latest co-signed round a solo tx must be about. */
export interface SoloCheckContext {
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  /** Who posts it (`from_id`). */
  readonly from: AccountAddress;
  /** The latest co-signed round: its state and the signed tx that made it. */
  readonly latest: { readonly state: OffchainState; readonly tx: SignedTx };
}

/**
 * Checks a close_solo, slash or snapshot_solo against the latest co-signed round, as the
 * participant who posts it must before signing: from that participant (7001); the payload is
 * the latest co-signed off-chain tx ({@link latestPayload}; a slash and a snapshot need one: a
 * round made on chain cannot be slashed with or posted again), else empty (7007); a close's or
 * slash's PoI proves the latest state and its two balances (7007).
 */
export function checkSoloTx(tx: ChannelCloseSoloTx | ChannelSlashTx | ChannelSnapshotSoloTx, ctx: SoloCheckContext): void {
  expectTxField(tx, 'fromId', ctx.from);
  const expected = latestPayload(ctx.latest.tx);
  if (expected === null && tx.tag !== 'channel_close_solo_tx') {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the last co-signed round is on chain already' });
  }
  const same = expected === null ? tx.payload === null : tx.payload !== null && bytesEqual(encodeObject(tx.payload), encodeObject(expected));
  if (!same) throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the payload is not the latest co-signed state' });
  if (tx.tag !== 'channel_snapshot_solo_tx') checkPoi(tx, ctx);
}

function checkPoi(tx: ChannelCloseSoloTx | ChannelSlashTx, ctx: SoloCheckContext): void {
  const state = ctx.latest.state;
  try {
    verifyPoi(tx.poi, encodedOffchainStateHash(state));
  } catch (e) {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the PoI does not prove the latest state' }, { cause: e });
  }
  let proven: bigint[];
  try {
    proven = poiBalances(tx.poi, [ctx.initiator, ctx.responder]);
  } catch (e) {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: "the PoI lacks a participant's account" }, { cause: e });
  }
  const held = [balanceOf(state.trees, ctx.initiator), balanceOf(state.trees, ctx.responder)];
  if (proven[0] !== held[0] || proven[1] !== held[1]) {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the PoI balances are not the latest ones' });
  }
}

/** The final amounts a settle must pay out. */
export interface SettleAmounts {
  readonly initiatorAmountFinal: bigint;
  readonly responderAmountFinal: bigint;
}

/** Checks a settle: from the participant who posts it, paying exactly `amounts` (7001). */
export function checkSettleTx(tx: ChannelSettleTx, from: AccountAddress, amounts: SettleAmounts): void {
  expectTxField(tx, 'fromId', from);
  expectTxField(tx, 'initiatorAmountFinal', amounts.initiatorAmountFinal);
  expectTxField(tx, 'responderAmountFinal', amounts.responderAmountFinal);
}

/** Whether a transaction is one a participant posts alone. */
export function isSoloTx(tx: Transaction): tx is SoloTx {
  return tx.tag === 'channel_close_solo_tx' || tx.tag === 'channel_slash_tx' || tx.tag === 'channel_settle_tx' || tx.tag === 'channel_snapshot_solo_tx';
}
