import type { AccountAddress, ChannelCloseMutualTx, ChannelId, Transaction } from '@aesc/encoding';
import { type OffchainState, balanceOf } from '@aesc/state';
import { type FeeOptions, expectMinimumFee, withMinimumFee } from './fees.js';
import { expectTxField, expectTxType, txFieldMismatch } from './tx-fields.js';

/** The final amounts of a mutual close. */
export interface CloseMutualSplit {
  readonly initiatorAmountFinal: bigint;
  readonly responderAmountFinal: bigint;
}

/**
 * How a mutual close pays its fee out of the two final balances (`aesc_fsm:pay_close_mutual_fee/3`):
 * half each (the initiator pays the odd unit), or whatever one side lacks the other pays. Returns
 * undefined when the balances cannot cover the fee.
 *
 * @example
 * ```ts
 * payCloseMutualFee(11n, 100n, 100n); // { initiatorAmountFinal: 94n, responderAmountFinal: 95n }
 * ```
 */
export function payCloseMutualFee(fee: bigint, initiatorAmount: bigint, responderAmount: bigint): CloseMutualSplit | undefined {
  const ceil = (fee + 1n) / 2n;
  const floor = fee / 2n;
  if (initiatorAmount + responderAmount < fee) return undefined;
  if (initiatorAmount >= ceil && responderAmount >= floor) {
    return { initiatorAmountFinal: initiatorAmount - ceil, responderAmountFinal: responderAmount - floor };
  }
  if (responderAmount >= ceil && initiatorAmount >= floor) {
    return { initiatorAmountFinal: initiatorAmount - floor, responderAmountFinal: responderAmount - ceil };
  }
  if (initiatorAmount > responderAmount) {
    return { initiatorAmountFinal: initiatorAmount - fee + responderAmount, responderAmountFinal: 0n };
  }
  return { initiatorAmountFinal: 0n, responderAmountFinal: responderAmount - fee + initiatorAmount };
}

/** The channel a mutual close closes, and who proposes it. */
export interface CloseMutualContext {
  readonly channelId: ChannelId;
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  /** The latest co-signed state, whose balances are paid out. */
  readonly state: OffchainState;
  /** The participant who proposes the close (`from_id`). */
  readonly from: AccountAddress;
}

/** The final amounts a close of `state` pays for `fee`, or undefined when its balances cannot cover the fee. */
export function closeMutualSplit(ctx: Pick<CloseMutualContext, 'initiator' | 'responder' | 'state'>, fee: bigint): CloseMutualSplit | undefined {
  const i = balanceOf(ctx.state.trees, ctx.initiator) ?? 0n;
  const r = balanceOf(ctx.state.trees, ctx.responder) ?? 0n;
  return payCloseMutualFee(fee, i, r);
}

/**
 * The close_mutual the proposer's FSM builds (`aesc_fsm:new_onchain_tx/7`): its fee computed on the
 * tx with the whole balances (`withMinimumFee`), then paid out of them by {@link payCloseMutualFee}.
 * Undefined when no fee can be computed or the balances cannot cover it.
 */
export function closeMutualTx(
  ctx: CloseMutualContext & { readonly ttl: bigint; readonly nonce: bigint },
  options: FeeOptions,
  minMinerGasPrice: bigint,
): ChannelCloseMutualTx | undefined {
  const i = balanceOf(ctx.state.trees, ctx.initiator) ?? 0n;
  const r = balanceOf(ctx.state.trees, ctx.responder) ?? 0n;
  const build = (fee: bigint, initiatorAmountFinal: bigint, responderAmountFinal: bigint): ChannelCloseMutualTx => ({
    tag: 'channel_close_mutual_tx',
    version: 1,
    channelId: ctx.channelId,
    fromId: ctx.from,
    initiatorAmountFinal,
    responderAmountFinal,
    ttl: ctx.ttl,
    fee,
    nonce: ctx.nonce,
  });
  const first = withMinimumFee((fee) => build(fee, i, r), options, minMinerGasPrice);
  if (!first.ok) return undefined;
  const { fee } = first.tx;
  const split = payCloseMutualFee(fee, i, r);
  return split === undefined ? undefined : build(fee, split.initiatorAmountFinal, split.responderAmountFinal);
}

/** What a participant checks a close_mutual against, beyond its channel and state. */
export interface CloseMutualChecks {
  /** The tx's `ttl` must be this one (the node's acker builds its own close with its channel's ttl and compares). */
  readonly ttl?: bigint;
  /** The fee must pay the chain's minimum (`aetx:min_fee/3`; 11000 otherwise). */
  readonly minimumFee?: boolean;
}

/**
 * Checks a close_mutual against the latest co-signed state, as the participant asked to co-sign it
 * must (`aesc_fsm:check_shutdown_msg/2` builds the close it would make with the proposer's fee and
 * nonce and compares the two): of this channel (7000, 7001), from the proposer (7001), a fee the
 * balances can pay and final amounts that are exactly the balances less the fee as
 * {@link payCloseMutualFee} splits it — not merely the same sum (7001); with `checks`, its ttl
 * (7001) and a fee at least the chain's minimum (11000).
 *
 * @example
 * ```ts
 * checkCloseMutual(half.tx, { channelId, initiator, responder, state: latest, from: peer });
 * ```
 */
export function checkCloseMutual(tx: Transaction, ctx: CloseMutualContext, checks: CloseMutualChecks = {}): void {
  expectTxType(tx, 'channel_close_mutual_tx');
  expectTxField(tx, 'channelId', ctx.channelId);
  expectTxField(tx, 'fromId', ctx.from);
  if (checks.ttl !== undefined) expectTxField(tx, 'ttl', checks.ttl);
  const split = closeMutualSplit(ctx, tx.fee);
  if (split === undefined) txFieldMismatch(tx.tag, 'fee', 'at most the channel balance', tx.fee);
  expectTxField(tx, 'initiatorAmountFinal', split.initiatorAmountFinal);
  expectTxField(tx, 'responderAmountFinal', split.responderAmountFinal);
  if (checks.minimumFee === true) expectMinimumFee(tx);
}
