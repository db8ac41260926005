import { rlpDecode, rlpEncode, toHex } from '@aesc/encoding';
import { AESC_ERROR__STATE__INVALID_KEY, AESC_ERROR__STATE__MISSING_NODE, isAescError } from '@aesc/errors';
import { describe, expect, it } from 'vitest';
import { blake2b256 } from '@aesc/crypto';
import { commitMpt, emptyMpt, mptDelete, mptEntries, mptFromEntries, mptFromRootHash, mptGet, mptPut } from './mpt.js';
import { nodeRlp } from './mpt-node.js';
import { memoryNodeStore } from './node-store.js';
import { encodePath } from './nibbles.js';

const b = (...xs: number[]) => Uint8Array.from(xs);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('Merkle Patricia tree', () => {
  it('is empty at first: no root hash, no values', () => {
    const t = emptyMpt();
    expect(t.rootHash).toBeUndefined();
    expect(mptGet(t, b(1))).toBeUndefined();
    expect([...mptEntries(t)]).toEqual([]);
  });

  it('hashes a single leaf as blake2b-256 of [compact path, value], even when shorter than 32 bytes', () => {
    const t = mptPut(emptyMpt(), b(0x12, 0x34), b(7));
    const rlp = rlpEncode([encodePath(Uint8Array.of(1, 2, 3, 4), true), b(7)]);
    expect(rlp.length).toBeLessThan(32);
    expect(toHex(t.rootHash!)).toBe(toHex(blake2b256(rlp)));
  });

  it('embeds children under 32 bytes in their branch as byte strings, and refers to larger ones by hash', () => {
    const big = new Uint8Array(40).fill(9);
    const t = mptFromEntries([
      [b(0x10), b(1)],
      [b(0x20), big],
    ]);
    const root = t.root!;
    expect(root.kind).toBe('branch');
    if (root.kind !== 'branch') return;
    const items = rlpDecode(nodeRlp(root)) as Uint8Array[];
    expect(items).toHaveLength(17);
    const small = rlpEncode([encodePath(Uint8Array.of(0), true), b(1)]);
    expect(toHex(items[1]!)).toBe(toHex(small));
    expect(toHex(items[2]!)).toBe(toHex(blake2b256(rlpEncode([encodePath(Uint8Array.of(0), true), big]))));
  });

  it('refers to an extension’s child by hash even when the child is small', () => {
    const t = mptFromEntries([
      [b(0xab, 0x01), b(1)],
      [b(0xab, 0x02), b(2)],
    ]);
    expect(t.root?.kind).toBe('ext');
    if (t.root?.kind !== 'ext') return;
    const items = rlpDecode(nodeRlp(t.root)) as Uint8Array[];
    const child = t.root.child;
    expect(child.kind).toBe('branch');
    if (child.kind === 'stored') return;
    expect(nodeRlp(child).length).toBeLessThan(32);
    expect(toHex(items[1]!)).toBe(toHex(blake2b256(nodeRlp(child))));
  });

  it('keeps a value at a key that prefixes other keys in a branch', () => {
    let t = mptPut(emptyMpt(), b(1, 2), b(0));
    t = mptPut(t, b(1, 2, 3), b(5));
    t = mptPut(t, b(1, 2, 4), b(6));
    expect(mptGet(t, b(1, 2))).toEqual(b(0));
    expect(mptGet(t, b(1, 2, 3))).toEqual(b(5));
    expect([...mptEntries(t)].map(([k]) => toHex(k))).toEqual(['0102', '010203', '010204']);
    const u = mptDelete(mptDelete(t, b(1, 2, 3)), b(1, 2, 4));
    expect(toHex(u.rootHash!)).toBe(toHex(mptPut(emptyMpt(), b(1, 2), b(0)).rootHash!));
  });

  it('is persistent: updates leave older versions intact and return the same tree when nothing changes', () => {
    const t1 = mptFromEntries([
      [b(1), b(1)],
      [b(2), b(2)],
    ]);
    const t2 = mptPut(t1, b(1), b(9));
    expect(mptGet(t1, b(1))).toEqual(b(1));
    expect(mptGet(t2, b(1))).toEqual(b(9));
    expect(mptPut(t2, b(1), b(9))).toBe(t2);
    expect(mptDelete(t2, b(3))).toBe(t2);
    expect(mptPut(t2, b(2), new Uint8Array(0))).toEqual(mptDelete(t2, b(2)));
    expect(mptDelete(mptDelete(t2, b(1)), b(2)).rootHash).toBeUndefined();
  });

  it('commits to a node store and reopens from the root hash, reading nodes lazily', () => {
    const entries: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < 50; i++) entries.push([blake2b256(b(i)), b(i, i + 1)]);
    entries.push([b(1), b(2)], [b(1, 2), b(3)]);
    const t = mptFromEntries(entries);
    const store = memoryNodeStore();
    expect(commitMpt(t, store)).toBeGreaterThan(0);
    const reopened = mptFromRootHash(t.rootHash, store);
    expect(toHex(reopened.rootHash!)).toBe(toHex(t.rootHash!));
    for (const [k, v] of entries) expect(mptGet(reopened, k)).toEqual(v);
    expect([...mptEntries(reopened)].map(([k]) => toHex(k))).toEqual([...mptEntries(t)].map(([k]) => toHex(k)));
    const k = entries[7]![0];
    expect(toHex(mptPut(reopened, k, b(0)).rootHash!)).toBe(toHex(mptPut(t, k, b(0)).rootHash!));
    expect(toHex(mptDelete(reopened, k).rootHash!)).toBe(toHex(mptDelete(t, k).rootHash!));
    // A second commit of the reopened tree writes only what changed.
    const changed = mptPut(reopened, k, b(0));
    expect(commitMpt(changed, store)).toBeLessThan(10);
  });

  it('reports a node missing from the store and an empty key with coded errors', () => {
    const t = mptFromRootHash(new Uint8Array(32).fill(1), memoryNodeStore());
    expect(isAescError(thrown(() => mptGet(t, b(1))), AESC_ERROR__STATE__MISSING_NODE)).toBe(true);
    expect(isAescError(thrown(() => mptPut(emptyMpt(), new Uint8Array(0), b(1))), AESC_ERROR__STATE__INVALID_KEY)).toBe(true);
  });
});
