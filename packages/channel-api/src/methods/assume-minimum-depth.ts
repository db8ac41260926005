import type { TxHash } from '@aesc/encoding';
import { type ClientMethodSpec, req, t } from '../param-schema.js';

/** Params of `channels.assume_minimum_depth`. */
export interface AssumeMinimumDepthParams {
  readonly tx_hash: TxHash;
}

/** `channels.assume_minimum_depth`: Skips waiting for the minimum depth of one's own pending transaction. */
export const ASSUME_MINIMUM_DEPTH = {
  method: 'channels.assume_minimum_depth',
  paramsRequired: true,
  params: {
    tx_hash: req(t.encoded('th')),
  },
  integers: [],
  encodings: [{ keys: ['tx_hash'], code: null }],
  answer: 'ok',
} as const satisfies ClientMethodSpec;
