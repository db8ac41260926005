/**
 * @packageDocumentation
 * The embedded æternity dev chain: a ledger with the node's accounts and channels trees and its
 * rules for spend and channel txs, a mempool, key and micro blocks, persistence in SQLite, the
 * node's `/v3` HTTP API subset, and the `ChainAdapter` the channel node talks to (in-process or
 * over HTTP, to this chain or a real node).
 *
 * @example
 * ```ts
 * import { DevChain, devAccounts, devGenesis, inProcessAdapter } from '@aesc/chain';
 * const chain = DevChain.open({ genesis: devGenesis(await devAccounts(2)) });
 * const adapter = inProcessAdapter(chain);
 * await adapter.height();            // 0n
 * await chain.emitKeyBlocks(10);     // pass a lock period
 * await chain.close();
 * ```
 */
export * from './block.js';
export * from './dev-chain.js';
export * from './dev-chain-blocks.js';
export * from './genesis.js';
export * from './http-server.js';
export * from './in-process-adapter.js';
export * from './ledger.js';
export * from './mempool.js';
export * from './protocol.js';
export * from './recent-gas-prices.js';
export * from './signatures.js';
export * from './spend.js';
export * from './sqlite-store.js';
export * from './start-chain.js';
export * from './tx-failure-limits.js';
export * from './tx-rejection.js';
export * from './tx-validation.js';
