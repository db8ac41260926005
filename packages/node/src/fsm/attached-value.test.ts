import { describe, expect, it } from 'vitest';
import { attachedValue } from './attached-value.js';

describe('attachedValue', () => {
  it('keeps a value per object, as a WeakMap would', () => {
    const memo = attachedValue<object, string>('test');
    const a = { n: 1 };
    const b = { n: 1 };
    expect(memo.get(a)).toBeUndefined();
    expect(memo.has(a)).toBe(false);
    memo.set(a, 'x');
    expect(memo.get(a)).toBe('x');
    expect(memo.has(a)).toBe(true);
    expect(memo.get(b)).toBeUndefined(); // by identity, not by content
    memo.set(a, 'y');
    expect(memo.get(a)).toBe('y');
    // two memos do not see each other's values
    expect(attachedValue<object, string>('test').get(a)).toBeUndefined();
  });

  it('is invisible to copies, JSON, key listings and deep equality', () => {
    const memo = attachedValue<object, Uint8Array>('bytes');
    const tx = { tag: 'signed_tx', signatures: [] as Uint8Array[] };
    memo.set(tx, new Uint8Array([1, 2, 3]));
    const copy = { ...tx, signatures: [new Uint8Array(64)] };
    expect(memo.get(copy)).toBeUndefined(); // a changed copy must not answer with the old bytes
    expect(JSON.stringify(tx)).toBe('{"tag":"signed_tx","signatures":[]}');
    expect(Object.keys(tx)).toEqual(['tag', 'signatures']);
    expect(tx).toEqual({ tag: 'signed_tx', signatures: [] });
  });

  it('works on byte arrays, and on objects that take no properties', () => {
    const memo = attachedValue<object, string>('text');
    const bytes = new Uint8Array(8);
    memo.set(bytes, 'tx_…');
    expect(memo.get(bytes)).toBe('tx_…');
    expect(memo.get(bytes.subarray(0))).toBeUndefined();
    const frozen = Object.freeze({ n: 1 });
    memo.set(frozen, 'kept aside');
    expect(memo.get(frozen)).toBe('kept aside');
    expect(memo.has(frozen)).toBe(true);
    expect(memo.has(Object.freeze({ n: 1 }))).toBe(false);
  });
});
