import { BoundedCache, bytesToKey } from '@aesc/encoding';
import { AESC_ERROR__CRYPTO__NATIVE_ED25519_UNAVAILABLE, AescError } from '@aesc/errors';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

/**
 * An Ed25519 implementation. Keys are the 32-byte seed (secret) and the 32-byte public key;
 * signatures are 64 bytes. Verification is strict RFC 8032 (as libsodium, which the node uses).
 */
export interface Ed25519 {
  readonly name: 'native' | 'noble';
  getPublicKey(seed: Uint8Array): Promise<Uint8Array>;
  sign(message: Uint8Array, seed: Uint8Array): Promise<Uint8Array>;
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean>;
  /**
   * A signing function bound to one key, for signing many messages: the native path prepares its
   * key object once (some ten times faster per signature than `sign`, which prepares it each call).
   */
  signerFor(seed: Uint8Array): (message: Uint8Array) => Promise<Uint8Array>;
  /** A verifying function bound to one public key (prepared once, as {@link Ed25519.signerFor}). */
  verifierFor(publicKey: Uint8Array): (signature: Uint8Array, message: Uint8Array) => Promise<boolean>;
  /**
   * As {@link Ed25519.verifierFor}, with each check run on another thread (node:crypto's job on
   * libuv's thread pool), so that the calling thread goes on with other work meanwhile. Only where
   * the platform has such a thread; handing a check over and back costs more than it saves when
   * the caller has nothing else to do.
   */
  readonly offThreadVerifierFor?: (publicKey: Uint8Array) => (signature: Uint8Array, message: Uint8Array) => Promise<boolean>;
}

/** The portable implementation: @noble/ed25519 with @noble/hashes' SHA-512. */
export function nobleEd25519(): Ed25519 {
  // noble needs a synchronous SHA-512 for its sync API; set it here, on first use, not at import.
  ed.hashes.sha512 ??= sha512;
  return Object.freeze({
    name: 'noble' as const,
    getPublicKey: async (seed: Uint8Array) => ed.getPublicKey(seed),
    sign: async (message: Uint8Array, seed: Uint8Array) => ed.sign(message, seed),
    verify: async (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => nobleVerify(signature, message, publicKey),
    signerFor: (seed: Uint8Array) => async (message: Uint8Array) => ed.sign(message, seed),
    verifierFor: (publicKey: Uint8Array) => async (signature: Uint8Array, message: Uint8Array) =>
      nobleVerify(signature, message, publicKey),
  });
}

function nobleVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

type NodeCrypto = typeof import('node:crypto');

/** node:crypto when running on Node (reached without a static import, so bundles for browsers stay clean). */
function nodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
}

// DER prefixes that wrap a raw Ed25519 key as PKCS#8 (secret seed) and SPKI (public key).
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function der(prefix: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + key.length);
  out.set(prefix, 0);
  out.set(key, prefix.length);
  return out;
}

/**
 * Prepared keys by their bytes, about the `max` last used kept: importing a raw key into node:crypto
 * costs about as much as the signature itself, and a channel signs and verifies with the same few
 * keys every round.
 */
function keyCache<K extends object>(make: (bytes: Uint8Array) => K, max = 256): (bytes: Uint8Array) => K {
  const keys = new BoundedCache<string, K>(max);
  return (bytes) => {
    const id = bytesToKey(bytes);
    let key = keys.get(id);
    if (key === undefined) {
      key = make(bytes);
      keys.set(id, key);
    }
    return key;
  };
}

