import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonFloat } from './json-float.js';
import { writeJsonDeep } from './json-writer.js';
import { parseJson, stringifyJson } from './lossless-json.js';
import { sortKeysDeep, stringifySorted } from './sorted-json.js';

/**
 * The two-pass path that stringifySorted replaces. It writes integer-like keys out of order (a
 * JavaScript object lists them first), so it is the reference only for values without them.
 */
const general = (v: unknown) => stringifyJson(sortKeysDeep(v));

/** Whether every object in `v` lists its keys in sorted order (none has two keys with one integer-like). */
const copyKeepsOrder = (v: unknown): boolean => {
  if (Array.isArray(v)) return v.every(copyKeepsOrder);
  if (typeof v !== 'object' || v === null) return true;
  const keys = Object.keys(v);
  if (keys.length > 1 && keys.some((k) => /^[0-9]/.test(k))) return false;
  return Object.values(v).every(copyKeepsOrder);
};

/** A key generator that often gives integer-like keys (`"0"`, `"10"`, `"9"`), which a JavaScript object lists first. */
const key = fc.oneof(fc.string({ unit: 'binary' }), fc.nat({ max: 20 }).map(String), fc.constantFrom('01', '1.5', '4294967295', '4294967294', '-1', ''));

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
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 5 }), fc.dictionary(key, tie('node'), { maxKeys: 6 })),
})).node;

describe('stringifySorted', () => {
  it('writes what stringifyJson(sortKeysDeep(v)) writes, for generated values without integer-like keys', () => {
    fc.assert(
      fc.property(value, (v) => {
        if (v === undefined) return; // not JSON at the top: both throw
        if (copyKeepsOrder(v)) expect(stringifySorted(v)).toBe(general(v));
        expect(stringifySorted(v)).toBe(writeJsonDeep(v, true));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes every key in code-unit order, integer-like ones too, in objects with few keys and with many', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer(), { minKeys: 0, maxKeys: 40 }), (v) => {
        const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const inOrder = `{${keys.map((k) => `${JSON.stringify(k)}:${v[k]}`).join(',')}}`;
        expect(stringifySorted(v)).toBe(inOrder);
        expect(stringifySorted({ v })).toBe(`{"v":${inOrder}}`);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes integer-like keys where the node does: "10" before "9" before "a", not first', () => {
    const echoed = { a: 1, 9: [{ 1: 'x', '': 0 }], 10: 2 };
    expect(stringifySorted(echoed)).toBe('{"10":2,"9":[{"":0,"1":"x"}],"a":1}');
    expect(stringifySorted([{ 0: [], '': [] }])).toBe('[{"":[],"0":[]}]'); // once failed: the copy wrote "0" first
    expect(JSON.stringify(sortKeysDeep(echoed))).toBe('{"9":[{"1":"x","":0}],"10":2,"a":1}'); // why a copy cannot serve
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
        if (copyKeepsOrder(v)) expect(writeJsonDeep(v, true)).toBe(general(v));
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
