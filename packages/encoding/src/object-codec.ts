import type { JsonValue } from './json-value.js';
import type { RlpItem } from './rlp.js';
import type { ObjectName } from './tags.js';

/** What every chain object has: its object name as `tag` (the node's name for it) and its version. */
export interface TaggedObject {
  readonly tag: ObjectName;
  readonly version: number;
}

/**
 * The codec of whole chain objects, whatever their tag and version: what a field holding a
 * serialized object (the tx of a signed tx, a solo close's PoI, the values of a state tree) hands
 * that object to. Field codecs get one passed down with every call, from whoever encodes or decodes
 * the outer object (an `ObjectRegistry`, normally `chainObjects`), so that no field codec needs to
 * know the table of object definitions.
 *
 * A `path` of `''` builds no paths (the fast path); any other is the place of the value, for errors.
 */
export interface ObjectCodec {
  /** The RLP list of a chain object: tag, version and its fields. */
  encodeItem(value: TaggedObject, path: string): RlpItem;
  /** The chain object of an RLP list (a list starting with tag and version). */
  decodeItem(item: RlpItem, path: string): TaggedObject;
  /** The JSON form of a chain object. */
  toJson(value: TaggedObject): { readonly [k: string]: JsonValue };
  /** A chain object from its JSON form. */
  fromJson(json: unknown, path: string): TaggedObject;
}
