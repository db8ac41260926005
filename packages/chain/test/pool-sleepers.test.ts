import { describe, expect, it } from 'vitest';
import type { PoolEntry } from '../src/mempool.js';
import { PoolSleepers } from '../src/pool-sleepers.js';

const entry = (deps: string[]) => ({ deps }) as unknown as PoolEntry;

describe('PoolSleepers', () => {
  it('wakes a sleeping tx when any key it reads changes, and only those txs', () => {
    const s = new PoolSleepers();
    const a = entry(['a:ak_1', 'c:ch_1']);
    const b = entry(['a:ak_2']);
    s.sleep(a);
    s.sleep(b);
    s.sleep(a); // twice: still one sleeper under each key
    expect(s.has(a) && s.has(b)).toBe(true);
    s.wake('c:ch_1');
    expect(s.has(a)).toBe(false);
    expect(s.has(b)).toBe(true);
    s.wake('a:ak_9'); // a key nobody reads
    expect(s.has(b)).toBe(true);
    s.clear();
    expect(s.has(b)).toBe(false);
  });

  it('a tx put to sleep again after a wake sleeps until the next change', () => {
    const s = new PoolSleepers();
    const a = entry(['a:ak_1']);
    s.sleep(a);
    s.wake('a:ak_1');
    s.sleep(a);
    expect(s.has(a)).toBe(true);
    s.wake('a:ak_1');
    expect(s.has(a)).toBe(false);
  });
});
