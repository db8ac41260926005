import {
  AESC_ERROR__ENCODING__BAD_CHECKSUM,
  AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING,
  AESC_ERROR__ENCODING__UNEXPECTED_PREFIX,
  AESC_ERROR__ENCODING__UNKNOWN_PREFIX,
  AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE,
  isAescError,
  aescErrorCodeOf,
} from '@aesc/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeApi, decodeApiAny, encodeApi, isEncoded } from './api-encoding.js';
import { API_ENCODINGS, type ApiPrefix } from './api-prefixes.js';
import { decodedInMemo, encodedInMemo, encodingKey } from './api-memo.js';

const codeOf = aescErrorCodeOf;
const prefixes = Object.keys(API_ENCODINGS) as ApiPrefix[];

describe('API encoding', () => {
  it('matches a known account address and transaction', () => {
    // the key 42 (the "invalid pubkeys" test of the corpus uses ak_…5rHyByZ = 42 and ak_…5sBJATr = 43)
    const key = (n: number) => new Uint8Array(32).map((_, i) => (i === 31 ? n : 0));
    expect(encodeApi('ak', key(42))).toBe('ak_11111111111111111111111111111115rHyByZ');
    expect(encodeApi('ak', key(43))).toBe('ak_11111111111111111111111111111115sBJATr');
    expect(decodeApi('ak_11111111111111111111111111111115rHyByZ', 'ak')).toEqual(key(42));
    expect(encodeApi('ba', new Uint8Array(0))).toMatch(/^ba_/);
  });

  it('uses base58 for hashes and keys, base64 for blobs, and enforces fixed sizes', () => {
    expect(API_ENCODINGS.ak).toMatchObject({ encoding: 'base58', size: 32 });
    expect(API_ENCODINGS.sg).toMatchObject({ encoding: 'base58', size: 64 });
    expect(API_ENCODINGS.tx).toMatchObject({ encoding: 'base64', size: undefined });
    expect(API_ENCODINGS.st).toMatchObject({ encoding: 'base64', size: 32 });
    expect(codeOf(() => encodeApi('ak', new Uint8Array(31)))).toBe(AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE);
  });

  it('gives a distinct code per kind of bad input', () => {
    const good = encodeApi('ak', new Uint8Array(32).fill(7));
    const flipped = `${good.slice(0, -1)}${good.endsWith('2') ? '3' : '2'}`;
    expect(codeOf(() => decodeApiAny(flipped))).toBe(AESC_ERROR__ENCODING__BAD_CHECKSUM);
    expect(codeOf(() => decodeApiAny('ak_3NTNtGF'))).toBe(AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE);
    expect(codeOf(() => decodeApiAny('zz_3NTNtGF'))).toBe(AESC_ERROR__ENCODING__UNKNOWN_PREFIX);
    expect(codeOf(() => decodeApiAny('ABCDEF'))).toBe(AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING);
    expect(codeOf(() => decodeApiAny('ak_0OIl'))).toBe(AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING);
    expect(codeOf(() => decodeApiAny('tx_AB=='))).toBe(AESC_ERROR__ENCODING__MALFORMED_ENCODED_STRING);
    expect(codeOf(() => decodeApi(good, 'ct'))).toBe(AESC_ERROR__ENCODING__UNEXPECTED_PREFIX);
    expect(isEncoded(good, 'ak')).toBe(true);
    expect(isEncoded(flipped, 'ak')).toBe(false);
  });

  it('round-trips random payloads for every prefix', () => {
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 80 }), (prefix, data) => {
        const size = API_ENCODINGS[prefix].size as number | undefined;
        const payload = size === undefined ? data : new Uint8Array(size).map((_, i) => data[i] ?? i);
        const text = encodeApi(prefix, payload);
        expect(decodeApi(text, prefix)).toEqual(payload);
        expect(decodeApiAny(text).prefix).toBe(prefix);
      }),
    );
  });

  it('answers arbitrary strings with a value or a coded error, never another exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.tuple(fc.constantFrom(...prefixes), fc.string()).map(([p, s]) => `${p}_${s}`),
          fc.tuple(fc.constantFrom(...prefixes), fc.base64String()).map(([p, s]) => `${p}_${s}`),
        ),
        (s) => {
          try {
            const { prefix, payload } = decodeApiAny(s);
            expect(encodeApi(prefix, payload)).toBe(s);
          } catch (e) {
            expect(isAescError(e), String(e)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the memo of recent ids', () => {
  it('gives the same answers as the full path, and nothing a caller can alter', () => {
    const bytes = new Uint8Array(32).map((_, i) => i * 7);
    const id = encodeApi('ak', bytes);
    expect(encodeApi('ak', bytes)).toBe(id); // from the memo
    const first = decodeApi(id, 'ak');
    first.fill(0); // a caller scribbles on its copy
    expect(decodeApi(id, 'ak')).toEqual(bytes);
    // same bytes, another prefix: another string
    expect(encodeApi('ch', bytes)).not.toBe(id);
    expect(() => decodeApi(id, 'ch')).toThrow();
    // altering the input array after encoding does not return the old string
    const input = bytes.slice();
    const before = encodeApi('ak', input);
    input[0] = 255;
    expect(encodeApi('ak', input)).not.toBe(before);
    // a wrong checksum is refused however often the right value was seen
    const broken = `${id.slice(0, -1)}${id.endsWith('1') ? '2' : '1'}`;
    expect(() => decodeApiAny(broken)).toThrow();
    expect(isEncoded(broken, 'ak')).toBe(false);
  });

  it('decodes a value it encoded to the bytes encoded, not to what the caller did to them after', () => {
    const input = new Uint8Array(32).map((_, i) => 255 - i);
    const kept = input.slice();
    const text = encodeApi('st', input);
    input.fill(9); // the caller reuses its array
    expect(decodeApi(text, 'st')).toEqual(kept);
  });

  it('decodes values of no fixed size (tx_) seen before as the full path does, each time a fresh copy', () => {
    const payload = new Uint8Array(300).map((_, i) => (i * 31) & 0xff);
    const text = encodeApi('tx', payload);
    const first = decodeApi(text, 'tx');
    expect(first).toEqual(payload);
    first.fill(0); // a caller scribbles on its copy
    const again = decodeApi(text, 'tx'); // from the memo
    expect(again).toEqual(payload);
    again.fill(0);
    expect(decodeApi(text, 'tx')).toEqual(payload);
    expect(isEncoded(text, 'tx')).toBe(true);
    // one character changed: refused, however often the right value was decoded
    const broken = `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;
    expect(isEncoded(broken, 'tx')).toBe(false);
    expect(() => decodeApi(broken, 'tx')).toThrow();
  });

  it('holds under property testing against fresh encodings of random ids', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom<ApiPrefix>('ak', 'ch', 'th', 'kh', 'st'), (payload, prefix) => {
        const a = encodeApi(prefix, payload);
        expect(encodeApi(prefix, payload)).toBe(a);
        expect(decodeApiAny(a)).toEqual({ prefix, payload });
        expect(decodeApiAny(a)).toEqual({ prefix, payload });
      }),
    );
  });
});

describe('secret keys (sk_)', () => {
  const secret = new Uint8Array(32).map((_, i) => 200 - i);
  /** The error `f` throws, as a string with its context, as a log line would carry it. */
  const thrown = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(isAescError(e), String(e)).toBe(true);
      return `${String(e)} ${JSON.stringify((e as { context: unknown }).context)}`;
    }
    throw new Error('did not throw');
  };

  it('are encoded and decoded, and kept in neither memo', () => {
    const text = encodeApi('sk', secret);
    expect(decodeApi(text, 'sk')).toEqual(secret);
    expect(encodedInMemo(encodingKey('sk', secret), 'sk', secret)).toBeUndefined();
    expect(decodedInMemo(text)).toBeUndefined();
    // the same bytes as an account id are kept, both ways
    const id = encodeApi('ak', secret);
    expect(encodedInMemo(encodingKey('ak', secret), 'ak', secret)).toBe(id);
    expect(decodedInMemo(id)?.payload).toEqual(secret);
  });

  it('never show in an error about a malformed value, with or without their prefix', () => {
    const text = encodeApi('sk', secret);
    const hex = Buffer.from(secret).toString('hex');
    const cases = [
      `${text.slice(0, 20)}0${text.slice(21)}`, // not base58 ("0")
      `${text.slice(0, -1)}${text.endsWith('1') ? '2' : '1'}`, // wrong checksum
      hex, // no prefix
      `sk${text.slice(3)}`, // no "_"
      `ks_${text.slice(3)}`, // an unknown prefix
    ];
    for (const bad of cases) {
      const shown = thrown(() => decodeApiAny(bad));
      for (const part of [text.slice(3, 10), hex.slice(0, 8), text.slice(-8)]) expect(shown).not.toContain(part);
    }
    // a non-string is described by its type only
    expect(thrown(() => decodeApiAny(secret as unknown as string))).not.toContain(String(secret[0]));
  });

  it('errors about a public value show its first 16 characters', () => {
    const id = encodeApi('ak', secret);
    const shown = thrown(() => decodeApiAny(`${id.slice(0, 20)}0${id.slice(21)}`));
    expect(shown).toContain(id.slice(0, 16));
  });
});
