import type { ClientMethodSpec } from '../param-schema.js';

/** Params of `channels.leave`. */
export type LeaveParams = Readonly<Record<string, never>>;

/** `channels.leave`: Leaves the channel: both sides get `channels.leave` with the last co-signed state; the FSM stops. */
export const LEAVE = {
  method: 'channels.leave',
  paramsRequired: false,
  params: {},
  integers: [],
  encodings: [],
  answer: 'ok',
} as const satisfies ClientMethodSpec;
