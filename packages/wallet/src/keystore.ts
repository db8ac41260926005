import { accountAddress, keyPairFromSecretKey } from '@aesc/crypto';
import { fromHex, toHex } from '@aesc/encoding';
import {
  AESC_ERROR__WALLET__INVALID_KEYSTORE,
  AESC_ERROR__WALLET__UNSUPPORTED_KEYSTORE,
  AESC_ERROR__WALLET__WRONG_PASSWORD,
  AescError,
} from '@aesc/errors';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { memorySigner } from './memory-signer.js';
import type { Signer } from './signer.js';

/**
 * The æternity keystore file (version 1) as æternity's tools write it: the 64-byte secret key
 * encrypted with xsalsa20-poly1305 under a key derived from the password with argon2id (32-byte
 * output, parallelism 1); every binary field in hex.
 */
export interface Keystore {
  readonly name: string;
  readonly version: 1;
  readonly public_key: string;
  readonly id: string;
  readonly crypto: {
    readonly secret_type: 'ed25519';
    readonly symmetric_alg: 'xsalsa20-poly1305';
    readonly ciphertext: string;
    readonly cipher_params: { readonly nonce: string };
    readonly kdf: 'argon2id';
    readonly kdf_params: { readonly memlimit_kib: number; readonly opslimit: number; readonly parallelism: number; readonly salt: string };
  };
}

/** The parameters æternity's tools use by default (64 MiB, 3 passes). */
export const KEYSTORE_DEFAULTS = { memlimit_kib: 65536, opslimit: 3, parallelism: 1 } as const;

function deriveKey(password: string, salt: Uint8Array, p: Keystore['crypto']['kdf_params']): Promise<Uint8Array> {
  return argon2idAsync(password, salt, { t: p.opslimit, m: p.memlimit_kib, p: p.parallelism, dkLen: 32 });
}

function hex(value: unknown, field: string, size?: number): Uint8Array {
  const b = typeof value === 'string' ? fromHex(value) : undefined;
  if (b === undefined || (size !== undefined && b.length !== size)) {
    throw new AescError(AESC_ERROR__WALLET__INVALID_KEYSTORE, { reason: `${field} is not ${size ?? ''} hex bytes`.replace('  ', ' ') });
  }
  return b;
}

/** Options of {@link encryptKeystore}; nonce and salt are random unless given (tests). */
export interface EncryptOptions {
  readonly name?: string;
  readonly id?: string;
  readonly nonce?: Uint8Array;
  readonly salt?: Uint8Array;
  readonly kdfParams?: Partial<Omit<Keystore['crypto']['kdf_params'], 'salt'>>;
}

/** Encrypts a secret key (seed or 64-byte secret key) into a keystore file. */
export async function encryptKeystore(secretKey: Uint8Array, password: string, options: EncryptOptions = {}): Promise<Keystore> {
  const keys = await keyPairFromSecretKey(secretKey);
  const random = (n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n));
  const nonce = options.nonce ?? random(24);
  const salt = options.salt ?? random(16);
  const kdfParams = { ...KEYSTORE_DEFAULTS, ...options.kdfParams, salt: toHex(salt) };
  const key = await deriveKey(password, salt, kdfParams);
  return {
    name: options.name ?? '',
    version: 1,
    public_key: accountAddress(keys.publicKey),
    id: options.id ?? globalThis.crypto.randomUUID(),
    crypto: {
      secret_type: 'ed25519',
      symmetric_alg: 'xsalsa20-poly1305',
      ciphertext: toHex(xsalsa20poly1305(key, nonce).encrypt(keys.secretKey)),
      cipher_params: { nonce: toHex(nonce) },
      kdf: 'argon2id',
      kdf_params: kdfParams,
    },
  };
}

/** Decrypts a keystore file to its 64-byte secret key; a wrong password gives a coded error. */
export async function decryptKeystore(keystore: unknown, password: string): Promise<Uint8Array> {
  const k = keystore as Keystore;
  if (typeof k !== 'object' || k === null || typeof k.crypto !== 'object' || k.crypto === null) {
    throw new AescError(AESC_ERROR__WALLET__INVALID_KEYSTORE, { reason: 'not a keystore object' });
  }
  if (k.version !== 1) throw new AescError(AESC_ERROR__WALLET__UNSUPPORTED_KEYSTORE, { field: 'version', value: String(k.version) });
  if (k.crypto.kdf !== 'argon2id') throw new AescError(AESC_ERROR__WALLET__UNSUPPORTED_KEYSTORE, { field: 'kdf', value: String(k.crypto.kdf) });
  if (k.crypto.symmetric_alg !== 'xsalsa20-poly1305') {
    throw new AescError(AESC_ERROR__WALLET__UNSUPPORTED_KEYSTORE, { field: 'symmetric_alg', value: String(k.crypto.symmetric_alg) });
  }
  const p = k.crypto.kdf_params;
  if (typeof p !== 'object' || p === null || ![p.memlimit_kib, p.opslimit, p.parallelism].every((n) => Number.isInteger(n) && n > 0)) {
    throw new AescError(AESC_ERROR__WALLET__INVALID_KEYSTORE, { reason: 'bad kdf_params' });
  }
  const salt = hex(p.salt, 'salt');
  const nonce = hex(k.crypto.cipher_params?.nonce, 'nonce', 24);
  const ciphertext = hex(k.crypto.ciphertext, 'ciphertext');
  const key = await deriveKey(password, salt, p);
  let secretKey: Uint8Array;
  try {
    secretKey = xsalsa20poly1305(key, nonce).decrypt(ciphertext);
  } catch {
    throw new AescError(AESC_ERROR__WALLET__WRONG_PASSWORD, { name: String(k.name ?? '') });
  }
  const keys = await keyPairFromSecretKey(secretKey);
  if (typeof k.public_key === 'string' && k.public_key !== accountAddress(keys.publicKey)) {
    throw new AescError(AESC_ERROR__WALLET__INVALID_KEYSTORE, { reason: 'public_key does not match the encrypted key' });
  }
  return keys.secretKey;
}

/** A signer whose key comes from a keystore file. */
export async function keystoreSigner(keystore: unknown, password: string): Promise<Signer> {
  return memorySigner(await decryptKeystore(keystore, password));
}
