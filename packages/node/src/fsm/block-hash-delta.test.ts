import { describe, expect, it } from 'vitest';
import { DEFAULT_BLOCK_HASH_DELTA, NOT_SET_BLOCK_HASH, blockHashDeltaOf, blockHashVerdict, pickedHeight } from './block-hash-delta.js';

const hash = new Uint8Array(32).fill(7);

describe('block hash deltas (bh_delta_*)', () => {
  it('takes valid deltas and falls back to the node’s defaults otherwise', () => {
    expect(blockHashDeltaOf(1, 10, 1)).toEqual({ notNewerThan: 1, notOlderThan: 10, pick: 1 });
    expect(blockHashDeltaOf(2, 3, 1)).toEqual({ notNewerThan: 2, notOlderThan: 3, pick: 1 });
    // not_older_than < not_newer_than + pick, negative bounds, non-integers: the defaults.
    expect(blockHashDeltaOf(2, 3, 2)).toBe(DEFAULT_BLOCK_HASH_DELTA);
    expect(blockHashDeltaOf(-1, 10, 0)).toBe(DEFAULT_BLOCK_HASH_DELTA);
    expect(blockHashDeltaOf(0, 10, 0.5)).toBe(DEFAULT_BLOCK_HASH_DELTA);
    expect(blockHashDeltaOf(undefined, 10, 0)).toBe(DEFAULT_BLOCK_HASH_DELTA);
    expect(DEFAULT_BLOCK_HASH_DELTA).toEqual({ notNewerThan: 0, notOlderThan: 10, pick: 0 });
  });

  it('picks the top with the defaults, and top − nnt − min(not, nnt + pick) otherwise, not below genesis', () => {
    expect(pickedHeight(20n, DEFAULT_BLOCK_HASH_DELTA)).toBe(20n);
    expect(pickedHeight(20n, { notNewerThan: 1, notOlderThan: 10, pick: 1 })).toBe(17n);
    expect(pickedHeight(20n, { notNewerThan: 0, notOlderThan: 3, pick: 5 })).toBe(17n);
    expect(pickedHeight(2n, { notNewerThan: 1, notOlderThan: 10, pick: 1 })).toBe(0n);
  });

  it('checks a peer’s block against [top − not_older_than, top − not_newer_than], then the main chain', () => {
    const d = { notNewerThan: 2, notOlderThan: 5, pick: 0 };
    const at = (height: bigint, inMainChain = true) => blockHashVerdict(hash, { height, inMainChain }, 20n, d);
    expect(at(18n)).toBe('ok');
    expect(at(15n)).toBe('ok');
    expect(at(19n)).toBe('block_hash_too_new');
    expect(at(14n)).toBe('block_hash_too_old');
    expect(at(16n, false)).toBe('block_hash_in_fork');
    expect(blockHashVerdict(hash, undefined, 20n, d)).toBe('unknown_block_hash');
    // The not-set hash (all zeros) is never refused.
    expect(blockHashVerdict(NOT_SET_BLOCK_HASH, undefined, 20n, d)).toBe('ok');
  });
});
