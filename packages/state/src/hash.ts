/** BLAKE2b with a 32-byte digest: the node's `aec_hash:hash/2` for tree nodes and state hashes (`@aesc/encoding`'s one-shot version). */
export { blake2b256 } from '@aesc/encoding';
