import type { TreeSet } from '@aesc/state';
import type { CachedChannel } from './cached-channel.js';
import type { StateMemo } from './state-memo.js';

/** What a live record encodes its trees with: the node's state memo, which does it once per trees object. */
type TreesEncoder = Pick<StateMemo, 'encodedTrees'>;

const TREES = Symbol('aesc.live-record.trees');
const ENCODER = Symbol('aesc.live-record.encoder');

interface Lazy {
  readonly [TREES]: TreeSet;
  readonly [ENCODER]: TreesEncoder;
}

/** The `trees` getter of every live record: one function for all of them (see {@link liveRecord}). */
function encodedTrees(this: Lazy): string {
  return this[ENCODER].encodedTrees(this[TREES]);
}

/**
 * The record a running FSM puts in the state cache on every co-signed round, with its `trees`
 * (`ss_…`) encoded only when a cache reads them, to seal the record or to hand it out. A memory
 * cache holding the record of a running FSM never does. `trees` is an own, enumerable accessor,
 * so spreading the record or turning it into JSON encodes them as a plain property would; the
 * trees and the encoder sit under symbols that neither sees.
 *
 * `fields` must be a new object: it becomes the record.
 *
 * The getter is one function for all records. With an object literal's own `get trees() { … }`
 * every record had a getter of its own, and V8 cannot give objects whose accessors differ a shared
 * hidden class. Whatever it kept for each record held that getter, and the trees it closed over,
 * in the old generation until the next full GC. In `bench:node --only-1` that was most of what
 * each young-generation collection promoted, and the test beside this file shows it in isolation.
 */
export function liveRecord(fields: Omit<CachedChannel, 'trees'>, encoder: TreesEncoder, trees: TreeSet): CachedChannel {
  Object.defineProperty(fields, ENCODER, { value: encoder });
  Object.defineProperty(fields, TREES, { value: trees });
  Object.defineProperty(fields, 'trees', { get: encodedTrees, enumerable: true, configurable: true });
  return fields as CachedChannel;
}
