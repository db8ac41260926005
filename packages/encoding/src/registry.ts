import type { JsonValue } from './json-value.js';
import type { ObjectDef } from './object-def.js';
import { type ObjectRegistry, createObjectRegistry, withErrorPath } from './object-registry.js';
import type { ChainObject } from './objects/chain-object.js';
import { ALL_OBJECT_DEFS } from './objects/index.js';
import { type RlpItem, rlpDecode, rlpEncode } from './rlp.js';
import type { ObjectName } from './tags.js';

/**
 * The registry of every chain object the codecs support ({@link ALL_OBJECT_DEFS}): the one the
 * functions below use, and the `objects` to pass to a field codec called on its own.
 */
export const chainObjects: ObjectRegistry = /* @__PURE__ */ createObjectRegistry(ALL_OBJECT_DEFS as readonly ObjectDef[]);

/** The definition of `name` at `version`, or undefined when it is not supported. */
export function getObjectDef(name: ObjectName, version: number): ObjectDef | undefined {
  return chainObjects.def(name, version);
}

/** The versions of an object that the codecs support. */
export function supportedVersions(name: ObjectName): number[] {
  return chainObjects.versions(name);
}

/** Finds the definition for a decoded RLP list's tag and version. */
export function defOfItems(items: readonly RlpItem[], path = '$'): ObjectDef {
  return chainObjects.defOfItems(items, path);
}

/** Decodes a chain object from its RLP item (a list starting with tag and version). */
export function decodeObjectItem(item: RlpItem, path = '$'): ChainObject {
  return withErrorPath(path, (p) => chainObjects.decodeItem(item, p) as ChainObject);
}

/**
 * Decodes a serialized chain object (any supported tag and version) into a plain typed object;
 * binary fields that hold chain objects (the tx of a signed tx, a PoI, a payload) are decoded too.
 * Encoding the result with {@link encodeObject} gives back the same bytes.
 */
export function decodeObject(bytes: Uint8Array, path = '$'): ChainObject {
  const item = rlpDecode(bytes);
  return withErrorPath(path, (p) => chainObjects.decodeItem(item, p) as ChainObject);
}

/** The RLP item of a chain object. */
export function encodeObjectItem(value: ChainObject, path = '$'): RlpItem {
  return withErrorPath(path, (p) => chainObjects.encodeItem(value, p));
}

/** Serializes a chain object to the node's bytes. */
export function encodeObject(value: ChainObject, path = '$'): Uint8Array {
  return rlpEncode(encodeObjectItem(value, path));
}

/** The JSON form of a chain object (what `aesc inspect` prints): big integers as decimal strings, bytes as `ba_…`. */
export function objectToJson(value: ChainObject): { readonly [k: string]: JsonValue } {
  return chainObjects.toJson(value);
}

/** Parses the JSON form of a chain object back into the typed object (the inverse of {@link objectToJson}). */
export function objectFromJson(json: unknown, path = '$'): ChainObject {
  return chainObjects.fromJson(json, path) as ChainObject;
}
