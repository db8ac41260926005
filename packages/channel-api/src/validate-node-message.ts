import {
  AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE,
  AESC_ERROR__CHANNEL_API__UNKNOWN_EVENT,
  AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD,
  AescError,
} from '@aesc/errors';
import { isEncodedWith, isJsonInteger } from './check-value.js';
import { ERROR_REASON_MESSAGES, RPC_ERROR_MESSAGES } from './error-codes.js';
import type { NodeMessage, ValidationResult } from './messages.js';
import {
  INFO_EVENTS,
  NOTIFICATION_METHODS,
  ON_CHAIN_TX_INFO,
  ON_CHAIN_TX_TYPES,
  REPLY_NOTIFICATIONS,
} from './node-notifications.js';
import { SIGN_TAGS } from './sign-tags.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Malformed extends Error {}

function need(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new Malformed(reason);
}

const isId = (v: unknown) => v === null || typeof v === 'string' || isJsonInteger(v);
const isChannelId = (v: unknown) => v === null || isEncodedWith(v, ['ch']);

function checkError(e: unknown): void {
  need(isObject(e), '"error" is not an object');
  need(Object.hasOwn(RPC_ERROR_MESSAGES, String(e.code)), `unknown error code ${String(e.code)}`);
  need(
    e.message === RPC_ERROR_MESSAGES[e.code as keyof typeof RPC_ERROR_MESSAGES],
    `error ${String(e.code)} has message ${JSON.stringify(e.message)}`,
  );
  if ('data' in e) {
    need(Array.isArray(e.data), '"error.data" is not a list');
    for (const d of e.data) {
      need(isObject(d) && Object.hasOwn(ERROR_REASON_MESSAGES, String(d.code)), 'unknown "error.data" reason code');
      need(
        d.message === ERROR_REASON_MESSAGES[d.code as keyof typeof ERROR_REASON_MESSAGES],
        `reason ${String(d.code)} has message ${JSON.stringify(d.message)}`,
      );
    }
  }
  if ('request' in e) need(isObject(e.request), '"error.request" is not an object');
}

