/**
 * A cache that holds about `max` entries and forgets the oldest half at once: entries go into a
 * young generation of `max / 2`; when it is full it becomes the old one (the previous old one is
 * dropped whole) and a new young one starts. A hit in the old generation is copied into the young
 * one, so values in use outlive the drop (the codecs' and the node's memos meet the same few ids
 * and keys again and again).
 *
 * Why not one `Map` that deletes its oldest entry on each insertion: V8 rebuilds a `Map`'s table
 * whenever deletions have filled it, and the old table keeps its entries and a strong link to the
 * new one. Once a full GC has moved a live table to the old generation, the young-generation GC
 * (the scavenger) takes that table, dead or not, as a root until the next full GC: every table
 * made since, and every entry they held, survives each scavenge and is copied to the old
 * generation. A memo that had let go of its values thus made the scavenger copy all of them, twice
 * (in the test beside this file, about 4 MB a scavenge against 0.1 MB with this class). Dropping
 * a whole generation leaves no such chain: nothing adds to a dropped table.
 *
 * Values may not be `undefined` (a miss is `undefined`).
 */
export class BoundedCache<K, V extends NonNullable<unknown> | null> {
  readonly #generation: number;
  // (a value taken out leaves its key behind, mapped to undefined, until its generation goes)
  #young = new Map<K, V | undefined>();
  #old = new Map<K, V | undefined>();

  constructor(max: number) {
    this.#generation = Math.max(1, Math.ceil(max / 2));
  }

  get(key: K): V | undefined {
    const young = this.#young.get(key);
    if (young !== undefined || this.#old.size === 0) return young;
    const old = this.#old.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  /**
   * The value for `key`, which the cache then forgets (a later `get` misses): for a value used once
   * more after it was made, so that the cache does not keep it alive any longer. The key stays until
   * its generation is dropped, as deleting from a `Map` is what this class avoids.
   */
  take(key: K): V | undefined {
    const young = this.#young.get(key);
    const old = this.#old.get(key);
    if (young !== undefined) this.#young.set(key, undefined);
    if (old !== undefined) this.#old.set(key, undefined);
    return young ?? old;
  }

  set(key: K, value: V): void {
    if (this.#young.size >= this.#generation && !this.#young.has(key)) {
      this.#old = this.#young;
      this.#young = new Map();
    }
    this.#young.set(key, value);
  }

  /** The values held, at most `max` (rounded up to even); a key in both generations counts once. */
  get size(): number {
    let n = 0;
    for (const v of this.#young.values()) if (v !== undefined) n++;
    for (const [k, v] of this.#old) if (v !== undefined && this.#young.get(k) === undefined) n++;
    return n;
  }
}
