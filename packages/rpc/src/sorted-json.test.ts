import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonFloat } from './json-float.js';
import { writeJsonDeep } from './json-writer.js';
import { parseJson, stringifyJson } from './lossless-json.js';
import { sortKeysDeep, stringifySorted } from './sorted-json.js';

/** The two-pass path that stringifySorted replaces. */
const general = (v: unknown) => stringifyJson(sortKeysDeep(v));

/** JSON-ish values with what frames hold and what they could: bigints, odd numbers, undefined, unicode and escapes. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.constantFrom('\u0000aesc-bigint:12', '"', '\\', '\u2028', 'ak_2', ''),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.constantFrom(2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), 0n, -0n),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  ),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(fc.string({ unit: 'binary' }), tie('node'), { maxKeys: 6 })),
})).node;

describe('stringifySorted', () => {
  it('writes what stringifyJson(sortKeysDeep(v)) writes, for generated values', () => {
    fc.assert(
      fc.property(value, (v) => {
        if (v === undefined) return; // not JSON at the top: both throw
        expect(stringifySorted(v)).toBe(general(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts objects with few keys and with many the same way', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.integer(), { minKeys: 0, maxKeys: 40 }), (v) => {
        expect(stringifySorted({ v })).toBe(general({ v }));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes a notification frame with sorted keys, bigints as numbers, and undefined fields left out', () => {
    const frame = { jsonrpc: '2.0', version: 1, method: 'channels.update', params: { data: { z: 1n << 70n, a: undefined, m: [undefined, -0, Number.NaN] }, channel_id: null } };
    expect(stringifySorted(frame)).toBe('{"jsonrpc":"2.0","method":"channels.update","params":{"channel_id":null,"data":{"m":[null,0,null],"z":1180591620717411303424}},"version":1}');
    expect(stringifySorted(frame)).toBe(general(frame));
  });

  it('hands what is not plain data to the general path: toJSON, class instances, functions', () => {
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
    }
    const odd = { d: new Date(0), p: new Point(2, 1), f: () => 1, s: Symbol('s'), list: [() => 1] };
    expect(stringifySorted(odd)).toBe(general(odd));
    expect(stringifySorted(odd)).toBe('{"d":{},"list":[null],"p":{"x":1,"y":2}}'); // sortKeysDeep copies a Date's (no) own keys
  });

  it('throws as the general path does for values JSON cannot hold', () => {
    expect(() => stringifySorted(undefined)).toThrow(TypeError);
    expect(() => stringifySorted({ a: 1n, b: { toJSON: () => 2n } })).not.toThrow();
  });
});

describe('values nested deeper than the stack', () => {
  it('writeJsonDeep writes what the recursive writers write, for generated values', () => {
    fc.assert(
      fc.property(value, (v) => {
        if (v === undefined) {
          expect(writeJsonDeep(v, true)).toBeUndefined();
          return;
        }
        expect(writeJsonDeep(v, true)).toBe(general(v));
        expect(writeJsonDeep(v, false)).toBe(stringifyJson(v));
      }),
      { numRuns: 2000 },
    );
    const floats = { b: new JsonFloat(2), a: [new JsonFloat(-0), new JsonFloat(1e21)] };
    expect(writeJsonDeep(floats, true)).toBe(stringifySorted(floats));
    expect(stringifySorted(floats)).toBe('{"a":[-0.0,1e+21],"b":2.0}');
  });

  it('stringifySorted writes a client request of any depth, sorted (the error frame that echoes it)', () => {
    const depth = 100_000;
    const text = `{"z":${'{"b":1,"a":['.repeat(depth)}18446744073709551616${']}'.repeat(depth)},"a":1E2}`;
    const sorted = `{"a":100.0,"z":${'{"a":['.repeat(depth)}18446744073709551616${'],"b":1}'.repeat(depth)}}`;
    expect(stringifySorted(parseJson(text))).toBe(sorted);
    expect(stringifySorted({ shallow: parseJson('[[[1]]]') })).toBe('{"shallow":[[[1]]]}');
  });

  it('keeps an own "__proto__" key in the sorted copy, as the request had it (and sets no prototype)', () => {
    const v = parseJson('{"b":1,"__proto__":{"x":[1]}}');
    expect(stringifySorted(v)).toBe('{"__proto__":{"x":[1]},"b":1}');
    expect(writeJsonDeep(v, true)).toBe(stringifySorted(v));
    expect(stringifyJson(sortKeysDeep(v))).toBe(stringifySorted(v));
    expect(Object.getPrototypeOf(sortKeysDeep(v))).toBe(Object.prototype);
  });

  it('refuses a cycle with a TypeError, as JSON.stringify does', () => {
    let deep: unknown[] = [];
    const top = deep;
    for (let i = 0; i < 1000; i++) deep = [deep];
    top.push(deep);
    expect(() => stringifySorted(deep)).toThrow(TypeError);
    expect(() => stringifyJson(deep)).toThrow(TypeError);
  });
});
