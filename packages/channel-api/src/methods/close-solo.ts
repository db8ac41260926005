import { ON_CHAIN_OPTION_PARAMS, type OnChainOptionParams } from './on-chain-options.js';
import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.close_solo`. */
export type CloseSoloParams = OnChainOptionParams;

/** `channels.close_solo`: Closes the channel unilaterally with the latest co-signed state and a PoI. */
export const CLOSE_SOLO = {
  method: 'channels.close_solo',
  paramsRequired: false,
  params: ON_CHAIN_OPTION_PARAMS,
  integers: [],
  encodings: [],
  answer: 'ok',
  signTag: 'close_solo_sign',
} as const satisfies ClientMethodSpec;
