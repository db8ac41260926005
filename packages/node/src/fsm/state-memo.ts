import { type EncodedStateTrees, BoundedCache, base64Encode, type StateHash } from '@aesc/encoding';
import {
  type ApplyOptions,
  type OffchainState,
  type OffchainUpdate,
  type TreeSet,
  applyUpdates,
  encodeStateTrees,
  encodedStateHashOf,
} from '@aesc/state';
import { objectBytes } from './object-bytes.js';

/**
 * The off-chain state work of a node's FSMs, done once per state where it can be.
 *
 * When one node hosts both FSMs of a channel (a dev node always does), each applies every round's
 * updates to the same state, checks the same state hash and writes the same trees to the state
 * cache. Trees are immutable (every update makes new ones), so the second FSM can take the
 * first's: in `pnpm bench:node` that was about a twentieth of a round. Results are shared only
 * between equal inputs, compared by content (the round, the state hash, the options and the
 * updates' bytes), never by chance of identity; an update that fails is not remembered, so each FSM
 * gets the error itself. A result is handed out once more after it was made (the other FSM's turn)
 * and then forgotten: held any longer, every round's state outlived the young-generation GC's
 * next collection, and was copied to the old generation for nothing.
 */
export interface StateMemo {
  /** `applyUpdates(state, updates, options)`, or the result for an equal state, updates and options computed before and not handed out since. */
  next(state: OffchainState, updates: readonly OffchainUpdate[], options: ApplyOptions): OffchainState;
  /** The state hash of the trees (`st_…`), computed once per trees object. */
  stateHash(trees: TreeSet): StateHash;
  /** `encodeStateTrees(trees)`, computed once per trees object. */
  encodedTrees(trees: TreeSet): EncodedStateTrees;
}

/** A {@link StateMemo} that remembers about the last `max` results of `next`, at least `max / 2` (a `BoundedCache`; the hashes and encodings live as long as their trees). */
export function stateMemo(max = 256): StateMemo {
  const results = new BoundedCache<string, OffchainState>(max);
  const stateHash = oncePerObject(encodedStateHashOf);
  return {
    next(state, updates, options) {
      let key = `${state.round}|${stateHash(state.trees)}|${options.channelReserve ?? 0n}`;
      // (the updates' bytes are the ones the FSM sends or received them as: see object-bytes.ts)
      for (const u of updates) key += `|${base64Encode(objectBytes(u))}`;
      // the other FSM asks once, and then the result need not outlive the round in here
      const known = results.take(key);
      if (known !== undefined) return known;
      const next = Object.freeze(applyUpdates(state, updates, options));
      results.set(key, next);
      return next;
    },
    stateHash,
    encodedTrees: oncePerObject(encodeStateTrees),
  };
}

/** `compute`, called once per object (each result lives as long as its object). */
function oncePerObject<K extends object, V>(compute: (k: K) => V): (k: K) => V {
  const results = new WeakMap<K, V>();
  return (k) => {
    let v = results.get(k);
    if (v === undefined) {
      v = compute(k);
      results.set(k, v);
    }
    return v;
  };
}
