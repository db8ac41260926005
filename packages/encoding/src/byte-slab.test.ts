import { describe, expect, it } from 'vitest';
import { allocBytes } from './byte-slab.js';

describe('allocBytes', () => {
  it('gives zero-filled arrays of the asked length, small and large', () => {
    for (const n of [0, 1, 64, 65, 200, 512, 513, 5000]) {
      const b = allocBytes(n);
      expect(b.length).toBe(n);
      expect(b.every((x) => x === 0)).toBe(true);
    }
  });

  it('never hands out the same bytes twice: writing one array leaves every other as it was', () => {
    const arrays = Array.from({ length: 200 }, (_, i) => allocBytes(65 + (i % 400)));
    for (const [i, a] of arrays.entries()) a.fill(i % 251);
    for (const [i, a] of arrays.entries()) expect(a.every((x) => x === i % 251)).toBe(true);
    // later cuts (from the same slab or a new one) start zeroed, whatever was written before
    for (let k = 0; k < 100; k++) expect(allocBytes(300).every((x) => x === 0)).toBe(true);
  });

  it('cuts mid-size arrays from a shared slab (so byteOffset matters) and the rest on their own', () => {
    const a = allocBytes(100);
    const b = allocBytes(100);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBe(a.byteOffset + 100);
    expect(allocBytes(64).buffer.byteLength).toBe(64);
    expect(allocBytes(1000).buffer.byteLength).toBe(1000);
  });
});
