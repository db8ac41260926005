import type { ContractAddress, ContractBytearray, KeyBlockHash, MicroBlockHash } from '@aesc/encoding';
import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, req, t } from '../param-schema.js';

/** Params of `channels.update.call_contract`. */
export interface UpdateCallContractParams {
  readonly contract_id: ContractAddress;
  readonly abi_version: JsonInteger;
  readonly amount: JsonInteger;
  readonly call_data: ContractBytearray;
  readonly block_hash?: KeyBlockHash | MicroBlockHash;
  readonly meta?: readonly string[];
}

/** `channels.update.call_contract`: Calls a contract in the channel (gas 1 000 000, gas price 1 fixed in the update). */
export const UPDATE_CALL_CONTRACT = {
  method: 'channels.update.call_contract',
  paramsRequired: true,
  params: {
    contract_id: req(t.encoded('ct')),
    abi_version: req(t.integer),
    amount: req(t.integer),
    call_data: req(t.encoded('cb')),
    block_hash: opt(t.encoded('kh', 'mh')),
    meta: opt(t.list(t.string)),
  },
  integers: ['amount', 'abi_version'],
  encodings: [{ keys: ['contract_id'], code: 1006 }, { keys: ['call_data'], code: 1009 }],
  answer: 'ok',
  signTag: 'update',
} as const satisfies ClientMethodSpec;
