import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, t } from '../param-schema.js';

/** Params of `channels.snapshot_solo`. */
export interface SnapshotSoloParams {
  readonly nonce?: JsonInteger | `${number}`;
  readonly fee?: JsonInteger | `${number}`;
  readonly gas_price?: JsonInteger | `${number}`;
}

/** `channels.snapshot_solo`: Posts the latest co-signed state on-chain; the channel stays open. */
export const SNAPSHOT_SOLO = {
  method: 'channels.snapshot_solo',
  paramsRequired: false,
  params: {
    nonce: opt(t.integerLike),
    fee: opt(t.integerLike),
    gas_price: opt(t.integerLike),
  },
  integers: [],
  encodings: [],
  answer: 'ok',
} as const satisfies ClientMethodSpec;
