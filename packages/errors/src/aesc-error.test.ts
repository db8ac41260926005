import { describe, expect, it } from 'vitest';
import { AescError, isAescError } from './aesc-error.js';
import * as codes from './codes.js';
import { AESC_ERROR_MESSAGES } from './messages.js';

describe('AescError', () => {
  it('renders its message from the template and context', () => {
    const e = new AescError(codes.AESC_ERROR__ENCODING__WRONG_PAYLOAD_SIZE, {
      prefix: 'ak',
      expected: 32,
      actual: 1,
    });
    expect(e.message).toBe('Wrong payload size for "ak_": expected 32 bytes, got 1');
    expect(e.code).toBe(1004);
    expect(e.name).toBe('AescError');
    expect(e).toBeInstanceOf(Error);
  });

  it('narrows by code and rejects other errors', () => {
    const e: unknown = new AescError(codes.AESC_ERROR__ENCODING__BAD_CHECKSUM, { prefix: 'tx' });
    expect(isAescError(e)).toBe(true);
    expect(isAescError(e, codes.AESC_ERROR__ENCODING__BAD_CHECKSUM)).toBe(true);
    expect(isAescError(e, codes.AESC_ERROR__ENCODING__UNKNOWN_TAG)).toBe(false);
    expect(isAescError(new Error('x'))).toBe(false);
    expect(isAescError({ name: 'AescError', code: 1 })).toBe(false);
    if (isAescError(e, codes.AESC_ERROR__ENCODING__BAD_CHECKSUM)) expect(e.context.prefix).toBe('tx');
  });

  it('round-trips through JSON', () => {
    const e = new AescError(codes.AESC_ERROR__ENCODING__UNKNOWN_TAG, { tag: 999 });
    const json = JSON.parse(JSON.stringify(e));
    expect(json).toEqual({ name: 'AescError', code: 1020, message: 'Unknown object tag 999', context: { tag: 999 } });
    const back = AescError.fromJSON(json);
    expect(back.code).toBe(1020);
    expect(back.message).toBe(e.message);
  });

  it('has a message for every code, codes are unique and in their package range', () => {
    const values = Object.entries(codes)
      .filter(([k]) => k.startsWith('AESC_ERROR__'))
      .map(([k, v]) => [k, v as number] as const);
    const seen = new Set<number>();
    for (const [name, code] of values) {
      expect(seen.has(code), `${name} duplicates ${code}`).toBe(false);
      seen.add(code);
      expect(AESC_ERROR_MESSAGES[code as codes.AescErrorCode], name).toBeTypeOf('string');
      const area = name.split('__')[1];
      const ranges: Record<string, [number, number]> = {
        ENCODING: [1000, 1999],
        CRYPTO: [2000, 2999],
        STATE: [3000, 3999],
        RPC: [4000, 4999],
        CHANNEL_API: [5000, 5999],
        WALLET: [6000, 6999],
        CHANNEL: [7000, 7999],
        CHAIN: [8000, 8999],
        NODE: [9000, 9999],
        CLI: [10000, 10999],
        PROTOCOL: [11000, 11999],
        KILL_TEST: [10090, 10099],
      };
      const range = ranges[area ?? ''];
      expect(range, `${name} has no range`).toBeDefined();
      if (range) expect(code >= range[0] && code <= range[1], name).toBe(true);
    }
    expect(Object.keys(AESC_ERROR_MESSAGES)).toHaveLength(values.length);
  });
});

describe('aescErrorCodeOf', () => {
  it('returns the code, undefined when nothing is thrown, and rethrows other errors', async () => {
    const { aescErrorCodeOf, aescErrorCodeOfAsync } = await import('./error-code-of.js');
    expect(aescErrorCodeOf(() => { throw new AescError(codes.AESC_ERROR__ENCODING__UNKNOWN_TAG, { tag: 1 }); })).toBe(1020);
    expect(aescErrorCodeOf(() => 1)).toBeUndefined();
    expect(() => aescErrorCodeOf(() => { throw new TypeError('x'); })).toThrow(TypeError);
    expect(await aescErrorCodeOfAsync(async () => { throw new AescError(codes.AESC_ERROR__ENCODING__UNKNOWN_TAG, { tag: 1 }); })).toBe(1020);
    await expect(aescErrorCodeOfAsync(async () => { throw new RangeError('y'); })).rejects.toThrow(RangeError);
  });
});
