import { blake2b } from '@noble/hashes/blake2.js';

/** blake2b with a 32-byte digest, the node's `aec_hash:hash/2` for every hash (tx, state, ids). */
export function blake2b256(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 32 });
}
