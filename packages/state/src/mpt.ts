import { bytesEqual } from '@aesc/encoding';
import { AESC_ERROR__STATE__INVALID_KEY, AESC_ERROR__STATE__MALFORMED_NODE, AescError } from '@aesc/errors';
import {
  type BranchNode,
  type MptChild,
  type MptNode,
  branchNode,
  childHash,
  extNode,
  isHashed,
  leafNode,
  nodeRlp,
  resolveChild,
} from './mpt-node.js';
import { EMPTY_NODE_SOURCE, type NodeSource, type NodeStore } from './node-store.js';
import { type Nibbles, bytesToNibbles, commonPrefixLength, concatNibbles, nibblesToBytes } from './nibbles.js';

// The algorithms mirror aeu_mp_trees.erl (int_put, int_delete, try_reduce_branch, int_get) so
// that every tree has exactly the node's shape, and therefore its root hash.

/**
 * A Merkle Patricia tree as the æternity node builds it (`aeu_mp_trees`). Immutable: every update
 * returns a new tree that shares all untouched nodes with the old one, so keeping every past
 * version costs only the nodes each update replaced.
 */
export interface Mpt {
  /** The root node, or null for the empty tree. */
  readonly root: MptChild | null;
  /** The root hash (blake2b-256 of the root node's RLP), or undefined for the empty tree. Computed on first use. */
  readonly rootHash: Uint8Array | undefined;
  /** Where nodes that are not held in memory are read from. */
  readonly source: NodeSource;
}

const EMPTY = new Uint8Array(0);

class Tree implements Mpt {
  readonly root: MptChild | null;
  readonly source: NodeSource;
  #hash: Uint8Array | undefined;

  constructor(root: MptChild | null, source: NodeSource) {
    this.root = root;
    this.source = source;
  }

