import { promotedPerScavenge } from '@aesc/gc-probe';
import { describe, expect, it } from 'vitest';
import { PendingTable } from '../src/pending-table.js';

describe('PendingTable', () => {
  it('holds what waits and forgets what was taken', () => {
    const t = new PendingTable<string, number>();
    t.set('a', 1);
    t.set('b', 2);
    expect(t.size).toBe(2);
    expect(t.take('a')).toBe(1);
    expect(t.take('a')).toBeUndefined();
    expect(t.has('a')).toBe(false);
    expect(t.get('b')).toBe(2);
    expect(t.size).toBe(1);
    t.set('a', 3);
    t.set('b', 4);
    expect(t.size).toBe(2);
    expect([...t.entries()]).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
    expect(t.takeAll()).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
    expect(t.size).toBe(0);
    expect(t.get('a')).toBeUndefined();
  });

  it('keeps what waits when it starts over, through any number of others coming and going', () => {
    const t = new PendingTable<number, string>();
    t.set(-1, 'long');
    for (let i = 0; i < 1000; i++) {
      t.set(i, `v${i}`);
      if (i >= 3) expect(t.take(i - 3)).toBe(`v${i - 3}`);
    }
    expect(t.size).toBe(4);
    expect([...t.entries()]).toEqual([
      [-1, 'long'],
      [997, 'v997'],
      [998, 'v998'],
      [999, 'v999'],
    ]);
    expect(t.take(-1)).toBe('long');
  });

  it('can be taken from while its entries are walked', () => {
    const t = new PendingTable<number, number>();
    for (let i = 0; i < 40; i++) t.set(i, i);
    const seen: number[] = [];
    for (const [k, v] of t.entries()) {
      seen.push(v);
      t.take(k);
    }
    expect(seen).toEqual([...Array(40).keys()]);
    expect(t.size).toBe(0);
  });

  // The reason for the class (see its comment): with one entry waiting throughout and the others
  // answered one behind (each after the next was sent), what was answered must not make the
  // young-generation GC copy it to the old generation. (V8 keeps what a table held when it was
  // rebuilt, so entries answered at once would show nothing either way.) Run in a child process
  // with --trace-gc-nvp; the same churn through a Map with `delete` shows that the measure can fail.
  it('does not make the scavenger promote what was answered (a Map with delete does)', () => {
    const script = `import { PendingTable } from './pending-table.mjs';
const table = new PendingTable();
const map = new Map();
const [set, take] = process.argv[2] === 'map'
  ? [(k, v) => map.set(k, v), (k) => map.delete(k)]
  : [(k, v) => table.set(k, v), (k) => table.take(k)];
set('waiting', { resolve() {}, reject() {} });
for (let i = 0; i < 300000; i++) {
  // a full GC moves the live table to the old generation, as one does now and then in an app
  if (i === 1000) globalThis.gc();
  const id = String(i);
  set(id, { method: 'channels.get.balances', resolve: () => id, reject: () => id, frame: new Uint8Array(200) });
  if (i > 0) take(String(i - 1));
}
`;
    const module = new URL('../src/pending-table.ts', import.meta.url);
    const table = promotedPerScavenge(module, script, ['table']);
    const map = promotedPerScavenge(module, script, ['map']);
    expect(table).toBeLessThan(200 * 1024);
    // The control: the Map promotes what was answered, about 2 MB a scavenge, whatever the load;
    // the table's figure moves with the scavenges' timing (0–100 KB), so the margin is 5×, not 10×.
    expect(map).toBeGreaterThan(1024 * 1024);
    expect(map).toBeGreaterThan(5 * table);
  });
});
