import {
  type EncodedCallStateTree,
  type EncodedStateTrees,
  type RlpItem,
  bytesToUint,
  decodeApi,
  encodeApi,
  rlpDecode,
  rlpEncode,
  toHex,
  uintToBytes,
} from '@aesc/encoding';
import { AESC_ERROR__STATE__DUPLICATE_KEY, AESC_ERROR__STATE__MALFORMED_STATE_TREES, AescError } from '@aesc/errors';
import { type Mpt, emptyMpt, mptEntries, mptGet, mptPut } from './mpt.js';
import { EMPTY_NODE_SOURCE, type NodeSource } from './node-store.js';
import { type RootHashes, type TreeName, type TreeSet, rootHashesOf, stateHashFromRootHashes } from './tree-set.js';

// The `ss_` state trees object: aec_trees:serialize_to_binary/1 (tag 62, version 0: contracts,
// calls, channels, ns, oracles, accounts), each tree's to_binary_without_backend/1 (a wrapper
// 621–626 v1 around aeu_mtrees:serialize/1: tag 63 v1 with a list of tag 64 v1 [key, val]).
// aeu_mtrees:serialize/1 builds that list by prepending while iterating in ascending key
// order, so the entries come in DESCENDING key order.

const STATE_TREES_TAG = 62;
const MTREE_TAG = 63;
const MTREE_VALUE_TAG = 64;

/** The trees in the order of the `ss_` object, with the tag of each wrapper. */
const SERIALIZED_TREES: readonly (readonly [TreeName, number])[] = [
  ['contracts', 621],
  ['calls', 622],
  ['channels', 623],
  ['ns', 624],
  ['oracles', 625],
  ['accounts', 626],
];

const CALLS_TAG = 622;

function int(n: number): Uint8Array {
  return uintToBytes(BigInt(n));
}

/** `aeu_mtrees:serialize/1`: tag 63 v1 with the entries in descending key order. */
function serializeMtree(t: Mpt): Uint8Array {
  const values: Uint8Array[] = [];
  for (const [key, val] of mptEntries(t)) values.push(rlpEncode([int(MTREE_VALUE_TAG), int(1), key, val]));
  values.reverse();
  return rlpEncode([int(MTREE_TAG), int(1), values]);
}

function serializeWrapped(t: Mpt, tag: number): Uint8Array {
  return rlpEncode([int(tag), int(1), serializeMtree(t)]);
}

/** Serializes the trees as the node's state trees object (tag 62 v0), the payload of an `ss_` value. */
export function serializeStateTrees(trees: TreeSet): Uint8Array {
  return rlpEncode([int(STATE_TREES_TAG), int(0), ...SERIALIZED_TREES.map(([name, tag]) => serializeWrapped(trees[name], tag))]);
}

/** The trees as an `ss_…` string, what `channels.get.offchain_state` returns in `trees`. */
export function encodeStateTrees(trees: TreeSet): EncodedStateTrees {
  return encodeApi('ss', serializeStateTrees(trees));
}

/** Serializes a calls tree (tag 622 v1), the payload of a `cs_` value. */
export function serializeCallsTree(calls: Mpt): Uint8Array {
  return serializeWrapped(calls, CALLS_TAG);
}

/** A calls tree as a `cs_…` string, what `channels.get.offchain_state` returns in `calls`. */
export function encodeCallsTree(calls: Mpt): EncodedCallStateTree {
  return encodeApi('cs', serializeCallsTree(calls));
}

function malformed(path: string, reason: string): AescError {
  return new AescError(AESC_ERROR__STATE__MALFORMED_STATE_TREES, { path, reason });
}

function decodeRlp(bytes: Uint8Array, path: string): RlpItem {
  try {
    return rlpDecode(bytes);
  } catch (cause) {
    throw new AescError(AESC_ERROR__STATE__MALFORMED_STATE_TREES, { path, reason: 'not RLP' }, { cause });
  }
}

