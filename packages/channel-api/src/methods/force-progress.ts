import type { ContractAddress, ContractBytearray } from '@aesc/encoding';
import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, req, t } from '../param-schema.js';

/** Params of `channels.force_progress`. */
export interface ForceProgressParams {
  readonly contract_id: ContractAddress;
  readonly abi_version: JsonInteger;
  readonly amount: JsonInteger;
  readonly call_data: ContractBytearray;
  readonly gas_price: JsonInteger;
  readonly gas?: JsonInteger | `${number}`;
  readonly nonce?: JsonInteger | `${number}`;
}

/** `channels.force_progress`: Forces a contract call on-chain from the latest state (gas 1 000 000 unless `gas`). */
export const FORCE_PROGRESS = {
  method: 'channels.force_progress',
  paramsRequired: true,
  params: {
    contract_id: req(t.encoded('ct')),
    abi_version: req(t.integer),
    amount: req(t.integer),
    call_data: req(t.encoded('cb')),
    gas_price: req(t.integer),
    gas: opt(t.integerLike),
    nonce: opt(t.integerLike),
  },
  integers: ['amount', 'abi_version', 'gas_price'],
  encodings: [{ keys: ['contract_id', 'call_data'], code: 1005 }],
  answer: 'ok',
  signTag: 'force_progress_tx',
} as const satisfies ClientMethodSpec;
