import { bytesEqual, rlpEncode, toHex } from '@aesc/encoding';
import { AESC_ERROR__STATE__POI_BAD_PROOF, AescError } from '@aesc/errors';
import { blake2b256 } from '@aesc/crypto';
import type { Mpt } from './mpt.js';
import { type MptChild, type MptNode, childHash, decodeNodeItems, isHashed, nodeItems, resolveChild } from './mpt-node.js';
import { bytesToNibbles } from './nibbles.js';

// Proofs: aeu_mp_trees:construct_proof/3 (the nodes on the path to a key, those referred to by
// hash, keyed by their hash) and verify_proof/4, lookup_in_proof/3.

/** One node of a proof: its hash and its fields (the form `PoiProofNode` serializes). */
export interface ProofNode {
  readonly hash: Uint8Array;
  readonly node: readonly Uint8Array[];
}

/** The nodes of a proof by their hex hash. */
export type ProofNodes = ReadonlyMap<string, ProofNode>;

/**
 * Adds to `nodes` the nodes a proof of `key` needs (the root and every node on the path to the
 * key that its parent refers to by hash) and returns the new map; `nodes` is left as it was. The
 * key does not have to be present: the nodes then prove its absence.
 */
export function mptProve(t: Mpt, key: Uint8Array, nodes: ProofNodes = new Map()): ProofNodes {
  if (t.root === null) return nodes;
  const out = new Map(nodes);
  const add = (ref: MptChild, node: MptNode) => {
    const hash = childHash(ref);
    const hex = toHex(hash);
    if (!out.has(hex)) out.set(hex, { hash, node: nodeItems(node) });
  };
  const k = bytesToNibbles(key);
  let ref: MptChild = t.root;
  let node = resolveChild(ref, t.source);
  add(ref, node);
  let i = 0;
  for (;;) {
    if (node.kind === 'leaf') break;
    if (node.kind === 'ext') {
      if (k.length - i < node.path.length || node.path.some((n, j) => k[i + j] !== n)) break;
      i += node.path.length;
      ref = node.child;
      node = resolveChild(ref, t.source);
      add(ref, node);
      continue;
    }
    if (i === k.length) break;
    const next = node.children[k[i]!] ?? null;
    if (next === null) break;
    i++;
    ref = next;
    node = resolveChild(ref, t.source);
    if (isHashed(ref)) add(ref, node);
  }
  return out;
}

/** The proof's nodes in the node's serialization order: ascending by hash. */
export function sortedProofNodes(nodes: ProofNodes): ProofNode[] {
  return [...nodes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, n]) => n);
}

/** Indexes a proof's nodes by hash. */
export function proofNodesOf(list: readonly ProofNode[]): ProofNodes {
  return new Map(list.map((n) => [toHex(n.hash), n]));
}

function badProof(tree: string, reason: string): AescError {
  return new AescError(AESC_ERROR__STATE__POI_BAD_PROOF, { tree, reason });
}

/** Checks that every node of the proof hashes to the hash it is filed under. */
export function checkProofNodeHashes(nodes: ProofNodes, tree = 'mpt'): void {
  for (const [hex, n] of nodes) {
    if (toHex(n.hash) !== hex || !bytesEqual(blake2b256(rlpEncode(n.node)), n.hash)) {
      throw badProof(tree, `node ${toHex(n.hash)} does not hash to its key`);
    }
  }
}

function provenNode(nodes: ProofNodes, hash: Uint8Array, tree: string): MptNode {
  const entry = nodes.get(toHex(hash));
  if (entry === undefined) throw badProof(tree, `node ${toHex(hash)} is missing`);
  const rlp = rlpEncode(entry.node);
  if (!bytesEqual(blake2b256(rlp), hash)) throw badProof(tree, `node ${toHex(hash)} does not hash to its key`);
  try {
    return decodeNodeItems(entry.node, rlp.length < 32 ? rlp : hash);
  } catch (cause) {
    throw new AescError(AESC_ERROR__STATE__POI_BAD_PROOF, { tree, reason: `node ${toHex(hash)} is malformed` }, { cause });
  }
}

function provenChild(ref: MptChild, nodes: ProofNodes, tree: string): MptNode {
  return ref.kind === 'stored' ? provenNode(nodes, ref.hash, tree) : ref;
}

/**
 * Looks `key` up in a proof for the tree with root `rootHash`, checking the hash of every node on
 * the way: the value, or undefined when the proof shows the key is absent. Throws
 * `AESC_ERROR__STATE__POI_BAD_PROOF` when a node on the path is missing or does not match its hash.
 */
export function mptProofLookup(rootHash: Uint8Array, nodes: ProofNodes, key: Uint8Array, tree = 'mpt'): Uint8Array | undefined {
  const k = bytesToNibbles(key);
  let node = provenNode(nodes, rootHash, tree);
  let i = 0;
  for (;;) {
    if (node.kind === 'leaf') {
      if (node.path.length !== k.length - i) return undefined;
      for (let j = 0; j < node.path.length; j++) if (node.path[j] !== k[i + j]) return undefined;
      return node.value;
    }
    if (node.kind === 'ext') {
      if (k.length - i < node.path.length) return undefined;
      for (let j = 0; j < node.path.length; j++) if (node.path[j] !== k[i + j]) return undefined;
      i += node.path.length;
      node = provenChild(node.child, nodes, tree);
      continue;
    }
    if (i === k.length) return node.value.length === 0 ? undefined : node.value;
    const next = node.children[k[i]!] ?? null;
    if (next === null) return undefined;
    i++;
    node = provenChild(next, nodes, tree);
  }
}
