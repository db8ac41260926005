import { type FrameErrorOptions, JSON_RPC_ERROR_MESSAGES, type JsonRpcId, stringifySorted } from '@aesc/rpc';

/**
 * The æternity node's envelope of every frame on `/channel`: JSON-RPC 2.0 with `"version": 1`, and
 * the channel id (`null` before the node's FSM knows it) at the top of responses and errors, and
 * in the params of notifications (`sc_ws_api_jsonrpc`). Keys are sorted at every level, as the
 * node's JSON encoder writes them.
 */

/**
 * A response as the node frames it:
 * `{"channel_id":…,"id":…,"jsonrpc":"2.0","result":…,"version":1}`.
 *
 * @example
 * ```ts
 * frameChannelResult(1, 'ok', 'ch_x'); // '{"channel_id":"ch_x","id":1,"jsonrpc":"2.0","result":"ok","version":1}'
 * ```
 */
export function frameChannelResult(id: JsonRpcId, result: unknown, channelId: string | null = null): string {
  // (the literal, not `frameResult` with an envelope: the node writes several frames a round, and a
  // spread makes an object of another shape for every one)
  return stringifySorted({ jsonrpc: '2.0', version: 1, channel_id: channelId, id, result });
}

/** A notification as the node frames it: `{"jsonrpc":"2.0","method":…,"params":{"channel_id":…,"data":…},"version":1}`. */
export function frameChannelNotification(method: string, data: unknown, channelId: string | null = null): string {
  return stringifySorted({ jsonrpc: '2.0', version: 1, method, params: { channel_id: channelId, data } });
}

/**
 * An error as the node frames it:
 * `{"channel_id":…,"error":{"code":3,"data":[…],"message":"Rejected","request":{…}},"id":null,"jsonrpc":"2.0","version":1}`.
 */
export function frameChannelError(options: FrameErrorOptions & { readonly channelId?: string | null }): string {
  const error: Record<string, unknown> = { code: options.code, message: options.message ?? JSON_RPC_ERROR_MESSAGES[options.code] ?? 'Unknown error' };
  if (options.data !== undefined) error.data = options.data;
  if (options.request !== undefined) error.request = options.request;
  return stringifySorted({ jsonrpc: '2.0', version: 1, channel_id: options.channelId ?? null, id: options.id ?? null, error });
}
