import { blake2b } from '@noble/hashes/blake2.js';

/**
 * BLAKE2b with a 32-byte digest: the node's `aec_hash:hash/2` for tree nodes and state hashes.
 * (Used directly rather than through `@aesc/crypto` so that the state package has no key-handling
 * dependency.)
 */
export function blake2b256(bytes: Uint8Array): Uint8Array {
  return blake2b(bytes, { dkLen: 32 });
}

