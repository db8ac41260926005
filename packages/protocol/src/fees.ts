import { type Transaction, encodeObject } from '@aesc/encoding';
import { AESC_ERROR__PROTOCOL__FEE_BELOW_MINIMUM, AescError } from '@aesc/errors';

/** Base gas of every channel tx but force_progress (`aec_governance:tx_base_gas/2`). */
const TX_BASE_GAS = 15000n;
/** Gas per byte of the serialized tx (`aec_governance:byte_gas/0`). */
const BYTE_GAS = 20n;
/** The consensus minimum gas price (`aec_governance:minimum_gas_price/1`, from Minerva on). */
export const CONSENSUS_MIN_GAS_PRICE = 1_000_000n;

/** A transaction that pays a fee. */
export type PayingTx = Transaction & { readonly fee: bigint };

/** The gas a channel tx's fee pays for: base gas + 20 per byte of the serialized tx. */
export function txFeeGas(tx: Transaction): bigint {
  return TX_BASE_GAS + BYTE_GAS * BigInt(encodeObject(tx).length);
}

/** The lowest fee the chain takes for a channel tx: its fee gas at the consensus minimum gas price (`aetx:min_fee/3`). */
export function minimumFee(tx: Transaction): bigint {
  return txFeeGas(tx) * CONSENSUS_MIN_GAS_PRICE;
}

/** Throws 11000 (`FEE_BELOW_MINIMUM`) when the tx pays less than {@link minimumFee}. */
export function expectMinimumFee(tx: PayingTx): void {
  const minimum = minimumFee(tx);
  if (tx.fee < minimum) throw new AescError(AESC_ERROR__PROTOCOL__FEE_BELOW_MINIMUM, { tx: tx.tag, fee: tx.fee.toString(), minimum: minimum.toString() });
}

/** What a caller may fix of an on-chain tx it has built (the `fee` and `gas_price` params). */
export interface FeeOptions {
  readonly fee?: bigint;
  readonly gasPrice?: bigint;
}

/** Why a fee cannot be used. */
export type FeeError = 'too_low_fee' | 'could_not_compute_fee';

/**
 * Builds an on-chain tx with the fee the node's FSM gives it (`aesc_fsm:new_onchain_tx_/4`,
 * `create_with_minimum_fee/5`): a preset fee is used as it is; otherwise the fee is the fee gas
 * times the gas price (the given one, or the miners' minimum), recomputed up to five times because
 * the fee changes the tx's size; with both a fee and a gas price, the larger of the two. The result
 * must still pay the consensus minimum, else `too_low_fee`.
 *
 * @example
 * ```ts
 * const built = withMinimumFee((fee) => ({ ...settle, fee }), {}, 1_000_000_000n);
 * if (built.ok) built.tx.fee; // enough gas for its own size at the miners' gas price
 * ```
 */
export function withMinimumFee<T extends Transaction>(
  build: (fee: bigint) => T,
  options: FeeOptions,
  minMinerGasPrice: bigint,
): { ok: true; tx: T } | { ok: false; error: FeeError } {
  const gasPrice = options.gasPrice ?? (minMinerGasPrice > CONSENSUS_MIN_GAS_PRICE ? minMinerGasPrice : CONSENSUS_MIN_GAS_PRICE);
  const feeOf = (tx: T) => (tx as unknown as PayingTx).fee;
  const computed = (): T | undefined => {
    let tx = build(0n);
    for (let attempt = 0; attempt < 5; attempt++) {
      const min = txFeeGas(tx) * gasPrice;
      if (min <= feeOf(tx)) return tx;
      tx = build(min);
    }
    return undefined;
  };
  let tx: T | undefined;
  if (options.fee !== undefined && options.gasPrice === undefined) tx = build(options.fee);
  else {
    tx = computed();
    if (tx === undefined) return { ok: false, error: 'could_not_compute_fee' };
    if (options.fee !== undefined) {
      const preset = build(options.fee);
      if (feeOf(preset) > feeOf(tx)) tx = preset;
    }
  }
  if (feeOf(tx) < minimumFee(tx)) return { ok: false, error: 'too_low_fee' };
  return { ok: true, tx };
}
