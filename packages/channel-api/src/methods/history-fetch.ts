import type { JsonInteger } from '../json-integer.js';
import { type ClientMethodSpec, opt, t } from '../param-schema.js';

/** Params of `channels.history.fetch`. */
export interface HistoryFetchParams {
  readonly n?: JsonInteger | `${number}`;
  readonly type?: readonly ('rpt' | 'rcv' | 'snd' | 'req')[];
  readonly tag?: readonly ('info' | 'on_chain_tx' | 'conflict' | 'update' | 'leave' | 'error' | 'debug')[];
}

/** `channels.history.fetch`: Reads a window of the FSM event log. */
export const HISTORY_FETCH = {
  method: 'channels.history.fetch',
  paramsRequired: true,
  params: {
    n: opt(t.integerLike),
    type: opt(t.list(t.enumOf('rpt', 'rcv', 'snd', 'req'))),
    tag: opt(t.list(t.enumOf('info', 'on_chain_tx', 'conflict', 'update', 'leave', 'error', 'debug'))),
  },
  integers: [],
  encodings: [],
  answer: 'data',
  replyMethod: 'channels.history.fetch.reply',
} as const satisfies ClientMethodSpec;
