import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.get.offchain_state`. */
export type GetOffchainStateParams = Readonly<Record<string, never>>;

/** `channels.get.offchain_state`: Reads the off-chain state: `{trees, calls, signed_tx, half_signed_tx}` (`''` if none). */
export const GET_OFFCHAIN_STATE = {
  method: 'channels.get.offchain_state',
  paramsRequired: true,
  params: {},
  integers: [],
  encodings: [],
  answer: 'data',
  replyMethod: 'channels.get.offchain_state.reply',
} as const satisfies ClientMethodSpec;
