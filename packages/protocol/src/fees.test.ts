import type { ChannelSettleTx } from '@aesc/encoding';
import { AESC_ERROR__PROTOCOL__FEE_BELOW_MINIMUM, aescErrorCodeOf } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { CONSENSUS_MIN_GAS_PRICE, expectMinimumFee, minimumFee, txFeeGas, withMinimumFee } from './fees.js';
import { channelId, initiator } from './test-fixtures.js';

const settle = (fee: bigint): ChannelSettleTx => ({
  tag: 'channel_settle_tx',
  version: 1,
  channelId,
  fromId: initiator,
  initiatorAmountFinal: 60_000_000_000_000n,
  responderAmountFinal: 50_000_000_000_000n,
  ttl: 0n,
  fee,
  nonce: 1n,
});
const MINER = 1_000_000_000n;

describe('fees', () => {
  it('the fee gas of a tx is 15,000 plus 20 per byte, and the minimum fee that at the consensus gas price', () => {
    const tx = settle(0n);
    const bytes = (txFeeGas(tx) - 15_000n) / 20n;
    expect(bytes).toBeGreaterThan(80n);
    expect(minimumFee(tx)).toBe(txFeeGas(tx) * CONSENSUS_MIN_GAS_PRICE);
    expect(aescErrorCodeOf(() => expectMinimumFee(settle(minimumFee(settle(10n ** 15n)))))).toBeUndefined();
    expect(aescErrorCodeOf(() => expectMinimumFee(settle(10n)))).toBe(AESC_ERROR__PROTOCOL__FEE_BELOW_MINIMUM);
  });

  it('with no fee given: the fee gas of the tx with its own fee, at the miners’ gas price (or the given one)', () => {
    const built = withMinimumFee(settle, {}, MINER);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.tx.fee).toBe(txFeeGas(built.tx) * MINER);
    const priced = withMinimumFee(settle, { gasPrice: 2n * MINER }, MINER);
    expect(priced.ok && priced.tx.fee).toBe(txFeeGas(settle(built.tx.fee * 2n)) * 2n * MINER);
    // a miners' minimum below the consensus one counts as the consensus one
    const floor = withMinimumFee(settle, {}, 1n);
    expect(floor.ok && floor.tx.fee).toBe(minimumFee(floor.ok ? floor.tx : settle(0n)));
  });

  it('a given fee is used as it is, unless it is below the chain’s minimum; with a gas price too, the larger', () => {
    const high = 10n ** 15n;
    expect(withMinimumFee(settle, { fee: high }, MINER)).toEqual({ ok: true, tx: settle(high) });
    expect(withMinimumFee(settle, { fee: 10n }, MINER)).toEqual({ ok: false, error: 'too_low_fee' });
    const computed = withMinimumFee(settle, { gasPrice: MINER }, MINER);
    expect(withMinimumFee(settle, { fee: high, gasPrice: MINER }, MINER)).toEqual({ ok: true, tx: settle(high) });
    expect(withMinimumFee(settle, { fee: 10n, gasPrice: MINER }, MINER)).toEqual(computed);
  });

  it('gives up when the fee never settles in five rounds', () => {
    // a build that never carries the whole fee it is given
    expect(withMinimumFee((fee) => settle(fee > 0n ? fee - 1n : 0n), {}, MINER)).toEqual({ ok: false, error: 'could_not_compute_fee' });
  });
});
