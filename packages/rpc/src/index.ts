/**
 * @packageDocumentation
 * JSON-RPC 2.0 over WebSocket for the æternity channel API, knowing nothing of channels:
 * lossless big-integer JSON, a transport interface with a WebSocket implementation for Node (`ws`)
 * and browsers, a client that matches responses the node's way (ids beyond 2^53, id-less requests
 * answered by `.reply` notifications or by errors echoing the request), timeouts, cancellation,
 * keep-alive and reconnect, and server-side framing that writes frames byte for byte like the node.
 */
export * from './backoff.js';
export * from './frame.js';
export * from './json-float.js';
export * from './json-rpc.js';
export * from './lossless-json.js';
export * from './pending-table.js';
export * from './rpc-client.js';
export * from './sorted-json.js';
export type * from './transport.js';
export * from './websocket-transport.js';
