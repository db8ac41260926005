/**
 * BLAKE2b (RFC 7693), unkeyed and one-shot, with the two digest lengths the project needs: 32 bytes
 * (`blake2b256`, the node's `aec_hash:hash/2`, for tree nodes, state hashes, tx hashes and ids) and
 * 64 bytes (`blake2b512`, the HASH of the peer protocol's Noise_NN_25519_ChaChaPoly_BLAKE2b); and
 * HMAC over the 64-byte one (`hmacBlake2b512`, Noise's HMAC-HASH).
 *
 * Hand-written rather than taken from @noble/hashes (which the tests use as the reference, with
 * the official BLAKE2 test vectors) for the same reason as `@aesc/encoding`'s sha256: the node
 * hashes inputs of 32–300 bytes many times per round, and noble's per-call set-up (a hasher object
 * and a 128-byte buffer, which V8 allocates off the heap at about a microsecond each) costs more
 * than the compression. This version keeps its state in preallocated scratch space; the 64-bit
 * words are pairs of 32-bit halves, low then high.
 */

// The IV as [low, high] pairs of 32-bit halves.
const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a, 0xade682d1,
  0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// The message schedule of the 12 rounds (rounds 10 and 11 repeat 0 and 1), as word indexes.
const SIGMA = new Uint8Array([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3, 11, 8, 12,
  0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4, 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8, 9, 0, 5, 7, 2, 4, 10,
  15, 14, 1, 11, 12, 6, 8, 3, 13, 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9, 12, 5, 1, 15, 14, 13, 4, 10, 0,
  7, 6, 3, 9, 2, 8, 11, 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10, 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7,
  1, 4, 10, 5, 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  15, 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
]);

/** The block size in bytes (HMAC's B). */
const BLOCK = 128;

// Scratch space, reused by every call (the functions are synchronous, so calls never interleave).
const H = new Uint32Array(16); // the chain value, 8 words
const V = new Uint32Array(32); // the working vector, 16 words
const M = new Uint32Array(32); // the message block, 16 words
const TAIL = new Uint8Array(BLOCK);
const PAD = new Uint8Array(BLOCK); // HMAC's key block, xored with ipad or opad

/** The mixing function G on words a, b, c, d with message words x, y (indexes of 32-bit halves). */
function g(a: number, b: number, c: number, d: number, x: number, y: number): void {
  // a = a + b + x
  let lo = V[a]! + V[b]! + M[x]!;
  let hi = V[a + 1]! + V[b + 1]! + M[x + 1]! + ((lo / 0x100000000) | 0);
  V[a] = lo;
  V[a + 1] = hi;
  // d = (d ^ a) >>> 32
  lo = V[d]! ^ V[a]!;
  hi = V[d + 1]! ^ V[a + 1]!;
  V[d] = hi;
  V[d + 1] = lo;
  // c = c + d
  lo = V[c]! + V[d]!;
  V[c + 1] = V[c + 1]! + V[d + 1]! + ((lo / 0x100000000) | 0);
  V[c] = lo;
  // b = (b ^ c) >>> 24
  lo = V[b]! ^ V[c]!;
  hi = V[b + 1]! ^ V[c + 1]!;
  V[b] = (lo >>> 24) | (hi << 8);
  V[b + 1] = (hi >>> 24) | (lo << 8);
  // a = a + b + y
  lo = V[a]! + V[b]! + M[y]!;
  hi = V[a + 1]! + V[b + 1]! + M[y + 1]! + ((lo / 0x100000000) | 0);
  V[a] = lo;
  V[a + 1] = hi;
  // d = (d ^ a) >>> 16
  lo = V[d]! ^ V[a]!;
  hi = V[d + 1]! ^ V[a + 1]!;
  V[d] = (lo >>> 16) | (hi << 16);
  V[d + 1] = (hi >>> 16) | (lo << 16);
  // c = c + d
  lo = V[c]! + V[d]!;
  V[c + 1] = V[c + 1]! + V[d + 1]! + ((lo / 0x100000000) | 0);
  V[c] = lo;
  // b = (b ^ c) >>> 63, that is, rotated left by 1
  lo = V[b]! ^ V[c]!;
  hi = V[b + 1]! ^ V[c + 1]!;
  V[b] = (lo << 1) | (hi >>> 31);
  V[b + 1] = (hi << 1) | (lo >>> 31);
}