  get rootHash(): Uint8Array | undefined {
    if (this.#hash === undefined && this.root !== null) this.#hash = childHash(this.root);
    return this.#hash;
  }
}

function tree(root: MptChild | null, source: NodeSource): Mpt {
  return new Tree(root, source);
}

/** The empty tree; `source` is where nodes of trees derived from stored ones are read from. */
export function emptyMpt(source: NodeSource = EMPTY_NODE_SOURCE): Mpt {
  return tree(null, source);
}

/** Opens a stored tree by its root hash (undefined or empty for the empty tree). Nodes are read lazily. */
export function mptFromRootHash(rootHash: Uint8Array | undefined, source: NodeSource): Mpt {
  if (rootHash === undefined || rootHash.length === 0) return emptyMpt(source);
  if (rootHash.length !== 32) throw new AescError(AESC_ERROR__STATE__MALFORMED_NODE, { reason: 'a root hash has 32 bytes' });
  return tree({ kind: 'stored', hash: rootHash }, source);
}

function checkKey(key: Uint8Array): Nibbles {
  if (!(key instanceof Uint8Array) || key.length === 0) {
    throw new AescError(AESC_ERROR__STATE__INVALID_KEY, { reason: 'a key is a non-empty byte string' });
  }
  return bytesToNibbles(key);
}

function startsWith(key: Nibbles, i: number, path: Nibbles): boolean {
  if (key.length - i < path.length) return false;
  for (let j = 0; j < path.length; j++) if (key[i + j] !== path[j]) return false;
  return true;
}

/** The value stored under `key`, or undefined. */
export function mptGet(t: Mpt, key: Uint8Array): Uint8Array | undefined {
  const k = checkKey(key);
  let ref = t.root;
  let i = 0;
  while (ref !== null) {
    const node = resolveChild(ref, t.source);
    if (node.kind === 'leaf') {
      return node.path.length === k.length - i && startsWith(k, i, node.path) ? node.value : undefined;
    }
    if (node.kind === 'ext') {
      if (!startsWith(k, i, node.path)) return undefined;
      i += node.path.length;
      ref = node.child;
      continue;
    }
    if (i === k.length) return node.value.length === 0 ? undefined : node.value;
    ref = node.children[k[i]!] ?? null;
    i++;
  }
  return undefined;
}

function withChild(b: BranchNode, n: number, child: MptChild | null, value = b.value): BranchNode {
  const children = b.children.slice();
  children[n] = child;
  return branchNode(children, value);
}

function branchOf(entries: readonly (readonly [number, MptChild])[], value: Uint8Array): BranchNode {
  const children = new Array<MptChild | null>(16).fill(null);
  for (const [n, child] of entries) children[n] = child;
  return branchNode(children, value);
}

function maybeExt(common: Nibbles, node: MptNode): MptNode {
  return common.length === 0 ? node : extNode(common, node);
}

/** An extension's child under a shorter path (`update_extension_path/3`); an empty path gives the child. */
function shortenExt(child: MptChild, path: Nibbles, source: NodeSource): MptNode {
  return path.length === 0 ? resolveChild(child, source) : extNode(path, child);
}

/** Inserts `value` at `key[i..]` below `ref`; undefined when nothing changes. */
function put(ref: MptChild | null, key: Nibbles, i: number, value: Uint8Array, source: NodeSource): MptNode | undefined {
  if (ref === null) return leafNode(key.subarray(i), value);
  const node = resolveChild(ref, source);
  switch (node.kind) {
    case 'leaf': {
      const c = commonPrefixLength(key, i, node.path);
      const common = key.subarray(i, i + c);
      const k1 = key.subarray(i + c);
      const k2 = node.path.subarray(c);
      if (k1.length === 0 && k2.length === 0) {
        return bytesEqual(node.value, value) ? undefined : leafNode(node.path, value);
      }
      if (k1.length === 0) return maybeExt(common, branchOf([[k2[0]!, leafNode(k2.subarray(1), node.value)]], value));
      if (k2.length === 0) return maybeExt(common, branchOf([[k1[0]!, leafNode(k1.subarray(1), value)]], node.value));
      return maybeExt(
        common,
        branchOf(
          [
            [k1[0]!, leafNode(k1.subarray(1), value)],
            [k2[0]!, leafNode(k2.subarray(1), node.value)],
          ],
          EMPTY,
        ),
      );
    }
    case 'branch': {
      if (i === key.length) return bytesEqual(node.value, value) ? undefined : branchNode(node.children, value);
      const n = key[i]!;
      const child = put(node.children[n] ?? null, key, i + 1, value, source);
      return child === undefined ? undefined : withChild(node, n, child);
    }
    case 'ext': {
      const c = commonPrefixLength(key, i, node.path);
      const k2 = node.path.subarray(c);
      if (k2.length === 0) {
        const child = put(node.child, key, i + c, value, source);
        return child === undefined ? undefined : extNode(node.path, child);
      }
      const common = key.subarray(i, i + c);
      const rest = shortenExt(node.child, k2.subarray(1), source);
      if (i + c === key.length) return maybeExt(common, branchOf([[k2[0]!, rest]], value));
      return maybeExt(
        common,
        branchOf(
          [
            [key[i + c]!, leafNode(key.subarray(i + c + 1), value)],
            [k2[0]!, rest],
          ],
          EMPTY,
        ),
      );
    }
  }
}

/**
 * Stores `value` under `key` and returns the new tree (the same tree when the value is already
 * there). As in the node, putting the empty value deletes the key.
 */
export function mptPut(t: Mpt, key: Uint8Array, value: Uint8Array): Mpt {
  if (value.length === 0) return mptDelete(t, key);
  const root = put(t.root, checkKey(key), 0, value, t.source);
  return root === undefined ? t : tree(root, t.source);
}

function malformed(reason: string): AescError {
  return new AescError(AESC_ERROR__STATE__MALFORMED_NODE, { reason });
}

/** A branch with one entry left becomes a leaf or an extension (`try_reduce_branch/2`). */
function reduceBranch(children: readonly (MptChild | null)[], value: Uint8Array, source: NodeSource): MptNode {
  let count = value.length === 0 ? 0 : 1;
  let only = -1;
  for (let n = 0; n < 16; n++) {
    if (children[n] !== null) {
      count++;
      only = n;
    }
  }
  if (count > 1) return branchNode(children, value);
  if (count === 0) throw malformed('an empty branch');
  if (only < 0) return leafNode(EMPTY, value);
  const child = resolveChild(children[only]!, source);
  const nibble = Uint8Array.of(only);
  if (child.kind === 'leaf') return leafNode(concatNibbles(nibble, child.path), child.value);
  if (child.kind === 'ext') return extNode(concatNibbles(nibble, child.path), child.child);
  return extNode(nibble, child);
}

/** Removes `key[i..]` below `ref`: the new node, null when nothing is left, undefined when nothing changes. */
function del(ref: MptChild | null, key: Nibbles, i: number, source: NodeSource): MptNode | null | undefined {
  if (ref === null) return undefined;
  const node = resolveChild(ref, source);
  switch (node.kind) {
    case 'leaf':
      return node.path.length === key.length - i && startsWith(key, i, node.path) ? null : undefined;
    case 'ext': {
      if (!startsWith(key, i, node.path)) return undefined;
      const child = del(node.child, key, i + node.path.length, source);
      if (child === undefined) return undefined;
      if (child === null) throw malformed('an extension over an empty node');
      if (child.kind === 'leaf') return leafNode(concatNibbles(node.path, child.path), child.value);
      if (child.kind === 'ext') return extNode(concatNibbles(node.path, child.path), child.child);
      return extNode(node.path, child);
    }
    case 'branch': {
      if (i === key.length) return node.value.length === 0 ? undefined : reduceBranch(node.children, EMPTY, source);
      const n = key[i]!;
      const child = del(node.children[n] ?? null, key, i + 1, source);
      if (child === undefined) return undefined;
      if (child === null) {
        const children = node.children.slice();
        children[n] = null;
        return reduceBranch(children, node.value, source);
      }
      return withChild(node, n, child);
    }
  }
}

/** Removes `key` and returns the new tree (the same tree when the key is absent). */
export function mptDelete(t: Mpt, key: Uint8Array): Mpt {
  const root = del(t.root, checkKey(key), 0, t.source);
  return root === undefined ? t : tree(root, t.source);
}

function* walk(ref: MptChild, prefix: Nibbles, source: NodeSource): Generator<[Uint8Array, Uint8Array]> {
  const node = resolveChild(ref, source);
  if (node.kind === 'leaf') {
    const path = concatNibbles(prefix, node.path);
    if (path.length % 2 === 0) yield [nibblesToBytes(path), node.value];
    return;
  }
  if (node.kind === 'ext') {
    yield* walk(node.child, concatNibbles(prefix, node.path), source);
    return;
  }
  if (node.value.length > 0 && prefix.length % 2 === 0) yield [nibblesToBytes(prefix), node.value];
  for (let n = 0; n < 16; n++) {
    const child = node.children[n];
    if (child) yield* walk(child, concatNibbles(prefix, Uint8Array.of(n)), source);
  }
}

/** Every `[key, value]` of the tree in ascending key order (the order of the node's iterator). */
export function* mptEntries(t: Mpt): Generator<[Uint8Array, Uint8Array]> {
  if (t.root !== null) yield* walk(t.root, new Uint8Array(0), t.source);
}

/** Builds a tree from entries (in any order: the tree does not depend on it). */
export function mptFromEntries(
  entries: Iterable<readonly [Uint8Array, Uint8Array]>,
  source: NodeSource = EMPTY_NODE_SOURCE,
): Mpt {
  let t = emptyMpt(source);
  for (const [k, v] of entries) t = mptPut(t, k, v);
  return t;
}

/** Per store, the in-memory nodes already written to it (only nodes written by hash are recorded). */
const committed = new WeakMap<NodeStore, WeakSet<MptChild>>();

/**
 * Writes the tree's in-memory nodes to `store`, as the node keeps them in its database: every
 * node referred to by hash (its RLP is 32 bytes or more, or it is the root or an extension's
 * child) under that hash. Nodes already stored (read from the store) are skipped. Returns the
 * number of nodes written.
 */
export function commitMpt(t: Mpt, store: NodeStore): number {
  // Nodes are immutable, so a node written to this store before has its whole subtree there too:
  // a commit walks only what changed since the last one (a dev chain commits every micro block).
  let done = committed.get(store);
  if (done === undefined) {
    done = new WeakSet();
    committed.set(store, done);
  }
  const seen = done;
  let written = 0;
  const visit = (ref: MptChild, forced: boolean) => {
    if (ref.kind === 'stored' || seen.has(ref)) return;
    if (ref.kind === 'ext') visit(ref.child, true);
    else if (ref.kind === 'branch') for (const c of ref.children) if (c) visit(c, false);
    if (forced || isHashed(ref)) {
      store.put(childHash(ref), nodeRlp(ref));
      seen.add(ref);
      written++;
    }
  };
  if (t.root !== null) visit(t.root, true);
  return written;
}
