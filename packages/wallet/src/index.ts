/**
 * @packageDocumentation
 * Signers for æternity: the `Signer` role interface (an account and `signTransaction`), an
 * in-memory key, and the æternity keystore file (argon2id + xsalsa20-poly1305) as æternity's tools
 * write it.
 */
export * from './keystore.js';
export * from './memory-signer.js';
export * from './remote-signer.js';
export type * from './signer.js';
