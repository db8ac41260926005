import type { Transaction } from '@aesc/encoding';
import {
  AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH,
  AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE,
  AESC_ERROR__PROTOCOL__FEE_BELOW_MINIMUM,
  aescErrorCodeOf,
} from '@aesc/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CloseMutualChecks, type CloseMutualContext, checkCloseMutual, closeMutualTx, payCloseMutualFee } from './close-mutual.js';
import { initialState } from '@aesc/state';
import { minimumFee } from './fees.js';
import { channelId, initiator, otherChannel, responder } from './test-fixtures.js';

describe('payCloseMutualFee (aesc_fsm:pay_close_mutual_fee/3)', () => {
  it('splits the fee in half, the initiator paying the odd unit', () => {
    expect(payCloseMutualFee(10n, 100n, 100n)).toEqual({ initiatorAmountFinal: 95n, responderAmountFinal: 95n });
    expect(payCloseMutualFee(11n, 100n, 100n)).toEqual({ initiatorAmountFinal: 94n, responderAmountFinal: 95n });
  });

  it('lets the other side pay what one side lacks', () => {
    expect(payCloseMutualFee(11n, 5n, 100n)).toEqual({ initiatorAmountFinal: 0n, responderAmountFinal: 94n });
    expect(payCloseMutualFee(11n, 100n, 3n)).toEqual({ initiatorAmountFinal: 92n, responderAmountFinal: 0n });
    expect(payCloseMutualFee(11n, 5n, 6n)).toEqual({ initiatorAmountFinal: 0n, responderAmountFinal: 0n });
    expect(payCloseMutualFee(12n, 5n, 6n)).toBeUndefined();
  });

  it('keeps the total: final amounts plus fee equal the balances', () => {
    for (const [fee, i, r] of [[7n, 3n, 9n], [1n, 0n, 1n], [100n, 60n, 41n], [0n, 4n, 4n]] as const) {
      const split = payCloseMutualFee(fee, i, r)!;
      expect(split.initiatorAmountFinal + split.responderAmountFinal + fee).toBe(i + r);
    }
  });
});

describe('a close_mutual of the latest state', () => {
  const [I, R] = [60_000_000_000_000n, 50_000_000_000_000n];
  const state = initialState({ initiator, initiatorAmount: I, responder, responderAmount: R });
  const ctx: CloseMutualContext = { channelId, initiator, responder, state, from: initiator };
  const built = closeMutualTx({ ...ctx, ttl: 0n, nonce: 3n }, {}, 1n)!;
  const code = (tx: Transaction, checks?: CloseMutualChecks, c: CloseMutualContext = ctx) => aescErrorCodeOf(() => checkCloseMutual(tx, c, checks));

  it('is built with the minimum fee for its size, paid out of the balances as payCloseMutualFee splits it, and taken by the other side', () => {
    expect(built).toMatchObject({ tag: 'channel_close_mutual_tx', channelId, fromId: initiator, ttl: 0n, nonce: 3n });
    expect(built.fee).toBe(minimumFee(built));
    expect(built.initiatorAmountFinal).toBe(I - (built.fee + 1n) / 2n);
    expect(built.responderAmountFinal).toBe(R - built.fee / 2n);
    expect(code(built)).toBeUndefined();
    expect(code(built, { ttl: 0n, minimumFee: true })).toBeUndefined();
    expect(closeMutualTx({ ...ctx, ttl: 0n, nonce: 3n }, { fee: I + R + 1n }, 1n)).toBeUndefined(); // the balances cannot pay it
    const small = initialState({ initiator, initiatorAmount: 600n, responder, responderAmount: 500n });
    expect(closeMutualTx({ ...ctx, state: small, ttl: 0n, nonce: 3n }, {}, 1n)).toBeUndefined(); // nor the chain's minimum fee
  });

  it('refuses final amounts that move coins from one side to the other, though the sum is the same', () => {
    for (const shift of [1n, -1n, 10_000n, -built.responderAmountFinal, built.initiatorAmountFinal]) {
      const moved = { ...built, initiatorAmountFinal: built.initiatorAmountFinal - shift, responderAmountFinal: built.responderAmountFinal + shift };
      expect(moved.initiatorAmountFinal + moved.responderAmountFinal + moved.fee).toBe(I + R);
      expect(code(moved), String(shift)).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    }
  });

  it('refuses another type, channel, proposer or ttl, a fee the balances cannot pay and, when asked, one below the chain’s minimum', () => {
    expect(code({ ...built, tag: 'channel_settle_tx' } as Transaction)).toBe(AESC_ERROR__CHANNEL__UNEXPECTED_TX_TYPE);
    expect(code({ ...built, channelId: otherChannel })).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code(built, {}, { ...ctx, from: responder })).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code({ ...built, ttl: 5n }, { ttl: 0n })).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    expect(code({ ...built, fee: I + R + 1n, initiatorAmountFinal: 0n, responderAmountFinal: 0n })).toBe(AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
    const cheap = { ...built, fee: 10n, initiatorAmountFinal: I - 5n, responderAmountFinal: R - 5n };
    expect(code(cheap)).toBeUndefined();
    expect(code(cheap, { minimumFee: true })).toBe(AESC_ERROR__PROTOCOL__FEE_BELOW_MINIMUM);
  });

  it('refuses every split but the exact one of the fee (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: I + R }), fc.bigInt({ min: 0n, max: 1n << 64n }), (fee, pick) => {
        const split = payCloseMutualFee(fee, I, R)!;
        const initiatorFinal = pick % (I + R - fee + 1n);
        const tx = { ...built, fee, initiatorAmountFinal: initiatorFinal, responderAmountFinal: I + R - fee - initiatorFinal };
        const exact = initiatorFinal === split.initiatorAmountFinal;
        expect(code(tx), `${fee} ${initiatorFinal}`).toBe(exact ? undefined : AESC_ERROR__CHANNEL__TX_FIELD_MISMATCH);
        expect(code({ ...tx, initiatorAmountFinal: split.initiatorAmountFinal, responderAmountFinal: split.responderAmountFinal })).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});
