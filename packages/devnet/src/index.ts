/**
 * @packageDocumentation
 * A channel node on the embedded æternity dev chain, in one call: `@aesc/chain`'s dev chain with
 * its `/v3` HTTP API and `@aesc/node`'s `/channel` endpoint on the same port.
 *
 * @example
 * ```ts
 * import { startDevnet } from '@aesc/devnet';
 * const devnet = await startDevnet({ port: 0 });   // devnet.channelUrl: ws://127.0.0.1:…/channel
 * await devnet.chain.chain.emitKeyBlocks(1);
 * await devnet.close();
 * ```
 */
export * from './start-devnet.js';
