import { type ChannelOffchainTxV1, type StateHash, type Transaction, encodeApi } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__INVALID_UPDATE,
  AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH,
  AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH,
  AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE,
  AESC_ERROR__CHANNEL__UPDATES_MISMATCH,
  aescErrorCodeOf,
} from '@aesc/errors';
import { type OffchainUpdate, balanceOf, encodedOffchainStateHash } from '@aesc/state';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRound } from './next-round.js';
import { type ProposalContext, checkProposal, offchainTx, onChainRoundTx } from './proposal.js';
import { depositUpdates, transferUpdates, withdrawUpdates } from './round-updates.js';
import { channelId, initiator, opening, otherChannel, responder } from './test-fixtures.js';

const ctx: ProposalContext = { channelId, last: opening, channelReserve: 2n };
const transfer = transferUpdates({ from: initiator, to: responder, amount: 10n, meta: ['coffee'] });
const next = nextRound(opening, transfer, ctx);
const update = offchainTx(channelId, next);
const code = (f: () => unknown) => aescErrorCodeOf(f);
const deposit = depositUpdates({ account: responder, amount: 30n, meta: ['in'] });
const depositNext = nextRound(opening, deposit, ctx);
const depositTx = onChainRoundTx('deposit', { channelId, account: responder, amount: 30n, next: depositNext, ttl: 0n, nonce: 4n }, 20_000n);
const withdraw = withdrawUpdates({ account: initiator, amount: 50n });
const withdrawTx = onChainRoundTx('withdraw', { channelId, account: initiator, amount: 50n, next: nextRound(opening, withdraw, ctx), ttl: 0n, nonce: 4n }, 20_000n);
const randomHash = encodeApi('st', new Uint8Array(32).fill(5)) as StateHash;

describe('a proposal: the tx of an update, deposit or withdrawal round with its updates', () => {
  it('built by the proposer, is taken by the other side with the same next round', () => {
    expect(update).toEqual({ tag: 'channel_offchain_tx', version: 2, channelId, round: 2n, stateHash: next.stateHash });
    expect(checkProposal('update', update, transfer, ctx)).toEqual(next);
    const taken = checkProposal('deposit', depositTx, deposit, ctx);
    expect(depositTx).toMatchObject({ tag: 'channel_deposit_tx', fromId: responder, amount: 30n, round: 2n, fee: 20_000n, nonce: 4n, ttl: 0n });
    expect(balanceOf(taken.state.trees, responder)).toBe(430n);
    expect(withdrawTx).toMatchObject({ tag: 'channel_withdraw_tx', toId: initiator, amount: 50n, round: 2n });
    expect(balanceOf(checkProposal('withdraw', withdrawTx, withdraw, ctx).state.trees, initiator)).toBe(650n);
  });

  it('refuses a tx of another type, another channel, another round or another state hash', () => {
    expect(code(() => checkProposal('update', depositTx, transfer, ctx))).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE);
    expect(code(() => checkProposal('deposit', update, deposit, ctx))).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE);
    expect(code(() => checkProposal('withdraw', depositTx, deposit, ctx))).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE);
    expect(code(() => checkProposal('update', { ...update, channelId: otherChannel }, transfer, ctx))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(() => checkProposal('update', { ...update, round: 3n }, transfer, ctx))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(() => checkProposal('update', { ...update, round: 1n }, transfer, ctx))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(() => checkProposal('update', { ...update, stateHash: randomHash }, transfer, ctx))).toBe(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH);
    expect(code(() => checkProposal('deposit', { ...depositTx, stateHash: randomHash }, deposit, ctx))).toBe(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH);
  });

  it('refuses updates other than the tx’s: the state hash of other updates, updates that do not apply, a version 1 tx carrying others', () => {
    const more = transferUpdates({ from: initiator, to: responder, amount: 11n, meta: ['coffee'] });
    expect(code(() => checkProposal('update', update, more, ctx))).toBe(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH);
    const overdraw = transferUpdates({ from: responder, to: initiator, amount: 399n });
    expect(code(() => checkProposal('update', update, overdraw, ctx))).toBe(AESC_ERROR__CHANNEL__INVALID_UPDATE);
    const v1: ChannelOffchainTxV1 = { tag: 'channel_offchain_tx', version: 1, channelId, round: 2n, updates: transfer, stateHash: next.stateHash };
    expect(checkProposal('update', v1, transfer, ctx).stateHash).toBe(next.stateHash);
    expect(code(() => checkProposal('update', { ...v1, updates: transfer.slice(0, 1) }, transfer, ctx))).toBe(AESC_ERROR__CHANNEL__UPDATES_MISMATCH);
  });

  it('refuses a deposit or withdrawal whose tx is not its update, or that hides other updates behind its own', () => {
    expect(code(() => checkProposal('deposit', { ...depositTx, amount: 31n }, deposit, ctx))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(() => checkProposal('deposit', { ...depositTx, fromId: initiator } as Transaction, deposit, ctx))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(() => checkProposal('withdraw', { ...withdrawTx, toId: responder } as Transaction, withdraw, ctx))).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(() => checkProposal('deposit', depositTx, transfer, ctx))).toBe(AESC_ERROR__CHANNEL__UPDATES_MISMATCH);
    expect(code(() => checkProposal('withdraw', withdrawTx, deposit, ctx))).toBe(AESC_ERROR__CHANNEL__UPDATES_MISMATCH);
    expect(code(() => checkProposal('deposit', depositTx, [], ctx))).toBe(AESC_ERROR__CHANNEL__UPDATES_MISMATCH);
    // A transfer out of the other account hidden after the deposit, with the state hash it makes: refused all the same.
    const hidden: OffchainUpdate[] = [...deposit, ...transferUpdates({ from: initiator, to: responder, amount: 100n })];
    const hiddenTx = { ...depositTx, stateHash: nextRound(opening, hidden, ctx).stateHash };
    expect(code(() => checkProposal('deposit', hiddenTx, hidden, ctx))).toBe(AESC_ERROR__CHANNEL__UPDATES_MISMATCH);
  });

  it('takes every transfer the proposer can build, and nothing with a changed amount (property)', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.bigInt({ min: 0n, max: 397n }), fc.array(fc.string(), { maxLength: 3 }), (fromInitiator, amount, meta) => {
        const [from, to] = fromInitiator ? [initiator, responder] : [responder, initiator];
        const updates = transferUpdates({ from, to, amount, meta });
        const built = offchainTx(channelId, nextRound(opening, updates, ctx));
        const taken = checkProposal('update', built, updates, ctx);
        expect(taken.stateHash).toBe(encodedOffchainStateHash(taken.state));
        expect(balanceOf(taken.state.trees, to)).toBe(balanceOf(opening.trees, to)! + amount);
        const changed = transferUpdates({ from, to, amount: amount + 1n, meta });
        expect(code(() => checkProposal('update', built, changed, ctx))).toBe(AESC_ERROR__CHANNEL__STATE_HASH_MISMATCH);
      }),
      { numRuns: 60 },
    );
  });
});
