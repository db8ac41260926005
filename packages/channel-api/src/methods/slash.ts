import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, t } from '../param-schema.js';

/** Params of `channels.slash`. */
export interface SlashParams {
  readonly nonce?: JsonInteger | `${number}`;
  readonly fee?: JsonInteger | `${number}`;
  readonly gas_price?: JsonInteger | `${number}`;
}

/** `channels.slash`: Disputes a stale solo close with a newer co-signed state. */
export const SLASH = {
  method: 'channels.slash',
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
