import type { AccountAddress, ContractAddress } from '@aesc/encoding';
import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, req, t } from '../param-schema.js';

/** Params of `channels.get.contract_call`. */
export interface GetContractCallParams {
  readonly contract_id: ContractAddress;
  readonly caller_id: AccountAddress;
  readonly round: JsonInteger;
}

/** `channels.get.contract_call`: Reads a call result from the local calls tree. */
export const GET_CONTRACT_CALL = {
  method: 'channels.get.contract_call',
  paramsRequired: true,
  params: {
    contract_id: req(t.encoded('ct')),
    caller_id: req(t.encoded('ak')),
    round: req(t.integer),
  },
  integers: ['round'],
  encodings: [{ keys: ['contract_id'], code: 1006 }, { keys: ['caller_id'], code: 1005 }],
  answer: 'data',
  replyMethod: 'channels.get.contract_call.reply',
} as const satisfies ClientMethodSpec;