/** Compresses the 128-byte block at `offset`; `counter` is the byte count so far (≤ 2^53), `last` marks the final block. */
function compress(block: Uint8Array, offset: number, counter: number, last: boolean): void {
  for (let i = 0; i < 32; i++) {
    const o = offset + 4 * i;
    M[i] = block[o]! | (block[o + 1]! << 8) | (block[o + 2]! << 16) | (block[o + 3]! << 24);
  }
  V.set(H, 0);
  V.set(IV, 16);
  V[24] = V[24]! ^ counter; // the counter's low 64 bits, as two halves
  V[25] = V[25]! ^ Math.floor(counter / 0x100000000);
  if (last) {
    V[28] = ~V[28]!;
    V[29] = ~V[29]!;
  }
  for (let r = 0; r < 12; r++) {
    const s = r * 16;
    g(0, 8, 16, 24, 2 * SIGMA[s]!, 2 * SIGMA[s + 1]!);
    g(2, 10, 18, 26, 2 * SIGMA[s + 2]!, 2 * SIGMA[s + 3]!);
    g(4, 12, 20, 28, 2 * SIGMA[s + 4]!, 2 * SIGMA[s + 5]!);
    g(6, 14, 22, 30, 2 * SIGMA[s + 6]!, 2 * SIGMA[s + 7]!);
    g(0, 10, 20, 30, 2 * SIGMA[s + 8]!, 2 * SIGMA[s + 9]!);
    g(2, 12, 22, 24, 2 * SIGMA[s + 10]!, 2 * SIGMA[s + 11]!);
    g(4, 14, 16, 26, 2 * SIGMA[s + 12]!, 2 * SIGMA[s + 13]!);
    g(6, 8, 18, 28, 2 * SIGMA[s + 14]!, 2 * SIGMA[s + 15]!);
  }
  for (let i = 0; i < 16; i++) H[i] = H[i]! ^ V[i]! ^ V[i + 16]!;
}

/**
 * The `outLen`-byte digest (32 or 64) of `data`, or of `first ‖ data` when `first` (one 128-byte
 * block: HMAC's key block) is given.
 */
function digest(first: Uint8Array | undefined, data: Uint8Array, outLen: number): Uint8Array {
  H.set(IV);
  H[0] = H[0]! ^ (0x01010000 | outLen); // parameter block: digest length, no key, fanout 1, depth 1
  const len = data.length;
  let done = 0; // bytes compressed before data
  if (first !== undefined) {
    if (len === 0) {
      compress(first, 0, BLOCK, true); // the key block is the whole message
      return output(outLen);
    }
    compress(first, 0, BLOCK, false);
    done = BLOCK;
  }
  // Every block but the last is compressed from the input; the last (1–128 bytes, or none for
  // empty input) is zero-padded in TAIL.
  const lastStart = len === 0 ? 0 : Math.floor((len - 1) / BLOCK) * BLOCK;
  for (let off = 0; off < lastStart; off += BLOCK) compress(data, off, done + off + BLOCK, false);
  TAIL.fill(0);
  TAIL.set(data.subarray(lastStart), 0);
  compress(TAIL, 0, done + len, true);
  return output(outLen);
}

/** The first `outLen` bytes (a multiple of 4) of the chain value, little-endian. */
function output(outLen: number): Uint8Array {
  const out = new Uint8Array(outLen);
  for (let i = 0; i < outLen >> 2; i++) {
    const w = H[i]!;
    out[4 * i] = w;
    out[4 * i + 1] = w >>> 8;
    out[4 * i + 2] = w >>> 16;
    out[4 * i + 3] = w >>> 24;
  }
  return out;
}

/** BLAKE2b-256 of `data` (unkeyed): 32 bytes, the node's `aec_hash:hash/2`. */
export function blake2b256(data: Uint8Array): Uint8Array {
  return digest(undefined, data, 32);
}

/** BLAKE2b-512 of `data` (unkeyed): 64 bytes, the HASH of Noise's `…_BLAKE2b` suites. */
export function blake2b512(data: Uint8Array): Uint8Array {
  return digest(undefined, data, 64);
}

/**
 * HMAC (RFC 2104) over BLAKE2b-512 with its 128-byte block, as the Noise specification defines
 * HMAC-HASH for BLAKE2b: a key longer than 128 bytes is hashed first. 64 bytes.
 */
export function hmacBlake2b512(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = key.length > BLOCK ? blake2b512(key) : key;
  PAD.fill(0x36);
  for (let i = 0; i < k.length; i++) PAD[i] = k[i]! ^ 0x36;
  const inner = digest(PAD, data, 64);
  PAD.fill(0x5c);
  for (let i = 0; i < k.length; i++) PAD[i] = k[i]! ^ 0x5c;
  const out = digest(PAD, inner, 64);
  // the key (a Noise chaining key) and the data's last block are secrets: leave neither behind
  PAD.fill(0);
  TAIL.fill(0);
  return out;
}
