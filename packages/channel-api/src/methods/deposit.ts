import { ON_CHAIN_OPTION_PARAMS, type OnChainOptionParams } from './on-chain-options.js';
import type { KeyBlockHash, MicroBlockHash } from '@aesc/encoding';
import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, req, t } from '../param-schema.js';

/** Params of `channels.deposit`. */
export interface DepositParams extends OnChainOptionParams {
  readonly amount: JsonInteger;
  readonly meta?: readonly string[];
  readonly block_hash?: KeyBlockHash | MicroBlockHash;
}

/** `channels.deposit`: Starts a co-signed on-chain deposit of `amount` into the channel. */
export const DEPOSIT = {
  method: 'channels.deposit',
  paramsRequired: true,
  params: {
    amount: req(t.integer),
    meta: opt(t.list(t.string)),
    block_hash: opt(t.encoded('kh', 'mh')),
    ...ON_CHAIN_OPTION_PARAMS,
  },
  integers: ['amount'],
  encodings: [],
  answer: 'ok',
  signTag: 'deposit_tx',
} as const satisfies ClientMethodSpec;
