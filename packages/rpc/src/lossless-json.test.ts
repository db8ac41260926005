import { AESC_ERROR__RPC__MALFORMED_FRAME, aescErrorCodeOf } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { JsonFloat } from './json-float.js';
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
    expect(v.e).toEqual(new JsonFloat(1e300)); // a float literal, though whole
    expect(v.k).toEqual({ '\\': [9007199254740993n] });
    expect(stringifyJson(v)).toBe(text.replace('1e300', '1e+300'));
  });

  it('keeps safe 16-digit integers as numbers, and a string that looks like a tag stays a string', () => {
    expect(parseJson('[9007199254740991,-9007199254740991,1234567890123456.5]')).toEqual([
      9007199254740991, -9007199254740991, 1234567890123456.5,
    ]);
    const tricky = '{"a":"\\u0000aesc-bigint:5","b":18446744073709551616}';
    const v = parseJson(tricky) as Record<string, unknown>;
    expect(v).toEqual({ a: '\u0000aesc-bigint:5', b: 18446744073709551616n });
    expect(parseJson(stringifyJson(v))).toEqual(v);
  });
});

describe('lossless JSON against hostile frames', () => {
  it('reads a whole-valued float as a JsonFloat (not an integer, as the node reads it), other numbers as before', () => {
    const v = parseJson('[1E2,1.0,-0.0,1.9999999999999999999,1.0000000000000000001,1e20,12345678901234567.0,1.5,-0,0,7]') as unknown[];
    expect(v.slice(0, 7).map((x) => (x instanceof JsonFloat ? x.value : 'not a float'))).toEqual([100, 1, -0, 2, 1, 1e20, 12345678901234568]);
    expect(v.slice(7)).toEqual([1.5, -0, 0, 7]);
    // A big id beside it takes the tagged path: the same.
    expect(parseJson('{"id":-576460752303423488,"amount":1E2}')).toEqual({ id: -576460752303423488n, amount: new JsonFloat(100) });
    // Written back as a float.
    expect(stringifyJson(parseJson('{"a":1E2,"b":[2.0],"c":-576460752303423488}'))).toBe('{"a":100.0,"b":[2.0],"c":-576460752303423488}');
  });

  it('refuses a number beyond a double (the node cannot read 1e400) and number literals JSON does not have', () => {
    for (const bad of ['1e400', '[1' + '0'.repeat(400) + '.0]', '{"a":-1E999}', '0123456789012345678901', '[01.5]', '{1e2:1}', '{"a":1,2e2:3}']) {
      expect(aescErrorCodeOf(() => parseJson(bad)), bad).toBe(AESC_ERROR__RPC__MALFORMED_FRAME);
    }
    // A huge integer is a bigint, whatever its size.
    expect(parseJson(`[1${'0'.repeat(400)}]`)).toEqual([10n ** 400n]);
  });

  it('reads and writes any nesting depth, with or without big integers (no recursion)', () => {
    const depth = 200_000;
    for (const inner of ['1', '18446744073709551616', '1E2']) {
      const text = `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
      const v = parseJson(text);
      expect(stringifyJson(v)).toBe(inner === '1E2' ? text.replace('1E2', '100.0') : text);
    }
    const objects = `${'{"a":'.repeat(depth)}18446744073709551616${'}'.repeat(depth)}`;
    expect(stringifyJson(parseJson(objects))).toBe(objects);
  });

  it('revives a big integer under an own "__proto__" key as an own property', () => {
    const v = parseJson('{"__proto__":18446744073709551616,"b":1E2}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')!.value).toBe(18446744073709551616n);
  });
});
