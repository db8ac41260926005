import type { ContractBytearray, KeyBlockHash, MicroBlockHash } from '@aesc/encoding';
import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, req, t } from '../param-schema.js';

/** Params of `channels.update.new_contract`. */
export interface UpdateNewContractParams {
  readonly vm_version: JsonInteger;
  readonly abi_version: JsonInteger;
  readonly deposit: JsonInteger;
  readonly code: ContractBytearray;
  readonly call_data: ContractBytearray;
  readonly block_hash?: KeyBlockHash | MicroBlockHash;
  readonly meta?: readonly string[];
}

/** `channels.update.new_contract`: Creates a contract in the channel; its id is blake2b(owner ‖ round). Needs FATE on the node. */
export const UPDATE_NEW_CONTRACT = {
  method: 'channels.update.new_contract',
  paramsRequired: true,
  params: {
    vm_version: req(t.integer),
    abi_version: req(t.integer),
    deposit: req(t.integer),
    code: req(t.encoded('cb')),
    call_data: req(t.encoded('cb')),
    block_hash: opt(t.encoded('kh', 'mh')),
    meta: opt(t.list(t.string)),
  },
  integers: ['deposit', 'vm_version', 'abi_version'],
  encodings: [{ keys: ['code', 'call_data'], code: 1009 }],
  answer: 'ok',
  signTag: 'update',
} as const satisfies ClientMethodSpec;
