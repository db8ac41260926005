/**
 * @packageDocumentation
 * What the æternity channel node needs from a chain, with no chain inside and no native
 * dependency: the `ChainAdapter` and `BlockSource` interfaces, and both over the æternity node's
 * HTTP API (`/v3`), so a channel node can run against a remote æternity node (or the dev chain's
 * server) with nothing else. The embedded dev chain and its in-process adapter are `@aesc/chain`.
 *
 * @example
 * ```ts
 * import { httpAdapter, httpBlocks } from '@aesc/chain-api';
 * const chain = httpAdapter('http://127.0.0.1:3013');   // any server with the node's /v3 API
 * const blocks = httpBlocks('http://127.0.0.1:3013');
 * await chain.height();
 * await chain.close();
 * ```
 */
export * from './block-source.js';
export * from './chain-adapter.js';
export * from './gas-price.js';
export * from './http-adapter.js';
export * from './http-blocks.js';
export * from './json.js';
export * from './listen.js';
export * from './tx-from-json.js';
export * from './tx-json.js';