function list(item: RlpItem | undefined, path: string): readonly RlpItem[] {
  if (item === undefined || item instanceof Uint8Array) throw malformed(path, 'expected a list');
  return item;
}

function binary(item: RlpItem | undefined, path: string): Uint8Array {
  if (!(item instanceof Uint8Array)) throw malformed(path, 'expected a byte string');
  return item;
}

function header(items: readonly RlpItem[], tag: number, version: number, fields: number, path: string): void {
  const t = bytesToUint(binary(items[0], `${path}.tag`));
  const v = bytesToUint(binary(items[1], `${path}.version`));
  if (t !== BigInt(tag) || v !== BigInt(version)) throw malformed(path, `expected tag ${tag} v${version}, got tag ${t} v${v}`);
  if (items.length !== fields + 2) throw malformed(path, `expected ${fields} fields, got ${items.length - 2}`);
}

/** `aeu_mtrees:deserialize/1`: inserts every entry (a duplicate key is an error, as `insert/3` makes it). */
function parseMtree(bytes: Uint8Array, name: string, source: NodeSource): Mpt {
  const items = list(decodeRlp(bytes, name), name);
  header(items, MTREE_TAG, 1, 1, name);
  let t = emptyMpt(source);
  list(items[2], `${name}.values`).forEach((raw, i) => {
    const path = `${name}.values[${i}]`;
    const fields = list(decodeRlp(binary(raw, path), path), path);
    header(fields, MTREE_VALUE_TAG, 1, 2, path);
    const key = binary(fields[2], `${path}.key`);
    const val = binary(fields[3], `${path}.val`);
    if (key.length === 0 || val.length === 0) throw malformed(path, 'empty key or value');
    if (mptGet(t, key) !== undefined) throw new AescError(AESC_ERROR__STATE__DUPLICATE_KEY, { tree: name, key: toHex(key) });
    t = mptPut(t, key, val);
  });
  return t;
}

function parseWrapped(bytes: Uint8Array, name: TreeName, tag: number, source: NodeSource): Mpt {
  const items = list(decodeRlp(bytes, name), name);
  header(items, tag, 1, 1, name);
  return parseMtree(binary(items[2], name), name, source);
}

/** Parses a state trees object (`ss_…` or its bytes) into the six trees. */
export function parseStateTrees(stateTrees: string | Uint8Array, source: NodeSource = EMPTY_NODE_SOURCE): TreeSet {
  const bytes = typeof stateTrees === 'string' ? decodeApi(stateTrees, 'ss') : stateTrees;
  const items = list(decodeRlp(bytes, 'state_trees'), 'state_trees');
  header(items, STATE_TREES_TAG, 0, SERIALIZED_TREES.length, 'state_trees');
  const trees: Partial<Record<TreeName, Mpt>> = {};
  SERIALIZED_TREES.forEach(([name, tag], i) => {
    trees[name] = parseWrapped(binary(items[i + 2], name), name, tag, source);
  });
  return Object.freeze(trees as Record<TreeName, Mpt>);
}

/** Parses a calls tree (`cs_…` or its bytes). */
export function parseCallsTree(calls: string | Uint8Array, source: NodeSource = EMPTY_NODE_SOURCE): Mpt {
  const bytes = typeof calls === 'string' ? decodeApi(calls, 'cs') : calls;
  return parseWrapped(bytes, 'calls', CALLS_TAG, source);
}

/** The root hashes of the trees of a state trees object and the state hash they make. */
export interface TreesHashes {
  readonly rootHashes: RootHashes;
  readonly stateHash: Uint8Array;
}

/** The root hash of each tree of an `ss_…` value (or its bytes) and the state hash they make. */
export function stateTreesHashes(stateTrees: string | Uint8Array): TreesHashes {
  const rootHashes = rootHashesOf(parseStateTrees(stateTrees));
  return { rootHashes, stateHash: stateHashFromRootHashes(rootHashes) };
}
