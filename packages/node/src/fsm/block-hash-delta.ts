import type { BlockPlace } from '@aesc/chain-api';

/**
 * How far from the top the block hash in an FSM's proposals may be (connect params
 * `bh_delta_not_newer_than`, `bh_delta_not_older_than`, `bh_delta_pick`; the node's `bh_delta`).
 * All three in key blocks.
 */
export interface BlockHashDelta {
  /** A peer's block hash must be at least this many blocks below the top. */
  readonly notNewerThan: number;
  /** A peer's block hash must be at most this many blocks below the top. */
  readonly notOlderThan: number;
  /** How far inside the range this FSM's own proposals pick their block. */
  readonly pick: number;
}

/** What the node uses when the deltas are not given or not valid: the top, at most 10 blocks old. */
export const DEFAULT_BLOCK_HASH_DELTA: BlockHashDelta = Object.freeze({ notNewerThan: 0, notOlderThan: 10, pick: 0 });

/** The "not set" block hash: 32 zero bytes. A proposal with it is checked against the top and never refused for it. */
export const NOT_SET_BLOCK_HASH: Uint8Array = new Uint8Array(32);

/**
 * The deltas of a connection (`check_block_hash_deltas/1`): taken when all three are integers,
 * both bounds are non-negative and `not_older_than ≥ not_newer_than + pick`; otherwise the
 * defaults, as the node falls back to them.
 */
export function blockHashDeltaOf(notNewerThan: unknown, notOlderThan: unknown, pick: unknown): BlockHashDelta {
  const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
  if (!int(notNewerThan) || !int(notOlderThan) || !int(pick)) return DEFAULT_BLOCK_HASH_DELTA;
  if (notNewerThan < 0 || notOlderThan < 0 || notOlderThan < notNewerThan + pick) return DEFAULT_BLOCK_HASH_DELTA;
  return Object.freeze({ notNewerThan, notOlderThan, pick });
}

/**
 * The height of the key block whose hash an FSM puts in its proposals (`pick_hash/1`): the top
 * minus `not_newer_than`, minus an offset of `min(not_older_than, not_newer_than + pick)` more
 * (the node keeps away from the edge of the range), never below genesis.
 */
export function pickedHeight(top: bigint, delta: BlockHashDelta): bigint {
  const offset = Math.min(delta.notOlderThan, delta.notNewerThan + delta.pick);
  const h = top - BigInt(delta.notNewerThan) - BigInt(offset);
  return h < 0n ? 0n : h;
}

/** Why a peer's block hash is refused (the node's reasons), or `ok`. */
export type BlockHashVerdict = 'ok' | 'block_hash_too_new' | 'block_hash_too_old' | 'block_hash_in_fork' | 'unknown_block_hash';


/**
 * Checks a peer's block hash against this FSM's deltas (`check_block_hash/2`): the not-set hash
 * passes; an unknown block is refused; then the height must lie in
 * `[top − not_older_than, top − not_newer_than]`, and the block must be on the main chain.
 */
export function blockHashVerdict(hash: Uint8Array, place: BlockPlace | undefined, top: bigint, delta: BlockHashDelta): BlockHashVerdict {
  if (isNotSet(hash)) return 'ok';
  if (place === undefined) return 'unknown_block_hash';
  if (place.height > top - BigInt(delta.notNewerThan)) return 'block_hash_too_new';
  if (place.height < top - BigInt(delta.notOlderThan)) return 'block_hash_too_old';
  if (!place.inMainChain) return 'block_hash_in_fork';
  return 'ok';
}

/** Whether a block hash is the not-set one (all zeros). */
export function isNotSet(hash: Uint8Array): boolean {
  return hash.length === 32 && hash.every((b) => b === 0);
}
