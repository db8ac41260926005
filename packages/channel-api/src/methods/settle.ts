import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, t } from '../param-schema.js';

/** Params of `channels.settle`. */
export interface SettleParams {
  readonly nonce?: JsonInteger | `${number}`;
  readonly fee?: JsonInteger | `${number}`;
  readonly gas_price?: JsonInteger | `${number}`;
}

/** `channels.settle`: Pays out after the lock period of a solo close. */
export const SETTLE = {
  method: 'channels.settle',
  paramsRequired: false,
  params: {
    nonce: opt(t.integerLike),
    fee: opt(t.integerLike),
    gas_price: opt(t.integerLike),
  },
  integers: [],
  encodings: [],
  answer: 'ok',
} as const satisfies ClientMethodSpec;
