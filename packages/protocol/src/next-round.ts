import type { StateHash } from '@aesc/encoding';
import { AESC_ERROR__CHANNEL__INVALID_UPDATE, AescError, isAescError } from '@aesc/errors';
import { type ApplyOptions, type OffchainState, type OffchainUpdate, type TreeSet, applyUpdates, encodedStateHashOf } from '@aesc/state';

/**
 * How states are computed: applying a round's updates and hashing trees. The default is
 * `@aesc/state`'s functions; a node that hosts both participants of a channel passes a memo that
 * does each once for both (its results must be those of `@aesc/state`).
 */
export interface StateOps {
  /** `applyUpdates(state, updates, options)`. */
  next(state: OffchainState, updates: readonly OffchainUpdate[], options: ApplyOptions): OffchainState;
  /** The state hash of the trees (`st_…`). */
  stateHash(trees: TreeSet): StateHash;
}

/** {@link StateOps} of `@aesc/state`, computed every time. */
export const STATE_OPS: StateOps = Object.freeze({ next: applyUpdates, stateHash: encodedStateHashOf });

/** The state of the next round and its state hash. */
export interface NextRound {
  readonly state: OffchainState;
  readonly stateHash: StateHash;
}

/** What a round's updates are applied under. */
export interface RoundRules {
  /** The least a participant must keep in the channel (`channel_reserve`). */
  readonly channelReserve: bigint;
}

/**
 * The next round (`aesc_offchain_state:make_update_tx/7`): the last co-signed state with the
 * round's updates applied, one round later, and its state hash. Updates that cannot be applied
 * (a balance below the reserve, an account that is not in the channel, a contract update that needs
 * a VM) throw 7005 (`INVALID_UPDATE`) with the state's coded error as its cause.
 *
 * @example
 * ```ts
 * const { state, stateHash } = nextRound(last, transferUpdates({ from, to, amount: 1n }), { channelReserve: 2n });
 * state.round; // last.round + 1n
 * ```
 */
export function nextRound(last: OffchainState, updates: readonly OffchainUpdate[], rules: RoundRules, ops: StateOps = STATE_OPS): NextRound {
  let state: OffchainState;
  try {
    state = ops.next(last, updates, { channelReserve: rules.channelReserve });
  } catch (e) {
    if (isAescError(e)) throw new AescError(AESC_ERROR__CHANNEL__INVALID_UPDATE, { reason: e.message }, { cause: e });
    throw e;
  }
  return { state, stateHash: ops.stateHash(state.trees) };
}
