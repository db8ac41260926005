import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.clean_contract_calls`. */
export type CleanContractCallsParams = Readonly<Record<string, never>>;

/** `channels.clean_contract_calls`: Prunes the local calls tree; answered by `channels.calls_pruned.reply`. */
export const CLEAN_CONTRACT_CALLS = {
  method: 'channels.clean_contract_calls',
  paramsRequired: false,
  params: {},
  integers: [],
  encodings: [],
  answer: 'data',
  replyMethod: 'channels.calls_pruned.reply',
} as const satisfies ClientMethodSpec;
