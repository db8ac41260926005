import {
  AESC_ERROR__ENCODING__RLP_MALFORMED,
  AESC_ERROR__ENCODING__RLP_NON_CANONICAL,
  AESC_ERROR__ENCODING__RLP_TRAILING_BYTES,
  aescErrorCodeOf,
} from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes.js';
import { type RlpItem, rlpDecode, rlpEncode } from './rlp.js';

const b = (hex: string) => fromHex(hex)!;
const codeOf = aescErrorCodeOf;

describe('rlp', () => {
  it('encodes the textbook vectors', () => {
    const cases: [RlpItem, string][] = [
      [new Uint8Array(0), '80'],
      [b('00'), '00'],
      [b('7f'), '7f'],
      [b('80'), '8180'],
      [new TextEncoder().encode('dog'), '83646f67'],
      [[], 'c0'],
      [[new TextEncoder().encode('cat'), new TextEncoder().encode('dog')], 'c88363617483646f67'],
      [[[], [[]], [[], [[]]]], 'c7c0c1c0c3c0c1c0'],
      [new Uint8Array(56).fill(0x61), `b838${'61'.repeat(56)}`],
      [new Uint8Array(1024).fill(1), `b90400${'01'.repeat(1024)}`],
    ];
    for (const [item, hex] of cases) {
      expect(toHex(rlpEncode(item))).toBe(hex);
      expect(rlpEncode(rlpDecode(b(hex)))).toEqual(b(hex));
    }
  });

  it('decodes to zero-copy subarrays', () => {
    const bytes = b('c88363617483646f67');
    const [cat] = rlpDecode(bytes) as Uint8Array[];
    expect(cat!.buffer).toBe(bytes.buffer);
  });

  it('rejects truncated input as malformed', () => {
    for (const hex of ['', '83646f', 'c883636174', 'b90400', 'b8', 'f8']) {
      expect(codeOf(() => rlpDecode(b(hex))), hex).toBe(AESC_ERROR__ENCODING__RLP_MALFORMED);
    }
  });

  it('rejects non-canonical forms', () => {
    // a single byte below 0x80 with a prefix; long form for a short string; leading zero in a length
    for (const hex of ['8100', '817f', 'b80161', `b90038${'61'.repeat(56)}`, 'f80100']) {
      expect(codeOf(() => rlpDecode(b(hex))), hex).toBe(AESC_ERROR__ENCODING__RLP_NON_CANONICAL);
    }
  });

  it('rejects trailing bytes', () => {
    expect(codeOf(() => rlpDecode(b('8000')))).toBe(AESC_ERROR__ENCODING__RLP_TRAILING_BYTES);
  });
});
