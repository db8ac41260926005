import type { AccountAddress, KeyBlockHash, MicroBlockHash } from '@aesc/encoding';
import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, req, t } from '../param-schema.js';

/** Params of `channels.update.new`. */
export interface UpdateNewParams {
  readonly from: AccountAddress;
  readonly to: AccountAddress;
  readonly amount: JsonInteger;
  readonly block_hash?: KeyBlockHash | MicroBlockHash;
  readonly meta?: readonly string[];
}

/** `channels.update.new`: Proposes an off-chain transfer of `amount` from `from` to `to` (a new round, co-signed through `channels.sign.update`). */
export const UPDATE_NEW = {
  method: 'channels.update.new',
  paramsRequired: true,
  params: {
    from: req(t.encoded('ak')),
    to: req(t.encoded('ak')),
    amount: req(t.integer),
    block_hash: opt(t.encoded('kh', 'mh')),
    meta: opt(t.list(t.string)),
  },
  integers: ['amount'],
  encodings: [{ keys: ['from', 'to'], code: 1005 }],
  answer: 'ok',
  signTag: 'update',
} as const satisfies ClientMethodSpec;
