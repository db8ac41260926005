import type { ContractAddress } from '@aesc/encoding';
import { type ClientMethodSpec, req, t } from '../param-schema.js';

/** Params of `channels.get.contract`. */
export interface GetContractParams {
  readonly pubkey: ContractAddress;
}

/** `channels.get.contract`: Reads a contract and its store: `{contract, contract_state}`. */
export const GET_CONTRACT = {
  method: 'channels.get.contract',
  paramsRequired: true,
  params: {
    pubkey: req(t.encoded('ct')),
  },
  integers: [],
  encodings: [{ keys: ['pubkey'], code: 1006 }],
  answer: 'data',
  replyMethod: 'channels.get.contract.reply',
} as const satisfies ClientMethodSpec;
