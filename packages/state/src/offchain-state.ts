import { type AccountAddress, type StateHash, bytesEqual, decodeApi } from '@aesc/encoding';
import { AESC_ERROR__STATE__INVALID_PARTICIPANTS, AESC_ERROR__STATE__NEGATIVE_AMOUNT, AescError } from '@aesc/errors';
import { accountBalance, newAccountValue } from './account.js';
import { emptyMpt, mptGet, mptPut } from './mpt.js';
import { type ApplyOptions, type OffchainUpdate, applyUpdate } from './offchain-update.js';
import { type TreeSet, emptyTreeSet, encodedStateHashOf, stateHashOf, withTree } from './tree-set.js';

// aesc_offchain_state.erl: new_/1, make_update_tx/7 (apply_updates/6), balance/2.

/**
 * A channel's off-chain state at one round: the state trees after the round's updates. Immutable;
 * each round shares every unchanged tree node with the previous one, so keeping past rounds is
 * cheap.
 */
export interface OffchainState {
  /** The round: 1 after the create tx, then one more per co-signed update, deposit or withdrawal. */
  readonly round: bigint;
  readonly trees: TreeSet;
}

/** The opening parameters the initial state is built from (those of the `channel_create_tx`). */
export interface InitialStateParams {
  readonly initiator: AccountAddress;
  readonly initiatorAmount: bigint;
  readonly responder: AccountAddress;
  readonly responderAmount: bigint;
  /** Moved from the initiator to the responder at opening (`push_amount`). Default 0. */
  readonly pushAmount?: bigint;
}

/**
 * The state at opening (`aesc_offchain_state:new_/1`, round 1): an accounts tree with the
 * initiator holding `initiatorAmount − pushAmount` and the responder `responderAmount +
 * pushAmount` (version 1 accounts, nonce 0); every other tree empty. Its state hash is the one the
 * create tx carries.
 */
export function initialState(params: InitialStateParams): OffchainState {
  const push = params.pushAmount ?? 0n;
  const i = decodeApi(params.initiator, 'ak');
  const r = decodeApi(params.responder, 'ak');
  if (bytesEqual(i, r)) throw new AescError(AESC_ERROR__STATE__INVALID_PARTICIPANTS, { reason: 'initiator is responder' });
  for (const [what, amount] of [
    ['initiator amount', params.initiatorAmount - push],
    ['responder amount', params.responderAmount + push],
    ['push amount', push],
  ] as const) {
    if (amount < 0n) throw new AescError(AESC_ERROR__STATE__NEGATIVE_AMOUNT, { op: what, amount: amount.toString() });
  }
  let accounts = emptyMpt();
  accounts = mptPut(accounts, i, newAccountValue(params.initiatorAmount - push));
  accounts = mptPut(accounts, r, newAccountValue(params.responderAmount + push));
  return { round: 1n, trees: withTree(emptyTreeSet(), 'accounts', accounts) };
}

/**
 * Applies a round's updates in order (`make_update_tx/7`): the calls tree is pruned first, as the
 * node does before every round, then each update is applied with {@link applyUpdate}. Returns the
 * state of the next round; on any violation throws the update's coded error and the given state
 * stays as it was.
 */
export function applyUpdates(state: OffchainState, updates: readonly OffchainUpdate[], options: ApplyOptions = {}): OffchainState {
  let trees = withTree(state.trees, 'calls', emptyMpt(state.trees.calls.source));
  for (const update of updates) trees = applyUpdate(trees, update, options);
  return { round: state.round + 1n, trees };
}

/** The state hash of the state (32 bytes). */
export function offchainStateHash(state: OffchainState): Uint8Array {
  return stateHashOf(state.trees);
}

/** The state hash of the state as an API string (`st_…`). */
export function encodedOffchainStateHash(state: OffchainState): StateHash {
  return encodedStateHashOf(state.trees);
}

/** The balance of an account in the trees, or undefined when it has none (`aesc_offchain_state:balance/2`). */
export function balanceOf(trees: TreeSet, account: AccountAddress): bigint | undefined {
  const value = mptGet(trees.accounts, decodeApi(account, 'ak'));
  return value === undefined ? undefined : accountBalance(value);
}

/** The balances of the given accounts; accounts without one are left out (as `channels.get.balances`). */
export function balancesOf(trees: TreeSet, accounts: readonly AccountAddress[]): { account: AccountAddress; balance: bigint }[] {
  const out: { account: AccountAddress; balance: bigint }[] = [];
  for (const account of accounts) {
    const balance = balanceOf(trees, account);
    if (balance !== undefined) out.push({ account, balance });
  }
  return out;
}
