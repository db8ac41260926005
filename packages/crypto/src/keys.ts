import { type AccountAddress, bytesEqual, decodeApi, encodeApi } from '@aesc/encoding';
import {
  AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY,
  AESC_ERROR__CRYPTO__INVALID_SECRET_KEY,
  AescError,
} from '@aesc/errors';
import { type Ed25519, defaultEd25519 } from './ed25519.js';

/**
 * An Ed25519 key pair as æternity tools keep it: the 64-byte secret key is seed ‖ public key.
 * Never log `secretKey`.
 */
export interface KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** The 32-byte seed of a 32-byte seed or 64-byte seed ‖ public key secret key. */
export function seedOf(secretKey: Uint8Array): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || (secretKey.length !== 32 && secretKey.length !== 64)) {
    throw new AescError(AESC_ERROR__CRYPTO__INVALID_SECRET_KEY, { length: secretKey?.length ?? 0 });
  }
  return secretKey.subarray(0, 32);
}

/** The key pair of a secret key (a 32-byte seed, or 64 bytes seed ‖ public key, whose halves must match). */
export async function keyPairFromSecretKey(secretKey: Uint8Array, ed25519: Ed25519 = defaultEd25519()): Promise<KeyPair> {
  const seed = seedOf(secretKey);
  const publicKey = await ed25519.getPublicKey(seed);
  if (secretKey.length === 64 && !bytesEqual(publicKey, secretKey.subarray(32))) {
    throw new AescError(AESC_ERROR__CRYPTO__INVALID_SECRET_KEY, { length: secretKey.length });
  }
  const full = new Uint8Array(64);
  full.set(seed, 0);
  full.set(publicKey, 32);
  return Object.freeze({ publicKey, secretKey: full });
}

/** A fresh random key pair (seed from the platform's CSPRNG). */
export async function generateKeyPair(ed25519: Ed25519 = defaultEd25519()): Promise<KeyPair> {
  const seed = new Uint8Array(32);
  globalThis.crypto.getRandomValues(seed);
  return keyPairFromSecretKey(seed, ed25519);
}

/** The `ak_…` address of a public key. */
export function accountAddress(publicKey: Uint8Array): AccountAddress {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new AescError(AESC_ERROR__CRYPTO__INVALID_PUBLIC_KEY, { length: publicKey?.length ?? 0 });
  }
  return encodeApi('ak', publicKey);
}

/** The public key of an `ak_…` address. */
export function publicKeyOf(address: string): Uint8Array {
  return decodeApi(address, 'ak');
}
