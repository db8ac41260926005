import { describe, expect, it } from 'vitest';
import { groupCommit } from './group-commit.js';

describe('groupCommit', () => {
  it('writes what arrives in one turn in one call, in order, and resolves each caller after it', async () => {
    const calls: number[][] = [];
    const put = groupCommit<number>((batch) => calls.push([...batch]));
    const first = [put(1), put(2), put(3)];
    expect(calls).toEqual([]); // nothing written yet: the turn is not over
    await Promise.all(first);
    expect(calls).toEqual([[1, 2, 3]]);
    await Promise.all([put(4), put(5)]);
    expect(calls).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('rejects every caller of a batch whose write fails, and writes the next batch', async () => {
    let fail = true;
    const written: string[] = [];
    const put = groupCommit<string>((batch) => {
      if (fail) throw new Error('disk full');
      written.push(...batch);
    });
    const results = await Promise.allSettled([put('a'), put('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await put('c');
    expect(written).toEqual(['c']);
  });
});
