import {
  type AccountAddress,
  type ChannelId,
  type SignedTx,
  type Transaction,
  bytesEqual,
  encodeObject,
} from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__FEE_TOO_HIGH,
  AESC_ERROR__CHANNEL__INVALID_UPDATE,
  AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH,
  AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH,
  AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH,
  AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE,
  AESC_ERROR__CHANNEL__UPDATES_MISMATCH,
  AescError,
  isAescError,
} from '@aesc/errors';
import {
  type OffchainState,
  type OffchainUpdate,
  applyUpdates,
  balanceOf,
  encodedOffchainStateHash,
  initialState,
  poiBalances,
  verifyPoi,
} from '@aesc/state';
import { payCloseMutualFee } from '@aesc/state';

/** The abort code a client answers a refused sign request with: 1, "validation error" (aesc_codec.hrl). */
export const ABORT_VALIDATION_ERROR = 1;

/** What the client knows of its channel when the node asks it to sign. */
export interface ChannelView {
  /** Unknown (undefined) while the create tx is being signed. */
  readonly channelId: ChannelId | undefined;
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  /** Who this client is. */
  readonly self: AccountAddress;
  readonly channelReserve: bigint;
  /** The last co-signed round: its state and the signed tx that made it (undefined before the create tx). */
  readonly lastCoSigned: { readonly state: OffchainState; readonly tx: SignedTx } | undefined;
  /**
   * The highest fee this client signs for on-chain transactions it pays for or that pay out of the
   * channel (unless it gave the fee itself); a peer's deposit or withdrawal pays its own fee.
   */
  readonly maxFee?: bigint;
}

/** On-chain options a client may set on its own requests (`fee`, `nonce`, `ttl`). */
export interface OnChainOptions {
  readonly fee?: bigint;
  /**
   * The lowest fee accepted: when a client gives both fee and gas price, the node uses the larger
   * of that fee and the minimum fee at that gas price (`aesc_fsm`), so the fee is only a floor.
   */
  readonly minFee?: bigint;
  readonly nonce?: bigint;
  readonly ttl?: bigint;
}

/**
 * What the client expects to be asked to sign: its own request, or a peer's proposal (whose
 * updates the node reports with the sign request).
 */
export type SignExpectation =
  | ({
      readonly kind: 'create';
      readonly initiatorAmount: bigint;
      readonly responderAmount: bigint;
      readonly pushAmount: bigint;
      readonly lockPeriod: bigint;
    } & OnChainOptions)
  | { readonly kind: 'offchain'; readonly updates: readonly OffchainUpdate[] }
  | ({ readonly kind: 'deposit'; readonly from: AccountAddress; readonly amount: bigint } & OnChainOptions)
  | ({ readonly kind: 'withdraw'; readonly to: AccountAddress; readonly amount: bigint } & OnChainOptions)
  | ({ readonly kind: 'close-mutual'; readonly from: AccountAddress } & OnChainOptions)
  | ({ readonly kind: 'close-solo' } & OnChainOptions)
  | ({ readonly kind: 'slash' } & OnChainOptions)
  | ({ readonly kind: 'snapshot-solo' } & OnChainOptions)
  | ({ readonly kind: 'settle'; readonly initiatorAmount: bigint; readonly responderAmount: bigint } & OnChainOptions);

/** A sign request that passed every check: the state it leads to (for rounds that change the state). */
export interface SignApproval {
  readonly ok: true;
  readonly nextState?: OffchainState;
}

/** A refused sign request: never sign; answer with `abortCode` and report `error` to the app. */
export interface SignRefusal {
  readonly ok: false;
  readonly abortCode: number;
  readonly error: AescError;
}

const TX_FOR: Record<SignExpectation['kind'], Transaction['tag']> = {
  create: 'channel_create_tx',
  offchain: 'channel_offchain_tx',
  deposit: 'channel_deposit_tx',
  withdraw: 'channel_withdraw_tx',
  'close-mutual': 'channel_close_mutual_tx',
  'close-solo': 'channel_close_solo_tx',
  slash: 'channel_slash_tx',
  'snapshot-solo': 'channel_snapshot_solo_tx',
  settle: 'channel_settle_tx',
};

function mismatch(tx: string, field: string, expected: unknown, actual: unknown): never {
  throw new AescError(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH, { tx, field, expected: String(expected), actual: String(actual) });
}

function expectField(tx: Transaction, field: string, expected: unknown): void {
  const actual = (tx as unknown as Record<string, unknown>)[field];
  if (actual !== expected) mismatch(tx.tag, field, expected, actual);
}

