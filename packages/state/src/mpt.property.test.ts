import { compareBytes, toHex } from '@aesc/encoding';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitMpt, emptyMpt, mptDelete, mptEntries, mptFromEntries, mptFromRootHash, mptGet, mptPut } from './mpt.js';
import { checkProofNodeHashes, mptProofLookup, mptProve } from './mpt-proof.js';
import { memoryNodeStore } from './node-store.js';

// Keys from a small alphabet and of mixed lengths share prefixes (extensions, branch values);
// values of 1–40 bytes give nodes both under and over 32 bytes (embedded and hashed).
const key = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 4 }).map((k) => k.map((x) => x % 4)),
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
);
const value = fc.uint8Array({ minLength: 1, maxLength: 40 });
const entries = fc.uniqueArray(fc.tuple(key, value), { maxLength: 40, selector: ([k]) => toHex(k) });

const hex = (h: Uint8Array | undefined) => (h === undefined ? 'empty' : toHex(h));

describe('Merkle Patricia tree properties', () => {
  it('has one root hash per content, whatever the insertion order', () => {
    fc.assert(
      fc.property(entries, fc.func(fc.integer()), (es, order) => {
        const shuffled = [...es].sort((a, b) => order(toHex(a[0])) - order(toHex(b[0])));
        expect(hex(mptFromEntries(shuffled).rootHash)).toBe(hex(mptFromEntries(es).rootHash));
      }),
      { numRuns: 150 },
    );
  });

  it('gives after deletions the tree built without the deleted keys', () => {
    fc.assert(
      fc.property(entries, fc.array(fc.boolean(), { maxLength: 40 }), (es, drop) => {
        let t = mptFromEntries(es);
        const kept = es.filter((_, i) => !drop[i]);
        es.forEach(([k], i) => {
          if (drop[i]) t = mptDelete(t, k);
        });
        expect(hex(t.rootHash)).toBe(hex(mptFromEntries(kept).rootHash));
        for (const [k, v] of kept) expect(mptGet(t, k)).toEqual(v);
      }),
      { numRuns: 150 },
    );
  });

  it('iterates its entries in ascending key order and finds each one', () => {
    fc.assert(
      fc.property(entries, (es) => {
        const t = mptFromEntries(es);
        const sorted = [...es].sort((a, b) => compareBytes(a[0], b[0]));
        expect([...mptEntries(t)].map(([k, v]) => [toHex(k), toHex(v)])).toEqual(sorted.map(([k, v]) => [toHex(k), toHex(v)]));
      }),
      { numRuns: 100 },
    );
  });

  it('proves presence and absence with nodes that hash to their keys', () => {
    fc.assert(
      fc.property(entries, key, (es, other) => {
        const t = mptFromEntries(es);
        if (t.rootHash === undefined) return;
        let nodes = mptProve(t, other);
        for (const [k] of es) nodes = mptProve(t, k, nodes);
        checkProofNodeHashes(nodes);
        for (const [k, v] of es) expect(mptProofLookup(t.rootHash, nodes, k)).toEqual(v);
        expect(mptProofLookup(t.rootHash, nodes, other)).toEqual(mptGet(t, other));
      }),
      { numRuns: 100 },
    );
  });

  it('reads the same tree back from a node store and updates it to the same hashes', () => {
    fc.assert(
      fc.property(entries, fc.tuple(key, value), (es, [k, v]) => {
        const t = mptFromEntries(es);
        const store = memoryNodeStore();
        commitMpt(t, store);
        const back = mptFromRootHash(t.rootHash, store);
        expect(hex(mptPut(back, k, v).rootHash)).toBe(hex(mptPut(t, k, v).rootHash));
        expect(hex(mptDelete(back, k).rootHash)).toBe(hex(mptDelete(t, k).rootHash));
        const proof = (tree: typeof t) => [...mptProve(tree, k).entries()].map(([h, n]) => [h, n.node.map(toHex)]);
        expect(proof(back)).toEqual(proof(t));
      }),
      { numRuns: 100 },
    );
  });

  it('commits a changing tree again and again into one store: every version reopens whole', () => {
    fc.assert(
      fc.property(entries, fc.array(fc.tuple(key, fc.option(value)), { maxLength: 15 }), (es, ops) => {
        const store = memoryNodeStore();
        let t = mptFromEntries(es);
        const versions = [t];
        commitMpt(t, store);
        for (const [k, v] of ops) {
          t = v === null ? mptDelete(t, k) : mptPut(t, k, v);
          commitMpt(t, store);
          versions.push(t);
        }
        for (const version of versions) {
          const back = mptFromRootHash(version.rootHash, store);
          expect([...mptEntries(back)].map(([k, v]) => [hex(k), hex(v)])).toEqual([...mptEntries(version)].map(([k, v]) => [hex(k), hex(v)]));
        }
        // Committing an unchanged tree again writes nothing.
        expect(commitMpt(t, store)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('never changes a tree it derived another from', () => {
    fc.assert(
      fc.property(entries, fc.array(fc.tuple(key, fc.option(value)), { maxLength: 20 }), (es, ops) => {
        const base = mptFromEntries(es);
        const before = hex(base.rootHash);
        let t = base;
        for (const [k, v] of ops) t = v === null ? mptDelete(t, k) : mptPut(t, k, v);
        expect(hex(base.rootHash)).toBe(before);
        expect(hex(mptFromEntries(mptEntries(base)).rootHash)).toBe(before);
        expect(hex(mptFromEntries(mptEntries(t)).rootHash)).toBe(hex(t.rootHash));
      }),
      { numRuns: 100 },
    );
  });

  it('starts from the empty tree', () => {
    expect(emptyMpt().rootHash).toBeUndefined();
  });
});
