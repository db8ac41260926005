/**
 * @packageDocumentation
 * æternity crypto: Ed25519 key pairs (native `node:crypto`/WebCrypto with `@noble/ed25519` as the
 * portable fallback, identical results), BLAKE2b (256 and 512 bits, and HMAC over it), transaction
 * signing and verification for a network id in both forms the node accepts, signatures in the
 * node's order, and channel, contract and transaction ids.
 *
 * @example
 * ```ts
 * import { generateKeyPair, accountAddress, signEncodedTx, verifySignedTx } from '@aesc/crypto';
 * const keys = await generateKeyPair();
 * const signed = await signEncodedTx('tx_…', 'ae_mainnet', keys.secretKey);
 * const report = await verifySignedTx(signed, 'ae_mainnet', { expectedSigners: [accountAddress(keys.publicKey)] });
 * ```
 */
export * from './blake2b.js';
export * from './ed25519.js';
export * from './ids.js';
export * from './keys.js';
export * from './sign-tx.js';
export * from './signature-report.js';