function checkOnChain(view: ChannelView, tx: Transaction & { fee: bigint; nonce: bigint; ttl: bigint }, opts: OnChainOptions): void {
  if (opts.fee !== undefined) expectField(tx, 'fee', opts.fee);
  if (opts.minFee !== undefined && tx.fee < opts.minFee) mismatch(tx.tag, 'fee', `at least ${opts.minFee}`, tx.fee);
  if (opts.nonce !== undefined) expectField(tx, 'nonce', opts.nonce);
  if (opts.ttl !== undefined) expectField(tx, 'ttl', opts.ttl);
  // The limit is for fees the node chose: a fee the client gave itself is signed as given (and one
  // it gave with a gas price is a floor the limit does not go below).
  if (view.maxFee !== undefined && opts.fee === undefined) {
    const limit = opts.minFee !== undefined && opts.minFee > view.maxFee ? opts.minFee : view.maxFee;
    if (tx.fee > limit) throw new AescError(AESC_ERROR__CHANNEL__FEE_TOO_HIGH, { tx: tx.tag, fee: tx.fee.toString(), limit: limit.toString() });
  }
}

function lastOf(view: ChannelView): { readonly state: OffchainState; readonly tx: SignedTx } {
  if (view.lastCoSigned === undefined) {
    throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'the channel has no co-signed state yet' });
  }
  return view.lastCoSigned;
}

function nextState(view: ChannelView, updates: readonly OffchainUpdate[]): OffchainState {
  const last = lastOf(view);
  try {
    return applyUpdates(last.state, updates, { channelReserve: view.channelReserve });
  } catch (e) {
    if (isAescError(e)) throw new AescError(AESC_ERROR__CHANNEL__INVALID_UPDATE, { reason: e.message }, { cause: e });
    throw e;
  }
}

function checkRoundAndHash(tx: Transaction & { round: bigint; stateHash: string }, next: OffchainState): void {
  expectField(tx, 'round', next.round);
  const expected = encodedOffchainStateHash(next);
  if (tx.stateHash !== expected) {
    throw new AescError(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, { tx: tx.tag, expected, actual: tx.stateHash });
  }
}

/** The latest co-signed off-chain tx as a solo close, slash or snapshot must carry it (null after an on-chain round). */
function expectedPayload(view: ChannelView): SignedTx | null {
  const last = lastOf(view).tx;
  let inner = last.tx;
  while (inner.tag === 'ga_meta_tx') inner = inner.tx.tx;
  return inner.tag === 'channel_offchain_tx' ? last : null;
}

function checkPayload(view: ChannelView, tx: Transaction & { payload: SignedTx | null }, required: boolean): void {
  const expected = expectedPayload(view);
  if (expected === null && required) {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the last co-signed round is on chain already' });
  }
  const same =
    expected === null ? tx.payload === null : tx.payload !== null && bytesEqual(encodeObject(tx.payload), encodeObject(expected));
  if (!same) {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the payload is not the latest co-signed state' });
  }
}

function checkPoi(view: ChannelView, tx: Extract<Transaction, { tag: 'channel_close_solo_tx' | 'channel_slash_tx' }>): void {
  const state = lastOf(view).state;
  try {
    verifyPoi(tx.poi, encodedOffchainStateHash(state));
  } catch (e) {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the PoI does not prove the latest state' }, { cause: e });
  }
  const proven = poiBalances(tx.poi, [view.initiator, view.responder]);
  const held = [balanceOf(state.trees, view.initiator), balanceOf(state.trees, view.responder)];
  if (proven[0] !== held[0] || proven[1] !== held[1]) {
    throw new AescError(AESC_ERROR__CHANNEL__PAYLOAD_MISMATCH, { tx: tx.tag, reason: 'the PoI balances are not the latest ones' });
  }
}

