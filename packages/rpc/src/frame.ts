import { AESC_ERROR__RPC__INVALID_MESSAGE, AESC_ERROR__RPC__MALFORMED_FRAME, AescError, isAescError } from '@aesc/errors';
import type { JsonRpcId, JsonRpcMessage } from './json-rpc.js';
import { type JsonValue, parseJson } from './lossless-json.js';
import { stringifySorted } from './sorted-json.js';

/** The result of {@link parseFrame}: the messages of a frame, or why it is not JSON-RPC. */
export type ParsedFrame =
  | { readonly ok: true; readonly batch: boolean; readonly messages: readonly JsonRpcMessage[] }
  | {
      readonly ok: false;
      /** `AESC_ERROR__RPC__MALFORMED_FRAME` (not JSON) or `AESC_ERROR__RPC__INVALID_MESSAGE`. */
      readonly error: AescError;
      /** The JSON-RPC error code a server answers with: -32700 parse error, -32000 invalid request. */
      readonly rpcCode: -32700 | -32000;
      /** The parsed value when the frame was JSON but not JSON-RPC. */
      readonly value?: JsonValue;
    };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is JsonRpcId {
  return v === null || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string';
}

/**
 * Classifies one decoded JSON value as a JSON-RPC request, notification, result or error.
 * Throws `AESC_ERROR__RPC__INVALID_MESSAGE` when it is none of them.
 */
export function classifyMessage(value: unknown): JsonRpcMessage {
  const invalid = (reason: string) => new AescError(AESC_ERROR__RPC__INVALID_MESSAGE, { reason });
  if (!isObject(value)) throw invalid('not an object');
  if (value.jsonrpc !== '2.0') throw invalid('"jsonrpc" is not "2.0"');
  if ('method' in value) {
    if (typeof value.method !== 'string') throw invalid('"method" is not a string');
    if ('id' in value) {
      if (!isId(value.id)) throw invalid('"id" is not a number, string or null');
      return { kind: 'request', message: value as never };
    }
    return { kind: 'notification', message: value as never };
  }
  if (!('id' in value) || !isId(value.id)) throw invalid('a response needs an "id"');
  if ('result' in value) return { kind: 'result', message: value as never };
  if ('error' in value) {
    const e = value.error;
    if (!isObject(e) || typeof e.code !== 'number' || typeof e.message !== 'string') {
      throw invalid('"error" needs a numeric "code" and a string "message"');
    }
    return { kind: 'error', message: value as never };
  }
  throw invalid('neither "method", "result" nor "error"');
}

/**
 * Parses one WebSocket text frame: a JSON-RPC message or a batch (array) of them. Never throws:
 * a frame that is not JSON or not JSON-RPC gives `{ ok: false, error, rpcCode }`.
 *
 * @example
 * ```ts
 * const f = parseFrame('{"jsonrpc":"2.0","id":-576460752303423488,"result":"ok"}');
 * if (f.ok) f.messages[0]; // { kind: 'result', message: { id: -576460752303423488n, … } }
 * ```
 */
export function parseFrame(text: string): ParsedFrame {
  let value: JsonValue;
  try {
    value = parseJson(text);
  } catch (e) {
    const error = isAescError(e)
      ? e
      : new AescError(AESC_ERROR__RPC__MALFORMED_FRAME, { reason: String(e) }, { cause: e });
    return { ok: false, error, rpcCode: -32700 };
  }
  try {
    if (Array.isArray(value)) {
      if (value.length === 0) {
        throw new AescError(AESC_ERROR__RPC__INVALID_MESSAGE, { reason: 'empty batch' });
      }
      return { ok: true, batch: true, messages: value.map(classifyMessage) };
    }
    return { ok: true, batch: false, messages: [classifyMessage(value)] };
  } catch (e) {
    if (!isAescError(e)) throw e;
    return { ok: false, error: e, rpcCode: -32000, value };
  }
}

/** The standard JSON-RPC error messages the node uses for the standard codes. */
export const JSON_RPC_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  [-32700]: 'Parse error',
  [-32000]: 'Invalid request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
};

/**
 * Members a protocol adds to every frame beside the JSON-RPC ones (the æternity channel API adds
 * `version` and a top-level `channel_id`: `@aesc/channel-api` frames that envelope).
 */
export type FrameEnvelope = Readonly<Record<string, unknown>>;

/** Frames a response: `{"id":…,"jsonrpc":"2.0","result":…}` with `envelope`'s members, keys sorted at every level. */
export function frameResult(id: JsonRpcId, result: unknown, envelope?: FrameEnvelope): string {
  return stringifySorted({ ...envelope, jsonrpc: '2.0', id, result });
}

/** Frames a notification: `{"jsonrpc":"2.0","method":…,"params":…}` with `envelope`'s members, keys sorted. */
export function frameNotification(method: string, params: unknown, envelope?: FrameEnvelope): string {
  return stringifySorted({ ...envelope, jsonrpc: '2.0', method, params });
}

/** What {@link frameError} writes into the `error` member. */
export interface FrameErrorOptions {
  /** The id of the request, `null` (or absent) when it had none. */
  readonly id?: JsonRpcId;
  readonly code: number;
  /** Defaults to the standard message of `code` (see {@link JSON_RPC_ERROR_MESSAGES}). */
  readonly message?: string;
  /** Reason entries, e.g. `[{ code: 1008, message: 'Not a number' }]`. */
  readonly data?: unknown;
  /** The offending request, echoed (`{}` for connection-level errors); omitted when undefined. */
  readonly request?: unknown;
}

/**
 * Frames an error response: `{"error":{"code":3,"data":[…],"message":"Rejected","request":{…}},"id":null,"jsonrpc":"2.0"}`
 * with `envelope`'s members, keys sorted.
 */
export function frameError(options: FrameErrorOptions, envelope?: FrameEnvelope): string {
  const error: Record<string, unknown> = {
    code: options.code,
    message: options.message ?? JSON_RPC_ERROR_MESSAGES[options.code] ?? 'Unknown error',
  };
  if (options.data !== undefined) error.data = options.data;
  if (options.request !== undefined) error.request = options.request;
  return stringifySorted({ ...envelope, jsonrpc: '2.0', id: options.id ?? null, error });
}
