import type { JsonValue } from './lossless-json.js';

/** A JSON-RPC id: numbers beyond 2^53 are `bigint`; `null` in errors to id-less requests. */
export type JsonRpcId = number | bigint | string | null;

/** A request (with `id`) or notification (without) sent to the peer. */
export interface JsonRpcRequest<TMethod extends string = string, TParams = unknown> {
  readonly jsonrpc: '2.0';
  readonly id?: JsonRpcId;
  readonly method: TMethod;
  readonly params?: TParams;
}

/**
 * The error object of a response. The æternity node adds `data` (reason codes) and `request`
 * (the offending request, echoed; `{}` for connection-level errors).
 */
export interface JsonRpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: JsonValue;
  readonly request?: JsonValue;
}

/** A successful response. The node adds `version: 1` and a top-level `channel_id`. */
export interface JsonRpcResult<TResult = unknown> {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly result: TResult;
  readonly version?: number;
  readonly channel_id?: string | null;
}

/** An error response. `id` is `null` when the request had none. */
export interface JsonRpcError {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly error: JsonRpcErrorObject;
  readonly version?: number;
  readonly channel_id?: string | null;
}

/** A notification from the peer (no `id`). */
export interface JsonRpcNotification<TMethod extends string = string, TParams = unknown> {
  readonly jsonrpc: '2.0';
  readonly method: TMethod;
  readonly params?: TParams;
  readonly version?: number;
}

/** Any single JSON-RPC message, classified by {@link classifyMessage}. */
export type JsonRpcMessage =
  | ({ readonly kind: 'request' } & { readonly message: JsonRpcRequest & { readonly id: JsonRpcId } })
  | { readonly kind: 'notification'; readonly message: JsonRpcNotification }
  | { readonly kind: 'result'; readonly message: JsonRpcResult }
  | { readonly kind: 'error'; readonly message: JsonRpcError };

/**
 * The key under which a request id is matched: numbers and bigints with the same digits match
 * (a bigint id sent comes back as a bigint, a small one as a number).
 */
export function idKey(id: JsonRpcId | undefined): string {
  if (id === null || id === undefined) return 'null';
  if (typeof id === 'string') return `s:${id}`;
  return `n:${id.toString()}`;
}
