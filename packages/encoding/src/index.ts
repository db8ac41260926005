/**
 * @packageDocumentation
 * æternity serialization, byte for byte as the node does it: the API encoding of every prefix
 * (`ak_` base58check, `tx_` base64check, …), canonical RLP, ids, and an encoder/decoder pair per
 * chain object and version (signed tx, spend, every channel tx, off-chain tx and updates, the
 * channel object, PoI, state trees, contracts, GA meta tx).
 *
 * @example
 * ```ts
 * import { decodeTx, encodeTx } from '@aesc/encoding';
 * const signed = decodeTx('tx_+IkLAcC4hPiC…');   // { tag: 'signed_tx', signatures, tx: { tag: 'channel_create_tx', … } }
 * encodeTx(signed);                              // the same tx_ string
 * ```
 */
export * from './api-encoding.js';
export * from './api-prefixes.js';
export * from './base58.js';
export * from './base64.js';
export * from './bounded-cache.js';
export * from './byte-slab.js';
export * from './bytes.js';
export * from './field.js';
export * from './id.js';
export * from './inspect.js';
export * from './integer.js';
export * from './json-value.js';
export * from './nested.js';
export * from './object-codec.js';
export * from './object-def.js';
export * from './object-registry.js';
export * from './objects/index.js';
export * from './registry.js';
export * from './rlp.js';
export * from './sha256.js';
export * from './tags.js';
export * from './tx.js';
