import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, t } from '../param-schema.js';

/** Params of `channels.shutdown`. */
export interface ShutdownParams {
  readonly nonce?: JsonInteger | `${number}`;
  readonly fee?: JsonInteger | `${number}`;
  readonly gas_price?: JsonInteger | `${number}`;
}

/** `channels.shutdown`: Starts a mutual close (channel_close_mutual_tx). */
export const SHUTDOWN = {
  method: 'channels.shutdown',
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
