import { type RlpItem, rlpDecode, rlpEncode, toHex } from '@aesc/encoding';
import { AESC_ERROR__STATE__MALFORMED_NODE, AESC_ERROR__STATE__MISSING_NODE, AescError } from '@aesc/errors';
import { blake2b256 } from '@aesc/crypto';
import type { NodeSource } from './node-store.js';
import { type Nibbles, decodePath, encodePath } from './nibbles.js';

// Node kinds and their serialization: aeu_mp_trees.erl in the node (leaf, ext, branch; compact
// paths; nodes whose RLP is shorter than 32 bytes are embedded in their parent, the others are
// referred to by their blake2b-256 hash; an extension always refers to its child by hash).

/** A child stored elsewhere (in a {@link NodeSource}), known by its hash only. */
export interface StoredRef {
  readonly kind: 'stored';
  readonly hash: Uint8Array;
}

interface Memo {
  /**
   * Internal memo, filled on first use by {@link nodeRef}: how a parent branch refers to the
   * node (its RLP when shorter than 32 bytes, else the blake2b-256 hash of its RLP). Encodings are
   * computed lazily, so a round that changes a node twice hashes it once.
   */
  ref?: Uint8Array;
}

/** A leaf: the rest of the key and the value. */
export interface LeafNode extends Memo {
  readonly kind: 'leaf';
  readonly path: Nibbles;
  readonly value: Uint8Array;
}

/** An extension: a shared run of nibbles, then a branch. */
export interface ExtNode extends Memo {
  readonly kind: 'ext';
  readonly path: Nibbles;
  readonly child: MptChild;
}

/** A branch: one child per nibble and the value of the key that ends here (empty when none). */
export interface BranchNode extends Memo {
  readonly kind: 'branch';
  readonly children: readonly (MptChild | null)[];
  readonly value: Uint8Array;
}

/** A node held in memory. Nodes are never changed once built; trees share the ones they have in common. */
export type MptNode = LeafNode | ExtNode | BranchNode;

/** A reference to a child: the node itself or its hash in the node source. */
export type MptChild = MptNode | StoredRef;

const EMPTY = new Uint8Array(0);

/** The node's RLP: `[path, value]`, `[path, childHash]` or 16 children and a value. */
export function nodeRlp(node: MptNode): Uint8Array {
  return rlpEncode(nodeItems(node));
}

/** How a parent branch refers to the node: its RLP when shorter than 32 bytes, else its hash (memoized). */
export function nodeRef(node: MptNode): Uint8Array {
  let ref = node.ref;
  if (ref === undefined) {
    const rlp = nodeRlp(node);
    ref = rlp.length < 32 ? rlp : blake2b256(rlp);
    (node as Memo).ref = ref;
  }
  return ref;
}

/** The hash of a child: its stored hash, or the hash of its RLP (forced for embedded nodes). */
export function childHash(child: MptChild): Uint8Array {
  if (child.kind === 'stored') return child.hash;
  const ref = nodeRef(child);
  return ref.length < 32 ? blake2b256(ref) : ref;
}

/** Whether a parent refers to this child by hash (the child is not embedded). */
export function isHashed(child: MptChild): boolean {
  return child.kind === 'stored' || nodeRef(child).length === 32;
}

function branchItem(child: MptChild | null): Uint8Array {
  if (child === null) return EMPTY;
  return child.kind === 'stored' ? child.hash : nodeRef(child);
}

/** The node's fields as the list of byte strings it serializes to (the form a proof carries). */
export function nodeItems(node: MptNode): Uint8Array[] {
  switch (node.kind) {
    case 'leaf':
      return [encodePath(node.path, true), node.value];
    case 'ext':
      return [encodePath(node.path, false), childHash(node.child)];
    case 'branch': {
      const items = new Array<Uint8Array>(17);
      for (let i = 0; i < 16; i++) items[i] = branchItem(node.children[i] ?? null);
      items[16] = node.value;
      return items;
    }
  }
}

/** A leaf node. */
export function leafNode(path: Nibbles, value: Uint8Array): LeafNode {
  return { kind: 'leaf', path, value };
}

/** An extension node. */
export function extNode(path: Nibbles, child: MptChild): ExtNode {
  return { kind: 'ext', path, child };
}

/** A branch node (`children` has 16 entries). */
export function branchNode(children: readonly (MptChild | null)[], value: Uint8Array): BranchNode {
  return { kind: 'branch', children, value };
}

function malformed(reason: string): AescError {
  return new AescError(AESC_ERROR__STATE__MALFORMED_NODE, { reason });
}

function binaryItems(item: RlpItem): readonly Uint8Array[] {
  if (item instanceof Uint8Array) throw malformed('a node is a list');
  for (const i of item) if (!(i instanceof Uint8Array)) throw malformed('node fields are byte strings');
  return item as readonly Uint8Array[];
}

/** A child as a parent's field holds it: embedded RLP (under 32 bytes) or a 32-byte hash. */
function childFromItem(item: Uint8Array): MptChild {
  if (item.length === 32) return { kind: 'stored', hash: item };
  if (item.length === 0 || item.length > 32) throw malformed(`a child reference of ${item.length} bytes`);
  return decodeNodeRlp(item, item);
}

/**
 * Decodes a node from its fields (the list of byte strings of a proof entry or of its RLP); `ref`
 * is how its parent refers to it (its hash, or its RLP when embedded).
 */
export function decodeNodeItems(items: readonly Uint8Array[], ref: Uint8Array): MptNode {
  if (items.length === 2) {
    const { leaf, path } = decodePath(items[0]!);
    if (leaf) return { kind: 'leaf', path, value: items[1]!, ref };
    if (path.length === 0) throw malformed('an extension with an empty path');
    return { kind: 'ext', path, child: childFromItem(items[1]!), ref };
  }
  if (items.length === 17) {
    const children = new Array<MptChild | null>(16);
    for (let i = 0; i < 16; i++) children[i] = items[i]!.length === 0 ? null : childFromItem(items[i]!);
    return { kind: 'branch', children, value: items[16]!, ref };
  }
  throw malformed(`a node has 2 or 17 fields, got ${items.length}`);
}

/** Decodes a node from its RLP; `ref` is how its parent refers to it (its hash, or the RLP when embedded). */
export function decodeNodeRlp(rlp: Uint8Array, ref: Uint8Array): MptNode {
  let item: RlpItem;
  try {
    item = rlpDecode(rlp);
  } catch (cause) {
    throw new AescError(AESC_ERROR__STATE__MALFORMED_NODE, { reason: 'not RLP' }, { cause });
  }
  return decodeNodeItems(binaryItems(item), ref);
}

/** The node a child refers to, read from `source` when it is stored elsewhere. */
export function resolveChild(child: MptChild, source: NodeSource): MptNode {
  if (child.kind !== 'stored') return child;
  const rlp = source.get(child.hash);
  if (rlp === undefined) throw new AescError(AESC_ERROR__STATE__MISSING_NODE, { hash: toHex(child.hash) });
  return decodeNodeRlp(rlp, rlp.length < 32 ? rlp : child.hash);
}
