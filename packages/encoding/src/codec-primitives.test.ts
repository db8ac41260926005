import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { base58, base64 } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base58Decode, base58Encode } from './base58.js';
import { base64Decode, base64Encode, base64EncodeLoop } from './base64.js';
import { bytesToKey, toHex } from './bytes.js';
import { checksum4, sha256 } from './sha256.js';

// The hand-written primitives must agree with the reference libraries on every input.
describe('sha256', () => {
  it('matches the FIPS 180 vectors', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(toHex(sha256(enc('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(enc('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with @noble/hashes for every length from 0 to 300 and random data', () => {
    for (let n = 0; n <= 300; n++) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(sha256(data)).toEqual(nobleSha256(data));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        expect(sha256(data)).toEqual(nobleSha256(data));
        expect(checksum4(data)).toEqual(nobleSha256(nobleSha256(data)).subarray(0, 4));
      }),
    );
  });
});

describe('base58', () => {
  it('agrees with @scure/base both ways, leading zeros included', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat({ max: 4 }), (data, zeros) => {
        const bytes = new Uint8Array(zeros + data.length);
        bytes.set(data, zeros);
        const text = base58Encode(bytes);
        expect(text).toBe(base58.encode(bytes));
        expect(base58Decode(text)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes arbitrary alphabet strings like @scure/base and refuses other characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{0,60}$/), (text) => {
        expect(base58Decode(text)).toEqual(base58.decode(text));
      }),
    );
    expect(base58Decode('0OIl')).toBeUndefined();
    expect(base58Decode('abc_')).toBeUndefined();
  });
});

describe('base64', () => {
  it('agrees with @scure/base both ways', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = base64Encode(bytes);
        expect(text).toBe(base64.encode(bytes));
        expect(base64Decode(text)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the same text natively as the table-driven loop, for views at any offset of a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (whole, a, b) => {
        const start = whole.length === 0 ? 0 : a % whole.length;
        const view = whole.subarray(start, start + (b % (whole.length - start + 1)));
        const text = base64Encode(view);
        expect(text).toBe(base64EncodeLoop(view));
        expect(text).toBe(base64.encode(view));
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly what @scure/base accepts (strict padding, zero padding bits)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/=]{0,16}$/), (text) => {
        let expected: Uint8Array | undefined;
        try {
          expected = base64.decode(text);
        } catch {
          expected = undefined;
        }
        expect(base64Decode(text)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
    for (const bad of ['AB==', 'AAB=', 'AA', 'A===', '====', 'AA=A', 'AAA', 'Zm9v\n']) expect(base64Decode(bad)).toBeUndefined();
  });

  it('keeps the same strictness on long inputs, where the native decoder is used', () => {
    const scureOrUndefined = (text: string) => {
      try {
        return base64.decode(text);
      } catch {
        return undefined;
      }
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 60, maxLength: 400 }),
        fc.nat(),
        fc.constantFrom('A', 'B', 'Q', '=', '-', '_', ' ', '\n', '/', '+'),
        (bytes, pos, ch) => {
          const good = base64Encode(bytes);
          expect(base64Decode(good)).toEqual(bytes);
          const i = pos % good.length;
          const mutated = good.slice(0, i) + ch + good.slice(i + 1);
          expect(base64Decode(mutated)).toEqual(scureOrUndefined(mutated));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('bytesToKey', () => {
  it('gives equal bytes the same key and different bytes different keys, one char per byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }), (a, b) => {
        const ka = bytesToKey(a);
        expect(ka).toHaveLength(a.length);
        expect(bytesToKey(a.slice())).toBe(ka);
        expect(ka === bytesToKey(b)).toBe(toHex(a) === toHex(b));
      }),
      { numRuns: 2000 },
    );
  });
});
