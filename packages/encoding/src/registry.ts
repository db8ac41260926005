import {
  AESC_ERROR__ENCODING__INVALID_VALUE,
  AESC_ERROR__ENCODING__UNKNOWN_TAG,
  AESC_ERROR__ENCODING__UNKNOWN_VERSION,
  AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT,
  AescError,
  isAescError,
} from '@aesc/errors';
import { type JsonValue, at, expectBinary, expectList, invalidValue } from './field.js';
import { bytesToUint } from './integer.js';
import { type ObjectDef, decodeFields, encodeFields, fieldsFromJson, fieldsToJson } from './object-def.js';
import { ALL_OBJECT_DEFS, type ChainObject } from './objects/index.js';
import { type RlpItem, rlpDecode, rlpEncode } from './rlp.js';
import { OBJECT_TAGS, type ObjectName, objectNameOf } from './tags.js';

let byTag: Map<number, Map<number, ObjectDef>> | undefined;

function definitions(): Map<number, Map<number, ObjectDef>> {
  if (byTag === undefined) {
    byTag = new Map();
    for (const def of ALL_OBJECT_DEFS as readonly ObjectDef[]) {
      const versions = byTag.get(def.tag) ?? new Map<number, ObjectDef>();
      versions.set(def.version, def);
      byTag.set(def.tag, versions);
    }
  }
  return byTag;
}

/** The definition of `name` at `version`, or undefined when it is not supported. */
export function getObjectDef(name: ObjectName, version: number): ObjectDef | undefined {
  return definitions().get(OBJECT_TAGS[name])?.get(version);
}

/** The versions of an object that the codecs support. */
export function supportedVersions(name: ObjectName): number[] {
  return [...(definitions().get(OBJECT_TAGS[name])?.keys() ?? [])].sort((a, b) => a - b);
}

function smallInt(item: RlpItem, path: string): number {
  const value = bytesToUint(expectBinary(item, path));
  if (value === undefined || value > 0xffffffffn) {
    throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_TAG, { tag: -1 });
  }
  return Number(value);
}

/** Finds the definition for a decoded RLP list's tag and version. */
export function defOfItems(items: readonly RlpItem[], path = '$'): ObjectDef {
  if (items.length < 2) throw invalidValue(path, 'an object needs at least a tag and a version');
  const tag = smallInt(items[0]!, at(path, 'tag'));
  const version = smallInt(items[1]!, at(path, 'version'));
  const name = objectNameOf(tag);
  if (name === undefined) throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_TAG, { tag });
  const versions = definitions().get(tag);
  if (versions === undefined) throw new AescError(AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT, { tag, name });
  const def = versions.get(version);
  if (def === undefined) throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_VERSION, { tag, name, version });
  return def;
}

/**
 * Runs `f` with paths off (`''`: no path strings built, the fast path); if it fails with a coded
 * error, runs it again with paths on so that the error says where.
 */
export function withErrorPath<T>(path: string, f: (path: string) => T): T {
  if (path === '') return f('');
  try {
    return f('');
  } catch (e) {
    if (!isAescError(e)) throw e;
    f(path);
    throw e;
  }
}

function decodeItemAt(item: RlpItem, path: string): ChainObject {
  const items = expectList(item, path);
  const def = defOfItems(items, path);
  return decodeFields(def, items, path) as unknown as ChainObject;
}

/** Decodes a chain object from its RLP item (a list starting with tag and version). */
export function decodeObjectItem(item: RlpItem, path = '$'): ChainObject {
  return withErrorPath(path, (p) => decodeItemAt(item, p));
}

/**
 * Decodes a serialized chain object (any supported tag and version) into a plain typed object;
 * binary fields that hold chain objects (the tx of a signed tx, a PoI, a payload) are decoded too.
 * Encoding the result with {@link encodeObject} gives back the same bytes.
 */
export function decodeObject(bytes: Uint8Array, path = '$'): ChainObject {
  const item = rlpDecode(bytes);
  return withErrorPath(path, (p) => decodeItemAt(item, p));
}

function defOfValue(value: unknown, path: string): ObjectDef {
  if (typeof value !== 'object' || value === null) throw invalidValue(path, 'expected a chain object');
  const { tag, version } = value as { tag?: unknown; version?: unknown };
  if (typeof tag !== 'string' || !Object.hasOwn(OBJECT_TAGS, tag)) {
    throw new AescError(AESC_ERROR__ENCODING__INVALID_VALUE, { path: `${path}.tag`, reason: `unknown object name ${String(tag)}` });
  }
  const name = tag as ObjectName;
  const versions = definitions().get(OBJECT_TAGS[name]);
  if (versions === undefined) throw new AescError(AESC_ERROR__ENCODING__UNSUPPORTED_OBJECT, { tag: OBJECT_TAGS[name], name });
  const def = typeof version === 'number' ? versions.get(version) : undefined;
  if (def === undefined) {
    throw new AescError(AESC_ERROR__ENCODING__UNKNOWN_VERSION, { tag: OBJECT_TAGS[name], name, version: Number(version) });
  }
  return def;
}

/** The RLP item of a chain object. */
export function encodeObjectItem(value: ChainObject, path = '$'): RlpItem {
  return withErrorPath(path, (p) =>
    encodeFields(defOfValue(value, p), value as unknown as Record<string, unknown>, p),
  );
}

/** Serializes a chain object to the node's bytes. */
export function encodeObject(value: ChainObject, path = '$'): Uint8Array {
  return rlpEncode(encodeObjectItem(value, path));
}

/** The JSON form of a chain object (what `aesc inspect` prints): big integers as decimal strings, bytes as `ba_…`. */
export function objectToJson(value: ChainObject): { readonly [k: string]: JsonValue } {
  return fieldsToJson(defOfValue(value, '$'), value as unknown as Record<string, unknown>);
}

/** Parses the JSON form of a chain object back into the typed object (the inverse of {@link objectToJson}). */
export function objectFromJson(json: unknown, path = '$'): ChainObject {
  const def = defOfValue(json, path);
  return fieldsFromJson(def, json as Record<string, unknown>, path) as unknown as ChainObject;
}
