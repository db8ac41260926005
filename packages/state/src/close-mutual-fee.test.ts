import { describe, expect, it } from 'vitest';
import { payCloseMutualFee } from './close-mutual-fee.js';

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
