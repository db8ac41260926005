import type { KeyBlockHash, MicroBlockHash } from '@aesc/encoding';
import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, req, t } from '../param-schema.js';

/** Params of `channels.withdraw`. */
export interface WithdrawParams {
  readonly amount: JsonInteger;
  readonly meta?: readonly string[];
  readonly block_hash?: KeyBlockHash | MicroBlockHash;
  readonly nonce?: JsonInteger | `${number}`;
  readonly fee?: JsonInteger | `${number}`;
  readonly gas_price?: JsonInteger | `${number}`;
}

/** `channels.withdraw`: Starts a co-signed on-chain withdrawal of `amount` from the channel. */
export const WITHDRAW = {
  method: 'channels.withdraw',
  paramsRequired: true,
  params: {
    amount: req(t.integer),
    meta: opt(t.list(t.string)),
    block_hash: opt(t.encoded('kh', 'mh')),
    nonce: opt(t.integerLike),
    fee: opt(t.integerLike),
    gas_price: opt(t.integerLike),
  },
  integers: ['amount'],
  encodings: [],
  answer: 'ok',
} as const satisfies ClientMethodSpec;
