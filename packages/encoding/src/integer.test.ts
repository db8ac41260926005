import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.js';
import { bytesToUint, uintToBytes } from './integer.js';

describe('integers as the node serializes them', () => {
  it('encodes 0 as one zero byte and has no leading zeros', () => {
    expect(toHex(uintToBytes(0n))).toBe('00');
    expect(toHex(uintToBytes(255n))).toBe('ff');
    expect(toHex(uintToBytes(256n))).toBe('0100');
    expect(toHex(uintToBytes(2n ** 64n))).toBe('010000000000000000');
    expect(() => uintToBytes(-1n)).toThrow(RangeError);
  });

  it('refuses non-canonical forms when reading', () => {
    expect(bytesToUint(new Uint8Array(0))).toBeUndefined();
    expect(bytesToUint(Uint8Array.of(0, 1))).toBeUndefined();
    expect(bytesToUint(Uint8Array.of(0))).toBe(0n);
  });

  it('round-trips any non-negative bigint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 300n }), (n) => {
        expect(bytesToUint(uintToBytes(n))).toBe(n);
      }),
    );
  });
});
