import { type Transaction, encodeObject } from '@aesc/encoding';

/** Base gas of every channel tx but force_progress (`aec_governance:tx_base_gas/2`). */
const TX_BASE_GAS = 15000n;
/** Gas per byte of the serialized tx (`aec_governance:byte_gas/0`). */
const BYTE_GAS = 20n;
/** The consensus minimum gas price (`aec_governance:minimum_gas_price/1`, from Minerva on). */
export const CONSENSUS_MIN_GAS_PRICE = 1_000_000n;

/** The gas a channel tx's fee pays for: base gas + 20 per byte of the serialized tx. */
export function txFeeGas(tx: Transaction): bigint {
  return TX_BASE_GAS + BYTE_GAS * BigInt(encodeObject(tx).length);
}

/** What a caller may fix of an on-chain tx the FSM builds (`fee`, `gas_price` params). */
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
 */
export function withMinimumFee<T extends Transaction>(
  build: (fee: bigint) => T,
  options: FeeOptions,
  minMinerGasPrice: bigint,
): { ok: true; tx: T } | { ok: false; error: FeeError } {
  const gasPrice = options.gasPrice ?? (minMinerGasPrice > CONSENSUS_MIN_GAS_PRICE ? minMinerGasPrice : CONSENSUS_MIN_GAS_PRICE);
  const computed = (): T | undefined => {
    let tx = build(0n);
    for (let attempt = 0; attempt < 5; attempt++) {
      const min = txFeeGas(tx) * gasPrice;
      if (min <= (tx as { fee: bigint }).fee) return tx;
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
      if ((preset as { fee: bigint }).fee > (tx as { fee: bigint }).fee) tx = preset;
    }
  }
  if ((tx as { fee: bigint }).fee < txFeeGas(tx) * CONSENSUS_MIN_GAS_PRICE) return { ok: false, error: 'too_low_fee' };
  return { ok: true, tx };
}
