import { blake2b } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blake2b256 } from './blake2b.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('blake2b256', () => {
  it('gives the known digests of "" and "abc"', () => {
    // BLAKE2b-256 test values (as b2sum -l 256 prints them)
    expect(hex(blake2b256(new Uint8Array(0)))).toBe('0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8');
    expect(hex(blake2b256(new TextEncoder().encode('abc')))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
  });

  it('agrees with @noble/hashes on every length across the block boundaries', () => {
    for (let n = 0; n <= 400; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(hex(blake2b256(data)), `length ${n}`).toBe(hex(blake2b(data, { dkLen: 32 })));
    }
  });

  it('agrees with @noble/hashes on random inputs, including subarrays of larger buffers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(16), (bytes, cut) => {
        const view = bytes.subarray(Math.min(cut, bytes.length));
        expect(hex(blake2b256(view))).toBe(hex(blake2b(view, { dkLen: 32 })));
      }),
      { numRuns: 500 },
    );
  });

  it('hands out a fresh digest each time, leaving the input as it was', () => {
    const data = new Uint8Array(200).fill(7);
    const a = blake2b256(data);
    const b = blake2b256(data);
    expect(a).not.toBe(b);
    a.fill(0);
    expect(hex(b)).toBe(hex(blake2b(data, { dkLen: 32 })));
    expect(data.every((x) => x === 7)).toBe(true);
  });
});
