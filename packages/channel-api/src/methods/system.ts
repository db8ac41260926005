import { type ClientMethodSpec, req, t } from '../param-schema.js';

/** Params of `channels.system`. */
export interface SystemParams {
  readonly action: 'ping' | 'stop';
}

/** `channels.system`: `ping` (answered by `channels.system.pong`) or `stop` (kills the FSM ungracefully). */
export const SYSTEM = {
  method: 'channels.system',
  paramsRequired: true,
  params: {
    action: req(t.enumOf('ping', 'stop')),
  },
  integers: [],
  encodings: [],
  answer: 'data',
  replyMethod: 'channels.system.pong',
} as const satisfies ClientMethodSpec;
