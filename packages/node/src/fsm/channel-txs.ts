import type { AccountAddress, ChannelId, Transaction } from '@aesc/encoding';
import { type OffchainState, type OffchainUpdate, balanceOf, payCloseMutualFee } from '@aesc/state';
import { type FeeOptions, withMinimumFee } from './fees.js';

/**
 * The txs a node FSM builds for its client to sign, as pure functions of the channel and the
 * request: the create tx, a round's off-chain, deposit or withdrawal tx, and the close_mutual.
 */

const utf8 = new TextEncoder();

/** The updates of a transfer request: the transfer, then one meta update per `meta` string. */
export function transferUpdates(from: AccountAddress, to: AccountAddress, amount: bigint, meta: readonly string[] | undefined): OffchainUpdate[] {
  const updates: OffchainUpdate[] = [{ tag: 'channel_offchain_update_transfer', version: 1, from, to, amount }];
  for (const data of meta ?? []) updates.push({ tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode(data) } as OffchainUpdate);
  return updates;
}

/** The updates of a deposit or withdrawal of `amount` by `account`, then one meta update per `meta` string. */
export function depositOrWithdrawUpdates(kind: 'deposit' | 'withdraw', account: AccountAddress, amount: bigint, meta: readonly string[] | undefined): OffchainUpdate[] {
  const updates: OffchainUpdate[] = [
    kind === 'deposit'
      ? { tag: 'channel_offchain_update_deposit', version: 1, from: account, amount }
      : { tag: 'channel_offchain_update_withdraw', version: 1, to: account, amount },
  ];
  for (const data of meta ?? []) updates.push({ tag: 'channel_offchain_update_meta', version: 2, data: utf8.encode(data) } as OffchainUpdate);
  return updates;
}

/** What a create tx is made of. */
export interface CreateTxFields {
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
  readonly ttl: bigint;
  readonly stateHash: string;
  readonly nonce: bigint;
  readonly version: 1 | 2;
}

/** The channel's create tx with the node's fee (see {@link withMinimumFee}). */
export function createTx(f: CreateTxFields, fees: FeeOptions, minMinerGasPrice: bigint): ReturnType<typeof withMinimumFee<Transaction>> {
  const base = {
    tag: 'channel_create_tx' as const,
    initiatorId: f.initiator,
    initiatorAmount: f.initiatorAmount,
    responderId: f.responder,
    responderAmount: f.responderAmount,
    channelReserve: f.channelReserve,
    lockPeriod: f.lockPeriod,
    ttl: f.ttl,
    stateHash: f.stateHash,
    nonce: f.nonce,
  };
  return withMinimumFee<Transaction>(
    (fee) =>
      f.version === 1
        ? ({ ...base, version: 1, fee, delegateIds: [] } as Transaction)
        : ({ ...base, version: 2, fee, initiatorDelegateIds: [], responderDelegateIds: [] } as Transaction),
    fees,
    minMinerGasPrice,
  );
}

/** A round's off-chain tx (no fee: it never goes on chain by itself). */
export function offchainTx(channelId: ChannelId, round: bigint, stateHash: string): Transaction {
  return { tag: 'channel_offchain_tx', version: 2, channelId, round, stateHash } as Transaction;
}

/** A deposit or withdrawal's on-chain tx with the node's fee. */
export function depositOrWithdrawTx(
  kind: 'deposit' | 'withdraw',
  f: { readonly channelId: ChannelId; readonly account: AccountAddress; readonly amount: bigint; readonly ttl: bigint; readonly stateHash: string; readonly round: bigint; readonly nonce: bigint },
  fees: FeeOptions,
  minMinerGasPrice: bigint,
): ReturnType<typeof withMinimumFee<Transaction>> {
  const base = { channelId: f.channelId, amount: f.amount, ttl: f.ttl, stateHash: f.stateHash, round: f.round, nonce: f.nonce };
  return withMinimumFee<Transaction>(
    (fee) =>
      (kind === 'deposit'
        ? { tag: 'channel_deposit_tx', version: 1, ...base, fromId: f.account, fee }
        : { tag: 'channel_withdraw_tx', version: 1, ...base, toId: f.account, fee }) as Transaction,
    fees,
    minMinerGasPrice,
  );
}

/**
 * The close_mutual tx `from` proposes: the latest balances, less the fee split as the node splits
 * it (`payCloseMutualFee`); undefined when the fee cannot be computed or the balances cannot pay it.
 */
export function closeMutualTx(
  f: { readonly channelId: ChannelId; readonly from: AccountAddress; readonly initiator: AccountAddress; readonly responder: AccountAddress; readonly state: OffchainState; readonly ttl: bigint; readonly nonce: bigint },
  fees: FeeOptions,
  minMinerGasPrice: bigint,
): Transaction | undefined {
  const i = balanceOf(f.state.trees, f.initiator) ?? 0n;
  const r = balanceOf(f.state.trees, f.responder) ?? 0n;
  const build = (fee: bigint, ia: bigint, ra: bigint) =>
    ({ tag: 'channel_close_mutual_tx', version: 1, channelId: f.channelId, fromId: f.from, initiatorAmountFinal: ia, responderAmountFinal: ra, ttl: f.ttl, fee, nonce: f.nonce }) as Transaction;
  const first = withMinimumFee((fee) => build(fee, i, r), fees, minMinerGasPrice);
  if (!first.ok) return undefined;
  const fee = (first.tx as { fee: bigint }).fee;
  const split = payCloseMutualFee(fee, i, r);
  if (split === undefined) return undefined;
  return build(fee, split.initiatorAmountFinal, split.responderAmountFinal);
}
