/** blake2b with a 32-byte digest, the node's `aec_hash:hash/2` for every hash (tx, state, ids): `@aesc/encoding`'s one-shot version. */
export { blake2b256 } from '@aesc/encoding';
