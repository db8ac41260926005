import type { AccountAddress } from '@aesc/encoding';
import { type ClientMethodSpec, req, t } from '../param-schema.js';

/** Params of `channels.get.balances`. */
export interface GetBalancesParams {
  readonly accounts: readonly AccountAddress[];
}

/** `channels.get.balances`: Reads balances: `[{account, balance}]` (unknown accounts omitted). */
export const GET_BALANCES = {
  method: 'channels.get.balances',
  paramsRequired: true,
  params: {
    accounts: req(t.list(t.encoded('ak'))),
  },
  integers: [],
  encodings: [{ keys: ['accounts'], code: 1005 }],
  answer: 'data',
  replyMethod: 'channels.get.balances.reply',
} as const satisfies ClientMethodSpec;
