import { toHex } from '@aesc/encoding';

/**
 * Where Merkle tree nodes are read from: the serialized node (its RLP) stored under its
 * blake2b-256 hash. Trees built in memory never need one; a tree opened from a root hash reads
 * its nodes through it, lazily. Reads are synchronous so that tree operations stay plain functions;
 * a database adapter keeps its working set in memory or reads synchronously.
 */
export interface NodeSource {
  /** The RLP of the node with this hash, or undefined when the source does not hold it. */
  get(hash: Uint8Array): Uint8Array | undefined;
}

/** A node source that can also be written: the chain and the channel node plug their database in here. */
export interface NodeStore extends NodeSource {
  /** Stores a node's RLP under its hash. Nodes are content-addressed, so writes are idempotent. */
  put(hash: Uint8Array, rlp: Uint8Array): void;
}

/** A node source that holds nothing (the default for trees built in memory). */
export const EMPTY_NODE_SOURCE: NodeSource = Object.freeze({ get: () => undefined });

/** An in-memory node store: the default store, and a cache in front of a slower one. */
export interface MemoryNodeStore extends NodeStore {
  /** How many nodes it holds. */
  readonly size: number;
}

/**
 * A node store kept in a `Map` (keys are hex hashes). Append-only and content-addressed, so one
 * store can back every past and future version of a tree.
 */
export function memoryNodeStore(): MemoryNodeStore {
  const nodes = new Map<string, Uint8Array>();
  return {
    get: (hash) => nodes.get(toHex(hash)),
    put(hash, rlp) {
      nodes.set(toHex(hash), rlp);
    },
    get size() {
      return nodes.size;
    },
  };
}
