import { type FrameErrorOptions, type JsonRpcId, frameError, frameNotification, frameResult } from '@aesc/rpc';

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
  return frameResult(id, result, { version: 1, channel_id: channelId });
}

/** A notification as the node frames it: `{"jsonrpc":"2.0","method":…,"params":{"channel_id":…,"data":…},"version":1}`. */
export function frameChannelNotification(method: string, data: unknown, channelId: string | null = null): string {
  return frameNotification(method, { channel_id: channelId, data }, { version: 1 });
}

/**
 * An error as the node frames it:
 * `{"channel_id":…,"error":{"code":3,"data":[…],"message":"Rejected","request":{…}},"id":null,"jsonrpc":"2.0","version":1}`.
 */
export function frameChannelError(options: FrameErrorOptions & { readonly channelId?: string | null }): string {
  const { channelId, ...error } = options;
  return frameError(error, { version: 1, channel_id: channelId ?? null });
}
