/**
 * @packageDocumentation
 * The æternity channel node in TypeScript: one FSM per participant with the node's behaviour
 * (`aesc_fsm`), FSM ⇄ FSM links (in process, or the peer wire protocol over Noise), the
 * `/channel` WebSocket JSON-RPC endpoint exactly as the node speaks it, and an encrypted state
 * cache, on any `ChainAdapter` of `@aesc/chain` (the embedded dev chain by default).
 *
 * @example
 * ```ts
 * import { startNode } from '@aesc/node';
 * const node = await startNode({ port: 3013 });   // ws://127.0.0.1:3013/channel and the chain's /v3 API
 * // … clients connect …
 * await node.close();
 * ```
 */
export * from './cache/sqlite-state-cache.js';
export * from './cache/state-cache.js';
export * from './channel-node.js';
export * from './fsm/block-hash-delta.js';
export * from './fsm/block-source.js';
export type * from './fsm/cached-channel.js';
export * from './fsm/channel-fsm.js';
export * from './fsm/client-reply.js';
export * from './fsm/fees.js';
export type * from './fsm/fsm-host.js';
export type { SignatureCheck } from './fsm/signature-check.js';
export type { StateMemo } from './fsm/state-memo.js';
export * from './fsm/fsm-options.js';
export * from './fsm/min-depth.js';
export * from './peer/codec.js';
export * from './peer/in-process-link.js';
export * from './peer/noise.js';
export * from './peer/tcp-peer.js';
export type * from './peer/peer-message.js';
export * from './start-node.js';
export * from './ws/channel-endpoint.js';
export * from './ws/channel-route.js';
export * from './ws/static-files.js';
export * from './ws/turn-batcher.js';
