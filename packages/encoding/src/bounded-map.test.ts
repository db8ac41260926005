import { describe, expect, it } from 'vitest';
import { setBounded } from './bounded-map.js';

describe('setBounded', () => {
  it('keeps at most max entries, dropping the oldest insertion first', () => {
    const m = new Map<string, number>();
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) setBounded(m, k, i, 3);
    expect([...m.keys()]).toEqual(['b', 'c', 'd']);
  });

  it('replacing a present key drops nothing', () => {
    const m = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    setBounded(m, 'a', 3, 2);
    expect([...m]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });
});
