import { type EncodedStateTrees, encodeObject, setBounded, type StateHash } from '@aesc/encoding';
import {
  type ApplyOptions,
  type OffchainState,
  type OffchainUpdate,
  type TreeSet,
  applyUpdates,
  encodeStateTrees,
  encodedStateHashOf,
} from '@aesc/state';

/**
 * The off-chain state work of a node's FSMs, done once per state where it can be.
 *
 * When one node hosts both FSMs of a channel (a dev node always does), each applies every round's
 * updates to the same state, checks the same state hash and writes the same trees to the state
 * cache. Trees are immutable (every update makes new ones), so the second FSM can take the
 * first's: in `pnpm bench:node` that was about a twentieth of a round. Results are shared only
 * between equal inputs, compared by content (the round, the state hash, the options and the
 * updates' bytes), never by chance of identity; an update that fails is not remembered, so each FSM
 * gets the error itself.
 */
export interface StateMemo {
  /** `applyUpdates(state, updates, options)`, or the result for an equal state, updates and options computed before. */
  next(state: OffchainState, updates: readonly OffchainUpdate[], options: ApplyOptions): OffchainState;
  /** The state hash of the trees (`st_…`), computed once per trees object. */
  stateHash(trees: TreeSet): StateHash;
  /** `encodeStateTrees(trees)`, computed once per trees object. */
  encodedTrees(trees: TreeSet): EncodedStateTrees;
}

/** A {@link StateMemo} that remembers the last `max` results of `next` (the hashes and encodings live as long as their trees). */
export function stateMemo(max = 256): StateMemo {
  const results = new Map<string, OffchainState>();
  const hashes = new WeakMap<TreeSet, StateHash>();
  const encodings = new WeakMap<TreeSet, EncodedStateTrees>();
  const stateHash = (trees: TreeSet): StateHash => {
    let h = hashes.get(trees);
    if (h === undefined) {
      h = encodedStateHashOf(trees);
      hashes.set(trees, h);
    }
    return h;
  };
  return {
    next(state, updates, options) {
      let key = `${state.round}|${stateHash(state.trees)}|${options.channelReserve ?? 0n}`;
      for (const u of updates) key += `|${Buffer.from(encodeObject(u)).toString('base64')}`;
      const known = results.get(key);
      if (known !== undefined) return known;
      const next = Object.freeze(applyUpdates(state, updates, options));
      setBounded(results, key, next, max);
      return next;
    },
    stateHash,
    encodedTrees(trees) {
      let e = encodings.get(trees);
      if (e === undefined) {
        e = encodeStateTrees(trees);
        encodings.set(trees, e);
      }
      return e;
    },
  };
}
