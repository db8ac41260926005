import { ON_CHAIN_OPTION_PARAMS, type OnChainOptionParams } from './on-chain-options.js';
import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.shutdown`. */
export type ShutdownParams = OnChainOptionParams;

/** `channels.shutdown`: Starts a mutual close (channel_close_mutual_tx). */
export const SHUTDOWN = {
  method: 'channels.shutdown',
  paramsRequired: false,
  params: ON_CHAIN_OPTION_PARAMS,
  integers: [],
  encodings: [],
  answer: 'ok',
  signTag: 'shutdown_sign',
} as const satisfies ClientMethodSpec;
