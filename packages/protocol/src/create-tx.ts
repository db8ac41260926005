import type { AccountAddress, ChannelCreateTxV1, ChannelCreateTxV2, StateHash, Transaction } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, AescError } from '@aesc/errors';
import { type OffchainState, initialState } from '@aesc/state';
import { STATE_OPS, type StateOps } from './next-round.js';
import { expectTxField, expectTxType, txFieldMismatch } from './tx-fields.js';

/** What both participants agreed to open a channel with (`channel_open` / `channel_accept`, the connect params). */
export interface ChannelTerms {
  readonly initiator: AccountAddress;
  readonly responder: AccountAddress;
  readonly initiatorAmount: bigint;
  readonly responderAmount: bigint;
  /** Moved from the initiator to the responder at opening. */
  readonly pushAmount: bigint;
  readonly channelReserve: bigint;
  readonly lockPeriod: bigint;
}

/** What a create tx is made of beyond the terms, but its fee. */
export interface CreateTxFields {
  readonly ttl: bigint;
  readonly nonce: bigint;
  /** The state hash of the opening state ({@link openingState}). */
  readonly stateHash: StateHash;
  /** 2 from Iris on (delegates per participant), 1 before. */
  readonly version: 1 | 2;
}

/** The state a channel opens with (round 1): the initiator's and responder's amounts, the push amount moved over. */
export function openingState(terms: ChannelTerms): OffchainState {
  return initialState({
    initiator: terms.initiator,
    initiatorAmount: terms.initiatorAmount,
    responder: terms.responder,
    responderAmount: terms.responderAmount,
    pushAmount: terms.pushAmount,
  });
}

/** The `channel_create_tx` the initiator's FSM builds for a fee (`aesc_fsm:create_tx_for_signing/1`): no delegates. */
export function createTx(terms: ChannelTerms, fields: CreateTxFields, fee: bigint): ChannelCreateTxV1 | ChannelCreateTxV2 {
  const base = {
    tag: 'channel_create_tx' as const,
    initiatorId: terms.initiator,
    initiatorAmount: terms.initiatorAmount,
    responderId: terms.responder,
    responderAmount: terms.responderAmount,
    channelReserve: terms.channelReserve,
    lockPeriod: terms.lockPeriod,
    ttl: fields.ttl,
    stateHash: fields.stateHash,
    nonce: fields.nonce,
  };
  return fields.version === 1
    ? { ...base, version: 1, fee, delegateIds: [] }
    : { ...base, version: 2, fee, initiatorDelegateIds: [], responderDelegateIds: [] };
}

/**
 * Checks a create tx against the agreed terms, as each participant must before signing it: its
 * type (7000), participants, amounts, channel reserve and lock period (7001), no delegates (7001: a
 * delegate may post solo txs for a participant, and neither FSM names one) and the state hash of
 * the opening state with the push amount moved (7002). Returns the opening state.
 *
 * @example
 * ```ts
 * const opening = checkCreateTx(half.tx, terms); // round 1, co-signed once both signed the tx
 * ```
 */
export function checkCreateTx(tx: Transaction, terms: ChannelTerms, ops: Pick<StateOps, 'stateHash'> = STATE_OPS): OffchainState {
  expectTxType(tx, 'channel_create_tx');
  expectTxField(tx, 'initiatorId', terms.initiator);
  expectTxField(tx, 'responderId', terms.responder);
  expectTxField(tx, 'initiatorAmount', terms.initiatorAmount);
  expectTxField(tx, 'responderAmount', terms.responderAmount);
  expectTxField(tx, 'channelReserve', terms.channelReserve);
  expectTxField(tx, 'lockPeriod', terms.lockPeriod);
  const delegates = tx.version === 1 ? tx.delegateIds : [...tx.initiatorDelegateIds, ...tx.responderDelegateIds];
  if (delegates.length > 0) txFieldMismatch(tx.tag, 'delegates', 'none', delegates.join(' '));
  const opening = openingState(terms);
  const hash = ops.stateHash(opening.trees);
  if (tx.stateHash !== hash) throw new AescError(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH, { tx: tx.tag, expected: hash, actual: tx.stateHash });
  return opening;
}
