import { type Field, atIndex, bytes, expectList, invalidField, list, record } from '../field.js';
import { defineObject } from '../object-def.js';

// Layout: aec_trees:internal_serialize_poi_fields/1 and aec_poi:serialization_format_template/0.

/** One node of a Merkle Patricia proof: its hash and its RLP fields (leaf, extension or branch). */
export interface PoiProofNode {
  readonly hash: Uint8Array;
  readonly node: readonly Uint8Array[];
}

/** The proof for one tree: the tree's root hash and the nodes on the paths to the proven keys. */
export interface PoiTree {
  readonly rootHash: Uint8Array;
  readonly proof: readonly PoiProofNode[];
}

/** A proof of inclusion (tag 60) v1: per state tree, a proof or null when the tree is not covered. */
export interface TreesPoi {
  readonly tag: 'trees_poi';
  readonly version: 1;
  readonly accounts: PoiTree | null;
  readonly calls: PoiTree | null;
  readonly channels: PoiTree | null;
  readonly contracts: PoiTree | null;
  readonly ns: PoiTree | null;
  readonly oracles: PoiTree | null;
}

const poiTree = record({
  rootHash: bytes,
  proof: list(record({ hash: bytes, node: list(bytes) })),
});

/** A list of zero or one item (`[]` or `[X]`), as null or the item. */
function zeroOrOne<T>(item: Field<T>): Field<T | null> {
  return {
    kind: `[${item.kind}]?`,
    shape: { type: 'zero-or-one', item: item as Field<unknown> },
    encode: (value, path, objects) => (value === null ? [] : [item.encode(value, atIndex(path, 0), objects)]),
    decode(rlp, path, objects) {
      const items = expectList(rlp, path);
      if (items.length > 1) throw invalidField(path, `expected at most one item, got ${items.length}`);
      return items.length === 0 ? null : item.decode(items[0]!, atIndex(path, 0), objects);
    },
    toJson: (value, objects) => (value === null ? null : item.toJson(value, objects)),
    fromJson: (json, path, objects) => (json === null ? null : item.fromJson(json, path, objects)),
  };
}

const part = zeroOrOne(poiTree);

export const treesPoiV1 = defineObject<TreesPoi>('trees_poi', 1, {
  accounts: part,
  calls: part,
  channels: part,
  contracts: part,
  ns: part,
  oracles: part,
});
