import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { blake2b512, hmacBlake2b512 } from '@aesc/crypto';
import { AESC_ERROR__NODE__PEER_PROTOCOL, AescError } from '@aesc/errors';

// Noise_NN_25519_ChaChaPoly_BLAKE2b, as the node runs it through enoise: no static keys, an empty
// prologue, empty handshake payloads. Written from the Noise specification (revision 34) over
// noble's X25519 and ChaCha20-Poly1305 and @aesc/crypto's BLAKE2b; the protocol is small, and owning
// it keeps the node free of a native library.

const PROTOCOL_NAME = 'Noise_NN_25519_ChaChaPoly_BLAKE2b';
const HASHLEN = 64;
const DHLEN = 32;
const TAGLEN = 16;

const hash = (...parts: Uint8Array[]) => blake2b512(concat(...parts));
const hmacHash = hmacBlake2b512;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** HKDF of the Noise spec with two outputs. */
function hkdf2(chainingKey: Uint8Array, ikm: Uint8Array): [Uint8Array, Uint8Array] {
  const temp = hmacHash(chainingKey, ikm);
  const out1 = hmacHash(temp, Uint8Array.of(1));
  const out2 = hmacHash(temp, concat(out1, Uint8Array.of(2)));
  return [out1, out2];
}

const fail = (reason: string): never => {
  throw new AescError(AESC_ERROR__NODE__PEER_PROTOCOL, { reason });
};

/** A Noise CipherState: a key (or none) and a nonce counting the messages. */
class CipherState {
  #n = 0n;
  constructor(readonly key: Uint8Array | undefined) {}
  #nonce(): Uint8Array {
    const nonce = new Uint8Array(12);
    new DataView(nonce.buffer).setBigUint64(4, this.#n, true);
    return nonce;
  }
  encrypt(ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    if (this.key === undefined) return plaintext;
    const out = chacha20poly1305(this.key, this.#nonce(), ad).encrypt(plaintext);
    this.#n++;
    return out;
  }
  decrypt(ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    if (this.key === undefined) return ciphertext;
    let out: Uint8Array;
    try {
      out = chacha20poly1305(this.key, this.#nonce(), ad).decrypt(ciphertext);
    } catch {
      return fail('a Noise message does not decrypt');
    }
    this.#n++;
    return out;
  }
}

/** An established Noise session: one cipher for each direction, empty associated data. */
export interface NoiseSession {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
}

/**
 * The NN handshake (`-> e`, `<- e, ee`) for one side. The initiator calls `writeMessage()` then
 * `readMessage(reply)`; the responder `readMessage(first)` then `writeMessage()`. After both
 * messages, `session()` gives the transport ciphers.
 */
export class NoiseHandshake {
  #h: Uint8Array;
  #ck: Uint8Array;
  #cipher = new CipherState(undefined);
  #e: { readonly secret: Uint8Array; readonly public: Uint8Array };
  #re: Uint8Array | undefined;
  #step = 0;
  #split: [CipherState, CipherState] | undefined;

  /** `ephemeralSecret` is for tests (known-answer vectors); by default a fresh key. */
  constructor(
    readonly role: 'initiator' | 'responder',
    ephemeralSecret: Uint8Array = x25519.utils.randomSecretKey(),
  ) {
    const name = new TextEncoder().encode(PROTOCOL_NAME);
    this.#h = name.length <= HASHLEN ? concat(name, new Uint8Array(HASHLEN - name.length)) : hash(name);
    this.#ck = this.#h;
    this.#mixHash(new Uint8Array(0)); // the empty prologue
    this.#e = { secret: ephemeralSecret, public: x25519.getPublicKey(ephemeralSecret) };
  }

  #mixHash(data: Uint8Array): void {
    this.#h = hash(this.#h, data);
  }
  #mixKey(ikm: Uint8Array): void {
    const [ck, k] = hkdf2(this.#ck, ikm);
    this.#ck = ck;
    this.#cipher = new CipherState(k.slice(0, 32));
  }
  #encryptAndHash(plaintext: Uint8Array): Uint8Array {
    const c = this.#cipher.encrypt(this.#h, plaintext);
    this.#mixHash(c);
    return c;
  }
  #decryptAndHash(ciphertext: Uint8Array): Uint8Array {
    const p = this.#cipher.decrypt(this.#h, ciphertext);
    this.#mixHash(ciphertext);
    return p;
  }
  #dh(): Uint8Array {
    return x25519.getSharedSecret(this.#e.secret, this.#re!);
  }

  /** The next handshake message to send (with an empty payload). */
  writeMessage(): Uint8Array {
    const mine = (this.role === 'initiator' && this.#step === 0) || (this.role === 'responder' && this.#step === 1);
    if (!mine) fail('not this side’s turn in the Noise handshake');
    this.#mixHash(this.#e.public);
    if (this.role === 'responder') this.#mixKey(this.#dh()); // ee
    const out = concat(this.#e.public, this.#encryptAndHash(new Uint8Array(0)));
    this.#step++;
    if (this.#step === 2) this.#doSplit();
    return out;
  }

  /** Reads the other side's handshake message. */
  readMessage(message: Uint8Array): void {
    const theirs = (this.role === 'responder' && this.#step === 0) || (this.role === 'initiator' && this.#step === 1);
    if (!theirs) fail('unexpected Noise handshake message');
    const expected = DHLEN + (this.role === 'initiator' ? TAGLEN : 0);
    if (message.length !== expected) fail(`a Noise handshake message of ${message.length} bytes (expected ${expected})`);
    this.#re = message.slice(0, DHLEN);
    this.#mixHash(this.#re);
    if (this.role === 'initiator') this.#mixKey(this.#dh()); // ee
    this.#decryptAndHash(message.slice(DHLEN));
    this.#step++;
    if (this.#step === 2) this.#doSplit();
  }

  #doSplit(): void {
    const [k1, k2] = hkdf2(this.#ck, new Uint8Array(0));
    this.#split = [new CipherState(k1.slice(0, 32)), new CipherState(k2.slice(0, 32))];
  }

  /** The handshake hash (channel binding; equal on both sides). */
  get handshakeHash(): Uint8Array {
    return this.#h;
  }

  /** The transport session, once both handshake messages are done. */
  session(): NoiseSession {
    if (this.#split === undefined) return fail('the Noise handshake is not complete');
    const [c1, c2] = this.#split;
    const [send, receive] = this.role === 'initiator' ? [c1, c2] : [c2, c1];
    const empty = new Uint8Array(0);
    return {
      encrypt: (p) => send.encrypt(empty, p),
      decrypt: (c) => receive.decrypt(empty, c),
    };
  }
}
