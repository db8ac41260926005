import type { AccountAddress, ContractAddress } from '@aesc/encoding';
import { type ClientMethodSpec, opt, t } from '../param-schema.js';

/** Params of `channels.get.poi`. */
export interface GetPoiParams {
  readonly accounts?: readonly AccountAddress[];
  readonly contracts?: readonly ContractAddress[];
}

/** `channels.get.poi`: Builds a proof of inclusion `{poi: pi_…}` for accounts and contracts (contracts are added as accounts too). */
export const GET_POI = {
  method: 'channels.get.poi',
  paramsRequired: true,
  params: {
    accounts: opt(t.list(t.encoded('ak'))),
    contracts: opt(t.list(t.encoded('ct'))),
  },
  integers: [],
  encodings: [{ keys: ['accounts'], code: 1005 }, { keys: ['contracts'], code: 1006 }],
  answer: 'data',
  replyMethod: 'channels.get.poi.reply',
} as const satisfies ClientMethodSpec;
