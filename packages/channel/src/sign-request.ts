import type { AccountAddress, ChannelId, SignedTx, Transaction } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__FEE_TOO_HIGH, AESC_ERROR__CHANNEL__UPDATES_MISMATCH, AescError, isAescError } from '@aesc/errors';
import {
  type ProposalContext,
  checkCloseMutual,
  checkCreateTx,
  checkProposal,
  checkSettleTx,
  checkSoloTx,
  depositUpdates,
  expectTxField,
  expectTxType,
  txFieldMismatch,
  withdrawUpdates,
} from '@aesc/protocol';
import type { OffchainState, OffchainUpdate } from '@aesc/state';

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
  | ({ readonly kind: 'deposit'; readonly from: AccountAddress; readonly amount: bigint } & ProposedUpdates & OnChainOptions)
  | ({ readonly kind: 'withdraw'; readonly to: AccountAddress; readonly amount: bigint } & ProposedUpdates & OnChainOptions)
  | ({ readonly kind: 'close-mutual'; readonly from: AccountAddress } & OnChainOptions)
  | ({ readonly kind: 'close-solo' } & OnChainOptions)
  | ({ readonly kind: 'slash' } & OnChainOptions)
  | ({ readonly kind: 'snapshot-solo' } & OnChainOptions)
  | ({ readonly kind: 'settle'; readonly initiatorAmount: bigint; readonly responderAmount: bigint } & OnChainOptions);

/**
 * The updates a deposit or withdrawal comes with, as the node reports them for the peer's proposal:
 * the deposit or withdrawal first, then only meta updates. Without them, the deposit or withdrawal
 * alone is what the round applies.
 */
export interface ProposedUpdates {
  readonly updates?: readonly OffchainUpdate[];
}

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

function checkOnChain(view: ChannelView, tx: Transaction & { fee: bigint; nonce: bigint; ttl: bigint }, opts: OnChainOptions): void {
  if (opts.fee !== undefined) expectTxField(tx, 'fee', opts.fee);
  if (opts.minFee !== undefined && tx.fee < opts.minFee) txFieldMismatch(tx.tag, 'fee', `at least ${opts.minFee}`, tx.fee);
  if (opts.nonce !== undefined) expectTxField(tx, 'nonce', opts.nonce);
  if (opts.ttl !== undefined) expectTxField(tx, 'ttl', opts.ttl);
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

/** The channel as a proposal is checked against (once the tx is known to be of this channel). */
function proposalContext(view: ChannelView): ProposalContext {
  return { channelId: view.channelId as ChannelId, last: lastOf(view).state, channelReserve: view.channelReserve };
}

/**
 * The checks of @aesc/protocol for each kind of tx, with what only this client knows: what it
 * asked for (accounts, amounts, fee, nonce) and the highest fee it signs for.
 */
function check(view: ChannelView, expectation: SignExpectation, signed: SignedTx): OffchainState | undefined {
  const tx = signed.tx;
  expectTxType(tx, TX_FOR[expectation.kind]);
  if (expectation.kind !== 'create') expectTxField(tx, 'channelId', view.channelId);
  switch (expectation.kind) {
    case 'create':
      if (tx.tag !== 'channel_create_tx') break;
      checkOnChain(view, tx, expectation);
      return checkCreateTx(tx, { ...expectation, initiator: view.initiator, responder: view.responder, channelReserve: view.channelReserve });
    case 'offchain':
      return checkProposal('update', tx, expectation.updates, proposalContext(view)).state;
    case 'deposit':
    case 'withdraw': {
      if (tx.tag !== 'channel_deposit_tx' && tx.tag !== 'channel_withdraw_tx') break;
      const request = { account: expectation.kind === 'deposit' ? expectation.from : expectation.to, amount: expectation.amount };
      expectTxField(tx, tx.tag === 'channel_deposit_tx' ? 'fromId' : 'toId', request.account);
      expectTxField(tx, 'amount', request.amount);
      checkOnChain(view, tx, expectation);
      const updates = expectation.updates ?? (expectation.kind === 'deposit' ? depositUpdates(request) : withdrawUpdates(request));
      return checkProposal(expectation.kind, tx, updates, proposalContext(view)).state;
    }
    case 'close-mutual': {
      if (tx.tag !== 'channel_close_mutual_tx') break;
      checkOnChain(view, tx, expectation);
      const { state } = lastOf(view);
      checkCloseMutual(tx, { channelId: tx.channelId, initiator: view.initiator, responder: view.responder, state, from: expectation.from });
      return undefined;
    }
    case 'close-solo':
    case 'slash':
    case 'snapshot-solo': {
      if (tx.tag !== 'channel_close_solo_tx' && tx.tag !== 'channel_slash_tx' && tx.tag !== 'channel_snapshot_solo_tx') break;
      checkOnChain(view, tx, expectation);
      checkSoloTx(tx, { initiator: view.initiator, responder: view.responder, from: view.self, latest: lastOf(view) });
      return undefined;
    }
    case 'settle': {
      if (tx.tag !== 'channel_settle_tx') break;
      checkOnChain(view, tx, expectation);
      checkSettleTx(tx, view.self, { initiatorAmountFinal: expectation.initiatorAmount, responderAmountFinal: expectation.responderAmount });
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
