import { AESC_ERROR__RPC__MALFORMED_FRAME, aescErrorCodeOf } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from './lossless-json.js';

describe('lossless JSON', () => {
  it('reads integers beyond 2^53 as bigint and keeps safe ones as numbers', () => {
    const v = parseJson('{"id":-576460752303423488,"amount":10000000000000000,"n":42,"f":1.5}');
    expect(v).toEqual({ id: -576460752303423488n, amount: 10000000000000000n, n: 42, f: 1.5 });
  });

  it('writes bigint back as plain JSON numbers, digit for digit', () => {
    const text = '{"id":-576460752303423488,"params":{"amount":10000000000000000,"x":[1,18446744073709551617]}}';
    expect(stringifyJson(parseJson(text))).toBe(text);
    expect(stringifyJson({ a: 2n ** 64n })).toBe('{"a":18446744073709551616}');
  });

  it('turns invalid JSON into a coded error', () => {
    for (const bad of ['', '{', '{"a":}', 'nope', '[1,]']) {
      expect(aescErrorCodeOf(() => parseJson(bad))).toBe(AESC_ERROR__RPC__MALFORMED_FRAME);
    }
  });
});

describe('lossless JSON edge cases', () => {
  it('leaves digits inside strings alone and handles escapes', () => {
    const text = '{"s":"-576460752303423488 \\" 123456789012345678","n":-576460752303423488,"e":1e300,"k":{"\\\\":[9007199254740993]}}';
    const v = parseJson(text) as Record<string, unknown>;
    expect(v.s).toBe('-576460752303423488 " 123456789012345678');
    expect(v.n).toBe(-576460752303423488n);
    expect(v.e).toBe(1e300);
    expect(v.k).toEqual({ '\\': [9007199254740993n] });
    expect(stringifyJson(v)).toBe(text.replace('1e300', '1e+300'));
  });

  it('keeps safe 16-digit integers as numbers and falls back when a string looks like the internal tag', () => {
    expect(parseJson('[9007199254740991,-9007199254740991,1234567890123456.5]')).toEqual([
      9007199254740991, -9007199254740991, 1234567890123456.5,
    ]);
    const tricky = '{"a":"\\u0000aesc-bigint:5","b":18446744073709551616}';
    const v = parseJson(tricky) as Record<string, unknown>;
    expect(v).toEqual({ a: '\u0000aesc-bigint:5', b: 18446744073709551616n });
    expect(parseJson(stringifyJson(v))).toEqual(v);
  });
});
