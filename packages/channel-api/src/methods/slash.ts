import { ON_CHAIN_OPTION_PARAMS, type OnChainOptionParams } from './on-chain-options.js';
import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.slash`. */
export type SlashParams = OnChainOptionParams;

/** `channels.slash`: Disputes a stale solo close with a newer co-signed state. */
export const SLASH = {
  method: 'channels.slash',
  paramsRequired: false,
  params: ON_CHAIN_OPTION_PARAMS,
  integers: [],
  encodings: [],
  answer: 'ok',
  signTag: 'slash_tx',
} as const satisfies ClientMethodSpec;
