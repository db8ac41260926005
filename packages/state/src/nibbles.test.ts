import { isAescError, AESC_ERROR__STATE__MALFORMED_NODE } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { bytesToNibbles, commonPrefixLength, decodePath, encodePath, nibblesToBytes } from './nibbles.js';

describe('nibble paths', () => {
  it('splits bytes high nibble first and joins them back', () => {
    expect([...bytesToNibbles(Uint8Array.of(0xab, 0x01))]).toEqual([10, 11, 0, 1]);
    expect([...nibblesToBytes(Uint8Array.of(10, 11, 0, 1))]).toEqual([0xab, 0x01]);
  });

  it('encodes paths with the node’s flag nibbles (0/1 extension, 2/3 leaf; even lengths padded)', () => {
    expect([...encodePath(Uint8Array.of(1, 2, 3), true)]).toEqual([0x31, 0x23]);
    expect([...encodePath(Uint8Array.of(1, 2), true)]).toEqual([0x20, 0x12]);
    expect([...encodePath(Uint8Array.of(1, 2, 3), false)]).toEqual([0x11, 0x23]);
    expect([...encodePath(Uint8Array.of(1, 2), false)]).toEqual([0x00, 0x12]);
    expect([...encodePath(new Uint8Array(0), true)]).toEqual([0x20]);
  });

  it('decodes what it encodes', () => {
    for (const leaf of [true, false]) {
      for (const path of [[], [5], [1, 2], [15, 0, 7], [0, 0, 0, 0]]) {
        const decoded = decodePath(encodePath(Uint8Array.from(path), leaf));
        expect(decoded.leaf).toBe(leaf);
        expect([...decoded.path]).toEqual(path);
      }
    }
  });

  it('rejects bad flags and padding with a coded error', () => {
    for (const bad of [Uint8Array.of(0x40), Uint8Array.of(0x21), new Uint8Array(0)]) {
      let error: unknown;
      try {
        decodePath(bad);
      } catch (e) {
        error = e;
      }
      expect(isAescError(error, AESC_ERROR__STATE__MALFORMED_NODE)).toBe(true);
    }
  });

  it('measures common prefixes from an offset', () => {
    expect(commonPrefixLength(Uint8Array.of(9, 1, 2, 3), 1, Uint8Array.of(1, 2, 4))).toBe(2);
    expect(commonPrefixLength(Uint8Array.of(1), 1, Uint8Array.of(1))).toBe(0);
  });
});
