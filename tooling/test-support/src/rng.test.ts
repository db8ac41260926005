import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('the seeded random source', () => {
  it('draws the same for the same seed and otherwise for another, forks included', () => {
    const draw = (seed: string) => {
      const r = new Rng(seed);
      const f = r.fork();
      return [...Array.from({ length: 20 }, () => r.int(0, 1_000_000)), ...Array.from({ length: 20 }, () => f.int(0, 1_000_000))];
    };
    expect(draw('1')).toEqual(draw('1'));
    expect(draw('1')).not.toEqual(draw('2'));
  });

  it('keeps to its bounds and weights', () => {
    const r = new Rng('bounds');
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 2_000; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5).toBe(true);
      counts[r.weighted([[9, 'a'], [1, 'b']] as const)]++;
    }
    expect(counts.a).toBeGreaterThan(1_600);
    expect(counts.b).toBeGreaterThan(100);
  });

  it('draws chances and bytes from the same stream', () => {
    const r = new Rng('chance');
    let yes = 0;
    for (let i = 0; i < 2_000; i++) if (r.chance(0.25)) yes++;
    expect(yes).toBeGreaterThan(400);
    expect(yes).toBeLessThan(600);
    expect(new Rng('never').chance(0)).toBe(false);
    expect(new Rng('always').chance(1)).toBe(true);
    const bytes = new Rng('bytes').bytes(64);
    expect(bytes).toHaveLength(64);
    expect(bytes).toEqual(new Rng('bytes').bytes(64));
    expect(new Set(bytes).size).toBeGreaterThan(16);
  });
});
