import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, t } from '../param-schema.js';

/** Params of `channels.close_solo`. */
export interface CloseSoloParams {
  readonly nonce?: JsonInteger | `${number}`;
  readonly fee?: JsonInteger | `${number}`;
  readonly gas_price?: JsonInteger | `${number}`;
}

/** `channels.close_solo`: Closes the channel unilaterally with the latest co-signed state and a PoI. */
export const CLOSE_SOLO = {
  method: 'channels.close_solo',
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
