import type { JsonInteger } from '../json-integer.js';
import { opt, t } from '../param-schema.js';

/** The optional on-chain parameters of the methods that make a transaction (`nonce`, `fee`, `gas_price`). */
export interface OnChainOptionParams {
  readonly nonce?: JsonInteger | `${number}`;
  readonly fee?: JsonInteger | `${number}`;
  readonly gas_price?: JsonInteger | `${number}`;
}

/** Their param specs, in the order the node reads them. */
export const ON_CHAIN_OPTION_PARAMS = {
  nonce: opt(t.integerLike),
  fee: opt(t.integerLike),
  gas_price: opt(t.integerLike),
} as const;
