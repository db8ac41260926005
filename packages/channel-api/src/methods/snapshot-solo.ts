import { ON_CHAIN_OPTION_PARAMS, type OnChainOptionParams } from './on-chain-options.js';
import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.snapshot_solo`. */
export type SnapshotSoloParams = OnChainOptionParams;

/** `channels.snapshot_solo`: Posts the latest co-signed state on-chain; the channel stays open. */
export const SNAPSHOT_SOLO = {
  method: 'channels.snapshot_solo',
  paramsRequired: false,
  params: ON_CHAIN_OPTION_PARAMS,
  integers: [],
  encodings: [],
  answer: 'ok',
  signTag: 'snapshot_solo_tx',
} as const satisfies ClientMethodSpec;
