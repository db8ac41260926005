import type { AccountAddress } from '@aesc/encoding';
import { type ClientMethodSpec, opt, req, t } from '../param-schema.js';

/** Params of `channels.message`. */
export interface MessageParams {
  readonly to: AccountAddress;
  readonly info: string;
  readonly from?: AccountAddress;
}

/** `channels.message`: Sends a generic in-band message (≤ 65 000 bytes) to the peer; `from` only with `msg_forwarding`. */
export const MESSAGE = {
  method: 'channels.message',
  paramsRequired: true,
  params: {
    to: req(t.encoded('ak')),
    info: req(t.string),
    from: opt(t.encoded('ak')),
  },
  integers: [],
  encodings: [{ keys: ['to'], code: 1005 }],
  answer: 'ok',
} as const satisfies ClientMethodSpec;
