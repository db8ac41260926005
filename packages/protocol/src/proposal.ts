import type { AccountAddress, ChannelId, ChannelDepositTx, ChannelOffchainTxV2, ChannelWithdrawTx, Transaction } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, AESC_ERROR__CHANNEL__UPDATES_MISMATCH, AescError } from '@aesc/errors';
import type { OffchainState, OffchainUpdate } from '@aesc/state';
import { type NextRound, type RoundRules, STATE_OPS, type StateOps, nextRound } from './next-round.js';
import { sameUpdates } from './same-updates.js';
import { expectTxField, expectTxType } from './tx-fields.js';

/** The rounds a participant proposes and the other co-signs: an off-chain update, a deposit, a withdrawal. */
export type ProposalKind = 'update' | 'deposit' | 'withdraw';

/** The tx type of each kind of proposal. */
export const PROPOSAL_TX_TYPES = {
  update: 'channel_offchain_tx',
  deposit: 'channel_deposit_tx',
  withdraw: 'channel_withdraw_tx',
} as const satisfies Record<ProposalKind, Transaction['tag']>;

/** The off-chain tx of an update round (version 2, as the node makes it from Lima on: no updates in it). */
export function offchainTx(channelId: ChannelId, next: NextRound): ChannelOffchainTxV2 {
  return { tag: 'channel_offchain_tx', version: 2, channelId, round: next.state.round, stateHash: next.stateHash };
}

/** What a deposit or withdrawal tx is made of, but its fee. */
export interface OnChainRoundTxFields {
  readonly channelId: ChannelId;
  /** The depositor (`fromId`) or withdrawer (`toId`). */
  readonly account: AccountAddress;
  readonly amount: bigint;
  /** The round it makes. */
  readonly next: NextRound;
  readonly ttl: bigint;
  readonly nonce: bigint;
}

/** The `channel_deposit_tx` or `channel_withdraw_tx` of a round, for a fee (`aesc_fsm:new_onchain_tx/7`). */
export function onChainRoundTx(kind: 'deposit' | 'withdraw', f: OnChainRoundTxFields, fee: bigint): ChannelDepositTx | ChannelWithdrawTx {
  const common = { channelId: f.channelId, amount: f.amount, ttl: f.ttl, fee, stateHash: f.next.stateHash, round: f.next.state.round, nonce: f.nonce };
  return kind === 'deposit'
    ? { tag: 'channel_deposit_tx', version: 1, ...common, fromId: f.account }
    : { tag: 'channel_withdraw_tx', version: 1, ...common, toId: f.account };
}

/** The channel as the participant who is asked to co-sign a proposal holds it. */
export interface ProposalContext extends RoundRules {
  readonly channelId: ChannelId;
  /** The last co-signed state. */
  readonly last: OffchainState;
}

/**
 * Checks a proposal — the tx of an update, deposit or withdrawal round and the updates it comes
 * with — against the channel, as both participants must before they sign it
 * (`aesc_fsm:check_tx/6`, `aesc_offchain_state:check_update_tx/8`):
 * - the tx is of the kind's type (7000) and of this channel (7001);
 * - an update: a version 1 off-chain tx carries exactly these updates (7004);
 * - a deposit or withdrawal: the first update is it, of the tx's account and amount (7001), and
 *   only meta updates follow (7004);
 * - the updates apply to the last co-signed state (7005), the tx's round is the next one (7001)
 *   and its state hash is the one of the state they make (7002).
 *
 * Returns the next round; throws the coded error of the first check that fails.
 *
 * @example
 * ```ts
 * const next = checkProposal('update', half.tx, updates, { channelId, last, channelReserve });
 * // sign half; next.state is the round's state once co-signed
 * ```
 */
export function checkProposal(
  kind: ProposalKind,
  tx: Transaction,
  updates: readonly OffchainUpdate[],
  ctx: ProposalContext,
  ops: StateOps = STATE_OPS,
): NextRound {
  expectTxType(tx, PROPOSAL_TX_TYPES[kind]);
  expectTxField(tx, 'channelId', ctx.channelId);
  if (tx.tag === 'channel_offchain_tx') {
    if (tx.version === 1 && !sameUpdates(tx.updates, updates)) {
      throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'the tx carries other updates' });
    }
  } else if (tx.tag === 'channel_deposit_tx' || tx.tag === 'channel_withdraw_tx') {
    checkOnChainRoundUpdates(tx, updates);
  }
  const next = nextRound(ctx.last, updates, ctx, ops);
  checkRoundAndHash(tx as Transaction & { readonly round: bigint; readonly stateHash: string }, next);
  return next;
}

/** A deposit's or withdrawal's updates: the tx's own update first, then meta updates only. */
function checkOnChainRoundUpdates(tx: ChannelDepositTx | ChannelWithdrawTx, updates: readonly OffchainUpdate[]): void {
  const [u, ...rest] = updates;
  if (tx.tag === 'channel_deposit_tx') {
    if (u?.tag !== 'channel_offchain_update_deposit') throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'a deposit without its update' });
    expectTxField(tx, 'fromId', u.from);
    expectTxField(tx, 'amount', u.amount);
  } else {
    if (u?.tag !== 'channel_offchain_update_withdraw') throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'a withdrawal without its update' });
    expectTxField(tx, 'toId', u.to);
    expectTxField(tx, 'amount', u.amount);
  }
  if (rest.some((x) => x.tag !== 'channel_offchain_update_meta')) {
    throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: `a ${tx.tag} with more than its update` });
  }
}

/** The round (7001) and state hash (7002) a tx must carry for the round it makes. */
function checkRoundAndHash(tx: Transaction & { readonly round: bigint; readonly stateHash: string }, next: NextRound): void {
  expectTxField(tx, 'round', next.state.round);
  if (tx.stateHash !== next.stateHash) {
    throw new AescError(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, { tx: tx.tag, expected: next.stateHash, actual: tx.stateHash });
  }
}
