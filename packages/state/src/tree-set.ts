import { allocBytes, type StateHash, encodeApi } from '@aesc/encoding';
import { blake2b256 } from '@aesc/crypto';
import { type Mpt, emptyMpt } from './mpt.js';
import { EMPTY_NODE_SOURCE, type NodeSource } from './node-store.js';

// aec_trees.erl: the six state trees and the state hash over their root hashes.

/** The state trees in the order the state hash covers them. */
export const TREE_NAMES = ['accounts', 'calls', 'channels', 'contracts', 'ns', 'oracles'] as const;

/** One of the six state trees. */
export type TreeName = (typeof TREE_NAMES)[number];

/**
 * The node's state trees (`aec_trees`): accounts, calls, channels, contracts, name service and
 * oracles, each a Merkle Patricia tree of serialized objects. A channel's off-chain state uses
 * the accounts, contracts and calls trees; the chain uses them all.
 */
export type TreeSet = { readonly [K in TreeName]: Mpt };

/** The root hash of each tree; undefined for an empty tree. */
export type RootHashes = { readonly [K in TreeName]: Uint8Array | undefined };

/** Six empty trees. */
export function emptyTreeSet(source: NodeSource = EMPTY_NODE_SOURCE): TreeSet {
  const empty = emptyMpt(source);
  return Object.freeze({ accounts: empty, calls: empty, channels: empty, contracts: empty, ns: empty, oracles: empty });
}

/** The trees with one of them replaced. */
export function withTree(trees: TreeSet, name: TreeName, tree: Mpt): TreeSet {
  return {
    accounts: name === 'accounts' ? tree : trees.accounts,
    calls: name === 'calls' ? tree : trees.calls,
    channels: name === 'channels' ? tree : trees.channels,
    contracts: name === 'contracts' ? tree : trees.contracts,
    ns: name === 'ns' ? tree : trees.ns,
    oracles: name === 'oracles' ? tree : trees.oracles,
  };
}

/** The root hash of every tree. */
export function rootHashesOf(trees: TreeSet): RootHashes {
  return {
    accounts: trees.accounts.rootHash,
    calls: trees.calls.rootHash,
    channels: trees.channels.rootHash,
    contracts: trees.contracts.rootHash,
    ns: trees.ns.rootHash,
    oracles: trees.oracles.rootHash,
  };
}

/**
 * The state hash over six root hashes, as `aec_trees:hash/1` computes it: blake2b-256 of
 * `<<1:64>>` followed by the root hashes of accounts, calls, channels, contracts, ns and oracles,
 * 32 zero bytes standing for an empty tree.
 */
export function stateHashFromRootHashes(roots: RootHashes): Uint8Array {
  const buf = allocBytes(8 + 32 * TREE_NAMES.length);
  buf[7] = 1;
  TREE_NAMES.forEach((name, i) => {
    const root = roots[name];
    if (root !== undefined) buf.set(root, 8 + 32 * i);
  });
  return blake2b256(buf);
}

/** The state hash of the trees (32 bytes). */
export function stateHashOf(trees: TreeSet): Uint8Array {
  return stateHashFromRootHashes(rootHashesOf(trees));
}

/** The state hash of the trees as an API string (`st_…`), the form transactions carry. */
export function encodedStateHashOf(trees: TreeSet): StateHash {
  return encodeApi('st', stateHashOf(trees));
}