function nodeNative(c: NodeCrypto): Ed25519 {
  const privateKey = keyCache((seed: Uint8Array) => c.createPrivateKey({ key: Buffer.from(der(PKCS8_PREFIX, seed)), format: 'der', type: 'pkcs8' }));
  const publicKey = keyCache((pk: Uint8Array) => c.createPublicKey({ key: Buffer.from(der(SPKI_PREFIX, pk)), format: 'der', type: 'spki' }));
  return Object.freeze({
    name: 'native' as const,
    getPublicKey: async (seed: Uint8Array) => {
      const spki = c.createPublicKey(privateKey(seed)).export({ format: 'der', type: 'spki' });
      return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
    },
    sign: async (message: Uint8Array, seed: Uint8Array) => new Uint8Array(c.sign(null, message, privateKey(seed))),
    verify: async (signature: Uint8Array, message: Uint8Array, pk: Uint8Array) => {
      if (signature.length !== 64 || pk.length !== 32) return false;
      try {
        return c.verify(null, message, publicKey(pk), signature);
      } catch {
        return false;
      }
    },
    signerFor: (seed: Uint8Array) => {
      const key = privateKey(seed);
      return async (message: Uint8Array) => new Uint8Array(c.sign(null, message, key));
    },
    verifierFor: (pk: Uint8Array) => boundCheck(pk, (key, signature, message) => Promise.resolve(c.verify(null, message, key, signature))),
    offThreadVerifierFor: (pk: Uint8Array) =>
      boundCheck(pk, (key, signature, message) => {
        let settle!: (ok: boolean) => void;
        const done = new Promise<boolean>((resolve) => (settle = resolve));
        // with a callback, node:crypto runs the check as a job on libuv's thread pool
        c.verify(null, message, key, signature, (error, ok) => settle(error === null && ok));
        return done;
      }),
  });

  /**
   * A check bound to one public key, prepared once: false for a key or a signature of the wrong
   * length, and when node:crypto throws (a key it cannot use); `run` checks the rest.
   */
  function boundCheck(
    pk: Uint8Array,
    run: (key: ReturnType<typeof publicKey>, signature: Uint8Array, message: Uint8Array) => Promise<boolean>,
  ): (signature: Uint8Array, message: Uint8Array) => Promise<boolean> {
    const key = pk.length === 32 ? publicKey(pk) : undefined;
    return (signature, message) => {
      if (key === undefined || signature.length !== 64) return Promise.resolve(false);
      try {
        return run(key, signature, message);
      } catch {
        return Promise.resolve(false);
      }
    };
  }
}

function webCryptoNative(subtle: SubtleCrypto): Ed25519 {
  const alg = { name: 'Ed25519' };
  const toBuffer = (b: Uint8Array) => b.slice().buffer as ArrayBuffer;
  return Object.freeze({
    name: 'native' as const,
    getPublicKey: async (seed: Uint8Array) => {
      const key = await subtle.importKey('pkcs8', toBuffer(der(PKCS8_PREFIX, seed)), alg, true, ['sign']);
      const jwk = await subtle.exportKey('jwk', key);
      const x = (jwk.x ?? '').replace(/-/g, '+').replace(/_/g, '/');
      return Uint8Array.from(atob(x + '='.repeat((4 - (x.length % 4)) % 4)), (ch) => ch.charCodeAt(0));
    },
    sign: async (message: Uint8Array, seed: Uint8Array) => {
      const key = await subtle.importKey('pkcs8', toBuffer(der(PKCS8_PREFIX, seed)), alg, false, ['sign']);
      return new Uint8Array(await subtle.sign(alg, key, toBuffer(message)));
    },
    verify: async (signature: Uint8Array, message: Uint8Array, pk: Uint8Array) => {
      if (signature.length !== 64 || pk.length !== 32) return false;
      try {
        const key = await subtle.importKey('raw', toBuffer(pk), alg, false, ['verify']);
        return await subtle.verify(alg, key, toBuffer(signature), toBuffer(message));
      } catch {
        return false;
      }
    },
    signerFor: (seed: Uint8Array) => {
      const key = subtle.importKey('pkcs8', toBuffer(der(PKCS8_PREFIX, seed)), alg, false, ['sign']);
      return async (message: Uint8Array) => new Uint8Array(await subtle.sign(alg, await key, toBuffer(message)));
    },
    verifierFor: (pk: Uint8Array) => {
      const key = subtle.importKey('raw', toBuffer(pk), alg, false, ['verify']).catch(() => undefined);
      return async (signature: Uint8Array, message: Uint8Array) => {
        const k = await key;
        if (k === undefined || signature.length !== 64) return false;
        try {
          return await subtle.verify(alg, k, toBuffer(signature), toBuffer(message));
        } catch {
          return false;
        }
      };
    },
  });
}

let nodeInstance: Ed25519 | undefined;

/**
 * The platform's own Ed25519: node:crypto on Node (about ten times faster than `@noble` when the
 * key is prepared once with `signerFor`/`verifierFor`, and for verification; see
 * `pnpm bench:codec`), WebCrypto elsewhere. Throws a coded error where neither exists.
 */
export function nativeEd25519(): Ed25519 {
  const c = nodeCrypto();
  // One instance per process (made on first use), so its prepared keys serve every caller.
  if (c !== undefined) {
    nodeInstance ??= nodeNative(c);
    return nodeInstance;
  }
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle !== undefined) return webCryptoNative(subtle);
  throw new AescError(AESC_ERROR__CRYPTO__NATIVE_ED25519_UNAVAILABLE, { reason: 'neither node:crypto nor WebCrypto is present' });
}

/**
 * The Ed25519 to use by default: native on Node, `@noble` elsewhere (WebCrypto's Ed25519 is not in
 * every browser yet). Both give identical results; the tests run both on every corpus signature.
 */
export function defaultEd25519(): Ed25519 {
  return nodeCrypto() !== undefined ? nativeEd25519() : nobleEd25519();
}