function checkNotification(method: string, data: unknown): AescError | undefined {
  const unknownEvent = (event: string) => new AescError(AESC_ERROR__CHANNEL_API__UNKNOWN_EVENT, { method, event });
  if (method === 'channels.info') {
    need(isObject(data) && typeof data.event === 'string', 'channels.info needs data.event');
    if (!Object.hasOwn(INFO_EVENTS, data.event)) return unknownEvent(data.event);
    const spec = INFO_EVENTS[data.event as keyof typeof INFO_EVENTS];
    for (const k of spec.required) need(k in data, `event ${data.event} needs ${k}`);
    for (const k of Object.keys(data)) {
      need(
        k === 'event' || (spec.required as readonly string[]).includes(k) || (spec.optional as readonly string[]).includes(k),
        `event ${data.event} has an unexpected key ${k}`,
      );
    }
    if ('fsm_id' in data) need(isEncodedWith(data.fsm_id, ['ba']), 'fsm_id is not a ba_ string');
    return undefined;
  }
  if (method === 'channels.on_chain_tx') {
    need(isObject(data), 'channels.on_chain_tx needs data');
    if (!(ON_CHAIN_TX_INFO as readonly unknown[]).includes(data.info)) return unknownEvent(String(data.info));
    need((ON_CHAIN_TX_TYPES as readonly unknown[]).includes(data.type), `unknown tx type ${String(data.type)}`);
    need(isEncodedWith(data.tx, ['tx']), 'data.tx is not a tx_ string');
    return undefined;
  }
  if (method.startsWith('channels.sign.')) {
    const tag = method.slice('channels.sign.'.length);
    if (!Object.hasOwn(SIGN_TAGS, tag)) {
      return new AescError(AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD, { direction: 'node', method });
    }
    need(isObject(data), `${method} needs data`);
    need(isEncodedWith(data.signed_tx, ['tx']), 'data.signed_tx is not a tx_ string');
    need(Array.isArray(data.updates), 'data.updates is not a list');
    return undefined;
  }
  switch (method) {
    case 'channels.update':
    case 'channels.leave':
      need(isObject(data) && isEncodedWith(data.state, ['tx']), `${method} needs data.state (tx_)`);
      return undefined;
    case 'channels.conflict':
      need(
        isObject(data) &&
          isJsonInteger(data.error_code) &&
          typeof data.error_msg === 'string' &&
          isJsonInteger(data.round) &&
          isEncodedWith(data.channel_id, ['ch']),
        'channels.conflict needs channel_id, error_code, error_msg and round',
      );
      return undefined;
    case 'channels.message': {
      need(isObject(data) && isObject(data.message), 'channels.message needs data.message');
      const m = data.message;
      need(
        isEncodedWith(m.from, ['ak']) && isEncodedWith(m.to, ['ak']) && typeof m.info === 'string',
        'channels.message needs from, to and info',
      );
      return undefined;
    }
    case 'channels.system.pong':
      need(isObject(data) && data.action === 'system' && data.tag === 'pong', 'channels.system.pong needs action/tag');
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Validates a node → client message of the channel API: a response (`result` or `error`, with the
 * node's exact error messages), or a notification with its data (`channels.info` events,
 * `channels.on_chain_tx` info/type, `channels.sign.<tag>`, `*.reply`, …). Returns it typed and
 * discriminated, or a coded error (malformed, unknown method, unknown event). Never throws.
 *
 * @example
 * ```ts
 * const r = validateNodeMessage(frame);
 * if (r.ok && r.value.kind === 'notification' && r.value.message.method === 'channels.info') {
 *   r.value.message.params.data.event; // InfoEvent
 * }
 * ```
 */
export function validateNodeMessage(msg: unknown): ValidationResult<NodeMessage> {
  try {
    need(isObject(msg), 'not an object');
    need(msg.jsonrpc === '2.0', '"jsonrpc" is not "2.0"');
    need(msg.version === 1, '"version" is not 1');
    if ('method' in msg) {
      need(typeof msg.method === 'string', '"method" is not a string');
      const method = msg.method;
      need(!('id' in msg), 'a notification has no id');
      const known =
        (NOTIFICATION_METHODS as readonly string[]).includes(method) ||
        method.startsWith('channels.sign.') ||
        Object.hasOwn(REPLY_NOTIFICATIONS, method);
      if (!known) {
        return { ok: false, error: new AescError(AESC_ERROR__CHANNEL_API__UNKNOWN_METHOD, { direction: 'node', method }) };
      }
      const params = msg.params;
      need(isObject(params), '"params" is not an object');
      need('channel_id' in params && isChannelId(params.channel_id), '"params.channel_id" is not a ch_ id or null');
      need('data' in params, '"params.data" is missing');
      const error = checkNotification(method, params.data);
      if (error) return { ok: false, error };
      return { ok: true, value: { kind: 'notification', message: msg as never } };
    }
    need('id' in msg && isId(msg.id), 'a response needs an id');
    need('channel_id' in msg && isChannelId(msg.channel_id), '"channel_id" is not a ch_ id or null');
    if ('result' in msg) {
      need(!('error' in msg), 'both "result" and "error"');
      return { ok: true, value: { kind: 'result', message: msg as never } };
    }
    need('error' in msg, 'neither "method", "result" nor "error"');
    checkError(msg.error);
    return { ok: true, value: { kind: 'error', message: msg as never } };
  } catch (e) {
    if (!(e instanceof Malformed)) throw e;
    return {
      ok: false,
      error: new AescError(AESC_ERROR__CHANNEL_API__MALFORMED_MESSAGE, { direction: 'node', reason: e.message }),
    };
  }
}
