import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** FNV-1a of a seed's text: any seed (a number or a word, as `--seed` gives it) makes one 32-bit seed. */
function seedOf(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A seeded random source (xoroshiro128+): the same seed gives the same draws. */
export class Rng {
  readonly #g: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: string) {
    this.#g = xoroshiro128plus(seedOf(seed));
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return uniformInt(this.#g, lo, hi);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  /** One of `xs`, each as likely. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }

  /** One of `entries` by weight. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    let at = this.int(0, entries.reduce((n, [w]) => n + w, 0) - 1);
    for (const [w, v] of entries) {
      if (at < w) return v;
      at -= w;
    }
    return entries[entries.length - 1]![1];
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }

  /**
   * A fresh source for a sub-task, drawn from this one: what the sub-task draws (a number of
   * draws that may depend on timing) does not shift what this one draws next, so runs stay
   * reproducible however sub-tasks interleave.
   */
  fork(): Rng {
    return new Rng(String(this.int(0, 2 ** 31 - 1)));
  }
}
