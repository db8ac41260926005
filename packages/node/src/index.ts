/**
 * @packageDocumentation
 * The æternity channel node in TypeScript: one FSM per participant with the node's behaviour
 * (`aesc_fsm`), FSM ⇄ FSM links (in process, or the peer wire protocol over Noise), the
 * `/channel` WebSocket JSON-RPC endpoint exactly as the node speaks it, and an encrypted state
 * cache, on any `ChainAdapter` of `@aesc/chain-api`: a remote æternity node over its HTTP API,
 * or the embedded dev chain (`@aesc/devnet` starts both in one call).
 *
 * @example
 * ```ts
 * import { startNode } from '@aesc/node';
 * const node = await startNode({ chainUrl: 'http://127.0.0.1:3013', port: 3014 });   // ws://127.0.0.1:3014/channel
 * // … clients connect …
 * await node.close();
 * ```
 */
export * from './cache/sqlite-state-cache.js';
export * from './cache/state-cache.js';
export * from './channel-node.js';
export * from './fsm/block-hash-delta.js';
export type * from './fsm/cached-channel.js';
export * from './fsm/channel-fsm.js';
export * from './fsm/client-reply.js';
export type * from './fsm/fsm-host.js';
export type { SignatureCheck } from './fsm/signature-check.js';
export type { StateMemo } from './fsm/state-memo.js';
export * from './fsm/fsm-options.js';
export * from './fsm/min-depth.js';
export type { HistoryFilter, LogEntry, LogOp, LogWindow } from './fsm/event-log.js';
export * from './machine/phase.js';
export { acceptsOpen, acceptsReestablish, newFsmState, restoredFsmState, step } from './machine/step.js';
export type * from './machine/types.js';
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