function check(view: ChannelView, expectation: SignExpectation, signed: SignedTx): OffchainState | undefined {
  const tx = signed.tx;
  const expectedTag = TX_FOR[expectation.kind];
  if (tx.tag !== expectedTag) {
    throw new AescError(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE, { expected: expectedTag, actual: tx.tag });
  }
  if (expectation.kind !== 'create') expectField(tx, 'channelId', view.channelId);
  switch (expectation.kind) {
    case 'create': {
      if (tx.tag !== 'channel_create_tx') break;
      expectField(tx, 'initiatorId', view.initiator);
      expectField(tx, 'responderId', view.responder);
      expectField(tx, 'initiatorAmount', expectation.initiatorAmount);
      expectField(tx, 'responderAmount', expectation.responderAmount);
      expectField(tx, 'channelReserve', view.channelReserve);
      expectField(tx, 'lockPeriod', expectation.lockPeriod);
      // Delegates may post solo txs for a participant; this client names none (nor does the node's FSM).
      const delegates = tx.version === 1 ? tx.delegateIds : [...tx.initiatorDelegateIds, ...tx.responderDelegateIds];
      if (delegates.length > 0) mismatch(tx.tag, 'delegates', 'none', delegates.join(' '));
      checkOnChain(view, tx, expectation);
      const next = initialState({
        initiator: view.initiator,
        initiatorAmount: expectation.initiatorAmount,
        responder: view.responder,
        responderAmount: expectation.responderAmount,
        pushAmount: expectation.pushAmount,
      });
      const hash = encodedOffchainStateHash(next);
      if (tx.stateHash !== hash) {
        throw new AescError(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, { tx: tx.tag, expected: hash, actual: tx.stateHash });
      }
      return next;
    }
    case 'offchain': {
      if (tx.tag !== 'channel_offchain_tx') break;
      if (tx.version === 1 && !sameUpdates(tx.updates, expectation.updates)) {
        throw new AescError(AESC_ERROR__CHANNEL__UPDATES_MISMATCH, { reason: 'the tx carries other updates' });
      }
      const next = nextState(view, expectation.updates);
      checkRoundAndHash(tx, next);
      return next;
    }
    case 'deposit':
    case 'withdraw': {
      if (tx.tag !== 'channel_deposit_tx' && tx.tag !== 'channel_withdraw_tx') break;
      const account = expectation.kind === 'deposit' ? expectation.from : expectation.to;
      expectField(tx, tx.tag === 'channel_deposit_tx' ? 'fromId' : 'toId', account);
      expectField(tx, 'amount', expectation.amount);
      checkOnChain(view, tx, expectation);
      const update: OffchainUpdate =
        expectation.kind === 'deposit'
          ? { tag: 'channel_offchain_update_deposit', version: 1, from: account, amount: expectation.amount }
          : { tag: 'channel_offchain_update_withdraw', version: 1, to: account, amount: expectation.amount };
      const next = nextState(view, [update]);
      checkRoundAndHash(tx, next);
      return next;
    }
    case 'close-mutual': {
      if (tx.tag !== 'channel_close_mutual_tx') break;
      expectField(tx, 'fromId', expectation.from);
      checkOnChain(view, tx, expectation);
      const state = lastOf(view).state;
      const split = payCloseMutualFee(
        tx.fee,
        balanceOf(state.trees, view.initiator) ?? 0n,
        balanceOf(state.trees, view.responder) ?? 0n,
      );
      if (split === undefined) mismatch(tx.tag, 'fee', 'at most the channel balance', tx.fee);
      expectField(tx, 'initiatorAmountFinal', split.initiatorAmountFinal);
      expectField(tx, 'responderAmountFinal', split.responderAmountFinal);
      return undefined;
    }
    case 'close-solo':
    case 'slash': {
      if (tx.tag !== 'channel_close_solo_tx' && tx.tag !== 'channel_slash_tx') break;
      expectField(tx, 'fromId', view.self);
      checkOnChain(view, tx, expectation);
      checkPayload(view, tx, expectation.kind === 'slash');
      checkPoi(view, tx);
      return undefined;
    }
    case 'snapshot-solo': {
      if (tx.tag !== 'channel_snapshot_solo_tx') break;
      expectField(tx, 'fromId', view.self);
      checkOnChain(view, tx, expectation);
      checkPayload(view, tx, true);
      return undefined;
    }
    case 'settle': {
      if (tx.tag !== 'channel_settle_tx') break;
      expectField(tx, 'fromId', view.self);
      checkOnChain(view, tx, expectation);
      expectField(tx, 'initiatorAmountFinal', expectation.initiatorAmount);
      expectField(tx, 'responderAmountFinal', expectation.responderAmount);
      return undefined;
    }
  }
  return undefined;
}

/**
 * Verified signing: checks a transaction the node asks this client to sign against what the client
 * expects — the kind of transaction, channel id, accounts, amounts, round (last co-signed + 1),
 * fee and nonce, the payload and PoI of solo closes, and the state hash, recomputed with
 * @aesc/state from the last co-signed state and the updates. A transaction that does not match is
 * refused with an abort code and a coded error; nothing is ever signed blindly.
 */
export function checkSignRequest(view: ChannelView, expectation: SignExpectation, tx: SignedTx): SignApproval | SignRefusal {
  try {
    const next = check(view, expectation, tx);
    return next === undefined ? { ok: true } : { ok: true, nextState: next };
  } catch (e) {
    if (!isAescError(e)) throw e;
    return { ok: false, abortCode: ABORT_VALIDATION_ERROR, error: e };
  }
}

/** The updates of a sign request, compared with the ones the client asked for (its own requests). */
export function sameUpdates(a: readonly OffchainUpdate[], b: readonly OffchainUpdate[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((u, i) => bytesEqual(encodeObject(u), encodeObject(b[i]!)));
}
