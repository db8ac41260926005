/**
 * @packageDocumentation
 * The æternity state as the node builds it, byte for byte: Merkle Patricia trees (`aeu_mp_trees`),
 * the state trees and their state hash (`aec_trees`), a channel's off-chain state and the rules of
 * its updates (`aesc_offchain_state`, `aesc_offchain_update`), proofs of inclusion (`aec_poi`) and
 * the `ss_` / `cs_` serializations. Everything is immutable: past rounds stay available and share
 * their unchanged nodes.
 *
 * @example
 * ```ts
 * import { applyUpdates, buildPoi, encodedOffchainStateHash, initialState, verifyPoi } from '@aesc/state';
 * const s1 = initialState({ initiator, initiatorAmount: 70n, responder, responderAmount: 40n });
 * const s2 = applyUpdates(s1, [{ tag: 'channel_offchain_update_transfer', version: 1, from: initiator, to: responder, amount: 5n }]);
 * encodedOffchainStateHash(s2);                                      // 'st_…', as the round's off-chain tx carries it
 * verifyPoi(buildPoi(s2.trees, { accounts: [initiator, responder] }), encodedOffchainStateHash(s2));
 * ```
 */
export * from './account.js';
export * from './inspect.js';
export * from './mpt.js';
export * from './mpt-node.js';
export * from './mpt-proof.js';
export * from './nibbles.js';
export * from './node-store.js';
export * from './offchain-state.js';
export * from './offchain-update.js';
export * from './poi.js';
export * from './state-trees-format.js';
export * from './tree-entries.js';
export * from './tree-set.js';
