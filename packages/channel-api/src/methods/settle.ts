import { ON_CHAIN_OPTION_PARAMS, type OnChainOptionParams } from './on-chain-options.js';
import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.settle`. */
export type SettleParams = OnChainOptionParams;

/** `channels.settle`: Pays out after the lock period of a solo close. */
export const SETTLE = {
  method: 'channels.settle',
  paramsRequired: false,
  params: ON_CHAIN_OPTION_PARAMS,
  integers: [],
  encodings: [],
  answer: 'ok',
  signTag: 'settle_sign',
} as const satisfies ClientMethodSpec;
