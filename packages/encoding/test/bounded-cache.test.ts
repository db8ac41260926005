import { promotedPerScavenge } from '@aesc/gc-probe';
import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../src/bounded-cache.js';

describe('BoundedCache', () => {
  it('returns what was set, and undefined for a key it does not hold', () => {
    const c = new BoundedCache<string, number | null>(4);
    c.set('a', 1);
    c.set('b', null);
    c.set('a', 2);
    expect(c.get('a')).toBe(2);
    expect(c.get('b')).toBeNull();
    expect(c.get('c')).toBeUndefined();
    expect(c.size).toBe(2);
  });

  it('holds at most max entries and always the last max / 2 set', () => {
    for (const max of [1, 2, 7, 16]) {
      const c = new BoundedCache<number, number>(max);
      const half = Math.ceil(max / 2);
      for (let i = 0; i < 10 * max + 3; i++) {
        c.set(i, i * 10);
        expect(c.size).toBeLessThanOrEqual(2 * half);
        for (let j = Math.max(0, i - half + 1); j <= i; j++) expect(c.get(j)).toBe(j * 10);
      }
      expect(c.get(0)).toBeUndefined();
    }
  });

  it('keeps an entry that is read while others come and go', () => {
    const c = new BoundedCache<string, string>(8);
    c.set('hot', 'kept');
    for (let i = 0; i < 100; i++) {
      c.set(`cold${i}`, 'x');
      expect(c.get('hot')).toBe('kept');
    }
    expect(c.get('cold0')).toBeUndefined();
    expect(c.size).toBeLessThanOrEqual(8);
  });

  it('take hands a value out once and forgets it, wherever it was', () => {
    const c = new BoundedCache<string, number>(4);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3); // a and b are the old generation now
    expect(c.get('a')).toBe(1); // and a is copied into the young one
    expect(c.take('a')).toBe(1);
    expect(c.get('a')).toBeUndefined();
    expect(c.take('a')).toBeUndefined();
    expect(c.take('b')).toBe(2);
    expect(c.get('b')).toBeUndefined();
    expect(c.size).toBe(1);
    c.set('a', 4);
    expect(c.get('a')).toBe(4);
  });

  // The reason for the class (see its comment): what a cache let go of must not stay alive
  // through the young-generation GC. Run in a child process with --trace-gc-nvp, which reports
  // the bytes each scavenge promoted to the old generation; the same churn through a Map that
  // deletes its oldest entry shows that the measure can fail.
  it('does not make the scavenger promote what it dropped (a Map deleting its oldest entry does)', () => {
    const script = `import { BoundedCache } from './bounded-cache.mjs';
const cache = new BoundedCache(16);
const map = new Map();
const put = process.argv[2] === 'map'
  ? (k, v) => { if (map.size >= 16) map.delete(map.keys().next().value); map.set(k, v); }
  : (k, v) => cache.set(k, v);
for (let i = 0; i < 300000; i++) {
  // a full GC moves the live table to the old generation, as one does now and then in a node
  if (i === 1000) globalThis.gc();
  put('k' + i + '-'.repeat(100), new Uint8Array(200));
}
`;
    const module = new URL('../src/bounded-cache.ts', import.meta.url);
    const cache = promotedPerScavenge(module, script, ['cache']);
    const map = promotedPerScavenge(module, script, ['map']);
    expect(cache).toBeLessThan(200 * 1024);
    expect(map).toBeGreaterThan(10 * cache + 1024 * 1024);
  });
});
