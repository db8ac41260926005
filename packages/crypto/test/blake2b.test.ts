import { readFileSync } from 'node:fs';
import { blake2b } from '@noble/hashes/blake2.js';
import { hmac } from '@noble/hashes/hmac.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blake2b256, blake2b512, hmacBlake2b512 } from '../src/blake2b.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);
/** `n` bytes that differ with `n` and position, across block boundaries. */
const sample = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);

/**
 * The official BLAKE2 known-answer tests for unkeyed BLAKE2b-512 (`testvectors/blake2-kat.json` of
 * the BLAKE2 reference repository, the entries with `"hash": "blake2b"` and an empty key): entry n
 * is the digest of the n bytes 00 01 02 … (n − 1).
 */
const KAT: readonly string[] = JSON.parse(readFileSync(new URL('./test-vectors/blake2b-kat.json', import.meta.url), 'utf8'));

describe('blake2b512', () => {
  it('gives the digest of "abc" of RFC 7693 (appendix A)', () => {
    expect(hex(blake2b512(utf8('abc')))).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    );
  });

  it('gives the official BLAKE2 test vectors (unkeyed, inputs of 0 to 255 bytes)', () => {
    expect(KAT).toHaveLength(256);
    KAT.forEach((expected, n) => {
      const input = Uint8Array.from({ length: n }, (_, i) => i);
      expect(hex(blake2b512(input)), `length ${n}`).toBe(expected);
    });
  });
});

describe('blake2b256', () => {
  it('gives the known digests of "" and "abc"', () => {
    // BLAKE2b-256 test values (as b2sum -l 256 prints them)
    expect(hex(blake2b256(new Uint8Array(0)))).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
    expect(hex(blake2b256(utf8('abc')))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
  });

  it('is not the 512-bit digest cut short (the digest length is a parameter of the hash)', () => {
    expect(hex(blake2b512(utf8('abc'))).slice(0, 64)).not.toBe(hex(blake2b256(utf8('abc'))));
  });
});

describe.each([
  ['blake2b256', blake2b256, 32],
  ['blake2b512', blake2b512, 64],
] as const)('%s against @noble/hashes', (_name, ours, dkLen) => {
  it('agrees on every length across the block boundaries', () => {
    for (let n = 0; n <= 400; n++) {
      const data = sample(n);
      expect(hex(ours(data)), `length ${n}`).toBe(hex(blake2b(data, { dkLen })));
    }
  });

  it('agrees on random inputs, including subarrays of larger buffers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(16), (bytes, cut) => {
        const view = bytes.subarray(Math.min(cut, bytes.length));
        expect(hex(ours(view))).toBe(hex(blake2b(view, { dkLen })));
      }),
      { numRuns: 300 },
    );
  });

  it('hands out a fresh digest each time, leaving the input as it was', () => {
    const data = new Uint8Array(200).fill(7);
    const a = ours(data);
    const b = ours(data);
    expect(a).not.toBe(b);
    expect(a).toHaveLength(dkLen);
    a.fill(0);
    expect(hex(b)).toBe(hex(blake2b(data, { dkLen })));
    expect(data.every((x) => x === 7)).toBe(true);
  });
});

describe('hmacBlake2b512', () => {
  const reference = (key: Uint8Array, data: Uint8Array) => hex(hmac(blake2b, key, data));

  it('agrees with @noble/hashes on keys and data around the block size, empty ones included', () => {
    // Noise uses 64-byte keys, and empty data when it splits; longer keys are hashed first
    for (const k of [0, 1, 32, 64, 127, 128, 129, 200, 300]) {
      for (const d of [0, 1, 64, 127, 128, 129, 256, 300]) {
        const key = sample(k).map((x) => x ^ 0xa5);
        const data = sample(d);
        expect(hex(hmacBlake2b512(key, data)), `key ${k} bytes, data ${d}`).toBe(reference(key, data));
      }
    }
  });

  it('agrees with @noble/hashes on random keys and data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 600 }), (key, data) => {
        expect(hex(hmacBlake2b512(key, data))).toBe(reference(key, data));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves key and data as they were, and the plain hashes right after it', () => {
    const key = sample(64);
    const data = sample(100);
    const keyBefore = hex(key);
    const dataBefore = hex(data);
    const mac = hmacBlake2b512(key, data);
    expect(hex(key)).toBe(keyBefore);
    expect(hex(data)).toBe(dataBefore);
    expect(hex(blake2b256(data))).toBe(hex(blake2b(data, { dkLen: 32 })));
    expect(hex(hmacBlake2b512(key, data))).toBe(hex(mac));
  });
});
