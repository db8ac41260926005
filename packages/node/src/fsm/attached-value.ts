/**
 * A value kept on an object under a private symbol: a WeakMap with the same interface, without
 * its cost where the node uses it per round.
 *
 * The node remembers each tx's bytes (and each bytes array's object and text) several times a
 * round. In WeakMaps, those entries made V8's young-generation collections keep about a third
 * more alive (and promote it) and take about a quarter longer (`--trace-gc-nvp` on `pnpm bench:node
 * --only-1`). Kept on the objects themselves, a value lives exactly as long as its object, with
 * no table to grow or to sweep.
 *
 * The property is non-enumerable, so a copy made with spread (`{ ...signed, signatures }`), JSON
 * and deep equality in tests do not see it; a copy of an object never carries the value over.
 * An object that cannot take a property (frozen, sealed) keeps its value in a WeakMap instead.
 */
export interface AttachedValue<K extends object, V> {
  get(target: K): V | undefined;
  set(target: K, value: V): void;
  has(target: K): boolean;
}

/** An {@link AttachedValue} under a new symbol (`description` names it in heap snapshots). Values are never `undefined`. */
export function attachedValue<K extends object, V>(description: string): AttachedValue<K, V> {
  const key = Symbol(description);
  const fallback = new WeakMap<K, V>();
  // (No prototype has the symbol, so a plain read answers for every extensible object.)
  const get = (target: K): V | undefined => {
    const v = (target as Record<symbol, V | undefined>)[key];
    return v !== undefined || Object.isExtensible(target) ? v : fallback.get(target);
  };
  return {
    get,
    set(target, value) {
      if (Object.isExtensible(target)) Object.defineProperty(target, key, { value, writable: true, configurable: true });
      else fallback.set(target, value);
    },
    has: (target) => get(target) !== undefined,
  };
}
